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

from .messages import Language, language_named, say, say_plural
from .pipeline import Builder, BuildOptions
from .previewpages import left_out_page, unbuilt_page
from .problems import BuildFailed
from .site import LeftOut
from .sources import is_scratch_file

PREVIEW_JS = Path(__file__).with_name("preview.js")
PREVIEW_FOLDER = ".preview"  # in the site's folder, beside output/ (git-ignored)
DEBOUNCE = 0.05  # seconds of quiet after the last change before rebuilding (editors save in bursts)
SETTLE = 0.01  # the same after a change that is complete in itself: a file closed after writing, a rename
WATCHED_FOLDERS = ("content", "layouts", "assets", "data")  # with site.yaml: everything a build reads
REBUILD_WAIT = 30  # seconds a request waits for a rebuild underway before it is served what is there
WATCHED_EVENTS = [FileCreatedEvent, FileModifiedEvent, FileDeletedEvent, FileMovedEvent, FileClosedEvent,
                  DirCreatedEvent, DirDeletedEvent, DirMovedEvent]


class ServeError(Exception):
    """The preview server could not start (the port is taken, or the address is wrong)."""


class PreviewState:
    """What the browser polls: the version of the last good build and the problems of the last try; and
    whether a rebuild is underway (`idle` is clear meanwhile). The articles the last good build left out (drafts,
    scheduled) by address, so their addresses say why instead of 'not found'. Words in `language`."""

    def __init__(self, language: Language | None = None):
        self.language = language or language_named("zh")
        self.lock = threading.Lock()
        self.version = 0
        self.problems: list[str] = []
        self.left_out: dict[str, LeftOut] = {}
        self.idle = threading.Event()
        self.idle.set()
        self.attempts = 0  # rebuilds finished, good or not (the desk waits for the one after a save)
        self.finished = threading.Condition(self.lock)

    def succeeded(self, left_out: tuple[LeftOut, ...] = ()) -> None:
        with self.lock:
            self.version += 1
            self.problems = []
            self.left_out = {"/" + item.url: item for item in left_out if item.url}
            self.attempts += 1
            self.finished.notify_all()

    def failed(self, problems: list[str]) -> None:
        with self.lock:
            self.problems = problems
            self.attempts += 1
            self.finished.notify_all()

    def wait_for_attempt(self, attempt: int, timeout: float) -> bool:
        """Wait until `attempt` rebuilds have finished; False after `timeout` seconds."""
        with self.lock:
            return self.finished.wait_for(lambda: self.attempts >= attempt, timeout)

    def snapshot(self) -> dict:
        with self.lock:
            return {"version": self.version, "problems": list(self.problems),
                    "heading": self.language("The site was not rebuilt: correct the problems below and save again")}

    def left_out_at(self, path: str) -> LeftOut | None:
        """The article left out whose page (or print view) is at `path`."""
        page = path if path.endswith("/") else path.rpartition("/")[0] + "/"
        with self.lock:
            return self.left_out.get(page) or self.left_out.get(page.removesuffix("print/"))


def make_handler(out_dir: Path, state: PreviewState, search_index=None, desk=None):
    script = PREVIEW_JS.read_bytes()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(out_dir), **kwargs)

        def log_message(self, format, *args):  # keep the terminal for build messages
            pass

        def do_GET(self):
            path = self.path.split("?", 1)[0]
            if desk is not None and desk.handles(path):  # the editor's desk: /admin/ and its backend
                return desk.get(self)
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
            if not file.exists() and (item := state.left_out_at(path)) is not None:
                body = left_out_page(item, state.language).encode()
                return self.send_bytes(self.with_script(body, version), "text/html; charset=utf-8", status=404)
            if not file.exists() and (problems := state.snapshot()["problems"]):
                body = unbuilt_page(problems, state.language).encode()
                return self.send_bytes(self.with_script(body, version), "text/html; charset=utf-8", status=404)
            if not file.exists():
                missing = out_dir / "404.html"
                body = missing.read_bytes() if missing.is_file() else b"<!DOCTYPE html><body><p>404</p></body>"
                return self.send_bytes(self.with_script(body, version), "text/html; charset=utf-8", status=404)
            return super().do_GET()

        def do_POST(self):
            if desk is not None and desk.handles(self.path.split("?", 1)[0]):
                return desk.post(self)
            self.refuse_method()

        def refuse_method(self):
            """Any other method (PUT, DELETE…): refused in serve's language, not with the library's English page."""
            text = state.language("The preview only shows pages: this kind of request ({method}) is refused",
                                  method=self.command[:20])
            self.send_bytes(text.encode(), "text/plain; charset=utf-8", status=405)

        do_PUT = do_DELETE = do_PATCH = do_OPTIONS = refuse_method

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
        return rel.parts[0] in WATCHED_FOLDERS or rel.as_posix() == "site.yaml"

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
        lines = [problem.said(state.language) for problem in failed.problems]
    except Exception:  # never let one bad rebuild stop the preview
        lines = [state.language("build.py: unexpected error while rebuilding:")] + \
            traceback.format_exc().splitlines()[-3:]
    else:
        state.succeeded(result.left_out)
        if search_index is not None:
            search_index.request()  # search: re-indexes the changed shards in the background
        for line in result_lines(result, state.language):
            report(line)
        report(state.language("rebuilt: {pages} pages rendered, {bytes} bytes written in {seconds} s",
                              pages=result.pages, bytes=result.bytes_written,
                              seconds=f"{time.perf_counter() - started:.2f}"))
        return True
    state.failed(lines)
    report("\n".join(lines) + "\n" + state.language.text(
        say_plural("{count} problem; still serving the last good site.",
                   "{count} problems; still serving the last good site.", len(lines))))
    return False


