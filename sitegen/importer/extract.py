"""Import stage: one decoded page to its kind (article, list, index, search, frame) and an article's fields and body."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlsplit

import lxml.html

from ..messages import Message, say, say_plural
from .classify import PAGER_WORDS, Listing, item_line, listing, pager_line
from .fields import (CHINESE_DATE, EVENT_WORDS, LABEL, VALUE_END, Meta, find_date, has_label, looks_like_meta, parse_meta,
                     to_halfwidth)
from .htmltext import (Line, clean_text, content_element, density, drop_noise, is_attachment, parse_html,
                       text_lines)
from .tomarkdown import Body, Converter, escape, to_markdown

# '位置' alone only with its colon: 关于确定新办公楼位置的公告 is a title
CRUMB_MARKS = re.compile(r"(?:当前位置|您的位置|你的位置|现在的位置|所在位置|当前栏目)\s*[:：]?|位置\s*[:：]")
CRUMB_SEPARATORS = re.compile(r"\s*(?:>>|»|›|→|＞|>|》|/|\\|－|—|-|\||｜|::|·|▶|►)\s*")
WEAK_SEPARATORS = re.compile(r"/|-|－|\||｜|·|::")  # between crumbs, and between a menu's entries too
# Simplified and traditional (a Big5 site writes 首頁).
HOME_CRUMBS = {"首页", "网站首页", "主页", "本站首页", "home", "首 页", "返回首页", "首頁", "網站首頁", "主頁", "本站首頁",
               "首 頁", "返回首頁"}
TRAILER = re.compile(r"打印本页|关闭本页|关闭窗口|打印此页|列印本頁|打印本頁|關閉本頁|關閉窗口|相關文章|【打印】|【关闭】|"
                     r"\[打印\]|\[关闭\]|上一篇|下一篇|上一条|下一条|相关文章|相关新闻|相关阅读|分享到|【字体|字号[:：]|【大 中 小】|扫一扫|"
                     r"返回顶部|推荐给好友|收藏本页")
SENTENCE_MARKS = re.compile(r"[，。！？；、,!?;]")
TITLE_SEPARATORS = re.compile(r"\s*(?:--|—+|_|\||｜|-\s|\s-)\s*")  # '标题 - 网站名', '标题_网站名'
SEARCH_WORDS = re.compile(r"搜索结果|检索结果|查询结果|全文检索|站内搜索结果")
SEARCH_KEYS = {"keyword", "keywords", "kw", "q", "wd", "searchword", "key", "searchkey", "query"}
LIST_LINK_MIN = 8  # a page with this many dated links and no paragraph of text is a list
LIST_MIN = 4  # dated article links right under a date line that make the page a list, not an article
PROSE_MIN = 30  # characters of text between a date line and the links under it that make it an article
FOOT_PROSE_MIN = 20  # characters of text above a date line at the foot
FOOT_PROSE_LIST = 60  # ... and beside a list of dated links, so that the list is not the page's content
CLOCK = re.compile(r"今天|今日|农历")  # 今天是2019年11月8日: the day the page was saved, never its date
WEEKDAY = re.compile(r"星期[一二三四五六日天]|礼拜[一二三四五六日天]|周[一二三四五六日]")
BARE_DATE = re.compile(r"[(（\[【]?\s*(?:19|20)\d\d\s*(?:年|-|/|\.)\s*[01]?\d\s*(?:月|-|/|\.)\s*[0-3]?\d\s*日?\s*[)）\]】]?")
MARKUP = re.compile(r"\x00\d+\x00|[\[\]()*]|(?:^|\s)(?:-|\d+\.)\s")  # of Markdown text, for a pager's words
KIND_REASONS = {  # why a page is no article, by its kind
    "search": say("a search page"), "redirect": say("a page that only sends the reader on"),
    "frame": say("a page that only frames others"), "list": say("a list of articles"), "index": say("a home page"),
}


@dataclass(frozen=True, slots=True)
class Extracted:
    kind: str  # article | list | index | search | frame | failed
    reason: Message | str = ""  # why a page is no article (shown for a page that failed)
    title: str = ""
    subtitle: str = ""  # the lead-in (引题) and the subtitle, in that order
    meta: Meta = Meta()
    crumbs: tuple[str, ...] = ()
    has_crumbs: bool = False
    markdown: str = ""  # the body, link targets as \x00N\x00 references into refs
    refs: tuple[tuple[str, str], ...] = ()
    notes: tuple[Message, ...] = ()
    rule: Message | str = ""  # for a doubtful page: which rule decided its kind
    links: tuple[str, ...] = ()  # a list page's links to dated articles, as written
    pager: tuple[str, ...] = ()  # an article's pager links (its other pages), as written


def split_crumbs(text: str, links: list[str] | None = None) -> tuple[str, ...]:
    """'当前位置：首页 > 代表工作 > 履职动态 > 新闻内容' -> ('首页', '代表工作', '履职动态', '新闻内容')."""
    match = CRUMB_MARKS.search(text)
    rest = text[match.end():] if match else text
    parts = [clean_text(p) for p in CRUMB_SEPARATORS.split(rest)]
    parts = [p for p in parts if p]
    dated = find_date(parts[-1])[1] if parts else -1  # the date cell beside the crumbs: 正文 2019年11月8日 星期五
    if dated >= 0:
        parts[-1:] = [parts[-1][:dated].strip()] if parts[-1][:dated].strip() else []
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
    if not plain.lower().startswith(tuple(HOME_CRUMBS)):
        return False
    if any(s in plain for s in (">", "»", "›", "→", "＞", "》", "▶", "►")):
        return True
    # '首页 / 人大要闻', '首页 - 代表工作 - 履职动态'; but '网站首页 | 人大要闻 | 代表工作 | 监督工作 | 通知公告' is the menu
    return 2 <= len(WEAK_SEPARATORS.split(plain)) <= 4


def _title_parts(candidates: list[tuple[str, int]], page_title: str) -> tuple[str, str, str]:
    """(lead-in, title, subtitle) from up to three lines above the meta line, with their heading ranks."""
    if not candidates:
        return "", "", ""
    candidates = _joined_lines(candidates, page_title)
    dashed = [i for i, (text, _) in enumerate(candidates) if text.startswith(("——", "--", "－－", "—"))]
    hinted = [(rank if not (page_title and len(text) >= 4 and text in page_title) else 0, i)
              for i, (text, rank) in enumerate(candidates) if i not in dashed]
    if not hinted:
        return "", candidates[0][0], ""
    best_rank = min(rank for rank, _ in hinted)
    title_at = next(i for rank, i in hinted if rank == best_rank)
    if dashed and dashed[0] > title_at and (best_rank, dashed[0] - 1) in hinted:
        title_at = dashed[0] - 1  # 引题, title, ——subtitle, all alike: the title is the line above the ——
    lead = "　".join(text for text, _ in candidates[:title_at])
    sub = "　".join(text for text, _ in candidates[title_at + 1:])
    return lead, candidates[title_at][0], sub


def _joined_lines(candidates: list[tuple[str, int]], page_title: str) -> list[tuple[str, int]]:
    """A title broken over two lines (<h1>关于召开……<br>……的通知</h1>) is one line again when the page's <title>
    holds the two joined."""
    joined = list(candidates)
    squeezed = re.sub(r"\s+", "", page_title)
    at = 0
    while at + 1 < len(joined) and squeezed:
        (first, rank), (second, _) = joined[at], joined[at + 1]
        if re.sub(r"\s+", "", first + second) in squeezed and not second.startswith(("——", "--", "—")):
            joined[at:at + 2] = [(first + second, rank)]
        else:
            at += 1
    return joined


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


# The labels of the 政务公开 table government site templates put above or below a document's title.
PUBLIC_INFO_LABELS = ("索引号", "发布机构", "发文机关", "生成日期", "成文日期", "发布日期", "文号", "发文字号", "主题分类",
                      "组配分类", "体裁分类", "公开方式", "公开范围", "公开时限", "有效性", "主题词", "信息分类", "服务对象",
                      "名称", "标题")
PUBLIC_INFO_DATES = ("发布日期", "成文日期", "生成日期")  # the page's date, best first (生成日期 is when it was filed)
PUBLIC_INFO_NUMBERS = ("文号", "发文字号")
PUBLIC_INFO = re.compile(r"(" + "|".join(PUBLIC_INFO_LABELS) + r")\s*[:：]\s*")


HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def hidden_date(body) -> str:
    """The first date in a short element readers do not see (display:none), where templates keep the date a
    script writes; every such short element is removed (a reader never saw it)."""
    found = ""
    for element in list(body.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        if HIDDEN.search(element.get("style") or "") or element.get("hidden") is not None:
            text = clean_text(element.text_content())
            if len(text) <= 40:
                found = found or find_date(text)[0]
                element.drop_tree()
    return found


def public_info(body) -> dict[str, str]:
    """The fields of the page's 政务公开 table (索引号, 发布机构, 生成日期, 文号, 发布日期 …: three labels or more in
    an element of fewer than 600 characters), by label; the table is removed from the page, so it is taken
    neither for the title and date line nor for the text."""
    best, best_length = None, 600
    for element in body.iter("table", "div", "ul", "dl"):
        text = clean_text(" ".join(element.itertext()))
        if len(text) < best_length and len(set(PUBLIC_INFO.findall(text))) >= 3:
            best, best_length = element, len(text)
    if best is None:
        return {}
    text = clean_text(" ".join(best.itertext()))
    marks = list(PUBLIC_INFO.finditer(text))
    found = {}
    for number, mark in enumerate(marks):
        end = marks[number + 1].start() if number + 1 < len(marks) else len(text)
        found.setdefault(mark.group(1), text[mark.end():end].strip())
    name = found.get("名称") or found.get("标题") or ""
    if name and best.getparent() is not None and clean_text(body.text_content()).count(name) == 1:
        heading = best.makeelement("h1")  # the title is only in the table: it stays, as the page's heading
        heading.text, heading.tail = name, best.tail
        best.getparent().replace(best, heading)
    else:
        best.drop_tree()
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
    hidden = hidden_date(body)  # <publishtime style="display:none">, which a script writes into the date line
    if hidden and not named.get("pubdate"):
        named["pubdate"] = hidden
    listed = public_info(body)  # the 政务公开 table above or below the title: its date and 文号, then gone
    if not named.get("pubdate") and any(listed.get(label) for label in PUBLIC_INFO_DATES):
        named["pubdate"] = next(listed[label] for label in PUBLIC_INFO_DATES if listed.get(label))
    if hint == "frame":
        return Extracted("frame", say("a frameset that only frames other pages"))
    if hint == "redirect" and len(clean_text(body.text_content())) < 200:
        return Extracted("redirect", say("a page that only sends the reader on (meta refresh)"))
    lines = text_lines(body)
    visible = sum(len(line.text) for line in lines)
    if iframes and visible < 80:
        return Extracted("frame", say("a page that only frames others (iframe)"))
    head = max(8, len(lines) * 2 // 3)  # a crumb line further down is a footer's, unless a date line follows it
    crumb_at = next((i for i, line in enumerate(lines) if is_crumb_line(line.text) and len(line.text) <= 120 and (
        i < head or any(looks_like_meta(below.text) for below in lines[i + 1:i + 6]))), -1)
    crumbs: tuple[str, ...] = ()
    if crumb_at >= 0:
        block = lines[crumb_at].block
        links = [a.text_content() for a in block.iter("a")] if block is not None else []
        crumbs = split_crumbs(lines[crumb_at].text, links)
    if not crumbs and named.get("columnname"):
        crumbs = (named["columnname"],)
    if SEARCH_WORDS.search(page_title) or any(SEARCH_WORDS.search(line.text) for line in lines[:40]
                                              if len(line.text) < 40):
        hint = hint or "search"
    stats = density(body)
    found = listing(body, stats)
    as_list = lambda rule: Extracted("list", KIND_REASONS["list"], title=page_title, crumbs=crumbs,  # noqa: E731
                                     has_crumbs=crumb_at >= 0, links=tuple(i.href for i in found.items), rule=rule)
    meta_at = untitled = weekday = -1
    for index in range(crumb_at + 1, len(lines)):
        line = lines[index]
        if line.link_chars * 2 < len(line.text) and looks_like_meta(line.text) and not _clock(line.text):
            if _below_text(lines, index, crumb_at):  # a date line at the foot of the text: see _foot_article
                continue
            if _has_title_above(lines, index, crumb_at):
                if WEEKDAY.search(line.text) and not has_label(line.text):  # a page header's clock, or the
                    weekday = index if weekday < 0 else weekday           # date under a title: only if none
                    continue                                              # better follows
                meta_at = index
                break
            untitled = index if untitled < 0 else untitled
    if meta_at < 0 and weekday >= 0:
        meta_at = weekday
    if meta_at < 0 and untitled >= 0 and page_title:
        meta_at = untitled  # the title is only in <title>: 'Title - Site'
    tagged_date = find_date(named.get("pubdate", ""))[0]
    dated_by_tags = meta_at < 0 and bool(tagged_date)
    if dated_by_tags:  # no date line on the page (written by a script), but the <meta name="PubDate"> of
        meta_at = _tagged_title_at(lines, crumb_at, page_title)  # government site templates, and a title
        dated_by_tags = meta_at >= 0
    header_in_list = meta_at >= 0 and not dated_by_tags and found.items and (
        item_line(lines[meta_at], found) or meta_at > 0 and item_line(lines[meta_at - 1], found)
        and lines[meta_at - 1].link_chars > 0)
    if header_in_list:  # 'title' above 'date' is the first entry of a list (a table row, a list item)
        meta_at = -1
    if meta_at < 0:
        if hint:
            return Extracted(hint, KIND_REASONS[hint])
        if _index_address(address):
            return Extracted("index", KIND_REASONS["index"])
        foot, prose = _foot_article(lines, crumb_at, page_title, body, stats, allow_html, crumbs, found)
        if foot is not None and (found.largest < LIST_MIN or prose >= FOOT_PROSE_LIST):
            return foot  # text, then its date line, beside a list (a sidebar) that is not the page's content
        if found.largest >= 2 or found.items and found.paged:
            rule = ""
            if header_in_list:
                rule = say_plural("list page: the title and date are one entry of a list; the page is mostly {count} "
                                  "link to a dated article", "list page: the title and date are one entry of a list; "
                                  "the page is mostly {count} links to dated articles", found.largest)
            elif found.largest < LIST_MIN:
                rule = say_plural("list page: no title with a date line under it; the page is mostly {count} link to "
                                  "a dated article{paged}", "list page: no title with a date line under it; the page "
                                  "is mostly {count} links to dated articles{paged}", found.largest,
                                  paged=say(", and a pager") if found.paged else "")
            return as_list(rule)
        return _not_article(lines, hint, address, say("no date line (发布时间：…) under a title"), as_list)
    candidates, meta_parts = [], [lines[meta_at].text]
    if dated_by_tags:
        candidates, meta_parts = [(lines[meta_at].text, 0)], [f"发布时间：{named['pubdate']}"]
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
    if tagged_date.startswith(meta.date) and len(tagged_date) > len(meta.date) > 0:
        meta = replace(meta, date=tagged_date)  # the visible date without its time, PubDate with it: the same day
    meta = Meta(meta.date or tagged_date, meta.author or named.get("author", ""),
                meta.source or named.get("contentsource", ""), meta.editors)
    after = meta_at + sum(1 for part in meta_parts if part != lines[meta_at].text and
                          any(line.text == part for line in lines[meta_at + 1: meta_at + 4]))
    scope = _scope(lines, meta_at, after, body)
    rule = ""
    if found.items and not hint:
        under, prose = _list_under(lines, after, scope, found)
        if under >= LIST_MIN and prose < PROSE_MIN:
            return as_list(say_plural("list page: right under the date line is {count} link to a dated article, "
                                      "and no text", "list page: right under the date line are {count} links to "
                                      "dated articles, and no text", under))
        if under >= LIST_MIN:
            rule = say_plural("article: under the title and date line come {prose} characters of text first; the "
                              "{count} link to a dated article after them is a related link, left out of the text",
                              "article: under the title and date line come {prose} characters of text first; the "
                              "{count} links to dated articles after them are related links, left out of the text",
                              under, prose=prose)
    container = content_element(scope, stats, lines[meta_at].block)
    converter = Converter(allow_html)
    converted = converter.convert(container)
    skip = {clean_text(t) for t in (lead, title, subtitle, *meta_parts,
                                    lines[crumb_at].text if crumb_at >= 0 else "") if t}
    blocks, pager = _trim(converted, skip, lines[meta_at].text)
    if not blocks and container is not scope:  # a short text and an attachment score below the meta line itself
        converter = Converter(allow_html)
        converted = converter.convert(scope)
        blocks, pager = _trim(converted, skip, lines[meta_at].text)
    if rule:
        blocks = _before_list(blocks, converted.refs, {item.href for item in found.items})
    if container is not scope:  # TRS and others put 附件 in an element of its own after the text
        blocks += [("p", f"附件：[{label}]({converted.ref('link', href)})", f"附件：{label}", False)
                   for label, href in _attachments_after(container, scope, converted.refs)]
    if not title:
        return Extracted("failed", say("a date line but no title above it"))
    longest = max((len(b[2]) for b in blocks if b[0] == "p"), default=0)
    if hint and longest < 200:
        return Extracted(hint, KIND_REASONS[hint])
    documents = {f"\x00{n}\x00" for n, (_, href) in enumerate(converted.refs) if is_attachment(href)}

    def navigation(markdown: str) -> bool:  # links to pages; a list of documents to download is the article's
        return any(ref not in documents for ref in re.findall(r"\x00\d+\x00", markdown))

    linked = sum(1 for b in blocks if navigation(b[1]) and len(b[2]) <= 60) + sum(
        b[1].count("\n") + 1 for b in blocks if b[0] == "list" and navigation(b[1]))
    if not blocks or longest < 40 and linked >= LIST_LINK_MIN // 2 and not any(b[0] == "img" for b in blocks):
        if not blocks:
            return _not_article(lines, hint, address, say("no article text under the date line"), as_list)
        return as_list(say_plural("list page: under the date line there is only {count} link, and no text",
                                  "list page: under the date line there are only {count} links, and no text", linked))
    number = next((listed[label] for label in PUBLIC_INFO_NUMBERS if listed.get(label)), "")
    if number and not any(number in block[2] for block in blocks[:3]):
        blocks.insert(0, ("p", escape(f"文号：{number}"), f"文号：{number}", False))
    markdown = _join(blocks, meta)
    return Extracted("article", title=title, subtitle=" ".join(p for p in (lead, subtitle) if p).strip(),
                     meta=meta, crumbs=crumbs, has_crumbs=crumb_at >= 0, markdown=markdown,
                     refs=tuple(converted.refs), notes=tuple(dict.fromkeys(converted.notes)), rule=rule,
                     pager=_pager_refs(pager, converted.refs))


def _attachments_after(container, scope, refs: list) -> list[tuple[str, str]]:
    """(label, address) of the attachment links in `scope` after the text's `container`, up to the page furniture
    (上一篇, 打印本页, a footer); those the text links already are left out."""
    linked = {href for kind, href in refs if kind == "link"}
    found, after = [], False
    for element in scope.iter():
        if element is container:
            after = True
            continue
        if not after or not isinstance(element.tag, str) or container in element.iterancestors():
            continue
        if element.tag != "a":
            own = clean_text((element.text or "") + " ".join(child.tail or "" for child in element))
            if own and TRAILER.search(own):
                break
            continue
        href = (element.get("href") or "").strip()
        label = clean_text(element.text_content())
        if label and is_attachment(href) and href not in linked:
            linked.add(href)
            found.append((label, href))
    return found


def _before_list(blocks: list, refs: list, listed: set) -> list:
    """The blocks before the first one linking to a list's dated articles (and its heading: 最新动态, 相关新闻)."""
    for index, block in enumerate(blocks):
        numbers = [int(n) for n in re.findall(r"\x00(\d+)\x00", block[1])]
        if any(n < len(refs) and refs[n][1] in listed for n in numbers):
            if index and blocks[index - 1][0] in ("p", "h") and len(blocks[index - 1][2]) <= 12 \
                    and not blocks[index - 1][2].endswith(("。", "：")):
                index -= 1
            return blocks[:index]
    return blocks


