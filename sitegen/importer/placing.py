"""Import stage: the file each article goes to: the one an earlier run wrote for its pages (moved if its section
changed), an article the site or an earlier import from another copy already has, or a new unique name."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .record import Entry
from .slugs import article_slug, unique_slugs


@dataclass(frozen=True, slots=True)
class Article:
    """One article of this run: its copies (duplicates merged, each maybe of several pages) and its folder."""

    copies: tuple  # multipage.Joined, the copy whose fields are used first
    folder: str

    @property
    def lead(self):
        return self.copies[0]

    @property
    def pages(self) -> tuple:
        return tuple(page for joined in self.copies for page in joined.pages)

    @property
    def aliases(self) -> tuple[str, ...]:
        return tuple(sorted({page.address for page in self.pages if page.address}))

    @property
    def origins(self) -> tuple[str, ...]:
        return tuple(sorted({page.rel for page in self.pages}))

    @property
    def key(self) -> tuple[str, str]:
        return self.lead.extracted.title, self.lead.extracted.meta.date[:10]


@dataclass(slots=True)
class Placement:
    files: dict = field(default_factory=dict)  # article index -> file to write
    stays: dict = field(default_factory=dict)  # article index -> its earlier file, left as it is (edited, deleted)
    removals: dict = field(default_factory=dict)  # file -> 'move': an earlier file of a moved article
    moves: list = field(default_factory=list)  # (earlier file, new file)
    already: list = field(default_factory=list)  # (article index, file, URL): typed in by an editor
    earlier: list = field(default_factory=list)  # (article index, file): imported from another copy
    kept: list = field(default_factory=list)  # (file, why, details)
    touched: dict = field(default_factory=dict)  # file -> Entry: record updates of files not written


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def url_of(rel: str, content: str) -> str:
    """'content/a/b/slug.md' -> '/a/b/slug/'."""
    return "/" + rel[len(content) + 1: -len(".md")] + "/"


def folder_of_file(rel: str, content: str) -> str:
    return rel[len(content) + 1:].rpartition("/")[0]


def place(articles: list[Article], site: Path, content: str, record: dict, source: str, present: set,
          editors: dict, force: bool) -> Placement:
    """present: every .md file under content/ (site-relative); editors: (title, day) -> (file, URL) of the
    articles the site has that the importer did not write (or wrote before it recorded pages)."""
    placement = Placement()
    by_page = {page: rel for rel, entry in record.items() for page in entry.pages_from(source)}
    claimed: set[str] = set()
    pending, moved_from, wanted = [], {}, {}
    for index, article in enumerate(articles):
        earlier = sorted({by_page[rel] for rel in article.origins if rel in by_page})
        if not earlier:
            pending.append(index)
            continue
        claimed.update(earlier)
        other = next((rel for rel in earlier if record[rel].writer not in ("", source)), None)
        if other is not None:  # its text comes from another copy: this one only points at it
            placement.earlier.append((index, other))
            placement.touched[other] = record[other].with_pages(source, article.origins)
            if other not in present:
                placement.kept.append((other, "deleted", {}))
            continue
        alive = [rel for rel in earlier if rel in present]
        here = [rel for rel in earlier if folder_of_file(rel, content) == article.folder and (rel in alive or force)]
        if not alive and not force:  # the editor deleted it
            placement.stays[index] = earlier[0]
            placement.kept.append((earlier[0], "deleted", {}))
        elif here:
            placement.files[index] = here[0]
            moved_from[index] = [rel for rel in alive if rel != here[0]]
        elif [rel for rel in alive if file_digest(site / rel) != record[rel].digest] and not force:
            edited = next(rel for rel in alive if file_digest(site / rel) != record[rel].digest)
            placement.stays[index] = edited  # moving it would leave the editor's copy and a new one
            placement.kept.append((edited, "move-edited", {"to": f"{content}/{article.folder}/"}))
        else:
            moved_from[index] = alive
            wanted[index] = _wanted(article)
    by_title = {}
    for rel, entry in sorted(record.items()):
        if entry.title and entry.sources and rel not in claimed and not rel.endswith("/_index.md"):
            by_title.setdefault((entry.title, entry.day), rel)
    for index in pending:
        article = articles[index]
        want = _wanted(article)
        rel = f"{content}/{want[0]}/{want[1]}.md"
        legacy = record.get(rel)
        found = editors.get(article.key)
        if legacy is not None and not legacy.sources and rel not in claimed:  # written by an importer that did
            claimed.add(rel)                                                  # not record pages yet: its own
            placement.files[index] = rel
        elif found and found[0] not in claimed and found[0] in record and not record[found[0]].sources:
            claimed.add(found[0])
            placement.files[index] = found[0]
        elif found and found[0] not in claimed:
            placement.already.append((index, *found))
        elif article.key in by_title:
            found = by_title[article.key]
            placement.earlier.append((index, found))
            if found not in present:
                placement.kept.append((found, "deleted", {}))
            placement.touched[found] = record[found].with_pages(source, article.origins)
        else:
            wanted[index] = want
    fixed = set(placement.files.values())
    moving = {rel for rels in moved_from.values() for rel in rels}
    taken = {(folder_of_file(rel, content), rel.rpartition("/")[2][:-3]) for rel in
             (present | set(record) | fixed) - moving if rel.endswith(".md")}
    slugs = unique_slugs(list(wanted.values()), taken)
    for index, want in wanted.items():
        placement.files[index] = f"{content}/{want[0]}/{slugs[want]}.md"
    for index, olds in moved_from.items():
        for old in olds:
            placement.removals[old] = "move"
            placement.moves.append((old, placement.files[index]))
    placement.moves.sort()
    return placement


def _wanted(article: Article) -> tuple[str, str, str]:
    """(folder, slug, tie-breaker) of an article's file: the day and the old id, ties broken by the old page."""
    lead = article.lead.outcome.saved
    return article.folder, article_slug(article.lead.extracted.meta.date, lead.address, lead.rel), lead.rel


def merged_entry(record: dict, earlier: list[str], rel: str, source: str, origins: tuple[str, ...],
                 title: str, day: str, aliases: tuple[str, ...]) -> Entry:
    """What the record keeps of an article file: its fields, this copy's pages, and the pages other copies gave
    to it or to the files it replaces."""
    sources: dict[str, set] = {}
    for old in [rel, *earlier]:
        for folder, pages in record[old].sources if old in record else ():
            sources.setdefault(folder, set()).update(pages)
    sources[source] = set(origins)
    return Entry("", title, day, aliases, tuple(sorted((folder, tuple(sorted(pages)))
                                                       for folder, pages in sources.items())), source)
