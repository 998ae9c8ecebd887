"""Tags, date archives, Atom feeds, sitemap and robots.txt, alias redirects, drafts and scheduled
articles, pinned articles and page metadata, checked end to end through the real command line on
small Chinese sites (and, for links, through a real HTTP server on 127.0.0.1)."""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import functools
import hashlib
import http.client
import json
import re
import threading
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import feedparser
import pytest

from helpers import SECTION, SITE_YAML, article, run_cli, tree_bytes, write_site

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = "2025-06-01T12:00:00+08:00"  # after every dated article below unless a test says otherwise
BASE = "https://example.org/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


# --- helpers ---------------------------------------------------------------------------------------

def build(site: Path, *args: str, env: dict | None = None, now: str | None = NOW) -> Path:
    """Build `site` with the real CLI (no search index); 'now' pinned unless now=None. Returns output/."""
    extra = ("--now", now) if now is not None else ()
    result = run_cli("build", "--no-search", "--site", str(site), *extra, *args, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return site / "output"


def sections(*specs: tuple[str, str, int]) -> dict[str, str]:
    files = {"content/_index.md": "---\ntitle: 首页\n---\n"}
    for key, title, weight in specs:
        files[f"content/{key}/_index.md"] = SECTION.format(title=title, weight=weight)
    return files


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    """A tiny DOM node: enough to find elements by tag, class and attributes and read their text."""

    def __init__(self, tag: str, attrs: dict, parent: "Node | None"):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs) -> list["Node"]:
        found = []
        for node in self.iter():
            if tag and node.tag != tag:
                continue
            if cls and cls not in (node.attrs.get("class") or "").split():
                continue
            if any(node.attrs.get(k.replace("_", "-")) != v for k, v in attrs.items()):
                continue
            found.append(node)
        return found

    def find(self, tag: str | None = None, cls: str | None = None, **attrs) -> "Node":
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag} class={cls} {attrs}> in the page"
        return found[0]

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)


class DomBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, {k: (v or "") for k, v in attrs}, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def dom(source: Path | str | bytes) -> Node:
    if isinstance(source, Path):
        source = source.read_text(encoding="utf-8")
    elif isinstance(source, bytes):
        source = source.decode("utf-8")
    builder = DomBuilder()
    builder.feed(source)
    builder.close()
    return builder.root


def page(output: Path, url: str) -> Node:
    """The parsed page at a site-relative URL such as 'tags/' or 'news/a/'."""
    rel = url.lstrip("/")
    path = output / (rel + "index.html" if rel.endswith("/") or not rel else rel)
    assert path.is_file(), f"{url} was not written ({path})"
    return dom(path)


def list_entries(node: Node) -> list[tuple[str, str, str, bool]]:
    """(title, href, shown date, pinned) of each entry of the first article list under `node`."""
    entries = []
    for li in node.find("ul", "article-list").find_all("li"):
        if "empty" in li.attrs.get("class", ""):
            continue
        link = li.find("a")
        pin = li.find_all("span", "pin")
        entries.append((link.text, link.attrs["href"], li.find("time").text,
                        bool(pin) and pin[0].text == "置顶"))
    return entries


def titles(node: Node) -> list[str]:
    return [entry[0] for entry in list_entries(node)]


def meta(node: Node, **attrs) -> str:
    found = node.find_all("meta", **attrs)
    assert len(found) == 1, f"expected one <meta {attrs}>, found {len(found)}"
    return found[0].attrs["content"]


def tag_id(tag: str) -> str:
    """The documented scheme: the first 10 hex digits of the SHA-1 of the tag's UTF-8 text."""
    return hashlib.sha1(tag.encode("utf-8")).hexdigest()[:10]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def http_server(directory: Path):
    """Serve `directory` on 127.0.0.1 (a free port) from a thread; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def fetch(url: str) -> tuple[int, bytes]:
    """GET without following redirects: (status, body)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


# --- 1. tags ---------------------------------------------------------------------------------------

SPECIAL_TAG = "法治/建设 A&B"
TAGGED = [  # (file, title, date, tags), oldest first
    ("news/a1.md", "常委会召开第一次会议", "2019-01-10 09:00", ["人大代表", "监督"]),
    ("news/a2.md", "县人大代表视察城区建设", "2019-03-15 10:00", ["人大代表"]),
    ("news/sub/a3.md", "代表走访乡村振兴一线", "2019-06-01 08:30", ["人大代表", "乡村振兴"]),
    ("notice/a4.md", "关于召开代表大会的公告", "2019-09-09 16:00", ["人大代表", "监督"]),
    ("news/a5.md", "法治建设专题询问", "2020-02-02 11:11", ["人大代表", SPECIAL_TAG]),
    ("news/a6.md", "没有标签的文章", "2020-05-05 12:00", []),
]
TAG_COUNTS = {"人大代表": 5, "监督": 2, "乡村振兴": 1, SPECIAL_TAG: 1}


def tag_files(extra: list | None = None) -> dict[str, str]:
    files = sections(("news", "人大要闻", 1), ("news/sub", "代表风采", 1), ("notice", "通知公告", 2))
    for rel, title, date, tags in TAGGED + (extra or []):
        fields = {"tags": json.dumps(tags, ensure_ascii=False)} if tags else {}
        files[f"content/{rel}"] = article(title, date, **fields)
    return files


def url_of(rel: str) -> str:
    return "/" + rel[: -len(".md")] + "/"


@pytest.fixture(scope="module")
def tag_site(tmp_path_factory):
    return build(write_site(tmp_path_factory.mktemp("tags") / "site", tag_files()))


