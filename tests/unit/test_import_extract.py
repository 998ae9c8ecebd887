"""Page classification (article, list, index, search, frame) and the fields of an article in each page shape."""

from __future__ import annotations

from sitegen.importer.extract import extract_html, extract_text
from sitegen.importer.fields import Meta
from sitegen.messages import language_named

NAV = "".join(f'<a href="/list.asp?id={n}">栏目{n}</a>' for n in range(8))
BODY = "<p>　　县人大常委会组织代表开展视察活动，听取工作汇报，实地察看项目进展情况，提出了意见和建议。</p>" * 3


def html(inner: str, title: str = "") -> str:
    return f"<html><head><title>{title}</title></head><body><div class='nav'>{NAV}</div>{inner}" \
           "<div class='footer'>版权所有：眉县人大常委会　地址：眉县首善街道</div></body></html>"


def test_trs_article_with_subtitle_and_meta():
    page = extract_html(html(f"""<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/l">人大要闻</a> &gt; 正文</div>
<h1>县人大常委会召开会议</h1><h3>——审议通过多项决议</h3><div class="info">来源：本网 作者：张三 发布时间：2019-11-08 11:25</div>
<div class="TRS_Editor">{BODY}</div><div>上一篇：<a href="/a.htm">某文章</a></div>""", "县人大常委会召开会议_眉县人大"), "/c.htm", False)
    assert (page.kind, page.title, page.subtitle, page.crumbs) == ("article", "县人大常委会召开会议", "——审议通过多项决议",
                                                                   ("首页", "人大要闻", "正文"))
    assert page.meta == Meta("2019-11-08 11:25", "张三", "本网")
    assert page.markdown.count("县人大常委会组织代表") == 3 and "上一篇" not in page.markdown and "版权" not in page.markdown


def test_lead_in_above_a_bigger_title_goes_to_subtitle_first():
    page = extract_html(html("""<table><tr><td>您现在的位置：首页 >> 代表工作 >> 详细内容</td></tr>
<tr><td><font size="3">深入基层察民情</font></td></tr><tr><td><font size="5"><b>代表视察环境整治</b></font></td></tr>
<tr><td>——县人大代表在行动</td></tr><tr><td>撰稿：李四　发布日期：２０２０年３月５日　浏览次数：328</td></tr>
<tr><td>""" + BODY + "</td></tr></table>"), "/show.asp?id=1", False)
    assert (page.kind, page.title, page.subtitle) == ("article", "代表视察环境整治", "深入基层察民情 ——县人大代表在行动")
    assert page.meta == Meta("2020-03-05", "李四")


def test_no_breadcrumb_and_title_found_through_the_page_title():
    page = extract_html(html(f"""<div class="logo">眉县人大常委会</div><div><h2>关于召开会议的通知</h2></div>
<div>【来源】县人大办　【时间】2020/8/20</div><div class="article-content">{BODY}</div>""", "关于召开会议的通知"),
        "/n.jsp?articleId=5", False)
    assert (page.kind, page.title, page.has_crumbs, page.meta.source) == ("article", "关于召开会议的通知", False, "县人大办")


def test_lists_indexes_searches_and_frames_are_not_articles():
    items = "".join(f"<li><a href='/c{n}.htm'>县人大常委会第{n}期工作简报标题</a> 2019-11-0{n}</li>" for n in range(1, 10))
    assert extract_html(html(f"<div>当前位置：首页 > 人大要闻</div><ul>{items}</ul>"), "/list.asp?classid=3", False).kind \
        == "list"
    assert extract_html(html(f"<ul>{items}</ul>"), "/index.html", False).kind == "index"
    assert extract_html(html(f"<p>搜索结果：共9条</p><ul>{items}</ul>"), "/search.asp?keyword=a", False).kind == "search"
    assert extract_html("<html><frameset><frame src='a.htm'></frameset></html>", "/f.htm", False).kind == "frame"
    assert extract_html("<html><body><iframe src='/a.htm'></iframe></body></html>", "/f.htm", False).kind == "frame"


def test_an_article_page_without_a_date_fails_with_the_reason():
    page = extract_html(html(f"<h1>无日期的文章</h1><div>{BODY}</div>"), "/x.htm", False)
    assert (page.kind, page.reason.said()) == ("failed", "标题下面没有日期行（发布时间：…）")
    assert page.reason.said(language_named("en")) == "no date line (发布时间：…) under a title"


