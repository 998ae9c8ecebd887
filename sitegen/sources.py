"""Stage 2: read content/ into SourceFiles (UTF-8 with or without BOM, line endings folded to LF)."""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .messages import say
from .problems import Problem
from .stamps import Remembered, stamp_of


@dataclass(frozen=True, slots=True)
class SourceFile:
    rel: str  # path under content/, with '/' separators: 'daibiao-gongzuo/lvzhi-dongtai/x.md'
    path: str  # as shown to editors: 'content/daibiao-gongzuo/lvzhi-dongtai/x.md'
    text: str | None  # None: not read yet (its digest was remembered); read_text() reads it
    mtime_ns: int = 0
    size: int = 0
    digest: str = ""  # of the file's bytes
    origin: str = ""  # the file's path on disk, for read_text

    @property
    def folder(self) -> str:
        """The section key of the folder holding the file ('' for content/ itself)."""
        return self.rel.rpartition("/")[0]

    @property
    def is_index(self) -> bool:
        return self.rel.rpartition("/")[2] == "_index.md"


@dataclass(frozen=True, slots=True)
class SourceFiles:
    files: tuple[SourceFile, ...]
    folders: tuple[str, ...]  # every folder under content/, '' included, sorted
    problems: tuple[Problem, ...]


def is_scratch_file(name: str) -> bool:
    """Editors' backup, swap and lock files, and hidden files: never content."""
    return name.startswith((".", "~", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp", "#"))


def decode(raw: bytes, path: str) -> tuple[str | None, Problem | None]:
    """Text with BOM dropped and CRLF/CR folded to LF, or a problem naming the first bad byte's line."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
        start = err.start + bom
        line = raw.count(b"\n", 0, start) + 1
        line_start = max(raw.rfind(b"\n", 0, start) + 1, bom)
        col = len(raw[line_start:start].decode("utf-8", errors="replace")) + 1  # characters, not bytes
        return None, Problem(path, line, col,
                             say("file is not UTF-8 (byte 0x{byte}); save it with UTF-8 encoding "
                                 "(in Notepad: Save As > Encoding UTF-8)", byte=f"{raw[start]:02x}"))
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, None


def cannot_read(err: OSError):
    """Why a file could not be read: the common reasons in the editor's words, others as the system says them."""
    reason = {errno.ENOENT: say("it is not there: moved or deleted, or a link to a file that is gone"),
              errno.EACCES: say("this account may not read it"), errno.EPERM: say("this account may not read it"),
              errno.EISDIR: say("it is a folder")}.get(err.errno, err.strerror)
    return say("cannot read this file ({reason}); check that it exists and can be opened", reason=reason)


def read_text(source: SourceFile) -> SourceFile | Problem:
    """The file with its text, read now (its digest is of the bytes read, should it have changed since)."""
    if source.text is not None:
        return source
    try:
        with open(source.origin, "rb") as handle:
            raw = handle.read()
    except OSError as err:  # a dangling link, no permission, or a file removed while we read
        return Problem(source.path, 1, 1, cannot_read(err))
    text, problem = decode(raw, source.path)
    if problem:
        return problem
    return SourceFile(source.rel, source.path, text, source.mtime_ns, source.size,
                      hashlib.blake2b(raw, digest_size=20).hexdigest(), source.origin)


def leads_outside(path: str, site: str) -> bool:
    """Whether a linked file's target lies outside the site's folder (a link to /etc/passwd or a key would be
    published, or read into pages)."""
    target, root = os.path.realpath(path), os.path.realpath(site)
    return os.path.commonpath((target, root)) != root


def outside_message(path: str):
    return say("this file is a link to {target}, outside the site's folder: the site publishes only files inside its "
               "folder; copy the file itself here", target=os.path.realpath(path))


def walk_folders(top: str):
    """(folder under top, its path, its file names sorted, an open descriptor of it, the names of its linked
    files that lead outside the site's folder) for top and every folder below, as os.walk goes:
    parents first, sub-folders in sorted order, dot-folders and linked folders not entered, unreadable folders
    skipped. The descriptor lets the caller stat names without whole paths."""
    site = os.path.dirname(os.path.abspath(top))
    stack = [("", top)]
    while stack:
        folder, path = stack.pop()
        try:
            fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            continue
        try:
            subs, names, outside = [], [], []
            try:
                with os.scandir(fd) as entries:
                    for entry in entries:
                        try:
                            is_dir = entry.is_dir()
                        except OSError:
                            is_dir = False
                        if is_dir:
                            if not entry.name.startswith(".") and not entry.is_symlink():
                                subs.append(entry.name)
                        elif entry.is_symlink() and leads_outside(os.path.join(path, entry.name), site):
                            outside.append(entry.name)
                        else:
                            names.append(entry.name)
            except OSError:
                continue
            yield folder, path, sorted(names), fd, sorted(outside)
        finally:
            os.close(fd)
        stack += [(f"{folder}/{name}" if folder else name, os.path.join(path, name))
                  for name in sorted(subs, reverse=True)]


def discover_sources(content_dir: Path, label: str = "content",
                     known: dict[str, SourceFile] | None = None, remembered: Remembered | None = None,
                     defer: bool = False) -> SourceFiles:
    """Read every .md file under content_dir, in sorted order; other files are problems, dot-files are skipped.

    Files in `known` whose size and modification time are unchanged are reused without reading them; files
    whose digest `remembered` has for their stamp are not read either (their text is read if they are parsed).
    With `defer`, no file is read here: those without a known digest get none ('') until the parse reads them.
    """
    remembered = remembered if remembered is not None else Remembered()
    known = known or {}
    files: list[SourceFile] = []
    folders: list[str] = []
    problems: list[Problem] = []
    if not content_dir.is_dir():
        return SourceFiles((), (), (Problem(label, 1, 1, say("folder {folder} not found: articles live in "
                                                             "content/<section>/<name>.md", folder=str(content_dir))),))
    for folder, dirpath, filenames, fd, outside in walk_folders(str(content_dir)):
        folders.append(folder)
        prefix = os.path.join(dirpath, "")  # + name: os.path.join(dirpath, name), without its cost per file
        problems += [Problem(f"{label}/{folder}/{name}" if folder else f"{label}/{name}", 1, 1,
                             outside_message(prefix + name)) for name in outside]
        for name in filenames:
            rel = f"{folder}/{name}" if folder else name
            previous = known.get(rel)  # serve's last files: .md files that are not scratch files
            if previous is not None:
                try:
                    stat = os.stat(name, dir_fd=fd)
                except OSError:
                    pass  # told below
                else:
                    if (previous.mtime_ns, previous.size) == (stat.st_mtime_ns, stat.st_size):
                        files.append(previous)
                        continue
            if is_scratch_file(name):
                continue
            found = _new_file(SourceFile(rel, f"{label}/{rel}", None, origin=prefix + name), fd, remembered, defer)
            (files if isinstance(found, SourceFile) else problems).append(found)
    return SourceFiles(tuple(files), tuple(sorted(folders)), tuple(problems))


def _new_file(source: SourceFile, fd: int, remembered: Remembered, defer: bool) -> SourceFile | Problem:
    """A file not known from the last build: its digest from its stamp, else read now (unless `defer`)."""
    name = source.origin.rpartition("/")[2]
    if name.lower().endswith((".md", ".markdown", ".txt")) and not name.endswith(".md"):  # 'a.MD', 'a.txt'
        return Problem(source.path, 1, 1, say("a Markdown file's name ends in .md (lower case): rename it to {name}",
                                              name=name.rpartition(".")[0] + ".md"))
    if not name.endswith(".md"):
        return Problem(source.path, 1, 1, say("only Markdown files (.md) belong in content/; put images and "
                                              "attachments under assets/ (assets/images/a.jpg is /images/a.jpg)"))
    try:
        stat = os.stat(name, dir_fd=fd)
    except OSError as err:  # a dangling link, no permission, or a file removed while we read
        return Problem(source.path, 1, 1, cannot_read(err))
    stamp = stamp_of(stat)
    source = dataclasses.replace(source, mtime_ns=stat.st_mtime_ns, size=stat.st_size)
    digest = remembered.digest(source.origin, stamp)
    if digest is not None:
        remembered.note(source.origin, stamp, digest)
        return dataclasses.replace(source, digest=digest)
    if defer:
        remembered.pending[source.origin] = stamp
        return source
    found = read_text(source)
    if isinstance(found, SourceFile):
        remembered.note(source.origin, stamp, found.digest)
    return found


def list_assets(assets_dir: Path) -> tuple[str, ...]:
    """Every file under assets/, as paths relative to it (they are served at the site root); links that lead
    outside the site's folder are left out."""
    return _listed(assets_dir)[0]


def _listed(top: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The files under a folder, and its linked files that lead outside the site's folder, relative to it."""
    if not top.is_dir():
        return (), ()
    found, outside = [], []
    for folder, _, names, _, links in walk_folders(str(top)):
        prefix = folder + "/" if folder else ""
        found += [prefix + name for name in names if not name.startswith(".")]
        outside += [prefix + name for name in links]
    return tuple(found), tuple(outside)


def folder_digests(folder: Path, label: str, known: dict | None = None,
                   remembered: Remembered | None = None) -> tuple[tuple[tuple[str, str], ...], list[Problem]]:
    """(path, digest of the bytes) of every file under a folder (layouts/, assets/), sorted, and a problem at each
    linked file there that leads outside the site's folder (`label` names the folder in it). `known` (serve's
    memory) and `remembered` (the cache's, across builds) map a path to its last stamp and digest, so
    unchanged files are not read."""
    known = known if known is not None else {}
    remembered = remembered if remembered is not None else Remembered()
    found = []
    base = str(folder)
    files, outside = _listed(folder)
    for rel in files:
        path = f"{base}/{rel}"
        stamp = stamp_of(os.stat(path))
        last = known.get(path)
        digest = last[1] if last is not None and last[0] == stamp else remembered.digest(path, stamp)
        if digest is None:
            with open(path, "rb") as handle:
                digest = hashlib.blake2b(handle.read(), digest_size=20).hexdigest()
        known[path] = (stamp, digest)
        remembered.note(path, stamp, digest)
        found.append((rel, digest))
    return tuple(found), [Problem(f"{label}/{rel}", 0, 0, outside_message(f"{base}/{rel}")) for rel in outside]