def _clock(text: str) -> bool:
    """The date a page header shows (今天是2019年11月8日 星期五): the day the page was saved, not its date."""
    return CLOCK.search(text) is not None and not has_label(text)


def _list_under(lines: list[Line], after: int, scope, found: Listing) -> tuple[int, int]:
    """(dated article links below the date line inside the article's element, characters of text between the
    date line and the first of them)."""
    inside = set(scope.iter())
    under = [line for line in lines[after + 1:] if line.block in inside]
    entries = [found.owner.get(line.block, index) for index, line in enumerate(under) if item_line(line, found)]
    first = next((i for i, line in enumerate(under) if item_line(line, found)), len(under))
    prose = sum(len(line.text) - line.link_chars for line in under[:first]
                if not is_meta_part(line.text) and not pager_line(line.text) and not TRAILER.search(line.text)
                and not VALUE_END.match(line.text))
    return len(set(entries)), prose


def _foot_article(lines: list[Line], crumb_at: int, page_title: str, body, stats: dict, allow_html: bool,
                  crumbs: tuple[str, ...], found: Listing) -> tuple[Extracted | None, int]:
    """An article whose date line is below its text (发布日期：… at the foot, or （2019年11月8日）): a title
    line after the breadcrumb, text, then the date; a labelled date line is meta and leaves the body, a bare
    date stays in it. Returns it (or None) and the characters of its text."""
    title_part = max((clean_text(p) for p in TITLE_SEPARATORS.split(page_title)), key=len) if page_title else ""
    title_at = next((i for i in range(crumb_at + 1, min(len(lines), crumb_at + 12))
                     if _title_line(lines[i], title_part) and not item_line(lines[i], found)), -1)
    if title_at < 0:
        return None, 0
    prose, date_at = 0, -1
    for index in range(title_at + 1, len(lines)):
        line = lines[index]
        if line.link_chars * 2 >= len(line.text) or item_line(line, found):
            continue
        if prose >= FOOT_PROSE_MIN and len(line.text) <= 80 and (looks_like_meta(line.text) and has_label(line.text)
                                                                 or BARE_DATE.fullmatch(to_halfwidth(line.text))):
            date_at = index
            break
        if not TRAILER.search(line.text):
            prose += len(line.text) - line.link_chars
    if date_at < 0:
        return None, 0
    foot = lines[date_at].text
    labelled = has_label(foot)
    meta = parse_meta(foot) if labelled else Meta(find_date(foot)[0])
    if not meta.date:
        return None, 0
    title = lines[title_at].text
    container = content_element(body, stats, lines[title_at].block)
    converted = Converter(allow_html).convert(container)
    skip = {clean_text(t) for t in (title, lines[crumb_at].text if crumb_at >= 0 else "") if t}
    blocks, pager = _trim(converted, skip, title)
    plain_foot = clean_text(foot)
    at = next((i for i, b in enumerate(blocks) if b[0] == "p" and clean_text(b[2]) == plain_foot), -1)
    if at >= 0:
        blocks = blocks[:at] if labelled else blocks[:at + 1]  # what follows a foot date line is furniture
    if not any(b[0] == "p" for b in blocks):
        return None, 0
    return Extracted("article", title=title, meta=meta, crumbs=crumbs, has_crumbs=crumb_at >= 0,
                     markdown=_join(blocks, meta), refs=tuple(converted.refs),
                     notes=tuple(dict.fromkeys(converted.notes)), rule=foot_date_rule(foot),
                     pager=_pager_refs(pager, converted.refs)), prose


