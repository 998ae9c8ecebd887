"""Pagefind index cost (time, memory, size), the bytes of a first search, and result counts beside literal matches."""

from __future__ import annotations

import argparse
import collections
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import assemble_site, busy_cpu_seconds, corpus, folder_size  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GEN_CORPUS = Path("/work/shared/bench/gen_corpus.py")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
QUERIES = ["人大代表", "两个机关", "执法检查"]
FIRST_QUERY = "人大代表"
ZWSP = "\u200b"  # how Pagefind's fragments mark the word boundaries it found
MIB = 1024 * 1024


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)










def build_site(site: Path, out: Path) -> tuple[float, set[str]]:
    """build.py build --no-search; its wall time and the content paths it left out."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--no-search", "--site", str(site),
                             "--output", str(out)], capture_output=True, text=True)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"build failed:\n{result.stderr}")
    left_out = {line.split(": ")[1] for line in result.stderr.splitlines() if line.startswith("left out: ")}
    return wall, left_out


def run_pagefind(out: Path) -> dict:
    """pagefind_extended --site OUT alone: wall, CPU, peak RSS (wait4), the machine's other load, its summary."""
    import pagefind_bin_extended

    command = [str(pagefind_bin_extended.get_executable()), "--site", str(out)]
    with tempfile.TemporaryFile("w+") as log_file:
        busy = busy_cpu_seconds()
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT,
                                   env={**os.environ, "NO_COLOR": "1"})
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        busy = busy_cpu_seconds() - busy
        process.returncode = os.waitstatus_to_exitcode(status)
        log_file.seek(0)
        output = log_file.read()
    if process.returncode != 0:
        sys.exit(f"pagefind failed:\n{output}")
    cpu = usage.ru_utime + usage.ru_stime
    row = {"pagefind wall s": wall, "CPU s": cpu, "others' CPU s": max(0.0, busy - cpu),
           "peak RSS MiB": usage.ru_maxrss / 1024}
    for what in ("pages", "words"):
        match = re.search(rf"Indexed (\d+) {what}", output)
        row[f"indexed {what}"] = int(match[1]) if match else "?"
    return row


def read_articles(content: Path, left_out: set[str]) -> dict[str, dict]:
    """url -> {title, body} for every article the build kept, from the corpus Markdown."""
    articles = {}
    for path in sorted(content.rglob("*.md")):
        if path.name == "_index.md" or any(item.endswith(str(path.relative_to(content))) for item in left_out):
            continue
        text = path.read_text(encoding="utf-8")
        _, head, body = text.split("---\n", 2) if text.startswith("---\n") else ("", "", text)
        meta = yaml.load(head, Loader=yaml.CSafeLoader) or {}
        url = "/" + str(path.relative_to(content).with_suffix("")) + "/"
        articles[url] = {"title": str(meta.get("title", "")), "subtitle": str(meta.get("subtitle") or ""),
                         "body": body}
    return articles


