"""Breadcrumb trails to sections and pinyin folders; slugs from old addresses."""

from __future__ import annotations

import pytest

from sitegen.importer.extract import split_crumbs
from sitegen.importer.sections import folder_name, section_trail, trail_folder
from sitegen.importer.slugs import article_slug, old_id, unique_slugs


@pytest.mark.parametrize("line, crumbs", [
    ("当前位置：首页 > 代表工作 > 履职动态 > 新闻内容", ("首页", "代表工作", "履职动态", "新闻内容")),
    ("当前位置   首页>代表工作>履职动态>新闻内容", ("首页", "代表工作", "履职动态", "新闻内容")),
    ("您现在的位置： 首页 >> 人大要闻 >> 正文", ("首页", "人大要闻", "正文")),
    ("您的位置：网站首页 » 监督工作 » 执法检查", ("网站首页", "监督工作", "执法检查")),
    ("所在位置：首页 → 通知公告", ("首页", "通知公告")),
    ("首页 ＞ 代表风采", ("首页", "代表风采")),
])
def test_breadcrumb_forms(line, crumbs):
    assert split_crumbs(line) == crumbs


def test_breadcrumb_drawn_with_pictures_uses_its_links():
    assert split_crumbs("当前位置： 首页 代表工作 履职动态", ["首页", "代表工作", "履职动态"]) == ("首页", "代表工作", "履职动态")


@pytest.mark.parametrize("crumbs, trail", [
    (("首页", "代表工作", "履职动态", "新闻内容"), ("代表工作", "履职动态")),
    (("网站首页", "人大要闻", "正文"), ("人大要闻",)),
    (("首页", "人大要闻", "详细内容"), ("人大要闻",)),
    (("首页", "人大要闻", "县人大常委会召开第二十三次会议"), ("人大要闻",)),
    (("首页", "人大要闻", "县人大常委会召开第二十三…"), ("人大要闻",)),
    (("首页",), ()),
])
def test_trails(crumbs, trail):
    assert section_trail(crumbs, "县人大常委会召开第二十三次会议") == trail


def test_pinyin_folders():
    assert trail_folder(("代表工作", "履职动态")) == "daibiao-gongzuo/lvzhi-dongtai"
    assert [folder_name(t) for t in ("常委会会议", "人大要闻", "通知公告", "重要", "ABC 新闻", "★")] == \
        ["changweihui-huiyi", "renda-yaowen", "tongzhi-gonggao", "zhongyao", "abc-xinwen", "lanmu"]


@pytest.mark.parametrize("address, rel, found", [
    ("/content/2019-11/08/content_12345.htm", "", "12345"),
    ("/show.asp?id=77", "", "77"),
    ("/show.asp?classid=3&id=77", "", "77"),
    ("/jsp/article.jsp?articleId=555", "", "555"),
    ("/art/2019/11/8/art_123_4567.html", "", "art-123-4567"),
    ("/about.htm", "", "about"),
    ("/news/会议.htm", "", "62817cdc"),  # no ASCII in the name: a digest of the path,
    ("", "texts/000_cc75199f967369d3.txt", "000-cc75199f967369d3"),
])
def test_old_ids(address, rel, found):
    assert old_id(address, rel) == found


def test_slugs_are_dated_and_made_unique_in_order():
    assert article_slug("2019-11-08 11:25:53", "/show.asp?id=77", "") == "2019-11-08-77"
    wanted = [("a", "2019-11-08-77", "/y"), ("a", "2019-11-08-77", "/x"), ("b", "2019-11-08-77", "/z")]
    assert unique_slugs(wanted) == {("a", "2019-11-08-77", "/x"): "2019-11-08-77",
                                    ("a", "2019-11-08-77", "/y"): "2019-11-08-77-2",
                                    ("b", "2019-11-08-77", "/z"): "2019-11-08-77"}


def test_a_site_name_every_trail_starts_with_is_dropped():
    from sitegen.importer.sections import drop_site_name
    trails = [("眉县人大", "代表工作", "履职动态"), ("眉县人大", "人大要闻"), ()]
    assert drop_site_name(trails) == [("代表工作", "履职动态"), ("人大要闻",), ()]
    same_section = [("代表工作", "履职动态"), ("代表工作", "代表风采")]  # a real section shared by all: kept
    assert drop_site_name(same_section) == same_section
    assert drop_site_name([("眉县人大", "人大要闻"), ("眉县人大", "人大要闻")]) == [("眉县人大", "人大要闻")] * 2


def test_a_site_name_some_trails_start_with_is_dropped():
    from sitegen.importer.sections import drop_site_name
    trails = [("眉县人大", "人大要闻"), ("人大要闻",), ("代表工作", "履职动态"), ("眉县人大", "代表工作", "履职动态")]
    assert drop_site_name(trails) == [("人大要闻",), ("人大要闻",), ("代表工作", "履职动态"), ("代表工作", "履职动态")]
    # a real section whose name ends like a site's, with subsections no page has at the top: kept
    towns = [("乡镇人大", "城关镇"), ("乡镇人大", "横渠镇"), ("人大要闻",)]
    assert drop_site_name(towns) == towns
    # 动易: most pages under the channel 文章中心, one under the site's name
    channel = [("文章中心", "人大要闻"), ("文章中心", "代表工作", "履职动态"), ("眉县人大", "人大要闻")]
    assert drop_site_name(channel) == [("人大要闻",), ("代表工作", "履职动态"), ("人大要闻",)]
    assert drop_site_name([("新闻中心", "人大要闻"), ("代表工作",)]) == [("新闻中心", "人大要闻"), ("代表工作",)]
