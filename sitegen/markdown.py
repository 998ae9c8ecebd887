"""Markdown to HTML (CommonMark + tables) with site-root links under the base path, and plain text for summaries."""

from __future__ import annotations

from markdown_it import MarkdownIt

SUMMARY_CHARS = 120


def make_markdown(allow_html: bool) -> MarkdownIt:
    """CommonMark plus tables; raw HTML is escaped as text unless the site allows it."""
    return MarkdownIt("commonmark", {"html": allow_html}).enable("table")


def render_markdown(md: MarkdownIt, text: str, base_path: str) -> tuple[str, str]:
    """(HTML, plain text) of a Markdown body; links and images starting with one '/' get the base path."""
    tokens = md.parse(text)
    plain: list[str] = []
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        for child in token.children:
            if child.type in ("link_open", "image"):
                attr = "href" if child.type == "link_open" else "src"
                target = child.attrs.get(attr)
                if isinstance(target, str) and target.startswith("/") and not target.startswith("//"):
                    child.attrs[attr] = base_path + target[1:]
            if child.type in ("text", "code_inline"):
                plain.append(child.content)
        plain.append(" ")
    return md.renderer.render(tokens, md.options, {}), "".join(plain).strip()


def summarize(plain: str, limit: int = SUMMARY_CHARS) -> str:
    """About `limit` characters of text, counting each Chinese character as one, cut with an ellipsis."""
    plain = " ".join(plain.split())
    if len(plain) <= limit:
        return plain
    return plain[:limit].rstrip("，,；;：:、 ") + "……"
