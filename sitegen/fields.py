"""Typed checking of a YAML mapping against a schema, with problems at the key's or value's line."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from .problems import Problem, did_you_mean, shown
from .yamlsource import YamlText

# kind -> description used in messages
KINDS = {
    "str": "text",
    "int": "a whole number",
    "bool": "true or false",
    "strs": "a list of text items",
    "date": "a date such as 2019-11-08 11:25:53",
}


@dataclass(frozen=True, slots=True)
class Field:
    kind: str
    required: bool = False


class Checked:
    """Values that passed the schema, plus the problems found, in file order of keys."""

    __slots__ = ("values", "problems")

    def __init__(self, values: dict, problems: list[Problem]):
        self.values = values
        self.problems = problems


_DATE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
    r"(Z|[+-]\d{2}:?\d{2})?)?$")


def parse_date(text: str, zone: ZoneInfo) -> dt.datetime | None:
    """A date in one of the accepted forms, in `zone` unless it carries its own offset; None if invalid."""
    m = _DATE.match(text.strip())
    if not m:
        return None
    year, month, day, hour, minute, second, offset = m.groups()
    try:
        naive = dt.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
        if offset is None:
            aware = naive.replace(tzinfo=zone)
        elif offset == "Z":
            aware = naive.replace(tzinfo=dt.timezone.utc).astimezone(zone)
        else:
            aware = naive.replace(tzinfo=dt.timezone(_offset(offset))).astimezone(zone)
        aware.astimezone(dt.timezone.utc)  # every date must have a place in UTC (feeds, sorting)
    except (ValueError, OverflowError):  # no such day, an offset of a day or more, or past year 1 or 9999
        return None
    return aware


def _offset(text: str) -> dt.timedelta:
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        raise ValueError(f"no offset {text}")
    delta = dt.timedelta(hours=hours, minutes=minutes)
    return delta if text[0] == "+" else -delta


def check_mapping(data, schema: dict[str, Field], source: YamlText, what: str,
                  zone: ZoneInfo | None = None) -> Checked:
    """Check every key of `data` against `schema`; convert dates and one-item lists; collect all problems."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return Checked({}, [Problem(source.path, source.line_offset + 1, 1,
                                    f"{what} must be 'key: value' lines, not {type_name(data)}")])
    values: dict = {}
    pending: list[tuple[str, str, str]] = []  # (key, 'key'|'value', message)
    for key, value in data.items():
        key = str(key)
        field = schema.get(key)
        if field is not None and value is None and not field.required:
            continue  # 'subtitle:' left blank is the same as no subtitle
        if field is None:
            pending.append((key, "key", f"unknown {what} key '{shown(key)}'{did_you_mean(key, schema)}; "
                                        f"known keys: {', '.join(schema)}"))
            continue
        converted, error = convert(value, field.kind, zone)
        if error:
            pending.append((key, "value", f"'{key}' {error}"))
        else:
            values[key] = converted
    problems: list[Problem] = []
    if pending or _maybe_duplicates(source.text):
        entries = source.entries()
        seen: dict[str, tuple[int, int]] = {}
        for key, key_at, _, _ in entries:
            if key in seen:
                problems.append(Problem(source.path, *key_at, f"duplicate {what} key '{shown(key)}' (first on line "
                                                              f"{seen[key][0]}); keep only one"))
            seen.setdefault(key, key_at)
        positions = {key: (key_at, value_at, items) for key, key_at, value_at, items in reversed(entries)}
        for key, where, message in pending:
            key_at, value_at, items = positions.get(key, ((source.line_offset + 1, 1),) * 2 + ([],))
            line, col = key_at if where == "key" else value_at
            if where == "value" and isinstance(data.get(key), list):
                bad = next((i for i, item in enumerate(data[key]) if not _is_text(item)), None)
                if bad is not None and bad < len(items):
                    line, col = items[bad]
                    message = (f"'{key}' item {bad + 1} must be text, not {type_name(data[key][bad])}; "
                               "put the whole item in quotes when it contains ': '")
            problems.append(Problem(source.path, line, col, message))
    for key, field in schema.items():
        if field.required and key not in data:
            example = f"; add a line such as '{key}: {EXAMPLES[field.kind]}'" if field.kind in EXAMPLES else ""
            problems.append(Problem(source.path, max(source.line_offset, 1), 1,
                                    f"missing required {what} key '{key}'{example}"))
    return Checked(values, problems)


