"""The sample site published under a sub-path (like a GitHub project site): built with
--base-url http://127.0.0.1:<port>/repo/, served under /repo/ by a real HTTP server, then crawled.
Every reference must resolve with status 200 and none may leave /repo/; every page must be reachable."""

from __future__ import annotations

import functools
import http.client
import json
import re
import threading
import xml.etree.ElementTree as ET
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

import feedparser
import pytest

from helpers import REPO, article, copy_sample_site, run_cli

PREFIX = "/repo/"
SITE_BASE_URL = "https://example.github.io/"  # site.yaml's base_url: must not leak into a --base-url build
SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:")
ALIASES = ("/content/2019-11/08/content_12345.htm", "/old/page/")


class SubPathHandler(SimpleHTTPRequestHandler):
    """Serves `directory` at /repo/ only; anything outside the prefix is 404, as on a project site."""

    def translate_path(self, path):
        plain = urlsplit(path).path
        if not plain.startswith(PREFIX):
            return str(Path(self.directory) / ".outside-the-prefix" / "missing")
        return super().translate_path("/" + path[len(PREFIX):])

    def log_message(self, *args):
        pass


@dataclass
class Crawl:
    root: str  # http://127.0.0.1:<port>/repo/
    output: Path
    status: dict[str, int] = field(default_factory=dict)  # URL path (unquoted) -> status
    found_on: dict[str, str] = field(default_factory=dict)  # URL path -> first page that referred to it
    escapes: list[tuple[str, str]] = field(default_factory=list)  # (reference, page)
    leaks: list[tuple[str, str]] = field(default_factory=list)  # references to site.yaml's base_url
    relative_in_404: list[str] = field(default_factory=list)
    bundles: set[str] = field(default_factory=set)  # data-bundle of the search page
    search_base: set[str] = field(default_factory=set)  # data-base of the search page


class References(HTMLParser):
    """Every URL an HTML page refers to."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs: list[str] = []
        self.bundles: list[str] = []
        self.bases: list[str] = []
        self.jsonld: list[str] = []
        self._in_jsonld = False

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        for name in {"a": ("href",), "link": ("href",), "script": ("src",), "img": ("src",), "form": ("action",),
                     "iframe": ("src",), "source": ("src",), "video": ("src", "poster"), "audio": ("src",)
                     }.get(tag, ()):
            if name in attrs:
                self.refs.append(attrs[name])
        if tag == "meta":
            if attrs.get("http-equiv", "").lower() == "refresh":
                match = re.search(r"url=(.+)$", attrs.get("content", ""), re.I)
                if match:
                    self.refs.append(match.group(1).strip())
            if attrs.get("property") == "og:url":
                self.refs.append(attrs.get("content", ""))
        if "data-bundle" in attrs:
            self.bundles.append(attrs["data-bundle"])
        if "data-base" in attrs:
            self.bases.append(attrs["data-base"])
        self._in_jsonld = tag == "script" and attrs.get("type") == "application/ld+json"

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self._in_jsonld = False

    def handle_data(self, data):
        if self._in_jsonld:
            self.jsonld.append(data)


def html_refs(text: str) -> References:
    parser = References()
    parser.feed(text)
    parser.close()
    return parser


def jsonld_urls(value) -> list[str]:
    if isinstance(value, dict):
        return [u for v in value.values() for u in jsonld_urls(v)]
    if isinstance(value, list):
        return [u for v in value for u in jsonld_urls(v)]
    return [value] if isinstance(value, str) and re.match(r"https?://", value) and "schema.org" not in value else []


def fetch(url: str) -> tuple[int, bytes]:
    """GET without following redirects (a redirect is not a working link here)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request("GET", quote(parts.path, safe="/%:@!$&'()*+,;=-._~") + (f"?{parts.query}" if parts.query else ""))
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def crawl(root: str, output: Path, seeds: list[str], search: bool) -> Crawl:
    """Visit everything reachable from `seeds`, following references that stay on 127.0.0.1
    (and the search index's manifest, in the folder the search page names, when the build has one)."""
    result = Crawl(root, output)
    origin = urlsplit(root)
    queue = deque()

    def refer(ref: str, page: str):
        ref = ref.strip()
        if not ref or ref.startswith("#") or ref.lower().startswith(SKIP_SCHEMES):
            return
        if SITE_BASE_URL in ref:
            result.leaks.append((ref, page))
        absolute = urljoin(page, ref)
        parts = urlsplit(absolute)
        if parts.scheme not in ("http", "https") or parts.hostname not in ("127.0.0.1", "localhost"):
            return  # a real external link
        path = unquote(parts.path)
        if parts.port != origin.port or parts.scheme != "http" or not path.startswith(PREFIX):
            result.escapes.append((ref, page))
            return
        if path not in result.found_on:
            result.found_on[path] = page
            queue.append(f"http://127.0.0.1:{origin.port}{parts.path}" + (f"?{parts.query}" if parts.query else ""))

    for seed in seeds:
        refer(seed, root)
    while queue:
        url = queue.popleft()
        path = unquote(urlsplit(url).path)
        if path in result.status:
            continue
        status, body = fetch(url)
        result.status[path] = status
        if status != 200:
            continue
        if path.endswith((".xml",)):
            scan_xml(body, url, refer)
        elif path.endswith("robots.txt"):
            for line in body.decode("utf-8").splitlines():
                if line.lower().startswith("sitemap:"):
                    refer(line.split(":", 1)[1].strip(), url)
        elif path.endswith(("/", ".html", ".htm")):
            text = body.decode("utf-8")
            found = html_refs(text)
            for ref in found.refs:
                refer(ref, url)
                if path.endswith("/404.html") and not re.match(r"^(/|[a-z]+:|#)", ref.strip()):
                    result.relative_in_404.append(ref)
            for bundle in found.bundles:
                result.bundles.add(urljoin(url, bundle))
                if search:
                    refer(urljoin(bundle, "manifest.json"), url)
            result.search_base.update(found.bases)
            for block in found.jsonld:
                for ref in jsonld_urls(json.loads(block)):
                    refer(ref, url)
        elif path.endswith(".css"):
            for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)", body.decode("utf-8")):
                refer(ref, url)
    return result


