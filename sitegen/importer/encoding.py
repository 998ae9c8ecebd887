"""Import stage 2: decode a saved page (UTF-8, GB2312/GBK/GB18030, declared, undeclared or declared wrongly), never into mojibake."""

from __future__ import annotations

import codecs
import itertools
import re
from dataclasses import dataclass

import charset_normalizer

from ..messages import Message, say, say_plural
import lxml.html

GB_NAMES = {"gb2312", "gbk", "x-gbk", "gb_2312-80", "gb_2312", "cp936", "ms936", "windows-936", "gb18030",
            "euc-cn", "csgb2312", "chinese", "iso-ir-58"}
CJK_CODECS = {"gb18030", "big5", "big5hkscs", "utf-8", "utf-16", "euc_jp", "shift_jis", "euc_kr", "cp950"}
MOJIBAKE_RATIO = 0.6  # below this share of common characters, Chinese text is the wrong decoding
SNIFF_BYTES = 4096


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str = ""
    encoding: str = ""  # what the page was decoded as: utf-8, gb18030, big5, ...
    declared: str = ""  # what the page said it was ('' when it said nothing)
    note: Message | str = ""  # a wrong declaration that was overruled, for the report
    failure: Message | str = ""  # why the page cannot be imported


def codec_name(label: str) -> str:
    """A charset label as a Python codec; GB2312 and GBK are read as GB18030, their superset (real
    'GB2312' pages use GBK characters)."""
    label = label.strip().strip("\"'").lower()
    if label in GB_NAMES:
        return "gb18030"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return ""


def declared_charset(data: bytes) -> str:
    """The charset of <meta charset> or <meta http-equiv="Content-Type" content="...; charset=..."> in
    the first bytes, read with the HTML parser ('' when there is none)."""
    head = data[:SNIFF_BYTES].decode("latin-1")
    if "<" not in head:
        return ""
    try:
        doc = lxml.html.document_fromstring(head.encode("latin-1"), parser=lxml.html.HTMLParser(encoding="iso-8859-1"))
    except Exception:  # lxml refuses some fragments outright; then the page declares nothing we can read
        return ""
    for meta in doc.iter("meta"):
        if meta.get("charset"):
            return meta.get("charset").strip()
        if (meta.get("http-equiv") or "").strip().lower() == "content-type":
            content = meta.get("content") or ""
            for part in content.split(";"):
                name, _, value = part.partition("=")
                if name.strip().lower() == "charset" and value.strip():
                    return value.strip()
    return ""


def _common_characters() -> frozenset:
    """GB2312 level 1 (the 3,755 most used simplified characters) and Big5 level 1 (5,401 traditional)."""
    found = set()
    for first, seconds, codec in ((range(0xB0, 0xD8), range(0xA1, 0xFF), "gb2312"),
                                  (range(0xA4, 0xC6), [*range(0x40, 0x7F), *range(0xA1, 0xFF)], "big5")):
        for lead in first:
            for trail in seconds:
                try:
                    found.add(bytes([lead, trail]).decode(codec))
                except UnicodeDecodeError:
                    pass
    return frozenset(found)


COMMON = _common_characters()  # immutable, made once at import
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_LETTERS = re.compile(r"[\u00c0-\u00ff]")
SAMPLE = 600  # Chinese characters looked at: enough to tell text from mojibake


def common_ratio(text: str) -> float:
    """Share of the Chinese characters that are common ones (GB2312 level 1 or Big5 level 1): near 1 for
    real text, far lower for mojibake such as UTF-8 read as GBK."""
    sample = [match.group() for match in itertools.islice(CJK.finditer(text, 0, 200_000), SAMPLE)]
    if len(sample) < 8:
        return 1.0
    return sum(map(COMMON.__contains__, sample)) / len(sample)  # 0.39 -> 0.24 s for 2,000 pages


