"""Every figure of the search goals (issue 23) on generated archives, through the site's own /search/ page:

- the clean index beside the rest of the build (wall, CPU by process, peak memory of the largest process),
  one edit re-indexed, and where the index's time goes (--profile: the stage run alone under cProfile);
- in Chromium, a fresh context per query: the first 10 results (time, bytes) and the exact count (time,
  bytes): 'transfer' is every byte sent until both are on the page, the page itself included;
- Lighthouse (mobile, pinned in tools/lighthouse) on /search/?q=人大代表: performance and largest
  contentful paint, on the sample site and on each generated site;
- on the sample site, where 按相关度 puts the seed article for 人大代表;
- first results on a sparse archive (--sparse 300 articles: gen_corpus spreads them over 2010-2026).

    .venv/bin/python bench/search_bench.py --articles 10000 100000

It measures whatever code sits beside it: copied into an older checkout, it measures that one."""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import functools
import http.server
import json
import os
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from pathlib import Path
from urllib.parse import quote

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import assemble_site, corpus, folder_size  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
LIGHTHOUSE = ROOT / "tools" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
QUERIES = ["人大代表", "两个机关", "执法检查", "议案", "东湖镇", "2019年", "法"]
HEADLINE = "人大代表"
SEED_URL = "/daibiao-gongzuo/lvzhi-dongtai/liangge-jiguan/"
BUDGET_KB = {10_000: 1000, 100_000: 1500}  # one query's transfer (issue 23); scaled linearly in between


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def bundle(out: Path) -> Path:
    """The search bundle's folder, whichever version built it."""
    return out / "search-index" if (out / "search-index").is_dir() else out / "pagefind"


class Processes:
    """Polls every process below `pid` every 0.1 s: the largest resident memory (of any process, and of each
    role: the build's own process, its Python workers, Pagefind), and CPU by process (its last reading: a
    process ending between two polls loses at most 0.1 s)."""

    def __init__(self, pid: int):
        self.pid, self.peak, self.name, self.done = pid, 0, "", threading.Event()
        self.peaks: dict[str, int] = {}
        self.cpu: dict[int, tuple[str, float]] = {}
        self.ticks = os.sysconf("SC_CLK_TCK")
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
                    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                name = re.search(r"Name:\s+(\S+)", status)[1]
                rss = int(re.search(r"VmRSS:\s+(\d+)", status)[1]) if "VmRSS" in status else 0
                if rss > self.peak:
                    self.peak, self.name = rss, name
                role = "build" if pid == self.pid else ("worker" if name.startswith("python") else name)
                self.peaks[role] = max(self.peaks.get(role, 0), rss)
                self.cpu[pid] = (role, (int(stat[11]) + int(stat[12])) / self.ticks)
            time.sleep(0.1)

    def stop(self) -> dict:
        self.done.set()
        self.thread.join()
        by_role: dict[str, float] = {}
        for role, seconds in self.cpu.values():
            by_role[role] = by_role.get(role, 0.0) + seconds
        return {"peak MiB": self.peak / 1024, "peak in": self.name, "cpu": by_role,
                "peaks MiB": {role: rss / 1024 for role, rss in self.peaks.items()}}