def _title_line(line: Line, title_part: str) -> bool:
    text = line.text
    if line.link_chars * 2 >= len(text) or not 4 <= len(text) <= 120 or looks_like_meta(text) \
            or is_crumb_line(text) or TRAILER.search(text):
        return False
    return line.rank < 9 or text == title_part


def _pager_refs(blocks: list, refs) -> tuple[str, ...]:
    """The addresses a pager's blocks link to (the other pages of a multi-page article)."""
    numbers = [int(n) for block in blocks for n in re.findall(r"\x00(\d+)\x00", block[1])]
    return tuple(dict.fromkeys(refs[n][1] for n in numbers if n < len(refs)))


def foot_date_rule(line: str) -> Message:
    """Why a page with its date line at its foot is an article."""
    return say("article: no date line under the title; the date is taken from '{line}' at the end of the text",
               line=line)


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
        pictures = False  # or attachments: 名单见附件。 and a link to the .xls is a whole short article
        for node in element.iter():
            if node is meta_block:
                seen_meta = True
            elif seen_meta and node not in in_meta and (node.tag == "img" or node.tag == "a" and
                                                         is_attachment(node.get("href") or "")):
                pictures = True
                break
        if text >= 4 or pictures:  # 经研究，决定放假。 is a whole notice
            return element
        element = element.getparent()
    return body


