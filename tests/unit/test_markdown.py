"""render_markdown and summarize: CommonMark + tables, base-path links, heading ids, escaped raw HTML,
internal links collected for checking, and short summaries."""

from __future__ import annotations

from sitegen.markdown import SUMMARY_CHARS, anchor_id, make_markdown, render_markdown, summarize
from sitegen.parse import ParseOptions, parse_source
from sitegen.sources import SourceFile

SENTENCE = "县人大常委会组织部分代表对全县环境保护法贯彻实施情况进行执法检查，听取了县政府及有关部门的汇报。"  # 47 characters


def html(text: str, base: str = "/", allow_html: bool = False) -> str:
    return render_markdown(make_markdown(allow_html), text, base).html


def plain(text: str) -> str:
    return render_markdown(make_markdown(False), text, "/").plain


def test_commonmark_and_tables():
    out = html("## 会议议程\n\n1. 审议\n2. 表决\n\n| 项目 | 金额 |\n|---|---|\n| 教育 | 100 |\n")
    assert '<h2 id="会议议程">会议议程</h2>' in out
    assert "<ol>\n<li>审议</li>\n<li>表决</li>\n</ol>" in out
    assert "<table>" in out and "<th>项目</th>" in out and "<td>100</td>" in out


def test_root_relative_links_and_images_get_the_base_path():
    out = html("[要闻](/renda-yaowen/) ![图](/images/a.jpg \"会场\") [外](https://npc.gov.cn/) [协](//cdn.x/a) "
               "[相](a/b/) [锚](#x) [邮](mailto:a@b.cn)", base="/repo/")
    assert '<a href="/repo/renda-yaowen/">要闻</a>' in out
    assert '<img src="/repo/images/a.jpg" alt="图" title="会场" />' in out
    assert 'href="https://npc.gov.cn/"' in out and 'href="//cdn.x/a"' in out
    assert 'href="a/b/"' in out and 'href="#x"' in out and 'href="mailto:a@b.cn"' in out


def test_reference_links_get_the_base_path_too():
    assert '<a href="/repo/tongzhi/">通知</a>' in html("[通知][t]\n\n[t]: /tongzhi/\n", base="/repo/")


def test_root_base_leaves_links_alone():
    assert '<a href="/renda-yaowen/">要闻</a>' in html("[要闻](/renda-yaowen/)")


def test_raw_html_is_escaped_unless_allowed():
    text = '<div class="box">框</div>\n\n文字 <b>粗</b> <script>alert(1)</script>\n'
    escaped = html(text)
    assert "<div" not in escaped and "<b>" not in escaped and "<script>" not in escaped
    assert "&lt;div class=&quot;box&quot;&gt;框&lt;/div&gt;" in escaped
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in escaped
    allowed = html(text, allow_html=True)
    assert '<div class="box">框</div>' in allowed and "<b>粗</b>" in allowed


def test_plain_text_keeps_words_and_drops_markup_and_headings():
    text = "# 标题\n\n第一段**加粗**和`代码`，[链接](/a/)。\n\n> 引用\n\n- 列表项\n"
    assert plain(text) == "第一段加粗和代码，链接。 引用 列表项"


def test_headings_get_unique_ids():
    rendered = render_markdown(make_markdown(False), "## 一、会议议程\n\n## 一、会议议程\n\n### Budget 2020!\n\n## ！！\n",
                               "/")
    assert rendered.anchors == ("一-会议议程", "一-会议议程-1", "budget-2020", "section")
    assert '<h2 id="一-会议议程-1">一、会议议程</h2>' in rendered.html
    assert anchor_id("第三部分：监督") == "第三部分-监督"


def test_internal_links_are_collected_with_their_body_lines():
    text = "第一段\n\n见[要闻](/news/)和[外部](https://npc.gov.cn/)\n\n![图](../images/a.jpg)\n[邮件](mailto:a@b.cn) [锚](#x)\n"
    rendered = render_markdown(make_markdown(False), text, "/repo/")
    assert [target for target, *_ in rendered.links] == ["/news/", "../images/a.jpg", "#x"]
    # 0-based lines of the body; each line is its own paragraph now (issue 21), so '[锚](#x)' has its own line
    assert [line for _, line, *_ in rendered.links] == [2, 4, 5]


def test_summarize_short_text_whole_with_spaces_folded():
    assert summarize("  一段\n\n  短文  ") == "一段 短文"
    assert summarize("") == ""


def test_summarize_cuts_long_chinese_text_at_the_limit():
    text = SENTENCE * 10
    summary = summarize(text)
    assert summary.endswith("……")
    body = summary[:-2]
    assert len(body) <= SUMMARY_CHARS == 120
    assert len(body) >= SUMMARY_CHARS - 3  # at most a few trailing punctuation marks dropped
    assert text.startswith(body)


def test_summarize_does_not_end_on_a_comma_before_the_ellipsis():
    text = "甲" * 119 + "，" + "乙" * 50
    assert summarize(text) == "甲" * 119 + "……"


def test_summarize_exactly_at_the_limit_is_whole():
    assert summarize("字" * 120) == "字" * 120
    assert summarize("字" * 121) == "字" * 120 + "……"


