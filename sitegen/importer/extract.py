"""Import stage: one decoded page to its kind (article, list, index, search, frame) and an article's fields and body."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from .fields import LABEL, VALUE_END, Meta, find_date, looks_like_meta, parse_meta, to_halfwidth
from .htmltext import Line, clean_text, content_element, density, drop_noise, parse_html, text_lines
from .tomarkdown import Body, Converter, to_markdown

CRUMB_MARKS = re.compile(r"(当前位置|您的位置|你的位置|现在的位置|所在位置|当前栏目|位置)\s*[:：]?")
CRUMB_SEPARATORS = re.compile(r"\s*(?:>>|»|›|→|＞|>|/|\\|－|—|-)\s*")
HOME_CRUMBS = {"首页", "网站首页", "主页", "本站首页", "home", "首 页", "返回首页"}
TRAILER = re.compile(r"打印本页|关闭本页|关闭窗口|打印此页|【打印】|【关闭】|\[打印\]|\[关闭\]|上一篇|下一篇|上一条|"
                     r"下一条|相关文章|相关新闻|相关阅读|分享到|【字体|字号[:：]|【大 中 小】|扫一扫|"
                     r"返回顶部|推荐给好友|收藏本页")
TITLE_SEPARATORS = re.compile(r"\s*(?:--|—+|_|\||｜|-\s|\s-)\s*")  # '标题 - 网站名', '标题_网站名'
SEARCH_WORDS = re.compile(r"搜索结果|检索结果|查询结果|全文检索|站内搜索结果")
SEARCH_KEYS = {"keyword", "keywords", "kw", "q", "wd", "searchword", "key", "searchkey", "query"}
LIST_LINK_MIN = 8  # a page with this many dated links and no paragraph of text is a list


@dataclass(frozen=True, slots=True)
class Extracted:
    kind: str  # article | list | index | search | frame | failed
    reason: str = ""
    title: str = ""
    subtitle: str = ""  # the lead-in (引题) and the subtitle, in that order
    meta: Meta = Meta()
    crumbs: tuple[str, ...] = ()
    has_crumbs: bool = False
    markdown: str = ""  # the body, link targets as \x00N\x00 references into refs
    refs: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()


def split_crumbs(text: str, links: list[str] | None = None) -> tuple[str, ...]:
    """'当前位置：首页 > 代表工作 > 履职动态 > 新闻内容' -> ('首页', '代表工作', '履职动态', '新闻内容')."""
    match = CRUMB_MARKS.search(text)
    rest = text[match.end():] if match else text
    parts = [clean_text(p) for p in CRUMB_SEPARATORS.split(rest)]
    parts = [p for p in parts if p]
    if len(parts) <= 1 and links and len(links) >= 2:  # separators drawn as pictures: the links are the crumbs
        parts = [clean_text(link) for link in links if clean_text(link)]
        tail = clean_text(rest.split(links[-1])[-1]) if links[-1] in rest else ""
        if tail:
            parts.append(tail)
    return tuple(parts)


def is_crumb_line(line_text: str) -> bool:
    plain = line_text.replace(" ", "")
    if CRUMB_MARKS.match(plain) or CRUMB_MARKS.search(plain[:12]):
        return True
    return plain.startswith(tuple(HOME_CRUMBS)) and (any(s in plain for s in (">", "»", "›", "→", "＞"))
                                                     or plain.count("/") >= 2)


def _title_parts(candidates: list[tuple[str, int]], page_title: str) -> tuple[str, str, str]:
    """(lead-in, title, subtitle) from up to three lines above the meta line, with their heading ranks."""
    if not candidates:
        return "", "", ""
    dashed = [i for i, (text, _) in enumerate(candidates) if text.startswith(("——", "--", "－－", "—"))]
    hinted = [(rank if not (page_title and len(text) >= 4 and text in page_title) else 0, i)
              for i, (text, rank) in enumerate(candidates) if i not in dashed]
    if not hinted:
        return "", candidates[0][0], ""
    best_rank = min(rank for rank, _ in hinted)
    title_at = next(i for rank, i in hinted if rank == best_rank)
    lead = "　".join(text for text, _ in candidates[:title_at])
    sub = "　".join(text for text, _ in candidates[title_at + 1:])
    return lead, candidates[title_at][0], sub


GOV_META = ("articletitle", "pubdate", "contentsource", "author", "columnname")


def gov_meta(doc) -> dict:
    """The <meta name="ArticleTitle|PubDate|ContentSource|Author|ColumnName"> tags that Chinese government
    site templates carry (TRS, JCMS and others): hints where the visible page is unclear."""
    found = {}
    for meta in doc.iter("meta"):
        name = (meta.get("name") or "").strip().lower()
        if name in GOV_META and clean_text(meta.get("content") or ""):
            found.setdefault(name, clean_text(meta.get("content")))
    return found


def _page_title(doc) -> str:
    node = doc.find(".//title")
    return clean_text(node.text_content()) if node is not None else ""


def page_kind_hint(address: str, doc) -> str:
    """'frame' or 'search' from the page's shape or address, else ''."""
    if doc.find(".//frameset") is not None or doc.find(".//frame") is not None:
        return "frame"
    for meta in doc.iter("meta"):
        if (meta.get("http-equiv") or "").strip().lower() == "refresh" and "url" in (meta.get("content") or "").lower():
            return "redirect"
    parts = urlsplit(address)
    keys = {k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True)}
    if "search" in parts.path.lower() or "sousuo" in parts.path.lower() or keys & SEARCH_KEYS:
        return "search"
    return ""