def is_meta_part(text: str) -> bool:
    """A short line that starts with a meta label (作者：张三, 【来源】本网): part of a meta line spread over lines."""
    return len(text) <= 80 and LABEL.match(to_halfwidth(text)) is not None


def _below_text(lines: list[Line], index: int, crumb_at: int) -> bool:
    """A date line right under a sentence of text (not under a title): the foot of an article."""
    while index - 1 > crumb_at and is_meta_part(lines[index - 1].text):
        index -= 1
    above = lines[index - 1].text if index - 1 > crumb_at else ""
    return _sentence(above) and lines[index - 1].link_chars * 2 < len(above)


def _sentence(text: str) -> bool:
    """A line of an article's text, never its title: long, and ending as a sentence does."""
    return len(text) > 15 and text.endswith(("。", "！", "？", "；", "."))


def _has_title_above(lines: list[Line], index: int, crumb_at: int) -> bool:
    while index - 1 > crumb_at and is_meta_part(lines[index - 1].text):
        index -= 1
    above = lines[index - 1] if index - 1 > crumb_at else None
    return above is not None and above.link_chars * 2 < len(above.text) and len(above.text) <= 120 \
        and not looks_like_meta(above.text)


def _not_article(lines: list[Line], hint: str, address: str, reason: Message, as_list) -> Extracted:
    if hint:
        return Extracted(hint, KIND_REASONS[hint])
    if _index_address(address):
        return Extracted("index", KIND_REASONS["index"])
    link_lines = sum(1 for line in lines if line.link_chars * 2 >= len(line.text))
    text_chars = sum(len(line.text) for line in lines if line.link_chars * 2 < len(line.text) and len(line.text) > 60)
    if link_lines >= 5 and text_chars < 400:
        return as_list(say_plural("list page: the page is almost all links ({count} line), with no date line under a "
                                  "title and no text", "list page: the page is almost all links ({count} lines), "
                                  "with no date line under a title and no text", link_lines))
    return Extracted("failed", reason)


