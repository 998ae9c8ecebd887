"""Import stage: a progress line for large saved copies: redrawn in place on a terminal, a few lines in CI logs."""

from __future__ import annotations

import time
from typing import TextIO

from ..messages import Language

SHOWN_FROM = 200  # smaller copies finish before a progress line would help
REDRAW_SECONDS = 0.25


class Progress:
    def __init__(self, total: int, stream: TextIO, language: Language):
        self.total, self.stream, self.language = total, stream, language
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.shown = total >= SHOWN_FROM
        self.next_tenth = 1
        self.last_draw = 0.0

    def update(self, done: int) -> None:
        if not self.shown:
            return
        if self.tty:
            now = time.monotonic()
            if now - self.last_draw >= REDRAW_SECONDS or done >= self.total:
                self.last_draw = now
                self.stream.write("\r" + self.line(done, 100 * done // self.total))
                self.stream.flush()
            return
        while self.next_tenth <= 10 and done * 10 >= self.next_tenth * self.total:  # at most ten lines in a log
            self.stream.write(self.line(done, self.next_tenth * 10) + "\n")
            self.stream.flush()
            self.next_tenth += 1

    def line(self, done: int, percent: int) -> str:
        return self.language("import: {done}/{total} pages ({percent}%)", done=done, total=self.total,
                             percent=percent)

    def close(self) -> None:
        if self.shown and self.tty:
            self.stream.write("\n")
            self.stream.flush()
