"""Dates as editors write them (2019-11-08 11:25:53, 2019年11月8日 9:30, 2019/11/8, 2019.11.8), in the site's zone."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from .messages import Message, say

# One day, year first: 2019-11-08, 2019/11/8, 2019.11.8 (one separator throughout), or 2019年11月8日.
_DAY = (r"(?P<year>\d{4})(?:(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})"
        r"|年(?P<cmonth>\d{1,2})月(?P<cday>\d{1,2})日?)")
# A time of day: 9:30, 09:30:15(.5), 9时30分(15秒), 9点30分, 9点, with 上午/下午 before it.
_TIME = (r"(?P<half>上午|下午)?\s*(?P<hour>\d{1,2})(?:(?::(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?)"
         r"|(?:[时點点](?:(?P<cminute>\d{1,2})分(?:(?P<csecond>\d{1,2})秒)?)?))")
_OFFSET = r"(?P<offset>Z|[+-]\d{2}:?\d{2})"
_DATE = re.compile(rf"{_DAY}(?:(?:\s+|T|(?<=日)){_TIME}{_OFFSET}?)?")
# Forms that look like a date but cannot be read without guessing: the year last or cut to two digits.
_YEAR_LAST = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{4}\b")
_SHORT_YEAR = re.compile(r"\d{2}[-/.]\d{1,2}[-/.]\d{1,2}\b|\d{2}年")
FORMS = say("2019-11-08 11:25:53, 2019-11-08 11:25, 2019-11-08, 2019年11月8日 9:30, 2019/11/8 or 2019.11.8")


@dataclass(frozen=True, slots=True)
class _Parts:
    year: int
    month: int
    day: int
    hour: int
    minute: int
    second: int
    offset: str | None


def _parts(text: str) -> _Parts | None:
    m = _DATE.fullmatch(" ".join(unicodedata.normalize("NFKC", text).split()))
    if not m:
        return None
    g = m.groupdict()
    hour = int(g["hour"] or 0)
    if g["half"] == "下午" and hour < 12:
        hour += 12
    return _Parts(int(g["year"]), int(g["month"] or g["cmonth"]), int(g["day"] or g["cday"]), hour,
                  int(g["minute"] or g["cminute"] or 0), int(g["second"] or g["csecond"] or 0), g["offset"])


def parse_date(text: str, zone: ZoneInfo) -> dt.datetime | None:
    """A date in one of the accepted forms, in `zone` unless it carries its own offset; None if invalid."""
    parts = _parts(text)
    if parts is None:
        return None
    try:
        naive = dt.datetime(parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second)
        if parts.offset is None:
            aware = naive.replace(tzinfo=zone)
        elif parts.offset == "Z":
            aware = naive.replace(tzinfo=dt.timezone.utc).astimezone(zone)
        else:
            aware = naive.replace(tzinfo=dt.timezone(_offset(parts.offset))).astimezone(zone)
        aware.astimezone(dt.timezone.utc)  # every date must have a place in UTC (feeds, sorting)
    except (ValueError, OverflowError):  # no such day, an offset of a day or more, or past year 1 or 9999
        return None
    return aware


def has_time(text: str) -> bool:
    """Whether the date names a time of day, not only a day."""
    m = _DATE.fullmatch(" ".join(unicodedata.normalize("NFKC", text).split()))
    return bool(m and m["hour"])


def _offset(text: str) -> dt.timedelta:
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        raise ValueError(f"no offset {text}")
    delta = dt.timedelta(hours=hours, minutes=minutes)
    return delta if text[0] == "+" else -delta


def why_not_a_date(value: str) -> Message:
    """Why `value` is not a date, as the end of a sentence about it."""
    text = unicodedata.normalize("NFKC", value).strip()
    if _YEAR_LAST.search(text):
        return say("which puts the year last, so the month and the day cannot be told apart: write the year "
                   "first, such as 2019-11-08")
    if _SHORT_YEAR.match(text):
        return say("whose year has two digits: write all four, such as 2019-11-08")
    parts = _parts(value)
    if parts is None:
        return say("which is not in an accepted form ({forms})", forms=FORMS)
    if not 1 <= parts.month <= 12:
        return say("which does not exist: there is no month {month}", month=parts.month)
    if parts.year == 0:
        return say("which does not exist: the years start at 1")
    if not 1 <= parts.day <= calendar.monthrange(parts.year, parts.month)[1]:
        return say("which does not exist: {year}-{month:02d} has no day {day}", year=parts.year,
                   month=parts.month, day=parts.day)
    if parts.hour > 23 or parts.minute > 59 or parts.second > 59:
        return say("which is not a real time of day ({forms})", forms=FORMS)
    offset = parts.offset
    if offset not in (None, "Z") and (int(offset[1:].replace(":", "")[:2]) > 23 or int(offset[-2:]) > 59):
        return say("whose offset from UTC is not a real one (from -23:59 to +23:59, such as +08:00)")
    return say("which is too close to the year 1 or the year 9999 to be placed in time")