def test_scripts_styles_and_share_boxes_never_reach_the_body():
    page = extract_html(html(f"""<h1>标题文字</h1><div>发布时间：2019-11-08</div><div class="content">
<script>document.write('脚本文字')</script><style>p{{color:red}}</style><div class="bdshare">分享到：微信</div>{BODY}
<p>[打印本页] [关闭本页]</p></div>"""), "/x.htm", False)
    assert page.kind == "article"
    assert not any(word in page.markdown for word in ("脚本", "color", "分享", "打印", "关闭"))


def test_text_page_in_the_seed_form():
    page = extract_text("当前位置   首页>代表工作>履职动态>新闻内容\n聚焦“两个机关”建设 开启人大工作新征程\n——眉县人大的探索与实践\n"
                        "作者:朱季林        内容来源:本网        发表时间:2019-11-08 11:25:53\n\n    一、加强学习\n\n"
                        "    正文第一段。\n\n[打印本页]\n[关闭本页]")
    assert (page.kind, page.title, page.subtitle) == ("article", "聚焦“两个机关”建设 开启人大工作新征程", "——眉县人大的探索与实践")
    assert page.crumbs == ("首页", "代表工作", "履职动态", "新闻内容")
    assert page.markdown == "## 一、加强学习\n\n正文第一段。\n"


def test_a_meta_line_spread_over_several_lines():
    page = extract_html(html(f"""<div>当前位置：首页 > 人大要闻 > 正文</div><h1>县人大召开会议</h1>
<div>作者：张三</div><div>发布时间：2019-11-08 11:25</div><div>来源：本网</div><div class="c">{BODY}</div>"""),
        "/a.htm", False)
    assert (page.kind, page.title, page.subtitle) == ("article", "县人大召开会议", "")
    assert page.meta == Meta("2019-11-08 11:25", "张三", "本网")
    assert "作者" not in page.markdown and "来源" not in page.markdown


def test_a_title_only_in_the_page_title():
    page = extract_html(html(f"""<div>当前位置：首页 > 人大要闻 > 正文</div><div>发布时间：2019-11-08</div>
<div class="c">{BODY}</div>""", "县人大常委会召开第五次会议 - 眉县人大"), "/a.htm", False)
    assert (page.kind, page.title, page.meta.date) == ("article", "县人大常委会召开第五次会议", "2019-11-08")


GOV_HEAD = """<meta name="ArticleTitle" content="县人大常委会开展视察"><meta name="PubDate" content="2021-05-06 10:00">
<meta name="ContentSource" content="县人大办"><meta name="ColumnName" content="人大要闻">"""


def test_government_meta_tags_fill_in_what_the_page_does_not_show():
    page = extract_html(f"<html><head>{GOV_HEAD}<title>眉县人大常委会</title></head><body><div class='nav'>{NAV}</div>"
                        f"<h1>县人大常委会开展视察</h1><div class='zoom'>{BODY}</div></body></html>", "/art/1.html", False)
    assert (page.kind, page.title, page.crumbs) == ("article", "县人大常委会开展视察", ("人大要闻",))
    assert page.meta == Meta("2021-05-06 10:00", source="县人大办")
    assert page.markdown.count("县人大常委会组织代表") == 3 and "县人大常委会开展视察" not in page.markdown


def test_a_page_dated_only_by_pubdate_takes_its_heading_for_title_and_is_no_list_for_its_neighbour_links():
    neighbours = ('<p>上一篇：<a href="/rdyw/201902/t20190227_12339.html">县人大常委会党组召开专题民主生活会</a></p>'
                  '<p>下一篇：<a href="/rdyw/201903/t20190305_12350.html">县人大常委会召开主任会议</a></p>')
    for head in (GOV_HEAD, '<meta name="PubDate" content="2021-05-06 10:00">'):  # ArticleTitle shorter, or none
        page = extract_html(f"<html><head>{head}<title>视察_眉县人大</title></head><body><div class='nav'>{NAV}</div>"
                            "<div>您现在的位置：<a href='/'>首页</a> &gt; <a href='/rdyw/'>人大要闻</a></div>"
                            "<h1>县人大常委会开展城乡建设专项视察</h1><div>发布时间：<script>document.write('2021-05-06')"
                            f"</script></div><div class='TRS_Editor'>{BODY}</div>{neighbours}</body></html>",
                            "/rdyw/202105/t20210506_1.html", False)
        assert (page.kind, page.title, page.meta.date) == ("article", "县人大常委会开展城乡建设专项视察", "2021-05-06 10:00")
        assert page.markdown.count("县人大常委会组织代表") == 3 and "上一篇" not in page.markdown


