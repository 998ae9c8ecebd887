"""What the CMS saves, merged into the article's file: what she did not change stays byte for byte.

The CMS writes the whole file again: its own YAML (dates unquoted, quotes dropped, keys reordered) and, once
the body is edited, its own Markdown (`1)` -> `1.`, `***` -> `- - -`). Here the file is kept as it was except
where a value or a block of the body changed:

- front matter: a key of the desk's whose value reads the same (as the build reads it) keeps its lines; a
  changed key gets one line written as `build.py new` writes it; keys the desk does not show (slug, aliases)
  are never touched;
- body: the blocks (paragraphs, lists, tables, headings) whose HTML is unchanged keep their original text; only
  the blocks that render differently are taken from the CMS.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
import dataclasses
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from markdown_it import MarkdownIt

from ..dates import parse_date
from ..fields import convert
from ..markdown import make_markdown, render_markdown
from ..parse import ARTICLE_SCHEMA
from ..yamlsource import YamlError, YamlText

# The front-matter keys the desk shows (in this order); the others are the file's own business.
DESK_KEYS = ("title", "subtitle", "date", "author", "source", "tags", "summary", "pinned", "draft")


@dataclass(frozen=True, slots=True)
class FileText:
    """An article file split: its front matter's lines, its body, and how its bytes were written."""

    front: str  # between the '---' lines, each line ending in '\n'
    body: str
    bom: bool = False
    crlf: bool = False

    @classmethod
    def read(cls, raw: bytes) -> "FileText | None":
        """The file's parts; None when it has no front matter the desk can merge into (then it is replaced)."""
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
        bom, crlf = raw.startswith(b"\xef\xbb\xbf"), "\r\n" in text
        text = text.replace("\r\n", "\n")
        front, body = split(text)
        return None if front is None else cls(front, body, bom, crlf)

    def bytes(self) -> bytes:
        text = f"---\n{self.front}---\n{self.body}"
        if self.crlf:
            text = text.replace("\n", "\r\n")
        return ("\ufeff" if self.bom else "").encode() + text.encode("utf-8")


def split(text: str) -> tuple[str | None, str]:
    """(front matter lines, body) of a file or of what the CMS sends; (None, text) without front matter."""
    if text.partition("\n")[0].rstrip() != "---":
        return None, text
    lines = text.split("\n")
    for number in range(1, len(lines)):
        if lines[number].rstrip() in ("---", "..."):
            front = "".join(line + "\n" for line in lines[1:number])
            return front, "\n".join(lines[number + 1:])
    return None, text


def not_shown_yet(values: dict, now: dt.datetime | None) -> bool:
    """Whether readers will not see an article with these details yet: a draft, or dated later than `now` (read in
    UTC: within hours of the site's zone, enough to say so)."""
    when = parse_date(str(values.get("date", "")), dt.timezone.utc)
    return values.get("draft") is True or (when is not None and now is not None and when > now)


def load(front: str) -> dict:
    try:
        data = YamlText("", front).load()
    except YamlError:
        return {}
    return data if isinstance(data, dict) else {}


class Unreadable(ValueError):
    """What the CMS sent has a front matter that YAML cannot read: merging it would empty the article's details."""


def merged(original: bytes | None, sent: str, zone: ZoneInfo, allow_html: bool = False) -> bytes:
    """The file to write when the CMS sends `sent` for a file whose bytes were `original` (None: a new file)."""
    sent_front, sent_body = split(sent.replace("\r\n", "\n"))
    if sent_front and sent_front.strip() and not load(sent_front):
        raise Unreadable(sent_front)
    values = load(sent_front or "")
    if isinstance(values.get("title"), str):  # pasted from Word with its indent: 　　县人大常委会召开会议
        values["title"] = values["title"].strip()
    old = FileText.read(original) if original is not None else None
    sent_body = without_word_leftovers(sent_body, set(old.body.split("\n")) if old is not None else set())
    if old is None:
        lines = [line for key in DESK_KEYS if not _empty(values.get(key)) for line in [_line(key, values[key], zone)]]
        lines += [_line(key, value, zone) for key, value in values.items()
                  if key not in DESK_KEYS and key != "body" and not _empty(value)]
        return FileText("".join(lines), _with_newline(sent_body)).bytes()
    front = merge_front(old.front, values, zone)
    body = merge_body(old.body, sent_body, make_markdown(allow_html))
    return FileText(front, body, old.bom, old.crlf).bytes()


