"""Import stage: a page's links to dated articles (in table rows, list items, plain divs or lines), the structure
that tells a list page from an article whatever its markup."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from .fields import find_date, to_halfwidth
from .htmltext import Line, clean_text

# A date in a link's address: /2019-11/08/content_1.htm, t20191108_55.html, /201911/...
URL_DATE = re.compile(r"(?<!\d)(?:19|20)\d\d[-_/]?(?:0[1-9]|1[0-2])(?:[-_/]?(?:0[1-9]|[12]\d|3[01]))?(?!\d)")
# A day without its year, as lists show it: 11-08, [11/08], 11月08日.
SHORT_DATE = re.compile(r"(?<![\d.])(?:0?[1-9]|1[0-2])\s*(?:-|/|\.|月)\s*(?:0?[1-9]|[12]\d|3[01])\s*日?(?![\d.])")
FILE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".svg", ".pdf", ".doc", ".docx", ".xls", ".xlsx",
                   ".ppt", ".pptx", ".zip", ".rar", ".7z", ".wps", ".et", ".ofd", ".mp3", ".mp4", ".txt", ".csv")
NOT_PAGES = ("#", "javascript:", "mailto:", "tel:", "vbscript:", "data:")
PAGER_WORDS = re.compile(r"下一页|上一页|下页|上页|尾页|末页|前一页|后一页|共\s*\d+\s*页|第\s*\d+\s*页|页次|\d+\s*/\s*\d+\s*页"
                         r"|转到第|跳转到|分页")
PAGE_PARAMS = ("page", "pageno", "pagenum", "pn", "p", "curpage", "cp", "ipage", "articlepage", "page_no",
               "pageindex", "currentpage", "pg", "nowpage")
PAGING_QUERY = re.compile(r"[?&](?:%s)=\d+(?:&|#|$)" % "|".join(PAGE_PARAMS), re.I)
TITLE_MIN = 4  # a link's text shorter than this is a menu entry (首页, 更多, 下一页), not an article's title
ITEM_TEXT_MAX = 400  # an item with more text than this beside its link is a paragraph that happens to hold one
CLIMB = 6  # how far above a link an item may reach (li > div > a, tr > td > span > a)


@dataclass(frozen=True, slots=True)
class Item:
    """One link to a dated article: the link, and the element that holds it and nothing else of the list."""

    link: object
    element: object
    href: str


@dataclass(frozen=True, slots=True)
class Listing:
    items: tuple[Item, ...]  # in document order
    largest: int  # items sharing one parent (or one grandparent: lists split into several <ul>)
    paged: bool  # the page has a pager (下一页, 共5页, links with page=2)
    owner: dict  # every element inside an item -> the item's element, to tell the lines of the list


def _page_link(href: str) -> bool:
    """A link to a page (not a picture, an attachment, a script or an anchor)."""
    lower = href.lower()
    return bool(href) and not lower.startswith(NOT_PAGES) and \
        not lower.partition("#")[0].partition("?")[0].endswith(FILE_EXTENSIONS)


def has_date(text: str) -> bool:
    plain = to_halfwidth(text)
    return bool(find_date(plain)[0]) or SHORT_DATE.search(plain) is not None


def listing(body, sizes: dict) -> Listing:
    """Every link to a dated article on the page: a link whose text is a title, standing in an item (the largest
    element around it that holds no other such link and little other text) with a date beside it or in its
    address. `sizes`: htmltext.density(body)."""
    links = []
    paged = False
    for link in body.iter("a"):
        href = (link.get("href") or "").strip()
        if not _page_link(href):
            continue
        raw = link.text_content()
        paged = paged or PAGER_WORDS.search(raw) is not None or "=" in href and PAGING_QUERY.search(href) is not None
        if len(raw) < TITLE_MIN and not raw.isspace() and raw:  # a menu entry (首页, 更多): no title
            continue
        text = clean_text(raw) or clean_text(link.get("title") or "")
        if len(text) >= TITLE_MIN:
            links.append((link, href, text))
    holders: dict = {}  # element -> the hrefs of the title links under it (up to CLIMB levels)
    for link, href, _ in links:
        node = link.getparent()
        for _ in range(CLIMB):
            if node is None:
                break
            holders.setdefault(node, set()).add(href)
            node = node.getparent()
    items = []
    for link, href, text in links:
        element, node = link, link.getparent()
        while node is not None and node is not body and len(holders.get(node, ())) == 1 \
                and sum(sizes.get(node, (0, 0))) <= len(text) + ITEM_TEXT_MAX and not _holds_heading(node, link):
            element, node = node, node.getparent()
        if _dated(link, element, href, text):
            items.append(Item(link, element, href))
    groups: dict = {}
    for item in items:
        parent = item.element.getparent()
        groups.setdefault(parent, set()).add(item.href)
        above = parent.getparent() if parent is not None else None
        if above is not None:
            groups.setdefault(above, set()).add(item.href)
    largest = max((len(hrefs) for hrefs in groups.values()), default=0)
    items = [item for item in items if len(groups[item.element.getparent()]) >= 2  # a list has several entries
             or len(groups.get(item.element.getparent().getparent(), ())) >= 2]
    owner = {node: item.element for item in items for node in item.element.iter()}
    return Listing(tuple(items), largest, paged, owner)


def _holds_heading(node, link) -> bool:
    """Whether `node` holds a heading other than the link's own: then it is a page's article (its title and date
    line, a crumb or sidebar link beside them), never one entry of a list."""
    return any(link not in heading.iter() for heading in node.iter("h1", "h2", "h3"))


def _dated(link, element, href: str, text: str) -> bool:
    beside = ""
    if element is link:  # links one per line (<br>), the date after each; a link inside a sentence is none
        previous = link.getprevious()
        before = (previous.tail if previous is not None else link.getparent().text) or ""
        if len(clean_text(before)) > 20:
            return False
        beside = link.tail or ""
        following = link.getnext()
        if following is not None and following.tag not in ("a", "br"):
            beside += following.text_content() + (following.tail or "")
        beside = beside[:40]
    if URL_DATE.search(urlsplit(href).path):
        return True
    plain = to_halfwidth(text)
    found, _, end = find_date(plain)
    if found and end >= len(plain) - 2:  # 'title 2019-11-08' inside the link
        return True
    if element is link:
        return has_date(beside)
    rest = clean_text(element.text_content()).replace(text, "", 1)
    return len(rest) <= ITEM_TEXT_MAX and has_date(rest)


def item_line(line: Line, found: Listing) -> bool:
    """A line of the list: inside an item, or a line of links with a date on it (links one per line)."""
    return line.block in found.owner or line.link_chars * 2 >= len(line.text) and line.link_chars > 0 \
        and has_date(line.text)


def pager_line(text: str) -> bool:
    """A line that is only a pager: 共5页 第1页 上一页 1 2 3 下一页 尾页."""
    if not PAGER_WORDS.search(text):
        return False
    rest = PAGER_WORDS.sub("", text)
    rest = re.sub(r"共\s*\d+\s*(?:条|篇|项|个)?(?:记录|信息|文章|新闻)?|每页\s*\d+\s*(?:条|篇)?|\d+\s*(?:条|篇)/页|首页|"
                  r"[\d\s\[\]【】()（）|/·.…»«<>:：,，]|GO|go|确定", "", rest)
    return len(rest) <= 4
