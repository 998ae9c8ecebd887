"""The persistent build cache: content-addressed entries in one folder, verified on every read."""

from __future__ import annotations

import hashlib
import os
import struct
import re
import sys
from pathlib import Path
from typing import Callable

MAGIC = b"SGC2"
DIGEST = 32  # bytes of SHA-256 in each entry's header (SHA-256 runs in hardware: 4x BLAKE2b here)
PACKAGES = ("Jinja2", "MarkupSafe", "markdown-it-py", "linkify-it-py", "PyYAML", "Pillow")


def code_version() -> str:
    """A digest of the generator's own code and of the libraries it renders with.

    Any change to a module of sitegen/ or to a pinned library's version gives new keys, so no entry
    made by other code is ever served.
    """
    digest = hashlib.blake2b(digest_size=16)
    digest.update(sys.version.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".js") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    versions = installed_versions()
    for name in PACKAGES:
        version = versions.get(_normal(name))
        digest.update((f"{name}=={version}\0" if version else f"{name} missing\0").encode())
    return digest.hexdigest()


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def installed_versions() -> dict[str, str]:
    """Normalised distribution name -> version, from the '<name>-<version>.dist-info' folders on sys.path, the
    first of each name winning as in importlib.metadata (which costs a build some 30-60 ms just to import)."""
    versions: dict[str, str] = {}
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for entry in names:
            if entry.endswith((".dist-info", ".egg-info")) and "-" in entry:
                name, _, version = entry.rpartition(".")[0].partition("-")
                versions.setdefault(_normal(name), version.partition("-")[0])
    return versions


def _frame(part) -> bytes:
    data = part if isinstance(part, bytes) else str(part).encode("utf-8")
    return struct.pack("<Q", len(data)) + data


class Cache:
    """Entries under root/<namespace>/<key[:2]>/<key>; root None means no cache (every get misses).

    Each entry starts with MAGIC and a SHA-256 digest of its key and data, so a truncated, corrupted,
    or renamed (foreign) file is a miss, never a wrong answer. Writes go to a temporary file renamed
    into place, so a killed build leaves whole entries or none. A cache that cannot be written only
    makes the build slower: write errors are ignored.
    """

    def __init__(self, root: Path | None, version: str = ""):
        self.root = Path(root) if root is not None else None
        self.version = version
        self._prefix = hashlib.blake2b(_frame(version), digest_size=24)  # copied for each key

    @property
    def enabled(self) -> bool:
        return self.root is not None

    def key(self, *parts) -> str:
        """The key for an entry made from `parts` (bytes, text or numbers) by this code version."""
        digest = self._prefix.copy()
        for part in parts:
            digest.update(_frame(part))
        return digest.hexdigest()

    def keys(self, *parts):
        """key(*parts, *more) as a function of `more`, for many entries sharing their first parts (hashed once)."""
        shared = self._prefix.copy()
        for part in parts:
            shared.update(_frame(part))

        def key(*more) -> str:
            digest = shared.copy()
            digest.update(b"".join([_frame(part) for part in more]))  # the same bytes, in one call
            return digest.hexdigest()
        return key

    def path(self, namespace: str, key: str) -> str:
        return f"{self.root}/{namespace}/{key[:2]}/{key}"

    def get(self, namespace: str, key: str) -> bytes | None:
        if self.root is None:
            return None
        try:
            with open(self.path(namespace, key), "rb") as handle:  # read in two: the data is never copied
                header, data = handle.read(len(MAGIC) + DIGEST), handle.read()
        except OSError:
            return None
        if header != MAGIC + _check(key, data).digest():
            return None
        return data

    def open_data(self, namespace: str, key: str) -> tuple[int, int, int, bytes] | None:
        """An entry opened but not read: (file descriptor, where its data starts, its length, the digest in its
        header), or None. The digest is not checked against the data: the caller compares it with the one
        put() gave when it stored the entry, checks each part it reads (the parse packs' bodies, see
        bodies.py) and closes the descriptor."""
        if self.root is None:
            return None
        try:
            fd = os.open(self.path(namespace, key), os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            return None
        start = len(MAGIC) + DIGEST
        size = os.fstat(fd).st_size - start
        header = os.pread(fd, start, 0)
        if size < 0 or header[:len(MAGIC)] != MAGIC:
            os.close(fd)
            return None
        return fd, start, size, header[len(MAGIC):]

    def put(self, namespace: str, key: str, data: bytes) -> bytes | None:
        """Store an entry; the digest written in its header, or None if the cache could not be written."""
        return self.put_written(namespace, key, lambda out: out.write(data))

    def put_written(self, namespace: str, key: str, write: Callable[[_Digesting], object]) -> bytes | None:
        """put() of the data `write` writes to the file-like object it is given: for data too large to hold in
        memory whole before it is written (the manifest of a large site)."""
        if self.root is None:
            return None
        target = Path(self.path(namespace, key))
        temporary = target.with_name(f".{key}.tmp-{os.getpid()}")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(temporary, "wb") as handle:
                handle.write(MAGIC + bytes(DIGEST))  # the digest is known once the data is written
                out = _Digesting(handle, _check(key, b""))
                write(out)
                check = out.digest.digest()
                handle.seek(len(MAGIC))
                handle.write(check)
            os.replace(temporary, target)
        except BaseException as failure:  # `write` may fail too: no half-written file is left either way
            try:
                temporary.unlink()
            except OSError:
                pass
            if isinstance(failure, OSError):
                return None
            raise
        return check

    def remove(self, namespace: str, key: str) -> None:
        if self.root is None:
            return
        try:
            os.unlink(self.path(namespace, key))
        except OSError:  # absent already, or the cache cannot be written: nothing to forget
            pass

    def get_files(self, namespace: str, key: str) -> dict[str, bytes] | None:
        """A whole folder of files stored as one entry (a search shard, say)."""
        data = self.get(namespace, key)
        return unpack_files(data) if data is not None else None

    def put_files(self, namespace: str, key: str, files: dict[str, bytes]) -> None:
        self.put(namespace, key, pack_files(files))


def _check(key: str, data: bytes):
    """The digest in an entry's header, of its key and data (`.digest()` gives it; more data may follow)."""
    digest = hashlib.sha256(key.encode() + b"\0")
    digest.update(data)  # not concatenated: the parse packs alone are tens of MB
    return digest


class _Digesting:
    """A file's write() that also digests what it writes."""

    def __init__(self, handle, digest):
        self.handle, self.digest = handle, digest

    def write(self, data) -> int:
        self.digest.update(data)
        return self.handle.write(data)


def pack_files(files: dict[str, bytes]) -> bytes:
    """Relative paths and their bytes in one blob, in sorted order (the same files give the same bytes)."""
    parts = [struct.pack("<I", len(files))]
    for name in sorted(files):
        parts += [_frame(name), _frame(files[name])]
    return b"".join(parts)


def unpack_files(blob: bytes) -> dict[str, bytes] | None:
    """The inverse of pack_files; None for a blob that is not one."""
    try:
        (count,), at, files = struct.unpack_from("<I", blob), 4, {}
        for _ in range(count):
            fields = []
            for _ in range(2):
                (size,) = struct.unpack_from("<Q", blob, at)
                fields.append(blob[at + 8: at + 8 + size])
                if len(fields[-1]) != size:
                    return None
                at += 8 + size
            name = fields[0].decode("utf-8")
            if name.startswith("/") or ".." in name.split("/"):  # never a path outside the folder it is unpacked into
                return None
            files[name] = fields[1]
        return files if at == len(blob) else None
    except (struct.error, UnicodeDecodeError):
        return None
