"""Live preview: build into .preview/, serve it on 127.0.0.1, rebuild on change (watchdog), reload open pages."""

from __future__ import annotations

import dataclasses
import http.server
import json
import threading
import time
from pathlib import Path

import datetime as dt
import traceback
from typing import Callable

from watchdog.events import (DirCreatedEvent, DirDeletedEvent, DirMovedEvent, FileClosedEvent, FileCreatedEvent,
                             FileDeletedEvent, FileModifiedEvent, FileMovedEvent, FileSystemEventHandler)
from watchdog.observers import Observer

from .pipeline import Builder, BuildOptions
from .problems import BuildFailed
from .sources import is_scratch_file

PREVIEW_JS = Path(__file__).with_name("preview.js")
PREVIEW_FOLDER = ".preview"  # in the site's folder, beside output/ (git-ignored)
DEBOUNCE = 0.05  # seconds of quiet after the last change before rebuilding (editors save in bursts)
SETTLE = 0.01  # the same after a change that is complete in itself: a file closed after writing, a rename
REBUILD_WAIT = 30  # seconds a request waits for a rebuild underway before it is served what is there
WATCHED_EVENTS = [FileCreatedEvent, FileModifiedEvent, FileDeletedEvent, FileMovedEvent, FileClosedEvent,
                  DirCreatedEvent, DirDeletedEvent, DirMovedEvent]


class ServeError(Exception):
    """The preview server could not start (the port is taken, or the address is wrong)."""


class PreviewState:
    """What the browser polls: the version of the last good build and the problems of the last try; and
    whether a rebuild is underway (`idle` is clear meanwhile)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.version = 0
        self.problems: list[str] = []
        self.idle = threading.Event()
        self.idle.set()

    def succeeded(self) -> None:
        with self.lock:
            self.version += 1
            self.problems = []

    def failed(self, problems: list[str]) -> None:
        with self.lock:
            self.problems = problems

    def snapshot(self) -> dict:
        with self.lock:
            return {"version": self.version, "problems": list(self.problems)}


def make_handler(out_dir: Path, state: PreviewState, search_index=None):
    script = PREVIEW_JS.read_bytes()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(out_dir), **kwargs)

        def log_message(self, format, *args):  # keep the terminal for build messages
            pass

        def do_GET(self):
            path = self.path.split("?", 1)[0]
            if path == "/__preview/status":
                return self.send_bytes(json.dumps(state.snapshot()).encode(), "application/json")
            if path == "/__preview/preview.js":
                return self.send_bytes(script, "text/javascript")
            if search_index is not None and path == "/search-index/manifest.json":  # search: 'updating' while stale
                return self.send_bytes(search_index.manifest(), "application/json")
            version = state.snapshot()["version"]  # before reading, so a page never looks newer than it is
            file = Path(self.translate_path(path))
            if file.is_dir():
                if not path.endswith("/"):
                    return super().do_GET()  # the standard redirect to 'dir/'
                file = file / "index.html"
            if file.suffix == ".html" and file.is_file():
                return self.send_bytes(self.with_script(file.read_bytes(), version), "text/html; charset=utf-8")
            if not file.exists():
                missing = out_dir / "404.html"
                body = missing.read_bytes() if missing.is_file() else b"<!DOCTYPE html><body><p>404</p></body>"
                return self.send_bytes(self.with_script(body, version), "text/html; charset=utf-8", status=404)
            return super().do_GET()

        def with_script(self, html: bytes, version: int) -> bytes:
            tag = f'<script src="/__preview/preview.js" data-version="{version}"></script>'.encode()
            at = html.rfind(b"</body>")
            return html[:at] + tag + html[at:] if at >= 0 else html + tag

        def send_bytes(self, data: bytes, content_type: str, status: int = 200):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

    return Handler


class PreviewServer(http.server.ThreadingHTTPServer):
    """Requests that arrive during a rebuild are answered once it ends: with the pages it made, and without
    taking the interpreter from it (a handler thread per poll slowed a rebuild by a fifth)."""

    state: PreviewState | None = None

    def process_request(self, request, client_address):
        if self.state is not None:
            self.state.idle.wait(REBUILD_WAIT)
        super().process_request(request, client_address)


class ChangeWatcher(FileSystemEventHandler):
    """Notes changes to content/, layouts/, assets/ and site.yaml; ignores output/ and editors' temp files."""

    def __init__(self, root: Path, out_dir: Path):
        self.root, self.out_dir = root.resolve(), out_dir.resolve()
        self.changed = threading.Event()
        self.last = 0.0
        self.complete = False  # the last change ended a write (close, rename, removal): no need to wait long

    def relevant(self, path: str) -> bool:
        try:
            rel = Path(path).resolve().relative_to(self.root)
        except ValueError:
            return False
        if not rel.parts or Path(path).resolve().is_relative_to(self.out_dir):
            return False
        if is_scratch_file(rel.name):
            return False
        return rel.parts[0] in ("content", "layouts", "assets") or rel.as_posix() == "site.yaml"

    def on_any_event(self, event):
        paths = [event.src_path, getattr(event, "dest_path", "") or ""]
        if any(p and self.relevant(p) for p in paths):
            self.complete = not isinstance(event, (FileModifiedEvent, FileCreatedEvent))
            self.last = time.monotonic()
            self.changed.set()

    def quiet(self) -> bool:
        """Long enough since the last change to rebuild: a write may still be under way after a mere
        modification, not after the file was closed."""
        return time.monotonic() - self.last >= (SETTLE if self.complete else DEBOUNCE)


