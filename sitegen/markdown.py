"""Markdown to HTML (CommonMark + tables) with site-root links under the base path, and plain text for summaries."""

from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

SUMMARY_CHARS = 120


def make_markdown(allow_html: bool) -> MarkdownIt:
    """CommonMark plus tables; raw HTML is escaped as text unless the site allows it."""
    return MarkdownIt("commonmark", {"html": allow_html}).enable("table")


class Rendered:
    """A rendered body: HTML, plain text, heading anchors, and internal links with their body lines."""

    __slots__ = ("html", "plain", "anchors", "links")

    def __init__(self, html: str, plain: str, anchors: tuple[str, ...], links: tuple[tuple[str, int], ...]):
        self.html, self.plain, self.anchors, self.links = html, plain, anchors, links


EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")


def anchor_id(text: str) -> str:
    """A heading's id: its words (Chinese characters included) joined by '-', punctuation dropped."""
    return "-".join(re.findall(r"\w+", text.lower())) or "section"


def render_markdown(md: MarkdownIt, text: str, base_path: str) -> Rendered:
    """Render a body; links and images starting with one '/' get the base path; headings get ids."""
    tokens = md.parse(text)
    plain: list[str] = []
    anchors: list[str] = []
    links: list[tuple[str, int]] = []
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
        for child in token.children:
            if child.type in ("link_open", "image"):
                attr = "href" if child.type == "link_open" else "src"
                target = child.attrs.get(attr)
                if isinstance(target, str) and target and not EXTERNAL.match(target):
                    links.append((target, line))
                    if target.startswith("/"):
                        child.attrs[attr] = base_path + target[1:]
            if child.type in ("text", "code_inline") and not in_heading:
                plain.append(child.content)
        plain.append(" ")
    _figures(tokens)
    return Rendered(md.renderer.render(tokens, md.options, {}), "".join(plain).strip(), tuple(anchors), tuple(links))


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