def extract_html(text: str, address: str, allow_html: bool) -> Extracted:
    doc = parse_html(text)
    hint = page_kind_hint(address, doc)
    iframes = len(doc.findall(".//iframe"))
    page_title = _page_title(doc)
    named = gov_meta(doc)
    if named.get("articletitle"):
        page_title = named["articletitle"]  # the title itself, without the site's name
    body = doc.find("body")
    if body is None:
        body = doc
    drop_noise(body)
    if hint == "frame":
        return Extracted("frame", "a frameset that only frames other pages")
    if hint == "redirect" and len(clean_text(body.text_content())) < 200:
        return Extracted("redirect", "a page that only sends the reader on (meta refresh)")
    lines = text_lines(body)
    visible = sum(len(line.text) for line in lines)
    if iframes and visible < 80:
        return Extracted("frame", "a page that only frames others (iframe)")
    crumb_at = next((i for i, line in enumerate(lines[: max(8, len(lines) * 2 // 3)]) if is_crumb_line(line.text)
                     and len(line.text) <= 120), -1)
    crumbs: tuple[str, ...] = ()
    if crumb_at >= 0:
        block = lines[crumb_at].block
        links = [a.text_content() for a in block.iter("a")] if block is not None else []
        crumbs = split_crumbs(lines[crumb_at].text, links)
    meta_at = untitled = -1
    for index in range(crumb_at + 1, len(lines)):
        line = lines[index]
        if line.link_chars * 2 < len(line.text) and looks_like_meta(line.text):
            if _has_title_above(lines, index, crumb_at):
                meta_at = index
                break
            untitled = index if untitled < 0 else untitled
    if meta_at < 0 and untitled >= 0 and page_title:
        meta_at = untitled  # the title is only in <title>: 'Title - Site'
    dated_by_tags = meta_at < 0 and bool(named.get("articletitle")) and bool(find_date(named.get("pubdate", ""))[0])
    if dated_by_tags:  # no date line on the page, but the <meta name="PubDate"> of government site templates
        meta_at = next((i for i, line in enumerate(lines) if i > crumb_at and line.text == page_title), -1)
    if not crumbs and named.get("columnname"):
        crumbs = (named["columnname"],)
    if SEARCH_WORDS.search(page_title) or any(SEARCH_WORDS.search(line.text) for line in lines[:40]
                                              if len(line.text) < 40):
        hint = hint or "search"
    if meta_at < 0:
        return _not_article(lines, hint, address, "no date line (发布时间：…) under a title")
    candidates, meta_parts = [], [lines[meta_at].text]
    if dated_by_tags:
        candidates, meta_parts = [(page_title, 0)], [f"发布时间：{named['pubdate']}"]
    for line in reversed(lines[crumb_at + 1: meta_at] if not dated_by_tags else ()):
        if line.link_chars * 2 >= len(line.text) or len(line.text) > 120 or is_crumb_line(line.text):
            break
        if is_meta_part(line.text) and not candidates:  # 作者：… on a line of its own above 发布时间：…
            meta_parts.insert(0, line.text)
            continue
        candidates.insert(0, (line.text, line.rank))
        if len(candidates) == 3:
            break
    for line in lines[meta_at + 1: meta_at + 4]:
        if not is_meta_part(line.text) or line.link_chars * 2 >= len(line.text):
            break
        meta_parts.append(line.text)  # 来源：… on the line below
    lead, title, subtitle = _title_parts(candidates, page_title)
    if not title and page_title:
        title = max((clean_text(p) for p in TITLE_SEPARATORS.split(page_title)), key=len)
    meta = parse_meta(" ".join(meta_parts))
    meta = Meta(meta.date or find_date(named.get("pubdate", ""))[0], meta.author or named.get("author", ""),
                meta.source or named.get("contentsource", ""), meta.editors)
    stats = density(body)
    after = meta_at + sum(1 for part in meta_parts if part != lines[meta_at].text and
                          any(line.text == part for line in lines[meta_at + 1: meta_at + 4]))
    scope = _scope(lines, meta_at, after, body)
    container = content_element(scope, stats, lines[meta_at].block)
    converter = Converter(allow_html)
    converted = converter.convert(container)
    skip = {clean_text(t) for t in (lead, title, subtitle, *meta_parts,
                                    lines[crumb_at].text if crumb_at >= 0 else "") if t}
    blocks = _trim(converted, skip, lines[meta_at].text)
    if not title:
        return Extracted("failed", "a date line but no title above it")
    longest = max((len(b[2]) for b in blocks if b[0] == "p"), default=0)
    if hint and longest < 200:
        return Extracted(hint, _KIND_REASONS[hint])
    linked = sum(1 for b in blocks if "\x00" in b[1] and len(b[2]) <= 60) + sum(
        b[1].count("\n") + 1 for b in blocks if b[0] == "list" and "\x00" in b[1])
    if not blocks or longest < 40 and linked >= LIST_LINK_MIN // 2 and not any(b[0] == "img" for b in blocks):
        return _not_article(lines, hint, address, "no article text under the date line")
    markdown = _join(blocks, meta)
    return Extracted("article", title=title, subtitle=" ".join(p for p in (lead, subtitle) if p).strip(),
                     meta=meta, crumbs=crumbs, has_crumbs=crumb_at >= 0, markdown=markdown,
                     refs=tuple(converted.refs), notes=tuple(dict.fromkeys(converted.notes)))


_KIND_REASONS = {"search": "a search page", "redirect": "a page that only sends the reader on", "frame": "a page that only frames others",
                 "list": "a list of articles", "index": "an index page"}


def _scope(lines: list[Line], meta_at: int, last_meta: int, body):
    """The nearest element around the meta line that also holds the article after it: the climb stops at the
    first ancestor with text after the meta line (page furniture such as 【字体：大 中 小】 does not count) or a
    picture, so a sidebar or footer elsewhere on the page is never taken for a short article's text."""
    element = lines[meta_at].block
    following = [line for line in lines[last_meta + 1:] if line.link_chars * 2 < len(line.text)
                 and not TRAILER.search(line.text) and not VALUE_END.search(line.text[:8])]
    meta_block = lines[meta_at].block
    in_meta = set(meta_block.iter())
    while element is not None and element is not body:
        inside = set(element.iter())
        text = sum(len(line.text) - line.link_chars for line in following if line.block in inside)
        seen_meta = False
        pictures = False
        for node in element.iter():
            if node is meta_block:
                seen_meta = True
            elif seen_meta and node.tag == "img" and node not in in_meta:
                pictures = True
                break
        if text >= 10 or pictures:
            return element
        element = element.getparent()
    return body


def is_meta_part(text: str) -> bool:
    """A short line that starts with a meta label (作者：张三, 【来源】本网): part of a meta line spread over lines."""
    return len(text) <= 80 and LABEL.match(to_halfwidth(text)) is not None


def _has_title_above(lines: list[Line], index: int, crumb_at: int) -> bool:
    while index - 1 > crumb_at and is_meta_part(lines[index - 1].text):
        index -= 1
    above = lines[index - 1] if index - 1 > crumb_at else None
    return above is not None and above.link_chars * 2 < len(above.text) and len(above.text) <= 120 \
        and not looks_like_meta(above.text)


def _not_article(lines: list[Line], hint: str, address: str, reason: str) -> Extracted:
    if hint:
        return Extracted(hint, _KIND_REASONS[hint])
    path = urlsplit(address).path.lower()
    name = path.rsplit("/", 1)[-1]
    if path in ("", "/") or (path.count("/") <= 1 and name.startswith(("index", "default", "main", "home"))):
        return Extracted("index", _KIND_REASONS["index"])
    link_lines = sum(1 for line in lines if line.link_chars * 2 >= len(line.text))
    text_chars = sum(len(line.text) for line in lines if line.link_chars * 2 < len(line.text) and len(line.text) > 60)
    if link_lines >= 5 and text_chars < 400:
        return Extracted("list", _KIND_REASONS["list"])
    return Extracted("failed", reason)


def _trim(body: Body, skip: set[str], meta_text: str) -> list:
    """Blocks of the article proper: what precedes the meta line (title, crumbs) and the trailer
    (打印本页, 上一篇/下一篇, share boxes, related articles) cut off."""
    blocks = list(body.blocks)
    meta_plain = clean_text(meta_text)
    for index, block in enumerate(blocks[:12] if meta_plain else ()):
        if block[0] in ("p", "h") and (clean_text(block[2]) == meta_plain or meta_plain in clean_text(block[2])
                                       and len(block[2]) < len(meta_plain) + 20):
            blocks = blocks[index + 1:]
            break
    blocks = [b for b in blocks if not (b[0] in ("p", "h") and clean_text(b[2]) in skip)]
    for index, block in enumerate(blocks):
        if block[0] in ("p", "list", "h") and len(block[2]) <= 80 and TRAILER.search(block[2]) \
                and index >= len(blocks) // 3:
            blocks = blocks[:index]
            break
    return [b for b in blocks if not (b[0] == "p" and TRAILER.fullmatch(b[2].strip("[]【】 ")))]


def _join(blocks: list, meta: Meta) -> str:
    parts = [to_markdown(block) for block in blocks]
    if meta.editors:
        parts.append("（" + "　".join(meta.editors) + "）")
    return "\n\n".join(p for p in parts if p.strip()) + "\n"


def extract_text(text: str) -> Extracted:
    """A page saved as text (the seed's form): crumb line, title lines, meta line, then paragraphs."""
    lines = [clean_text(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    numbered = [(i, line) for i, line in enumerate(lines) if line]
    if not numbered:
        return Extracted("failed", "the file is empty")
    crumbs: tuple[str, ...] = ()
    start = 0
    if is_crumb_line(numbered[0][1]):
        crumbs = split_crumbs(numbered[0][1])
        start = 1
    meta_at = next((n for n in range(start, min(len(numbered), start + 8)) if looks_like_meta(numbered[n][1])
                    and n > start), -1)
    if meta_at < 0:
        return Extracted("failed", "no date line (发布时间：…) under a title in the first lines")
    parts = [numbered[meta_at][1]]
    first = meta_at
    while first - 1 > start and is_meta_part(numbered[first - 1][1]):  # 作者：… on a line of its own
        first -= 1
        parts.insert(0, numbered[first][1])
    last = meta_at
    while last + 1 < len(numbered) and last < meta_at + 3 and is_meta_part(numbered[last + 1][1]):
        last += 1
        parts.append(numbered[last][1])
    candidates = [(line, 9) for _, line in numbered[max(start, first - 3): first]]
    lead, title, subtitle = _title_parts(candidates, "")
    if not title:
        return Extracted("failed", "a date line but no title above it")
    meta = parse_meta(" ".join(parts))
    converter = Converter(False)
    for _, line in numbered[last + 1:]:
        converter.paragraph(_escaped(line))
    body = converter.body
    blocks = _trim(body, set(), "")
    return Extracted("article", title=title, subtitle=" ".join(p for p in (lead, subtitle) if p).strip(), meta=meta,
                     crumbs=crumbs, has_crumbs=bool(crumbs), markdown=_join(blocks, meta))


def _escaped(line: str) -> str:
    from .tomarkdown import escape
    return escape(line)
