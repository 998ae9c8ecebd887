"""The registry of page kinds: one entry per kind, each with its template, planner, inputs and view."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from helpers import REPO
from sitegen import kinds
from sitegen.keys import page_keys
from sitegen.model import Article, Section, Standalone
from sitegen.site import assemble
from sitegen.views import PageLinks

ZONE = ZoneInfo("Asia/Shanghai")
LINKS = PageLinks("/", "https://example.org/", "测试", "zh-CN", 2, 3)


def tiny_site():
    sections = {"": Section("", "content/_index.md", "首页"), "news": Section("news", "content/news/_index.md", "要闻")}
    articles = [Article(id=f"news/a{n}.md", path=f"content/news/a{n}.md", section="news", slug=f"a{n}", title=f"第{n}篇",
                        date=dt.datetime(2020, 1, n + 1, 9, tzinfo=ZONE), body_html="<p>正文</p>", summary="正文",
                        tags=("代表",), aliases=(f"/old/{n}.htm",), digest=f"d{n}") for n in range(5)]
    standalones = (Standalone(id="jigou.md", path="content/jigou.md", folder="", slug="jigou", title="机构设置",
                              layout="page", layout_at=(3, 9), body_html="<p>办公室</p>", menu="main", digest="p1"),)
    return assemble(sections, articles, standalones)


def test_every_kind_has_one_entry_and_a_template_in_layouts():
    names = [kind.name for kind in kinds.KINDS]
    assert len(names) == len(set(names))
    for kind in kinds.KINDS:
        if kind.template:
            assert (REPO / "layouts" / kind.template).is_file(), kind.template
    assert kinds.BY_NAME["standalone"].template_of(next(kinds.BY_NAME["standalone"].plan(tiny_site(), 2))) == \
        "page.html"


def test_every_kind_plans_pages_of_its_own_name():
    site = tiny_site()
    for kind in kinds.KINDS:
        pages = list(kind.plan(site, 2))
        assert pages, kind.name
        assert {p.kind for p in pages} == {kind.name}


def test_views_depend_on_their_inputs_only():
    """The same inputs give the same context, and the key changes exactly when the inputs do."""
    site = tiny_site()
    pages = [p for kind in kinds.KINDS for p in kind.plan(site, 2)]
    lookups = kinds.lookups(site, pages)
    inputs = [kinds.BY_NAME[p.kind].inputs(site, p, lookups, LINKS) for p in pages]
    for page, value in zip(pages, inputs):
        view = kinds.BY_NAME[page.kind].view
        assert view(value, LINKS) == view(value, LINKS), page.out
    first = page_keys(lambda page: b"epoch", pages, inputs)
    assert first == page_keys(lambda page: b"epoch", pages, inputs)
    assert len(set(first)) == len(first)
    assert page_keys(lambda page: b"other epoch", pages[:1], inputs[:1]) != first[:1]


def test_sitemap_lists_exactly_the_kinds_marked_for_it():
    site = tiny_site()
    pages = [p for kind in kinds.KINDS for p in kind.plan(site, 2)]
    listed = {url for url, _ in kinds.lookups(site, pages).sitemap}
    assert listed == {p.url for p in pages if kinds.BY_NAME[p.kind].sitemap}
    assert not any(p.kind in ("print", "alias", "search", "notfound") for p in pages if p.url in listed)
    assert {kind.name for kind in kinds.KINDS if kind.searchable} == {"article", "standalone"}