def test_tags_index_lists_every_tag_with_its_count_sorted_by_count(tag_site):
    cloud = page(tag_site, "tags/").find("ul", "tag-cloud")
    shown = []
    for li in cloud.find_all("li"):
        link = li.find("a")
        count = re.fullmatch(r"（(\d+)）", li.find("span", "count").text)
        assert count, li.text
        shown.append((link.text, int(count.group(1)), link.attrs["href"]))
    assert {name: count for name, count, _ in shown} == TAG_COUNTS
    assert len(shown) == len(TAG_COUNTS)
    counts = [count for _, count, _ in shown]
    assert counts == sorted(counts, reverse=True), shown
    for name, _, href in shown:
        assert href == f"/tags/{tag_id(name)}/"


def test_tag_ids_are_stable_ascii_and_do_not_move_when_tags_are_added(tag_site, make_site):
    for tag in TAG_COUNTS:
        assert re.fullmatch(r"[0-9a-f]{10}", tag_id(tag))
        assert (tag_site / "tags" / tag_id(tag) / "index.html").is_file(), tag
    tag_dirs = sorted(p.name for p in (tag_site / "tags").iterdir() if p.is_dir())
    assert tag_dirs == sorted(tag_id(t) for t in TAG_COUNTS)
    for path in (tag_site / "tags").rglob("*"):
        assert path.relative_to(tag_site).as_posix().isascii()
    # a new tag that sorts before the others and a new article do not change the existing addresses
    more = make_site(tag_files([("news/a7.md", "新增文章", "2021-01-01 09:00", ["一个新标签", "监督"])]))
    output = build(more)
    hrefs = {li.find("a").text: li.find("a").attrs["href"]
             for li in page(output, "tags/").find("ul", "tag-cloud").find_all("li")}
    for tag in TAG_COUNTS:
        assert hrefs[tag] == f"/tags/{tag_id(tag)}/"
    assert hrefs["一个新标签"] == f"/tags/{tag_id('一个新标签')}/"


def test_tag_page_lists_its_articles_newest_first_with_a_second_page(tag_site):
    folder = f"tags/{tag_id('人大代表')}/"
    first, second = page(tag_site, folder), page(tag_site, folder + "page/2/")
    assert first.find("h1").text == "标签：人大代表"
    assert second.find("h1").text == "标签：人大代表"
    with_tag = [row for row in reversed(TAGGED) if "人大代表" in row[3]]  # newest first
    assert [title for _, title, _, _ in with_tag] == titles(first) + titles(second)
    assert titles(first) == ["法治建设专题询问", "关于召开代表大会的公告", "代表走访乡村振兴一线"]
    assert titles(second) == ["县人大代表视察城区建设", "常委会召开第一次会议"]
    assert [href for _, href, _, _ in list_entries(first)] == [url_of(r) for r, *_ in with_tag[:3]]
    assert [date for *_, date, _ in list_entries(first)] == ["2020-02-02", "2019-09-09", "2019-06-01"]
    pager = first.find("nav", "pagination")
    assert pager.find("a", rel="next").attrs["href"] == f"/{folder}page/2/"
    assert second.find("nav", "pagination").find("a", rel="prev").attrs["href"] == f"/{folder}"
    assert not (tag_site / folder / "page" / "3").exists()
    small = page(tag_site, f"tags/{tag_id('监督')}/")
    assert titles(small) == ["关于召开代表大会的公告", "常委会召开第一次会议"]
    assert not small.find_all("nav", "pagination")
    assert not (tag_site / "tags" / tag_id("监督") / "page").exists()


def test_every_tag_link_resolves_over_http_and_shows_its_tag(tag_site):
    with http_server(tag_site) as base:
        status, body = fetch(base + "tags/")
        assert status == 200
        links = {a.text: a.attrs["href"] for a in dom(body).find("ul", "tag-cloud").find_all("a")}
        assert set(links) == set(TAG_COUNTS)
        checked = 0
        for name, href in links.items():
            status, body = fetch(urljoin(base + "tags/", href))
            assert status == 200, (name, href)
            assert dom(body).find("h1").text == f"标签：{name}"
            checked += 1
        for rel, title, _, tags in TAGGED:
            status, body = fetch(urljoin(base, url_of(rel)))
            assert status == 200, rel
            shown = dom(body).find_all("p", "article-tags")
            if not tags:
                assert not shown, rel
                continue
            anchors = shown[0].find_all("a")
            assert [a.text for a in anchors] == tags
            for anchor in anchors:
                status, tag_body = fetch(urljoin(base + url_of(rel).lstrip("/"), anchor.attrs["href"]))
                assert status == 200, (rel, anchor.attrs)
                tag_page = dom(tag_body)
                assert tag_page.find("h1").text == f"标签：{anchor.text}"
                listed = titles(tag_page)
                while nxt := tag_page.find_all("a", rel="next"):  # follow 下一页
                    status, tag_body = fetch(urljoin(base, nxt[0].attrs["href"]))
                    assert status == 200
                    tag_page = dom(tag_body)
                    listed += titles(tag_page)
                assert title in listed, (title, anchor.text)
                checked += 1
        assert checked == len(TAG_COUNTS) + sum(len(t) for *_, t in TAGGED)


# --- 2. date archives --------------------------------------------------------------------------------

