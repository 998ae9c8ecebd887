"""The frozen site model: sections, articles and the Site that ties them together by id."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Protocol

from . import urls


class StoredText(Protocol):
    """Text kept elsewhere than in memory (a large build puts the articles' bodies aside: bodies.py)."""

    def read(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Section:
    key: str  # folder under content/: 'daibiao-gongzuo/lvzhi-dongtai'; '' is the home page
    path: str  # its _index.md as editors see it
    title: str
    weight: int = 0
    description: str = ""
    body_html: str = ""
    links: tuple[tuple[str, int, int], ...] = ()  # internal links of the body, with file line and column
    digest: str = ""  # of the file and the parse options ('' for a section made up by the build)
    aliases: tuple[str, ...] = ()  # old addresses of its list pages (an imported site), redirected here

    @property
    def parent(self) -> str | None:
        if not self.key:
            return None
        return self.key.rpartition("/")[0]

    @property
    def url(self) -> str:
        """Site-relative URL path, without the base path: '' for home, 'a/b/' for a section."""
        return urls.section(self.key)


@dataclass(frozen=True, slots=True)
class Article:
    id: str  # path under content/, unique
    path: str  # as editors see it: 'content/...'
    section: str
    slug: str
    title: str
    date: dt.datetime  # aware, in the site's zone
    body_html: str | StoredText  # read it as .body: a large build puts it aside in a file (bodies.py)
    summary: str
    subtitle: str = ""
    author: str = ""
    source: str = ""
    tags: tuple[str, ...] = ()
    draft: bool = False
    pinned: bool = False
    aliases: tuple[str, ...] = ()
    has_summary: bool = False  # True when the editor wrote the summary
    has_time: bool = True  # False when the date was given as a day only
    anchors: tuple[str, ...] = ()  # ids of the body's headings
    links: tuple[tuple[str, int, int], ...] = ()  # internal link and image targets with file line and column
    digest: str = ""  # of the file and the parse options: stands for the whole article in page keys

    @property
    def body(self) -> str:
        """The body's HTML, from memory or from where it was put aside."""
        return self.body_html if isinstance(self.body_html, str) else self.body_html.read()

    @property
    def date_text(self) -> str:
        """The date as readers see it: '2019-11-08 11:25', or '2019-11-08' for a day-only date."""
        return f"{self.date:%Y-%m-%d %H:%M}" if self.has_time else f"{self.date:%Y-%m-%d}"

    @property
    def day(self) -> str:
        """'2019-11-08', as strftime('%Y-%m-%d') writes it, in a seventh of its time (a list entry per article)."""
        return self.date.date().isoformat() if self.date.year >= 1000 else self.date.strftime("%Y-%m-%d")

    @property
    def month(self) -> str:
        """'2019/11', the archive's month, as strftime('%Y/%m') writes it."""
        date = self.date
        return f"{date.year}/{date.month:02d}" if date.year >= 1000 else date.strftime("%Y/%m")

    @property
    def url(self) -> str:
        return urls.article(self.section, self.slug)

    @property
    def print_url(self) -> str:
        return urls.print_view(self.section, self.slug)

    @property
    def sort_key(self):
        """Newest first, then by id so equal dates still sort the same way every time."""
        return (-self.date.timestamp(), self.id)


@dataclass(frozen=True, slots=True)
class Standalone:
    """A page of its own (机构设置, 联系我们, 代表名录): a Markdown file whose front matter names its `layout:`.
    Its URL follows from its path as an article's does; it is in no list, feed or archive."""

    id: str  # path under content/, unique
    path: str  # as editors see it
    folder: str  # the section folder it sits in ('' at the top of content/)
    slug: str
    title: str
    layout: str  # the template layouts/<layout>.html
    layout_at: tuple[int, int]  # file line and column of 'layout:', for a layout that does not exist
    body_html: str
    description: str = ""
    menu: str = ""  # 'main': in the header's navigation; 'footer': in the footer's links; '': in neither
    weight: int = 0  # order within its menu, smaller first
    date: dt.datetime | None = None
    search: bool = True  # in the search index
    sitemap: bool = True  # in sitemap.xml
    draft: bool = False
    anchors: tuple[str, ...] = ()
    links: tuple[tuple[str, int, int], ...] = ()
    digest: str = ""  # of the file and the parse options

    @property
    def url(self) -> str:
        return urls.article(self.folder, self.slug)


@dataclass(frozen=True, slots=True)
class DataFile:
    """A file of data/ (YAML, JSON or CSV) that layouts read as data.<name>."""

    name: str
    path: str
    value: object  # what it holds: lists and mappings of text and numbers; a CSV is a list of rows by its header
    digest: str  # of its bytes


@dataclass(frozen=True, slots=True)
class Page:
    """One output file: its kind (a name in kinds.KINDS), where it goes, and what it is of."""

    kind: str
    out: str  # file path under output/: 'a/b/index.html'
    owner: str  # the source file that asks for this page, or '(a description)' for generated ones
    key: str = ""  # section key, tag, 'YYYY' or 'YYYY/MM', depending on kind
    folder: str = ""  # site-relative URL of a paginated list's first page: page N is folder/page/N/
    index: int = -1  # article index for 'article', 'print' and 'alias'
    number: int = 1  # page number of a list
    count: int = 1  # number of pages in that list

    @property
    def url(self) -> str:
        """Site-relative URL: 'a/b/' for 'a/b/index.html'."""
        return urls.url_of(self.out)


@dataclass(frozen=True, slots=True)
class Site:
    sections: MappingProxyType  # key -> Section, home ('') included
    articles: tuple[Article, ...]  # newest first
    children: MappingProxyType  # section key -> tuple of child section keys, by weight
    by_section: MappingProxyType  # section key -> article indices, itself and below, pinned then newest first
    own: MappingProxyType  # section key -> tuple of article indices directly in it, newest first
    neighbours: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))  # index -> (newer, older)
    tags: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))  # tag -> indices, newest first
    months: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))  # 'YYYY/MM' -> indices, newest first
    years: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))  # 'YYYY' -> indices, newest first
    standalones: tuple[Standalone, ...] = ()  # by URL
    data: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))  # name -> DataFile

    def menu(self, name: str) -> tuple[Standalone, ...]:
        """The standalone pages in a menu ('main' or 'footer'), by weight then title."""
        return tuple(sorted((p for p in self.standalones if p.menu == name), key=lambda p: (p.weight, p.title, p.id)))

    @property
    def top_sections(self) -> tuple[Section, ...]:
        return tuple(self.sections[k] for k in self.children.get("", ()))

    def trail(self, key: str) -> tuple[Section, ...]:
        """Sections from the top one down to `key` (home excluded)."""
        parts = key.split("/") if key else []
        return tuple(self.sections["/".join(parts[:i + 1])] for i in range(len(parts)))