EXAMPLES = {"date": "2019-11-08 11:25:53", "str": "标题"}
_TOP_KEY = re.compile(r"^([^\s#:][^:]*):(?:\s|$)", re.M)


def _maybe_duplicates(text: str) -> bool:
    """A cheap look for a top-level key written twice (YAML silently keeps the last one)."""
    keys = _TOP_KEY.findall(text)
    return len(keys) != len(set(keys))


def _is_text(item) -> bool:
    return isinstance(item, (str, int)) and not isinstance(item, bool)


# Characters an HTML page may hold but XML (the feeds, the sitemap) may not: C0 controls but tab and line
# feed, and the two non-characters. YAML lets them in through escapes such as "\x01" or "\e".
UNSAFE_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")


def unsafe_character_message(char: str) -> str:
    return f"holds the invisible control character U+{ord(char):04X}, which feeds cannot carry: delete it"


def convert(value, kind: str, zone: ZoneInfo | None):
    """(converted value, None) or (None, what is wrong, as the end of a sentence starting with the key)."""
    converted, wrong = _convert(value, kind, zone)
    if wrong is None:
        texts = (converted,) if isinstance(converted, str) else converted if kind == "strs" else ()
        for text in texts:
            if found := UNSAFE_CHARACTER.search(text):
                return None, unsafe_character_message(found[0])
        return converted, None
    return None, f"must be {KINDS[kind]}, not {wrong}"


def _convert(value, kind: str, zone: ZoneInfo | None):
    if kind == "str":
        if isinstance(value, str):
            return value, None
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value), None
        return None, type_name(value)
    if kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value, None
        return None, type_name(value)
    if kind == "bool":
        if isinstance(value, bool):
            return value, None
        return None, type_name(value)
    if kind == "strs":
        if isinstance(value, str):
            return (value,), None
        if isinstance(value, list) and all(_is_text(v) for v in value):
            return tuple(str(v) for v in value), None
        return None, type_name(value)
    if kind == "date":
        if not isinstance(value, str):
            return None, type_name(value)
        parsed = parse_date(value, zone)
        if parsed is None:
            return None, f"'{shown(value)}', {_why_not_a_date(value)}"
        return parsed, None
    raise ValueError(kind)


def _why_not_a_date(value: str) -> str:
    forms = "2019-11-08 11:25:53, 2019-11-08 11:25, 2019-11-08, or ISO 8601 with an offset"
    m = _DATE.match(value.strip())
    if not m:
        return f"which is not in an accepted form ({forms})"
    year, month, day, hour, minute, second = (int(g or 0) for g in m.groups()[:6])
    if not 1 <= month <= 12:
        return f"which does not exist: there is no month {month}"
    if year == 0:
        return "which does not exist: the years start at 1"
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return f"which does not exist: {year}-{month:02d} has no day {day}"
    if hour > 23 or minute > 59 or second > 59:
        return f"which is not a real time of day ({forms})"
    offset = m.groups()[6]
    if offset not in (None, "Z") and (int(offset[1:].replace(":", "")[:2]) > 23 or int(offset[-2:]) > 59):
        return "whose offset from UTC is not a real one (from -23:59 to +23:59, such as +08:00)"
    return "which is too close to the year 1 or the year 9999 to be placed in time"


def type_name(value) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, str):
        return f"text '{shown(value)}'"
    if isinstance(value, (int, float)):
        return f"the number {shown(str(value))}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    for kind, tag in ((bytes, "binary"), (set, "set"), (dt.date, "timestamp")):  # from explicit YAML tags
        if isinstance(value, kind):
            return f"a value tagged !!{tag}"
    return type(value).__name__
