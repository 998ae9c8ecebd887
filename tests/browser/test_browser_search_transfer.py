"""What one search costs a reader, on a generated archive of two shards: the first page and the exact count
arrive within issue 23's transfer budget scaled to the archive's size (1 MB at 10,000 articles, 1.5 MB at
100,000, on the line through them), and the count is the number of articles holding the words."""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import sys
import threading
import unicodedata
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
GEN_CORPUS = REPO / "tests" / "gen_corpus.py"  # the tests' copy of ../shared's
ARTICLES = 2100  # two shards (search.SHARD_MAX is 2,000)
QUERIES = ["人大代表", "两个机关", "执法检查", "议案", "东湖镇", "2019年", "法", "县人大常委会", "中华人民共和国食品安全法"]


def budget(articles: int) -> float:
    """Bytes one query may transfer, first page and exact count together, the page itself included."""
    return 1_000_000 + 500_000 * (articles - 10_000) / 90_000


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    root = tmp_path_factory.mktemp("generated")
    subprocess.run([sys.executable, str(GEN_CORPUS), str(root / "corpus"), "--articles", str(ARTICLES), "--seed", "1"],
                   check=True, stdout=subprocess.DEVNULL)
    site = root / "site"
    shutil.copytree(root / "corpus" / "content", site / "content")
    for name in ("layouts", "assets"):
        shutil.copytree(REPO / name, site / name)
    shutil.copytree(root / "corpus" / "assets" / "images", site / "assets" / "images", dirs_exist_ok=True)
    shutil.copy(REPO / "site.yaml", site / "site.yaml")
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--site", str(site), "--output",
                             str(root / "out")], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    handler = type("Quiet", (SimpleHTTPRequestHandler,), {"log_message": lambda *args: None})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root / "out")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield site, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def literal(site: Path, query: str) -> int:
    """Articles whose title, subtitle, author, source or text hold the word (NFKC, lower case, in one run)."""
    word = "".join(re.findall(r"[^\W_]", unicodedata.normalize("NFKC", query).lower()))
    found = 0
    for path in (site / "content").rglob("*.md"):
        if path.name == "_index.md":
            continue
        _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.safe_load(head) or {}
        fields = [str(meta.get(key) or "") for key in ("title", "subtitle", "author", "source")] + [body]
        found += any(word in run for field in fields for run in re.findall(r"[^\W_]+", unicodedata.normalize(
            "NFKC", field).lower()))
    return found


def test_the_archive_has_more_than_one_shard(generated):
    manifest = json.loads((generated[0].parent / "out" / "search-index" / "manifest.json").read_bytes())
    assert len(manifest["shards"]) > 1 and manifest["articles"] == ARTICLES


@pytest.mark.parametrize("query", QUERIES)
def test_one_query_transfers_within_the_budget_and_counts_exactly(browser, generated, search_ui, query):
    site, origin = generated
    context = browser.new_context()
    page = context.new_page()
    sizes = []
    page.on("requestfinished", lambda request: sizes.append(request.sizes()))
    page.goto(f"{origin}/search/?q={quote(query)}")
    status = search_ui.wait(page)
    spent = sum(s["requestHeadersSize"] + s["responseHeadersSize"] + s["responseBodySize"] for s in sizes)
    context.close()
    assert search_ui.count(status) == literal(site, query), status
    assert spent <= budget(ARTICLES), f"{query}: {spent:,} bytes, budget {budget(ARTICLES):,.0f} at {ARTICLES} articles"
