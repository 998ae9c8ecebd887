"""Bare addresses in an article become links, as GitHub's Markdown makes them: http:// and https:// addresses,
www. addresses and e-mail addresses, each ending where Chinese text begins.

linkify-it (what markdown-it uses) reads Chinese characters and full-width punctuation as part of an address,
so `详见http://www.npc.gov.cn/。下一句` would link to `…/。下一句`; in Chinese text an address is followed by
Chinese with no space between. It also takes any word ending in a country code for an address (README.md), which
GitHub and Hugo do not: an address without http:// must start with www.
"""

from __future__ import annotations

import re

from linkify_it import LinkifyIt
from markdown_it import MarkdownIt

from .emphasis import is_cjk

# A colon that ends a label (邮箱:, E-mail:), not one of an address (http://, :8080, ?a=b:c): after a space or a
# Chinese character (a space by then), or after 'mail'.
LABEL_COLON = re.compile(r"(?:^|(?<=\s)|(?<=mail)):(?!//)", re.I)


class ChineseLinkify(LinkifyIt):
    """linkify-it reading Chinese characters and punctuation as spaces, and leaving bare domains as text."""

    def pretest(self, text: str) -> bool:
        """Whether the text may hold an address. linkify-it's own test tries its pattern of every top-level domain
        at every character: rendering 3,000 generated bodies took 2.4 s with it, 0.72 s with this (0.70 s with
        no linkify at all)."""
        return "//" in text or "@" in text or "www." in text.lower()

    def test(self, text: str) -> bool:
        return super().test(_spaced(text))

    def match(self, text: str):
        found = [kept for kept in super().match(_spaced(text)) or () if _is_address(kept)]
        return found or None

    def match_at_start(self, text: str):
        found = super().match_at_start(_spaced(text))
        return found if found is not None and _is_address(found) else None


def _spaced(text: str) -> str:
    """The text with each Chinese character and punctuation mark a space, and each colon after a label (邮箱:,
    E-mail:): the same length, so a match's place in it is its place in the text, and its address has no Chinese
    and no label in it."""
    if not text.isascii():
        text = "".join(" " if is_cjk(char) else char for char in text)
    return LABEL_COLON.sub(" ", text)


def _is_address(found) -> bool:
    """An address with its scheme, or starting with www.; not README.md."""
    return bool(found.schema) or found.text.lower().startswith("www.")


def bare_links(md: MarkdownIt) -> None:
    """markdown-it plugin: turn on linkify with ChineseLinkify."""
    md.linkify = ChineseLinkify()
    md.options["linkify"] = True
    md.enable("linkify")
