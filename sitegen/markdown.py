"""Markdown to HTML (CommonMark + tables, read as Chinese text) with site-root links under the base path, and plain
text for summaries.

Chinese text flows as Chinese: each line of a paragraph is a paragraph of its own (as in Word, where most of it is
pasted from); a line break left inside a list item or an emphasis joins two Chinese characters without a space;
indented lines are text, never a code block (the site shows no code); a paragraph's leading full-width spaces are
dropped (the style sheet indents paragraphs)."""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .barelinks import bare_links
from .emphasis import chinese_emphasis
from .messages import Message, say

SUMMARY_CHARS = 120


def make_markdown(allow_html: bool) -> MarkdownIt:
    """CommonMark plus tables, without indented code blocks, '*' emphasis beside Chinese punctuation as its writer
    means it (emphasis.py), bare addresses as links (barelinks.py); raw HTML is escaped as text unless the site
    allows it."""
    return MarkdownIt("commonmark", {"html": allow_html}).enable("table").disable("code").use(chinese_emphasis) \
        .use(bare_links).use(scrolling_tables)


TABLE_BOX = '<div class="table-scroll" role="region" tabindex="0" aria-label="表格">'


def scrolling_tables(md: MarkdownIt) -> None:
    """Each table in a box of its own, which scrolls sideways when the table is wider than a phone: focusable and
    named, so a keyboard reaches its far columns (WCAG 2.1.1; axe's scrollable-region-focusable)."""
    def table_open(renderer, tokens, index, options, env):
        return TABLE_BOX + renderer.renderToken(tokens, index, options, env)

    def table_close(renderer, tokens, index, options, env):
        return renderer.renderToken(tokens, index, options, env) + "</div>\n"

    md.add_render_rule("table_open", table_open)
    md.add_render_rule("table_close", table_close)


class Rendered:
    """A rendered body: HTML, plain text, heading anchors, internal links with their body lines, the links
    whose backslashes were read as slashes (written as Windows paths: \\images\\a.jpg), and the links and
    pictures written in Markdown that did not become one (shown to readers as their brackets and address)."""

    __slots__ = ("html", "plain", "anchors", "links", "backslashed", "unparsed")

    def __init__(self, html: str, plain: str, anchors: tuple[str, ...], links: tuple[tuple[str, int], ...],
                 backslashed: tuple[tuple[str, int], ...] = (), unparsed: tuple[tuple[str, int], ...] = ()):
        self.html, self.plain, self.anchors, self.links = html, plain, anchors, links
        self.backslashed, self.unparsed = backslashed, unparsed


EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")
# '[text](address)' or '![text](address)' left as text: an address with a space, or one markdown-it refuses
# (javascript:, file:), or brackets that do not close.
UNPARSED = re.compile(r"!?\[[^\[\]\n]*\]\((?:[^()\n]|\([^()\n]*\))*\)")
# '#一、基本情况': a heading without the space after its '#', shown as text with its '#'.
UNSPACED_HEADING = re.compile(r"#{1,6}(?=[^\s#])")
# A file on the editor's computer (C:\Users\…\照片.jpg, file:///…): not an address of another site, a broken one.
LOCAL_FILE = re.compile(r"^(?:[a-zA-Z]:(?:[\\/]|%5C)|file:)", re.I)


PICTURE_ENDINGS = ("jpg", "jpeg", "png", "gif", "webp", "svg")


def local_file_message(target: str) -> Message:
    """What to say of a link to a file on the editor's computer, and where to put the file instead."""
    name = unquote(target).replace("\\", "/").rstrip("/").rpartition("/")[2]
    folder = "images" if name.lower().rpartition(".")[2] in PICTURE_ENDINGS else "files"
    if folder == "images":
        return say("{target} is a picture on your computer, which readers cannot open: upload it (in the desk: the "
                   "body's ＋ → Picture → 选择图片 → 上传), or copy {name} into assets/images/ and write "
                   "/images/{name}", target=unquote(target), name=name)
    return say("{target} is a file on your computer, which readers cannot open: copy {name} into assets/{folder}/ and "
               "write /{folder}/{name}", target=unquote(target), name=name, folder=folder)


