"""Stage 6c: plan only what an edit can change. Each page's inputs are computed once with the articles they read
recorded; while the site's shape is the same, a later build recomputes only the pages that read a changed article."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Callable

from . import kinds
from .keys import page_keys, value_digest
from .model import Page, Site


class Recording(tuple):
    """A tuple that notes in `seen` the indices of the items read from it (one by one, by slice, or all)."""

    def __new__(cls, items, seen: set):
        made = super().__new__(cls, items)
        made.seen = seen
        return made

    def __getitem__(self, at):
        if isinstance(at, slice):
            self.seen.update(range(*at.indices(len(self))))
        else:
            self.seen.add(at % len(self) if at < 0 else at)
        return tuple.__getitem__(self, at)

    def __iter__(self):
        self.seen.update(range(len(self)))
        return tuple.__iter__(self)

    def __contains__(self, value):
        self.seen.update(range(len(self)))
        return tuple.__contains__(self, value)

    def index(self, *args):
        self.seen.update(range(len(self)))
        return tuple.index(self, *args)

    def count(self, value):
        self.seen.update(range(len(self)))
        return tuple.count(self, value)


@dataclass(frozen=True, slots=True)
class PlanMemo:
    """What the last plan found: its shape, each page's key and the articles its inputs read, by page."""

    shape: bytes
    keys: tuple[bytes, ...]
    digests: tuple[str, ...]  # each article's digest, by index
    reads: tuple[tuple[int, ...], ...]  # by page: indices of the articles (or their list entries) it read


def shape_of(epoch: bytes, site: Site, pages: tuple[Page, ...], lookups, pages_digest: bytes | None = None) -> bytes:
    """A digest of everything in the plan but the articles themselves: the epoch, the pages, every table of the
    site (which article is where, by index), the sections and the per-build lookups. Two plans of the same
    shape differ only in articles, whose reads are recorded. `pages_digest`: digest_of_pages(pages), if known."""
    pictures = [(rel, p.width, p.height, [(v.width, v.height, v.mime, v.out) for v in p.variants])
                for rel, p in sorted(lookups.pictures.items())]
    material = (epoch, pages_digest or digest_of_pages(pages), [a.id for a in site.articles],
                [(key, s.digest or _values(s)) for key, s in site.sections.items()], index_tables(site),
                [p.digest or _values(p) for p in site.standalones], [(n, d.digest) for n, d in site.data.items()],
                lookups.year_months, lookups.sitemap, pictures)
    return value_digest(material)


def remembered_shape(epoch: bytes, site: Site, pages: tuple[Page, ...], lookups, pages_digest: bytes,
                     memo: tuple | None) -> tuple[bytes, tuple]:
    """shape_of for 'serve', and its memo: the last shape while everything it is made of is the very same
    objects (a site whose tables were kept, the same sitemap and pictures) or equal bytes."""
    parts = (epoch, pages_digest, site.sections, *_tables(site), site.standalones, site.data, lookups.sitemap,
             lookups.pictures)
    if memo is not None and len(memo[0]) == len(parts) and all(
            new is old or (isinstance(new, bytes) and new == old) for new, old in zip(parts, memo[0])):
        return memo[1], memo
    shape = shape_of(epoch, site, pages, lookups, pages_digest)
    return shape, (parts, shape)


def _tables(site: Site) -> tuple:
    return site.children, site.by_section, site.own, site.neighbours, site.tags, site.months, site.years


def index_tables(site: Site) -> tuple:
    """The site's tables of article indices: which article is where."""
    return tuple(dict(table) for table in _tables(site))


def digest_of_pages(pages: tuple[Page, ...]) -> bytes:
    return value_digest([(p.kind, p.out, p.owner, p.key, p.folder, p.index, p.number, p.count) for p in pages])


def _values(obj) -> tuple:
    return tuple([getattr(obj, name) for name in obj.__dataclass_fields__])


def recorded_inputs(site: Site, pages, numbers, lookups, links) -> tuple[list, list[tuple[int, ...]]]:
    """The inputs of the pages at `numbers`, and for each the indices of the articles its inputs function read
    (through site.articles or the list entries in lookups.items)."""
    seen: set[int] = set()
    watched = dataclasses.replace(site, articles=Recording(site.articles, seen))
    watched_lookups = dataclasses.replace(lookups, items=Recording(lookups.items, seen))
    inputs, reads = [], []
    for number in numbers:
        page = pages[number]
        seen.clear()
        inputs.append(kinds.BY_NAME[page.kind].inputs(watched, page, watched_lookups, links))
        reads.append(tuple(sorted(seen)))
    return inputs, reads