def build(site: Path, out: Path) -> dict:
    """build.py build (search on, the site's .cache/): wall, the search stage and the rest, CPU by process."""
    command = [sys.executable, str(ROOT / "build.py"), "build", "--site", str(site), "--output", str(out)]
    started = time.perf_counter()
    # English lines, parsed below (a build before the message catalog speaks English whatever LANGUAGE says)
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "LANGUAGE": "en"})
    watch = Processes(process.pid)
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - started
    watched = watch.stop()
    if process.returncode != 0:
        sys.exit(f"build failed:\n{stderr}")
    stages = dict((name.strip(), float(s)) for name, s in re.findall(r"([a-z+ ]+?) (\d+\.\d+) s[,.]",
                                                                    stdout.splitlines()[-1]))
    search = stages.get("search index", 0.0)
    return {"wall s": wall, "search s": search, "rest s": wall - search, "peak MiB": watched["peak MiB"],
            "peak in": watched["peak in"], "peaks MiB": watched["peaks MiB"], "cpu": watched["cpu"], "load": load(),
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


@contextlib.contextmanager
def served(out: Path):
    """(base URL, list of bytes sent) of `out` served on 127.0.0.1 by http.server (no gzip)."""
    sent: list[int] = []
    handler = type("Handler", (CountingHandler,), {"sent": sent})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", sent
    finally:
        server.shutdown()
        server.server_close()


STATE = """() => {
  const element = document.getElementById('search-status');
  return {status: element ? element.textContent : '', items: document.querySelectorAll('#search-results > li').length};
}"""


def one_query(browser, base: str, sent: list[int], query: str, sort: str = "") -> dict:
    """A fresh context (cold cache) on /search/?q=: the first 10 results (or the final answer, if fewer) and
    the exact count, each with the time and the bytes sent until then."""
    context = browser.new_context()
    page = context.new_page()
    sent.clear()
    started = time.perf_counter()
    page.goto(f"{base}/search/?q={quote(query)}" + (f"&sort={sort}" if sort else ""), wait_until="commit")
    first = counted = None
    first_bytes = count_bytes = 0
    state = {"status": "", "items": 0}
    while counted is None and time.perf_counter() - started < 300:
        state = page.evaluate(STATE)
        final = re.match(r"(找到|未找到)", state["status"])
        if first is None and (state["items"] >= 10 or (final and (state["items"] or "未" in state["status"]))):
            first, first_bytes = time.perf_counter() - started, sum(sent)
        if final and first is not None:
            counted, count_bytes = time.perf_counter() - started, sum(sent)
        page.wait_for_timeout(5)
    page.wait_for_load_state("networkidle")
    match = re.search(r"找到 (\d+) 篇", state["status"])
    row = {"query": query, "first ms": round((first or 0) * 1000), "first KB": first_bytes / 1e3,
           "count ms": round((counted or 0) * 1000), "transfer KB": count_bytes / 1e3, "all KB": sum(sent) / 1e3,
           "found": int(match[1]) if match else 0}
    context.close()
    return row


def browser_figures(out: Path, queries: list[str], runs: int) -> list[dict]:
    """Each query `runs` times, interleaved; per query the median of each figure."""
    from playwright.sync_api import sync_playwright

    rows: dict[str, list[dict]] = {query: [] for query in queries}
    with served(out) as (base, sent), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for _ in range(runs):
            for query in queries:
                rows[query].append(one_query(browser, base, sent, query))
        browser.close()
    medians = []
    for query, measured in rows.items():
        row = {"query": query}
        for key in measured[0]:
            if key != "query":
                values = [m[key] for m in measured]
                row[key] = statistics.median(values) if key != "found" else values[0]
        if len({m["found"] for m in measured}) > 1:
            row["found"] = "differs: " + ",".join(str(m["found"]) for m in measured)
        medians.append(row)
    return medians


def relevance_rank(out: Path, query: str = HEADLINE, url: str = SEED_URL) -> dict:
    """Where 按相关度 puts the article at `url` for `query` (1 is first), and the count."""
    from playwright.sync_api import sync_playwright

    with served(out) as (base, _), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page()
        page.goto(f"{base}/search/?q={quote(query)}&sort=relevance")
        page.wait_for_function("() => /^(找到|未找到)/.test(document.getElementById('search-status').textContent)"
                               " && document.querySelectorAll('#search-results > li').length > 0", timeout=60_000)
        more = page.locator("#search-more")
        for _ in range(200):
            page.wait_for_timeout(200)
            if not more.is_visible():
                break
            more.click()
        hrefs = page.eval_on_selector_all("#search-results > li a.result-title", "links => links.map(a => a.getAttribute('href'))")
        status = page.inner_text("#search-status")
        browser.close()
    return {"rank": hrefs.index(url) + 1 if url in hrefs else None, "listed": len(hrefs), "status": status}


def lighthouse(out: Path, path: str, runs: int) -> dict:
    """Lighthouse (mobile, default throttling) on `path`, `runs` times: the median performance score, largest
    contentful paint, cumulative layout shift, and bytes."""
    if not LIGHTHOUSE.exists():
        subprocess.run(["make", "--no-print-directory", str(LIGHTHOUSE.relative_to(ROOT))], cwd=ROOT, check=True)
    found = []
    with served(out) as (base, _), tempfile.TemporaryDirectory() as work:
        for run in range(runs):
            report = Path(work) / f"{run}.json"
            subprocess.run([str(LIGHTHOUSE), base + path, "--quiet", "--output=json", f"--output-path={report}",
                            "--only-categories=performance", "--form-factor=mobile",
                            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run "
                            "--disable-background-networking --disable-component-update --disable-sync"],
                           check=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True)
            audits = json.loads(report.read_text())["audits"]
            score = json.loads(report.read_text())["categories"]["performance"]["score"]
            found.append({"performance": round(score * 100), "LCP ms": audits["largest-contentful-paint"]["numericValue"],
                          "CLS": audits["cumulative-layout-shift"]["numericValue"],
                          "TBT ms": audits["total-blocking-time"]["numericValue"],
                          "KiB": audits["total-byte-weight"]["numericValue"] / 1024})
    return {key: statistics.median(run[key] for run in found) for key in found[0]} | {
        "runs": " ".join(str(run["performance"]) for run in found)}


def profile_index(site: Path, top: int = 14) -> list[dict]:
    """The search stage alone, in this process (one job, no cache) under cProfile: its total and the
    functions taking most of it (tottime), as shares. Our own index's shards are indexed here one after
    another (a build indexes them in worker processes, which a profile of the stage would not see); Pagefind's
    stage is profiled as it runs (its binary's time is the build's 'CPU s pagefind')."""
    sys.path.insert(0, str(ROOT))
    import dataclasses
    from sitegen.pipeline import Builder, BuildOptions  # noqa: E402
    from sitegen import search  # noqa: E402

    # The preview's builder keeps the bodies in memory for the index to read (before issue 22: 'incremental').
    options = BuildOptions(write=False, search=False, jobs=1, use_cache=False)
    if "preview" in {f.name for f in dataclasses.fields(BuildOptions)}:
        builder = Builder(site / "site.yaml", dataclasses.replace(options, preview=True))
    else:
        builder = Builder(site / "site.yaml", options, incremental=True)
    builder.build()
    config, model = builder.last_good
    if hasattr(search, "shard_articles"):
        from sitegen.searchindex import index_shard  # noqa: E402

        def stage():
            for shard in search.plan_shards(model) + getattr(search, "page_shards", lambda _: ())(model):
                index_shard(search.shard_articles(model, shard))
    else:
        def stage():
            search.search_files(config, model, None, 1)
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.runcall(stage)
    wall = time.perf_counter() - started
    stats = pstats.Stats(profile)
    total = sum(row[2] for row in stats.stats.values())
    rows = sorted(((row[2], f"{Path(file).name}:{line}({name})") for (file, line, name), row in stats.stats.items()),
                  reverse=True)
    return [{"function": name, "tottime s": seconds, "share %": 100 * seconds / total} for seconds, name in rows[:top]] \
        + [{"function": f"(all; wall {wall:.1f} s under cProfile)", "tottime s": total, "share %": 100.0}]


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


def print_table(title: str, rows: list[dict]) -> None:
    print(title)
    columns = list(dict.fromkeys(key for row in rows for key in row))
    cells = [[f"{row[c]:.1f}" if isinstance(row.get(c), float) else str(row.get(c, "")) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    print("  ".join(c.rjust(w) for c, w in zip(columns, widths)))
    for r in cells:
        print("  ".join(v.rjust(w) for v, w in zip(r, widths)))
    print(flush=True)


def budget_kb(articles: int) -> float:
    """The transfer budget for one query at this many articles: 1 MB at 10,000, 1.5 MB at 100,000, linear."""
    return BUDGET_KB[10_000] + (BUDGET_KB[100_000] - BUDGET_KB[10_000]) * max(0, articles - 10_000) / 90_000


def sample_site(work: Path) -> Path:
    """The repository's own site (content/, layouts/, assets/, site.yaml) copied into work/."""
    site = work / "sample"
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    for name in ("content", "layouts", "assets", "data"):
        if (ROOT / name).is_dir():  # data/: since the standalone pages (代表名录 reads data/daibiao.csv)
            shutil.copytree(ROOT / name, site / name)
    shutil.copy(ROOT / "site.yaml", site / "site.yaml")
    return site


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, nargs="*", default=[10_000, 100_000], metavar="N")
    parser.add_argument("--sparse", type=int, default=300, metavar="N", help="a sparse archive's articles (0: none)")
    parser.add_argument("--queries", nargs="+", default=QUERIES, metavar="Q")
    parser.add_argument("--runs", type=int, default=3, help="browser runs a query (medians)")
    parser.add_argument("--lighthouse-runs", type=int, default=3)
    parser.add_argument("--lighthouse-max", type=int, default=10_000, help="no Lighthouse above this many articles")
    parser.add_argument("--no-browser", action="store_true", help="index figures only")
    parser.add_argument("--no-sample", action="store_true", help="skip the sample site's figures")
    parser.add_argument("--profile", action="store_true", help="also profile the search stage alone (smallest N)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="assemble the sites in DIR and keep them")
    args = parser.parse_args()
    os.environ["SOURCE_DATE_EPOCH"] = os.environ.get("SOURCE_DATE_EPOCH") or str(int(time.time()))
    work = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="sitegen-search-bench-"))
    goals: list[dict] = []
    index_rows, browser_rows, lighthouse_rows, profile_rows = [], [], [], []
    try:
        if not args.no_sample and not args.no_browser:
            site = sample_site(work)
            log(f"sample site: build (load {load()}) ...")
            build(site, site / "out")
            ranked = relevance_rank(site / "out")
            goals.append({"figure": f"按相关度 rank of the seed article for {HEADLINE}, sample site",
                          "value": f"{ranked['rank']} of {ranked['listed']}", "goal": "≤ 10"})
            log(f"sample site: Lighthouse (load {load()}) ...")
            lighthouse_rows.append({"site": "sample", **lighthouse(site / "out", f"/search/?q={quote(HEADLINE)}",
                                                                   args.lighthouse_runs)})
        sizes = ([args.sparse] if args.sparse and not args.no_browser else []) + args.articles
        for n in sizes:
            site = work / f"site-{n}"
            assemble_site(corpus(n), site)
            out = site / "out"
            log(f"{n} articles: clean build with the search index (load {load()}) ...")
            clean = build(site, out)
            files, size = folder_size(bundle(out))
            _, site_size = folder_size(out)
            victim = sorted((site / "content").rglob("*.md"))[len(list((site / "content").rglob("*.md"))) // 2]
            victim.write_text(victim.read_text(encoding="utf-8") + "\n县人大常委会组织代表开展专题调研。\n",
                              encoding="utf-8")
            log(f"{n} articles: one article edited ({victim.name}); rebuilding (load {load()}) ...")
            edited = build(site, out)
            cpu = clean["cpu"]
            index_rows.append({"articles": n, "build s": clean["wall s"], "index s": clean["search s"],
                               "rest s": clean["rest s"], "index/rest": clean["search s"] / clean["rest s"],
                               "CPU s build proc": cpu.get("build", 0.0), "CPU s workers": cpu.get("worker", 0.0),
                               "CPU s pagefind": sum(v for k, v in cpu.items() if k.startswith("pagefind")),
                               "peak MiB": clean["peak MiB"], "in": clean["peak in"],
                               "peak MiB build proc": clean["peaks MiB"].get("build", 0.0),
                               "peak MiB worker": clean["peaks MiB"].get("worker", 0.0), "load": clean["load"],
                               "edit: index s": edited["search s"], "edit: build s": edited["wall s"],
                               "index files": files, "index MB": size / 1e6, "site MB": site_size / 1e6})
            if n == 10_000:
                goals.append({"figure": "clean index / rest of the build, 10,000",
                              "value": f"{clean['search s']:.1f} / {clean['rest s']:.1f} s = "
                                       f"{clean['search s'] / clean['rest s']:.2f}x", "goal": "≤ 1.5x"})
            if n == max(args.articles):
                peaks = ", ".join(f"{role} {rss:.0f}" for role, rss in sorted(clean["peaks MiB"].items()))
                goals.append({"figure": f"peak memory of the largest process, {n:,}",
                              "value": f"{clean['peak MiB']:.0f} MiB ({peaks})", "goal": "< 1024 MiB"})
            if args.profile and n == min(args.articles):
                log(f"{n} articles: the search stage under cProfile (load {load()}) ...")
                profile_rows = profile_index(site)
            if not args.no_browser:
                log(f"{n} articles: browser (load {load()}) ...")
                literal = literal_counts(site, args.queries, clean["left out"])
                rows = browser_figures(out, args.queries, args.runs)
                for row in rows:
                    row["literal"] = literal[row["query"]]
                    row["budget KB"] = round(budget_kb(n))
                    browser_rows.append({"articles": n, **row, "load": load()})
                medians = statistics.median(row["first ms"] for row in rows)
                label = f"{n:,} (sparse)" if n == args.sparse else f"{n:,}"
                goals.append({"figure": f"first results, median over the queries, {label} articles",
                              "value": f"{medians:.0f} ms", "goal": "≤ 300 ms"})
                if n in (10_000, 100_000):
                    headline = next(row for row in rows if row["query"] == HEADLINE)
                    worst = max(rows, key=lambda row: row["transfer KB"])
                    goals.append({"figure": f"one query's transfer ({HEADLINE}), first results and exact count, {n:,}",
                                  "value": f"{headline['transfer KB']:.0f} KB (largest: {worst['query']} "
                                           f"{worst['transfer KB']:.0f} KB)",
                                  "goal": f"≤ {BUDGET_KB[n]} KB"})
                if n <= args.lighthouse_max and n != args.sparse:
                    log(f"{n} articles: Lighthouse (load {load()}) ...")
                    lighthouse_rows.append({"site": f"{n:,}", **lighthouse(out, f"/search/?q={quote(HEADLINE)}",
                                                                           args.lighthouse_runs)})
            if not args.keep:
                shutil.rmtree(site, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    for row in lighthouse_rows:
        goals.append({"figure": f"Lighthouse mobile performance / LCP, /search/?q={HEADLINE}, {row['site']} site",
                      "value": f"{row['performance']} / {row['LCP ms'] / 1000:.2f} s (runs: {row['runs']})",
                      "goal": "≥ 98 / ≤ 1.5 s"})
    print_table("Goals (issue 23):", goals)
    print_table("Index (build.py build, the site's .cache/; 'rest': the build's wall time but the search stage; CPU "
                "by process, polled every 0.1 s; peak: the largest single process; load: 1/5/15-minute average):",
                index_rows)
    if profile_rows:
        print_table("Where the search stage's time goes (alone, one job, no cache, under cProfile: own time):",
                    profile_rows)
    if browser_rows:
        print_table("Through /search/?q= in a fresh Chromium context per query, served by http.server on 127.0.0.1 "
                    "(no gzip; bytes counted at the socket, headers included); medians of the runs. 'first': until "
                    "ten results (or the final answer, if fewer) are drawn; 'count': until the exact count is shown; "
                    "'transfer': bytes until both; 'literal': articles containing the query, from the corpus Markdown:",
                    browser_rows)
    if lighthouse_rows:
        print_table(f"Lighthouse (mobile, simulated throttling) on /search/?q={HEADLINE}, medians:", lighthouse_rows)


if __name__ == "__main__":
    main()
