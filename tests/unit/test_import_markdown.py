"""Article bodies (HTML) to Markdown: paragraphs, numbered headings, bold, lists, tables, quotes, pictures, links."""

from __future__ import annotations

from sitegen.importer.extract import _join
from sitegen.importer.fields import Meta
from sitegen.importer.htmltext import parse_html
from sitegen.importer.resolve import Resolved, fill
from sitegen.importer.tomarkdown import Converter
from sitegen.messages import language_named


def convert(html: str, allow_html: bool = False) -> tuple[str, list, list]:
    body = parse_html(f"<html><body><div id='c'>{html}</div></body></html>").find(".//div")
    converted = Converter(allow_html).convert(body)
    targets = [Resolved(f"/new/{n}", "page") for n in range(len(converted.refs))]
    return fill(_join(converted.blocks, Meta()), targets)[0], converted.refs, converted.notes


def test_indents_are_dropped_and_numbered_paragraphs_become_headings():
    markdown, _, _ = convert("""<p style="text-indent:2em">第一段。</p><p>&nbsp;&nbsp;&nbsp;&nbsp;第二段。</p>
<p>　　一、加强学习</p><p>　　（一）学习制度</p><p>　　（二）学习内容要丰富，形式要多样，效果要明显。</p>
<p>一、这是一个很长的段落，开头虽然是编号，但是后面有很多内容，超过了标题的长度，所以仍然是一个普通的段落而不是标题。</p>""")
    assert markdown == ("第一段。\n\n第二段。\n\n## 一、加强学习\n\n### （一）学习制度\n\n（二）学习内容要丰富，形式要多样，效果要明显。\n\n"
                        "一、这是一个很长的段落，开头虽然是编号，但是后面有很多内容，超过了标题的长度，所以仍然是一个普通的段落而不是标题。\n")


def test_br_separated_text_in_font_tags():
    markdown, _, _ = convert("<font size=3>&nbsp;&nbsp;第一段。<br>&nbsp;&nbsp;<b>二、成效</b><br>　　第三段。<br></font>")
    assert markdown == "第一段。\n\n## 二、成效\n\n第三段。\n"


def test_bold_only_where_the_build_reads_it():
    from sitegen.markdown import make_markdown, render_markdown

    markdown, _, _ = convert("<p>会议由<strong>县人大常委会主任</strong>主持，<b>“两个机关”</b>建设。<b>x</b>y "
                             "<b>(z)</b>w</p>")
    assert markdown == "会议由**县人大常委会主任**主持，**“两个机关”**建设。**x**y (z)w\n"
    assert render_markdown(make_markdown(False), markdown, "/").html == (
        "<p>会议由<strong>县人大常委会主任</strong>主持，<strong>“两个机关”</strong>建设。<strong>x</strong>y (z)w</p>\n")


def test_lists_quotes_and_escapes():
    markdown, _, _ = convert("<ol><li>第一项；</li><li>第二项。</li></ol><ul><li>甲</li></ul>"
                             "<blockquote><p>引文一。</p><p>引文二。</p></blockquote><p>1. 不是列表 *星号* [括号] # 井号</p>")
    assert markdown == ("1. 第一项；\n2. 第二项。\n\n- 甲\n\n> 引文一。\n>\n> 引文二。\n\n"
                        "1\\. 不是列表 \\*星号\\* \\[括号\\] # 井号\n")


def test_pictures_with_captions_and_links():
    markdown, refs, _ = convert('<p align="center"><img src="a.jpg"></p><p align="center">图为会议现场</p>'
                                '<p>详见<a href="b.htm">报道</a>。<a href="javascript:void(0)">无效</a></p>')
    assert refs == [("image", "a.jpg"), ("link", "b.htm")]
    assert markdown == '![会议现场](/new/0 "图为会议现场")\n\n详见[报道](/new/1)。无效\n'


def test_a_caption_is_the_figures_title_once_and_the_alt_text_describes_the_picture():
    markdown, _, _ = convert('<p align="center"><img src="a.jpg" alt="主席台"></p><p align="center">图为"会议"现场</p>'
                             '<p><img src="b.jpg" alt="IMG_0012.JPG"></p><p>▲ 代表们在视察</p>'
                             '<p><img src="c.jpg" alt="会场"></p><p>会议结束后，代表们又来到了项目现场继续视察，并和群众交流。</p>')
    assert markdown == ('![主席台](/new/0 "图为\\"会议\\"现场")\n\n![代表们在视察](/new/1 "▲ 代表们在视察")\n\n'
                        '![会场](/new/2)\n\n会议结束后，代表们又来到了项目现场继续视察，并和群众交流。\n')
    from sitegen.markdown import make_markdown, render_markdown
    html = render_markdown(make_markdown(False), markdown, "/").html
    assert html.count("图为") == 1 and '<figcaption>图为"会议"现场</figcaption>' in html.replace("&quot;", '"')
    assert 'alt="主席台"' in html


