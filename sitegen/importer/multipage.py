"""Import stage: an article split over several pages (show.asp?id=7&page=2, 123_2.html, t20191108_55_1.html)
joined into one, its pages in order and every page's old address kept."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from ..redirects import redirect_key
from .classify import PAGE_PARAMS
from .extract import Extracted, editors_line

# The later pages of a path: 123_2.html, 123-2.html, t20191108_55_1.html (the first page is the bare name).
PAGE_SUFFIX = re.compile(r"^(?P<stem>.+?)[_-](?P<n>[1-9]\d?)(?P<ext>\.[A-Za-z]{2,6})$")
TITLE_SUFFIX = re.compile(r"\s*(?:[（(]\s*(?:第?\s*\d+\s*(?:/\s*\d+)?\s*页?|续)\s*[)）]|第\s*\d+\s*页)$")
REF = re.compile(r"\x00(\d+)\x00")


@dataclass(frozen=True, slots=True)
class Joined:
    """One article: its first page's outcome, the whole article's fields and body, and all its pages."""

    outcome: object  # run.PageOutcome of the first page
    extracted: Extracted
    pages: tuple  # SavedFile of every page, first page first
    missing: tuple[str, ...] = ()  # later pages its pager links to that the saved copy lacks


def page_of(address: str) -> tuple[str, int]:
    """(the key of the article's first page, this page's number: 0 for a first page); a query parameter page=2
    or a name ending in _2 marks a later page."""
    path, _, query = address.partition("?")
    if query:
        kept, number = [], 0
        for part in query.split("&"):
            name, _, value = part.partition("=")
            if name.lower() in PAGE_PARAMS and value.isdigit() and not number:
                number = int(value)
            else:
                kept.append(part)
        if number >= 2:  # page=1 is the first page under a second address: a duplicate, merged later
            return redirect_key(path + ("?" + "&".join(kept) if kept else "")), number
        return redirect_key(address), 0
    folder, _, name = path.rpartition("/")
    match = PAGE_SUFFIX.match(name)
    if match:
        return redirect_key(f"{folder}/{match['stem']}{match['ext']}"), int(match["n"])
    return redirect_key(address), 0


def _same_article(first: Extracted, later: Extracted) -> bool:
    same_title = TITLE_SUFFIX.sub("", first.title) == TITLE_SUFFIX.sub("", later.title)
    same_day = not later.meta.date or later.meta.date[:10] == first.meta.date[:10]
    return same_title and same_day


def join_pages(outcomes: list) -> list[Joined]:
    """Articles in their pages' order; later pages of one article (same host, same first page, same title and
    day) joined to their first page."""
    firsts: dict[tuple[str, str], object] = {}
    later: dict[tuple[str, str], list] = {}
    for outcome in outcomes:
        saved = outcome.saved
        if not saved.address:
            firsts[(saved.rel, "")] = outcome
            continue
        key, number = page_of(saved.address)
        if number:
            later.setdefault((saved.host, key), []).append((number, outcome))
        else:
            firsts[(saved.host, redirect_key(saved.address))] = outcome
    joined: dict[int, Joined] = {}
    taken = set()
    for key, pages in later.items():
        first = firsts.get(key)
        pages = sorted(pages, key=lambda p: (p[0], p[1].saved.rel))
        members = [outcome for _, outcome in pages if first is not None and
                   _same_article(first.extracted, outcome.extracted)]
        if members:
            joined[id(first)] = _joined(first, members)
            taken.update(id(m) for m in members)
    result = []
    for outcome in outcomes:
        if id(outcome) in taken:
            continue
        result.append(joined.get(id(outcome)) or Joined(outcome, outcome.extracted, (outcome.saved,)))
    return [dataclasses.replace(j, missing=_missing_pages(j)) for j in result]


def _joined(first, members: list) -> Joined:
    """The first page's fields; the bodies one after another (link references renumbered); the editors' line
    (责任编辑：…) once, at the end."""
    pages = [first, *members]
    bodies, refs, notes = [], [], []
    for number, outcome in enumerate(pages):
        extracted = outcome.extracted
        body = extracted.markdown
        tail = editors_line(extracted.meta)
        if tail and number < len(pages) - 1 and body.rstrip("\n").endswith(tail):
            body = body.rstrip("\n")[: -len(tail)]
        offset = len(refs)
        bodies.append(REF.sub(lambda m: f"\x00{int(m.group(1)) + offset}\x00", body).strip("\n"))
        refs += extracted.refs
        notes += extracted.notes
    base = first.extracted
    meta = base.meta if base.meta.date else dataclasses.replace(base.meta, date=next(
        (m.extracted.meta.date for m in members if m.extracted.meta.date), ""))
    extracted = dataclasses.replace(base, markdown="\n\n".join(b for b in bodies if b) + "\n", refs=tuple(refs),
                                    notes=tuple(dict.fromkeys(notes)), meta=meta,
                                    pager=tuple(h for p in pages for h in p.extracted.pager))
    return Joined(first, extracted, tuple(p.saved for p in pages))


def _missing_pages(joined: Joined) -> tuple[str, ...]:
    """Later pages of this article that its pager links to but that are not among its pages."""
    first = joined.pages[0]
    if not first.address or not joined.extracted.pager:
        return ()
    key = page_of(first.address)[0]
    have = {redirect_key(p.address) for p in joined.pages}
    missing = []
    for href in joined.extracted.pager:
        parts = urlsplit(urljoin(f"http://{first.host or 'old-site.invalid'}{first.address}", href))
        address = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        other_key, number = page_of(address)
        if number and other_key == key and redirect_key(address) not in have:
            missing.append(address)
    return tuple(dict.fromkeys(missing))
