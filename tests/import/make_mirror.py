#!/usr/bin/env python3
"""Write the fixture saved copy (tests/import/mirror/): old-CMS pages in every shape the importer must handle.

Run once and commit the result; the pages are test data (their bytes matter: GBK, wrong charsets), so they
are written by this script rather than by hand. Shapes: TRS_Editor content boxes, table layouts with <font>,
show.asp?id= addresses, GBK with and without a charset, wrong charsets both ways, list, index, search and
frame pages, pictures and attachments (present and missing), pages linking to each other, a page without a
breadcrumb, one article under two URLs, a .jsp page, mojibake, and the seed saved as text.
"""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
MIRROR = HERE / "mirror"
HOST = "www.mxrd.gov.cn"
SEED = Path("/work/shared/seed/000_cc75199f967369d3.txt")
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hn"
    "Pk1xeXBkeFxlZ2P/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q==")

HEADER = """<div id="header"><img src="/images/logo.gif" alt="眉县人大"><span class="sitename">眉县人大常委会</span></div>
<div id="nav"><a href="/index.html">网站首页</a> | <a href="/list.asp?classid=3">人大要闻</a> | <a href="/list.asp?classid=5">代表工作</a> | <a href="/list.asp?classid=7">监督工作</a> | <a href="/list.asp?classid=9">通知公告</a></div>"""
FOOTER = """<div id="footer"><p>主办：眉县人大常委会办公室　地址：眉县首善街道</p><p>陕ICP备00000000号　技术支持：某某网络</p></div>"""
SCRIPTS = """<script type="text/javascript">var _hmt = _hmt || []; document.write("统计代码");</script>
<style>.TRS_Editor P{line-height:2;font-size:12pt;} #footer{color:#666}</style>"""


def trs_page(charset: str, title: str, subtitle: str, meta: str, crumbs: str, body: str, extra_head: str = "") -> str:
    """A TRS-style article: breadcrumb, <h1> title, subtitle, meta div, <div class="TRS_Editor"> body, trailer."""
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}" />
<title>{title}_眉县人大常委会</title>
{extra_head}{SCRIPTS}
</head>
<body>
{HEADER}
<div class="main">
<div class="location">当前位置：{crumbs}</div>
<div class="article">
<h1 class="title">{title}</h1>
{f'<h3 class="subtitle">{subtitle}</h3>' if subtitle else ''}
<div class="info">{meta}</div>
<div class="bdsharebuttonbox"><a href="#" class="bds_more" data-cmd="more">分享到：</a><a href="#" class="bds_weixin">微信</a></div>
<div class="TRS_Editor">
{body}
</div>
<div class="fontsize">【字体：<a href="javascript:doZoom(16)">大</a> <a href="javascript:doZoom(14)">中</a> <a href="javascript:doZoom(12)">小</a>】</div>
<div class="pager"><p>上一篇：<a href="/content/2019-11/07/content_12300.htm">县人大常委会召开主任会议</a></p><p>下一篇：<a href="/content/2019-11/09/content_12346.htm">县人大常委会开展执法检查</a></p></div>
<div class="tools"><a href="javascript:window.print()">[打印本页]</a> <a href="javascript:window.close()">[关闭本页]</a></div>
</div>
</div>
{FOOTER}
</body>
</html>
"""


def write(rel: str, text: str, encoding: str = "utf-8") -> None:
    path = MIRROR / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))


def main() -> None:
    seed = SEED.read_bytes() if SEED.is_file() else (MIRROR / "saved-as-text" / SEED.name).read_bytes()
    if MIRROR.exists():
        shutil.rmtree(MIRROR)
    # 1. TRS_Editor content box, UTF-8: numbered headings, bold, picture with caption, attachment, links.
    write(f"{HOST}/content/2019-11/08/content_12345.htm", trs_page(
        "utf-8", "县人大常委会召开第二十三次会议", "——审议通过多项决议决定",
        "来源：本网　作者：张三　发布时间：2019-11-08 11:25　点击数：<span id=\"hits\">128</span>",
        '<a href="/index.html">首页</a> &gt; <a href="/list.asp?classid=3">人大要闻</a> &gt; 正文',
        """<p style="text-indent:2em">11月8日，县十八届人大常委会召开第二十三次会议，<strong>县人大常委会主任</strong>王某某主持会议。</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;会议听取和审议了县人民政府关于全县脱贫攻坚工作情况的报告。</p>