def test_article_summary_is_about_120_characters_never_the_whole_article():
    body = "\n\n".join(f"## 第{n}部分\n\n{SENTENCE * 3}" for n in range(1, 6))
    text = f"---\ntitle: 执法检查\ndate: 2019-11-08\n---\n\n{body}\n"
    article = parse_source(SourceFile("news/x.md", "content/news/x.md", text),
                           ParseOptions("Asia/Shanghai", "/", False), make_markdown(False)).article
    summary = article.summary
    assert 110 <= len(summary) <= 122
    assert summary.endswith("……")
    assert summary.startswith(SENTENCE)
    assert "第1部分" not in summary and "#" not in summary and "<" not in summary
    assert len(summary) < len(plain(body)) / 5


# --- Chinese text (issue 21): what editors paste from Word reads as they meant ----------------------------

def test_each_line_of_a_paragraph_is_a_paragraph_of_its_own():
    """One line per paragraph, as pasted from Word, is never one wall of text."""
    assert html("第一段第一行\n第二行也是一段\n\n第三段") == "<p>第一段第一行</p>\n<p>第二行也是一段</p>\n<p>第三段</p>\n"
    assert html("> 引用第一行\n> 引用第二行") == "<blockquote>\n<p>引用第一行</p>\n<p>引用第二行</p>\n</blockquote>\n"


def test_a_link_on_a_later_line_keeps_its_own_line():
    rendered = render_markdown(make_markdown(False), "第一行\n第二行[要闻](/news/)\n", "/")
    assert rendered.links == (("/news/", 1),)
    assert rendered.html == '<p>第一行</p>\n<p>第二行<a href="/news/">要闻</a></p>\n'


def test_indented_text_is_a_paragraph_never_a_code_block():
    assert html("    缩进四个空格的段落，不是代码。") == "<p>缩进四个空格的段落，不是代码。</p>\n"
    assert html("第一段。\n\n\t用制表符缩进的段落。") == "<p>第一段。</p>\n<p>用制表符缩进的段落。</p>\n"


def test_leading_full_width_spaces_of_a_paragraph_are_dropped():
    """The style sheet indents paragraphs; 　　 typed by hand would indent them twice."""
    assert html("\u3000\u3000两个全角空格开头。\n\u3000\u3000第二段。") == "<p>两个全角空格开头。</p>\n<p>第二段。</p>\n"


def test_a_line_break_inside_a_list_item_joins_chinese_without_a_space():
    assert html("- 列表项第一行\n  接着写的第二行\n- 第二项") == "<ul>\n<li>列表项第一行接着写的第二行</li>\n<li>第二项</li>\n</ul>\n"
    assert html("*强调第一行\n强调第二行*") == "<p><em>强调第一行强调第二行</em></p>\n"
    assert html("- item one\n  item two") == "<ul>\n<li>item one\nitem two</li>\n</ul>\n"  # other text keeps its space


def test_backslashes_in_addresses_are_read_as_slashes_and_remembered():
    rendered = render_markdown(make_markdown(False), "![图](\\images\\2026\\a.jpg)\n\n[外](https://a.cn/x\\y)\n", "/")
    assert rendered.html == ('<p><img src="/images/2026/a.jpg" alt="图" /></p>\n'
                             '<p><a href="https://a.cn/x%5Cy">外</a></p>\n')
    assert rendered.links == (("/images/2026/a.jpg", 0),)
    assert [line for _, line in rendered.backslashed] == [0]  # an external address is left as written


def test_links_and_pictures_that_stayed_text_are_found_with_their_lines():
    text = ("第一段。\n![会议 现场](/images/a b.jpg)\n\n详见[通知](javascript:alert(1))。\n\n"
            "\\[附件一\\](见下) 是文字。\n\n[正常](/news/) ![正常](/images/a%20b.jpg)\n\n- 列表里 [坏](/x y/)\n")
    rendered = render_markdown(make_markdown(False), text, "/")
    assert rendered.unparsed == (("![会议 现场](/images/a b.jpg)", 1), ("[通知](javascript:alert(1))", 3),
                                 ("[坏](/x y/)", 9))
    assert [target for target, _ in rendered.links] == ["/news/", "/images/a%20b.jpg"]


def test_what_is_said_of_a_link_that_stayed_text_follows_why():
    from sitegen.markdown import unparsed_message

    assert unparsed_message("![图](/images/a b.jpg)").said() == (
        "“![图](/images/a b.jpg)”没有成为图片，读者会原样看到这串文字：地址里有空格。请把每个空格写成 %20，或者给文件改一个"
        "不带空格的名字")
    assert "javascript:" in unparsed_message("[点](javascript:void(0))").said()
    assert unparsed_message("[通知](file:///C:/a/通知.docx)").said().startswith("file:///C:/a/通知.docx 是您电脑上的文件")
    assert unparsed_message("[见](<通知)").said() == (
        "“[见](<通知)”没有成为链接，读者会原样看到这串文字：链接请写成 [文字](地址)，图片请写成 ![图片说明](地址)，地址里不要有"
        "空格或括号")


def test_a_heading_without_its_space_is_found_but_a_topic_or_an_escaped_hash_is_not():
    text = "#一、基本情况\n\n正文\n##二、成效\n\n#两会#开幕\n\n\\#三、不是标题\n\n# 四、标题\n\n```\n#代码\n```\n"
    rendered = render_markdown(make_markdown(False), text, "/")
    assert rendered.unparsed == (("#一、基本情况", 0), ("##二、成效", 3))
    from sitegen.markdown import unparsed_message

    assert unparsed_message("##二、成效").said() == (
        "“##二、成效”没有成为小标题，读者会看到“##”：要作小标题，请在“##”后面加一个空格；不要小标题，请删掉“##”")
