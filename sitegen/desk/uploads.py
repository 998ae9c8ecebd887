"""Uploaded files checked by their content (magic bytes), not their name; their ASCII names in the article's month."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..messages import say
from .confine import Refused

MAX_BYTES = 30 * 1024 * 1024  # a 4000×3000 camera photo is 3 to 12 MB; a scanned PDF report may be 20 MB
PICTURES = ("jpg", "png", "webp", "gif")
ACCEPTED = "JPEG, PNG, WebP, GIF, PDF, Word (DOC, DOCX), Excel (XLS, XLSX)"
# Extensions an editor's file may carry for each kind found in its bytes.
EXTENSIONS = {"jpg": ("jpg", "jpeg", "jpe"), "png": ("png",), "webp": ("webp",), "gif": ("gif",), "pdf": ("pdf",),
              "doc": ("doc",), "xls": ("xls",), "docx": ("docx",), "xlsx": ("xlsx",)}


@dataclass(frozen=True, slots=True)
class Upload:
    kind: str  # the extension its bytes call for: jpg, png, webp, gif, pdf, doc, xls, docx, xlsx
    data: bytes

    @property
    def is_picture(self) -> bool:
        return self.kind in PICTURES


def kind_of(data: bytes) -> str | None:
    """What the bytes are, by their first bytes (and, for ZIP-based office files, their parts); None otherwise."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # the OLE2 container of Word 97 and Excel 97 files
        return "ole"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except (zipfile.BadZipFile, ValueError):
            return None
        if "[Content_Types].xml" in names:
            if any(name.startswith("word/") for name in names):
                return "docx"
            if any(name.startswith("xl/") for name in names):
                return "xlsx"
    return None


def check_upload(name: str, data: bytes) -> Upload:
    """The upload, or Refused in the editor's words: too large, or not a picture or office document by content,
    or named as another kind than it is."""
    shown = PurePosixPath(name).name[:120]
    if len(data) > MAX_BYTES:
        raise Refused(say("'{name}' is {size} MB, more than the {limit} MB the desk accepts: make the picture "
                          "smaller (or the document shorter) and upload it again", name=shown,
                          size=f"{len(data) / 1048576:.1f}", limit=MAX_BYTES // 1048576), 413)
    kind = kind_of(data)
    extension = PurePosixPath(name).suffix.lower().lstrip(".")
    if kind == "ole" and extension in ("doc", "xls"):
        kind = extension  # Word 97 and Excel 97 share one container; the name tells which
    if kind is None or kind == "ole":
        raise Refused(say("'{name}' is refused: its content is not a picture or office document the site can "
                          "publish ({accepted})", name=shown, accepted=ACCEPTED), 415)
    if extension not in EXTENSIONS[kind]:
        raise Refused(say("'{name}' is refused: its name says .{extension} but its content is a {kind} file; "
                          "save it again with the right kind and upload that", name=shown,
                          extension=extension or "?", kind=kind.upper()), 415)
    return Upload(kind, data)


_ASCII_WORD = re.compile(r"[a-z0-9]+")


def ascii_stem(stem: str) -> str:
    """A file name's stem in lowercase ASCII: pinyin for Chinese (会议照片 -> huiyi-zhaopian), other letters and
    digits kept, words joined by '-'; '' when nothing is left."""
    from ..importer.sections import folder_name  # the importer's pinyin folder names: one rule for the site
    words = []
    for run in re.findall(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+", stem):
        words.append(folder_name(run) if not run.isascii() else run.lower())
    name = "-".join(word for word in words if word and word != "lanmu")
    return "-".join(_ASCII_WORD.findall(name))[:60].strip("-")


def upload_folder(kind: str, year: int, month: int) -> str:
    """Where an upload of this kind goes for an article of this month: pictures under assets/images/YYYY/MM/,
    documents under assets/files/YYYY/MM/."""
    top = "images" if kind in PICTURES else "files"
    return f"assets/{top}/{year:04d}/{month:02d}"
