"""plan_pages: every output path of a site, list pagination, and clashes reported with both files named."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sitegen.messages import language_named
from sitegen.model import Article, Section
from sitegen.pages import Page, alias_out, list_page_out, plan_pages, tag_folder, tag_id
from sitegen.site import assemble

ENGLISH = language_named("en")

ZONE = ZoneInfo("Asia/Shanghai")


def sec(key: str, title: str = "") -> Section:
    return Section(key=key, path=f"content/{key}/_index.md" if key else "content/_index.md", title=title or key)


def art(section: str, slug: str, day: int = 1, month: int = 1, name: str = "", **extra) -> Article:
    name = name or slug
    return Article(id=f"{section}/{name}.md", path=f"content/{section}/{name}.md", section=section, slug=slug,
                   title=slug, date=dt.datetime(2020, month, day, 9, tzinfo=ZONE), body_html="", summary="", **extra)


def site_of(keys, articles):
    return assemble({k: sec(k) for k in ("", *keys)}, list(articles))


def outs(pages, kind=None) -> list[str]:
    return [p.out for p in pages if kind is None or p.kind == kind]


def plan(site, per_page):
    pages, problems = plan_pages(site, per_page)
    assert problems == ()
    return pages


def clash(keys, articles, assets=(), language=None) -> list[str]:
    """The clashes' problems, in Chinese (or `language`)."""
    pages, problems = plan_pages(site_of(keys, articles), 10, assets)
    assert problems, "a clash must be a problem"
    return [p.said(language) for p in sorted(problems)]


def test_list_page_paths():
    assert list_page_out("news", 1) == "news/index.html"
    assert list_page_out("news", 2) == "news/page/2/index.html"
    assert list_page_out("a/b", 10) == "a/b/page/10/index.html"
    assert list_page_out("", 1) == "index.html"
    assert list_page_out("", 3) == "page/3/index.html"


def test_page_url():
    assert Page("section", "a/b/page/2/index.html", "x").url == "a/b/page/2/"
    assert Page("home", "index.html", "x").url == ""
    assert Page("feed", "feed.xml", "x").url == "feed.xml"


def test_section_pagination():
    site = site_of(["news", "work", "work/sub"], [art("news", f"n{i}", day=i + 1) for i in range(7)]
                   + [art("work/sub", "s1")])
    pages = plan(site, 3)
    news = [p for p in pages if p.kind == "section" and p.key == "news"]
    assert [(p.out, p.number, p.count, p.folder) for p in news] == [
        ("news/index.html", 1, 3, "news/"), ("news/page/2/index.html", 2, 3, "news/"),
        ("news/page/3/index.html", 3, 3, "news/")]
    assert [(p.out, p.count) for p in pages if p.kind == "section" and p.key.startswith("work")] == [
        ("work/index.html", 1), ("work/sub/index.html", 1)]  # 'work' lists its subsection's article


def test_exact_multiple_and_empty_sections():
    site = site_of(["news", "empty"], [art("news", f"n{i}", day=i + 1) for i in range(6)])
    pages = plan(site, 3)
    assert outs([p for p in pages if p.key == "news" and p.kind == "section"]) == [
        "news/index.html", "news/page/2/index.html"]
    assert [(p.out, p.count) for p in pages if p.key == "empty" and p.kind == "section"] == [("empty/index.html", 1)]


def test_article_print_and_fixed_pages():
    site = site_of(["news"], [art("news", "huiyi", tags=("会议",), aliases=("/content/2020-01/01/c_1.htm",
                                                                           "/old/news/"))])
    pages = plan(site, 10)
    assert outs(pages, "article") == ["news/huiyi/index.html"]
    assert outs(pages, "print") == ["news/huiyi/print/index.html"]
    assert outs(pages, "alias") == ["content/2020-01/01/c_1.htm", "old/news/index.html"]
    for out in ("index.html", "404.html", "search/index.html", "feed.xml", "news/feed.xml", "sitemap.xml",
                "robots.txt", "tags/index.html", f"tags/{tag_id('会议')}/index.html", "archive/index.html",
                "archive/2020/index.html", "archive/2020/01/index.html"):
        assert out in outs(pages), out
    assert len(outs(pages)) == len(set(outs(pages)))
    owners = {p.out: p.owner for p in pages}
    assert owners["news/huiyi/index.html"] == owners["old/news/index.html"] == "content/news/huiyi.md"
    assert owners["news/index.html"] == "content/news/_index.md"