DATED = [  # (file, title, date as written, Shanghai day shown)
    ("news/y2018.md", "二〇一八年五月文章", "2018-05-01", "2018-05-01"),
    ("news/mar.md", "三月文章", "2019-03-05 09:00", "2019-03-05"),
    ("news/nov-a.md", "十一月八日文章", "2019-11-08 11:25:53", "2019-11-08"),
    ("notice/nov-b.md", "十一月二十日文章", "2019-11-20 15:00", "2019-11-20"),
    ("news/utc.md", "UTC晚间发布的文章", "2019-11-30T20:00:00Z", "2019-12-01"),
    ("news/new-year.md", "跨年UTC文章", "2019-12-31T17:00:00Z", "2020-01-01"),
    ("notice/jan.md", "一月文章", "2020-01-01T00:30:00+08:00", "2020-01-01"),
]


@pytest.fixture(scope="module")
def archive_site(tmp_path_factory):
    files = sections(("news", "人大要闻", 1), ("notice", "通知公告", 2))
    for rel, title, date, _ in DATED:
        files[f"content/{rel}"] = article(title, date)
    site = write_site(tmp_path_factory.mktemp("archive") / "site", files)
    return build(site, env={"TZ": "America/Los_Angeles"})  # the machine's zone must not matter


def test_archive_index_shows_years_with_counts_and_their_months(archive_site):
    root = page(archive_site, "archive/").find("ul", "archive-years")
    years = [li for li in root.children if isinstance(li, Node) and li.tag == "li"]
    shown = []
    for li in years:
        link = li.find("a")
        months = [(m.find("a").text, m.find("span", "count").text, m.find("a").attrs["href"])
                  for m in li.find("ul", "archive-months").find_all("li")]
        shown.append((link.text, link.attrs["href"], li.find("span", "count").text, months))
    assert shown == [
        ("2020年", "/archive/2020/", "（2篇）", [("1月", "（2）", "/archive/2020/01/")]),
        ("2019年", "/archive/2019/", "（4篇）", [("12月", "（1）", "/archive/2019/12/"),
                                                 ("11月", "（2）", "/archive/2019/11/"),
                                                 ("3月", "（1）", "/archive/2019/03/")]),
        ("2018年", "/archive/2018/", "（1篇）", [("5月", "（1）", "/archive/2018/05/")]),
    ]


def test_year_and_month_archives_list_the_right_articles(archive_site):
    year, year2 = page(archive_site, "archive/2019/"), page(archive_site, "archive/2019/page/2/")
    assert year.find("h1").text == "2019年"
    assert list_entries(year) + list_entries(year2) == [
        ("UTC晚间发布的文章", "/news/utc/", "2019-12-01", False),
        ("十一月二十日文章", "/notice/nov-b/", "2019-11-20", False),
        ("十一月八日文章", "/news/nov-a/", "2019-11-08", False),
        ("三月文章", "/news/mar/", "2019-03-05", False),
    ]
    assert titles(year2) == ["三月文章"]
    months = [a.attrs["href"] for a in year.find("ul", "subsections").find_all("a")]
    assert months == ["/archive/2019/12/", "/archive/2019/11/", "/archive/2019/03/"]
    november = page(archive_site, "archive/2019/11/")
    assert november.find("h1").text == "2019年11月"
    assert titles(november) == ["十一月二十日文章", "十一月八日文章"]
    december = page(archive_site, "archive/2019/12/")
    assert list_entries(december) == [("UTC晚间发布的文章", "/news/utc/", "2019-12-01", False)]
    january = page(archive_site, "archive/2020/01/")
    assert list_entries(january) == [("跨年UTC文章", "/news/new-year/", "2020-01-01", False),
                                     ("一月文章", "/notice/jan/", "2020-01-01", False)]
    assert titles(page(archive_site, "archive/2020/")) == ["跨年UTC文章", "一月文章"]
    assert titles(page(archive_site, "archive/2018/05/")) == ["二〇一八年五月文章"]
    written = sorted(p.parent.relative_to(archive_site).as_posix()
                     for p in (archive_site / "archive").rglob("index.html"))
    assert written == ["archive", "archive/2018", "archive/2018/05", "archive/2019", "archive/2019/03",
                       "archive/2019/11", "archive/2019/12", "archive/2019/page/2", "archive/2020",
                       "archive/2020/01"]


def test_utc_dated_article_shows_its_shanghai_time(archive_site):
    utc = page(archive_site, "news/utc/")
    time = utc.find("p", "meta").find("time")
    assert time.attrs["datetime"] == "2019-12-01T04:00:00+08:00"
    assert time.text == "2019-12-01 04:00"
    assert meta(utc, property="article:published_time") == "2019-12-01T04:00:00+08:00"


# --- 3. feeds ---------------------------------------------------------------------------------------

def feed_articles() -> list[tuple[str, str, dt.datetime]]:
    """(file, title, Shanghai date): 22 in 人大要闻 (some in a subsection), 2 in 通知公告; not in date order."""
    rows = []
    start = dt.datetime(2018, 1, 1, 9, 30, tzinfo=SHANGHAI)
    for n in range(22):
        when = start + dt.timedelta(days=37 * ((n * 7) % 22), hours=n)
        folder = "news/sub" if n % 4 == 0 else "news"
        rows.append((f"{folder}/item-{n:02d}.md", f"要闻第{n:02d}号", when))
    rows.append(("notice/n1.md", "通知一", dt.datetime(2020, 6, 1, 8, 0, tzinfo=SHANGHAI)))
    rows.append(("notice/n2.md", "通知二", dt.datetime(2016, 6, 1, 8, 0, tzinfo=SHANGHAI)))
    return rows


