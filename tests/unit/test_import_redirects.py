"""Old addresses with a query string: accepted as aliases, no redirect page of their own, one redirects.json."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

from sitegen.markdown import make_markdown
from sitegen.model import Article, Section
from sitegen.pages import plan_pages as plan_with_problems
from sitegen.parse import ParseOptions, parse_source
from sitegen.site import assemble
from sitegen.sources import SourceFile

ZONE = ZoneInfo("Asia/Shanghai")


def plan_pages(site, per_page):
    pages, problems = plan_with_problems(site, per_page)
    assert problems == ()
    return pages


def parsed(aliases: str):
    text = f"---\ntitle: t\ndate: 2019-11-08\naliases: {aliases}\n---\n\n正文。\n"
    return parse_source(SourceFile("news/a.md", "content/news/a.md", text), ParseOptions("Asia/Shanghai", "/", False),
                        make_markdown(False))


def test_an_alias_may_carry_a_query_string_but_no_fragment():
    assert parsed("['/show.asp?id=77', '/a/b.htm']").article.aliases == ("/show.asp?id=77", "/a/b.htm")
    assert [str(p) for p in parsed("['/show.asp?id=77#top']").problems] == [
        "content/news/a.md:4:10: 旧地址“/show.asp?id=77#top”必须是本站以“/”开头的路径，例如 /content/2019-11/08/content_12345.htm"]
    assert parsed("['show.asp?id=77']").problems


def site_with(*aliases: str):
    article = Article(id="news/a.md", path="content/news/a.md", section="news", slug="a", title="t",
                      date=dt.datetime(2020, 1, 1, tzinfo=ZONE), body_html="", summary="", aliases=aliases)
    sections = {"": Section("", "content/_index.md", "home"), "news": Section("news", "content/news/_index.md", "新闻")}
    return assemble(sections, [article])


def test_query_aliases_get_no_page_and_one_redirect_map():
    pages = plan_pages(site_with("/show.asp?id=77", "/old/a.htm"), 10)
    assert [p.out for p in pages if p.kind == "alias"] == ["old/a.htm"]
    assert [p.out for p in pages if p.kind == "redirects"] == ["redirects.json"]
    assert [p.out for p in plan_pages(site_with("/old/a.htm"), 10) if p.kind == "redirects"] == ["redirects.json"]


def test_the_redirect_map_holds_normalised_keys_and_base_path_urls(tmp_path):
    from sitegen.config import load_config
    from sitegen.kinds import BY_NAME, lookups
    from sitegen.render import Renderer, page_links, make_environment
    from helpers import REPO
    (tmp_path / "site.yaml").write_text("title: t\nbase_url: https://example.org/repo/\n", encoding="utf-8")
    config = load_config(tmp_path / "site.yaml")
    site = site_with("/Show.asp?ID=77&", "/x.jsp?b=2&a=1", "/news/a.jsp", "/old/a.htm")
    pages = plan_pages(site, 10)
    page = next(p for p in pages if p.kind == "redirects")
    inputs = BY_NAME["redirects"].inputs(site, page, lookups(site, pages), page_links(config))
    text = Renderer(config, site, make_environment(REPO / "layouts")).render(page, inputs)
    assert json.loads(text) == {"/show.asp?id=77": "/repo/news/a/", "/x.jsp?a=1&b=2": "/repo/news/a/",
                                "/news/a.jsp": "/repo/news/a/"}


def test_plain_aliases_that_cannot_be_html_pages_go_through_the_404_page_too():
    from sitegen.redirects import redirected_by_404
    assert [redirected_by_404(a) for a in ("/show.asp?id=7", "/news/article.jsp", "/a.php", "/a/b.htm", "/a/b.shtml",
                                           "/a/", "/a/b")] == [True, True, True, False, False, False, False]
    pages = plan_pages(site_with("/news/article.jsp"), 10)
    assert not [p for p in pages if p.kind == "alias"] and [p.out for p in pages if p.kind == "redirects"]


def test_a_sections_aliases_redirect_old_list_pages_to_it():
    source = SourceFile("news/_index.md", "content/news/_index.md",
                        "---\ntitle: 新闻\naliases: ['/list.asp?classid=3', '/news/index.htm']\n---\n")
    section = parse_source(source, ParseOptions("Asia/Shanghai", "/", False), make_markdown(False)).section
    assert section.aliases == ("/list.asp?classid=3", "/news/index.htm")
    bad = SourceFile("news/_index.md", "content/news/_index.md", "---\ntitle: 新闻\naliases: ['list.asp']\n---\n")
    assert [str(p) for p in parse_source(bad, ParseOptions("Asia/Shanghai", "/", False),
                                         make_markdown(False)).problems] == [
        "content/news/_index.md:3:10: 旧地址“list.asp”必须是本站以“/”开头的路径，例如 "
        "/content/2019-11/08/content_12345.htm"]
    article = Article(id="news/a.md", path="content/news/a.md", section="news", slug="a", title="t",
                      date=dt.datetime(2020, 1, 1, tzinfo=ZONE), body_html="", summary="", aliases=("/show.asp?id=1",))
    site = assemble({"": Section("", "content/_index.md", "home"), "news": section}, [article])
    pages = plan_pages(site, 10)
    assert [(p.out, p.owner, p.key) for p in pages if p.kind == "alias"] == [
        ("news/index.htm", "content/news/_index.md", "news")]
    from sitegen.kinds import BY_NAME, lookups
    from sitegen.redirects import inputs
    assert inputs(site, None, None, None) == (("/list.asp?classid=3", "news/"), ("/show.asp?id=1", "news/a/"))
    alias = next(p for p in pages if p.kind == "alias")
    assert BY_NAME["alias"].inputs(site, alias, lookups(site, pages), None) == ("新闻", "news/", True)
    assert BY_NAME["alias"].articles(site, alias) == ()