# What a paste from Word leaves in the rich editor: its list bullets as text (·, then non-breaking spaces: Word's
# own, never a plain space alone) and paragraphs of a non-breaking space alone.
WORD_BULLET = re.compile(r"^[·•●▪◦][ \t]*(?:\u00a0|&nbsp;)(?:[ \t\u00a0]|&nbsp;)*(?=\S)")
BLANK_PARAGRAPH = re.compile(r"^[ \t]*(?:\u00a0|&nbsp;)(?:[ \t\u00a0\u3000]|&nbsp;)*$")


def without_word_leftovers(body: str, kept: set[str] = frozenset()) -> str:
    """The body with Word's bullets as Markdown list items and its empty paragraphs as blank lines; a line the
    file already holds (`kept`) stays as written: only what she pasted now is read so."""
    return "\n".join(line if line in kept else BLANK_PARAGRAPH.sub("", WORD_BULLET.sub("- ", line))
                     for line in body.split("\n"))


def merge_front(front: str, values: dict, zone: ZoneInfo) -> str:
    """The original front matter with only the desk's changed keys rewritten, its emptied keys removed and its
    new keys added at the end."""
    old_values = load(front)
    spans = _spans(front)
    if not spans and front.strip():  # a front matter YAML cannot read: the desk's values replace it
        return "".join(_line(key, values[key], zone) for key in DESK_KEYS if not _empty(values.get(key)))
    lines = front.split("\n")[:-1] if front.endswith("\n") else front.split("\n")
    out: list[str] = []
    position = 0
    for key, start, end in spans:
        out += [line + "\n" for line in lines[position:start]]
        position = end
        kept = "".join(line + "\n" for line in lines[start:end])
        if key not in DESK_KEYS or _same(key, old_values.get(key), values.get(key), zone):
            out.append(kept)
        elif not _empty(values.get(key)):
            out.append(_line(key, values[key], zone))
    out += [line + "\n" for line in lines[position:]]
    present = {key for key, _, _ in spans}
    out += [_line(key, values[key], zone) for key in DESK_KEYS if key not in present and not _empty(values.get(key))]
    return "".join(out)


def with_aliases(raw: bytes, add: str, drop: str) -> bytes:
    """The article with `add` (unless empty) among its old addresses (aliases:, which the build makes redirect pages
    of) and `drop` not: an article moved back to where it was is no redirect to itself. The other lines are kept as
    written."""
    text = FileText.read(raw)
    if text is None:
        raise Unreadable("")
    aliases = load(text.front).get("aliases") or []
    aliases = [str(item) for item in (aliases if isinstance(aliases, list) else [aliases]) if str(item) != drop]
    aliases += [add] * bool(add and add not in aliases)
    lines = text.front.split("\n")[:-1]
    spans = {key: (start, end) for key, start, end in _spans(text.front)}
    start, end = spans.get("aliases", (len(lines), len(lines)))
    line = f"aliases: [{', '.join(json.dumps(item, ensure_ascii=False) for item in aliases)}]\n" if aliases else ""
    front = "".join(line + "\n" for line in lines[:start]) + line + "".join(line + "\n" for line in lines[end:])
    return dataclasses.replace(text, front=front).bytes()


def _spans(front: str) -> list[tuple[str, int, int]]:
    """(key, first line, line after its last) of each top-level key, 0-based in `front`: a key owns the lines up to
    the next key (its list items, its folded lines)."""
    try:
        entries = YamlText("", front).entries()
    except Exception:  # unreadable YAML: nothing to keep
        return []
    starts = [(key, at[0] - 1) for key, at, _, _ in entries]
    total = front.count("\n") + (0 if front.endswith("\n") else 1)
    spans = []
    for number, (key, start) in enumerate(starts):
        end = starts[number + 1][1] if number + 1 < len(starts) else total
        while end > start + 1 and _blank_or_comment(front, end - 1):  # trailing blank and comment lines stay
            end -= 1
        spans.append((key, start, end))
    return spans


def _blank_or_comment(front: str, number: int) -> bool:
    line = front.split("\n")[number].strip()
    return not line or line.startswith("#")


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value is False


