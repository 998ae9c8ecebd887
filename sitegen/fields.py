"""Typed checking of a YAML mapping against a schema, with problems at the key's or value's line."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from .dates import parse_date, why_not_a_date
from .messages import Message, listing, say
from .problems import Problem, did_you_mean, shown
from .yamlsource import YamlText

# kind -> what a value of it is, in messages
VALUE_KINDS = {
    "str": say("text"),
    "int": say("a whole number"),
    "bool": say("true or false"),
    "strs": say("a list of text items"),
    "tags": say("a list of tags such as [常委会会议, 民生实事]"),
    "date": say("a date such as 2019-11-08 11:25:53"),
    "map": say("'key: value' lines indented under it"),
}


@dataclass(frozen=True, slots=True)
class Field:
    kind: str
    required: bool = False
    label: Message | None = None  # what the key means, for the editor: shown beside it in the desk and in hints
    keys: tuple[tuple[str, "Field"], ...] = ()  # a 'map': its own keys


class Checked:
    """Values that passed the schema, plus the problems found, in file order of keys."""

    __slots__ = ("values", "problems")

    def __init__(self, values: dict, problems: list[Problem]):
        self.values = values
        self.problems = problems


def known_keys(schema: dict[str, Field]) -> Message:
    return listing(say("{key} ({label})", key=key, label=field.label) if field.label else key
                   for key, field in schema.items())


def check_mapping(data, schema: dict[str, Field], source: YamlText, what: Message,
                  zone: ZoneInfo | None = None) -> Checked:
    """Check every key of `data` against `schema`; convert dates and one-item lists; collect all problems."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return Checked({}, [Problem(source.path, source.line_offset + 1, 1,
                                    say("{what} must be 'key: value' lines, not {value}", what=what,
                                        value=type_name(data)))])
    values: dict = {}
    pending: list[tuple[str, str, Message]] = []  # (key, 'key'|'value', message)
    for key, value in data.items():
        key = str(key)
        field = schema.get(key)
        if field is not None and value is None and not field.required:
            continue  # 'subtitle:' left blank is the same as no subtitle
        if field is None:
            pending.append((key, "key", say("unknown {what} key '{key}'{hint}; known keys: {known}", what=what,
                                            key=shown(key), hint=did_you_mean(key, schema), known=known_keys(schema))))
            continue
        converted, error = convert_map(value, field, zone) if field.kind == "map" else convert(value, field.kind, zone)
        if error:
            pending.append((key, "value", say("'{key}' {what_is_wrong}", key=key, what_is_wrong=error)))
        else:
            values[key] = converted
    problems: list[Problem] = []
    if pending or _maybe_duplicates(source.text):
        problems += _placed(pending, data, source, what)
    for key, field in schema.items():
        if field.required and key not in data:
            example = say("; add a line such as '{key}: {example}'", key=key, example=EXAMPLES[field.kind]) \
                if field.kind in EXAMPLES else ""
            problems.append(Problem(source.path, max(source.line_offset, 1), 1,
                                    say("missing required {what} key '{key}'{example}", what=what, key=key,
                                        example=example)))
    return Checked(values, problems)


def _placed(pending, data, source: YamlText, what: Message) -> list[Problem]:
    """The pending messages at their keys' or values' lines, and keys written twice."""
    problems = []
    entries = source.entries()
    seen: dict[str, tuple[int, int]] = {}
    for key, key_at, _, _ in entries:
        if key in seen:
            problems.append(Problem(source.path, *key_at, say("duplicate {what} key '{key}' (first on line {first}); "
                                                              "keep only one", what=what, key=shown(key),
                                                              first=seen[key][0])))
        seen.setdefault(key, key_at)
    positions = {key: (key_at, value_at, items) for key, key_at, value_at, items in reversed(entries)}
    for key, where, message in pending:
        key_at, value_at, items = positions.get(key, ((source.line_offset + 1, 1),) * 2 + ([],))
        line, col = key_at if where == "key" else value_at
        if where == "value" and isinstance(data.get(key), list):
            bad = next((i for i, item in enumerate(data[key]) if not _is_text(item)), None)
            if bad is not None and bad < len(items):
                line, col = items[bad]
                message = say("'{key}' item {number} must be text, not {value}; put the whole item in quotes "
                              "when it contains ': '", key=key, number=bad + 1, value=type_name(data[key][bad]))
        problems.append(Problem(source.path, line, col, message))
    return problems


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


def unsafe_character_message(char: str) -> Message:
    return say("holds the invisible control character U+{code}, which feeds cannot carry: delete it",
               code=f"{ord(char):04X}")


def convert(value, kind: str, zone: ZoneInfo | None) -> tuple[object, Message | None]:
    """(converted value, None) or (None, what is wrong, as the end of a sentence starting with the key)."""
    converted, wrong = _convert(value, kind, zone)
    if wrong is None:
        texts = (converted,) if isinstance(converted, str) else converted if kind in ("strs", "tags") else ()
        for text in texts:
            if found := UNSAFE_CHARACTER.search(text):
                return None, unsafe_character_message(found[0])
    return converted, wrong


def convert_map(value, field: Field, zone: ZoneInfo | None) -> tuple[dict | None, Message | None]:
    """A mapping of a few known keys (site.yaml's contact: address, phone...), each converted by its kind."""
    if not isinstance(value, dict):
        return _not("map", value)
    schema = dict(field.keys)
    found = {}
    for key, item in value.items():
        key = str(key)
        if key not in schema:
            return None, say("has an unknown key '{key}'{hint}; known keys: {known}", key=shown(key),
                             hint=did_you_mean(key, schema), known=known_keys(schema))
        if item is None:
            continue
        converted, wrong = convert(item, schema[key].kind, zone)
        if wrong:
            return None, say("'{key}' {what_is_wrong}", key=key, what_is_wrong=wrong)
        found[key] = converted
    return found, None


def _not(kind: str, value) -> tuple[None, Message]:
    return None, say("must be {kind}, not {value}", kind=VALUE_KINDS[kind], value=type_name(value))


def _convert(value, kind: str, zone: ZoneInfo | None) -> tuple[object, Message | None]:
    if kind == "str":
        if isinstance(value, str):
            return value, None
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value), None
        return _not(kind, value)
    if kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value, None
        return _not(kind, value)
    if kind == "bool":
        if isinstance(value, bool):
            return value, None
        return _not(kind, value)
    if kind == "strs":
        if isinstance(value, str):
            return (value,), None
        if isinstance(value, list) and all(_is_text(v) for v in value):
            return tuple(str(v) for v in value), None
        return _not(kind, value)
    if kind == "tags":
        return _tags(value)
    if kind == "map":
        raise ValueError("a 'map' field is converted by convert_map")
    if kind == "date":
        if not isinstance(value, str):
            return _not(kind, value)
        parsed = parse_date(value, zone)
        if parsed is None:
            return None, say("must be {kind}, not '{value}', {why}", kind=VALUE_KINDS["date"], value=shown(value),
                             why=why_not_a_date(value))
        return parsed, None
    raise ValueError(kind)


TAG_SEPARATORS = re.compile(r"\s*[、，,；;]\s*")
_SPACE_BETWEEN_CHINESE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]\s+[\u3400-\u9fff\uf900-\ufaff]")


def _tags(value):
    """Tags as a list or one text, split at 、，,；; as well (`常委会会议、民生实事` is two tags). A space between
    Chinese words is refused: it may part two tags or belong to one, and the build does not guess."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(_is_text(v) for v in value):
        return _not("tags", value)
    tags = [tag for item in value for tag in TAG_SEPARATORS.split(str(item).strip()) if tag]
    for tag in tags:
        if _SPACE_BETWEEN_CHINESE.search(tag):
            return None, say("has a space inside the tag '{tag}': if these are two tags, separate them with 、 "
                             "(tags: [{joined}]); if it is one tag, remove the space", tag=shown(tag),
                             joined="、".join(tag.split()))
    return tuple(dict.fromkeys(tags)), None


def type_name(value) -> Message:
    if value is None:
        return say("empty")
    if isinstance(value, bool):
        return say("'{value}'", value=str(value).lower())
    if isinstance(value, str):
        return say("text '{value}'", value=shown(value))
    if isinstance(value, (int, float)):
        return say("the number {value}", value=shown(str(value)))
    if isinstance(value, list):
        return say("a list")
    if isinstance(value, dict):
        return say("a mapping")
    for kind, tag in ((bytes, "binary"), (set, "set"), (dt.date, "timestamp")):  # from explicit YAML tags
        if isinstance(value, kind):
            return say("a value tagged !!{tag}", tag=tag)
    return say("{name}", name=type(value).__name__)