def test_the_visible_date_gets_its_time_from_pubdate_on_the_same_day():
    page = extract_html(f"<html><head>{GOV_HEAD}<title>x</title></head><body><h1>县人大常委会开展视察</h1>"
                        f"<div>发布日期：2021-05-06</div><div>{BODY}</div></body></html>", "/art/2.html", False)
    assert page.meta.date == "2021-05-06 10:00"
    other_day = GOV_HEAD.replace("2021-05-06 10:00", "2021-05-07 10:00")
    page = extract_html(f"<html><head>{other_day}<title>x</title></head><body><h1>县人大常委会开展视察</h1>"
                        f"<div>发布日期：2021-05-06</div><div>{BODY}</div></body></html>", "/art/2.html", False)
    assert page.meta.date == "2021-05-06"


def test_dedecms_and_powereasy_shapes():
    dede = extract_html(html(f"""<div class="place"><strong>当前位置:</strong> <a href='/'>主页</a> > <a href='/a/'>新闻中心</a> >
</div><div class="title"><h2>县人大召开主任会议</h2></div><div class="info"><small>时间:</small>2019-11-08 11:25<small>来源:</small>本站
<small>作者:</small>王五 <small>点击:</small><script src="/plus/count.php?aid=1"></script>次</div><div class="content">
<table width='100%'><tr><td>{BODY}</td></tr></table></div><div class="context"><ul><li>上一篇：<a href='/a/1.html'>上一篇标题</a>
</li><li>下一篇：没有了 </li></ul></div>"""), "/a/xinwen/2019/1108/123.html", False)
    assert (dede.kind, dede.title, dede.crumbs) == ("article", "县人大召开主任会议", ("主页", "新闻中心"))
    assert dede.meta == Meta("2019-11-08 11:25", "王五", "本站")
    assert dede.markdown.count("县人大常委会组织代表") == 3 and "上一篇" not in dede.markdown
    easy = extract_html(html(f"""<table><tr><td>您现在的位置: <a href="/">网站首页</a> >> <a href="/Article/">文章中心</a> >> 正文
</td></tr><tr><td align=center><strong><font size=4>县人大视察</font></strong></td></tr><tr><td align=center>作者：佚名　　文章来源：本站原创
点击数：<script>document.write(12)</script>　　更新时间：2019-11-8</td></tr><tr><td id="fontzoom">{BODY}</td></tr>
<tr><td>【<a href="javascript:window.print()">打印此文</a>】【<a href="javascript:window.close()">关闭窗口</a>】</td></tr></table>"""),
        "/Article/ShowArticle.asp?ArticleID=123", False)
    assert (easy.kind, easy.title, easy.meta) == ("article", "县人大视察", Meta("2019-11-08", source="本站原创"))
    assert easy.markdown.count("县人大常委会组织代表") == 3 and "打印" not in easy.markdown


def test_text_page_with_its_meta_line_spread_over_lines_and_slashes_in_the_crumbs():
    page = extract_text("首页 / 人大要闻 / 正文\n\n县人大召开会议\n作者：张三\n发布时间：2020年1月2日\n来源：本网\n\n　　正文一段。\n")
    assert (page.kind, page.title, page.crumbs) == ("article", "县人大召开会议", ("首页", "人大要闻", "正文"))
    assert page.meta == Meta("2020-01-02", "张三", "本网") and page.markdown == "正文一段。\n"


def test_a_title_broken_over_two_lines_is_one_title_again():
    page = extract_html(html(f"""<div class="location">当前位置：<a href="/">首页</a> &gt; 通知公告</div>
<h1>关于召开县十八届人大常委会<br>第二十三次会议的通知</h1><h3>——附会议议程</h3><div class="info">发布时间：2019-11-08</div>
<div class="TRS_Editor">{BODY}</div>""", "关于召开县十八届人大常委会第二十三次会议的通知_眉县人大"), "/c.htm", False)
    assert (page.kind, page.title, page.subtitle) == ("article", "关于召开县十八届人大常委会第二十三次会议的通知", "——附会议议程")


