"""Import stage 1: find the saved pages and files of an old site (a wget mirror, a folder of text pages, or both)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

PAGE_EXTENSIONS = (".htm", ".html", ".shtml", ".shtm", ".xhtml", ".asp", ".aspx", ".jsp", ".php", ".do", ".txt")
# A wget host folder: www.mxrd.gov.cn, mxrd.gov.cn:8080, localhost, 127.0.0.1
HOST_FOLDER = re.compile(r"(?:localhost|[a-z0-9-]+(?:\.[a-z0-9-]+)+)(?::\d+)?", re.I)


@dataclass(frozen=True, slots=True)
class SavedFile:
    rel: str  # path under SRC, as shown in the report: 'www.mxrd.gov.cn/show.asp?id=77'
    path: Path
    host: str  # the wget host folder, or '' for files saved without one
    address: str  # the old site's root-relative address: '/show.asp?id=77'; '' for a loose text page
    is_page: bool
    is_text: bool  # saved as text (the seed's form) rather than HTML


@dataclass(frozen=True, slots=True)
class SavedCopy:
    root: Path
    pages: tuple[SavedFile, ...]  # sorted by rel
    files: dict  # normalised old address -> SavedFile, every file (pages too: a page can be linked as a file)
    hosts: tuple[str, ...]
    outside: tuple[str, ...] = ()  # links (rel) that lead outside the copy or nowhere: never read, never published


def address_of(rel_parts: list[str]) -> str:
    """wget's file name to the old address: 'show.asp?id=77', 'show.asp@id=77' (--restrict-file-names=windows)
    and 'show.asp?id=77.html' (--adjust-extension) are all '/show.asp?id=77'."""
    name = rel_parts[-1]
    stem, query = name, ""
    if "?" in name:
        stem, _, query = name.partition("?")
    elif "@" in name and "=" in name.partition("@")[2]:
        stem, _, query = name.partition("@")
    if query:
        for added in (".html", ".htm"):
            if query.lower().endswith(added) and not stem.lower().endswith(added):
                query = query[: -len(added)]
    path = "/" + "/".join([*rel_parts[:-1], stem])
    # A '#' in a saved name was part of the old address (a link's fragment is never saved): written as %23, as the
    # old server was asked for it, so the address stays one redirect can answer.
    return (path + ("?" + query if query else "")).replace("#", "%23")


def file_key(address: str) -> str:
    """How a link finds a saved file: percent-decoded, lower case (old IIS hosts ignore case), '/dir/' is
    '/dir/index.html'-like only through the caller."""
    path, _, query = address.partition("?")
    path = unquote(path).lower()
    return path + ("?" + query.lower() if query else "")


def _kind(name: str) -> tuple[bool, bool]:
    base = re.split(r"[?@]", name, maxsplit=1)[0].lower()
    return base.endswith(PAGE_EXTENSIONS) or "?" in name and "." not in base, base.endswith(".txt")


def discover(root: Path) -> SavedCopy:
    """Every file under root; pages are .htm(l), .shtml, .asp, .jsp, .php, ... and .txt (saved as text)."""
    pages, files, hosts, outside = [], {}, set(), []
    inside = os.path.realpath(root)
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = Path(folder) / name
            parts = path.relative_to(root).parts
            if path.is_symlink() and (not path.exists() or
                                      os.path.commonpath((os.path.realpath(path), inside)) != inside):
                outside.append("/".join(parts))  # /etc/passwd linked in would be copied into assets/ and published
                continue
            host = parts[0] if len(parts) > 1 and HOST_FOLDER.fullmatch(parts[0]) else ""
            inner = list(parts[1:] if host else parts)
            is_page, is_text = _kind(name)
            address = address_of(inner)
            if is_text and not host:
                address = ""  # a page saved as text has no address of its own
            saved = SavedFile("/".join(parts), path, host, address, is_page, is_text)
            if host:
                hosts.add(host)
            if is_page:
                pages.append(saved)
            if address:
                files.setdefault(file_key(address), saved)
    pages.sort(key=lambda s: s.rel)
    if HOST_FOLDER.fullmatch(root.resolve().name):  # 'import www.mxrd.gov.cn/': the host folder itself
        hosts.add(root.resolve().name)
    return SavedCopy(root, tuple(pages), files, tuple(sorted(hosts)), tuple(outside))