def _reads(text: str) -> bool:
    return common_ratio(text) >= MOJIBAKE_RATIO


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_page(data: bytes, is_html: bool = True) -> Decoded:
    """Decode with the declared charset when the bytes agree with it; a page whose bytes are another
    encoding is decoded as what it really is and the wrong declaration is noted; text that would only
    come out as mojibake is a failure."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            text = _strict(data, "utf-8-sig" if codec == "utf-8" else codec)
            if text is not None and _reads(text):
                return Decoded(text.lstrip("\ufeff"), codec)
    label = declared_charset(data) if is_html else ""
    declared = codec_name(label) if label else ""
    if data.isascii():
        return Decoded(data.decode("ascii"), declared or "ascii", label)
    utf8 = _strict(data, "utf-8")
    if declared in ("utf-8", ""):
        if utf8 is not None:
            return _checked(utf8, "utf-8", label, "")
        text = _strict(data, "gb18030")
        if text is not None and _reads(text):
            return Decoded(text, "gb18030", label, _overruled(label, "GBK/GB18030", "GB18030"))
        return _detected(data, label)
    if utf8 is not None and _reads(utf8):  # real GBK text is almost never valid UTF-8 as well
        return Decoded(utf8, "utf-8", label, _overruled(label, "UTF-8", "UTF-8"))
    if declared not in CJK_CODECS:  # 'iso-8859-1' or 'windows-1252' on a Chinese page: the server's default
        text = _strict(data, "gb18030")
        if text is not None and _cjk_count(text) >= 8 and _reads(text):
            return Decoded(text, "gb18030", label, _overruled(label, "GBK/GB18030", "GB18030"))
    text = _strict(data, declared)
    if text is None:
        loose = data.decode(declared, errors="replace")
        if loose.count("\ufffd") <= 3 and _reads(loose):  # a stray broken byte or two, as old editors leave
            return Decoded(loose.replace("\ufffd", ""), declared, label,
                           say_plural("{count} byte not valid {label} was dropped",
                                      "{count} bytes not valid {label} were dropped", loose.count("\ufffd"),
                                      label=label))
        return _detected(data, label)
    return Decoded(text, declared, label) if _reads(text) else _detected(data, label)


def _cjk_count(text: str) -> int:
    return len(CJK.findall(text, 0, 20000))


def _repaired(text: str) -> tuple[str, str]:
    """Text that was UTF-8 or GBK read as Latin-1 and saved again (å¿å¤§ for 县人大): the original, if it reads."""
    latin = len(LATIN_LETTERS.findall(text, 0, 20000))
    if latin < 20 or latin < 2 * _cjk_count(text):
        return "", ""
    raw = b"".join(_western_byte(c) for c in text)
    for codec in ("utf-8", "gb18030"):
        fixed = _strict(raw, codec)
        if fixed is not None and _cjk_count(fixed) >= 8 and _reads(fixed):
            return fixed, codec
    return "", ""


def _western_byte(char: str) -> bytes:
    """The byte windows-1252 (as browsers read it: undefined bytes stay C1 controls) showed as `char`; other
    characters (real Chinese beside the garbled text) keep their UTF-8 bytes."""
    if ord(char) < 256:
        return bytes([ord(char)])
    try:
        return char.encode("cp1252")
    except UnicodeEncodeError:
        return char.encode("utf-8")


def _checked(text: str, codec: str, label: str, note: str) -> Decoded:
    fixed, inner = _repaired(text)
    if fixed:
        return Decoded(fixed, codec, label, say("the page was {encoding} text garbled through Latin-1 (mojibake); "
                                                "imported repaired", encoding=inner))
    if _reads(text):
        return Decoded(text, codec, label, note)
    return Decoded(encoding=codec, declared=label,
                   failure=say("the text is mojibake as {encoding} (declared {label}); save the page again from the "
                               "old site", encoding=label, label=label) if label else
                   say("the text is mojibake as {encoding} (no charset declared); save the page again from the old "
                       "site", encoding=codec))


def _detected(data: bytes, label: str) -> Decoded:
    """Undeclared or wrongly declared and neither UTF-8 nor GB18030: ask charset-normalizer."""
    best = charset_normalizer.from_bytes(data).best()
    if best is not None:
        text = str(best)
        if _reads(text):
            return Decoded(text, best.encoding, label, _overruled(label, best.encoding, best.encoding))
    if label:
        return Decoded(declared=label, failure=say("declared {label}, but the bytes are not {label}, and no encoding "
                                                   "reads as Chinese text; save the page again from the old site as "
                                                   "UTF-8", label=label))
    return Decoded(declared=label, failure=say("no charset declared, and no encoding reads as Chinese text; save the "
                                               "page again from the old site as UTF-8"))


def _overruled(label: str, found: str, read_as: str) -> Message | str:
    """The note on a page that declared the wrong charset ('' when it declared none)."""
    if not label:
        return ""
    return say("declared {label} but the page is {found}; imported as {encoding}", label=label, found=found,
               encoding=read_as)
