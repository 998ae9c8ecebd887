"""Import helpers over an lxml tree: clean-up, visible text lines in reading order, and text density per element."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

import lxml.etree
import lxml.html

BLOCK_TAGS = frozenset("""p div td th tr table tbody thead tfoot li ul ol h1 h2 h3 h4 h5 h6 center blockquote dl dt dd
section article header footer nav aside main form hr pre body figure figcaption caption address fieldset legend
marquee""".split())
DROPPED_TAGS = ("script", "style", "noscript", "object", "embed", "applet", "input", "select", "button", "textarea",
                "iframe", "frame", "map", "svg", "canvas", "audio", "video", "link", "meta", "base")
# Elements that can hold a whole article; a paragraph (<p>, <li>, a heading) never does on its own.
CONTAINER_TAGS = frozenset("div td th table tbody tr article section main center font form body span".split())
NEVER_CONTENT = re.compile(r"share|bdshare|jiathis|bshare|fenxiang|qrcode|erweima|toolbar|printbtn|fontsize",
                           re.I)
SPACES = re.compile(r"[\s\u00a0\u3000\u2002\u2003\u200b\ufeff]+")
# A line break of the HTML source between two Chinese characters is no space (browsers show none either).
CJK_GAP = re.compile(r"(?<=[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef])[ \t]*[\r\n]\s*"
                     r"(?=[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef])")


def parse_html(text: str):
    """The document tree; the text is handed over as UTF-8 bytes so an XML encoding declaration is harmless."""
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    return lxml.html.document_fromstring(text.encode("utf-8", errors="replace"), parser=parser)


def clean_text(text: str) -> str:
    """Whitespace (nbsp, full-width and ideographic spaces too) collapsed; none left between Chinese characters."""
    if "\n" in text or "\r" in text:
        text = CJK_GAP.sub("", text)
    return SPACES.sub(" ", text).strip()


MEDIA_TAGS = ("video", "audio", "embed", "object", "iframe")
MEDIA_EXTENSIONS = (".mp4", ".mp3", ".flv", ".webm", ".m4v", ".mov", ".wmv", ".avi", ".wav", ".wma", ".ogg")
AUDIO_EXTENSIONS = (".mp3", ".wav", ".wma", ".ogg")


def query_file(query: str, endings: tuple[str, ...]) -> str:
    """The first value of a query string that names a file with one of `endings` (downfile.jsp?filename=a.xls,
    flvplayer.swf?file=/v/a.flv), or ''."""
    return next((value for _, value in parse_qsl(query) if value.lower().endswith(endings)), "")


def media_file(element) -> str:
    """The video or audio file a player element plays (<video src>, <source>, <embed>, an <object>'s movie or
    flashvars: flvplayer.swf?file=/v/a.flv), or ''."""
    found = [element.get(name) for name in ("src", "data", "data-src", "flashvars")]
    for inner in element.iter("source", "embed", "param"):
        if inner.tag == "param":
            found.append(inner.get("value") if (inner.get("name") or "").lower() in
                         ("movie", "src", "url", "file", "filename", "flashvars") else None)
        else:
            found += [inner.get("src"), inner.get("flashvars")]
    for address in filter(None, (value.strip() if value else "" for value in found)):
        parts = urlsplit(address)
        if parts.path.lower().endswith(MEDIA_EXTENSIONS):
            return address
        named = query_file(parts.query or address, MEDIA_EXTENSIONS)  # flashvars are a query string of their own
        if named:
            return named
    return ""


def keep_media_links(doc) -> None:
    """A player of a video or audio file becomes a link to the file (视频：a.mp4), so the file is brought over
    and the article says it had one; a player of another site's page is dropped with the frames."""
    for element in list(doc.iter(*MEDIA_TAGS)):
        if element.getparent() is None or any(outer.tag in MEDIA_TAGS for outer in element.iterancestors()):
            continue
        address = media_file(element)
        if address:
            name = element.get("title") or unquote(urlsplit(address).path.rpartition("/")[2])
            link = lxml.html.Element("a", href=address)
            link.text = f"{'音频' if address.lower().endswith(AUDIO_EXTENSIONS) else '视频'}：{name}"
            paragraph = lxml.html.Element("p")
            paragraph.append(link)
            paragraph.tail = element.tail
            element.getparent().replace(element, paragraph)


# 大汉 JCMS keeps a column's list in the page as data its script shows: <script type="text/xml"><datastore>
# <recordset><record><![CDATA[<li><a href=…>…</li>]]></record>…
SCRIPT_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)


def unfold_script_lists(doc) -> None:
    """A list kept in a script as data (JCMS's records) becomes the list it shows, so the page reads as the list
    page it is."""
    for script in list(doc.iter("script")):
        records = SCRIPT_RECORD.findall(script.text or "") if "xml" in (script.get("type") or "") else []
        if records and script.getparent() is not None:
            shown = lxml.html.fragment_fromstring("".join(records), create_parent="ul")
            shown.tail = script.tail
            script.getparent().replace(script, shown)