def test_a_short_article_with_an_attachment_keeps_its_text_not_the_footer():
    page = extract_html("""<html><head><meta charset="utf-8"><title>关于公布代表名单的公告_眉县人大常委会</title></head><body>
<div class="location">当前位置：首页 &gt; 通知公告 &gt; 正文</div><div class="article"><h1>关于公布代表名单的公告</h1>
<div class="info">发布时间：2019-11-08</div><div class="content"><p>　　名单见附件。</p>
<p><a href="/uploads/mingdan.xls">县十八届人大代表名单.xls</a></p></div></div>
<div id="footer"><p>主办：眉县人大常委会办公室</p></div></body></html>""", "/show.asp?id=3", False)
    assert page.kind == "article" and page.markdown.startswith("名单见附件。")
    assert "县十八届人大代表名单.xls" in page.markdown and "主办" not in page.markdown


def test_a_one_sentence_notice_is_not_padded_with_the_footer():
    page = extract_html("""<html><head><meta charset="utf-8"><title>放假通知</title></head><body>
<div class="location">当前位置：首页 &gt; 通知公告 &gt; 正文</div><div class="article"><h1>放假通知</h1>
<div class="info">发布时间：2019-11-08</div><div class="content"><p>　　经研究，决定放假。</p></div></div>
<div id="footer"><p>主办：眉县人大常委会办公室</p></div></body></html>""", "/show.asp?id=4", False)
    assert (page.kind, page.markdown) == ("article", "经研究，决定放假。\n")


def test_a_breadcrumb_below_a_long_sidebar_still_places_the_article():
    sidebar = "<div class='side'><h3>最新动态</h3><ul>" + "".join(
        f"<li><a href='/show.asp?id={n}'>县人大常委会第{n}次主任会议召开</a> 2019-10-{n:02d}</li>" for n in range(1, 11)) + "</ul></div>"
    page = extract_html(html(f"""<table><tr><td>{sidebar}</td><td><div>当前位置：<a href="/">首页</a> &gt;
<a href="/l">人大要闻</a></div><h1>县人大常委会召开会议</h1><div>发布时间：2019-11-08</div><p>　　会议听取了报告。</p>
</td></tr></table>""", "县人大常委会召开会议"), "/show.asp?id=20", False)
    assert (page.kind, page.title, page.crumbs) == ("article", "县人大常委会召开会议", ("首页", "人大要闻"))


def test_a_sentence_with_a_toolbar_word_is_text_and_the_toolbar_after_it_is_not():
    sentences = ["<p>　　5月12日，县人大常委会举办人大代表履职培训班，全县120余名县人大代表参加培训。</p>",
                 "<p>　　培训期间，授课老师还分享到了基层人大工作的经验做法，学员们纷纷表示受益匪浅。</p>",
                 "<p>　　上一条建议办理完毕后，县人大常委会将逐件跟踪问效。</p>",
                 "<p>　　培训结束后，学员们参加了结业考试，全部考核合格。</p>"]
    page = extract_html(html(f"""<div>当前位置：<a href="/">首页</a> &gt; <a href="/l">人大要闻</a></div>
<h1>县人大常委会举办履职培训班</h1><div>发布时间：2019-05-12 08:00　来源：本网</div>
<div class="content">{"".join(sentences)}</div><div>收藏 | 打印本页 | 关闭</div><div>分享到：微信 微博</div>
<div>上一篇：<a href="/a.htm">县人大常委会召开主任会议</a></div>"""), "/n2.htm", False)
    assert page.kind == "article"
    for sentence in ("分享到了基层人大工作", "上一条建议办理完毕后", "全部考核合格"):
        assert sentence in page.markdown
    for furniture in ("打印本页", "分享到：", "上一篇"):
        assert furniture not in page.markdown


XXGK = """<table class="xxgk"><tr><td>索引号：</td><td>11610326MB1596584X/2019-0003</td><td>主题分类：</td><td>人大</td></tr>
<tr><td>发布机构：</td><td>眉县人大常委会</td><td>生成日期：</td><td>2019-06-03</td></tr>{name}
<tr><td>文号：</td><td>眉人常发〔2019〕3号</td><td>发布日期：</td><td>2019-06-13</td></tr></table>"""
CRUMB = "<div>当前位置：<a href='/'>首页</a> &gt; <a href='/xxgk/'>信息公开</a></div>"


