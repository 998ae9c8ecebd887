"""parse_date and check_mapping: dates in the site's zone, typed keys, every problem at its line."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sitegen.fields import Field, check_mapping, parse_date
from sitegen.messages import language_named, say
from sitegen.yamlsource import YamlText

SHANGHAI = ZoneInfo("Asia/Shanghai")
ENGLISH = language_named("en")
SCHEMA = {
    "title": Field("str", required=True),
    "date": Field("date", required=True),
    "count": Field("int"),
    "draft": Field("bool"),
    "tags": Field("strs"),
}


# --- parse_date -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("2019-11-08 11:25:53", (2019, 11, 8, 11, 25, 53)),
    ("2019-11-08 11:25", (2019, 11, 8, 11, 25, 0)),
    ("2019-11-08", (2019, 11, 8, 0, 0, 0)),
    ("2019-11-08T11:25:53", (2019, 11, 8, 11, 25, 53)),
    ("2019-11-08T11:25:53+08:00", (2019, 11, 8, 11, 25, 53)),
    ("2019-11-08T11:25:53+0800", (2019, 11, 8, 11, 25, 53)),
    ("2019-11-08T03:25:53Z", (2019, 11, 8, 11, 25, 53)),
    ("2019-11-07T22:25:53-05:00", (2019, 11, 8, 11, 25, 53)),
    ("2019-11-08 11:25:53.250", (2019, 11, 8, 11, 25, 53)),
    ("  2019-11-08 11:25:53  ", (2019, 11, 8, 11, 25, 53)),
    ("2020-02-29", (2020, 2, 29, 0, 0, 0)),
    # forms editors write, accepted since issue 21 (they were rejected before)
    ("2019/11/08", (2019, 11, 8, 0, 0, 0)),
    ("2019-11-8", (2019, 11, 8, 0, 0, 0)),
    ("2019.11.8", (2019, 11, 8, 0, 0, 0)),
    ("2019/11/8 11:25:53", (2019, 11, 8, 11, 25, 53)),
    ("2019年11月8日", (2019, 11, 8, 0, 0, 0)),
    ("2019年11月8日 9:30", (2019, 11, 8, 9, 30, 0)),
    ("2019年11月8日下午3点", (2019, 11, 8, 15, 0, 0)),
])
def test_accepted_dates_land_in_the_site_zone(text, expected):
    parsed = parse_date(text, SHANGHAI)
    assert parsed.tzinfo is not None
    assert parsed.utcoffset() == dt.timedelta(hours=8)
    assert (parsed.year, parsed.month, parsed.day, parsed.hour, parsed.minute, parsed.second) == expected


def test_offset_dates_are_the_same_instant():
    a = parse_date("2019-11-08T03:25:53Z", SHANGHAI)
    b = parse_date("2019-11-08 11:25:53", SHANGHAI)
    assert a == b and a.timestamp() == b.timestamp()


def test_naive_dates_take_the_given_zone():
    utc = parse_date("2019-11-08 11:25", ZoneInfo("UTC"))
    shanghai = parse_date("2019-11-08 11:25", SHANGHAI)
    assert utc.timestamp() - shanghai.timestamp() == 8 * 3600


@pytest.mark.parametrize("text", [
    "2019-13-45", "2019-02-29", "2019-11-31", "2019-11-08 25:00", "2019-11-08 11:60",
    "19-11-08", "", "today", "2019-11-08 11:25:53 extra",
    # ambiguous or impossible forms stay refused: mixed separators, the year last or short, no such day
    "2019/11-08", "5/3/2024", "24-5-3", "2019年13月8日", "2019年11月31日", "2019.11.8.",
])
def test_impossible_or_unknown_dates_are_none(text):
    assert parse_date(text, SHANGHAI) is None


# --- check_mapping ----------------------------------------------------------------------------------

def check(yaml_text: str, line_offset: int = 1):
    source = YamlText("content/a/x.md", yaml_text, line_offset=line_offset)
    return check_mapping(source.load(), SCHEMA, source, say("front matter"), SHANGHAI)


def shown(checked, language=None) -> list[str]:
    """The problems in Chinese (or `language`)."""
    return [p.said(language) for p in checked.problems]


def test_good_mapping_is_converted():
    checked = check("title: 标题\ndate: 2019-11-08 11:25\ncount: 3\ndraft: false\ntags: [会议, 2019]\n")
    assert checked.problems == []
    values = checked.values
    assert values["title"] == "标题"
    assert values["date"] == dt.datetime(2019, 11, 8, 11, 25, tzinfo=SHANGHAI)
    assert (values["count"], values["draft"], values["tags"]) == (3, False, ("会议", "2019"))


def test_single_string_becomes_a_one_item_list():
    assert check("title: t\ndate: 2019-11-08\ntags: 会议\n").values["tags"] == ("会议",)


def test_numbers_are_accepted_as_text():
    assert check("title: 2019\ndate: 2019-11-08\n").values["title"] == "2019"


def test_a_number_is_kept_as_written():
    """'title: 1.10' is text to an editor; it must not silently become '1.1' (or it must be a problem)."""
    checked = check("title: 1.10\ndate: 2019-11-08\n")
    assert checked.problems or checked.values["title"] == "1.10"


def test_unknown_key_without_a_close_match_has_no_hint():
    checked = check("title: t\ndate: 2019-11-08\nxyz123: 张三\n")
    assert shown(checked) == ["content/a/x.md:4:1: 不认识的文章信息项“xyz123”；可以用的项有：title、date、count、draft、tags"]
    assert shown(checked, ENGLISH) == ["content/a/x.md:4:1: unknown front matter key 'xyz123'; "
                                       "known keys: title, date, count, draft, tags"]


def test_unknown_key_hint_from_the_schema():
    checked = check("title: t\ndate: 2019-11-08\ndarft: true\n")
    assert shown(checked) == ["content/a/x.md:4:1: 不认识的文章信息项“darft”（是不是“draft”？）；"
                              "可以用的项有：title、date、count、draft、tags"]
    assert shown(checked, ENGLISH) == ["content/a/x.md:4:1: unknown front matter key 'darft' (did you mean 'draft'?); "
                                       "known keys: title, date, count, draft, tags"]


def test_wrong_types_at_the_value():
    checked = check("title: [a, b]\ndate: 2019-11-08\ncount: 三\ndraft: 是\n")
    assert shown(checked) == [
        "content/a/x.md:2:8: “title”应该是文字，不能是列表",
        "content/a/x.md:4:8: “count”应该是整数，不能是文字“三”",
        "content/a/x.md:5:8: “draft”应该是“true”（是）或“false”（否），不能是文字“是”",
    ]
    assert shown(checked, ENGLISH) == [
        "content/a/x.md:2:8: 'title' must be text, not a list",
        "content/a/x.md:4:8: 'count' must be a whole number, not text '三'",
        "content/a/x.md:5:8: 'draft' must be true or false, not text '是'",
    ]


def test_bad_date_at_the_value():
    checked = check("title: t\ndate:   2019-13-45\n")
    assert shown(checked) == ["content/a/x.md:3:9: “date”应该是日期，例如 2019-11-08 11:25:53；“2019-13-45”这个日期不存在："
                              "没有 13 月"]
    assert shown(checked, ENGLISH) == ["content/a/x.md:3:9: 'date' must be a date such as 2019-11-08 11:25:53, "
                                       "not '2019-13-45', which does not exist: there is no month 13"]


def test_empty_value_is_named():
    assert shown(check("title:\ndate: 2019-11-08\n")) == ["content/a/x.md:2:7: “title”应该是文字，不能是空的"]


def test_missing_required_keys_are_all_reported():
    problems = shown(check("count: 1\n"))
    assert problems == ["content/a/x.md:1:1: 缺少必填的文章信息项“title”；请加一行，例如“title: 标题”",
                        "content/a/x.md:1:1: 缺少必填的文章信息项“date”；请加一行，例如“date: 2019-11-08 11:25:53”"]


def test_every_problem_is_collected():
    problems = check("title: 1\ndate: nope\nauthor: x\ncount: x\n").problems
    assert [(p.line, p.message.said(ENGLISH).split(" ")[0]) for p in problems] == [
        (3, "'date'"), (4, "unknown"), (5, "'count'")]


def test_none_is_an_empty_mapping_and_other_shapes_are_problems():
    assert len(check("").problems) == 2  # both required keys missing
    assert shown(check("- a\n- b\n")) == ["content/a/x.md:2:1: 文章信息必须是“键: 值”这样的一行一行，不能是列表"]
    assert shown(check("just text\n"), ENGLISH) == [
        "content/a/x.md:2:1: front matter must be 'key: value' lines, not text 'just text'"]


def test_lines_without_offset():
    source = YamlText("site.yaml", "title: t\nper_pag: 1\n")
    checked = check_mapping(source.load(), {"title": Field("str", required=True), "per_page": Field("int")},
                            source, say("site.yaml"))
    assert shown(checked) == [
        "site.yaml:2:1: 不认识的网站设置（site.yaml）项“per_pag”（是不是“per_page”？）；可以用的项有：title、per_page"]
    assert shown(checked, ENGLISH) == [
        "site.yaml:2:1: unknown site.yaml key 'per_pag' (did you mean 'per_page'?); known keys: title, per_page"]


# --- tags (issue 21: split at 、，,；; a space between Chinese words is refused, not guessed) ----------------------

def check_tags(value_text: str):
    source = YamlText("content/a/x.md", f"tags: {value_text}\n", line_offset=1)
    return check_mapping(source.load(), {"tags": Field("tags")}, source, say("front matter"), SHANGHAI)


@pytest.mark.parametrize("written, tags", [
    ("常委会会议、民生实事", ("常委会会议", "民生实事")),
    ("常委会会议，民生实事；监督", ("常委会会议", "民生实事", "监督")),
    ("[常委会会议、民生实事, 监督]", ("常委会会议", "民生实事", "监督")),
    ("[会议, 会议、监督]", ("会议", "监督")),
    ("hello world", ("hello world",)),
])
def test_tags_are_split_at_chinese_and_ascii_separators(written, tags):
    checked = check_tags(written)
    assert checked.problems == []
    assert checked.values["tags"] == tags


def test_a_space_between_chinese_tags_is_a_problem_that_shows_both_readings():
    checked = check_tags("常委会会议 民生实事")
    assert shown(checked) == ["content/a/x.md:2:7: “tags”的标签“常委会会议 民生实事”中间有空格：如果是两个标签，请用顿号“、”隔开"
                              "（tags: [常委会会议、民生实事]）；如果是一个标签，请去掉空格"]
    assert shown(checked, ENGLISH) == ["content/a/x.md:2:7: 'tags' has a space inside the tag '常委会会议 民生实事': if these "
                                       "are two tags, separate them with 、 (tags: [常委会会议、民生实事]); if it is one "
                                       "tag, remove the space"]