def test_a_dropped_picture_keeps_its_caption_and_a_dropped_link_its_text():
    body = parse_html("<html><body><div><p><img src='x.jpg' alt='现场'></p><p>见<a href='y.doc'>附件</a></p>"
                      "<p align='center'><img src='z.jpg'></p><p align='center'>图为检查现场</p>"
                      "<p align='center'><img src='w.jpg' alt='会场'></p><p align='center'>会议现场</p></div>"
                      "</body></html>").find(".//div")
    converted = Converter(False).convert(body)
    text, at = fill(_join(converted.blocks, Meta()), [Resolved("", "missing")] * 4)
    assert text == "（图：现场）\n\n见附件\n\n（图为检查现场）\n\n（图：会议现场）\n"
    assert [text[at[n][0]:at[n][0] + 4] for n in range(4)] == ["（图：现", "附件\n\n", "（图为检", "（图：会"]
    assert [at[n][1:] for n in range(4)] == [("（图：现场）", "现场", ""), ("附件", "附件", ""),
                                             ("（图为检查现场）", "检查现场", ' "图为检查现场"'),
                                             ("（图：会议现场）", "会场", ' "会议现场"')]


TABLE = """<table border=1><tr><th>组</th><th>单位</th></tr><tr><td rowspan=2>一组</td><td>甲局</td></tr>
<tr><td>乙局</td></tr><tr><td colspan=2>合计</td></tr></table>"""


def test_merged_cells_are_simplified_and_reported_without_allow_html():
    markdown, _, notes = convert(TABLE)
    assert markdown == "| 组 | 单位 |\n| --- | --- |\n| 一组 | 甲局 |\n|  | 乙局 |\n| 合计 |  |\n"
    assert [note.said() for note in notes] == ["有合并单元格的表格已简化（allow_html 为 false）：合并格的文字放在第一格"]
    assert [note.said(language_named("en")) for note in notes] == [
        "a table with merged cells was simplified (allow_html is false): the merged text is in the first cell"]


def test_merged_cells_stay_html_with_allow_html():
    markdown, _, notes = convert(TABLE, allow_html=True)
    assert markdown == ('<table>\n<tr><th>组</th><th>单位</th></tr>\n<tr><td rowspan="2">一组</td><td>甲局</td></tr>\n'
                        '<tr><td>乙局</td></tr>\n<tr><td colspan="2">合计</td></tr>\n</table>\n')
    assert notes == []


def test_layout_tables_are_unwrapped():
    markdown, _, _ = convert("<table><tr><td><p>正文一。</p><p>正文二。</p></td></tr></table>"
                             "<table><tr><td><img src='p.jpg'></td></tr><tr><td>图为现场</td></tr></table>")
    assert markdown == '正文一。\n\n正文二。\n\n![现场](/new/0 "图为现场")\n'


def test_an_address_with_spaces_or_brackets_is_written_so_the_link_stays_a_link():
    from sitegen.importer.resolve import destination
    from sitegen.markdown import make_markdown, render_markdown

    address = destination("http://www.gov.cn/zhengce/通知 (2019).html")
    assert address == "http://www.gov.cn/zhengce/通知%20%282019%29.html"
    rendered = render_markdown(make_markdown(False), f"[通知]({address})\n", "/")
    assert rendered.unparsed == () and f'href="{address}"' in rendered.html.replace("%E9%80%9A%E7%9F%A5", "通知")


def test_the_icon_inside_a_link_to_a_document_is_left_out_but_a_linked_picture_is_kept():
    markdown, refs, _ = convert('<p>附件：<a href="/uploads/a.pdf"><img src="/plus/img/addon.gif">执法检查日程表.pdf</a></p>'
                                '<p><a href="/show.asp?id=3"><img src="/uploads/1.jpg" alt="会议现场"></a></p>')
    assert refs == [("link", "/uploads/a.pdf"), ("image", "/uploads/1.jpg")]
    assert "[执法检查日程表.pdf](/new/0)" in markdown and "addon" not in markdown
