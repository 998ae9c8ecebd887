"""What editors really type: the unambiguous forms are read as meant, the ambiguous ones refused with a message
that says how to write them (dates, tags, full-width colons, quotes in a value, Windows paths)."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from sitegen.dates import has_time, parse_date, why_not_a_date
from sitegen.fields import check_mapping, convert
from sitegen.markdown import make_markdown, render_markdown
from sitegen.messages import language_named
from sitegen.parse import ARTICLE_SCHEMA, FRONT_MATTER, ParseOptions, parse_source
from sitegen.sources import SourceFile
from sitegen.yamlsource import YamlError, YamlText

SHANGHAI = ZoneInfo("Asia/Shanghai")
EN = language_named("en")
OPTIONS = ParseOptions("Asia/Shanghai", "/", False)


def at(*parts) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=SHANGHAI)


@pytest.mark.parametrize("text, expected", [
    ("2024年5月3日", at(2024, 5, 3)),
    ("2024年05月03日", at(2024, 5, 3)),
    ("2024年5月3日 9:30", at(2024, 5, 3, 9, 30)),
    ("2024年5月3日9:30", at(2024, 5, 3, 9, 30)),
    ("2024年5月3日 09:30:15", at(2024, 5, 3, 9, 30, 15)),
    ("2024年5月3日 9时30分", at(2024, 5, 3, 9, 30)),
    ("2024年5月3日 下午3:05", at(2024, 5, 3, 15, 5)),
    ("２０２４年５月３日", at(2024, 5, 3)),  # full-width digits, as a Chinese keyboard types them
    ("2024.5.3", at(2024, 5, 3)),
    ("2024/5/3", at(2024, 5, 3)),
    ("2024/05/03 08:00", at(2024, 5, 3, 8)),
    ("2024-5-3", at(2024, 5, 3)),
    ("2019-11-08 11:25:53", at(2019, 11, 8, 11, 25, 53)),
    ("2019-11-08T11:25:53+08:00", at(2019, 11, 8, 11, 25, 53)),
    ("2019-11-08T03:25:53Z", at(2019, 11, 8, 11, 25, 53)),
])
def test_dates_as_editors_write_them_are_read_in_the_site_s_zone(text, expected):
    assert parse_date(text, SHANGHAI) == expected


@pytest.mark.parametrize("text, why", [
    ("5/3/2024", "which puts the year last, so the month and the day cannot be told apart: write the year first, "
                 "such as 2019-11-08"),
    ("03-05-2024", "which puts the year last, so the month and the day cannot be told apart: write the year first, "
                   "such as 2019-11-08"),
    ("24-5-3", "whose year has two digits: write all four, such as 2019-11-08"),
    ("2024/5-3", "which is not in an accepted form (2019-11-08 11:25:53, 2019-11-08 11:25, 2019-11-08, "
                 "2019年11月8日 9:30, 2019/11/8 or 2019.11.8)"),
    ("2024年5月", "which is not in an accepted form (2019-11-08 11:25:53, 2019-11-08 11:25, 2019-11-08, "
                 "2019年11月8日 9:30, 2019/11/8 or 2019.11.8)"),
    ("2024年2月30日", "which does not exist: 2024-02 has no day 30"),
    ("2024-13-01", "which does not exist: there is no month 13"),
    ("2024-05-03 25:00", "which is not a real time of day (2019-11-08 11:25:53, 2019-11-08 11:25, 2019-11-08, "
                         "2019年11月8日 9:30, 2019/11/8 or 2019.11.8)"),
])
def test_ambiguous_or_impossible_dates_are_refused_with_the_reason(text, why):
    assert parse_date(text, SHANGHAI) is None
    assert why_not_a_date(text).said(EN) == why


def test_the_time_of_day_is_known_whatever_the_form():
    assert has_time("2024年5月3日 9:30") and has_time("2024-05-03 09:30") and has_time("2024/5/3 9时")
    assert not has_time("2024年11月18日") and not has_time("2019-11-08")


@pytest.mark.parametrize("value, tags", [
    (["常委会会议、民生实事"], ("常委会会议", "民生实事")),
    ("常委会会议，民生实事", ("常委会会议", "民生实事")),
    ("常委会会议, 民生实事；预算审查;  法治", ("常委会会议", "民生实事", "预算审查", "法治")),
    (["两个机关", "人大代表、两个机关"], ("两个机关", "人大代表")),
    ("ICP 备案", ("ICP 备案",)),  # a space beside Latin letters is part of the tag
    ("人大代表", ("人大代表",)),
])
def test_tags_are_split_at_chinese_and_latin_separators(value, tags):
    assert convert(value, "tags", None) == (tags, None)


def test_a_space_between_chinese_tags_is_refused_with_both_readings():
    value, problem = convert("常委会会议 民生实事", "tags", None)
    assert value is None
    assert problem.said(EN) == ("has a space inside the tag '常委会会议 民生实事': if these are two tags, separate "
                                "them with 、 (tags: [常委会会议、民生实事]); if it is one tag, remove the space")
    assert problem.said() == ("的标签“常委会会议 民生实事”中间有空格：如果是两个标签，请用顿号“、”隔开"
                              "（tags: [常委会会议、民生实事]）；如果是一个标签，请去掉空格")


def test_a_full_width_colon_after_a_key_is_read_as_the_colon():
    front = YamlText("a.md", "title：县人大常委会召开会议\ndate： 2024-05-03 09:30\ntags：[人大代表]\n", 1)
    assert front.load() == {"title": "县人大常委会召开会议", "date": "2024-05-03 09:30", "tags": ["人大代表"]}


def test_a_full_width_colon_inside_a_value_is_left_alone():
    front = YamlText("a.md", "title: 县人大常委会：召开会议\n", 1)
    assert front.load() == {"title": "县人大常委会：召开会议"}


def test_quotes_inside_a_value_are_refused_at_their_line_with_the_fixed_line():
    front = YamlText("a.md", "date: 2024-05-03\ntitle: \"十四五\"规划中期评估: 县人大常委会听取报告\n", 1)
    with pytest.raises(YamlError) as raised:
        front.load()
    problem = raised.value.problem
    assert (problem.line, problem.col) == (3, 1)
    assert problem.said() == (
        "a.md:3:1: “title”这一行的值无法读取：值里有英文引号，或有“: ”“#”时，会被当成格式符号。请写成 "
        "title: “十四五”规划中期评估：县人大常委会听取报告（改用中文引号和冒号），"
        "或 title: '\"十四五\"规划中期评估: 县人大常委会听取报告'（整个值放进英文单引号）")


def test_both_fixed_lines_read_as_the_editor_meant():
    for line in ("title: “十四五”规划中期评估：县人大常委会听取报告",
                 "title: '\"十四五\"规划中期评估: 县人大常委会听取报告'"):
        assert "十四五" in YamlText("a.md", line + "\n").load()["title"]


def test_a_colon_and_space_inside_an_english_value_gets_the_quoted_line():
    with pytest.raises(YamlError) as raised:
        YamlText("a.md", "source: Xinhua: Beijing\n").load()
    assert raised.value.problem.message.said(EN) == (
        "the value of 'source' cannot be read as written (YAML: a second ': ' on the line, or a line indented under "
        "the one above); write it as source: 'Xinhua: Beijing'")


@pytest.mark.parametrize("text, at, said", [
    ("title: 会议\n\tdate: 2024-05-03\n", "a.md:2:1",
     "YAML 格式有误（有制表符（Tab 键）：这里只能用空格缩进，请删掉它）"),
    ("title 县人大会议\ndate: 2024-05-03\n", "a.md:1:1", "这一行的项名后面没有“: ”：请写成例如 title: 县人大常委会召开会议"),
    ("title: 会议\n县人大\n", "a.md:2:1", "YAML 格式有误（这一行不是“项: 值”的写法）"),
    ("tags: [代表, 监督\ndate: 2024-05-03\n", "a.md:1:1", "“tags”这一行的值无法读取"),
    ("title: '会议\n", "a.md:1:1", "“title”这一行的值无法读取：值里有英文引号，或有“: ”“#”时，会被当成格式符号。请写成 "
     "title: '会议'（补上引号）"),
])
def test_yaml_s_own_words_become_the_editor_s_at_the_line_to_change(text, at, said):
    """What PyYAML says in English (a Tab, a missing colon, an unclosed quote) is told in her words, at her line."""
    with pytest.raises(YamlError) as raised:
        YamlText("a.md", text).load()
    problem = raised.value.problem.said()
    assert problem.startswith(f"{at}: {said}"), problem
    assert not re.search(r"found|expected|scalar|mapping|token|stream|while", problem), problem  # none of PyYAML's


def article(body: str, front: str = "title: 会议\ndate: 2024年5月3日 9:30\n") -> SourceFile:
    return SourceFile("news/a.md", "content/news/a.md", f"---\n{front}---\n{body}")


def test_an_article_dated_in_chinese_with_chinese_tags_parses():
    parsed = parse_source(article("正文。\n", "title: 会议\ndate: 2024年5月3日 9:30\ntags: 常委会会议、民生实事\n"),
                          OPTIONS, make_markdown(False))
    assert parsed.problems == ()
    assert parsed.article.date == at(2024, 5, 3, 9, 30) and parsed.article.has_time
    assert parsed.article.tags == ("常委会会议", "民生实事")


def test_backslashes_in_a_picture_address_are_read_as_slashes_with_a_warning():
    parsed = parse_source(article("会场：\n\n![会场](\\images\\2026\\12\\a.jpg)\n"), OPTIONS, make_markdown(False))
    assert parsed.problems == ()
    assert '<img src="/images/2026/12/a.jpg" alt="会场"' in parsed.article.body_html
    assert [w.said() for w in parsed.warnings] == [
        "content/news/a.md:7:7: \\images\\2026\\12\\a.jpg 里用了反斜杠“\\”；已按 /images/2026/12/a.jpg 读取：网址里请用“/”"]
    assert ("/images/2026/12/a.jpg", 7, 7) in parsed.article.links


def test_new_s_placeholders_are_problems_at_their_lines():
    parsed = parse_source(article("\n正文从这里开始。\n", 'title: "请在这里填写标题"\ndate: 2026-12-07 09:30:00\n'),
                          OPTIONS, make_markdown(False))
    assert [p.said(EN) for p in parsed.problems] == [
        "content/news/a.md:2:8: the title is still the placeholder '请在这里填写标题': write the article's title",
        "content/news/a.md:6:1: the text still holds the placeholder '正文从这里开始。' that 'new' wrote: replace it "
        "with the article's text"]


def test_a_misspelt_key_is_named_with_the_meaning_of_every_known_key():
    checked = check_mapping({"titel": "会议"}, ARTICLE_SCHEMA, YamlText("a.md", "titel: 会议\n", 1), FRONT_MATTER, SHANGHAI)
    assert [p.said() for p in checked.problems] == [
        "a.md:2:1: 不认识的文章信息项“titel”（是不是“title”？）；可以用的项有：title（标题）、date（发布时间）、"
        "subtitle（副标题）、author（作者）、source（来源）、tags（标签）、summary（摘要）、slug（网址中的名称）、"
        "draft（草稿）、pinned（置顶）、aliases（旧地址）",
        "a.md:1:1: 缺少必填的文章信息项“title”；请加一行，例如“title: 标题”",
        "a.md:1:1: 缺少必填的文章信息项“date”；请加一行，例如“date: 2019-11-08 11:25:53”"]


MD = make_markdown(False)


def html_of(text: str) -> str:
    return render_markdown(MD, text, "/").html


def test_each_line_of_a_paragraph_is_a_paragraph_as_in_word():
    assert html_of("第一段。\n第二段。\n第三段。\n") == "<p>第一段。</p>\n<p>第二段。</p>\n<p>第三段。</p>\n"


def test_blank_lines_between_paragraphs_change_nothing():
    assert html_of("第一段。\n\n第二段。\n") == html_of("第一段。\n第二段。\n")


def test_a_line_break_inside_a_list_item_joins_chinese_without_a_space():
    assert html_of("- 县人大常委会\n  召开会议\n- 第二项\n") == "<ul>\n<li>县人大常委会召开会议</li>\n<li>第二项</li>\n</ul>\n"


def test_a_line_break_between_latin_words_in_a_list_item_stays_a_space():
    assert html_of("- ICP\n  filing\n") == "<ul>\n<li>ICP\nfiling</li>\n</ul>\n"


def test_a_line_break_inside_emphasis_joins_chinese_and_keeps_the_emphasis_whole():
    assert html_of("**县人大常委会\n召开会议**\n") == "<p><strong>县人大常委会召开会议</strong></p>\n"


@pytest.mark.parametrize("indent", ["    ", "\t", "        ", "　　", "\u00a0\u00a0"])
def test_indented_chinese_paragraphs_are_paragraphs_never_code(indent):
    assert html_of(f"{indent}县人大常委会召开第十八次会议。\n") == "<p>县人大常委会召开第十八次会议。</p>\n"


def test_an_indented_paragraph_after_another_is_its_own_paragraph():
    assert html_of("第一段。\n\n    第二段缩进了。\n") == "<p>第一段。</p>\n<p>第二段缩进了。</p>\n"


def test_a_hard_break_stays_a_line_break_inside_its_paragraph():
    assert html_of("地址：眉县首善街\\\n电话：0917-5541234\n") == "<p>地址：眉县首善街<br />\n电话：0917-5541234</p>\n"


def test_a_captioned_picture_alone_on_its_line_is_still_a_figure():
    html = html_of('会议现场：\n![主席台](/images/a.jpg "县人大常委会第十八次会议")\n')
    assert html == ('<p>会议现场：</p>\n<figure><img src="/images/a.jpg" alt="主席台" />'
                    '<figcaption>县人大常委会第十八次会议</figcaption></figure>\n')
