"""Search figures on generated archives: clean index (wall, CPU, peak memory of any process), one edit
re-indexed, and through the site's own /search/ page in Chromium the first 10 results (bytes, time) and
the exact count (time), beside the number of articles that contain each query literally."""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import assemble_site, corpus, folder_size  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
QUERIES = ["人大代表", "两个机关", "执法检查", "议案", "东湖镇", "2019年", "法"]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


class PeakMemory:
    """Polls the resident memory of every process below `pid` (the build, its workers, Pagefind)."""

    def __init__(self, pid: int):
        self.pid, self.peak, self.name, self.done = pid, 0, "", threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                children.setdefault(ppid, []).append(int(entry))
        found, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo += children.get(pid, [])
        return found

    def run(self) -> None:
        while not self.done.is_set():
            for pid in self.tree():
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                rss = int(re.search(r"VmRSS:\s+(\d+)", status)[1]) if "VmRSS" in status else 0
                if rss > self.peak:
                    self.peak, self.name = rss, re.search(r"Name:\s+(\S+)", status)[1]
            time.sleep(0.1)

    def stop(self) -> tuple[float, str]:
        self.done.set()
        self.thread.join()
        return self.peak / 1024, self.name


def build(site: Path, out: Path) -> dict:
    """build.py build (search on, the site's .cache/): wall, stage times, CPU of everything, peak memory."""
    command = [sys.executable, str(ROOT / "build.py"), "build", "--site", str(site), "--output", str(out)]
    before = os.times()
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    memory = PeakMemory(process.pid)
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - started
    peak, name = memory.stop()
    after = os.times()
    if process.returncode != 0:
        sys.exit(f"build failed:\n{stderr}")
    stages = dict((name_, float(s)) for name_, s in re.findall(r"([a-z+ ]+?) (\d+\.\d+) s[,.]", stdout.splitlines()[-1]))
    return {"build wall s": wall, "search stage s": stages.get(" search index", stages.get("search index", 0.0)),
            "CPU s (all processes)": (after.children_user - before.children_user) + (after.children_system -
                                                                                   before.children_system),
            "peak RSS MiB": peak, "peak process": name, "load": load(),
            "summary": stdout.splitlines()[0] if stdout else "",
            "left out": {line.split(": ")[1] for line in stderr.splitlines() if line.startswith("left out: ")}}


class CountingHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, silently, adding every byte sent (headers included) to `sent` (set on the subclass)."""
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript"}
    sent: list = []

    def setup(self) -> None:
        super().setup()
        raw, sent = self.wfile, self.sent

        class Writer:
            def write(self, data):
                sent.append(len(data))
                return raw.write(data)

            def __getattr__(self, name):
                return getattr(raw, name)

        self.wfile = Writer()

    def log_message(self, *args) -> None:
        pass


STATE = """() => {
  const element = document.getElementById('search-status');
  return {status: element ? element.textContent : '', items: document.querySelectorAll('#search-results > li').length};
}"""


def browser_figures(out: Path, queries: list[str]) -> list[dict]:
    """For each query, a fresh browser context (cold cache) on /search/?q=: time and bytes until the first
    10 results are drawn (or the final answer if fewer), time until the exact count."""
    from playwright.sync_api import sync_playwright

    sent: list[int] = []
    handler = type("Handler", (CountingHandler,), {"sent": sent})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            for query in queries:
                context = browser.new_context()
                page = context.new_page()
                sent.clear()
                started = time.perf_counter()
                page.goto(f"{base}/search/?q={query}", wait_until="commit")
                first = counted = None
                first_bytes = 0
                while counted is None and time.perf_counter() - started < 120:
                    state = page.evaluate(STATE)
                    final = re.match(r"(找到|未找到)", state["status"])
                    if first is None and (state["items"] >= 10 or (final and (state["items"] or "未" in state["status"]))):
                        first, first_bytes = time.perf_counter() - started, sum(sent)
                    if final and first is not None:
                        counted = time.perf_counter() - started
                    page.wait_for_timeout(10)
                page.wait_for_load_state("networkidle")
                match = re.search(r"找到 (\d+) 篇", state["status"])
                rows.append({"query": query, "first 10 ms": round((first or 0) * 1000), "first 10 KB": first_bytes / 1e3,
                             "count ms": round((counted or 0) * 1000), "all KB": sum(sent) / 1e3,
                             "page count": int(match[1]) if match else 0, "status": state["status"][:40]})
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return rows


def literal_counts(site: Path, queries: list[str], left_out: set[str] = frozenset()) -> dict[str, int]:
    """Articles whose title, subtitle, author, source or text contain each query word literally (NFKC, case
    folded, inside one run of letters and digits), read from the corpus Markdown."""
    texts = []
    for path in sorted((site / "content").rglob("*.md")):
        if path.name == "_index.md":
            continue
        text = path.read_text(encoding="utf-8")
        _, head, body = text.split("---\n", 2)
        meta = yaml.load(head, Loader=yaml.CSafeLoader) or {}
        if meta.get("draft"):
            continue
        fields = [str(meta.get(k) or "") for k in ("title", "subtitle", "author", "source")] + [body]
        texts.append((path, [run for field in fields for run in
                             re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", field).lower())]))
    counts = {}
    for query in queries:
        words = ["".join(re.findall(r"[^\W_]", unicodedata.normalize("NFKC", w).lower())) for w in query.split()]
        counts[query] = sum(all(any(w in run for run in runs) for w in words) for path, runs in texts
                            if path.relative_to(site).as_posix() not in left_out)
    return counts


def print_table(rows: list[dict]) -> None:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    cells = [[f"{row[c]:.1f}" if isinstance(row.get(c), float) else str(row.get(c, "")) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    print("  ".join(c.rjust(w) for c, w in zip(columns, widths)))
    for r in cells:
        print("  ".join(v.rjust(w) for v, w in zip(r, widths)))
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, nargs="+", default=[1000, 10000], metavar="N")
    parser.add_argument("--queries", nargs="+", default=QUERIES, metavar="Q")
    parser.add_argument("--no-browser", action="store_true", help="index figures only (e.g. for 100,000)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="assemble the sites in DIR and keep them")
    args = parser.parse_args()
    os.environ["SOURCE_DATE_EPOCH"] = os.environ.get("SOURCE_DATE_EPOCH") or str(int(time.time()))
    work = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="sitegen-search-bench-"))
    index_rows, browser_rows = [], []
    try:
        for n in args.articles:
            site = work / f"site-{n}"
            assemble_site(corpus(n), site)
            out = site / "out"
            log(f"{n} articles: clean build with the search index (load {load()}) ...")
            clean = build(site, out)
            files, size = folder_size(out / "pagefind")
            victim = sorted((site / "content").rglob("*.md"))[len(list((site / "content").rglob("*.md"))) // 2]
            victim.write_text(victim.read_text(encoding="utf-8") + "\n县人大常委会组织代表开展专题调研。\n",
                              encoding="utf-8")
            log(f"{n} articles: one article edited ({victim.name}); rebuilding (load {load()}) ...")
            edited = build(site, out)
            index_rows.append({"articles": n, "clean build s": clean["build wall s"],
                               "clean index s": clean["search stage s"], "CPU s": clean["CPU s (all processes)"],
                               "peak RSS MiB": clean["peak RSS MiB"], "in": clean["peak process"],
                               "load": clean["load"], "edit: index s": edited["search stage s"],
                               "edit: build s": edited["build wall s"], "edit load": edited["load"],
                               "pagefind/ files": files, "pagefind/ MB": size / 1e6})
            if not args.no_browser:
                log(f"{n} articles: browser (load {load()}) ...")
                literal = literal_counts(site, args.queries, clean["left out"])
                for row in browser_figures(out, args.queries):
                    browser_rows.append({"articles": n, **row, "literal": literal[row["query"]], "load": load()})
            if not args.keep:
                shutil.rmtree(site, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print("Index (build.py build with the search index; CPU: user+system of the build and every process it ran; "
          "peak RSS: the largest single process, polled every 0.1 s; load: 1/5/15-minute load average at the start):")
    print_table(index_rows)
    if browser_rows:
        print("Through /search/?q= in a fresh Chromium context per query, served by http.server on 127.0.0.1 "
              "(no gzip; bytes counted at the socket, the Web Worker's fetches included); 'first 10': until ten "
              "results (or the final answer, if fewer) are drawn; 'count': until the exact count is shown; "
              "'literal': articles containing the query, from the corpus Markdown:")
        print_table(browser_rows)


if __name__ == "__main__":
    main()
