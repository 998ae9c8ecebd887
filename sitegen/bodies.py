"""Article bodies put aside in a file during a large build and read back by offset, so the model of a
100,000-article archive holds their metadata only (the bodies were 440 MiB of its 790)."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import pickle
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .output import disk_errors
from .messages import say
from .problems import BuildFailed, Problem

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


# ---------------------------------------------------------------------------------------- the parse packs
# A parse pack (parsecache.parse_all) keeps its articles' bodies in a cache entry of their own, and the pack
# itself only where each body is and a digest of it. A warm build loads the packs of all 10,000 articles but
# reads only the few bodies of the pages it renders; the entry of the bodies is opened, never read whole, and
# each body is checked as it is read.


def body_check(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class PackBodies:
    """The open entry of one pack's bodies. A body whose bytes are not what its pack recorded (the entry was
    damaged, or replaced by another build since this one opened it) ends the build with a problem, and the
    whole parse cache (`folder`) is removed, so the next build parses every file again: a damaged entry
    seldom comes alone, and one failed build, not one per entry, is what it costs."""

    def __init__(self, fd: int, start: int, path: str, folder: str):
        self.fd, self.start, self.path, self.folder = fd, start, path, folder

    def damaged(self) -> BuildFailed:
        shutil.rmtree(self.folder, ignore_errors=True)
        return BuildFailed([Problem(self.path, 0, 0, say("this entry of the parse cache changed during the build "
                                                         "(the parse cache has been cleared); build again"))])

    def close(self) -> None:
        if self.fd != -1:
            os.close(self.fd)
            self.fd = -1


@dataclass(frozen=True, slots=True)
class Packed:
    """One body in its pack's entry of bodies: `length` bytes at `offset` of its data, with their digest."""
    bodies: PackBodies
    offset: int
    length: int
    check: bytes

    def read(self) -> str:
        data = os.pread(self.bodies.fd, self.length, self.bodies.start + self.offset)
        if len(data) != self.length or body_check(data) != self.check:
            raise self.bodies.damaged()
        return data.decode("utf-8")


def _these_bodies():
    """Stands for the PackBodies of the pack being loaded (see PackLoader); never called otherwise."""
    raise RuntimeError("a parse pack's bodies can only be loaded by bodies.load_pack")


_THESE = object()  # pickled as a call of _these_bodies: each pack refers to its own entry of bodies


class _PackPickler(pickle.Pickler):
    """Dataclasses as calls of their class with their field values (as keys.ValuesPickler, twice as fast to
    load as dataclasses' own __setstate__), each article's body moved into `bodies`."""

    def __init__(self, buffer, movable: type):
        super().__init__(buffer, protocol=5)
        self.movable = movable
        self.bodies: list[bytes] = []
        self.size = 0

    def reducer_override(self, obj):
        if obj is _THESE:
            return _these_bodies, ()
        fields = getattr(type(obj), "__dataclass_fields__", None)
        if fields is None:
            return NotImplemented
        values = [getattr(obj, name) for name in fields]
        if type(obj) is self.movable and isinstance(obj.body_html, str):
            data = obj.body_html.encode("utf-8")
            self.bodies.append(data)
            values[list(fields).index("body_html")] = Packed(_THESE, self.size, len(data), body_check(data))
            self.size += len(data)
        return type(obj), tuple(values)


def dump_pack(results: dict, movable: type) -> tuple[bytes, bytes]:
    """(the pickled results, the entry of their bodies) for parse results whose bodies are in memory: the bodies
    of the `movable` objects (articles) go into the entry. seal_pack makes the pack once the entry is stored."""
    buffer = io.BytesIO()
    pickler = _PackPickler(buffer, movable)
    pickler.dump(results)
    return buffer.getvalue(), b"".join(pickler.bodies)


def seal_pack(pickled: bytes, bodies: bytes, stored: bytes) -> bytes:
    """The pack: the pickled results with the length of their bodies' entry and the digest the cache stored
    in its header (Cache.put's value), so that only that very entry is ever taken for its bodies."""
    return pickle.dumps((stored, len(bodies), pickled), protocol=5)


class _PackUnpickler(pickle.Unpickler):
    def __init__(self, data: bytes, bodies: PackBodies):
        super().__init__(io.BytesIO(data))
        self.bodies = bodies

    def find_class(self, module, name):
        if (module, name) == (__name__, "_these_bodies"):
            # not `lambda: self.bodies`: the memo keeps what this returns, and a cycle back to the unpickler
            # would keep its memo and the whole pack alive while the build runs with gc off (a warm build of
            # 100,000 articles held 914 MiB before writing its pages, 731 MiB without the cycle)
            bodies = self.bodies
            return lambda: bodies
        return super().find_class(module, name)


def load_pack(data: bytes, opened: tuple[int, int, int, bytes] | None, path: str,
              folder: str) -> tuple[dict, PackBodies] | None:
    """The parse results of a pack, each article's body a Packed in the opened entry of bodies (fd, start,
    length, the digest in its header; at `path`, in the parse cache's `folder`), and that entry, which the
    caller closes when the build is over; None if the two do not belong together (another site's entry, an
    older one: then the entry is closed here and the pack's files are parsed again)."""
    if opened is None:
        return None
    bodies = PackBodies(opened[0], opened[1], path, folder)
    try:
        stored, length, pickled = pickle.loads(data)
        if (stored, length) != (opened[3], opened[2]):
            raise ValueError("the bodies are not the pack's")
        results = _PackUnpickler(pickled, bodies).load()
        if not isinstance(results, dict):
            raise ValueError("not a pack")
    except Exception:  # an entry we cannot read is rebuilt, never trusted
        bodies.close()
        return None
    return results, bodies