def test_the_public_information_table_gives_the_date_and_number_and_is_never_the_title_or_text():
    title = "眉县人大常委会关于召开第二十二次会议的决定"
    above = extract_html(html(f"{CRUMB}{XXGK.format(name='')}<h1>{title}</h1><div>发布时间：2019-06-13 10:00　来源：县人大常委会"
                              f"</div><div class='zoom'>{BODY}</div>"), "/xxgk/c.htm", False)
    no_line = extract_html(html(f"{CRUMB}<h1>{title}</h1>{XXGK.format(name='')}<div class='zoom'>{BODY}</div>"),
                           "/xxgk/b.htm", False)
    named = extract_html(html(f"{CRUMB}{XXGK.format(name=f'<tr><td>名称：</td><td colspan=3>{title}</td></tr>')}"
                              f"<div class='zoom'>{BODY}</div>"), "/xxgk/a.htm", False)
    for page, date in ((above, "2019-06-13 10:00"), (no_line, "2019-06-13"), (named, "2019-06-13")):
        assert (page.kind, page.title, page.subtitle, page.meta.date) == ("article", title, "", date)
        assert page.markdown.startswith("文号：眉人常发〔2019〕3号\n\n") and page.markdown.count("县人大常委会组织代表") == 3
        assert "索引号" not in page.markdown and "发布机构" not in page.markdown


def test_attachment_and_video_links_do_not_make_the_text_look_like_a_menu():
    paragraphs = "".join(f"<p>　　第{n}段，县人大常委会召开第二十次会议，审议通过有关事项。</p>" for n in range(3))
    page = extract_html(html(f"""<div>当前位置：<a href="/">首页</a> &gt; <a href="/dbgz/">代表工作</a></div>
<h1>县人大常委会召开代表建议办理工作推进会</h1><div>发布日期：2019-03-01　信息来源：县人大代表工委</div>
<div id="zoom">{paragraphs}<p><video src="/v/1903011040.mp4"></video></p><p><embed src="/v/1903011041.mp4"></p>
<p>附件：<a href="/module/download/downfile.jsp?classid=0&filename=1903011045123.doc">1.代表建议交办清单.doc</a></p></div>"""),
        "/art/2019/3/1/art_1.html", False)
    assert page.kind == "article" and all(f"第{n}段" in page.markdown for n in range(3))
    assert page.markdown.count("视频：") == 2 and "1.代表建议交办清单.doc" in page.markdown


def test_a_short_article_beside_a_sidebar_of_one_dated_link_is_an_article():
    page = extract_html("""<html><head><title>县人大常委会召开预算联网监督工作会议_眉县人大</title></head><body>
<table><tr valign="top"><td class="list_content">
<div class="position">现在的位置：<a href="/">首页</a>&nbsp;&gt;&nbsp;<a href="/rdyw/">人大要闻</a></div>
<h1>县人大常委会召开预算联网监督工作会议</h1><p class="info">发布时间：2019-03-12 10:05:12&nbsp;&nbsp;来源：本站原创</p>
<div id="text"><p>　　3月12日，县人大常委会召开预算联网监督工作会议，听取县财政局关于预算联网监督系统建设情况的汇报。</p></div>
</td><td class="sider"><strong>热门信息</strong><ol><li><a href="/rdyw/2019-02-01/20.html">县人大常委会召开民主生活会</a></li>
</ol></td></tr></table></body></html>""", "/rdyw/2019-03-12/25.html", False)
    assert (page.kind, page.title, page.meta.date) == ("article", "县人大常委会召开预算联网监督工作会议", "2019-03-12 10:05:12")
    assert "预算联网监督系统" in page.markdown and "民主生活会" not in page.markdown