def feed_files() -> dict[str, str]:
    files = sections(("news", "人大要闻", 1), ("news/sub", "代表风采", 1), ("notice", "通知公告", 2))
    for rel, title, when in feed_articles():
        files[f"content/{rel}"] = article(title, f"{when:%Y-%m-%d %H:%M:%S}", author="张三",
                                          summary=f"{title}的摘要")
    files["content/notice/later.md"] = article("定时发布的通知", "2030-01-01 09:00")
    files["content/news/draft.md"] = article("草稿文章", "2024-12-31 09:00", draft="true")
    return files


def expect_feed(parsed, rows, title: str, link: str, self_url: str):
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.title == title
    assert parsed.feed.link == link
    assert any(l.get("rel") == "self" and l["href"] == self_url for l in parsed.feed.links)
    newest = sorted(rows, key=lambda r: r[2], reverse=True)[:20]
    entries = parsed.entries
    assert [e.title for e in entries] == [t for _, t, _ in newest]
    for entry, (rel, _, when) in zip(entries, newest):
        assert entry.link == BASE + rel[: -len(".md")] + "/"
        assert entry.id == entry.link
        assert calendar.timegm(entry.published_parsed) == int(when.timestamp())
        assert entry.author == "张三"
    assert calendar.timegm(parsed.feed.updated_parsed) == int(newest[0][2].timestamp())


def test_site_feed_parses_with_newest_20_entries(make_site):
    output = build(make_site(feed_files()))
    rows = feed_articles()
    parsed = feedparser.parse((output / "feed.xml").read_bytes())
    expect_feed(parsed, rows, "测试人大常委会", BASE, BASE + "feed.xml")
    assert len(parsed.entries) == 20
    raw = (output / "feed.xml").read_text(encoding="utf-8")
    newest = max(when for *_, when in rows)
    assert f"<updated>{newest.isoformat()}</updated>" in raw.split("<entry>")[0]
    published = re.findall(r"<published>([^<]+)</published>", raw)
    assert len(published) == 20 and all(p.endswith("+08:00") for p in published), published
    assert "定时发布的通知" not in raw and "草稿文章" not in raw


def test_top_section_feeds_hold_their_section_and_subsections(make_site):
    output = build(make_site(feed_files()))
    rows = feed_articles()
    news = feedparser.parse((output / "news" / "feed.xml").read_bytes())
    expect_feed(news, [r for r in rows if r[0].startswith("news/")], "人大要闻 - 测试人大常委会",
                BASE + "news/", BASE + "news/feed.xml")
    assert len(news.entries) == 20
    assert any("/news/sub/" in e.link for e in news.entries)
    notice = feedparser.parse((output / "notice" / "feed.xml").read_bytes())
    expect_feed(notice, [r for r in rows if r[0].startswith("notice/")], "通知公告 - 测试人大常委会",
                BASE + "notice/", BASE + "notice/feed.xml")
    assert [e.title for e in notice.entries] == ["通知一", "通知二"]
    raw = (output / "notice" / "feed.xml").read_text(encoding="utf-8")
    assert "<updated>2020-06-01T08:00:00+08:00</updated>" in raw.split("<entry>")[0]
    assert not (output / "news" / "sub" / "feed.xml").exists()


def test_feeds_are_identical_on_different_days(make_site):
    site = make_site(feed_files())
    first = tree_bytes(build(site, now="2025-06-01T12:00:00+08:00"))
    second = tree_bytes(build(site, now="2026-03-15T08:00:00+08:00"))
    feeds = [rel for rel in first if rel.endswith("feed.xml")]
    assert sorted(feeds) == ["feed.xml", "news/feed.xml", "notice/feed.xml"]
    for rel in feeds:
        assert first[rel] == second[rel], rel
    assert first == second


def test_feed_content_is_escaped_html_not_child_elements(make_site):
    """RFC 4287 4.1.3.3: content type="html" holds escaped markup and MUST NOT contain child elements."""
    body = "第一段 A & B。\n\n![图片](/images/favicon.svg)\n\n第二行  \n换行\n\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n"
    output = build(make_site({**sections(("news", "人大要闻", 1)),
                              "content/news/a.md": article("有图片的文章", "2019-11-08 11:25", body=body)}))
    for rel in ("feed.xml", "news/feed.xml"):
        tree = ET.parse(output / rel)
        contents = tree.getroot().findall(f"{ATOM}entry/{ATOM}content")
        assert len(contents) == 1
        content = contents[0]
        assert content.get("type") == "html"
        assert list(content) == [], f"{rel}: <content type=\"html\"> has child elements instead of escaped HTML"
        assert '<img src="/images/favicon.svg" alt="图片"' in content.text
        parsed = feedparser.parse((output / rel).read_bytes())
        assert parsed.entries[0].content[0].type == "text/html"


def test_raw_html_article_keeps_the_feed_well_formed(make_site):
    yaml = SITE_YAML + "allow_html: true\n"
    body = "第一行<br>第二行\n\n<p>段落 &nbsp; 空格</p>\n"
    output = build(make_site({**sections(("news", "人大要闻", 1)),
                              "content/news/a.md": article("原始HTML文章", "2019-11-08 11:25", body=body)},
                             site_yaml=yaml))
    for rel in ("feed.xml", "news/feed.xml"):
        parsed = feedparser.parse((output / rel).read_bytes())
        assert not parsed.bozo, f"{rel}: {parsed.get('bozo_exception')}"
        assert [e.title for e in parsed.entries] == ["原始HTML文章"]


