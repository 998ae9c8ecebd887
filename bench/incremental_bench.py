"""Time live-preview rebuilds of a 10,000-article site: from a saved article to the served page showing the edit."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import assemble_site, corpus  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
REBUILT = re.compile(r"^rebuilt: (\d+) pages rendered, (\d+) bytes written in (\d+\.\d+) s$")






def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Serve:
    """build.py serve in a subprocess; each output line kept with the time it arrived."""

    def __init__(self, site: Path, port: int, output: Path | None):
        self.started = time.perf_counter()
        extra = ["--output", str(output)] if output else []
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", "--lang", "en", "--site", str(site), "--port", str(port),
             *extra],
            cwd=site, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8",
            env={**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"})
        self.lines: list[tuple[float, str]] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            with self.lock:
                self.lines.append((time.perf_counter(), line.rstrip("\n")))

    def wait_line(self, pattern: re.Pattern, after: int, timeout: float) -> tuple[int, float, re.Match]:
        deadline = time.monotonic() + timeout
        while True:
            with self.lock:
                for index in range(after, len(self.lines)):
                    if match := pattern.search(self.lines[index][1]):
                        return index, self.lines[index][0], match
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("serve stopped or timed out; its output:\n" + "\n".join(l for _, l in self.lines))
            time.sleep(0.01)

    def count(self) -> int:
        with self.lock:
            return len(self.lines)

    def peak_rss_mib(self) -> float:
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return float("nan")
        return int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.M).group(1)) / 1024

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def fetch(url: str) -> str:
    try:
        with OPENER.open(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.read().decode("utf-8", "replace")


def pick_articles(content: Path, count: int) -> list[Path]:
    """`count` articles from different sections, spread over the sorted list."""
    by_section: dict[Path, list[Path]] = {}
    for path in sorted(content.rglob("*.md")):
        if path.name != "_index.md":
            by_section.setdefault(path.parent, []).append(path)
    sections = sorted(by_section)
    return [by_section[sections[i * len(sections) // count]][len(by_section[sections[i * len(sections) // count]]) // 2]
            for i in range(count)]


def url_of(content: Path, path: Path) -> str:
    slug = re.search(r"^slug:\s*['\"]?([a-z0-9-]+)", path.read_text(encoding="utf-8"), re.M)
    return "/" + "/".join([*path.parent.relative_to(content).parts, slug.group(1) if slug else path.stem]) + "/"


def save(path: Path, text: str) -> float:
    """Write like an editor's save, flushed to disk; returns the time right after fsync."""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    return time.perf_counter()


def edit(server: Serve, origin: str, content: Path, path: Path, kind: str, number: int,
         give_up: float) -> dict:
    text = path.read_text(encoding="utf-8")
    marker = f"基准修改{kind}{number}x{os.getpid()}"
    if kind == "body":
        new = text.rstrip("\n") + f"\n\n{marker}\n"
    else:
        new, replaced = re.subn(r"^title: .*$", f'title: "{marker}"', text, count=1, flags=re.M)
        assert replaced == 1, path
    url = origin + url_of(content, path)
    assert marker not in fetch(url)
    before = server.count()
    saved = save(path, new)
    polls = 0
    result = {"path": path.relative_to(content).as_posix(), "kind": kind, "seconds": None, "polls": 0,
              "rebuilt": "(none)", "rebuilds": 0}
    while marker not in fetch(url):
        result["polls"] += 1
        if time.perf_counter() - saved > give_up:
            result["other"] = sorted({l for _, l in server.lines[before:]})[:3]
            return result
        time.sleep(0.01)
    result["seconds"] = time.perf_counter() - saved
    _, _, rebuilt = server.wait_line(REBUILT, before, 60)
    time.sleep(1.0)  # let the watcher settle before the next edit
    result["rebuilt"] = rebuilt.group(0)
    result["rebuilds"] = sum(1 for _, l in server.lines[before:] if REBUILT.match(l))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--edits", type=int, default=5, help="edits of each kind (body, title)")
    parser.add_argument("--keep", action="store_true", help="keep the assembled site folder")
    parser.add_argument("--output-inside", action="store_true",
                        help="serve into SITE/.preview (the default) instead of an --output folder beside the "
                             "site")
    parser.add_argument("--give-up", type=float, default=60, metavar="S",
                        help="seconds to wait for an edit to show before counting it as never shown")
    args = parser.parse_args()

    source = corpus(args.articles)
    work = Path(tempfile.mkdtemp(prefix="sitegen-incremental-bench-", dir="/tmp"))
    site = assemble_site(source, work / "site")
    content = site / "content"
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    output = None if args.output_inside else work / "output"
    print(f"corpus {source} ({args.articles} articles), site {site}, output {output or site / 'output'}, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}", flush=True)
    server = Serve(site, port, output)
    try:
        _, first_at, first = server.wait_line(REBUILT, 0, 900)
        _, serving_at, _ = server.wait_line(re.compile(r"^Serving http://"), 0, 60)
        print(f"first build: {first.group(0)}; serving {serving_at - server.started:.2f} s after start "
              f"(peak RSS of serve so far {server.peak_rss_mib():.0f} MiB)", flush=True)
        results = []
        for kind in ("body", "title"):
            for number, path in enumerate(pick_articles(content, args.edits)):
                result = edit(server, origin, content, path, kind, number, args.give_up)
                results.append(result)
                if result["seconds"] is None:
                    print(f"  {kind:<5} {result['path']:<48} NOT visible after {args.give_up:.0f} s; serve printed: "
                          f"{result['other']}", flush=True)
                    break
                print(f"  {kind:<5} {result['path']:<48} visible after {result['seconds']:.3f} s "
                      f"({result['rebuilds']} rebuild(s)); serve: {result['rebuilt']}", flush=True)
            if results and results[-1]["seconds"] is None:
                print("giving up: serve does not see the edits", flush=True)
                break
        for kind in ("body", "title"):
            times = [r["seconds"] for r in results if r["kind"] == kind and r["seconds"] is not None]
            if times:
                print(f"{kind} edit -> served page shows it: median {statistics.median(times):.3f} s, "
                      f"max {max(times):.3f} s, min {min(times):.3f} s over {len(times)} edits")
        rebuilds = [float(REBUILT.match(r["rebuilt"]).group(3)) for r in results if r["seconds"] is not None]
        if rebuilds:
            print(f"serve's own 'rebuilt ... in X s': median {statistics.median(rebuilds):.2f} s, "
                  f"max {max(rebuilds):.2f} s")
        print(f"peak RSS of the serve process: {server.peak_rss_mib():.0f} MiB")
    finally:
        server.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
