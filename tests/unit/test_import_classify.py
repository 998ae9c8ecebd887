"""List pages told from articles by structure: dated article links in tables, lists, divs and lines, with or
without paging and under article-like headings; articles beside or above such lists stay articles."""

from __future__ import annotations

import pytest

from sitegen.importer.classify import listing, pager_line
from sitegen.importer.extract import extract_html
from sitegen.importer.htmltext import density, drop_noise, parse_html
from sitegen.messages import language_named

CHINESE, ENGLISH = language_named("zh"), language_named("en")

NAV = "".join(f'<a href="/list.asp?id={n}">栏目{n}</a>' for n in range(8))
HEAD = f"<div class='logo'>眉县人大常委会</div><div class='nav'>{NAV}</div>"
FOOT = "<div class='footer'>版权所有：眉县人大常委会　地址：眉县首善街道　技术支持：某某网络科技有限公司</div>"
TITLES = ["县人大常委会召开第二十三次会议", "县人大常委会开展食品安全法执法检查", "县人大代表视察农村人居环境整治",
          "县人大常委会听取预算执行情况报告", "县人大常委会组织代表学习培训", "关于召开县十八届人大常委会第三十次会议的通知",
          "县人大常委会开展宪法宣传活动"]
BODY = "<p>　　县人大常委会组织代表开展视察活动，听取工作汇报，实地察看项目进展情况，提出了意见和建议。</p>" * 3


def page(inner: str, title: str = "人大要闻_眉县人大") -> str:
    return f"<html><head><title>{title}</title></head><body>{HEAD}{inner}{FOOT}</body></html>"


def crumb(section: str = "人大要闻") -> str:
    return f"<div>当前位置：<a href='/'>首页</a> &gt; <a href='/l'>{section}</a></div>"


LISTS = {
    "trs-ul": crumb() + "<ul class='list'>" + "".join(
        f"<li><a href='./201911/t2019110{n}_12{n}.html' target='_blank'>{t}</a><span>2019-11-0{n}</span></li>"
        for n, t in enumerate(TITLES, 1)) + "</ul><script>createPageHTML(5,0,'index','html');</script>",
    "powereasy-table-short-dates": "<table><tr><td>您现在的位置：<a href='/'>网站首页</a> &gt;&gt; 文章中心</td></tr></table>"
        "<table>" + "".join(f"<tr><td><img src='/images/arrow.gif'><a href='/Article/ShowArticle.asp?ArticleID={n}' "
                            f"title='{t}'>{t[:10]}…</a></td><td>[11-0{n}]</td></tr>" for n, t in enumerate(TITLES, 1))
        + "</table><div>共 120 篇文章 首页 上一页 <a href='?page=2'>下一页</a> 尾页 页次：1/6页 20篇文章/页</div>",
    "asp-lines": crumb() + "<table><tr><td>" + "".join(
        f"·<a href='show.asp?id={n}'>{t}</a> ({'2019-11-0' + str(n)})<br>" for n, t in enumerate(TITLES, 1))
        + "</td></tr></table>",
    "jsp-divs-under-a-dated-heading": crumb("通知公告") + "<h2>通知公告</h2><div>更新时间：2021-03-02</div>" + "".join(
        f"<div class='item'><a href='/jsp/article.jsp?articleId={n}'>{t}</a>"
        f"<span class='date'>2021-03-0{n}</span></div>"
        for n, t in enumerate(TITLES, 1)),
    "dede-with-summaries-and-labelled-dates": crumb() + "<ul class='e2'>" + "".join(
        f"<li><a href='/a/xinwen/2019/110{n}/{n}.html' class='title'>{t}</a><span class='info'><small>日期：</small>"
        f"2019-11-0{n} <small>点击：</small>12</span><p class='intro'>会议听取了县人民政府有关部门关于近期重点工作推进情况"
        f"的汇报，研究了常委会下一步工作安排，要求各专门委员会加强调查研究，认真做好有关准备工作。</p></li>"
        for n, t in enumerate(TITLES, 1)) + "</ul>",
    "table-of-columns": crumb() + "<table><tr><th>序号</th><th>标题</th><th>发布单位</th><th>日期</th></tr>" + "".join(
        f"<tr><td>{n}</td><td><a href='/news/{n}.htm'>{t}</a></td><td>县人大办</td><td>2019年11月{n}日</td></tr>"
        for n, t in enumerate(TITLES, 1)) + "</table>",
    "intro-and-an-update-date-at-the-foot": crumb() + "<p>本栏目发布县人大常委会工作动态。</p><ul>" + "".join(
        f"<li><a href='/news/{n}.htm'>{t}</a> 2019-10-0{n}</li>" for n, t in enumerate(TITLES, 1))
        + "</ul><div>更新日期：2019-11-08</div>",
    "clock-in-the-header-and-a-last-page-of-two": "<div>今天是：2019年11月8日 星期五</div>" + crumb() + "<ul>" + "".join(
        f"<li><a href='/news/{n}.htm'>{t}</a> 2019-10-0{n}</li>" for n, t in enumerate(TITLES[:2], 1))
        + "</ul><div>共22条 第3页 <a href='?page=2'>上一页</a></div>",
    "jcms-records-in-a-script": crumb() + "<table><tr><td class='lmtitle'>人大要闻</td></tr><tr><td><div id='56789'>"
        "<script type='text/xml'><datastore><nextgroup><![CDATA[<a href='/module/web/jpage/dataproxy.jsp?page=1'></a>]]>"
        "</nextgroup><recordset>" + "".join(
            f"<record><![CDATA[<li><a href='/art/2019/3/{n}/art_1234_5670{n}.html' target='_blank' title='{t}'>{t}</a>"
            f"<span>2019-03-0{n}</span></li>]]></record>" for n, t in enumerate(TITLES, 1))
        + "</recordset></datastore></script></div></td></tr></table>",
}


