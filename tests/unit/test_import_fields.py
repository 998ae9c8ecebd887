"""Meta lines in every label variant, and dates in every form the old CMSes wrote."""

from __future__ import annotations

import pytest

from sitegen.importer.fields import Meta, find_date, looks_like_meta, parse_meta


@pytest.mark.parametrize("text, date", [
    ("2019-11-08 11:25:53", "2019-11-08 11:25:53"),
    ("2019-11-08 11:25", "2019-11-08 11:25"),
    ("2019/11/8", "2019-11-08"),
    ("2019年11月08日 11:25", "2019-11-08 11:25"),
    ("2019年11月8日", "2019-11-08"),
    ("２０１９年１１月０８日 １１：２５：５３", "2019-11-08 11:25:53"),
    ("２０１９－１１－０８", "2019-11-08"),
    ("2019.11.08", "2019-11-08"),
    ("2019-13-08 and then 2020-01-02", "2020-01-02"),
    ("no date here 12345", ""),
])
def test_dates(text, date):
    assert find_date(text)[0] == date


@pytest.mark.parametrize("line, meta", [
    ("作者:朱季林        内容来源:本网        发表时间:2019-11-08 11:25:53",
     Meta("2019-11-08 11:25:53", "朱季林", "本网")),
    ("撰稿：李四　来源：县人大办　发布日期：2019/11/8　浏览次数：328", Meta("2019-11-08", "李四", "县人大办")),
    ("文/图：王五 信息来源：县人大 发布时间：2019年11月08日 11:25 点击数：12", Meta("2019-11-08 11:25", "王五", "县人大")),
    ("【作者】张三 【来源】本网 【时间】2019/11/8", Meta("2019-11-08", "张三", "本网")),
    ("日期：2020-01-02 编辑：赵六 责任编辑：钱七 审核：孙八",
     Meta("2020-01-02", editors=("编辑：赵六", "责任编辑：钱七", "审核：孙八"))),
    ("时间：２０２０年１月２日　点击：33次", Meta("2020-01-02")),
    ("文：张三 图：李四 时间：2020-1-2 9:05", Meta("2020-01-02 09:05", "张三 李四")),
    ("来源：本网 2019-11-08", Meta("2019-11-08", source="本网")),
    ("2019-03-10 10:45:23   来源：眉县人大   评论：0 点击：", Meta("2019-03-10 10:45:23", source="眉县人大")),  # PHPCMS v9
    ("日期：2019-03-10 来源：眉县人大 评论 3条 浏览量：12", Meta("2019-03-10", source="眉县人大")),
    ("发布时间：2019-03-10 来源：县人大评论员", Meta("2019-03-10", source="县人大评论员")),
])
def test_meta_lines(line, meta):
    assert looks_like_meta(line)
    assert parse_meta(line) == meta


def test_what_is_not_a_meta_line():
    assert not looks_like_meta("县人大常委会召开第二十三次会议")
    assert not looks_like_meta("2019年11月8日，县人大常委会召开第二十三次会议，审议通过了多项决议和决定。")
    assert looks_like_meta("（2019-11-08）")


@pytest.mark.parametrize("text, expected", [
    ("2019-11-08 8:05:00 PM", "2019-11-08 20:05:00"), ("2019年11月9日 下午3:05", "2019-11-09 15:05"),
    ("2019年11月9日 上午9：30", "2019-11-09 09:30"), ("2019-11-09T09:30:00+08:00", "2019-11-09 09:30:00"),
    ("2019-11-08 星期五 10:20", "2019-11-08 10:20"), ("2019-11-08 12:10 AM", "2019-11-08 00:10"),
    ("2019年11月9日 中午12:30", "2019-11-09 12:30"), ("发布时间：2019-02-30 发布时间：2019-03-01", "2019-03-01"),
    ("二〇一九年十一月九日", "2019-11-09"), ("二○二〇年十月三十日", "2020-10-30"), ("二〇一九年二月三十日", ""),
])
def test_times_with_their_half_of_the_day_and_impossible_days_skipped(text, expected):
    assert find_date(text)[0] == expected


def test_a_meetings_date_is_not_taken_for_the_pages():
    assert parse_meta("会议时间：2019-10-01　发布时间：2019-11-08").date == "2019-11-08"
    assert parse_meta("报名截止时间：2019年10月1日 发布日期：2019年9月20日 来源：本网") == Meta("2019-09-20", "", "本网")
    assert parse_meta("会议时间：2019-10-01").date == "2019-10-01"  # the only date there is