def read_fragments(pagefind: Path) -> dict[str, dict]:
    """page id -> Pagefind's fragment (url, segmented content, meta), read from disk."""
    fragments = {}
    for path in (pagefind / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        fragments[path.stem] = json.loads(data[len(b"pagefind_dcd"):])
    return fragments


def segmented_forms(content: str, query: str) -> collections.Counter:
    """How Pagefind's word boundaries fall around each literal occurrence of query, e.g. '县|人大代表' ."""
    tokens = content.split(ZWSP)
    text = "".join(tokens)
    ends, position = [], 0
    for token in tokens:
        position += len(token)
        ends.append(position)
    forms = collections.Counter()
    start = text.find(query)
    while start >= 0:
        stop = start + len(query)
        first = next(i for i, end in enumerate(ends) if end > start)
        last = next(i for i, end in enumerate(ends) if end >= stop)
        forms["|".join(t.strip() for t in tokens[first:last + 1])] += 1
        start = text.find(query, start + 1)
    return forms


class CountingWriter:
    """Wraps a handler's wfile, counting every byte written to the socket (status line, headers, body)."""

    def __init__(self, raw):
        self.raw, self.bytes = raw, 0

    def write(self, data) -> int:
        self.bytes += len(data)
        return self.raw.write(data)

    def __getattr__(self, name):
        return getattr(self.raw, name)


class CountingHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, silently, recording (path, bytes sent) per request in `sent` (set on the subclass)."""
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript",
                      ".wasm": "application/wasm"}
    sent: list = []

    def setup(self) -> None:
        super().setup()
        self.wfile = CountingWriter(self.wfile)

    def finish(self) -> None:
        self.sent.append((getattr(self, "path", ""), self.wfile.bytes))
        super().finish()

    def log_message(self, *args) -> None:
        pass


def disk_file(out: Path, url: str) -> Path | None:
    path = unquote(urlsplit(url).path)
    candidate = out / path.lstrip("/")
    if path.endswith("/"):
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def browser_figures(out: Path, queries: list[str]) -> tuple[dict, dict]:
    """(transfer of the first search of FIRST_QUERY split pagefind/rest, per-query Pagefind results)."""
    from playwright.sync_api import sync_playwright

    sent: list[tuple[str, int]] = []
    handler = type("Handler", (CountingHandler,), {"sent": sent})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    requests: dict[str, dict] = {}  # what the page's own CDP target saw (not its Web Worker's fetches)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                context = browser.new_context()
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
                cdp.on("Network.requestWillBeSent", lambda e: requests.setdefault(
                    e["requestId"], {"url": e["request"]["url"], "bytes": 0, "body": 0, "done": False}))
                cdp.on("Network.dataReceived", lambda e: requests.get(e["requestId"], {}).__setitem__(
                    "body", requests.get(e["requestId"], {}).get("body", 0) + e["dataLength"]))
                cdp.on("Network.loadingFinished", lambda e: requests.get(e["requestId"], {}).update(
                    bytes=e["encodedDataLength"], done=True))
                errors: list[str] = []
                page.on("pageerror", lambda error: errors.append(str(error)))
                started = time.perf_counter()
                page.goto(f"{base}/search/?q={FIRST_QUERY}")
                # The page's answer: a final status line, then its result list (which needs no further fetches).
                page.wait_for_function("""() => /^(找到|未找到|搜索暂时无法使用)/.test(
                    document.getElementById('search-status').textContent)""", timeout=300_000)
                to_status = time.perf_counter() - started
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(500)
                status = page.eval_on_selector("#search-status", "e => e.textContent")
                listed = page.eval_on_selector_all("#search-results li", "items => items.length")
                transfer = summarise_transfer(out, list(sent), requests, status, to_status)
                transfer |= {"listed": listed, "errors": errors}
                counts = {}
                for query in queries:
                    counts[query] = page.evaluate("""async (q) => {
                        const pagefind = await import('/pagefind/pagefind.js');
                        const t = performance.now();
                        const search = await pagefind.search(q);
                        const ms = performance.now() - t;
                        const segments = Array.from(new Intl.Segmenter('zh-CN', {granularity: 'word'}).segment(q),
                                                    s => s.segment);
                        return {ms, segments, results: search.results.map(r => ({id: r.id, words: r.words.length,
                                                                                 meta: r.matchedMetaFields || []}))};
                    }""", query)
                for query in queries:  # what a reader sees: the page's own answer, after its literal check
                    page.goto(f"{base}/search/?q={query}")
                    page.wait_for_function("""() => /^(找到|未找到|搜索暂时无法使用)/.test(
                        document.getElementById('search-status').textContent)""", timeout=300_000)
                    counts[query]["page"] = page.eval_on_selector("#search-status", "e => e.textContent")
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return transfer, counts


def summarise_transfer(out: Path, sent: list, requests: dict, status: str, to_status: float) -> dict:
    """Bytes the server sent for the first search, split /pagefind/ vs the rest; CDP's page-target view beside."""
    totals = {kind: {"requests": 0, "bytes": 0, "gzip": 0, "cdp": 0} for kind in ("pagefind", "rest")}
    parts = collections.Counter()
    for url, size in sent:
        path = urlsplit(url).path
        kind = "pagefind" if path.startswith("/pagefind/") else "rest"
        totals[kind]["requests"] += 1
        totals[kind]["bytes"] += size
        file = disk_file(out, url)
        totals[kind]["gzip"] += len(gzip.compress(file.read_bytes(), 6)) if file else size
        if kind == "pagefind":
            part = path.split("/")[2] + "/" if path.count("/") > 2 else path.rsplit("/", 1)[1]
            parts[part] += size
    for request in requests.values():
        if request["url"].startswith("http"):
            path = urlsplit(request["url"]).path
            totals["pagefind" if path.startswith("/pagefind/") else "rest"]["cdp"] += request["bytes"]
    return {"status": status, "seconds to status": to_status, "totals": totals, "pagefind parts": parts}


def query_rows(n: int, articles: dict, fragments: dict, counts: dict) -> tuple[list[dict], list[str]]:
    rows, notes = [], []
    by_url = {fragment["url"]: fragment for fragment in fragments.values()}
    pages = [set(re.split(r"[\s\u200b]+", f["content"])) for f in fragments.values()]
    for query, found in counts.items():
        result_urls = {fragments[r["id"]]["url"] for r in found["results"] if r["id"] in fragments}
        body = {url for url, a in articles.items() if query in a["body"]}
        title = {url for url, a in articles.items() if query in a["title"]}
        literal = body | title
        subtitle = {url for url, a in articles.items() if query in a["subtitle"]}
        indexed = {url for url, f in by_url.items() if query in f["content"].replace(ZWSP, "")}
        segments = found["segments"]
        exact = prefix = 0
        for words in pages:
            exact += all(segment in words for segment in segments)
            prefix += all(any(word.startswith(segment) for word in words) for segment in segments)
        forms = collections.Counter()
        for url in literal:
            if url in by_url:
                forms += segmented_forms(by_url[url]["content"], query)
        title_only_hits = sum(1 for r in found["results"] if r["words"] == 0)
        title_hits = sum(1 for r in found["results"] if "title" in r["meta"])
        rows.append({"articles": n, "query": query, "pagefind results": len(found["results"]),
                     "literal body": len(body), "literal title+body": len(literal),
                     "+subtitle": len(literal | subtitle),
                     "results∩literal": len(result_urls & literal), "results not literal": len(result_urls - literal),
                     "literal missed": len(literal - result_urls), "all segments as words": exact,
                     "… as word prefixes": prefix, "search ms": found["ms"]})
        shown = ", ".join(f"{form} ×{count}" for form, count in forms.most_common(5))
        notes.append(f"{n} '{query}': the search page said '{found.get('page', '?')}'")
        notes.append(f"{n} '{query}': query segmented in the browser as {'|'.join(found['segments'])}; "
                     f"literal in Pagefind's indexed text: {len(indexed)} pages; "
                     f"results with a match in the title meta: {title_hits}, "
                     f"with no body word at all: {title_only_hits}; "
                     f"literal missed: {len(body - result_urls)} with it in the body, "
                     f"{len((title - body) - result_urls)} with it only in the title; "
                     f"index's word boundaries around literal occurrences: {shown or 'none'}")
    return rows, notes


def print_table(rows: list[dict]) -> None:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    cells = [[f"{row[c]:.1f}" if isinstance(row.get(c), float) else str(row.get(c, "")) for c in columns]
             for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    print("  ".join(c.rjust(w) for c, w in zip(columns, widths)))
    for r in cells:
        print("  ".join(v.rjust(w) for v, w in zip(r, widths)))
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, nargs="+", default=[1000, 10000], metavar="N")
    parser.add_argument("--queries", nargs="+", default=QUERIES, metavar="Q")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="assemble the sites in DIR and keep them")
    args = parser.parse_args()
    # One fixed 'now' for every build, so which articles are 'future' cannot change during the run.
    os.environ["SOURCE_DATE_EPOCH"] = os.environ.get("SOURCE_DATE_EPOCH") or str(int(time.time()))
    work = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="sitegen-search-bench-"))
    index_rows, transfer_rows, count_rows, notes = [], [], [], []
    try:
        for n in args.articles:
            source = corpus(n)
            head = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h %ci"], capture_output=True,
                                  text=True).stdout.strip()
            dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--short", "--", "layouts", "assets",
                                    "site.yaml", "sitegen", "build.py"], capture_output=True, text=True).stdout
            notes.append(f"{n}: site assembled from the repo at {head}"
                         + (" with uncommitted changes to " + ", ".join(l[3:] for l in dirty.splitlines())
                            if dirty.strip() else ""))
            site = work / f"site-{n}"
            shutil.rmtree(site, ignore_errors=True)
            assemble_site(source, site)
            out = site / "out"
            log(f"{n} articles: building (--no-search) ...")
            build_wall, left_out = build_site(site, out)
            os.sync()
            log(f"{n} articles: built in {build_wall:.1f} s; running pagefind_extended ...")
            row = {"articles": n, "build s": build_wall} | run_pagefind(out)
            files, size = folder_size(out / "pagefind")
            row |= {"pagefind/ files": files, "pagefind/ MB": size / 1e6}
            for part in ("index", "fragment", "filter"):
                row[f"{part}/ MB"] = folder_size(out / "pagefind" / part)[1] / 1e6
            index_rows.append(row)
            log(f"{n} articles: pagefind {row['pagefind wall s']:.1f} s, {row['peak RSS MiB']:.0f} MiB; browser ...")
            transfer, counts = browser_figures(out, args.queries)
            totals = transfer["totals"]
            transfer_rows.append({
                "articles": n, "query": FIRST_QUERY, "to status s": transfer["seconds to status"],
                "pagefind reqs": totals["pagefind"]["requests"], "pagefind KB": totals["pagefind"]["bytes"] / 1e3,
                "rest reqs": totals["rest"]["requests"], "rest KB": totals["rest"]["bytes"] / 1e3,
                "rest KB if gzipped": totals["rest"]["gzip"] / 1e3,
                "total KB": (totals["pagefind"]["bytes"] + totals["rest"]["bytes"]) / 1e3,
                "CDP page-target KB": (totals["pagefind"]["cdp"] + totals["rest"]["cdp"]) / 1e3})
            parts = ", ".join(f"{part} {size / 1e3:.1f} KB" for part, size in transfer["pagefind parts"].most_common())
            errors = "; ".join(dict.fromkeys(transfer["errors"]))
            notes.append(f"{n} first search: page said '{transfer['status']}' and listed {transfer['listed']} results"
                         + (f" (page errors: {errors})" if errors else "") + f"; pagefind bytes by part: {parts}")
            articles = read_articles(site / "content", left_out)
            if left_out:
                notes.append(f"{n}: the build left out {len(left_out)} articles (not counted as literal matches)")
            rows, query_notes = query_rows(n, articles, read_fragments(out / "pagefind"), counts)
            count_rows += rows
            notes += query_notes
            if not args.keep:
                shutil.rmtree(site, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print("Pagefind extended over the built site (one run each; wall time is noisy on a shared machine):")
    print_table(index_rows)
    print(f"First search on /search/?q={FIRST_QUERY} in a fresh Chromium: bytes the server sent (headers included), "
          "counted at the socket because Pagefind fetches its index from a Web Worker that the page's CDP session "
          "(last column: its Network.loadingFinished encodedDataLength) does not see; http.server sends no gzip, "
          "so 'rest KB if gzipped' is the same files at gzip -6:")
    print_table(transfer_rows)
    print("Results of pagefind.search(q) in the page beside articles containing q literally (corpus Markdown; "
          "results∩literal etc. against title+body); "
          "the last counts: pages whose indexed words include every segment of the browser-segmented query, "
          "exactly or as a word prefix:")
    print_table(count_rows)
    for note in notes:
        print("- " + note)
    print("CPU: user+system of pagefind_extended; others' CPU: the rest of the machine meanwhile; peak RSS: wait4 "
          "ru_maxrss; pagefind/ MB: every file under OUT/pagefind/")


if __name__ == "__main__":
    main()