def rebuild(builder: Builder, state: PreviewState, report, now: Callable[[], dt.datetime] | None,
            search_index=None) -> bool:
    """One build; True when it succeeded. Problems go to the terminal and to open pages."""
    started = time.perf_counter()
    state.idle.clear()
    try:
        return _rebuild(builder, state, report, now, search_index, started)
    finally:
        state.idle.set()


def _rebuild(builder: Builder, state: PreviewState, report, now, search_index, started: float) -> bool:
    if search_index is not None:
        search_index.pause()  # the rebuild has the machine to itself; the index goes on after it
    try:  # the clock is read here (outside the pipeline), so articles saved now are not 'future'
        try:
            result = builder.build(now=now() if now is not None else None)
        finally:
            if search_index is not None:
                search_index.resume()
    except BuildFailed as failed:
        lines = [str(p) for p in failed.problems]
    except Exception:  # never let one bad rebuild stop the preview
        lines = ["build.py: unexpected error while rebuilding:"] + traceback.format_exc().splitlines()[-3:]
    else:
        state.succeeded()
        if search_index is not None:
            search_index.request()  # search: re-indexes the changed shards in the background
        for item in result.left_out:
            report(f"left out: {item.path}: {item.reason}")
        for problem in result.warnings:
            report(f"warning: {problem}")
        report(f"rebuilt: {result.pages} pages rendered, {result.bytes_written} bytes written "
               f"in {time.perf_counter() - started:.2f} s")
        return True
    state.failed(lines)
    report("\n".join(lines) + f"\n{len(lines)} problem(s); still serving the last good site.")
    return False


def serve(site_yaml: Path, options: BuildOptions, host: str = "127.0.0.1", port: int = 8000,
          report=print, now: Callable[[], dt.datetime] | None = None, ready: threading.Event | None = None,
          stop: threading.Event | None = None) -> None:
    """Build, then serve and rebuild on every change until stopped (Ctrl+C, or `stop` set).

    `now` is called before each rebuild when 'now' follows the clock (no --now, no SOURCE_DATE_EPOCH).
    """
    try:
        server = PreviewServer((host, port), None)
    except OSError as err:
        raise ServeError(f"cannot serve on {host}:{port}: {err.strerror}; try another --port") from None
    port = server.server_address[1]
    # The preview has a folder of its own: output/ is only ever what 'build' made for publishing.
    out_dir = options.output_dir or site_yaml.parent.resolve() / PREVIEW_FOLDER
    options = dataclasses.replace(options, base_url=f"http://{host}:{port}/", search=False, write=True,
                                  output_dir=out_dir)
    builder = Builder(site_yaml, options, incremental=True)
    state = PreviewState()
    server.state = state
    from .searchpreview import PreviewIndex  # search: the preview's index, rebuilt after each good rebuild
    search_index = PreviewIndex(builder, out_dir, report)
    rebuild(builder, state, report, now, search_index)
    server.RequestHandlerClass = make_handler(out_dir, state, search_index)
    watcher = ChangeWatcher(site_yaml.parent, out_dir)
    observer = Observer()
    root = site_yaml.parent.resolve()
    # Only what the build reads: watching output/ too would flood the kernel's event queue on big sites.
    observer.schedule(watcher, str(root), recursive=False, event_filter=WATCHED_EVENTS)
    for folder in ("content", "layouts", "assets"):
        if (root / folder).is_dir():
            observer.schedule(watcher, str(root / folder), recursive=True, event_filter=WATCHED_EVENTS)
    observer.start()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    report(f"Serving http://{host}:{port}/ (the search index follows edits a moment later; Ctrl+C to stop)")
    if ready:
        ready.set()
    stop = stop or threading.Event()
    try:
        while not stop.is_set():
            if not watcher.changed.wait(0.2):
                continue
            while not watcher.quiet():
                time.sleep(SETTLE / 2)
            watcher.changed.clear()
            rebuild(builder, state, report, now, search_index)
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        server.shutdown()
        server.server_close()
        observer.join()