def result_lines(result, language: Language) -> list[str]:
    """What a good build says beside its summary: the articles left out, and the warnings."""
    return [*(language("left out: {path}: {reason}", path=item.path, reason=item.reason) for item in result.left_out),
            *(language("warning: {problem}", problem=problem.said(language)) for problem in result.warnings)]


def serve(site_yaml: Path, options: BuildOptions, address: tuple[str, int] = ("127.0.0.1", 8000), report=print,
          now: Callable[[], dt.datetime] | None = None, language: Language | None = None) -> None:
    """Build, then serve at `address` (host, port) and rebuild on every change until Ctrl+C.

    `now` is called before each rebuild when 'now' follows the clock (no --now, no SOURCE_DATE_EPOCH).
    What the terminal and the browser show is in `language` (Chinese by default).
    """
    host, port = address
    try:
        server = PreviewServer((host, port), None)
    except OSError as err:
        raise ServeError(say("cannot serve on {host}:{port}: {reason}; try another --port", host=host, port=port,
                             reason=err.strerror)) from None
    port = server.server_address[1]
    # The preview has a folder of its own: output/ is only ever what 'build' made for publishing.
    out_dir = options.output_dir or site_yaml.parent.resolve() / PREVIEW_FOLDER
    options = dataclasses.replace(options, base_url=f"http://{host}:{port}/", search=False, write=True, preview=True,
                                  output_dir=out_dir)
    builder = Builder(site_yaml, options)
    state = PreviewState(language)
    server.state = state
    from .searchpreview import PreviewIndex  # search: the preview's index, rebuilt after each good rebuild
    search_index = PreviewIndex(builder, out_dir, lambda message: report(state.language.text(message)))
    rebuild(builder, state, report, now, search_index)
    from .desk.backend import Desk  # the editor's desk (/admin/), on this address only
    from .desk.door import Door
    fixed = options.now  # --now or SOURCE_DATE_EPOCH: the desk's publish check uses the same 'now'
    desk = Door(Desk(site_yaml, state, state.language, now=now or (fixed and (lambda: fixed))), host, port)
    server.RequestHandlerClass = make_handler(out_dir, state, search_index, desk)
    watcher = ChangeWatcher(site_yaml.parent, out_dir)
    observer = watch(site_yaml.parent.resolve(), watcher)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    report(state.language("Serving http://{host}:{port}/ (the search index follows edits a moment later; Ctrl+C to "
                          "stop)", host=host, port=port))
    if desk.open:
        report(state.language("The desk to write and publish articles: http://{host}:{port}/admin/", host=host,
                              port=port))
    try:
        while True:
            if watcher.changed.wait(0.2):
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


def watch(root: Path, watcher: ChangeWatcher) -> Observer:
    """Watch what the build reads (site.yaml at the top, the folders below it) and nothing else: watching
    output/ too would flood the kernel's event queue on big sites."""
    observer = Observer()
    observer.schedule(watcher, str(root), recursive=False, event_filter=WATCHED_EVENTS)
    for folder in WATCHED_FOLDERS:
        if (root / folder).is_dir():
            observer.schedule(watcher, str(root / folder), recursive=True, event_filter=WATCHED_EVENTS)
    observer.start()
    return observer
