"""Paths the desk is asked for, confined to content/ and assets/ of the site; files written atomically."""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..messages import Message, say

AREAS = ("content", "assets")


class Refused(Exception):
    """A request the desk will not carry out; `message` says why, in the editor's words."""

    def __init__(self, message: Message, status: int = 403):
        super().__init__(message)
        self.message, self.status = message, status


@dataclass(frozen=True, slots=True)
class Confined:
    """A path inside content/ or assets/: `rel` as the CMS names it ('content/a/b.md'), `file` on disk."""

    rel: str
    file: Path

    @property
    def area(self) -> str:
        return self.rel.split("/", 1)[0]


def confine(root: Path, asked: object, areas: tuple[str, ...] = AREAS) -> Confined:
    """The file `asked` names under one of `areas` of the site at `root`; Refused for anything else: not text, an
    absolute path, a backslash, a '..' or '.' part, an empty part, another folder, or a symlink leading out."""
    if not isinstance(asked, str) or not asked or "\x00" in asked:
        raise Refused(say("the desk was sent no file name it can use"), 400)
    shown = asked[:200]
    if asked.startswith("/") or "\\" in asked or (len(asked) > 1 and asked[1] == ":"):
        raise Refused(say("'{path}' is refused: the desk only works with files under content/ and assets/",
                          path=shown))
    parts = asked.split("/")
    if any(part in ("", ".", "..") for part in parts) or parts[0] not in areas:
        raise Refused(say("'{path}' is refused: the desk only works with files under content/ and assets/",
                          path=shown))
    root = root.resolve()
    area = (root / parts[0]).resolve()
    file = root.joinpath(*parts)
    # Every existing part, followed through its links, must stay inside its area (a link to /etc is refused).
    probe = file
    while not probe.exists() and not probe.is_symlink() and probe != root:
        probe = probe.parent
    real = probe.resolve()
    if real != area and not real.is_relative_to(area):
        raise Refused(say("'{path}' is refused: it leads outside the site's {area}/ folder", path=shown,
                          area=parts[0]))
    return Confined("/".join(parts), file)


def write_atomically(file: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `file`, flush it to disk, then rename it over `file`: a killed
    server leaves the old file or the new one, never half of one."""
    file.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=file.parent, prefix=".desk-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if file.exists():
            os.chmod(temporary, file.stat().st_mode & 0o777)
        else:
            os.chmod(temporary, 0o644)
        os.replace(temporary, file)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise

