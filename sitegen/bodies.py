"""Article bodies put aside in a file during a large build and read back by offset, so the model of a
100,000-article archive holds their metadata only (the bodies were 440 MiB of its 790)."""

from __future__ import annotations

import dataclasses
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .output import disk_errors

# From this many source files a one-shot build puts the bodies aside. Below it they stay in memory: reading
# each one back twice (its page and its print view) and once more for the search index costs more than the
# few tens of MiB it saves.
PUT_ASIDE_FROM = 30000


@dataclass(frozen=True, slots=True)
class PutAside:
    """Where one body is: its UTF-8 bytes at `offset` in the open file `fd` (forked workers inherit it;
    pread never moves a shared file position)."""
    fd: int
    offset: int
    length: int

    def read(self) -> str:
        return os.pread(self.fd, self.length, self.offset).decode("utf-8")


class BodyFile:
    """An unnamed temporary file in `folder` the bodies are appended to; the system removes it when it is
    closed or this process ends, however it ends. A disk error is a problem naming the folder (for the site
    built into `out_dir`), not a traceback."""

    def __init__(self, folder: Path, out_dir: Path):
        self.folder, self.out_dir = folder, out_dir
        with disk_errors(out_dir, folder):
            folder.mkdir(parents=True, exist_ok=True)
            self.handle = tempfile.TemporaryFile(dir=folder)
        self.fd = self.handle.fileno()
        self.size = 0

    def put_aside(self, parsed: list) -> list:
        """Each Parsed with its article's body in the file instead of in memory (one write for them all)."""
        chunks, out = [], []
        for result in parsed:
            article = result.article
            if article is None or not isinstance(article.body_html, str):
                out.append(result)
                continue
            data = article.body_html.encode("utf-8")
            chunks.append(data)
            where = PutAside(self.fd, self.size, len(data))
            self.size += len(data)
            out.append(dataclasses.replace(result, article=dataclasses.replace(article, body_html=where)))
        left = memoryview(b"".join(chunks))
        with disk_errors(self.out_dir, self.folder):
            while left:  # appended: the file position is only ever at its end
                left = left[os.write(self.fd, left):]
        return out

    def close(self) -> None:
        self.handle.close()


def brought_back(result):
    """A Parsed with its body in memory again (what the parse cache stores)."""
    article = result.article if result is not None else None
    if article is None or isinstance(article.body_html, str):
        return result
    return dataclasses.replace(result, article=dataclasses.replace(article, body_html=article.body_html.read()))
