"""Import stage: a body's links and pictures to their new targets: other old articles to their new pages, saved
pictures and attachments to assets/legacy/, missing ones to the old site (--old-base-url) or listed and dropped."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urljoin, urlsplit

from ..redirects import redirect_key
from .discover import SavedCopy, SavedFile, file_key

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".svg", ".tif", ".tiff")
ATTACHMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".zip", ".rar", ".7z", ".wps",
                         ".et", ".txt", ".csv", ".ofd", ".mp4", ".mp3")
INDEX_NAMES = ("index.html", "index.htm", "index.shtml", "default.htm", "default.html", "default.asp", "index.asp",
               "index.jsp", "index.php")
NO_HOST = "old-site.invalid"
LEGACY = "legacy"


@dataclass(frozen=True, slots=True)
class Resolved:
    target: str  # the new link target ('' drops the link, keeping its text; a picture keeps its caption)
    event: str  # page | asset | external | missing | broken | list
    asset: SavedFile | None = None  # a file to copy to assets/<target without the leading '/'>
    old: str = ""  # the old address, for the report


def legacy_path(saved: SavedFile) -> str:
    """assets/legacy/… path of a saved file: its old address, in ASCII (other characters become '-' plus a
    short hash, so two names never meet); a query string becomes part of the name."""
    path, _, query = saved.address.partition("?")
    segments = []
    for segment in unquote(path).strip("/").split("/"):
        clean = re.sub(r"[^A-Za-z0-9._-]+", "-", segment).strip("-.") or "file"
        if clean != segment:
            stem, dot, ext = clean.rpartition(".")
            digest = hashlib.sha1(segment.encode("utf-8")).hexdigest()[:6]
            clean = f"{stem}-{digest}.{ext}" if dot and stem else f"{clean}-{digest}"
        segments.append(clean)
    if query:
        stem, dot, ext = segments[-1].rpartition(".")
        tail = re.sub(r"[^A-Za-z0-9]+", "-", query).strip("-")[:40] + "-" + hashlib.sha1(query.encode()).hexdigest()[:6]
        segments[-1] = f"{stem}-{tail}.{ext}" if dot and stem else f"{segments[-1]}-{tail}"
    if not segments[-1].lower().endswith(IMAGE_EXTENSIONS + ATTACHMENT_EXTENSIONS):
        segments[-1] += _sniffed_extension(saved)  # showimg.asp?id=3 is a JPEG: served as one only with .jpg
    return f"{LEGACY}/" + "/".join(segments)


MAGIC = ((b"\xff\xd8", ".jpg"), (b"\x89PNG", ".png"), (b"GIF8", ".gif"), (b"BM", ".bmp"), (b"%PDF", ".pdf"),
         (b"PK\x03\x04", ".zip"), (b"\xd0\xcf\x11\xe0", ".doc"))


def _sniffed_extension(saved: SavedFile) -> str:
    try:
        with open(saved.path, "rb") as stream:
            head = stream.read(8)
    except OSError:
        return ""
    return next((ext for magic, ext in MAGIC if head.startswith(magic)), "")


def _kind_of(path: str) -> str:
    lower = path.lower()
    if lower.endswith(IMAGE_EXTENSIONS):
        return "image"
    if lower.endswith(ATTACHMENT_EXTENSIONS):
        return "file"
    return "page"


class Resolver:
    """Resolves the references of one old page; shared read-only by all pages of an import."""

    def __init__(self, copy: SavedCopy, new_urls: dict, old_hosts: set, old_base_url: str | None,
                 lists: set):
        self.copy, self.new_urls, self.old_hosts, self.lists = copy, new_urls, old_hosts, lists
        self.old_base_url = old_base_url.rstrip("/") + "/" if old_base_url else None

    def resolve(self, kind: str, href: str, page: SavedFile) -> Resolved:
        href = href.strip().replace("\\", "/")
        if href.lower().startswith(("mailto:", "tel:")):
            return Resolved(href, "external")
        host = page.host or NO_HOST
        absolute = urljoin(f"http://{host}{page.address or '/'}", href)
        parts = urlsplit(absolute)
        if parts.scheme not in ("http", "https"):
            return Resolved("", "broken", old=href)
        if parts.netloc.lower() not in self.old_hosts | {NO_HOST, host.lower()}:
            return Resolved(absolute, "external")
        address = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        new = self.new_urls.get(redirect_key(address))
        if new is None and address.endswith("/"):
            new = next((self.new_urls[k] for k in (redirect_key(address + n) for n in INDEX_NAMES)
                        if k in self.new_urls), None)
        if new is not None:
            return Resolved(new, "page", old=address)  # old in-page anchors do not survive: the page alone
        saved = self.copy.files.get(file_key(address))
        what = "image" if kind == "image" else _kind_of(parts.path)
        if saved is not None and (not saved.is_page or what != "page"):
            return Resolved("/" + legacy_path(saved), "asset", saved, old=address)
        if saved is not None and saved.is_page and file_key(address) in self.lists:
            return self._old(address, "list")
        return self._old(address, "missing" if what != "page" else "broken")

    def _old(self, address: str, event: str) -> Resolved:
        if self.old_base_url:
            return Resolved(quote(self.old_base_url + address.lstrip("/"), safe=":/?=&%#+,;@!$'*~-._"), event,
                            old=address)
        return Resolved("", event, old=address)


PLACEHOLDER = re.compile(r"(!?)\[((?:\\.|[^\]\\])*)\]\(\x00(\d+)\x00\)")


def fill(markdown: str, targets: list[Resolved]) -> str:
    """Put resolved targets into the body; a dropped link keeps its text, a dropped picture its caption."""
    def replace(match: re.Match) -> str:
        bang, label, number = match.group(1), match.group(2), int(match.group(3))
        target = targets[number].target
        if target:
            return f"{bang}[{label}]({target})"
        return label if not bang else (f"（图：{label}）" if label else "")
    return PLACEHOLDER.sub(replace, markdown)