<p style="text-align:center"><img src="../../../uploads/2019/11/photo1.jpg" border="0" /></p>
<p style="text-align:center">图为会议现场</p>
<p>　　一、会议议程</p>
<p>　　会议审议了以下事项：</p>
<ol><li>县人民政府关于脱贫攻坚工作情况的报告；</li><li>人事任免事项。</li></ol>
<p>　　（一）审议意见</p>
<p>　　组成人员认为，报告实事求是，措施有力。会议纪要见<a href="/uploads/files/jiyao.pdf">会议纪要（PDF）</a>，相关报道见<a href="../09/content_12346.htm">县人大常委会开展执法检查</a>和<a href="/show.asp?id=77">代表视察农村人居环境整治</a>。</p>
<p>　　二、下一步工作</p>
<blockquote><p>会议强调，要<b>坚持</b>问题导向，抓好整改落实。</p></blockquote>
<p>　　更多内容请访问<a href="http://www.npc.gov.cn/">中国人大网</a>。</p>"""))
    # 2. The same shape in GBK declared as gb2312 (with GBK-only characters), a table with merged cells,
    #    a list, a missing picture and a missing attachment, and a link back to the first article.
    write(f"{HOST}/content/2019-11/09/content_12346.htm", trs_page(
        "gb2312", "县人大常委会开展执法检查", "",
        "信息来源：县人大法工委　撰稿：李喆　发布日期：2019/11/9　浏览次数：56",
        '<a href="/index.html">网站首页</a> &raquo; <a href="/list.asp?classid=7">监督工作</a> &raquo; <a href="/list.asp?classid=8">执法检查</a> &raquo; 正文',
        """<p>　　为推动《中华人民共和国食品安全法》贯彻实施，县人大常委会副主任朱镕带队开展执法检查。</p>
<p>　　检查组一行实地查看了以下单位：</p>
<ul><li>县市场监督管理局</li><li>首善街道农贸市场</li></ul>
<table border="1" cellspacing="0"><tr><th>检查组</th><th>单位</th><th>时间</th></tr>
<tr><td rowspan="2">第一组</td><td>县市场监督管理局</td><td>11月5日</td></tr>
<tr><td>首善街道农贸市场</td><td>11月6日</td></tr>
<tr><td colspan="3">合计：2个单位</td></tr></table>
<p style="text-align:center"><img src="/uploads/2019/11/missing.jpg" alt="检查现场"></p>
<p>　　检查情况报告见<a href="/uploads/files/baogao.doc">检查报告</a>，检查安排见<a href="/uploads/files/anpai.xls">安排表</a>。此前的会议情况见<a href="../08/content_12345.htm">县人大常委会召开第二十三次会议</a>，另见<a href="/content/2018-01/01/content_100.htm">去年的检查</a>。</p>"""), "gbk")
    # 3. Table layout with <font> tags, show.asp?id=, GBK with no charset at all, a lead-in (引题) above
    #    the title, full-width digits in the date, a link to the first article by its full old URL.
    write(f"{HOST}/show.asp?id=77", f"""<html>
