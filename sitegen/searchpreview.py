"""The preview's search index: rebuilt in a background thread after each good rebuild, shard by shard from
the cache, then swapped into the preview folder; until then the search page says it is being updated."""

from __future__ import annotations

import json
import os
import shutil
import signal
import threading
import traceback
from pathlib import Path

from .output import exchange_paths
from .parallel import run_apart
from .messages import listing, say
from .problems import BuildFailed
from .search import BUNDLE, MANIFEST, run_search_index


class PreviewIndex:
    def __init__(self, builder, out_dir: Path, report):
        self.builder, self.out_dir, self.report = builder, out_dir, report
        self.lock = threading.Lock()
        self.pending = None  # (config, site) of the newest good build, not yet indexed
        self.wake = threading.Event()
        self.updating = False
        self.worker = 0  # the process group making the index now (0: none)
        self.paused = False
        threading.Thread(target=self.run, name="preview-search", daemon=True).start()

    def request(self) -> None:
        """Index the builder's last good site (called after each successful rebuild; returns at once)."""
        model = getattr(self.builder, "last_good", None)
        if model is None:
            return
        with self.lock:
            self.pending, self.updating = model, True
        self.wake.set()

    def run(self) -> None:
        while True:
            self.wake.wait()
            self.wake.clear()
            with self.lock:
                model, self.pending = self.pending, None
            if model is None:
                continue
            try:
                report = self.index(*model)
                self.report(say("search index updated: {indexed} of {shards} shards re-indexed",
                                indexed=report["indexed"], shards=report["shards"]))
            except BuildFailed as failed:
                self.report(say("search index not updated: {reason}",
                                reason=listing(problem.message for problem in failed.problems)))
            except Exception:  # the preview keeps serving whatever happens here
                self.report(say("search index not updated: {reason}", reason=traceback.format_exc().splitlines()[-1]))
            with self.lock:
                self.updating = self.pending is not None

    def index(self, config, site) -> dict:
        stage = self.out_dir / ".search-next"
        shutil.rmtree(stage, ignore_errors=True)
        stage.mkdir(parents=True)
        try:
            cache = self.builder.cache_for(config)
            # apart and at the lowest priority: the next rebuild of the preview must not wait for the index
            report = run_apart(lambda: run_search_index(stage, config, site, cache, jobs=1), niceness=19,
                               started=self._started)
            live = self.out_dir / BUNDLE
            if not live.exists():
                (stage / BUNDLE).rename(live)
            elif not exchange_paths(stage / BUNDLE, live):
                shutil.rmtree(live)
                (stage / BUNDLE).rename(live)
        finally:
            with self.lock:
                self.worker = 0
            shutil.rmtree(stage, ignore_errors=True)
        return report

    def _started(self, pid: int) -> None:
        with self.lock:
            self.worker = pid
            if self.paused:
                self._signal(signal.SIGSTOP)

    def pause(self) -> None:
        """Stop the index's processes while the preview rebuilds: even at the lowest priority they share the
        machine's cores (and a vCPU's sibling) with the rebuild. Should this process die meanwhile, the
        kernel continues and hangs up an orphaned stopped group, so nothing is left behind."""
        with self.lock:
            self.paused = True
            self._signal(signal.SIGSTOP)

    def resume(self) -> None:
        with self.lock:
            self.paused = False
            self._signal(signal.SIGCONT)

    def _signal(self, signum: int) -> None:
        if self.worker:
            try:
                os.killpg(self.worker, signum)
            except (ProcessLookupError, PermissionError):  # finished, or its group not made yet
                pass

    def manifest(self) -> bytes:
        """The shard manifest as the search page should see it now: marked 'updating' while it is stale."""
        path = self.out_dir / BUNDLE / MANIFEST
        try:
            data = json.loads(path.read_bytes())
        except (OSError, ValueError):
            data = {"version": "", "width": 1, "sections": [], "articles": 0, "shards": []}
            data["updating"] = True
        with self.lock:
            if self.updating:
                data["updating"] = True
        return json.dumps(data, ensure_ascii=False).encode()
