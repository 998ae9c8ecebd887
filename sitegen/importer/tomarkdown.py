"""Import stage: an article body (lxml element or text lines) to Markdown blocks: paragraphs, numbered headings,
bold, lists, tables, quotes, images with captions and links (targets left as numbered references)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..emphasis import flanking
from ..messages import say
from .htmltext import ATTACHMENT_EXTENSIONS, BLOCK_TAGS, clean_text, is_attachment

LEVEL2 = re.compile(r"^[一二三四五六七八九十百]+、")
LEVEL3 = re.compile(r"^[（(][一二三四五六七八九十百]+[）)]")
HEADING_MAX = 50  # longer numbered paragraphs are text that starts with a number, not headings
# What CommonMark reads as a heading, quote, list item, code fence or rule ('---' would lose its line).
LINE_START = re.compile(r"^(#|>|[-+=] |\d+[.)] |\d+[.)]$|~~~|[-=](?:[ \t]*[-=]){2,}[ \t]*$)")
# The address a script link opens (downFile('…'), window.open("…")): a quoted path with a file's or page's ending.
SCRIPT_TARGET = re.compile(r"""['"]([^'"\s]+\.(?:%s)(?:\?[^'"]*)?)['"]""" % "|".join(
    ext.lstrip(".") for ext in (*ATTACHMENT_EXTENSIONS, ".htm", ".html", ".shtml", ".asp", ".aspx", ".jsp", ".php")),
    re.I)
BOLD_OPEN, BOLD_CLOSE = "\x01", "\x02"  # left by inline() around bold text, turned into ** (or not) per paragraph
CAPTION = re.compile(r"^(图为|图：|图:|图片|▲|上图|下图|（图|\(图)")
CAPTION_LEAD = re.compile(r"^(?:图为|图：|图:|▲+|△+|上图[为：:]?|下图[为：:]?|[（(]图[)）]|图片[：:])\s*")
# Alt text that says nothing about the picture: a file name, 图片, 点击查看原图.
JUNK_ALT = re.compile(r"(?i)图片|图像|照片|image|img|photo|pic|picture|点击.*|.*\.(?:jpe?g|png|gif|bmp|webp)"
                      r"|[A-Za-z0-9_\s.-]*\d[A-Za-z0-9_\s.-]*")


@dataclass(slots=True)
class Body:
    """The converted body: Markdown blocks, the link/image references they point at, and notes."""

    blocks: list = field(default_factory=list)  # (kind, markdown, plain text)
    refs: list = field(default_factory=list)  # (kind 'link'|'image'|'file', href as written)
    notes: list = field(default_factory=list)

    def ref(self, kind: str, href: str) -> str:
        self.refs.append((kind, href))
        return f"\x00{len(self.refs) - 1}\x00"


def escape(text: str) -> str:
    """Markdown's special characters in plain text."""
    text = text.replace("\\", "\\\\")
    for char in "`*_[]<":
        text = text.replace(char, "\\" + char)
    return re.sub(r"&(?=#?\w+;)", r"\\&", text)


def escape_start(text: str) -> str:
    """A paragraph that Markdown would read as a heading, quote or list item stays a paragraph."""
    match = LINE_START.match(text)
    if not match:
        return text
    if text[0].isdigit():  # '1. text' -> '1\. text'
        digits = len(text) - len(text.lstrip("0123456789"))
        return text[:digits] + "\\" + text[digits:]
    return "\\" + text


def strong(inner: str, before: str, after: str) -> str:
    """**inner** where the build will read it as bold (sitegen/emphasis.py); plain where the stars would show."""
    if not inner.strip():
        return inner
    opens = flanking(before or " ", inner[0])[0]
    closes = flanking(inner[-1], after or " ")[1]
    return f"**{inner}**" if opens and closes else inner