def unparsed_message(written: str) -> Message:
    """What to say of a Markdown link, picture or heading that stayed text, by why markdown-it did not take it."""
    if written.startswith("#"):
        marks = written[:len(written) - len(written.lstrip("#"))]
        return say("{written} did not become a heading, and readers would see its '{marks}': write a space after "
                   "'{marks}' to make it a heading, or remove the '{marks}'", written=written, marks=marks)
    kind = say("picture") if written.startswith("!") else say("link")
    address = written[written.index("](") + 2:-1].strip()
    if LOCAL_FILE.match(address):
        return local_file_message(address)
    scheme = EXTERNAL.match(address)
    if scheme and scheme.group().rstrip(":").lower() in ("javascript", "vbscript", "data"):
        return say("{written} did not become a {kind}: addresses starting with {scheme} are not allowed on the site; "
                   "remove it", written=written, kind=kind, scheme=scheme.group())
    if any(char.isspace() for char in address):
        return say("{written} did not become a {kind}, and readers would see it as written: its address has a space; "
                   "write each space as %20, or rename the file without spaces", written=written, kind=kind)
    return say("{written} did not become a {kind}, and readers would see it as written: write it as "
               "[text](address) for a link or ![description](address) for a picture, the address without spaces or "
               "brackets", written=written, kind=kind)


def is_external(target: str) -> bool:
    """An address of another site (https:, mailto:, //host/…), not checked by the build."""
    return bool(EXTERNAL.match(target)) and not LOCAL_FILE.match(target)


def anchor_id(text: str) -> str:
    """A heading's id: its words (Chinese characters included) joined by '-', punctuation dropped."""
    return "-".join(re.findall(r"\w+", text.lower())) or "section"


def render_markdown(md: MarkdownIt, text: str, base_path: str) -> Rendered:
    """Render a body; links and images starting with one '/' get the base path; headings get ids."""
    tokens = _as_chinese_text(md.parse(text))
    plain: list[str] = []
    anchors: list[str] = []
    links: list[tuple[str, int]] = []
    backslashed: list[tuple[str, int]] = []
    unparsed: list[tuple[str, int]] = []
    source_lines = text.split("\n")
    for position, token in enumerate(tokens):
        if token.type == "heading_open":
            anchor = anchor_id(tokens[position + 1].content)
            if anchor in anchors:
                anchor = next(f"{anchor}-{n}" for n in range(1, len(anchors) + 2) if f"{anchor}-{n}" not in anchors)
            anchors.append(anchor)
            token.attrSet("id", anchor)
        if token.type != "inline" or not token.children:
            continue
        line = token.map[0] if token.map else 0
        in_heading = tokens[position - 1].type == "heading_open"  # headings stay out of summaries
        unparsed += _unparsed(token, source_lines, tokens[position - 1].type == "paragraph_open")
        for child in token.children:
            if child.type in ("link_open", "image"):
                attr = "href" if child.type == "link_open" else "src"
                target = child.attrs.get(attr)
                if isinstance(target, str) and ("%5C" in target or "\\" in target) and not EXTERNAL.match(target):
                    backslashed.append((target, line))
                    target = child.attrs[attr] = target.replace("%5C", "/").replace("\\", "/")
                if isinstance(target, str) and target and not is_external(target):
                    links.append((target, line))
                    if target.startswith("/"):
                        child.attrs[attr] = base_path + target[1:]
            if child.type in ("text", "code_inline") and not in_heading:
                plain.append(child.content)
        plain.append(" ")
    _figures(tokens)
    return Rendered(md.renderer.render(tokens, md.options, {}), "".join(plain).strip(), tuple(anchors), tuple(links),
                    tuple(backslashed), tuple(unparsed))


def _unparsed(inline: Token, source_lines: list[str], in_paragraph: bool) -> list[tuple[str, int]]:
    """Markdown links, pictures and headings of an inline token that stayed text, as written, with their body
    lines. One written escaped (\\[…\\](…), \\#) is text on purpose: it is not what its source line says, so it
    is not taken."""
    if in_paragraph and inline.map:  # a paragraph split into lines (_lines_of) has its lines' text in the source
        first = inline.content.split("\n")[0] if inline.content else source_lines[inline.map[0]].lstrip(" \t")
        heading = UNSPACED_HEADING.match(first)
        if heading and "#" not in first[heading.end():]:  # '#两会#' is a topic, not a heading
            return [(first, inline.map[0])]
    first, last = inline.map if inline.map else (0, len(source_lines))
    if not any("](" in source_lines[number] for number in range(first, min(last, len(source_lines)))):
        return []  # most paragraphs: their text is not joined at all
    text = "".join(child.content if child.type == "text" else "\n" if child.type in ("softbreak", "hardbreak")
                   else "\0" for child in inline.children)
    found = []
    for match in UNPARSED.finditer(text):
        written = match.group()
        line = next((number for number in range(first, min(last, len(source_lines)))
                     if written in source_lines[number]), None)
        if line is not None:
            found.append((written, line))
    return found