# --- 4. sitemap and robots.txt -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sitemap_site(tmp_path_factory):
    files = sections(("news", "人大要闻", 1), ("news/sub", "代表风采", 1), ("notice", "通知公告", 2))
    for n in range(5):
        files[f"content/news/n{n}.md"] = article(f"要闻{n}", f"2019-0{n + 1}-0{n + 1} 10:00", tags="[人大代表]")
    files["content/news/sub/s.md"] = article("代表风采文章", "2018-07-07 07:07:07", tags="[代表风采]",
                                             aliases="[/content/2018-07/07/content_1.htm, /old/fengcai/]")
    files["content/notice/t.md"] = article("通知", "2020-02-02", tags="[通知, 人大代表]")
    site = write_site(tmp_path_factory.mktemp("sitemap") / "site", files)
    return build(site)


def sitemap_entries(output: Path) -> dict[str, str | None]:
    root = ET.parse(output / "sitemap.xml").getroot()
    assert root.tag == f"{SITEMAP}urlset"
    entries = {}
    for url in root.findall(f"{SITEMAP}url"):
        loc = url.find(f"{SITEMAP}loc").text
        lastmod = url.find(f"{SITEMAP}lastmod")
        assert loc not in entries, f"{loc} listed twice"
        entries[loc] = lastmod.text if lastmod is not None else None
    return entries


def public_pages(output: Path) -> set[str]:
    """Every page file a search engine should know: not print views, redirects, search or 404."""
    found = set()
    for path in output.rglob("*.htm*"):
        rel = path.relative_to(output).as_posix()
        text = path.read_text(encoding="utf-8")
        if rel == "404.html" or rel.startswith("search/") or rel.endswith("/print/index.html") \
                or 'http-equiv="refresh"' in text:
            continue
        found.add(BASE + rel.removesuffix("index.html"))
    return found


def test_sitemap_lists_every_public_page_and_nothing_else(sitemap_site):
    entries = sitemap_entries(sitemap_site)
    expected = public_pages(sitemap_site)
    for must in ("", "news/", "news/page/2/", "news/sub/", "notice/", "news/n0/", "news/sub/s/", "notice/t/",
                 "tags/", f"tags/{tag_id('人大代表')}/", f"tags/{tag_id('人大代表')}/page/2/",
                 f"tags/{tag_id('通知')}/", "archive/", "archive/2019/", "archive/2019/page/2/",
                 "archive/2019/05/", "archive/2018/07/", "archive/2020/02/"):
        assert BASE + must in expected, must
    assert set(entries) == expected
    for loc in entries:
        assert "/print/" not in loc and "/search/" not in loc and not loc.endswith("404.html")
        assert "content_1.htm" not in loc and "/old/" not in loc


def test_sitemap_lastmod_of_an_article_is_its_date(sitemap_site):
    entries = sitemap_entries(sitemap_site)
    assert entries[BASE + "news/sub/s/"] == "2018-07-07T07:07:07+08:00"
    assert entries[BASE + "notice/t/"] == "2020-02-02T00:00:00+08:00"
    assert entries[BASE + "news/n2/"] == "2019-03-03T10:00:00+08:00"
    assert entries[BASE] == "2020-02-02T00:00:00+08:00"  # the newest article of the site
    for loc, lastmod in entries.items():
        assert lastmod is None or re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", lastmod), (loc, lastmod)


