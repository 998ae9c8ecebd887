"""Problems an editor can act on: `path:line:col: message`, collected and reported together."""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """`line` 0 means no position: printed as `path: message`."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        if self.line == 0:  # a folder or a whole file, with no line to point at
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


class BuildFailed(Exception):
    """Raised with every problem found; nothing has been written."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(sorted(set(problems)))
        super().__init__("\n".join(str(p) for p in self.problems))


def did_you_mean(word: str, choices) -> str:
    """A ` (did you mean 'x'?)` hint, or an empty string when nothing is close."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""