def _index_address(address: str) -> bool:
    """The site's home page: '/', '/index.html', '/default.asp', ..."""
    path = urlsplit(address).path.lower()
    name = path.rsplit("/", 1)[-1]
    return path in ("", "/") or (path.count("/") <= 1 and name.startswith(("index", "default", "main", "home")))


def _trim(body: Body, skip: set[str], meta_text: str) -> tuple[list, list]:
    """Blocks of the article proper: what precedes the meta line (title, crumbs) and the trailer
    (打印本页, 上一篇/下一篇, share boxes, related articles) cut off; pagers (上一页 1 2 下一页) apart."""
    blocks = list(body.blocks)
    meta_plain = clean_text(meta_text)
    for index, block in enumerate(blocks[:12] if meta_plain else ()):
        if block[0] in ("p", "h") and (clean_text(block[2]) == meta_plain or meta_plain in clean_text(block[2])
                                       and len(block[2]) < len(meta_plain) + 20):
            blocks = blocks[index + 1:]
            break
    blocks = [b for b in blocks if not (b[0] in ("p", "h") and clean_text(b[2]) in skip)]
    pagers = [b for b in blocks if b[0] in ("p", "list") and PAGER_WORDS.search(b[2])
              and pager_line(clean_text(MARKUP.sub(" ", b[2])))]
    blocks = [b for b in blocks if not any(b is pager for pager in pagers)]
    for index, block in enumerate(blocks):
        if block[0] in ("p", "list", "h") and len(block[2]) <= 80 and is_trailer(block[2]) and index and (
                index >= len(blocks) // 3 or all(_furniture(later[2]) for later in blocks[index + 1:])):
            blocks = blocks[:index]
            break
    while blocks and blocks[-1][0] == "p" and FOOTER.search(blocks[-1][2]) and len(blocks[-1][2]) <= 120:
        blocks.pop()  # 版权所有…, 陕ICP备…, 技术支持…: the site's footer, copied with a page saved as text
    return [b for b in blocks if not (b[0] == "p" and _only_toolbar(b[2]))], pagers


FOOTER = re.compile(r"版权所有|copyright|©|ICP备|ICP证|技术支持|公网安备|网站标识码|访问者|访问量|访问人次|建议使用.*浏览器|"
                    r"^主办(?:单位)?[:：]|^承办(?:单位)?[:：]|^地址[:：].*电话", re.I)


def _only_toolbar(text: str) -> bool:
    """A line of nothing but page tools: 【字体：大 中 小】【打印】【关闭】, 打印本页 关闭窗口."""
    return TRAILER.search(text) is not None and len(re.sub(r"\W|大|中|小", "", TRAILER.sub("", text))) <= 2


def _furniture(text: str) -> bool:
    """A line after the text that is no part of it: page tools, a neighbour's title, the footer, a dated link."""
    return len(text) <= 80 and not text.endswith("。") or FOOTER.search(text) is not None


def _tagged_title_at(lines: list, crumb_at: int, page_title: str) -> int:
    """The title line of a page dated only by its <meta name="PubDate">: the line that is its ArticleTitle (or its
    <title>), else the first heading under the crumbs (the <h1> often holds a longer title than ArticleTitle);
    -1 if none."""
    after = [(i, line) for i, line in enumerate(lines) if i > crumb_at]
    named = next((i for i, line in after if line.text == page_title), -1)
    if named >= 0:
        return named
    return next((i for i, line in after[:12] if line.rank <= 7 and len(line.text) <= 120
                 and line.link_chars * 2 < len(line.text) and not is_crumb_line(line.text)), -1)


def is_trailer(text: str) -> bool:
    """A block of page furniture after the text (【打印本页】, 上一篇：…, 分享到：微信 微博): it starts with such a word
    standing apart, or is little else and no sentence. '授课老师还分享到了经验，……', '上一条建议办理完毕后，……' and
    the caption '图为群众扫一扫二维码联系代表' are the article's own."""
    found = TRAILER.search(text)
    if found is None:
        return False
    after = text[found.end():found.end() + 1]
    if found.start() <= len(text) - len(text.lstrip("[]【】（(|｜·• 　")) and not after.isalnum():
        return True
    rest = re.sub(r"\W", "", TRAILER.sub("", text))  # 收藏 | 打印本页 | 关闭 -> 收藏关闭; a caption keeps its words
    return not SENTENCE_MARKS.search(text) and len(rest) <= 8


def editors_line(meta: Meta) -> str:
    """The last line of a body: （责任编辑：张三　审核：李四）, or '' when the page names no editor."""
    return "（" + "　".join(meta.editors) + "）" if meta.editors else ""


def _join(blocks: list, meta: Meta) -> str:
    parts = [to_markdown(block) for block in blocks]
    parts.append(editors_line(meta))
    return "\n\n".join(p for p in parts if p.strip()) + "\n"


def extract_text(text: str) -> Extracted:
    """A page saved as text (the seed's form): crumb line, title lines, meta line, then paragraphs."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = _unwrapped(raw)
    rows = _tab_rows(raw)
    numbered = [(i, line) for i, line in enumerate(lines) if line]
    if not numbered:
        return Extracted("failed", say("the file is empty"))
    crumbs: tuple[str, ...] = ()
    start = 0
    # the crumb line, under the site's name, menu and clock when the whole page was selected and copied
    crumb_at = next((n for n, (_, line) in enumerate(numbered[:TEXT_HEAD]) if is_crumb_line(line)
                     and len(line) <= 120), -1)
    if crumb_at >= 0:
        crumbs = split_crumbs(numbered[crumb_at][1])
        start = crumb_at + 1
    meta_at = next((n for n in range(start + 1, min(len(numbered), start + 8)) if _head_meta(numbered, start, n)), -1)
    if meta_at < 0:
        return _date_above_text(numbered, start, crumbs, rows) or _foot_text(numbered, start, crumbs, rows) or Extracted(
            "failed", say("no date line (发布时间：…) under a title in the first lines"))
    parts = [numbered[meta_at][1]]
    first = meta_at
    while first - 1 > start and is_meta_part(numbered[first - 1][1]):  # 作者：… on a line of its own
        first -= 1
        parts.insert(0, numbered[first][1])
    last = meta_at
    while last + 1 < len(numbered) and last < meta_at + 3 and is_meta_part(numbered[last + 1][1]):
        last += 1
        parts.append(numbered[last][1])
    candidates = [(line, 9) for _, line in numbered[max(start, first - 3): first]
                  if not _menu_line(line) and not _only_toolbar(line)]
    while len(candidates) > 1 and SITE_NAME.fullmatch(candidates[0][0]):
        candidates.pop(0)  # the site's name under the crumbs (眉县人大常委会), above the article's title
    if len(candidates) == 2 and TITLE_END.search(candidates[0][0] + candidates[1][0]) \
            and not TITLE_END.search(candidates[0][0]) and not candidates[1][0].startswith(("——", "--", "—")):
        candidates = [(candidates[0][0] + candidates[1][0], 9)]  # a long title over two lines: …人民代表大会 / 第五次会议的决定
    lead, title, subtitle = _title_parts(candidates, "")
    if not title:
        return Extracted("failed", say("a date line but no title above it"))
    meta = parse_meta(" ".join(parts))
    blocks, _ = _trim(_text_body(numbered[last + 1:], rows), set(), "")
    if not blocks:
        return Extracted("failed", say("no article text under the date line"))
    return Extracted("article", title=title, subtitle=" ".join(p for p in (lead, subtitle) if p).strip(), meta=meta,
                     crumbs=crumbs, has_crumbs=bool(crumbs), markdown=_join(blocks, meta))


# A line that is only an office's or a site's name: 眉县人大常委会, 眉县人民代表大会常务委员会, 眉县人大网.
SITE_NAME = re.compile(r"[\u4e00-\u9fff]{1,12}(?:人大常委会|人民代表大会常务委员会|人大|人大网|人大常委会办公室|门户网站|网)")
# How the title of an official document ends: 关于……的通知 (决定, 公告 …).
TITLE_END = re.compile(r"(?:通知|决定|公告|决议|报告|意见|办法|规定|条例|公示|通报|批复|方案|纪要|通告|函)$")
TEXT_HEAD = 15  # lines of a text page in which its crumb line is looked for (under a copied header and menu)
EVENT_LABEL = re.compile(rf"(?:{'|'.join(EVENT_WORDS)})(?:时间|日期)\s*[:：]")


PARAGRAPH_ENDS = ("。", "！", "？", "；", "：", "”", "」", "』", "）", ")", "…", ".", "!", "?")
INDENTS = (" ", "\t", "\u3000", "\xa0")


def _unwrapped(raw: list[str]) -> list[str]:
    """A text page's lines, cleaned, with the hard wraps of its paragraphs undone (a browser's 'save as text' wraps
    long lines): where paragraphs start indented, an unindented line under a long one that ends mid-sentence
    continues it (and is left empty, so every line keeps its number)."""
    lines = [clean_text(line) for line in raw]
    starts = [bool(line) and original.startswith(INDENTS) for original, line in zip(raw, lines)]
    if sum(starts) < 2:
        return lines
    out: list[str] = []
    last, in_paragraph = -1, False
    for line, start in zip(lines, starts):
        if line and not start and in_paragraph and len(out[last]) >= 30 and not out[last].endswith(PARAGRAPH_ENDS):
            space = " " if out[last][-1].isascii() and line[0].isascii() else ""
            out[last] += space + line
            out.append("")
            continue
        out.append(line)
        if line:
            last, in_paragraph = len(out) - 1, start
        else:
            in_paragraph = False
    return out


def _menu_line(text: str) -> bool:
    """A site's menu copied as one line: 网站首页 | 人大要闻 | 代表工作 | 监督工作."""
    entries = [entry.strip() for entry in WEAK_SEPARATORS.split(text)]
    return len(entries) >= 4 and all(0 < len(entry) <= 8 for entry in entries)


