"""Import stage: an imported article or section as the site's Markdown file (front matter + body)."""

from __future__ import annotations

import json
import re

PLAIN_SAFE = re.compile(r"[\u4e00-\u9fff“‘《（【—][^:#\n]*")


def yaml_text(value: str) -> str:
    """A YAML string: plain when that is safe (Chinese text without ': ' or ' #'), else double-quoted."""
    if PLAIN_SAFE.fullmatch(value) and not value.endswith((" ", "：")) and value == value.strip():
        return value
    return json.dumps(value, ensure_ascii=False)


def front_matter(title: str, date: str, subtitle: str = "", author: str = "", source: str = "",
                 aliases: tuple[str, ...] = ()) -> str:
    """An article's front matter and the blank line after it: its body follows."""
    lines = ["---", f"title: {yaml_text(title)}"]
    if subtitle:
        lines.append(f"subtitle: {yaml_text(subtitle)}")
    if author:
        lines.append(f"author: {yaml_text(author)}")
    if source:
        lines.append(f"source: {yaml_text(source)}")
    lines.append(f"date: {date}")
    lines += _aliases(aliases)
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def article_file(title: str, date: str, body: str, subtitle: str = "", author: str = "", source: str = "",
                 aliases: tuple[str, ...] = ()) -> str:
    return front_matter(title, date, subtitle, author, source, aliases) + body.strip("\n") + "\n"


def section_file(title: str, aliases: tuple[str, ...] = ()) -> str:
    """A section's _index.md; `aliases`: the old addresses of its list pages, redirected to it."""
    return "\n".join(["---", f"title: {yaml_text(title)}", *_aliases(aliases), "---"]) + "\n"


def _aliases(aliases: tuple[str, ...]) -> list[str]:
    if not aliases:
        return []
    return ["aliases:", *(f"  - {json.dumps(alias, ensure_ascii=False)}" for alias in aliases)]