def test_tag_ids_are_stable_ascii():
    assert tag_id("会议") == tag_id("会议") != tag_id("监督")
    assert tag_id("会议").isascii() and len(tag_id("会议")) == 10
    assert tag_folder("会议") == f"tags/{tag_id('会议')}"


def test_alias_out():
    assert alias_out("/content/2019-11/08/content_12345.htm") == "content/2019-11/08/content_12345.htm"
    assert alias_out("/old/") == "old/index.html"


def test_plan_is_deterministic():
    articles = [art("news", f"n{i}", day=1 + i % 20, tags=(f"t{i % 3}",)) for i in range(40)]
    assert plan(site_of(["news"], articles), 7) == plan(site_of(["news"], reversed(articles)), 7)


# --- collisions -------------------------------------------------------------------------------------

def test_two_articles_with_one_url_is_one_problem_naming_both():
    articles = [art("news", "huiyi", name="huiyi"), art("news", "huiyi", day=2, name="copy")]
    assert clash(["news"], articles) == [
        "content/news/huiyi.md:1:1: 网址 /news/huiyi/ 和 content/news/copy.md 重复；请给其中一篇换一个 slug:（或文件名）"]
    assert clash(["news"], articles, language=ENGLISH) == [
        "content/news/huiyi.md:1:1: URL /news/huiyi/ is also produced by content/news/copy.md; give one of them "
        "another slug: (or file name)"]


def test_article_over_a_subsection_page():
    problems = clash(["news", "news/meetings"], [art("news", "meetings")])
    assert problems == ["content/news/meetings/_index.md:1:1: 网址 /news/meetings/ 和 content/news/meetings.md 重复；"
                        "请给文件夹改名"]


def test_every_clash_is_reported():
    problems = clash(["a", "b"], [art("a", "x", name="x"), art("a", "x", name="y"),
                                  art("b", "z", name="z"), art("b", "z", name="w")])
    assert [p.split(":")[0] for p in problems] == ["content/a/y.md", "content/b/z.md"]


def test_asset_clash_names_the_asset():
    problems = clash(["news"], [art("news", "huiyi")], assets=("news/huiyi/index.html", "css/site.css"))
    assert problems == ["content/news/huiyi.md:1:1: 网址 /news/huiyi/ 和 assets/news/huiyi/index.html 重复；"
                        "请给其中一篇换一个 slug:（或文件名）"]


def test_alias_over_another_article():
    problems = clash(["news"], [art("news", "a"), art("news", "b", aliases=("/news/a/",))])
    assert problems == ["content/news/b.md:1:1: 旧地址（alias）/news/a/ 已被 content/news/a.md 使用；请修改或删掉这个旧地址"]


def test_alias_over_its_own_article_is_a_problem():
    """A redirect written over the article it redirects to would replace the article with a loop."""
    problems = clash(["news"], [art("news", "a", aliases=("/news/a/",))])
    assert problems == ["content/news/a.md:1:1: 旧地址（alias）/news/a/ 就是这篇文章自己的网址；请从“aliases:”中删掉它"]
    assert clash(["news"], [art("news", "a", aliases=("/news/a/",))], language=ENGLISH) == [
        "content/news/a.md:1:1: redirect (alias) /news/a/ is this article's own page; remove it from 'aliases:'"]


@pytest.mark.parametrize("folder, page", [("archive", "归档页"), ("tags", "标签列表页"), ("search", "搜索页")])
def test_section_folder_over_a_generated_page_does_not_blame_the_home_page(folder, page):
    """content/<folder>/ clashes with the generated /<folder>/ page: content/_index.md is not the cause."""
    problems = clash([folder], [art(folder, "x")])
    assert problems == [f"content/{folder}/_index.md:1:1: 网址 /{folder}/ 和 {page} 重复；请给文件夹改名"]

