"""The registry of page kinds: for each, in one entry, its pages, template, view, and where it is listed.

Adding a kind is one entry here and one template in layouts/ (plus its view in views.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from . import redirects, urls, views
from .model import Page, Site
from .redirects import redirected_by_404


def fixed(kind: str, url: str, owner: str) -> Callable[[Site, int], Iterable[Page]]:
    """A kind with one page at a fixed address."""
    return lambda site, per_page: (Page(kind, urls.out_file(url), owner),)


def paginated(kind: str, first: str, owner: str, key: str, total: int, per_page: int) -> list[Page]:
    count = max(1, -(-total // per_page))
    return [Page(kind, urls.out_file(urls.list_page(first, number)), owner, key=key, folder=first, number=number,
                 count=count) for number in range(1, count + 1)]


def section_pages(site: Site, per_page: int):
    for key, section in site.sections.items():
        if key:
            yield from paginated("section", urls.section(key), section.path, key, len(site.by_section[key]), per_page)


def feed_pages(site: Site, per_page: int):
    yield Page("feed", urls.feed(), "(the site's Atom feed)")
    for section in site.top_sections:
        yield Page("feed", urls.feed(section.key), section.path, key=section.key)


def article_pages(kind: str, url_of: Callable):
    def plan(site: Site, per_page: int):
        for index, article in enumerate(site.articles):
            yield Page(kind, urls.out_file(url_of(article)), article.path, index=index)
    return plan


def standalone_pages(site: Site, per_page: int):
    for index, standalone in enumerate(site.standalones):
        yield Page("standalone", urls.out_file(standalone.url), standalone.path, key=standalone.layout, index=index)


def alias_pages(site: Site, per_page: int):
    for index, article in enumerate(site.articles):
        for old in article.aliases:
            if not redirected_by_404(old):  # show.asp?id=77 and the like: redirects.json and the 404 page
                yield Page("alias", urls.out_file(urls.alias(old)), article.path, index=index)
    for key, section in site.sections.items():  # an old list page's address, redirected to its section
        for old in section.aliases:
            if not redirected_by_404(old):
                yield Page("alias", urls.out_file(urls.alias(old)), section.path, key=key)


def tag_pages(site: Site, per_page: int):
    for tag, indices in site.tags.items():
        yield from paginated("tag", urls.tag(tag), f"(the page of tag {tag})", tag, len(indices), per_page)


def year_pages(site: Site, per_page: int):
    for year, indices in site.years.items():
        yield from paginated("year", urls.year(year), f"(the archive of {year})", year, len(indices), per_page)


def month_pages(site: Site, per_page: int):
    for month, indices in site.months.items():
        yield from paginated("month", urls.month(month), f"(the archive of {month})", month, len(indices), per_page)


def all_articles(site: Site, page: Page) -> Sequence[int]:
    return range(len(site.articles))


def one_article(site: Site, page: Page) -> Sequence[int]:
    return (page.index,)


def no_articles(site: Site, page: Page) -> Sequence[int]:
    return ()


def aliased_article(site: Site, page: Page) -> Sequence[int]:
    """The article a redirect page sends to; none for a section's redirect."""
    return (page.index,) if page.index >= 0 else ()


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    template: str  # '' for a kind whose pages name their own layout (page.key)
    plan: Callable[[Site, int], Iterable[Page]]  # every page of this kind
    inputs: Callable  # (site, page, lookups, links) -> everything the page's text is made from
    view: Callable  # (inputs, links) -> the template's context; sees nothing but its inputs
    articles: Callable[[Site, Page], Sequence[int]] = all_articles  # the articles it lists (sitemap lastmod)
    sitemap: bool = False  # listed in sitemap.xml (the rest are noindex or not HTML)
    searchable: bool = False  # indexed for search (sitegen/search.py; a standalone page unless it says search: false)
    listed: bool = False  # a paginated list of articles

    def template_of(self, page: Page) -> str:
        return self.template or f"{page.key}.html"