<head>
<title>代表视察农村人居环境整治--眉县人大</title>
</head>
<body bgcolor="#FFFFFF" leftmargin="0" topmargin="0">
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td height="90" background="/images/top.jpg"><font color="#FFFFFF" size="6">眉县人大常委会</font></td></tr>
<tr><td class="nav"><a href="/index.html">首页</a> <a href="/list.asp?classid=3">人大要闻</a> <a href="/list.asp?classid=5">代表工作</a></td></tr>
</table>
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0">
<tr>
<td width="200" valign="top"><table><tr><td><a href="/list.asp?classid=5">代表工作</a></td></tr><tr><td><a href="/list.asp?classid=6">履职动态</a></td></tr><tr><td><a href="/list.asp?classid=10">代表风采</a></td></tr></table></td>
<td width="780" valign="top">
<table width="100%"><tr><td height="30"><img src="/images/arrow.gif"> 您现在的位置： <a href="/index.html">首页</a> &gt;&gt; <a href="/list.asp?classid=5">代表工作</a> &gt;&gt; <a href="/list.asp?classid=6">履职动态</a> &gt;&gt; 详细内容</td></tr></table>
<table width="100%" border="0" cellspacing="0" cellpadding="0">
<tr><td align="center"><font size="3" color="#333333">深入基层察民情 履职尽责解民忧</font></td></tr>
<tr><td align="center"><font size="5" color="#CC0000"><b>代表视察农村人居环境整治</b></font></td></tr>
<tr><td align="center"><font color="#666666">撰稿：李四　审核：王五　发布日期：２０２０年３月５日　浏览次数：328</font></td></tr>
<tr><td><hr size="1" color="#CCCCCC"></td></tr>
<tr><td class="content"><font face="宋体" style="font-size:14px;line-height:200%">
&nbsp;&nbsp;&nbsp;&nbsp;3月5日，部分县人大代表视察全县农村人居环境整治工作。<br>
&nbsp;&nbsp;&nbsp;&nbsp;代表们先后来到首善街道、横渠镇，实地察看了“厕所革命”和垃圾分类工作。<br>
&nbsp;&nbsp;&nbsp;&nbsp;<b>一、取得的成效</b><br>
&nbsp;&nbsp;&nbsp;&nbsp;全县共改造农村户厕1.2万座，代表们对此给予肯定。详见<a href="http://www.mxrd.gov.cn/content/2019-11/08/content_12345.htm">常委会会议</a>。<br>
&nbsp;&nbsp;&nbsp;&nbsp;<b>二、存在的问题</b><br>
&nbsp;&nbsp;&nbsp;&nbsp;部分村组后续管护机制不健全。<br>
</font></td></tr>
<tr><td align="right"><a href="javascript:window.print()">【打印】</a> <a href="javascript:window.close()">【关闭】</a></td></tr>
</table>
</td></tr></table>
<table width="980" align="center"><tr><td align="center"><font size="2">版权所有：眉县人大常委会　地址：眉县首善街道</font></td></tr></table>
</body></html>
""", "gbk")
    # 4. Declared gb2312 but really UTF-8 (imported as UTF-8, reported).
    write(f"{HOST}/show.asp?id=78", f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>县人大常委会组织代表学习培训</title></head><body>
{HEADER}
<div class="position">当前位置：<a href="/">首页</a> > <a href="/list.asp?classid=5">代表工作</a> > <a href="/list.asp?classid=6">履职动态</a> > 正文</div>
<div class="newsTitle">县人大常委会组织代表学习培训</div>
<div class="newsInfo">作者：王五 来源：县人大代表工委 时间：2020年4月1日 09:30</div>
<div class="newsContent" id="zoom">
<p>　　4月1日，县人大常委会举办人大代表履职能力培训班，全县120余名县人大代表参加培训。</p>
<p>　　培训邀请省人大常委会研究室专家作专题辅导，内容涵盖代表履职基本知识、代表建议撰写等。</p>
</div>
{FOOTER}
</body></html>
""")
    # 5. Declared utf-8 but really GBK (imported as GB18030, reported).
    write(f"{HOST}/show.asp?id=79", f"""<html><head><meta charset="utf-8">
<title>县人大常委会听取预算执行情况报告</title></head><body>
{HEADER}
<div class="position">当前位置：<a href="/">首页</a> > <a href="/list.asp?classid=7">监督工作</a> > <a href="/list.asp?classid=11">预算监督</a> > 正文</div>
<div class="newsTitle">县人大常委会听取预算执行情况报告</div>
<div class="newsInfo">来源：县人大财经委 发布时间：2020-07-28 15:00:00</div>
<div class="newsContent" id="zoom">
<p>　　7月28日，县人大常委会听取了县人民政府关于2020年上半年预算执行情况的报告。</p>
<p>　　会议要求，要严格预算执行，压减一般性支出，保障重点民生项目资金需求。</p>
</div>
{FOOTER}
</body></html>
""", "gbk")
    # 6. The first article again under a second URL (a duplicate: one article, both aliases).
    shutil.copyfile(MIRROR / HOST / "content/2019-11/08/content_12345.htm", _mkdir(MIRROR / HOST / "html/2019/1108/12345.shtml"))
    # 7. A page with no breadcrumb, UTF-8, bracketed labels, a .jsp address with a query string.
    write(f"{HOST}/jsp/article.jsp?articleId=555", f"""<!DOCTYPE html><html lang="zh-CN"><head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><title>关于召开县十八届人大常委会第三十次会议的通知</title></head>
<body>{HEADER}
<div class="article-title"><h2>关于召开县十八届人大常委会第三十次会议的通知</h2></div>
<div class="article-meta">【来源】县人大常委会办公室　【时间】2020/8/20</div>
<div class="article-content">
<p>各位组成人员：</p>
<p>经主任会议研究决定，县十八届人大常委会第三十次会议于8月28日召开。请准时出席。</p>
<p>附件：<a href="/uploads/files/richeng.docx">会议日程</a></p>
<p style="text-align:right">县人大常委会办公室</p>
<p style="text-align:right">2020年8月20日</p>
</div>
{FOOTER}</body></html>
""")
    # 8. Lists, an index, a search page and a frameset: skipped and counted.
    items = "\n".join(f'<li><a href="/content/2019-11/0{d}/content_1234{d}.htm">县人大常委会第{d}期工作简报</a><span>2019-11-0{d}</span></li>'
                      for d in range(1, 10))
    write(f"{HOST}/list.asp?classid=3", f"""<html><head><meta charset="gbk"><title>人大要闻</title></head><body>{HEADER}
<div class="location">当前位置：首页 > 人大要闻</div><ul class="list">{items}</ul>
<div class="page">共9条 第1页 <a href="/list.asp?classid=3&page=2">下一页</a></div>{FOOTER}</body></html>""", "gbk")
    write(f"{HOST}/content/2019-11/index.htm", f"""<html><head><meta charset="utf-8"><title>2019年11月</title></head><body>{HEADER}
<div class="location">当前位置：首页 > 人大要闻 > 2019年11月</div><ul class="list">{items}</ul>{FOOTER}</body></html>""")
    write(f"{HOST}/index.html", f"""<html><head><meta charset="utf-8"><title>眉县人大常委会</title></head><body>{HEADER}
<div class="box"><h3>人大要闻</h3><ul>{items}</ul></div><div class="box"><h3>通知公告</h3><ul>{items}</ul></div>{FOOTER}</body></html>""")
    write(f"{HOST}/search.asp?keyword=%C8%CB%B4%F3", f"""<html><head><meta charset="gb2312"><title>搜索结果</title></head><body>{HEADER}
<div class="location">当前位置：首页 > 站内搜索</div><p>搜索结果：共找到9条</p><ul>{items}</ul>{FOOTER}</body></html>""", "gbk")
    write(f"{HOST}/frame.htm", """<html><head><meta charset="utf-8"><title>眉县人大</title></head>
<frameset rows="90,*"><frame src="/top.htm"><frame src="/index.html"></frameset></html>""")
    # 9. Mojibake already in the file (UTF-8 read as GBK, then saved as UTF-8): reported, never imported.
    good = "县人大常委会召开党组会议。会议传达学习了中央人大工作会议精神，研究部署下一阶段重点工作任务。"
    write(f"{HOST}/show.asp?id=90", f"""<html><head><meta charset="utf-8"><title>x</title></head><body>
<div>当前位置：首页 > 人大要闻 > 正文</div><h1>{good.encode('utf-8').decode('gbk', 'replace')[:12]}</h1>
<div>发布时间：2020-09-01</div><div class="content"><p>{good.encode('utf-8').decode('gbk', 'replace') * 3}</p></div></body></html>""")
    # 10. A short notice at a plain .jsp address (no query), declared ISO-8859-1 but GBK, its meta line spread
    #     over three lines, a sidebar of dated links, and a picture served by a script (showimg.asp?id=3).
    sidebar = "".join(f'<li><a href="/show.asp?id={n}">县人大常委会第{n}次主任会议召开</a> 2020-0{n}-01</li>'
                      for n in range(1, 10))
    write(f"{HOST}/jsp/notice.jsp", f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">
<title>停电通知</title></head><body>{HEADER}
<table><tr><td class="left"><h4>最新动态</h4><ul>{sidebar}</ul></td><td class="right">
<div class="crumb">当前位置：首页 &gt; 通知公告 &gt; 正文</div>
<h2>停电通知</h2><div>作者：县人大办</div><div>日期：2021年3月2日</div><div>来源：本网</div>
<div class="text"><p>3月5日机关大楼停电一天。</p><p align="center"><img src="/showimg.asp?id=3"></p></div>
</td></tr></table>{FOOTER}</body></html>""", "gbk")
    _mkdir(MIRROR / HOST / "showimg.asp?id=3").write_bytes(JPEG)
    # 11. A page that only sends the reader on, and a text file of the old site that is no article.
    write(f"{HOST}/news/old.htm", '<html><head><meta http-equiv="refresh" content="0; url=/index.html"></head>'
                                   '<body>正在跳转……</body></html>')
    write(f"{HOST}/uploads/files/readme.txt", "本目录存放附件。\n")
    # 12. Pictures and attachments that were saved; the page template's own pictures.
    for rel in ("uploads/2019/11/photo1.jpg", "images/logo.gif", "images/arrow.gif", "images/top.jpg"):
        _mkdir(MIRROR / HOST / rel).write_bytes(JPEG)
    _mkdir(MIRROR / HOST / "uploads/files/jiyao.pdf").write_bytes(b"%PDF-1.4\n% fixture\n%%EOF\n")
    _mkdir(MIRROR / HOST / "uploads/files/richeng.docx").write_bytes(b"PK\x03\x04 fixture docx")
    _mkdir(MIRROR / HOST / "uploads/files/anpai.xls").write_bytes(b"\xd0\xcf\x11\xe0 fixture xls")
    # 14. A list page laid out as a table (ASP, 动易): title links and date cells in rows, the header's clock
    #     (今天是…星期五) that looks like a date line under the site's name, no paging. Its rows link to articles
    #     of two subsections: its old address redirects to their common section, 监督工作.
    rows = "".join(f'<tr><td width="80%"><img src="/images/arrow.gif"> <a href="{href}" target="_blank">{title}</a></td>'
                   f'<td width="20%" align="right">{day}</td></tr>'
                   for href, title, day in (("/content/2019-11/09/content_12346.htm", "县人大常委会开展执法检查", "2019-11-09"),
                                            ("/show.asp?id=79", "县人大常委会听取预算执行情况报告", "2020-07-28"),
                                            ("/show.asp?id=60", "县人大常委会开展环境保护法执法检查", "2019-06-12"),
                                            ("/show.asp?id=61", "县人大常委会视察重点项目建设", "2019-05-20"),
                                            ("/show.asp?id=62", "县人大常委会听取审计工作报告", "2019-04-18")))
    write(f"{HOST}/list.asp?classid=7", f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>监督工作--眉县人大</title></head><body>
<table width="980" align="center"><tr><td><font size="6">眉县人大常委会</font></td></tr>
<tr><td align="right">今天是：2019年11月8日 星期五</td></tr></table>
<table width="980" align="center"><tr><td width="200" valign="top"><a href="/list.asp?classid=8">执法检查</a><br>
<a href="/list.asp?classid=11">预算监督</a></td><td valign="top">
<table width="100%"><tr><td>您现在的位置： <a href="/index.html">首页</a> &gt;&gt; 监督工作</td></tr></table>
<table width="100%" cellpadding="3">{rows}</table></td></tr></table>
<table width="980" align="center"><tr><td align="center">版权所有：眉县人大常委会　地址：眉县首善街道</td></tr></table>
</body></html>""", "gbk")
    # 15. The second page of a list laid out as <ul>, with a summary under each title and a pager (&page=2): its
    #     first page is list.asp?classid=3 above; both redirect to 人大要闻.
    entries = "".join(f'<li><h4><a href="/content/2019-10/{d:02d}/content_{12200 + d}.htm">县人大常委会第{d}次主任会议研究部署近期工作</a></h4>'
                      f'<p>会议听取了县人民政府有关部门关于近期重点工作推进情况的汇报，研究了常委会下一步工作安排，'
                      f'要求各专门委员会加强调查研究，认真做好有关准备工作。</p><span class="date">2019-10-{d:02d}</span></li>'
                      for d in range(1, 8))
    write(f"{HOST}/list.asp?classid=3&page=2", f"""<html><head><meta charset="utf-8"><title>人大要闻</title></head><body>{HEADER}
<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/list.asp?classid=3">人大要闻</a></div>
<ul class="news-list">{entries}</ul>
<div class="page">共16条 每页7条 第2/3页 <a href="/list.asp?classid=3&page=1">上一页</a> <a href="/list.asp?classid=3&page=3">下一页</a></div>
{FOOTER}</body></html>""")
    # 16. A list in plain <div>s (a JSP CMS) under a heading and an 'updated' line that look like a title and
    #     its date line: the dated links right under it make it a list; they point at the notice (通知公告).
    news = "".join(f'<div class="news-item"><a href="{href}" title="{title}">{title}</a><span class="time">[{day}]</span></div>'
                   for href, title, day in (("/jsp/notice.jsp", "停电通知", "2021-03-02"),
                                            ("/jsp/article.jsp?articleId=555", "关于召开县十八届人大常委会第三十次会议的通知", "2020-08-20"),
                                            ("/jsp/article.jsp?articleId=540", "关于召开县十八届人大常委会第二十九次会议的通知", "2020-06-22"),
                                            ("/jsp/article.jsp?articleId=521", "关于做好人大代表建议办理工作的通知", "2020-04-10"),
                                            ("/jsp/article.jsp?articleId=503", "关于开展人大代表集中视察活动的通知", "2020-03-01")))
    write(f"{HOST}/jsp/list.jsp?columnId=9", f"""<!DOCTYPE html><html><head><meta charset="UTF-8"><title>通知公告</title></head>
<body>{HEADER}<div class="crumb">当前位置：首页 &gt; 通知公告</div>
<div class="column"><h2 class="column-title">通知公告</h2><div class="update">更新时间：2021-03-02</div>
<div class="news-list">{news}</div></div>{FOOTER}</body></html>""")
    # 17. An article over two pages (show.asp?id=80&page=2), a picture with its own alt text and a caption
    #     under it, the header's clock above the title; and one over three pages (123_2.html) whose third page
    #     was not saved (reported), with a picture from another site (never hot-linked: reported missing).
    pager = '<div class="pages">共2页 <a href="/show.asp?id=80">1</a> <a href="/show.asp?id=80&page=2">2</a> 下一页</div>'
    for page, text in ((1, '<p>　　12月2日，县人大常委会组织部分省、市、县人大代表开展集中视察活动。</p>'
                           '<p align="center"><img src="/uploads/2019/12/shicha.jpg" alt="代表们在项目现场听取情况介绍"></p>'
                           '<p align="center">图为代表们在视察现场</p>'
                           '<p>　　代表们先后视察了县城污水处理厂提标改造项目和首善街道便民服务中心。</p>'),
                       (2, '<p>　　二、视察中发现的问题</p><p>　　代表们认为，部分项目建设进度滞后，群众反映的问题还没有'
                           '得到及时解决，建议有关部门加快推进。</p>')):
        write(f"{HOST}/show.asp?id=80" + ("&page=2" if page == 2 else ""), f"""<html><head><meta charset="gb2312">
<title>县人大代表开展集中视察活动</title></head><body>
<div class="top">眉县人大常委会 今天是：2019年12月2日 星期一</div>
<div class="position">当前位置：<a href="/">首页</a> > <a href="/list.asp?classid=5">代表工作</a> > <a href="/list.asp?classid=6">履职动态</a> > 正文</div>
<div class="newsTitle">县人大代表开展集中视察活动</div>
<div class="newsInfo">作者：赵六 来源：县人大代表工委 时间：2019年12月2日</div>
<div class="newsContent">{text}</div>{pager}
<div class="tools">[打印本页] [关闭本页]</div>{FOOTER}</body></html>""", "gbk")
    _mkdir(MIRROR / HOST / "uploads/2019/12/shicha.jpg").write_bytes(JPEG)
    pager = ('<div class="dede_pages"><ul class="pagelist"><li><a>共3页: </a></li><li class="thisclass"><a href="#">1</a></li>'
             '<li><a href="content_12400_2.htm">2</a></li><li><a href="content_12400_3.htm">3</a></li>'
             '<li><a href="content_12400_2.htm">下一页</a></li></ul></div>')
    for page, text in ((1, '<p>　　12月2日，县人大常委会召开第二十五次会议，审议县人民政府关于2019年国民经济和社会发展计划执行情况的报告。</p>'
                           '<p style="text-align:center"><img src="http://img.example-cdn.cn/2019/12/huiyi.jpg"></p>'
                           '<p style="text-align:center">图为会议现场</p>'),
                       (2, '<p>　　会议还审议了人事任免事项，表决通过了有关任免名单。会议要求，要认真落实常委会审议意见。</p>')):
        write(f"{HOST}/content/2019-12/02/content_12400" + ("_2" if page == 2 else "") + ".htm", trs_page(
            "utf-8", "县人大常委会召开第二十五次会议", "",
            "来源：本网　作者：张三　发布时间：2019-12-02 16:30",
            '<a href="/index.html">首页</a> &gt; <a href="/list.asp?classid=3">人大要闻</a> &gt; 正文', text + pager))
    # 18. Date lines below the body: '发布日期：…' with the author at the foot (no date under the title), and a
    #     speech dated '（2019年11月8日）' on its last line.
    write(f"{HOST}/html/2019/1112/200.shtml", f"""<html><head><meta charset="utf-8"><title>县人大常委会开展宪法宣传活动</title></head>
<body>{HEADER}<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/list.asp?classid=3">人大要闻</a> &gt; 正文</div>
<div class="detail"><h1>县人大常委会开展宪法宣传活动</h1>
<div class="text"><p>　　11月12日，县人大常委会在首善街道广场开展宪法宣传活动，发放宣传资料2000余份。</p>
<p>　　活动中，工作人员向过往群众讲解宪法知识，解答群众提出的法律问题。</p></div>
<div class="foot">作者：钱七　发布日期：2019-11-12</div></div>
<div class="tools">[打印本页] [关闭本页]</div>{FOOTER}</body></html>""")
    write(f"{HOST}/html/2019/1108/201.shtml", f"""<html><head><meta charset="utf-8"><title>在县人大常委会第二十三次会议上的讲话</title></head>
<body>{HEADER}<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/list.asp?classid=3">人大要闻</a> &gt; 正文</div>
<div class="detail"><h1>在县人大常委会第二十三次会议上的讲话</h1>
<div class="text"><p>同志们：</p><p>　　这次会议审议通过了多项决议决定，希望大家认真抓好落实，推动各项工作再上新台阶。</p>
<p style="text-align:right">（2019年11月8日）</p></div></div>{FOOTER}</body></html>""")
    # 19. The print view of article 5: same title and day, its text without the page around it (one article,
    #     both addresses).
    write(f"{HOST}/print.asp?id=79", """<html><head><meta charset="utf-8"><title>县人大常委会听取预算执行情况报告</title></head>
<body onload="window.print()"><h2>县人大常委会听取预算执行情况报告</h2><p>发布时间：2020-07-28 15:00:00</p>
<p>　　7月28日，县人大常委会听取了县人民政府关于2020年上半年预算执行情况的报告。</p>
<p>　　会议要求，要严格预算执行，压减一般性支出，保障重点民生项目资金需求。</p></body></html>""")
    # 13. The seed, saved as text, beside the mirror (a copy may mix the two).
    _mkdir(MIRROR / "saved-as-text" / SEED.name).write_bytes(seed)


def _mkdir(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


if __name__ == "__main__":
    main()
    print(f"wrote {MIRROR}")