@pytest.mark.parametrize("name", sorted(LISTS))
def test_list_pages_in_every_layout_are_lists(name):
    found = extract_html(page(LISTS[name]), "/list.asp?classid=3", False)
    assert found.kind == "list", (name, found.title, found.markdown[:200])
    assert found.links  # its links to dated articles, to find the section it lists


def test_the_rule_that_decided_a_doubtful_list_is_given():
    rules = {name: CHINESE.text(extract_html(page(LISTS[name]), "/l.asp", False).rule) for name in LISTS}
    assert rules["jsp-divs-under-a-dated-heading"] == "列表页：日期行下面直接是 7 条带日期的文章链接，没有正文"
    assert rules["dede-with-summaries-and-labelled-dates"] == ("列表页：标题和日期是列表中的一条，页面主要内容是 7 条带日期的"
                                                               "文章链接")
    assert rules["clock-in-the-header-and-a-last-page-of-two"] == ("列表页：没有“标题＋日期行”，页面主要内容是 2 条带日期的"
                                                                   "文章链接，并有翻页")
    assert rules["trs-ul"] == ""  # no doubt: seven dated links and nothing else
    english = ENGLISH.text(extract_html(page(LISTS["clock-in-the-header-and-a-last-page-of-two"]), "/l.asp", False).rule)
    assert english == ("list page: no title with a date line under it; the page is mostly 2 links to dated articles, "
                       "and a pager")


SIDEBAR = "<div class='side'><h4>最新动态</h4><ul>" + "".join(
    f"<li><a href='/news/{n}.htm'>{t}</a> 2019-10-0{n}</li>" for n, t in enumerate(TITLES, 1)) + "</ul></div>"
