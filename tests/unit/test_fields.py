"""parse_date and check_mapping: dates in the site's zone, typed keys, every problem at its line."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sitegen.fields import Field, check_mapping, parse_date
from sitegen.yamlsource import YamlText

SHANGHAI = ZoneInfo("Asia/Shanghai")
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
    "2019/11/08", "2019-11-8", "19-11-08", "2019年11月8日", "", "today", "2019-11-08 11:25:53 extra",
])
def test_impossible_or_unknown_dates_are_none(text):
    assert parse_date(text, SHANGHAI) is None


# --- check_mapping ----------------------------------------------------------------------------------

def check(yaml_text: str, line_offset: int = 1):
    source = YamlText("content/a/x.md", yaml_text, line_offset=line_offset)
    return check_mapping(source.load(), SCHEMA, source, "front matter", SHANGHAI)


def shown(checked) -> list[str]:
    return [str(p) for p in checked.problems]


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
    problems = shown(check("title: t\ndate: 2019-11-08\nxyz123: 张三\n"))
    assert problems == ["content/a/x.md:4:1: unknown front matter key 'xyz123'; "
                        "known keys: title, date, count, draft, tags"]


def test_unknown_key_hint_from_the_schema():
    problems = shown(check("title: t\ndate: 2019-11-08\ndarft: true\n"))
    assert problems == ["content/a/x.md:4:1: unknown front matter key 'darft' (did you mean 'draft'?); "
                        "known keys: title, date, count, draft, tags"]


def test_wrong_types_at_the_value():
    problems = shown(check("title: [a, b]\ndate: 2019-11-08\ncount: 三\ndraft: 是\n"))
    assert problems == [
        "content/a/x.md:2:8: 'title' must be text, not a list",
        "content/a/x.md:4:8: 'count' must be a whole number, not text '三'",
        "content/a/x.md:5:8: 'draft' must be true or false, not text '是'",
    ]


def test_bad_date_at_the_value():
    problems = shown(check("title: t\ndate:   2019-13-45\n"))
    assert len(problems) == 1
    assert problems[0].startswith("content/a/x.md:3:9: 'date' must be a date such as 2019-11-08 11:25:53, "
                                  "not '2019-13-45'")


def test_empty_value_is_named():
    assert shown(check("title:\ndate: 2019-11-08\n")) == ["content/a/x.md:2:7: 'title' must be text, not empty"]


def test_missing_required_keys_are_all_reported():
    problems = shown(check("count: 1\n"))
    assert problems == ["content/a/x.md:1:1: missing required front matter key 'title'; add a line such as 'title: 标题'",
                        "content/a/x.md:1:1: missing required front matter key 'date'; add a line such as 'date: 2019-11-08 11:25:53'"]


def test_every_problem_is_collected():
    problems = check("title: 1\ndate: nope\nauthor: x\ncount: x\n").problems
    assert [(p.line, p.message.split(" ")[0]) for p in problems] == [(3, "'date'"), (4, "unknown"), (5, "'count'")]


def test_none_is_an_empty_mapping_and_other_shapes_are_problems():
    assert len(check("").problems) == 2  # both required keys missing
    assert shown(check("- a\n- b\n")) == ["content/a/x.md:2:1: front matter must be 'key: value' lines, not a list"]
    assert shown(check("just text\n")) == [
        "content/a/x.md:2:1: front matter must be 'key: value' lines, not text 'just text'"]


def test_lines_without_offset():
    source = YamlText("site.yaml", "title: t\nper_pag: 1\n")
    checked = check_mapping(source.load(), {"title": Field("str", required=True), "per_page": Field("int")},
                            source, "site.yaml")
    assert [str(p) for p in checked.problems] == [
        "site.yaml:2:1: unknown site.yaml key 'per_pag' (did you mean 'per_page'?); known keys: title, per_page"]