def _head_meta(numbered: list[tuple[int, str]], start: int, at: int) -> bool:
    """Whether line `at` is the date line under a text page's title: a date, not the clock of a page header
    (今天是…星期五) nor an event's (会议时间：…); a bare date (a notice's signature date) only right under the
    title lines; no line above it back to the title a sentence or a salutation (各代表团：)."""
    line = numbered[at][1]
    if not looks_like_meta(line) or _clock(line) or EVENT_LABEL.search(to_halfwidth(line)):
        return False
    if not has_label(line) and at - start > 3:
        return False
    return not any(_sentence(above) or above.endswith(("：", ":", "。"))
                   for _, above in numbered[max(start, at - 3):at])


def _date_above_text(numbered: list[tuple[int, str]], start: int, crumbs: tuple[str, ...],
                     rows: dict[int, list[str]]) -> Extracted | None:
    """A text page whose date stands above its title: 2019-11-08, the title, 来源：… 作者：…, then paragraphs."""
    if start + 2 >= len(numbered) or not BARE_DATE.fullmatch(to_halfwidth(numbered[start][1])):
        return None
    title = numbered[start + 1][1]
    if len(title) > 120 or _sentence(title) or looks_like_meta(title):
        return None
    parts, at = [numbered[start][1]], start + 2
    while at < len(numbered) and is_meta_part(numbered[at][1]):
        parts.append(numbered[at][1])
        at += 1
    meta = parse_meta(" ".join(parts)) if len(parts) > 1 else Meta(find_date(parts[0])[0])
    blocks, _ = _trim(_text_body(numbered[at:], rows), set(), "")
    if not meta.date or not blocks:
        return None
    return Extracted("article", title=title, meta=meta, crumbs=crumbs, has_crumbs=bool(crumbs),
                     markdown=_join(blocks, meta))


