"""Import stage: a body's links and pictures to their new targets: other old articles to their new pages, old list
pages to their sections, saved pictures and attachments to assets/legacy/; missing ones are listed and dropped
(their text kept), never pointed at the old site."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from ..redirects import redirect_key
from .discover import SavedCopy, SavedFile, file_key
from .htmltext import ATTACHMENT_EXTENSIONS, query_file
from .tomarkdown import CAPTION, escape

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".svg", ".tif", ".tiff")
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
    return legacy_path_of(saved.address, lambda: _sniffed_extension(saved))


def legacy_path_of(address: str, sniffed=lambda: "") -> str:
    """The assets/legacy/… path for an old address (`sniffed()`: the extension the file's bytes show, for a
    name without one)."""
    path, _, query = address.partition("?")
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
        named = _named_extension(query)  # downfile.jsp?filename=a.xls: the file a download script sends
        segments[-1] += named or sniffed()  # showimg.asp?id=3 is a JPEG: served as one only with .jpg
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


def _named_extension(query: str) -> str:
    """The extension of a file named in a query string (filename=a.xls), or ''."""
    named = query_file(query, IMAGE_EXTENSIONS + ATTACHMENT_EXTENSIONS)
    return "." + named.rpartition(".")[2].lower() if named else ""


def _kind_of(path: str, query: str = "") -> str:
    lower = path.lower()
    named = _named_extension(query)
    if lower.endswith(IMAGE_EXTENSIONS) or named in IMAGE_EXTENSIONS:
        return "image"
    if lower.endswith(ATTACHMENT_EXTENSIONS) or named:
        return "file"
    return "page"


def same_host(host: str) -> str:
    """www.mxrd.gov.cn and mxrd.gov.cn are one old site."""
    host = host.lower()
    return host[4:] if host.startswith("www.") else host


def destination(address: str) -> str:
    """An address as a Markdown link destination: a space or a bracket in it would leave the link as text."""
    return re.sub(r"[\s()<>]", lambda match: "".join(f"%{byte:02X}" for byte in match.group().encode()), address)


class Resolver:
    """Resolves the references of one old page; shared read-only by all pages of an import."""

    def __init__(self, copy: SavedCopy, new_urls: dict, old_hosts: set, list_urls: dict, lists: set):
        self.copy, self.new_urls, self.list_urls, self.lists = copy, new_urls, list_urls, lists
        self.old_hosts = {same_host(h) for h in old_hosts} | {same_host(NO_HOST)}

    def resolve(self, kind: str, href: str, page: SavedFile) -> Resolved:
        href = href.strip().replace("\\", "/")
        if href.lower().startswith(("mailto:", "tel:")):
            return Resolved(destination(href), "external")
        host = page.host or NO_HOST
        absolute = urljoin(f"http://{host}{page.address or '/'}", href)
        parts = urlsplit(absolute)
        if parts.scheme not in ("http", "https"):
            return Resolved("", "broken", old=href)
        if same_host(parts.netloc) not in self.old_hosts | {same_host(host)}:
            if kind == "image":  # a picture from another site would be a third-party request on every visit
                return Resolved("", "missing", old=absolute)
            return Resolved(destination(absolute), "external")
        address = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        key = redirect_key(address)
        new = self.new_urls.get(key) or self.list_urls.get(key)
        if new is None and address.endswith("/"):
            new = next((self.new_urls[k] for k in (redirect_key(address + n) for n in INDEX_NAMES)
                        if k in self.new_urls), None)
        if new is not None:
            return Resolved(new, "page", old=address)  # old in-page anchors do not survive: the page alone
        saved = self.copy.files.get(file_key(address))
        what = "image" if kind == "image" else _kind_of(parts.path, parts.query)
        if saved is not None and (not saved.is_page or what != "page" or _sniffed_extension(saved)):
            # a download script's answer (ShowDownloadUrl.aspx?id=457) saved under the script's name: a file
            return Resolved("/" + legacy_path(saved), "asset", saved, old=address)
        if saved is not None and saved.is_page and file_key(address) in self.lists:
            return Resolved("", "list", old=address)
        return Resolved("", "missing" if what != "page" else "broken", old=address)


PLACEHOLDER = re.compile(r'(!?)\[((?:\\.|[^\]\\])*)\]\(\x00(\d+)\x00((?: "(?:\\.|[^"\\])*")?)\)')
TITLE_ESCAPE = re.compile(r"\\([\\\"&])")


def fill(markdown: str, targets: list[Resolved]) -> tuple[str, dict]:
    """Put resolved targets into the body; a dropped link keeps its text, a dropped picture its caption (or
    else its alt text). Returns the text and, by reference number, where it ended up: (offset, the text
    written there, its link text or alt text, its title as written: ' "图为会议现场"' or '')."""
    out, at, last = [], {}, 0
    length = 0
    for match in PLACEHOLDER.finditer(markdown):
        bang, label, number, title = match.group(1), match.group(2), int(match.group(3)), match.group(4)
        target = targets[number].target
        if target:
            text = f"{bang}[{label}]({target}{title})"
        elif bang:
            caption = TITLE_ESCAPE.sub(r"\1", title[2:-1]) if title else ""
            shown = escape(caption) if caption else label
            text = f"（{shown}）" if CAPTION.match(caption) else f"（图：{shown}）" if shown else ""
        else:
            text = label
        head = markdown[last:match.start()]
        out += [head, text]
        length += len(head)
        at[number] = (length, text, label, title)
        length += len(text)
        last = match.end()
    out.append(markdown[last:])
    return "".join(out), at
