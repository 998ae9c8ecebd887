"""Pagefind's service mode driven from Python: shards of custom records in, index files out."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import threading
from pathlib import Path

from .messages import say
from .problems import BuildFailed, Problem

PAGEFIND_VERSION = "1.5.2"
# Words per index chunk. Pagefind's default (20,000 positions) makes a reader fetch about twice what the
# words of a query need; at 4,000 a query's first page reads 250-290 KB instead of 260-310 (10,000
# articles), for 25 % more files and the same indexing time.
CHUNK_SIZE = 4000
COMMON_FILES = ("pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind")


def pagefind_executable() -> Path:
    """The pinned extended binary shipped by the pagefind-bin-extended package (never downloaded at run time)."""
    try:
        import pagefind_bin_extended
        return Path(pagefind_bin_extended.get_executable())
    except (ImportError, FileNotFoundError) as err:
        raise BuildFailed([Problem("pagefind", 1, 1, say("Pagefind is not installed ({reason}); run 'make site' to "
                                                         "install the pinned dependencies, or build with --no-search",
                                                         reason=str(err)))])


def failed(message: str) -> BuildFailed:
    lines = [line for line in message.strip().splitlines() if line.strip()] or ["no index was written"]
    return BuildFailed([Problem("pagefind", 1, 1, say("search index failed: {reason}", reason=" / ".join(lines[-5:])))])


class Service:
    """One `pagefind --service` process. Requests are written without waiting (Pagefind answers them in
    order), so feeding records costs no round trips; a thread collects the answers."""

    def __init__(self, executable: Path):
        env = {**os.environ, "NO_COLOR": "1", "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": str(CHUNK_SIZE),
               "RAYON_NUM_THREADS": "1"}
        try:
            self.process = subprocess.Popen([str(executable), "--service"], stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        except OSError as err:
            raise failed(f"cannot run {executable}: {err.strerror}") from None
        self.next_id = 0
        self.indexes = 0
        self.answers: dict[int, dict] = {}
        self.errors: list[str] = []
        self.ready = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.stderr: list[bytes] = []
        self.stderr_reader = threading.Thread(target=lambda: self.stderr.append(self.process.stderr.read()),
                                              daemon=True)
        self.stderr_reader.start()

    def _read(self) -> None:
        pieces: list[bytes] = []  # of the message being read: joined once, as answers run to megabytes
        stream = self.process.stdout
        while True:
            data = stream.read1(1 << 20)
            if not data:
                break
            *ends, rest = data.split(b",")
            messages = []
            for end in ends:
                messages.append(b"".join(pieces) + end if pieces else end)
                pieces = []
            if rest:
                pieces.append(rest)
            for message in messages:
                answer = json.loads(base64.b64decode(message))
                payload = answer["payload"]
                with self.ready:
                    if payload["type"] == "Error":
                        self.errors.append(payload.get("message", "unknown error"))
                    if answer.get("message_id") is not None:
                        self.answers[answer["message_id"]] = payload
                    self.ready.notify_all()
        with self.ready:
            self.ready.notify_all()

    def send(self, payload: dict, keep: bool = False) -> int:
        message_id = self.next_id
        self.next_id += 1
        data = base64.b64encode(json.dumps({"message_id": message_id, "payload": payload},
                                           ensure_ascii=False).encode())
        try:
            self.process.stdin.write(data + b",")
        except (BrokenPipeError, OSError):
            raise self.failure() from None
        return message_id

    def flush(self) -> None:
        try:
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            raise self.failure() from None

    def failure(self) -> BuildFailed:
        self.process.wait()
        self.reader.join(timeout=5)
        self.stderr_reader.join(timeout=5)  # Pagefind's own message is what the editor needs to see
        text = b"".join(self.stderr).decode(errors="replace")
        return failed("\n".join(self.errors) or text or f"Pagefind exited with status {self.process.returncode}")

    def wait(self, message_id: int) -> dict:
        self.flush()
        with self.ready:
            while message_id not in self.answers:
                if self.errors:
                    break
                if not self.reader.is_alive():
                    break
                self.ready.wait(1)
            answer = self.answers.pop(message_id, None)
        if answer is None or answer["type"] == "Error" or self.errors:
            self.close()
            if not self.reader.is_alive():  # the process has gone: wait for what it said on stderr
                self.stderr_reader.join(timeout=5)
            raise failed("\n".join(self.errors) or (answer or {}).get("message") or
                         b"".join(self.stderr).decode(errors="replace") or "Pagefind stopped answering")
        return answer

    def index(self, records: list[dict]) -> int:
        """Queue one index of `records`; returns the id of the answer (its files) to wait for. The files
        come back in the answer: WriteFiles answers before its (asynchronous) writes are done."""
        self.send({"type": "NewIndex", "config": {"keep_index_url": False}})
        index_id = self.indexes
        self.indexes += 1
        for record in records:
            self.send({"type": "AddRecord", "index_id": index_id, **record})
        written = self.send({"type": "GetFiles", "index_id": index_id})
        self.send({"type": "DeleteIndex", "index_id": index_id})
        return written

    def close(self) -> None:
        try:
            self.process.stdin.close()
        except OSError:  # includes a broken pipe: Pagefind has gone already
            pass
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def wanted(rel: str) -> bool:
    """The files of a bundle the site serves (not Pagefind's own UI, which the search page does not use)."""
    return rel in COMMON_FILES or rel == "pagefind-entry.json" or rel.endswith((".pf_meta", ".pf_index", ".pf_fragment"))


def build_shards(jobs: list, make_records, done) -> None:
    """Index each shard of `jobs` with one Pagefind process (`make_records(job)` gives its records, made
    while Pagefind indexes the previous one); `done(job, files)` takes each one's files as they come, so
    no more than two shards' files are held here at a time."""
    service = Service(pagefind_executable())
    try:
        pending = None
        for job in jobs:
            waiting = service.index(make_records(job))
            service.flush()
            if pending is not None:
                done(pending[0], collect(service, pending[1]))
            pending = (job, waiting)
        if pending is not None:
            done(pending[0], collect(service, pending[1]))
    finally:
        service.close()


def collect(service: Service, message_id: int) -> dict[str, bytes]:
    answer = service.wait(message_id)
    return {file["path"]: base64.b64decode(file["content"]) for file in answer["files"] if wanted(file["path"])}
