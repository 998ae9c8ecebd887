"""Stage 4: the parsed files to one Site (pure; every content problem collected at once)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from .messages import Message, say
from .model import Article, DataFile, Section, Site, Standalone
from .parse import Parsed
from .problems import Problem
from .recording import Watched, unwrapped


@dataclass(frozen=True, slots=True)
class Selection:
    """Which articles are published: drafts and articles dated after `now` stay out unless asked for."""

    now: dt.datetime | None = None
    drafts: bool = False
    future: bool = False


@dataclass(frozen=True, slots=True)
class LeftOut:
    path: str
    reason: Message
    url: str = ""  # the article's site-relative URL, so links to it can say why it is missing
    scheduled: dt.datetime | None = None  # for an article dated after now: its date (None: a draft)
    title: str = ""


def build_site(home_title: str, folders: tuple[str, ...], parsed: list[Parsed], selection: Selection = Selection(),
               data: Mapping[str, DataFile] = MappingProxyType({})) -> tuple[Site, tuple[LeftOut, ...], list[Problem]]:
    """Assemble sections, articles, standalone pages and data files, and list every content problem (the site is
    still assembled from what is usable, so later checks can report their problems in the same run)."""
    sections, published, standalones, left_out, problems = select(home_title, folders, parsed, selection)
    return assemble(sections, published, standalones, data), left_out, problems


def select(home_title: str, folders: tuple[str, ...], parsed: list[Parsed],
           selection: Selection) -> tuple[dict[str, Section], list[Article], tuple[Standalone, ...], tuple[LeftOut, ...],
                                          list[Problem]]:
    """The sections, the published articles (in the order parsed) and standalone pages, the articles and pages
    left out, and the problems."""
    problems = [p for result in parsed for p in result.problems]
    sections = {r.section.key: r.section for r in parsed if r.section}
    sections.setdefault("", Section(key="", path="content/_index.md", title=home_title))
    failed = {problem.path for problem in problems}  # an _index.md with a problem exists: that problem says why
    for folder in folders:
        if folder not in sections and f"content/{folder}/_index.md" not in failed:
            problems.append(Problem(f"content/{folder}/_index.md", 1, 1,
                                    say("folder 'content/{folder}' has no _index.md: create it with the lines "
                                        "'---', 'title: 栏目名称', 'weight: 1', '---' to make it a section",
                                        folder=folder)))
        if folder not in sections:
            sections[folder] = Section(key=folder, path=f"content/{folder}/_index.md", title=folder)
    published, left_out = [], []
    standalones = []
    for result in parsed:
        page = result.standalone
        if page is not None and page.draft and not selection.drafts:
            left_out.append(LeftOut(page.path, say("draft (use --drafts to include it)"), page.url, title=page.title))
        elif page is not None:
            standalones.append(page)
    later = _later_than(selection.now) if selection.now and not selection.future else None
    for result in parsed:
        article = result.article
        if article is None:
            continue
        if article.draft and not selection.drafts:
            left_out.append(LeftOut(article.path, say("draft (use --drafts to include it)"), article.url,
                                    title=article.title))
        elif later is not None and later(article.date):
            left_out.append(LeftOut(article.path, say("dated {date}, after now (use --future to include it)",
                                                      date=f"{article.date:%Y-%m-%d %H:%M}"), article.url,
                                    article.date, article.title))
        else:
            published.append(article)
    return sections, published, tuple(standalones), tuple(left_out), problems


def _later_than(now: dt.datetime):
    """date > now, quick for dates in one zone: comparing two datetimes of different zones converts both
    (15 ms for 10,000 articles); within one zone the wall times are compared, which is exact wherever they
    are more than a day apart (no zone moves its clocks by more), and otherwise the exact comparison decides."""
    local = {}  # tzinfo -> now in that zone

    def later(date: dt.datetime) -> bool:
        zone = date.tzinfo
        there = local.get(zone)
        if there is None:
            there = local[zone] = now.astimezone(zone) if zone is not None else now
        apart = date - there  # same tzinfo: the wall times' difference, without converting
        if apart > ONE_DAY:
            return True
        if apart < -ONE_DAY:
            return False
        return date > now
    return later


ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class SiteMemo:
    """The last site assembled, with what decided its tables: its sections, standalone pages and data files, and
    the published articles in the order parsed with where each went (site.articles[k] is published[order[k]]),
    and the names of the article fields assembling read (recorded as it read them)."""

    sections: dict
    published: tuple
    order: tuple[int, ...]
    site: Site
    standalones: tuple
    data: Mapping
    read: tuple[str, ...]  # the article fields that decide where an article goes

    def keeps(self, sections: dict, published: list[Article], standalones: tuple, data: Mapping) -> bool:
        """Whether a site of these parts has the very tables of this one: no article moved."""
        return len(published) == len(self.published) and sections == self.sections and \
            standalones == self.standalones and data == self.data and all(
                new is old or all(getattr(new, name) == getattr(old, name) for name in self.read)
                for new, old in zip(published, self.published))


def remembered_site(home_title: str, folders: tuple[str, ...], parsed: list[Parsed], selection: Selection,
                    memo: SiteMemo | None, data: Mapping[str, DataFile] = MappingProxyType({})
                    ) -> tuple[Site, tuple[LeftOut, ...], list[Problem], SiteMemo]:
    """build_site, and what lets the next build keep the site's tables while no article moved (an edit of an
    article's text or title only swaps that article in); the same site either way."""
    sections, published, standalones, left_out, problems = select(home_title, folders, parsed, selection)
    if memo is not None and memo.keeps(sections, published, standalones, data):
        site = dataclasses.replace(memo.site, articles=tuple([published[i] for i in memo.order]))
        return site, left_out, problems, dataclasses.replace(memo, published=tuple(published), site=site)
    names: set[str] = set()
    watched = assemble(sections, [Watched(article, names) for article in published], standalones, data)
    site = dataclasses.replace(watched, articles=unwrapped(watched.articles))
    order = tuple(sorted(range(len(published)), key=lambda i: published[i].sort_key))
    return site, left_out, problems, SiteMemo(sections, tuple(published), order, site, standalones, data,
                                              tuple(sorted(names)))