def test_a_hidden_date_dates_the_page_and_the_line_a_script_filled_is_read_for_its_source():
    page = extract_html(html(f"""<div>当前位置：<a href="/">首页</a> &gt; <a href="/rdyw/">人大要闻</a> &gt; 正文</div>
<publishtime style='display:none'>2019-05-07 10:00:00</publishtime><h1>县人大常委会召开离退休干部座谈会</h1>
<div class='info'>发布时间：<script>document.write(pt)</script>　来源：县人大办</div><div class='content'>{BODY}</div>"""),
        "/rdyw/pt2.htm", False)
    assert (page.kind, page.title) == ("article", "县人大常委会召开离退休干部座谈会")
    assert page.meta == Meta("2019-05-07 10:00:00", source="县人大办")
    assert page.markdown.startswith("县人大常委会组织代表") and "发布时间" not in page.markdown


PARAGRAPHS = ("　　11月8日上午，县人大常委会召开第二十三次会议，听取和审议县人民政府关于财政预算执行情况的报告。\n"
              "　　会议要求，要进一步加强预算管理，严格执行预算法，确保全年目标任务圆满完成。\n")


def test_a_text_page_copied_whole_finds_its_crumb_under_the_header_menu_and_clock():
    header = "眉县人大\n首页\n人大要闻\n通知公告\n代表工作\n监督工作\n今天是2019年11月8日 星期五\n"
    page = extract_text(f"{header}当前位置：首页 > 人大要闻 > 正文\n县人大常委会召开第二十四次会议\n"
                        f"发布时间：2019-11-08 10:00  来源：本网\n\n{PARAGRAPHS}\n【打印本页】【关闭本页】\n版权所有：眉县人大常委会\n")
    assert (page.kind, page.title, page.crumbs) == ("article", "县人大常委会召开第二十四次会议", ("首页", "人大要闻", "正文"))
    assert page.meta == Meta("2019-11-08 10:00", source="本网")
    assert page.markdown.startswith("11月8日上午") and "首页" not in page.markdown and "打印" not in page.markdown


def test_a_notice_is_dated_by_its_signature_never_by_a_meeting_or_deadline_in_its_text():
    notice = extract_text("当前位置：首页 > 通知公告\n关于召开全县人大工作座谈会的通知\n\n各镇人大主席团、县人大常委会各委室：\n"
                          "    经研究，定于2019年11月12日上午9时召开全县人大工作座谈会，请各单位主要负责同志准时参加。\n"
                          "    会议时间：2019年11月12日上午9时\n    截止时间：2019年11月10日\n    特此通知。\n\n"
                          "眉县人大常委会办公室\n二〇一九年十一月八日\n")
    assert (notice.kind, notice.title, notice.meta.date) == ("article", "关于召开全县人大工作座谈会的通知", "2019-11-08")
    assert notice.markdown.startswith("各镇人大主席团") and "特此通知。" in notice.markdown
    assert notice.markdown.rstrip().endswith("二〇一九年十一月八日")


def test_a_title_with_the_word_position_and_a_caption_with_a_toolbar_word_are_text():
    page = extract_text("关于确定新办公楼位置的公告\n发布时间：2019-11-08 10:00\n\n" + PARAGRAPHS +
                        "图为群众扫一扫二维码联系代表\n截至目前，平台已收到群众意见建议56条，均已按程序转交办理。\n")
    assert (page.kind, page.title, page.crumbs) == ("article", "关于确定新办公楼位置的公告", ())
    assert "图为群众扫一扫二维码联系代表" in page.markdown and page.markdown.rstrip().endswith("均已按程序转交办理。")


def test_crumbs_in_every_form_and_labels_of_every_cms_are_read():
    for crumb in ("首页 - 代表工作 - 履职动态", "当前位置：首页》代表工作》履职动态", "当前位置：首页 | 代表工作 | 履职动态",
                  "当前位置：首页 > 代表工作 > 履职动态 2019年11月8日 星期五"):
        page = extract_text(f"{crumb}\n县人大代表开展视察\n发布人：张三 稿源：县人大办 发布时间：2019-11-08 10:00 【我要打印】\n\n"
                            + PARAGRAPHS)
        assert (page.kind, page.title, page.crumbs) == ("article", "县人大代表开展视察", ("首页", "代表工作", "履职动态")), crumb
        assert page.meta == Meta("2019-11-08 10:00", "张三", "县人大办"), crumb
    menu = extract_text("网站首页 | 人大要闻 | 代表工作 | 监督工作 | 通知公告\n县人大代表开展视察\n发布时间：2019-11-08\n\n" + PARAGRAPHS)
    assert menu.crumbs == () and menu.title == "县人大代表开展视察", "a menu is no crumb line"