ARTICLES = {
    "short-notice-after-a-dated-sidebar": SIDEBAR + crumb("通知公告") + "<div class='main'><h2>停电通知</h2>"
        "<div>日期：2021年3月2日</div><div class='text'><p>3月5日机关大楼停电一天。</p></div></div>",
    "short-notice-before-a-dated-sidebar": crumb("通知公告") + "<div class='main'><h2>停电通知</h2>"
        "<div>日期：2021年3月2日</div><div class='text'><p>3月5日机关大楼停电一天。</p></div></div>" + SIDEBAR,
    "related-articles-under-the-text": crumb() + "<div class='article'><h1>县人大常委会召开会议</h1>"
        "<div>发布时间：2019-11-08</div>" + BODY + "<h4>相关文章</h4><ul>" + "".join(
            f"<li><a href='/news/{n}.htm'>{t}</a> 2019-10-0{n}</li>" for n, t in enumerate(TITLES, 1)) + "</ul></div>",
    "latest-news-under-the-text-in-the-same-box": crumb() + "<div class='article'><h1>县人大常委会召开会议</h1>"
        "<div>发布时间：2019-11-08</div>" + BODY + SIDEBAR + "</div>",
    "links-to-documents-with-dates": crumb() + "<h1>2019年代表建议办理结果公开</h1><div>发布时间：2019-12-01</div>"
        "<p>现将2019年代表建议办理结果公开如下：</p><ul>" + "".join(
            f"<li><a href='/uploads/files/{n}.pdf'>第{n}号建议办理结果答复</a> 2019-11-0{n}</li>" for n in range(1, 8))
        + "</ul>",
    "date-at-the-foot-beside-a-dated-sidebar": crumb() + "<div class='main'><h1>县人大常委会开展宪法宣传活动</h1>" + BODY
        + "<p>发布日期：2019-11-12</p></div>" + SIDEBAR,
    "weekday-clock-above-the-title-and-no-breadcrumb": "<div class='top'>眉县人大常委会</div><div>2019年12月2日 星期一</div>"
        "<h1>县人大代表开展集中视察活动</h1><div>作者：赵六 时间：2019年12月2日</div>" + BODY,
    "date-with-its-weekday-under-the-title": crumb() + "<h1>县人大代表开展集中视察活动</h1><div>2019年12月2日 星期一</div>" + BODY,
    "clock-above-the-title-and-no-breadcrumb": "<div>今天是：2019年12月2日 星期一</div><h1>县人大代表开展集中视察活动</h1>"
        "<div>作者：赵六 时间：2019年12月2日</div>" + BODY,
}


@pytest.mark.parametrize("name", sorted(ARTICLES))
def test_articles_beside_lists_of_dated_links_stay_articles(name):
    found = extract_html(page(ARTICLES[name], "标题"), "/show.asp?id=5", False)
    assert found.kind == "article", (name, found.kind, found.rule)
    assert "今天是" not in found.markdown and "版权所有" not in found.markdown and found.meta.date
    assert found.title in ("县人大代表开展集中视察活动", "停电通知", "县人大常委会召开会议", "县人大常委会开展宪法宣传活动",
                           "2019年代表建议办理结果公开")


def test_a_list_of_documents_under_its_title_is_the_article_text():
    found = extract_html(page(ARTICLES["links-to-documents-with-dates"], "标题"), "/show.asp?id=5", False)
    assert found.markdown.startswith("现将2019年代表建议办理结果公开如下：") and found.markdown.count("建议办理结果答复") == 7


def test_an_article_followed_by_dated_links_says_why_it_is_one():
    found = extract_html(page(ARTICLES["latest-news-under-the-text-in-the-same-box"]), "/a.htm", False)
    assert found.rule.said() == "文章：标题、日期行下面先有 136 字正文；后面的 7 条带日期的链接是相关链接，没有放进正文"
    assert found.markdown.count("县人大常委会组织代表开展") == 3
    assert "最新动态" not in found.markdown and "学习培训" not in found.markdown


def items(html: str):
    body = parse_html(page(html)).find("body")
    drop_noise(body)
    return listing(body, density(body))


def test_links_in_sentences_menus_and_files_are_no_list_entries():
    assert items(BODY.replace("意见", "<a href='/content/2019-11/08/content_1.htm'>意见</a>") * 3).items == ()
    assert items(f"<p>{NAV}</p>").items == () and items(LISTS["trs-ul"]).largest == 7
    assert items("<ul>" + "".join(f"<li><a href='/f/{n}.doc'>第{n}号文件</a> 2019-11-0{n}</li>" for n in range(1, 8))
                 + "</ul>").items == ()


def test_pager_lines():
    assert pager_line("共3页: 1 2 3 下一页") and pager_line("首页 上一页 下一页 尾页 页次：1/6页 转到第 页")
    assert pager_line("共16条 每页7条 第2/3页 上一页 下一页")
    assert not pager_line("会议决定下一步工作") and not pager_line("2019年11月8日")