class Converter:
    """Walks a body element; one instance per page."""

    def __init__(self, allow_html: bool):
        self.allow_html = allow_html
        self.body = Body()

    # inline ---------------------------------------------------------------

    def inline(self, element, pieces: list, images: list) -> None:
        """Markdown pieces of element's inline content; images met on the way go to `images`."""
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "img":
            images.append(element)
            return
        if tag == "br":
            pieces.append("\n")
            return
        inner: list = []
        if element.text:
            inner.append(escape(element.text))
        if tag == "a" and is_attachment(element.get("href") or ""):
            images = []  # the icon inside a link to a document (DedeCMS's addon.gif) is decoration: left out
        for child in element:
            if isinstance(child.tag, str):
                self.inline(child, inner, images)
            if child.tail:
                inner.append(escape(child.tail))
        text = "".join(inner)
        if tag in ("strong", "b"):
            pieces.append(f"{BOLD_OPEN}{text}{BOLD_CLOSE}" if text.strip() else text)
        elif tag in ("em", "i"):
            pieces.append(text)  # italics do not suit Chinese text; the words stay
        elif tag == "a":
            href = (element.get("href") or "").strip()
            if href.lower().startswith("javascript:") and (opened := SCRIPT_TARGET.search(href)):
                href = opened.group(1)  # javascript:downFile('/uploads/a.doc'): the file it opens
            label = clean_text(text.replace("\n", " "))
            if label and href and not href.lower().startswith(("javascript:", "#", "vbscript:")):
                pieces.append(f"[{label}]({self.body.ref('link', href)})")
            else:
                pieces.append(text)
        else:
            pieces.append(text)

    def render_pieces(self, pieces: list) -> list[str]:
        """Pieces to paragraphs' Markdown (a '\\n' from <br> ends a paragraph)."""
        return [bold_marks(clean_text(part)) for part in "".join(pieces).split("\n")]

    # blocks ---------------------------------------------------------------

    def paragraph(self, markdown: str, centered: bool = False) -> None:
        if not markdown:
            return
        plain = re.sub(r"\\(.)", r"\1", re.sub(r"\*\*|\x00\d+\x00|[\[\]()]", "", markdown))
        self.body.blocks.append(("p", markdown, plain, centered))

    def image(self, element) -> None:
        src = (element.get("src") or element.get("data-src") or "").strip()
        if not src or src.startswith("data:"):
            return
        alt = clean_text(element.get("alt") or element.get("title") or "")
        self.body.blocks.append(("img", f"![{escape(alt)}]({self.body.ref('image', src)})", alt, True))

    def flush(self, pieces: list, images: list, centered: bool) -> None:
        for markdown in self.render_pieces(pieces):
            self.paragraph(markdown, centered)
        for image in images:
            self.image(image)
        pieces.clear()
        images.clear()

    def convert(self, element) -> Body:
        self.walk(element, False)
        self.captions()
        return self.body

    def walk(self, element, centered: bool) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        centered = centered or tag == "center" or "center" in (element.get("align") or "").lower() \
            or "text-align:center" in (element.get("style") or "").replace(" ", "").lower()
        if tag in ("ul", "ol"):
            return self.listing(element, tag == "ol")
        if tag == "table":
            return self.table(element)
        if tag == "blockquote":
            inner = Converter(self.allow_html)
            inner.body.refs = self.body.refs
            inner.walk_children(element, False)
            inner.captions()
            self.body.notes += inner.body.notes
            self.body.blocks.append(("quote", "\n>\n".join("> " + b[1] for b in inner.body.blocks if b[1]),
                                     " ".join(b[2] for b in inner.body.blocks), False))
            return
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            text = clean_text(element.text_content())
            if text:
                level = "##" if tag in ("h1", "h2") else "###"
                self.body.blocks.append(("h", f"{level} {escape(text)}", text, False))
            for image in element.iter("img"):
                self.image(image)
            return
        if tag == "hr":
            return
        self.walk_children(element, centered)

    def walk_children(self, element, centered: bool) -> None:
        pieces: list = []
        images: list = []
        if element.text:
            pieces.append(escape(element.text))
        for child in element:
            child_tag = child.tag if isinstance(child.tag, str) else ""
            if child_tag in BLOCK_TAGS or child_tag == "img" and not pieces_text(pieces):
                self.flush(pieces, images, centered)
                if child_tag == "img":
                    self.image(child)
                else:
                    self.walk(child, centered)
            elif child_tag:
                if child_tag in ("font", "span", "strong", "b", "a") and any(
                        isinstance(d.tag, str) and d.tag in BLOCK_TAGS for d in child.iterdescendants()):
                    self.flush(pieces, images, centered)  # <font> wrapping whole paragraphs, as old editors did
                    self.walk(child, centered)
                else:
                    self.inline(child, pieces, images)
            if child.tail:
                pieces.append(escape(child.tail))
        self.flush(pieces, images, centered)

    def listing(self, element, ordered: bool) -> None:
        items = []
        for number, item in enumerate((li for li in element if li.tag == "li"), start=1):
            pieces: list = []
            images: list = []
            self.inline(item, pieces, images)
            text = " ".join(p for p in self.render_pieces(pieces) if p)
            if text:
                items.append(f"{number}. {text}" if ordered else f"- {text}")
            for image in images:
                self.image(image)
        if items:
            self.body.blocks.append(("list", "\n".join(items), " ".join(items), False))

    def table(self, element) -> None:
        rows = [row for row in element.iter("tr") if _owner_table(row) is element]
        cells = [[cell for cell in row if cell.tag in ("td", "th")] for row in rows]
        width = max((sum(_span(c, "colspan") for c in row) for row in cells), default=0)
        nested = any(_owner_table(t) is not None for t in element.iter("table") if t is not element)
        blocky = any(d.tag in ("p", "div", "img", "table", "ul", "ol", "h1", "h2", "h3") for row in cells
                     for c in row for d in c.iterdescendants() if isinstance(d.tag, str))
        if width <= 1 or nested or blocky or len(rows) < 2 and width <= 2:
            for row in cells:  # a layout table (or one holding a picture and its caption): its content only
                for cell in row:
                    self.walk_children(cell, False)
            return
        merged = any(_span(c, "colspan") > 1 or _span(c, "rowspan") > 1 for row in cells for c in row)
        texts = [[self.cell_text(c) for c in row] for row in cells]
        if merged and self.allow_html:
            plain = [[clean_text(c.text_content()) for c in row] for row in cells]
            self.body.blocks.append(("html", _html_table(cells, plain), " ".join(sum(plain, [])), False))
            return
        grid = _grid(cells, texts, width)
        if merged:
            self.body.notes.append(say("a table with merged cells was simplified (allow_html is false): the merged "
                                       "text is in the first cell"))
        lines = ["| " + " | ".join(grid[0]) + " |", "|" + " --- |" * width]
        lines += ["| " + " | ".join(row) + " |" for row in grid[1:]]
        self.body.blocks.append(("table", "\n".join(lines), " ".join(sum(texts, [])), False))

    def cell_text(self, cell) -> str:
        pieces: list = []
        images: list = []
        self.inline(cell, pieces, images)
        text = " ".join(p for p in self.render_pieces(pieces) if p).replace("|", "\\|")
        for image in images:
            src = (image.get("src") or "").strip()
            if src:
                text += f" ![{escape(clean_text(image.get('alt') or ''))}]({self.body.ref('image', src)})"
        return text.strip()

    def captions(self) -> None:
        """A short line right under a picture (centred, or 图为…) is its caption: the picture's title, which the
        build shows as the figure's caption, and no paragraph of its own. The alt text describes the picture: the
        picture's own alt text, or else the caption without its lead-in (图为会议现场 -> 会议现场)."""
        blocks = self.body.blocks
        kept = []
        index = 0
        while index < len(blocks):
            kind, markdown, alt, centered = blocks[index]
            nxt = blocks[index + 1] if index + 1 < len(blocks) else None
            if kind == "img" and nxt is not None and nxt[0] == "p" and len(nxt[2]) <= 80 \
                    and (nxt[3] or CAPTION.match(nxt[2])) and "\x00" not in nxt[1]:
                caption = nxt[2].strip()
                described = alt if alt and alt != caption and not JUNK_ALT.fullmatch(alt) else \
                    CAPTION_LEAD.sub("", caption).strip() or caption
                target = markdown[markdown.index("](") + 2:-1]
                kept.append(("img", f'![{escape(described)}]({target} "{title_text(caption)}")', described, True))
                index += 2
                continue
            kept.append(blocks[index])
            index += 1
        blocks[:] = kept