def scan_xml(body: bytes, url: str, refer) -> None:
    root = ET.fromstring(body)
    if root.tag.endswith("urlset"):
        for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
            refer(loc.text, url)
        return
    parsed = feedparser.parse(body)
    assert not parsed.bozo, f"{url}: {parsed.get('bozo_exception')}"
    for link in parsed.feed.get("links", []):
        refer(link["href"], url)
    for entry in parsed.entries:
        for link in entry.get("links", []):
            refer(link["href"], url)
        for content in entry.get("content", []):
            for ref in html_refs(content.value).refs:
                refer(ref, url)


# --- the served site --------------------------------------------------------------------------------

def extra_files(site: Path) -> None:
    """Additions to a copy of the sample site: root-relative links and images in a body, aliases,
    and enough articles under one tag for its list to need a second page."""
    body = ("详见[人大要闻](/renda-yaowen/)栏目、[全部标签](/tags/)和[文章归档](/archive/)，"
            "也可[订阅](/feed.xml)。\n\n![站点图标](/images/favicon.svg)\n\n## 会议要求\n\n"
            "[回到会议要求](#会议要求)\n")
    (site / "content" / "renda-yaowen" / "2019-liangge-jiguan-jiuzhi.md").write_text(
        article("聚焦两个机关建设（旧址迁移）", "2019-11-08 11:25:53", body=body,
                tags="[子路径测试]", aliases=f"[{', '.join(ALIASES)}]"), encoding="utf-8")
    for n in range(7):
        (site / "content" / "tongzhi-gonggao" / f"2018-tongzhi-{n}.md").write_text(
            article(f"测试通知第{n + 1}号", f"2018-0{n + 1}-15 09:00", tags="[子路径测试]"), encoding="utf-8")


