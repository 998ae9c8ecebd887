"""Digests of files remembered by their stamps between builds, so a warm build reads only the files that changed."""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass, field

from .cache import Cache

NAMESPACE = "stamps"
# A digest is remembered only for a file last modified this long before the build began: a file changed again
# within the same tick of the filesystem's clock would keep its stamp (git's "racily clean" files).
SETTLED_NS = 2_000_000_000


def stamp_of(st: os.stat_result) -> tuple[int, int, int, int]:
    """What changes whenever a file's bytes do: size, mtime, inode, ctime (a restored mtime still moves ctime)."""
    return st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns


@dataclass(slots=True)
class Remembered:
    """path -> (stamp, digest) as the last build found them, and what this build found, to save after it."""

    known: dict = field(default_factory=dict)
    found: dict = field(default_factory=dict)
    began_ns: int = 0  # the filesystem's time when this build began (0: trust nothing)
    pending: dict = field(default_factory=dict)  # path -> stamp of files whose digest the parse will find

    def digest(self, path: str, stamp: tuple) -> str | None:
        last = self.known.get(path)
        return last[1] if last is not None and last[0] == stamp else None

    def note(self, path: str, stamp: tuple, digest: str) -> None:
        """Remember a digest read in this build, unless the file changed too shortly before the build began:
        a later change within the same tick of the filesystem's clock would then keep the same stamp."""
        if stamp[1] < self.began_ns - SETTLED_NS:
            self.found[path] = (stamp, digest)


def recall(cache: Cache, scope: str) -> Remembered:
    """The digests remembered for `scope` (the site's folder), and the filesystem's time now: the mtime of a
    file written into the cache, so no clock of ours is read."""
    if not cache.enabled:
        return Remembered()
    key = cache.key(NAMESPACE, scope)
    try:
        known = pickle.loads(cache.get(NAMESPACE, key) or pickle.dumps({}))
    except Exception:  # unreadable: every file is read again
        known = {}
    clock = cache.root / NAMESPACE / "clock"
    try:
        clock.parent.mkdir(parents=True, exist_ok=True)
        with open(clock, "wb") as handle:
            handle.write(b"its mtime is the filesystem's time when a build began\n")
        began = os.stat(clock).st_mtime_ns
    except OSError:
        began = 0
    return Remembered(known if isinstance(known, dict) else {}, {}, began)


def settle(remembered: Remembered, found: dict[str, str]) -> None:
    """Note the digests found by the parse (path -> digest) of the files discovery did not read."""
    for path, digest in found.items():
        stamp = remembered.pending.pop(path, None)
        if stamp is not None and digest:
            remembered.note(path, stamp, digest)


def keep(cache: Cache, scope: str, remembered: Remembered) -> None:
    """Save what this build found (only files it saw: removed files are forgotten)."""
    if cache.enabled and remembered.found != remembered.known:
        cache.put(NAMESPACE, cache.key(NAMESPACE, scope), pickle.dumps(remembered.found, protocol=5))