def title_text(text: str) -> str:
    """Text for a Markdown link title in double quotes."""
    return re.sub(r'(["\\&])', r"\\\1", text)


def pieces_text(pieces: list) -> bool:
    return any(p.strip(BOLD_OPEN + BOLD_CLOSE + " ") for p in pieces)


def bold_marks(text: str) -> str:
    """Bold spans (between the marks inline() leaves) as ** where CommonMark will read them, else plain."""
    if BOLD_OPEN not in text:
        return text
    out, depth, start = [], 0, 0
    spans = []
    for index, char in enumerate(text):
        if char == BOLD_OPEN:
            if depth == 0:
                start = index
            depth += 1
        elif char == BOLD_CLOSE and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, index))
    plain = text.replace(BOLD_OPEN, "").replace(BOLD_CLOSE, "")
    if not spans:
        return plain
    last = 0
    for start, end in spans:
        inner = text[start + 1:end].replace(BOLD_OPEN, "").replace(BOLD_CLOSE, "")
        head = text[last:start].replace(BOLD_OPEN, "").replace(BOLD_CLOSE, "")
        out.append(head)
        before = "".join(out)[-1:]
        after = text[end + 1:].replace(BOLD_OPEN, "").replace(BOLD_CLOSE, "")[:1]
        stripped = inner.strip()
        if stripped:
            lead, trail = inner[: len(inner) - len(inner.lstrip())], inner[len(inner.rstrip()):]
            out.append(lead + strong(stripped, lead[-1:] or before, trail[:1] or after) + trail)
        else:
            out.append(inner)
        last = end + 1
    out.append(text[last:].replace(BOLD_OPEN, "").replace(BOLD_CLOSE, ""))
    return "".join(out)


def _owner_table(element):
    parent = element.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _span(cell, name: str) -> int:
    try:
        return max(1, min(50, int((cell.get(name) or "1").strip())))
    except ValueError:
        return 1


def _grid(cells, texts, width: int) -> list[list[str]]:
    """Merged cells spread over a plain grid: the text in the first cell, the others empty."""
    grid: list[list[str]] = []
    pending: dict[tuple[int, int], str] = {}
    for r, row in enumerate(cells):
        line: list[str] = []
        column = 0
        for cell, text in zip(row, texts[r]):
            while (r, column) in pending:
                line.append(pending.pop((r, column)))
                column += 1
            colspan, rowspan = _span(cell, "colspan"), _span(cell, "rowspan")
            for offset in range(colspan):
                line.append(text if offset == 0 else "")
                for below in range(1, rowspan):
                    pending[(r + below, column + offset)] = ""
            column += colspan
        while (r, column) in pending:
            line.append(pending.pop((r, column)))
            column += 1
        grid.append((line + [""] * width)[:width])
    return grid


def _html_table(cells, texts) -> str:
    from html import escape as html_escape
    rows = []
    for row, row_texts in zip(cells, texts):
        out = []
        for cell, text in zip(row, row_texts):
            attrs = "".join(f' {name}="{_span(cell, name)}"' for name in ("colspan", "rowspan") if _span(cell, name) > 1)
            out.append(f"<{cell.tag}{attrs}>{html_escape(text, quote=False)}</{cell.tag}>")
        rows.append("<tr>" + "".join(out) + "</tr>")
    return "<table>\n" + "\n".join(rows) + "\n</table>"


def to_markdown(block) -> str:
    """One block's Markdown; numbered paragraphs (一、… and （一）…) become headings."""
    kind, markdown, plain, _ = block
    if kind == "p":
        bare = markdown[2:-2] if markdown.startswith("**") and markdown.endswith("**") and markdown.count("**") == 2 \
            else markdown
        if len(plain) <= HEADING_MAX and not plain.endswith(("。", "；", ";", "：")) and "\x00" not in bare:
            if LEVEL2.match(plain):
                return "## " + bare
            if LEVEL3.match(plain):
                return "### " + bare
        return escape_start(markdown)
    return markdown