def test_a_text_page_keeps_no_toolbar_nor_footer_wherever_they_stand():
    page = extract_text("当前位置：首页 > 通知公告\n停电通知\n发布时间：2019-11-08\n【字体：大 中 小】【打印】【关闭】\n"
                        "因线路检修，机关大楼11月9日全天停电。\n【打印本页】【关闭本页】\n上一篇：县人大常委会召开主任会议\n"
                        "版权所有：眉县人民代表大会常务委员会办公室\n地址：眉县首善街道 电话：0917-5541234\n陕ICP备05012345号-1 技术支持：某某\n"
                        "您是第 1234567 位访问者\n")
    assert page.markdown == "因线路检修，机关大楼11月9日全天停电。\n"


def test_a_text_page_title_block_lead_in_two_line_title_and_toolbar():
    lead = extract_text("当前位置：首页 > 人大要闻\n坚持人民代表大会制度 推动人大工作高质量发展\n眉县召开人大工作会议\n——县委书记出席并讲话\n"
                        "发布时间：2019-11-08\n\n" + PARAGRAPHS)
    assert (lead.title, lead.subtitle) == ("眉县召开人大工作会议", "坚持人民代表大会制度 推动人大工作高质量发展 ——县委书记出席并讲话")
    long = extract_text("当前位置：首页 > 通知公告\n眉县人大常委会关于召开县第十八届人民代表大会\n第五次会议的决定\n"
                        "【字体：大 中 小】 【打印】\n发布时间：2019-11-08\n\n" + PARAGRAPHS)
    assert (long.title, long.subtitle) == ("眉县人大常委会关于召开县第十八届人民代表大会第五次会议的决定", "")


def test_a_text_page_with_its_date_above_the_title():
    page = extract_text("当前位置：首页 > 人大要闻\n2019-11-08\n县人大常委会召开专题询问会\n来源：本网  作者：张三\n\n" + PARAGRAPHS)
    assert (page.kind, page.title, page.meta) == ("article", "县人大常委会召开专题询问会", Meta("2019-11-08", "张三", "本网"))
    assert page.markdown.startswith("11月8日上午")


def test_a_text_page_saved_with_its_lines_wrapped_keeps_its_paragraphs_whole():
    page = extract_text("当前位置：首页 > 人大要闻\n县人大常委会审议计划执行情况报告\n发布时间：2019-11-08 10:00\n\n"
                        "    11月8日上午，县人大常委会召开第二十三次会议，听取和审议县人民政府关于\n"
                        "2019年财政预算执行情况的报告。县人大常委会主任王建国主持会议，副主任李明、\n张华等出席会议。\n"
                        "    会议指出，今年以来，县政府认真贯彻落实县人代会决议。\n一、提高站位\n")
    assert page.markdown.split("\n\n")[:2] == [
        "11月8日上午，县人大常委会召开第二十三次会议，听取和审议县人民政府关于2019年财政预算执行情况的报告。"
        "县人大常委会主任王建国主持会议，副主任李明、张华等出席会议。", "会议指出，今年以来，县政府认真贯彻落实县人代会决议。"]


def test_a_table_pasted_as_tab_separated_text_stays_a_table():
    page = extract_text("当前位置：首页 > 代表工作\n2019年代表建议办理情况统计表\n发布时间：2019-11-08\n\n    现将办理情况公布如下：\n"
                        "序号\t承办单位\t建议件数\n1\t县交通局\t12\n2\t县教育局\t8\n    未办结的建议将于年底前全部办结。\n")
    assert "| 序号 | 承办单位 | 建议件数 |\n| --- | --- | --- |\n| 1 | 县交通局 | 12 |\n| 2 | 县教育局 | 8 |" in page.markdown
    assert page.markdown.startswith("现将办理情况公布如下：") and "未办结的建议" in page.markdown


def test_the_site_name_under_the_crumbs_is_not_the_title():
    page = extract_text("当前位置：首页 > 人大要闻\n眉县人大常委会\n县人大常委会召开第二十九次会议\n发布时间：2019-11-08 10:00\n\n"
                        + PARAGRAPHS)
    assert (page.title, page.subtitle) == ("县人大常委会召开第二十九次会议", "")
