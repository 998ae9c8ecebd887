"""Every URL family, from one module: site-relative URLs, their files, and links under a base path."""

from __future__ import annotations

from sitegen import urls


def test_families():
    assert urls.home() == ""
    assert urls.section("daibiao-gongzuo/lvzhi-dongtai") == "daibiao-gongzuo/lvzhi-dongtai/"
    assert urls.article("renda-yaowen", "huiyi") == "renda-yaowen/huiyi/"
    assert urls.print_view("renda-yaowen", "huiyi") == "renda-yaowen/huiyi/print/"
    assert urls.tag("两个机关") == f"tags/{urls.tag_id('两个机关')}/" and urls.tags() == "tags/"
    assert urls.archive() == "archive/" and urls.year("2019") == "archive/2019/"
    assert urls.month("2019/11") == "archive/2019/11/"
    assert urls.feed() == "feed.xml" and urls.feed("renda-yaowen") == "renda-yaowen/feed.xml"
    assert urls.search() == "search/"
    assert urls.alias("/content/2019-11/08/content_1.htm") == "content/2019-11/08/content_1.htm"


def test_pages_of_a_list():
    assert urls.list_page("news/", 1) == "news/"
    assert urls.list_page("news/", 3) == "news/page/3/"
    assert urls.list_page("", 2) == "page/2/"


def test_files_and_back():
    for url, out in [("", "index.html"), ("a/b/", "a/b/index.html"), ("feed.xml", "feed.xml"),
                     ("old/a.htm", "old/a.htm")]:
        assert urls.out_file(url) == out
        assert urls.url_of(out) == url


def test_links_under_a_base_path():
    assert urls.href("/", "news/") == "/news/"
    assert urls.href("/repo/", "news/") == "/repo/news/"
    assert urls.absolute("https://example.github.io/repo/", "news/") == "https://example.github.io/repo/news/"


def test_tag_ids_are_stable_ascii():
    assert urls.tag_id("会议") == urls.tag_id("会议") != urls.tag_id("监督")
    assert urls.tag_id("会议").isascii() and len(urls.tag_id("会议")) == 10