@pytest.fixture(scope="module", params=["sample-no-search", "sample-search", "sample-plus-extras"])
def served(request, tmp_path_factory):
    """(crawl result, variant): the port is picked first (the server is up), then the site is built for it."""
    variant = request.param
    work = tmp_path_factory.mktemp(variant)
    output = work / "output"
    site = REPO
    if variant == "sample-plus-extras":
        site = copy_sample_site(work / "site")
        extra_files(site)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(SubPathHandler, directory=str(output)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        root = f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
        args = ["build", "--site", str(site), "--output", str(output), "--base-url", root,
                "--now", "2030-01-01T00:00:00+08:00"]
        if variant == "sample-no-search":
            args.append("--no-search")
        result = run_cli(*args)
        assert result.returncode == 0, result.stdout + result.stderr
        seeds = [PREFIX, PREFIX + "sitemap.xml", PREFIX + "robots.txt", PREFIX + "404.html"]
        if variant == "sample-plus-extras":
            seeds += [PREFIX + alias.lstrip("/") for alias in ALIASES]
        yield crawl(root, output, seeds, search=variant != "sample-no-search"), variant
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def page_files(output: Path) -> dict[str, str]:
    """URL path under /repo/ -> kind ('html' or 'feed') of every page file a reader or feed reader should
    be able to reach: not alias redirects, 404.html or the search index's files."""
    found = {}
    for path in sorted(output.rglob("*")):
        rel = path.relative_to(output).as_posix()
        if not path.is_file() or rel.startswith("search-index/") or rel == "404.html":
            continue
        if path.suffix in (".html", ".htm"):
            if 'http-equiv="refresh"' in path.read_text(encoding="utf-8"):
                continue
            found[PREFIX + rel.removesuffix("index.html")] = "html"
        elif path.name == "feed.xml":
            found[PREFIX + rel] = "feed"
    return found


# --- tests --------------------------------------------------------------------------------------------

def test_crawl_visits_the_whole_site(served):
    result, variant = served
    pages = [p for p, s in result.status.items() if s == 200 and p.endswith("/")]
    assert len(pages) > 60, sorted(result.status)
    for must in ("", "search/", "tags/", "archive/", "renda-yaowen/", "sitemap.xml", "feed.xml", "robots.txt",
                 "css/site.css", "js/site.js", "js/search.js", "images/favicon.svg"):
        assert PREFIX + must in result.status, must
    if variant != "sample-no-search":
        assert result.status.get(PREFIX + "search-index/manifest.json") == 200


def test_no_broken_references(served):
    result, _ = served
    broken = sorted((path, status, result.found_on.get(path)) for path, status in result.status.items()
                    if status != 200)
    assert broken == [], "\n".join(f"{status} {path} (linked from {page})" for path, status, page in broken)


def test_no_reference_leaves_the_sub_path(served):
    result, _ = served
    assert result.escapes == [], "\n".join(f"{ref} on {page}" for ref, page in result.escapes)
    assert result.leaks == [], "\n".join(f"{ref} on {page}" for ref, page in result.leaks)
    assert result.relative_in_404 == [], "404.html is served at any missing address; its links must be absolute"


def test_no_file_mentions_the_site_yaml_base_url(served):
    result, _ = served
    mentions = [p.relative_to(result.output).as_posix() for p in result.output.rglob("*")
                if p.is_file() and p.suffix in (".html", ".htm", ".xml", ".txt", ".js", ".css", ".json")
                and SITE_BASE_URL.encode() in p.read_bytes()]
    assert mentions == []


def test_every_page_is_reachable(served):
    result, _ = served
    reached = {path for path, status in result.status.items() if status == 200}
    html = [path for path, kind in page_files(result.output).items() if kind == "html"]
    assert len(html) > 60
    assert sorted(set(html) - reached) == []


def test_every_feed_is_linked_from_the_pages(served):
    """A feed nobody links to (no <link rel="alternate">, no <a>) cannot be found by a reader or feed reader."""
    result, _ = served
    reached = {path for path, status in result.status.items() if status == 200}
    feeds = [path for path, kind in page_files(result.output).items() if kind == "feed"]
    assert PREFIX + "feed.xml" in feeds and len(feeds) >= 2
    assert sorted(set(feeds) - reached) == []


def test_search_index_results_resolve_under_the_sub_path(served):
    """The search page links a result at data-base + its address in the index; every one must resolve."""
    result, variant = served
    if variant == "sample-no-search":
        assert not (result.output / "search-index").exists()
        return
    assert result.bundles == {result.root + "search-index/"}
    assert result.search_base == {PREFIX}
    pages = sorted((result.output / "search-index").glob("*/f/*.json"))
    assert len(pages) >= 16
    urls = [json.loads(page.read_bytes())["u"] for page in pages]
    html_pages = {p for p, kind in page_files(result.output).items() if kind == "html"}
    for url in urls:
        full = PREFIX.rstrip("/") + "/" + url.lstrip("/")
        assert full in html_pages, url
        status, _ = fetch(urljoin(result.root, full))
        assert status == 200, full


@pytest.mark.parametrize("served", ["sample-plus-extras"], indirect=True)  # the sample site has no aliases
def test_alias_redirects_stay_under_the_sub_path(served):
    result, _ = served
    target = PREFIX + "renda-yaowen/2019-liangge-jiguan-jiuzhi/"
    for alias in ALIASES:
        url = PREFIX + alias.lstrip("/")
        assert result.status.get(url) == 200, url
        status, body = fetch(urljoin(result.root, url))
        refs = html_refs(body.decode("utf-8"))
        assert status == 200
        # the meta refresh, the canonical link and the visible link
        assert [urlsplit(urljoin(result.root + alias.lstrip("/"), r)).path for r in refs.refs] == [target] * 3, \
            refs.refs
    assert result.status.get(target) == 200
    assert result.status.get(PREFIX + "tags/") == 200
    tagged = [p for p in result.status if p.startswith(PREFIX + "tags/") and p.endswith("/page/2/")]
    assert tagged and all(result.status[p] == 200 for p in tagged)