def assemble(sections: dict[str, Section], articles: list[Article], standalones: tuple[Standalone, ...] = (),
             data: Mapping[str, DataFile] = MappingProxyType({})) -> Site:
    """Index articles by section (each section also lists its subsections' articles)."""
    articles = sorted(articles, key=lambda a: a.sort_key)
    children: dict[str, list[str]] = {key: [] for key in sections}
    for key, section in sections.items():
        if key:
            children[section.parent].append(key)
    ordered_children = {k: tuple(sorted(v, key=lambda c: (sections[c].weight, c))) for k, v in children.items()}
    own: dict[str, list[int]] = {key: [] for key in sections}
    below: dict[str, list[int]] = {key: [] for key in sections}
    for index, article in enumerate(articles):
        own[article.section].append(index)
        key = article.section
        while key is not None:
            below[key].append(index)
            key = sections[key].parent
    def listed(indices):  # section lists: pinned (置顶) first, then newest first
        return tuple(sorted(indices, key=lambda i: (not articles[i].pinned, i)))

    tags: dict[str, list[int]] = {}
    months: dict[str, list[int]] = {}
    for index, article in enumerate(articles):
        for tag in article.tags:
            tags.setdefault(tag, []).append(index)
        months.setdefault(article.month, []).append(index)
    neighbours = {}
    for indices in own.values():
        for position, index in enumerate(indices):
            newer = indices[position - 1] if position > 0 else None
            older = indices[position + 1] if position + 1 < len(indices) else None
            neighbours[index] = (newer, older)
    return Site(
        sections=MappingProxyType(dict(sorted(sections.items()))),
        articles=tuple(articles),
        children=MappingProxyType(ordered_children),
        by_section=MappingProxyType({k: listed(v) for k, v in below.items()}),
        own=MappingProxyType({k: tuple(v) for k, v in own.items()}),
        neighbours=MappingProxyType(neighbours),
        tags=MappingProxyType({tag: tuple(tags[tag]) for tag in sorted(tags)}),
        months=MappingProxyType({month: tuple(months[month]) for month in sorted(months, reverse=True)}),
        years=MappingProxyType(by_year(months)),
        standalones=tuple(sorted(standalones, key=lambda p: p.url)),
        data=MappingProxyType(dict(sorted(data.items()))),
    )


def by_year(months: dict[str, list[int]]) -> dict[str, tuple[int, ...]]:
    """'YYYY' -> article indices, newest first, newest year first."""
    found: dict[str, list[int]] = {}
    for month in sorted(months, reverse=True):
        found.setdefault(month[:4], []).extend(months[month])
    return {year: tuple(sorted(indices)) for year, indices in found.items()}
