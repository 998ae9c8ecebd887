"""Problems an editor can act on: `path:line:col: message`, collected and reported together."""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass

from .messages import Language, Message, language_named, say


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """`line` 0 means no position: printed as `path: message`."""

    path: str
    line: int
    col: int
    message: Message

    def said(self, language: Language | None = None) -> str:
        """`path:line:col: message` in `language` (Chinese by default)."""
        text = (language or language_named("zh")).text(self.message)
        if self.line == 0:  # a folder or a whole file, with no line to point at
            return f"{self.path}: {text}"
        return f"{self.path}:{self.line}:{self.col}: {text}"

    def __str__(self) -> str:
        return self.said()


class BuildFailed(Exception):
    """Raised with every problem found; nothing has been written."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(sorted(set(problems)))
        super().__init__("\n".join(str(p) for p in self.problems))


def did_you_mean(word: str, choices) -> Message | str:
    """A ` (did you mean 'x'?)` hint, or an empty string when nothing is close."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.75)
    return say(" (did you mean '{close}'?)", close=close[0]) if close else ""


def shown(text: str, limit: int = 100) -> str:
    """An editor's text quoted in a message: on one line (line breaks and control characters written as
    \\n, \\t, \\x00, \\u2028), and cut short with '…' past `limit` characters."""
    if len(text) > limit:
        text = text[:limit] + "…"
    if is_one_line(text):
        return text
    return "".join(_escaped(c) if unicodedata.category(c) in LINE_BREAKING else c for c in text)


LINE_BREAKING = ("Cc", "Zl", "Zp")  # control characters, U+2028 and U+2029


def is_one_line(text: str) -> bool:
    """Whether the text shows as it is on one line of a terminal (no line break or control character)."""
    return text.isprintable() or not any(unicodedata.category(c) in LINE_BREAKING for c in text)


def _escaped(char: str) -> str:
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if char in named:
        return named[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
