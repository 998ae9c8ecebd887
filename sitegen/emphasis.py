"""Bold and italic with '*' next to Chinese punctuation: CommonMark's flanking rules with the CJK-friendly
amendments (github.com/tats-u/markdown-cjk-friendly, the rules GitLab and markdig adopted).

Plain CommonMark leaves the stars of `**一是聚焦重点。**常委会…` and `加强**“两个机关”**建设` on the page:
a run of stars between punctuation inside and a Chinese character outside neither opens nor closes. The
amendments count a Chinese character beside the run as CommonMark counts a space or punctuation there, and
Chinese punctuation inside as a letter. Where no Chinese character is next to a run, the rules are CommonMark's.
'_' keeps CommonMark's rules: a row of underscores in a form to fill in (姓名____电话____) stays text.
Variation selectors are not looked at: they do not occur in the office's text.
"""

from __future__ import annotations

import unicodedata

from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Delimiter

# Wide characters that are emoji, not writing (the amendments exclude emoji presentation characters).
EMOJI_BLOCKS = ((0x2300, 0x23FF), (0x2600, 0x27BF), (0x2B00, 0x2BFF), (0x1F000, 0x1FAFF))


def is_cjk(char: str) -> bool:
    """A Chinese, Japanese or Korean character or punctuation mark: wide, and not an emoji."""
    code = ord(char)
    return unicodedata.east_asian_width(char) in "WFH" and not any(low <= code <= high for low, high in EMOJI_BLOCKS)


def _space(char: str) -> bool:
    return isWhiteSpace(ord(char))


def _punct(char: str) -> bool:
    return isMdAsciiPunct(ord(char)) or isPunctChar(char)


def flanking(before: str, after: str) -> tuple[bool, bool]:
    """(left-flanking, right-flanking) of a run of '*' between `before` and `after` (' ' at a line's ends)."""
    after_plain_punct = _punct(after) and not is_cjk(after)
    before_plain_punct = _punct(before) and not is_cjk(before)
    left = not _space(after) and (not after_plain_punct or _space(before) or _punct(before) or is_cjk(before))
    right = not _space(before) and (not before_plain_punct or _space(after) or _punct(after) or is_cjk(after))
    return left, right


def _stars(state: StateInline, silent: bool) -> bool:
    """markdown-it's emphasis rule, with flanking() deciding for '*'."""
    start = state.pos
    marker = state.src[start]
    if silent or marker not in "*_":
        return False
    if marker == "_":
        scanned = state.scanDelims(start, False)
        length, opens, closes = scanned.length, scanned.can_open, scanned.can_close
    else:
        end = start
        while end < state.posMax and state.src[end] == "*":
            end += 1
        length = end - start
        opens, closes = flanking(state.src[start - 1] if start > 0 else " ",
                                 state.src[end] if end < state.posMax else " ")
    for _ in range(length):
        token = state.push("text", "", 0)
        token.content = marker
        state.delimiters.append(Delimiter(marker=ord(marker), length=length, token=len(state.tokens) - 1, end=-1,
                                          open=opens, close=closes))
    state.pos += length
    return True


def chinese_emphasis(md: MarkdownIt) -> None:
    """A markdown-it plugin: '*' emphasis by flanking()."""
    md.inline.ruler.at("emphasis", _stars)