@dataclass(frozen=True, slots=True)
class Plan:
    inputs: tuple  # None where a page's inputs were not needed (its key came from the memo)
    keys: tuple[bytes, ...]
    memo: PlanMemo
    recomputed: int  # pages whose inputs were computed


def plan_pages_inputs(epoch: bytes, site: Site, pages: tuple[Page, ...], lookups, links, memo: PlanMemo | None,
                      keys_of: Callable | None = None, pages_digest: bytes | None = None,
                      shape: bytes | None = None) -> Plan:
    """Every page's key; inputs only for pages that may have changed since `memo` (all, without one).
    `keys_of(pages, inputs)` computes keys (in worker processes, say); page_keys by default. `shape`:
    shape_of(...) if known already."""
    keys_of = keys_of or (lambda some_pages, some_inputs: page_keys(lambda page: epoch, some_pages, some_inputs))
    shape = shape or shape_of(epoch, site, pages, lookups, pages_digest)
    digests = tuple(a.digest for a in site.articles)
    usable = (memo is not None and memo.shape == shape and len(memo.keys) == len(pages)
              and len(memo.digests) == len(digests) and all(digests))
    if usable:
        changed = {i for i, (old, new) in enumerate(zip(memo.digests, digests)) if old != new}
        todo = [n for n, read in enumerate(memo.reads) if not changed.isdisjoint(read)] if changed else []
    else:
        todo = list(range(len(pages)))
    fresh, reads = recorded_inputs(site, pages, todo, lookups, links)
    fresh_keys = keys_of([pages[n] for n in todo], fresh) if todo else []
    if usable:
        inputs, keys, all_reads = [None] * len(pages), list(memo.keys), list(memo.reads)
    else:
        inputs, keys, all_reads = [None] * len(pages), [b""] * len(pages), [()] * len(pages)
    for number, value, key, read in zip(todo, fresh, fresh_keys, reads):
        inputs[number], keys[number], all_reads[number] = value, key, read
    return Plan(tuple(inputs), tuple(keys), PlanMemo(shape, tuple(keys), digests, tuple(all_reads)), len(todo))


class Watched:
    """An object seen through: notes in `names` the name of every field read from it."""

    __slots__ = ("_target", "_names")

    def __init__(self, target, names: set):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_names", names)

    def __getattr__(self, name):
        self._names.add(name)
        return getattr(self._target, name)


@dataclass(frozen=True, slots=True)
class PagesMemo:
    """The last list of pages, with what it was made from: the site's tables and the article fields it read."""

    tables: tuple
    names: tuple[str, ...]  # the article fields the planner read
    values: list  # by article: those fields' values
    pages: tuple
    problems: tuple
    digest: bytes  # digest_of_pages(pages)
    articles: tuple = ()  # the articles those values are of


def site_tables(site: Site, per_page: int, assets: tuple[str, ...]) -> tuple:
    """The tables themselves, not copies: a site whose tables serve kept (site.remembered_site) compares equal
    at once, by identity."""
    return (per_page, assets, site.sections, site.children, site.by_section, site.own, site.neighbours, site.tags,
            site.months, site.years, site.standalones)


def remembered_pages(plan: Callable, site: Site, per_page: int, assets: tuple[str, ...],
                     memo: PagesMemo | None) -> tuple[tuple, tuple, PagesMemo]:
    """plan(site, per_page, assets) -> (pages, problems), made again only when the site's tables or the article
    fields the last run read have changed (an edit of an article's text changes neither)."""
    tables = site_tables(site, per_page, assets)
    if memo is not None and memo.tables == tables and len(memo.articles) == len(site.articles):
        values = [value if new is old else tuple([getattr(new, name) for name in memo.names])
                  for new, old, value in zip(site.articles, memo.articles, memo.values)]  # only edited ones read
        if values == memo.values:
            return memo.pages, memo.problems, dataclasses.replace(memo, articles=site.articles)
    names: set[str] = set()
    watched = dataclasses.replace(site, articles=tuple(Watched(a, names) for a in site.articles))
    pages, problems = plan(watched, per_page, assets)
    order = tuple(sorted(names))
    values = [tuple([getattr(a, name) for name in order]) for a in site.articles]
    return pages, problems, PagesMemo(tables, order, values, pages, problems, digest_of_pages(pages), site.articles)