def test_robots_txt_points_to_the_absolute_sitemap(sitemap_site, make_site):
    robots = (sitemap_site / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in robots
    assert re.findall(r"(?m)^Sitemap: (\S+)$", robots) == [BASE + "sitemap.xml"]
    sub = build(make_site({**sections(("news", "人大要闻", 1)),
                           "content/news/a.md": article("文章", "2019-11-08")}),
                "--base-url", "https://example.github.io/repo/")
    robots = (sub / "robots.txt").read_text(encoding="utf-8")
    assert re.findall(r"(?m)^Sitemap: (\S+)$", robots) == ["https://example.github.io/repo/sitemap.xml"]
    assert all(loc.startswith("https://example.github.io/repo/") for loc in sitemap_entries(sub))


def test_print_views_are_noindex(sitemap_site):
    prints = sorted(sitemap_site.rglob("print/index.html"))
    assert len(prints) == 7
    for path in prints:
        assert meta(dom(path), name="robots") == "noindex", path
    assert not dom(sitemap_site / "news" / "n0" / "index.html").find_all("meta", name="robots")


# --- 5. aliases --------------------------------------------------------------------------------------

def alias_files(aliases_a: str | None = None, aliases_b: str | None = None) -> dict[str, str]:
    files = sections(("news", "人大要闻", 1))
    extra_a = {"aliases": aliases_a} if aliases_a else {}
    extra_b = {"aliases": aliases_b} if aliases_b else {}
    files["content/news/a.md"] = article("聚焦两个机关建设", "2019-11-08 11:25:53", **extra_a)
    files["content/news/b.md"] = article("代表视察", "2019-11-09 09:00", **extra_b)
    return files


def failed_build(site: Path, *args: str):
    """A build that must fail: exit 1, problems only (no traceback), output/ not written."""
    result = run_cli("build", "--no-search", "--site", str(site), "--now", NOW, *args)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert not (site / "output").exists()
    problems = [line for line in result.stderr.splitlines() if re.match(r"\S+:\d+:\d+: ", line)]
    return result, problems


def test_aliases_write_redirect_pages(make_site):
    output = build(make_site(alias_files("[/content/2019-11/08/content_12345.htm, /old/page/]")))
    for rel in ("content/2019-11/08/content_12345.htm", "old/page/index.html"):
        redirect = dom(output / rel)
        refresh = meta(redirect, http_equiv="refresh")
        assert re.fullmatch(r"0; ?url=(\S+)", refresh), refresh
        target = refresh.split("url=", 1)[1]
        assert urljoin(BASE + rel, target) == BASE + "news/a/"
        assert redirect.find("link", rel="canonical").attrs["href"] == BASE + "news/a/"
        visible = [a for a in redirect.find("body").find_all("a")]
        assert [urljoin(BASE + rel, a.attrs["href"]) for a in visible] == [BASE + "news/a/"]
        assert visible[0].text == "聚焦两个机关建设"
        assert meta(redirect, name="robots") == "noindex"
    assert (output / "news" / "a" / "index.html").read_text(encoding="utf-8").count('http-equiv="refresh"') == 0


def test_aliases_redirect_over_http(make_site):
    output = build(make_site(alias_files("[/content/2019-11/08/content_12345.htm, /old/page/]")))
    with http_server(output) as base:
        for url in ("content/2019-11/08/content_12345.htm", "old/page/"):
            status, body = fetch(base + url)
            assert status == 200
            target = meta(dom(body), http_equiv="refresh").split("url=", 1)[1]
            status, body = fetch(urljoin(base + url, target))
            assert status == 200
            assert dom(body).find("h1").text == "聚焦两个机关建设"


def test_alias_colliding_with_another_articles_alias_fails(make_site):
    site = make_site(alias_files("[/old/x.htm]", "[/old/x.htm]"))
    _, problems = failed_build(site)
    assert problems == ["content/news/b.md:1:1: 旧地址（alias）/old/x.htm 已被 content/news/a.md 的旧地址（alias） 使用；"
                        "请修改或删掉这个旧地址"]


def test_alias_colliding_with_a_section_page_fails(make_site):
    site = make_site(alias_files("[/news/]"))
    _, problems = failed_build(site)
    assert problems == ["content/news/a.md:1:1: 旧地址（alias）/news/ 已被 content/news/_index.md 使用；请修改或删掉这个旧地址"]


@pytest.mark.parametrize("holder", ["a", "b"])
def test_alias_colliding_with_another_articles_page_blames_the_alias(make_site, holder):
    """The problem sits in the file that holds the alias and says it is a redirect, whichever file sorts first."""
    other = "b" if holder == "a" else "a"
    site = make_site(alias_files(**{f"aliases_{holder}": f"[/news/{other}/]"}))
    _, problems = failed_build(site)
    assert len(problems) == 1, problems
    assert problems[0] == (f"content/news/{holder}.md:1:1: 旧地址（alias）/news/{other}/ 已被 content/news/{other}.md 使用；"
                           "请修改或删掉这个旧地址")


@pytest.mark.parametrize("alias", ["/news/a/", "/news/a/print/"])
def test_alias_over_its_own_article_fails(make_site, alias):
    """Otherwise the redirect replaces the article (or its print view) and points at itself."""
    site = make_site(alias_files(f"[{alias}]"))
    _, problems = failed_build(site)
    assert len(problems) == 1, problems
    assert problems[0].startswith("content/news/a.md:") and alias in problems[0], problems


@pytest.mark.parametrize("command", ["build", "check"])
def test_alias_on_the_folder_of_another_page_is_a_problem_not_a_crash(make_site, command):
    """'/news/b' (no slash) would be a file where news/b/ must be a folder."""
    site = make_site(alias_files("[/news/b]"))
    result = run_cli(command, "--no-search", "--site", str(site), "--now", NOW) if command == "build" \
        else run_cli(command, "--site", str(site), "--now", NOW)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    problems = [line for line in result.stderr.splitlines() if re.match(r"\S+:\d+:\d+: ", line)]
    assert len(problems) == 1, result.stderr
    assert "/news/b" in problems[0] and "content/news/a.md" in problems[0] and "content/news/b.md" in problems[0]
    assert not (site / "output").exists()


# --- 6. drafts and scheduled articles ---------------------------------------------------------------

def scheduled_files() -> dict[str, str]:
    files = sections(("news", "人大要闻", 1))
    files["content/news/published.md"] = article("已发布文章", "2020-01-01 09:00", tags="[公开]")
    files["content/news/draft.md"] = article("草稿文章", "2020-02-01 09:00", draft="true", tags="[草稿标签]")
    files["content/news/later.md"] = article("定时文章", "2030-01-01 09:00", tags="[定时标签]")
    files["content/news/exact.md"] = article("正点文章", "2025-06-01 12:00")
    return files


DRAFT_LINE = "未发布：content/news/draft.md：草稿（加 --drafts 可以包括草稿）"
LATER_LINE = "未发布：content/news/later.md：日期 2030-01-01 09:00 晚于现在（定时发布；加 --future 可以包括）"


def published(output: Path) -> set[str]:
    return {p.parent.name for p in (output / "news").glob("*/index.html")} - {"page"}


def run_build(site: Path, *args: str, env: dict | None = None):
    result = run_cli("build", "--no-search", "--site", str(site), *args, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.mark.parametrize("flags, shown, left_out", [
    ((), {"published", "exact"}, [DRAFT_LINE, LATER_LINE]),
    (("--drafts",), {"published", "exact", "draft"}, [LATER_LINE]),
    (("--future",), {"published", "exact", "later"}, [DRAFT_LINE]),
    (("--drafts", "--future"), {"published", "exact", "draft", "later"}, []),
])
def test_drafts_and_future_articles_are_left_out_unless_asked(make_site, flags, shown, left_out):
    site = make_site(scheduled_files())
    result = run_build(site, "--now", "2025-06-01 12:00:00+08:00", *flags)
    output = site / "output"
    assert published(output) == shown
    assert [line for line in result.stderr.splitlines() if line.startswith("未发布：")] == left_out
    listed = titles(page(output, "news/"))
    if (output / "news/page/2").exists():
        listed += titles(page(output, "news/page/2/"))
    feed = (output / "feed.xml").read_text(encoding="utf-8")
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    tags = page(output, "tags/").find("ul", "tag-cloud").text
    for slug, title, tag, year in (("draft", "草稿文章", "草稿标签", None), ("later", "定时文章", "定时标签", "2030")):
        present = slug in shown
        assert (title in listed) == present
        assert (title in feed) == present
        assert (f"/news/{slug}/" in sitemap) == present
        assert (tag in tags) == present
        assert (output / "tags" / tag_id(tag)).exists() == present
        if year:
            assert (output / "archive" / year).exists() == present


@pytest.mark.parametrize("epoch_date, included", [("2031-01-01T00:00:00+08:00", True),
                                                  ("2025-06-01T12:00:00+08:00", False)])
def test_source_date_epoch_decides_now_without_now_option(make_site, epoch_date, included):
    epoch = int(dt.datetime.fromisoformat(epoch_date).timestamp())
    site = make_site(scheduled_files())
    result = run_build(site, env={"SOURCE_DATE_EPOCH": str(epoch)})
    assert ("later" in published(site / "output")) is included
    assert (LATER_LINE in result.stderr.splitlines()) is not included
    assert DRAFT_LINE in result.stderr.splitlines()


def test_now_option_wins_over_source_date_epoch(make_site):
    site = make_site(scheduled_files())
    epoch = int(dt.datetime(2031, 1, 1, tzinfo=SHANGHAI).timestamp())
    result = run_build(site, "--now", "2025-06-01T12:00:00+08:00", env={"SOURCE_DATE_EPOCH": str(epoch)})
    assert "later" not in published(site / "output")
    assert LATER_LINE in result.stderr.splitlines()


def test_article_dated_a_minute_after_now_is_scheduled(make_site):
    site = make_site({**sections(("news", "人大要闻", 1)),
                      "content/news/soon.md": article("一分钟后", "2025-06-01 12:01"),
                      "content/news/now.md": article("正点", "2025-06-01 12:00")})
    result = run_build(site, "--now", "2025-06-01T12:00:00+08:00")
    assert published(site / "output") == {"now"}
    assert "未发布：content/news/soon.md：日期 2025-06-01 12:01 晚于现在（定时发布；加 --future 可以包括）" \
        in result.stderr.splitlines()
    english = run_build(site, "--now", "2025-06-01T12:00:00+08:00", "--lang", "en")
    assert "left out: content/news/soon.md: dated 2025-06-01 12:01, after now (use --future to include it)" \
        in english.stderr.splitlines()


def test_now_without_an_offset_is_in_the_site_time_zone(make_site):
    """Like every date an editor writes (and the 'dated ...' in the message), '--now 2025-06-01 12:00' is noon
    in Asia/Shanghai, not noon UTC (which would be 20:00 in Shanghai)."""
    site = make_site({**sections(("news", "人大要闻", 1)),
                      "content/news/morning.md": article("上午文章", "2025-06-01 11:00"),
                      "content/news/afternoon.md": article("下午文章", "2025-06-01 15:00")})
    result = run_build(site, "--now", "2025-06-01 12:00")
    assert published(site / "output") == {"morning"}
    assert "未发布：content/news/afternoon.md：日期 2025-06-01 15:00 晚于现在（定时发布；加 --future 可以包括）" \
        in result.stderr.splitlines()


# --- 7. pinned articles ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pinned_site(tmp_path_factory):
    files = sections(("news", "人大要闻", 1), ("news/sub", "代表风采", 1), ("notice", "通知公告", 2))
    for n, day in enumerate(["2024-05-01", "2024-04-01", "2024-03-01", "2024-02-01"]):
        files[f"content/news/n{n}.md"] = article(f"要闻{n}", day)
    files["content/news/sub/old.md"] = article("置顶的旧文章", "2010-01-01 08:00", pinned="true")
    files["content/news/sub/recent.md"] = article("风采新文章", "2024-06-01")
    files["content/notice/pin.md"] = article("置顶通知", "2012-01-01", pinned="true")
    files["content/notice/newest.md"] = article("最新通知", "2024-07-01")
    site = write_site(tmp_path_factory.mktemp("pinned") / "site", files)
    return build(site)


def test_pinned_article_comes_first_in_its_section_and_parent(pinned_site):
    sub = list_entries(page(pinned_site, "news/sub/"))
    assert sub == [("置顶的旧文章", "/news/sub/old/", "2010-01-01", True),
                   ("风采新文章", "/news/sub/recent/", "2024-06-01", False)]
    parent = list_entries(page(pinned_site, "news/")) + list_entries(page(pinned_site, "news/page/2/"))
    assert [(t, pin) for t, _, _, pin in parent] == [
        ("置顶的旧文章", True), ("风采新文章", False), ("要闻0", False),
        ("要闻1", False), ("要闻2", False), ("要闻3", False)]
    notice = list_entries(page(pinned_site, "notice/"))
    assert [(t, pin) for t, _, _, pin in notice] == [("置顶通知", True), ("最新通知", False)]
    li = page(pinned_site, "news/").find("ul", "article-list").find_all("li")[0]
    assert "pinned" in li.attrs["class"].split() and li.find("span", "pin").text == "置顶"


def test_pinned_articles_come_first_on_the_home_page(pinned_site):
    home = page(pinned_site, "")
    latest = list_entries(home.find("section", "home-latest"))
    assert [(t, pin) for t, _, _, pin in latest[:4]] == [
        ("置顶通知", True), ("置顶的旧文章", True), ("最新通知", False), ("风采新文章", False)]
    assert sum(pin for *_, pin in latest) == 2
    blocks = {b.find("h2").find("a").text: list_entries(b) for b in home.find_all("section", "home-block")}
    assert blocks["人大要闻"][0] == ("置顶的旧文章", "/news/sub/old/", "2010-01-01", True)
    assert blocks["通知公告"][0] == ("置顶通知", "/notice/pin/", "2012-01-01", True)
    assert [pin for *_, pin in blocks["人大要闻"][1:]] == [False] * (len(blocks["人大要闻"]) - 1)


def test_pinned_article_keeps_its_date_order_in_archives_and_feeds(pinned_site):
    assert titles(page(pinned_site, "archive/2010/")) == ["置顶的旧文章"]
    parsed = feedparser.parse((pinned_site / "feed.xml").read_bytes())
    assert [e.title for e in parsed.entries][-2:] == ["置顶通知", "置顶的旧文章"]


# --- 8. metadata -------------------------------------------------------------------------------------

PHRASE = "县人大常委会依法履职监督保障民生实事项目落实推动高质量发展"
LONG_BODY = "".join(PHRASE[i % len(PHRASE)] for i in range(3000))


@pytest.fixture(scope="module")
def meta_site(tmp_path_factory):
    files = sections(("news", "人大要闻", 1), ("news/sub", "代表风采", 1))
    files["content/news/a.md"] = article("聚焦“两个机关”建设", "2019-11-08 11:25:53", author="朱季林",
                                         summary="一两句话的摘要", subtitle="——眉县人大的探索与实践",
                                         tags="[两个机关, 人大代表]", aliases="[/old/a/]")
    files["content/news/long.md"] = article("长篇文章", "2019-11-09 08:00", body=LONG_BODY)
    files["content/news/sub/quote.md"] = article("""'人大"代表"</script><b>座谈</b> & 交流'""", "2019-11-10 08:00",
                                                 author="李四")
    site = write_site(tmp_path_factory.mktemp("meta") / "site", files)
    return build(site)


def test_every_html_page_has_one_absolute_canonical_link(meta_site):
    pages = sorted(p for p in meta_site.rglob("*.htm*"))
    assert len(pages) >= 18
    for path in pages:
        rel = path.relative_to(meta_site).as_posix()
        links = [l for l in dom(path).find_all("link") if l.attrs.get("rel") == "canonical"]
        assert len(links) == 1, rel
        href = links[0].attrs["href"]
        assert href.startswith(BASE), (rel, href)
        if rel.endswith("print/index.html"):
            assert href == BASE + rel.removesuffix("print/index.html"), rel
        elif rel == "old/a/index.html":
            assert href == BASE + "news/a/"
        elif rel.endswith("index.html"):
            assert href == BASE + rel.removesuffix("index.html"), rel


def test_article_open_graph_and_published_time(meta_site):
    doc = page(meta_site, "news/a/")
    assert meta(doc, property="og:type") == "article"
    assert meta(doc, property="og:title") == "聚焦“两个机关”建设"
    assert meta(doc, property="og:description") == "一两句话的摘要"
    assert meta(doc, name="description") == "一两句话的摘要"
    assert meta(doc, property="og:url") == BASE + "news/a/"
    assert meta(doc, property="article:published_time") == "2019-11-08T11:25:53+08:00"
    assert [m.attrs["content"] for m in doc.find_all("meta", property="article:tag")] == ["两个机关", "人大代表"]
    listing = page(meta_site, "news/")
    assert meta(listing, property="og:type") == "website"


def jsonld(doc: Node) -> dict:
    scripts = doc.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    return json.loads(scripts[0].text)


def test_article_json_ld_news_article(meta_site):
    data = jsonld(page(meta_site, "news/a/"))
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == "聚焦“两个机关”建设"
    assert data["datePublished"] == "2019-11-08T11:25:53+08:00"
    assert dt.datetime.fromisoformat(data["datePublished"]) == dt.datetime(2019, 11, 8, 3, 25, 53,
                                                                          tzinfo=dt.timezone.utc)
    assert data["author"]["name"] == "朱季林"
    assert data["publisher"]["@type"] == "Organization" and data["publisher"]["name"] == "测试人大常委会"
    assert data["mainEntityOfPage"] == BASE + "news/a/"
    assert data["description"] == "一两句话的摘要"


def test_markup_in_a_title_stays_text_in_metadata(meta_site):
    title = '人大"代表"</script><b>座谈</b> & 交流'
    doc = page(meta_site, "news/sub/quote/")
    assert meta(doc, property="og:title") == title
    assert doc.find("h1").text == title and not doc.find("h1").find_all("b")
    data = jsonld(doc)
    assert data["headline"] == title and data["author"]["name"] == "李四"
    raw = (meta_site / "news/sub/quote/index.html").read_text(encoding="utf-8")
    assert raw.count("</script>") == raw.count("<script")


def test_long_article_description_is_about_120_characters(meta_site):
    doc = page(meta_site, "news/long/")
    for description in (meta(doc, name="description"), meta(doc, property="og:description"),
                        jsonld(doc)["description"]):
        assert 100 <= len(description) <= 122, len(description)
        assert description != LONG_BODY
        assert LONG_BODY.startswith(description.rstrip("…")), description
    parsed = feedparser.parse((meta_site / "feed.xml").read_bytes())
    summary = next(e.summary for e in parsed.entries if e.title == "长篇文章")
    assert len(summary) <= 122