def _as_chinese_text(tokens: list[Token]) -> list[Token]:
    """Each line of a paragraph outside lists a paragraph of its own; other line breaks between two Chinese
    characters dropped; leading full-width spaces of a paragraph dropped."""
    result: list[Token] = []
    in_list = 0
    position = 0
    while position < len(tokens):
        token = tokens[position]
        in_list += {"list_item_open": 1, "list_item_close": -1}.get(token.type, 0)
        if token.type == "paragraph_open" and tokens[position + 1].children is not None:
            opening, inline, closing = tokens[position:position + 3]
            _drop_leading_spaces(inline)
            lines = [inline] if in_list else _lines_of(inline)
            for number, line in enumerate(lines):
                _join_chinese_lines(line)
                result += [opening, line, closing] if number == 0 else \
                    [_copy(opening, line), line, _copy(closing, line)]
            position += 3
            continue
        result.append(token)
        position += 1
    return result


def _lines_of(inline: Token) -> list[Token]:
    """One inline token per line, split at the line breaks that no emphasis or link spans."""
    pieces, depth = [[]], 0
    for child in inline.children:
        depth += child.nesting
        if child.type == "softbreak" and depth == 0:
            pieces.append([])
        else:
            pieces[-1].append(child)
    if len(pieces) == 1:
        return [inline]
    first = inline.map[0] if inline.map else 0
    lines = []
    for number, children in enumerate(pieces):
        if not children:
            continue
        line = Token("inline", "", 0)
        line.children, line.map, line.level = children, [first + number, first + number + 1], inline.level
        _drop_leading_spaces(line)
        lines.append(line)
    return lines


def _copy(token: Token, line: Token) -> Token:
    copy = token.copy()
    copy.map = line.map
    return copy


def _drop_leading_spaces(inline: Token) -> None:
    if inline.children and inline.children[0].type == "text":
        inline.children[0].content = inline.children[0].content.lstrip("\u3000\u00a0 \t")


def _join_chinese_lines(inline: Token) -> None:
    """A line break between two wide (Chinese, Japanese) characters is dropped, not shown as a space (CSS Text 3's
    segment break rule, which browsers do not apply)."""
    children = inline.children
    for number in range(1, len(children) - 1):
        if children[number].type == "softbreak" and _is_wide(_last_char(children[:number])) \
                and _is_wide(_first_char(children[number + 1:])):
            children[number] = Token("text", "", 0)


def _last_char(children) -> str:
    return next((c.content[-1] for c in reversed(children) if c.type == "text" and c.content), "")


def _first_char(children) -> str:
    return next((c.content[0] for c in children if c.type == "text" and c.content), "")


def _is_wide(char: str) -> bool:
    return bool(char) and unicodedata.east_asian_width(char) in ("W", "F") and not "\uac00" <= char <= "\ud7a3"


def _figures(tokens) -> None:
    """Captions (pictures hook): an image alone in its paragraph with a title, ![会场](/images/a.jpg "县人大常委会会议"),
    becomes <figure> with the title as its <figcaption>; the alt text stays the image's text alternative."""
    for position in range(1, len(tokens) - 1):
        opening, inline, closing = tokens[position - 1], tokens[position], tokens[position + 1]
        if opening.type != "paragraph_open" or opening.hidden or inline.type != "inline" or not inline.children:
            continue
        shown = [child for child in inline.children if not (child.type == "text" and not child.content.strip())
                 and child.type != "softbreak"]
        if len(shown) != 1 or shown[0].type != "image" or not str(shown[0].attrs.get("title") or "").strip():
            continue
        opening.tag = closing.tag = "figure"
        caption = Token("html_inline", "", 0)
        title = str(shown[0].attrs.pop("title")).strip()  # shown once, as the caption, not again as a tooltip
        caption.content = f"<figcaption>{html.escape(title, quote=False)}</figcaption>"
        inline.children = [shown[0], caption]


def summarize(plain: str, limit: int = SUMMARY_CHARS) -> str:
    """About `limit` characters of text, counting each Chinese character as one, cut with an ellipsis."""
    plain = " ".join(plain.split())
    if len(plain) <= limit:
        return plain
    return plain[:limit].rstrip("，,；;：:、 ") + "……"
