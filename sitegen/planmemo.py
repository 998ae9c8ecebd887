"""Stage 6c: plan only what an edit can change. Each page's inputs are computed once with the articles they read
recorded; while the site's shape is the same, a later build recomputes only the pages that read a changed article."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from types import MappingProxyType
from typing import Callable, NamedTuple

from . import kinds
from .keys import page_keys, value_digest
from .model import Page, Site
from .recording import Recording, Watched


@dataclass(frozen=True, slots=True)
class PlanMemo:
    """What the last plan found: its shape, each page's key and the articles its inputs read, by page."""

    shape: bytes
    keys: tuple[bytes, ...]
    digests: tuple[str, ...]  # each article's digest, by index
    reads: tuple[tuple[int, ...], ...]  # by page: indices of the articles (or their list entries) it read


def shape_of(epoch: bytes, site: Site, pages: tuple[Page, ...], lookups, pages_digest: bytes | None = None) -> bytes:
    """A digest of everything in the plan but the articles themselves: the epoch, the pages, and every field of
    the site and of the lookups, read from their dataclass fields (a field added to Site is in the shape as soon
    as it exists). Of the articles and their list entries only which is where counts: what a page reads of them
    is recorded (recorded_inputs). Two plans of the same shape differ only in articles."""
    return value_digest((epoch, pages_digest or digest_of_pages(pages), [a.id for a in site.articles],
                         [plain(value) for value in shape_parts(site, lookups)]))


def shape_parts(site: Site, lookups) -> list:
    """The fields of the site and of the lookups that make the shape: all but the articles and their entries."""
    return [getattr(site, f.name) for f in dataclasses.fields(site) if f.name not in RECORDED] + \
        [getattr(lookups, f.name) for f in dataclasses.fields(lookups) if f.name not in RECORDED]


RECORDED = ("articles", "items")  # read through a Recording: each page's reads of them are known


def plain(value):
    """A value as plain tables for a digest: read-only mappings as dicts, model objects as their digest."""
    if type(value) is MappingProxyType or type(value) is dict:
        return {key: plain(item) for key, item in value.items()}
    if type(value) is tuple and value and hasattr(value[0], "digest"):
        return [plain(item) for item in value]
    digest = getattr(value, "digest", None)
    return digest if isinstance(digest, str) and digest else value


@dataclass(frozen=True, slots=True)
class ShapeMemo:
    parts: tuple  # what the shape was made of, compared by identity (else by value)
    shape: bytes


def remembered_shape(epoch: bytes, site: Site, pages: tuple[Page, ...], lookups, pages_digest: bytes,
                     memo: ShapeMemo | None) -> tuple[bytes, ShapeMemo]:
    """shape_of, and its memo: the last shape while everything it is made of is the very same objects (a site
    whose tables were kept, the same sitemap) or equal values."""
    parts = (epoch, pages_digest, *shape_parts(site, lookups))
    if memo is not None and len(memo.parts) == len(parts) and all(
            new is old or new == old for new, old in zip(parts, memo.parts)):
        return memo.shape, memo
    shape = shape_of(epoch, site, pages, lookups, pages_digest)
    return shape, ShapeMemo(parts, shape)


def digest_of_pages(pages: tuple[Page, ...]) -> bytes:
    return value_digest([(p.kind, p.out, p.owner, p.key, p.folder, p.index, p.number, p.count) for p in pages])


class Seen(NamedTuple):
    """What the inputs functions see: the site, its pages, the per-build lookups and the links' settings."""

    site: Site
    pages: tuple
    lookups: object
    links: object


def recorded_inputs(seen: Seen, numbers) -> tuple[list, list[tuple[int, ...]]]:
    """The inputs of the pages at `numbers`, and for each the indices of the articles its inputs function read
    (through site.articles or the list entries in lookups.items)."""
    read: set[int] = set()
    watched = dataclasses.replace(seen.site, articles=Recording(seen.site.articles, read))
    watched_lookups = dataclasses.replace(seen.lookups, items=Recording(seen.lookups.items, read))
    inputs, reads = [], []
    for number in numbers:
        page = seen.pages[number]
        read.clear()
        inputs.append(kinds.BY_NAME[page.kind].inputs(watched, page, watched_lookups, seen.links))
        reads.append(tuple(sorted(read)))
    return inputs, reads


@dataclass(frozen=True, slots=True)
class Plan:
    inputs: tuple  # None where a page's inputs were not needed (its key came from the memo)
    keys: tuple[bytes, ...]
    memo: PlanMemo
    recomputed: int  # pages whose inputs were computed


def plan_pages_inputs(epoch: bytes, seen: Seen, memo: PlanMemo | None, keys_of: Callable | None = None,
                      shape: bytes | None = None) -> Plan:
    """Every page's key; inputs only for pages that may have changed since `memo` (all, without one).
    `keys_of(pages, inputs)` computes keys (in worker processes, say); page_keys by default. `shape`:
    shape_of(...) if known already."""
    site, pages, lookups, links = seen
    keys_of = keys_of or (lambda some_pages, some_inputs: page_keys(lambda page: epoch, some_pages, some_inputs))
    shape = shape or shape_of(epoch, site, pages, lookups)
    digests = tuple(a.digest for a in site.articles)
    usable = (memo is not None and memo.shape == shape and len(memo.keys) == len(pages)
              and len(memo.digests) == len(digests) and all(digests))
    if usable:
        changed = {i for i, (old, new) in enumerate(zip(memo.digests, digests)) if old != new}
        todo = [n for n, read in enumerate(memo.reads) if not changed.isdisjoint(read)] if changed else []
    else:
        todo = list(range(len(pages)))
    fresh, reads = recorded_inputs(seen, todo)
    fresh_keys = keys_of([pages[n] for n in todo], fresh) if todo else []
    if usable:
        inputs, keys, all_reads = [None] * len(pages), list(memo.keys), list(memo.reads)
    else:
        inputs, keys, all_reads = [None] * len(pages), [b""] * len(pages), [()] * len(pages)
    for number, value, key, read in zip(todo, fresh, fresh_keys, reads):
        inputs[number], keys[number], all_reads[number] = value, key, read
    return Plan(tuple(inputs), tuple(keys), PlanMemo(shape, tuple(keys), digests, tuple(all_reads)), len(todo))


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
    """Every field of the site but its articles, with the list size and the assets: what planning reads besides
    the article fields it is seen reading. The tables themselves, not copies: a site whose tables were kept
    (site.remembered_site) compares equal at once, by identity."""
    return (per_page, assets, *(getattr(site, f.name) for f in dataclasses.fields(site) if f.name != "articles"))


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