def _foot_text(numbered: list[tuple[int, str]], start: int, crumbs: tuple[str, ...],
               rows: dict[int, list[str]]) -> Extracted | None:
    """A text page whose date line is at its foot: title line, paragraphs, then 发布日期：… or （2019年11月8日）."""
    if start >= len(numbered) or len(numbered[start][1]) > 120 or looks_like_meta(numbered[start][1]):
        return None
    title, prose = numbered[start][1], 0
    for at in range(start + 1, len(numbered)):
        line = numbered[at][1]
        if prose >= FOOT_PROSE_MIN and len(line) <= 80 and not EVENT_LABEL.search(to_halfwidth(line)) and (
                looks_like_meta(line) and has_label(line) or BARE_DATE.fullmatch(to_halfwidth(line))
                or CHINESE_DATE.fullmatch(line.strip("（）() "))):  # 二〇一九年十一月八日 under a notice
            labelled = has_label(line)
            meta = parse_meta(line) if labelled else Meta(find_date(line)[0])
            if not meta.date:
                return None
            blocks, _ = _trim(_text_body(numbered[start + 1: at if labelled else at + 1], rows), set(), "")
            return Extracted("article", title=title, meta=meta, crumbs=crumbs, has_crumbs=bool(crumbs),
                             markdown=_join(blocks, meta), rule=foot_date_rule(line))
        prose += len(line)
    return None


def _tab_rows(raw: list[str]) -> dict[int, list[str]]:
    """Line number -> cells, for the lines of two or more tab-separated cells (a table pasted as text)."""
    rows = {}
    for number, line in enumerate(raw):
        cells = [clean_text(cell) for cell in line.strip().split("\t")]
        if len(cells) >= 2 and all(cells):
            rows[number] = cells
    return rows


def _text_body(entries: list[tuple[int, str]], rows: dict[int, list[str]]) -> Body:
    """A text page's body lines as paragraphs; two or more consecutive lines of as many tab-separated cells as a
    table (序号<TAB>承办单位<TAB>件数)."""
    converter = Converter(False)
    at = 0
    while at < len(entries):
        number, line = entries[at]
        run = 1
        while number in rows and at + run < len(entries) and entries[at + run][0] == number + run \
                and len(rows.get(number + run, ())) == len(rows[number]):
            run += 1
        if run >= 2:
            table = lxml.html.fromstring("<table>" + "".join(
                "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in rows[entries[at + k][0]]) + "</tr>"
                for k in range(run)) + "</table>")
            converter.table(table)
            at += run
            continue
        converter.paragraph(escape(line))
        at += 1
    return converter.body

