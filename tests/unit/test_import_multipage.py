"""Articles over several pages: later pages told by their address, joined to the first in order; foot date lines."""

from __future__ import annotations

from pathlib import Path

from sitegen.importer.discover import SavedFile
from sitegen.importer.extract import Extracted, extract_text
from sitegen.importer.fields import Meta
from sitegen.importer.multipage import join_pages, page_of
from sitegen.importer.run import PageOutcome


def test_later_pages_are_told_by_their_address():
    assert page_of("/show.asp?id=80&page=2") == ("/show.asp?id=80", 2)
    assert page_of("/Article/ShowArticle.asp?ArticleID=5&ArticlePage=3") == ("/article/showarticle.asp?articleid=5", 3)
    assert page_of("/show.asp?page=1&id=80") == ("/show.asp?id=80&page=1", 0)  # page 1 is the first page again
    assert page_of("/content/2019-12/02/content_12400_2.htm") == ("/content/2019-12/02/content_12400.htm", 2)
    assert page_of("/news/201911/t20191108_55_1.html") == ("/news/201911/t20191108_55.html", 1)
    assert page_of("/content/2019-12/02/content_12400.htm") == ("/content/2019-12/02/content_12400.htm", 0)
    assert page_of("/a/2019/1108/12345.html")[1] == 0 and page_of("/news/t20191108_300.html")[1] == 0


def outcome(address: str, title: str, body: str, date: str = "2019-12-02", refs=(), pager=()) -> PageOutcome:
    saved = SavedFile("www.x.cn" + address, Path("/nowhere"), "www.x.cn", address, True, False)
    extracted = Extracted("article", title=title, meta=Meta(date, editors=("责任编辑：张三",)), markdown=body,
                          refs=tuple(refs), pager=tuple(pager))
    return PageOutcome(saved, extracted)


def test_pages_are_joined_in_order_with_their_references_renumbered_and_the_editors_line_once():
    first = outcome("/a/123.html", "县人大召开会议", "第一页[链接](\x000\x00)。\n\n（责任编辑：张三）\n", refs=[("link", "/b.htm")],
                    pager=["123_2.html", "123_3.html", "123_4.html"])
    third = outcome("/a/123_3.html", "县人大召开会议（3）", "第三页![图](\x000\x00)。\n\n（责任编辑：张三）\n",
                    refs=[("image", "c.jpg")])
    second = outcome("/a/123_2.html", "县人大召开会议", "第二页。\n\n（责任编辑：张三）\n")
    other = outcome("/a/123_5.html", "另一篇文章", "别的。\n")
    joined = join_pages([third, first, other, second])
    assert [j.outcome for j in joined] == [first, other]
    article = joined[0]
    assert [p.address for p in article.pages] == ["/a/123.html", "/a/123_2.html", "/a/123_3.html"]
    assert article.extracted.markdown == ("第一页[链接](\x000\x00)。\n\n第二页。\n\n第三页![图](\x001\x00)。\n\n"
                                          "（责任编辑：张三）\n")
    assert article.extracted.refs == (("link", "/b.htm"), ("image", "c.jpg"))
    assert article.missing == ("/a/123_4.html",)  # its pager links to a page the copy lacks


def test_a_later_page_of_another_title_or_day_is_an_article_of_its_own():
    first = outcome("/show.asp?id=7", "县人大召开会议", "一。\n")
    joined = join_pages([first, outcome("/show.asp?id=7&page=2", "县人大召开会议", "二。\n", date="2019-12-03")])
    assert len(joined) == 2 and all(len(j.pages) == 1 for j in joined)


def test_text_pages_with_their_date_line_at_the_foot():
    page = extract_text("首页 > 人大要闻 > 正文\n县人大常委会开展宪法宣传活动\n\n　　11月12日，县人大常委会开展宪法宣传活动，"
                        "发放宣传资料2000余份。\n\n作者：钱七　发布日期：2019-11-12\n")
    assert (page.kind, page.title, page.meta) == ("article", "县人大常委会开展宪法宣传活动", Meta("2019-11-12", "钱七"))
    assert page.markdown == "11月12日，县人大常委会开展宪法宣传活动，发放宣传资料2000余份。\n"
    assert page.rule.said() == "文章：标题下没有日期行，日期取自正文末尾的“作者：钱七 发布日期：2019-11-12”"
    speech = extract_text("在县人大常委会第二十三次会议上的讲话\n同志们：\n这次会议审议通过了多项决议决定，希望大家认真抓好落实。\n"
                          "（2019年11月8日）\n")
    assert (speech.kind, speech.meta.date) == ("article", "2019-11-08")
    assert speech.markdown.endswith("（2019年11月8日）\n")  # a bare date is part of the text: kept