def _same(key: str, old, new, zone: ZoneInfo) -> bool:
    """Whether two values of a key read the same to the build (missing, empty and false alike)."""
    if _empty(old) and _empty(new):
        return True
    kind = ARTICLE_SCHEMA[key].kind
    old_value, old_wrong = convert(old, kind, zone)
    new_value, new_wrong = convert(new, kind, zone)
    if old_wrong or new_wrong:
        return old == new
    return old_value == new_value


def _line(key: str, value, zone: ZoneInfo) -> str:
    """One front-matter line written as `build.py new` writes it: text in double quotes, the date in the site's
    zone with seconds, tags as a list."""
    field = ARTICLE_SCHEMA.get(key)
    kind = field.kind if field else ""
    if kind == "date" and isinstance(value, str) and (when := parse_date(value, zone)) is not None:
        return f"{key}: {when.astimezone(zone):%Y-%m-%d %H:%M:%S}\n"
    if isinstance(value, dt.datetime):
        return f"{key}: {value.astimezone(zone):%Y-%m-%d %H:%M:%S}\n"
    if isinstance(value, bool):
        return f"{key}: {'true' if value else 'false'}\n"
    if isinstance(value, list):
        return f"{key}: [{', '.join(json.dumps(str(item), ensure_ascii=False) for item in value)}]\n"
    return f"{key}: {json.dumps(str(value), ensure_ascii=False)}\n"


def _with_newline(body: str) -> str:
    return body if body.endswith("\n") or not body else body + "\n"


def merge_body(original: str, sent: str, md: MarkdownIt) -> str:
    """The original body where the CMS's body renders the same; else, block by block, the original text of each
    block whose HTML is unchanged and the CMS's text of the others."""
    if sent == original or sent.rstrip("\n") == original.rstrip("\n"):
        return original
    old_blocks, new_blocks = blocks(original, md), blocks(sent, md)
    if _between_blocks(original, old_blocks) or _between_blocks(sent, new_blocks):
        return _with_newline(sent)  # a link's definition ('[1]: https://…') is no block: merging would drop it
    old_html = [html for _, _, html in old_blocks]
    new_html = [html for _, _, html in new_blocks]
    if old_html == new_html:
        return original
    old_lines, new_lines = original.split("\n"), sent.split("\n")
    pieces: list[tuple[str, int, int]] = []  # (which text, first line, line after the last) of each output block
    matcher = difflib.SequenceMatcher(None, old_html, new_html, autojunk=False)
    for tag, old_from, old_to, new_from, new_to in matcher.get_opcodes():
        if tag == "equal":
            pieces += [("old", start, end) for start, end, _ in old_blocks[old_from:old_to]]
        else:
            pieces += [("new", start, end) for start, end, _ in new_blocks[new_from:new_to]]
    if not pieces:
        return _with_newline(sent)
    texts = {"old": old_lines, "new": new_lines}
    first_which, first_start, _ = pieces[0]
    out = texts[first_which][:first_start]
    for number, (which, start, end) in enumerate(pieces):
        if number:
            last_which, _, last_end = pieces[number - 1]
            gap = texts[which][last_end:start]
            neighbours = last_which == which and last_end <= start and all(not line.strip() for line in gap)
            if neighbours:
                out += gap
            else:  # one blank line between blocks of the two texts (a block's own lines may end in one)
                while out and not out[-1].strip():
                    out.pop()
                out.append("")
        out += texts[which][start:end]
    last_which, _, last_end = pieces[-1]
    out += texts[last_which][last_end:]
    return _with_newline("\n".join(out))


def _between_blocks(body: str, found: list[tuple[int, int, str]]) -> bool:
    """Whether a line outside every block holds text (a link reference definition, which renders as nothing)."""
    lines = body.split("\n")
    covered = {number for start, end, _ in found for number in range(start, end)}
    return any(line.strip() and number not in covered for number, line in enumerate(lines))


def blocks(body: str, md: MarkdownIt) -> list[tuple[int, int, str]]:
    """(first line, line after the last, HTML) of each top-level block of a body, in order."""
    found = []
    lines = body.split("\n")
    for token in md.parse(body):
        if token.level == 0 and token.map is not None and token.nesting >= 0:
            start, end = token.map
            text = "\n".join(lines[start:end])
            found.append((start, end, render_markdown(md, text, "/").html))
    return found