KINDS: tuple[Kind, ...] = (
    Kind("home", "home.html", fixed("home", urls.home(), "(the home page)"), views.home_inputs, views.home_view,
         sitemap=True),
    Kind("notfound", "404.html", fixed("notfound", "404.html", "(the site's 404 page)"), views.no_inputs,
         views.no_view),
    Kind("feed", "feed.xml", feed_pages, views.feed_inputs, views.feed_view,
         articles=lambda site, page: site.by_section[page.key] if page.key else range(len(site.articles))),
    Kind("sitemap", "sitemap.xml", fixed("sitemap", "sitemap.xml", "(the sitemap)"), views.sitemap_inputs,
         views.sitemap_view),
    Kind("robots", "robots.txt", fixed("robots", "robots.txt", "(robots.txt)"), views.no_inputs, views.robots_view),
    Kind("search", "search.html", fixed("search", urls.search(), "(the search page)"), views.no_inputs,
         views.no_view),
    Kind("section", "section.html", section_pages, views.section_inputs, views.section_view,
         articles=lambda site, page: site.by_section[page.key], sitemap=True, listed=True),
    Kind("article", "article.html", article_pages("article", lambda a: a.url), views.article_inputs,
         views.article_view, articles=one_article, sitemap=True, searchable=True),
    Kind("print", "print.html", article_pages("print", lambda a: a.print_url), views.article_inputs,
         views.print_view, articles=one_article),
    Kind("alias", "alias.html", alias_pages, views.alias_inputs, views.alias_view, articles=aliased_article),
    Kind("redirects", "redirects.json", redirects.plan, redirects.inputs, redirects.view),
    Kind("tags", "tags.html", fixed("tags", urls.tags(), "(the tag list)"), views.tags_inputs, views.tags_view,
         sitemap=True),
    Kind("tag", "tag.html", tag_pages, views.tag_inputs, views.tag_view,
         articles=lambda site, page: site.tags[page.key], sitemap=True, listed=True),
    Kind("archive", "archive.html", fixed("archive", urls.archive(), "(the archive)"), views.archive_inputs,
         views.archive_view, sitemap=True),
    Kind("standalone", "", standalone_pages, views.standalone_inputs, views.standalone_view, articles=no_articles,
         sitemap=True, searchable=True),
    Kind("map", "map.html", fixed("map", urls.site_map(), "(the site map page)"), views.map_inputs, views.map_view,
         articles=no_articles, sitemap=True),
    Kind("year", "year.html", year_pages, views.year_inputs, views.year_view,
         articles=lambda site, page: site.years[page.key], sitemap=True, listed=True),
    Kind("month", "month.html", month_pages, views.month_inputs, views.month_view,
         articles=lambda site, page: site.months[page.key], sitemap=True, listed=True),
)
BY_NAME = {kind.name: kind for kind in KINDS}
TEMPLATES = tuple(sorted({kind.template for kind in KINDS if kind.template}))


def lookups(site: Site, pages: Sequence[Page], pictures: dict | None = None) -> views.Lookups:
    """The per-build tables of the views, the sitemap's entries included."""
    return remembered_lookups(site, pages, pictures, None, None)[0]


def remembered_lookups(site: Site, pages: Sequence[Page], pictures: dict | None, sitemap: views.SitemapMemo | None,
                       items: views.ItemsMemo | None) -> tuple[views.Lookups, views.SitemapMemo, views.ItemsMemo]:
    """lookups, and what lets the next build keep what did not change: the sitemap's entries while the pages and
    the site's tables are the very same objects, and the list entries of the very same articles."""
    if sitemap is None or not sitemap.same(site, pages):
        sitemap = views.SitemapMemo(pages, site.by_section, site.standalones, sitemap_entries(site, pages))
    found = views.Lookups.of(site, sitemap.entries, pictures, items)
    return found, sitemap, views.ItemsMemo(site.articles, found.items)


def sitemap_entries(site: Site, pages: Sequence[Page]) -> tuple:
    """(URL, date of the newest article it shows) of every page in the sitemap."""
    entries, newest = [], {}  # the pages of one list share their newest article
    for page in pages:
        kind = BY_NAME[page.kind]
        if kind.sitemap:
            if kind.articles is one_article:  # most pages: an article's own
                entries.append((page.url, site.articles[page.index].date.isoformat()))
                continue
            if page.kind == "standalone":  # in the sitemap unless it says otherwise; its date when it has one
                standalone = site.standalones[page.index]
                if standalone.sitemap:
                    entries.append((page.url, standalone.date.isoformat() if standalone.date else None))
                continue
            if (page.kind, page.key, page.index) not in newest:
                indices = kind.articles(site, page)
                newest[page.kind, page.key, page.index] = site.articles[min(indices)].date.isoformat() if indices else None
            entries.append((page.url, newest[page.kind, page.key, page.index]))
    return tuple(entries)