def drop_noise(doc) -> None:
    """Remove scripts, styles, forms' controls, frames and share boxes; their tails (text after them) stay.
    Players of video and audio files become links to them first (keep_media_links), lists kept in scripts the
    lists they show (unfold_script_lists)."""
    keep_media_links(doc)
    unfold_script_lists(doc)
    for element in list(doc.iter(*DROPPED_TAGS)):
        if element.getparent() is not None:
            element.drop_tree()
    for element in list(doc.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        marks = (element.get("class") or "") + " " + (element.get("id") or "")
        if marks.strip() and NEVER_CONTENT.search(marks):
            element.drop_tree()


@dataclass(slots=True)
class Line:
    """One visible line of the page: the text between two block boundaries."""

    text: str
    block: object  # the innermost block element holding it
    link_chars: int  # how much of it is link text
    rank: int  # 1-6 inside <h1>..<h6>, 7 in a 'title' element, 8 bold or big, 9 otherwise


def _rank_of(element, stop) -> int:
    rank = 9
    depth = 0
    while element is not None and element is not stop and depth < 6:
        tag = element.tag if isinstance(element.tag, str) else ""
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            return int(tag[1])
        marks = ((element.get("class") or "") + " " + (element.get("id") or "")).lower()
        if "title" in marks or "biaoti" in marks or "bt" == marks.strip():
            rank = min(rank, 7)
        if tag in ("strong", "b") or (tag == "font" and (element.get("size") or "").strip() in ("4", "5", "6", "7", "+1",
                                                                                           "+2", "+3")):
            rank = min(rank, 8)
        element = element.getparent()
        depth += 1
    return rank


def text_lines(root) -> list[Line]:
    """Visible text lines in reading order; <br> and block elements end a line."""
    lines: list[Line] = []
    parts: list[str] = []
    state = {"links": 0, "block": root, "first": None}

    def flush():
        text = clean_text("".join(parts))
        if text:
            link_chars = min(state["links"], len(text))
            lines.append(Line(text, state["block"], link_chars, _rank_of(state["first"], root)))
        parts.clear()
        state["links"] = 0
        state["first"] = None

    def add(text: str, holder, in_link: bool):
        if text and text.strip():
            if state["first"] is None:
                state["first"] = holder
            if in_link:
                state["links"] += len(clean_text(text))
        if text:
            parts.append(text)

    def walk(element, in_link: bool):
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "br":
            flush()
            return
        block = tag in BLOCK_TAGS
        if block:
            flush()
            outer = state["block"]
            state["block"] = element
        link = in_link or tag == "a"
        add(element.text or "", element, link)
        for child in element:
            walk(child, link)
            add(child.tail or "", element, link)
        if block:
            flush()
            state["block"] = outer

    walk(root, False)
    flush()
    return lines


ATTACHMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".zip", ".rar", ".7z", ".wps",
                         ".et", ".txt", ".csv", ".ofd", *MEDIA_EXTENSIONS)


def is_attachment(href: str) -> bool:
    """A link to a document: by its name, or by the file a download script is asked for
    (downfile.jsp?filename=1912101130.xls)."""
    parts = urlsplit(href)
    return parts.path.lower().endswith(ATTACHMENT_EXTENSIONS) or bool(query_file(parts.query, ATTACHMENT_EXTENSIONS))


def density(root) -> dict:
    """element -> (text length outside links, link text length), for every element under root; a link to an
    attachment counts as neither."""
    found: dict[int, tuple[int, int]] = {}

    def visit(element, in_link: bool) -> tuple[int, int]:
        if element.tag == "a" and not in_link and is_attachment(element.get("href") or ""):
            found[element] = (0, 0)  # a document of the article (or its video): neither its text nor a menu
            return 0, 0
        link = in_link or element.tag == "a"
        own = len(clean_text(element.text or ""))
        text, links = (0, own) if link else (own, 0)
        for child in element:
            if not isinstance(child.tag, str):
                continue
            child_text, child_links = visit(child, link)
            tail = len(clean_text(child.tail or ""))
            text += child_text + (0 if link else tail)
            links += child_links + (tail if link else 0)
        found[element] = (text, links)
        return text, links

    visit(root, False)
    return found


def content_element(root, stats: dict, after=None):
    """The element that holds the article text: the best (text - 3 x link text) element, then its deepest
    descendant that keeps most of that score (so headers, menus and footers fall away). With `after` (the
    meta line's element), an element following it is preferred, unless the text sits beside the meta line."""
    def score(element) -> int:
        text, links = stats.get(element, (0, 0))
        return text - 3 * links

    best, best_score = root, score(root)
    following, following_score = None, 0
    seen_after = after is None
    inside = set(after.iter()) if after is not None else set()
    for element in root.iter():
        if element is after:
            seen_after = True
            continue
        if not isinstance(element.tag, str) or element.tag not in CONTAINER_TAGS:
            continue
        value = score(element)
        if value > best_score:
            best, best_score = element, value
        if seen_after and element not in inside and value > following_score:
            following, following_score = element, value
    if following is not None and following_score >= 0.3 * best_score:
        best, best_score = following, following_score
    while True:
        children = [c for c in best if isinstance(c.tag, str)]
        deeper = max(children, key=score, default=None)
        if deeper is None or score(deeper) < 0.85 * best_score or deeper.tag not in CONTAINER_TAGS:
            return best
        best = deeper
