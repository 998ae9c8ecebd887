"""Stage 6a: what each page shows. Per page kind, `inputs` picks the model values a page is made from and
`view` turns only those into the template's context, so the inputs are all a page's text depends on."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from markupsafe import Markup

from . import urls
from .model import Section, Site
from .pictures import rewrite_images, used_pictures
from .lastvalues import LastValues

FEED_ENTRIES = 20


@dataclass(frozen=True, slots=True)
class PageLinks:
    """What views need of the config to write links: the base path and address, and list sizes (the config's digest is
    part of every page's key, so these never need to be in a page's inputs)."""

    base_path: str
    base_url: str
    title: str
    language: str
    per_page: int
    home_per_section: int

    def href(self, url: str) -> str:
        return urls.href(self.base_path, url)

    def absolute(self, url: str) -> str:
        return urls.absolute(self.base_url, url)


@dataclass(frozen=True, slots=True)
class Item:
    """One entry of an article list, as every list shows it."""

    title: str
    url: str  # site-relative
    date: str
    summary: str
    pinned: bool
    section: str  # the section's title
    digest: str = ""  # of the fields above: stands for the entry in page keys


@dataclass(frozen=True, slots=True)
class ItemsMemo:
    """The last build's articles and their list entries."""

    articles: tuple
    items: tuple


@dataclass(frozen=True, slots=True)
class SitemapMemo:
    """The sitemap's entries and what they were made from (by identity)."""

    pages: tuple
    by_section: object
    standalones: tuple
    entries: tuple

    def same(self, site: Site, pages) -> bool:
        return self.pages is pages and self.by_section is site.by_section and self.standalones is site.standalones


@dataclass(frozen=True, slots=True)
class Lookups:
    """Per-build tables the inputs functions share: list entries and months by year (made once per build)."""

    items: tuple[Item, ...]
    year_months: dict  # 'YYYY' -> (('YYYY/MM', count), ...), newest first
    sitemap: tuple[tuple[str, str | None], ...] = ()  # (site-relative URL, newest article's date) per listed page
    pictures: dict = field(default_factory=dict)  # pictures hook (issue 10): asset path -> sizes and versions

    @staticmethod
    def of(site: Site, sitemap: tuple = (), pictures: dict | None = None, known: ItemsMemo | None = None) -> "Lookups":
        """`known`: the articles and their items of the last build: the very same article objects keep their
        entries, wherever they are now."""
        last = LastValues(known.articles, known.items) if known is not None else LastValues()
        items = []
        for index, a in enumerate(site.articles):
            section = site.sections[a.section]
            entry = last.get(index, a)
            if entry is None or entry.section != section.title:
                entry = Item(a.title, a.url, a.day, a.summary, a.pinned, section.title,
                             _item_digest(a, section))
            items.append(entry)
        items = tuple(items)
        found: dict[str, list] = {}
        for month, indices in site.months.items():
            found.setdefault(month[:4], []).append((month, len(indices)))
        return Lookups(items, {y: tuple(v) for y, v in found.items()}, sitemap, pictures or {})


ICP_SITE = "https://beian.miit.gov.cn/"
CONTACT = ("address", "postcode", "phone", "email")
POLICE_SITE = "https://beian.mps.gov.cn/#/query/webSearch?code="


def furniture(config, base_path: str) -> dict:
    """The footer of a government site from site.yaml: 网站标识码, ICP and 公安 filing numbers linked to their
    filing sites, the 党政机关网站标识, 主办单位 and contact details (each only when given)."""
    police_code = "".join(re.findall(r"\d", config.police_record))
    mark = dict(config.gov_mark)
    return {
        "site_code": config.site_code, "host": config.host,
        "contact": {key: dict(config.contact).get(key, "") for key in CONTACT} if config.contact else None,
        "icp": {"text": config.icp, "url": ICP_SITE} if config.icp else None,
        "police": {"text": config.police_record, "url": POLICE_SITE + police_code} if config.police_record else None,
        "gov_mark": {"image": urls.href(base_path, mark["image"].lstrip("/")), "url": mark.get("url", "")}
        if mark.get("image") else None,
    }


def _item_digest(article, section: Section) -> str:
    """An entry is made of its article and its section's title: their digests decide it."""
    if not article.digest:
        return ""
    return f"{article.digest}/{section.digest or hashlib.blake2b(section.title.encode()).hexdigest()}"


def shown(page, indices, per_page: int) -> tuple:
    return tuple(indices[(page.number - 1) * per_page: page.number * per_page])


def crumbs(trail: tuple[Section, ...], links: PageLinks) -> list[dict]:
    return [{"title": s.title, "url": links.href(s.url)} for s in trail]


def item(entry: Item | None, links: PageLinks) -> dict | None:
    if entry is None:
        return None
    return {"title": entry.title, "url": links.href(entry.url), "date": entry.date, "summary": entry.summary,
            "pinned": entry.pinned, "section": entry.section}


def pagination(page, links: PageLinks) -> dict:
    def url(number: int) -> str:
        return links.href(urls.list_page(page.folder, number))

    numbers = sorted({1, page.count, *range(max(1, page.number - 2), min(page.count, page.number + 2) + 1)})
    found, last = [], 0
    for number in numbers:
        if number - last > 1:
            found.append({"gap": True})
        found.append({"gap": False, "number": number, "url": url(number), "current": number == page.number})
        last = number
    return {"number": page.number, "count": page.count, "links": found,
            "prev": url(page.number - 1) if page.number > 1 else None,
            "next": url(page.number + 1) if page.number < page.count else None}


def listing(page, entries: tuple[Item, ...], links: PageLinks) -> dict:
    return {"entries": [item(e, links) for e in entries], "pagination": pagination(page, links)}


# home --------------------------------------------------------------------------------------------

def home_inputs(site: Site, page, lookups: Lookups, links: PageLinks):
    count = links.home_per_section
    pinned = [i for i, a in enumerate(site.articles) if a.pinned]
    latest = (pinned + [i for i in range(min(len(site.articles), count + len(pinned)))
                        if not site.articles[i].pinned])[:count]
    blocks = tuple((s.title, s.url, tuple(lookups.items[i] for i in site.by_section[s.key][:count]))
                   for s in site.top_sections)
    return (site.sections[""].title, blocks, tuple(lookups.items[i] for i in latest))


def home_view(inputs, links: PageLinks) -> dict:
    title, blocks, latest = inputs
    return {"title": title, "latest": [item(e, links) for e in latest],
            "blocks": [{"title": t, "url": links.href(url), "entries": [item(e, links) for e in entries]}
                       for t, url, entries in blocks]}


# sections ----------------------------------------------------------------------------------------

def section_inputs(site: Site, page, lookups: Lookups, links: PageLinks):
    key = page.key
    trail = site.trail(key)
    children = tuple(site.sections[k] for k in site.children[key])
    entries = tuple(lookups.items[i] for i in shown(page, site.by_section[key], links.per_page))
    return (page, trail, children, entries)


def section_view(inputs, links: PageLinks) -> dict:
    page, trail, children, entries = inputs
    section, top = trail[-1], trail[0]
    return {"title": section.title, "intro": Markup(section.body_html), "crumbs": crumbs(trail, links),
            "feed": {"title": f"{top.title} - {links.title}", "url": links.absolute(urls.feed(top.key))},
            "subsections": [{"title": s.title, "url": links.href(s.url)} for s in children],
            **listing(page, entries, links)}


# articles ----------------------------------------------------------------------------------------

def article_inputs(site: Site, page, lookups: Lookups, links: PageLinks):
    article = site.articles[page.index]
    newer, older = site.neighbours.get(page.index, (None, None))
    return (article, site.trail(article.section),
            lookups.items[newer] if newer is not None else None, lookups.items[older] if older is not None else None,
            used_pictures(article, lookups.pictures))  # pictures hook (issue 10): their sizes are in the page


def article_view(inputs, links: PageLinks, printed: bool = False) -> dict:
    article, trail, newer, older, pictures = inputs
    section = trail[-1]
    return {"article": {
        "title": article.title, "subtitle": article.subtitle, "author": article.author,
        "source": article.source, "date": article.date_text,
        "iso": article.date.isoformat(), "year": f"{article.date:%Y}", "summary": article.summary,
        "tags": [{"name": t, "url": links.href(urls.tag(t))} for t in article.tags],
        "url": links.href(article.url), "print_url": links.href(article.print_url),
        "canonical": links.absolute(article.url), "absolute": links.absolute(article.url),
        "body": Markup(rewrite_images(article.body, dict(pictures), links.base_path, links.href(article.url),
                                      lazy_from=10**9 if printed else 1)),  # pictures hook (issue 10)
        "section": {"title": section.title, "url": links.href(section.url)},
        "sections": [s.title for s in trail], "crumbs": crumbs(trail, links),
        "newer": item(newer, links), "older": item(older, links),
        "jsonld": {
            "@context": "https://schema.org", "@type": "NewsArticle", "headline": article.title,
            "datePublished": article.date.isoformat(), "dateModified": article.date.isoformat(),
            "author": {"@type": "Person", "name": article.author} if article.author
            else {"@type": "Organization", "name": links.title},
            "publisher": {"@type": "Organization", "name": links.title, "url": links.base_url},
            "mainEntityOfPage": links.absolute(article.url), "description": article.summary,
            "articleSection": section.title, "inLanguage": links.language,
        },
    }}


def print_view(inputs, links: PageLinks) -> dict:
    """The article alone; its pictures load at once (a printout cannot wait for lazy ones)."""
    return article_view(inputs, links, printed=True)


def alias_inputs(site: Site, page, lookups: Lookups, links: PageLinks):
    target = site.articles[page.index] if page.index >= 0 else site.sections[page.key]
    return (target.title, target.url, page.index < 0)


def alias_view(inputs, links: PageLinks) -> dict:
    title, url, section = inputs
    return {"title": title, "target": links.href(url), "canonical": links.absolute(url), "section": section}


# tags and archives -------------------------------------------------------------------------------

def tags_inputs(site: Site, page, lookups: Lookups, links: PageLinks):
    return tuple((tag, len(indices)) for tag, indices in site.tags.items())


def tags_view(inputs, links: PageLinks) -> dict:
    tags = [{"name": tag, "count": count, "url": links.href(urls.tag(tag))} for tag, count in inputs]
    return {"tags": sorted(tags, key=lambda t: (-t["count"], t["name"]))}


def tag_inputs(site: Site, page, lookups: Lookups, links: PageLinks):
    return (page, tuple(lookups.items[i] for i in shown(page, site.tags[page.key], links.per_page)))


def tag_view(inputs, links: PageLinks) -> dict:
    page, entries = inputs
    return {"tag": page.key, "kind_url": links.href(urls.tags()), "months": [], **listing(page, entries, links)}


def months(found, links: PageLinks) -> list[dict]:
    return [{"year": m[:4], "number": int(m[5:]), "count": count, "url": links.href(urls.month(m))}
            for m, count in found]


def archive_inputs(site: Site, page, lookups: Lookups, links: PageLinks):
    return tuple((year, len(indices), lookups.year_months.get(year, ())) for year, indices in site.years.items())


def archive_view(inputs, links: PageLinks) -> dict:
    return {"years": [{"year": year, "count": count, "url": links.href(urls.year(year)),
                       "months": months(found, links)} for year, count, found in inputs]}


def year_inputs(site: Site, page, lookups: Lookups, links: PageLinks):
    return (page, lookups.year_months.get(page.key, ()),
            tuple(lookups.items[i] for i in shown(page, site.years[page.key], links.per_page)))


def year_view(inputs, links: PageLinks) -> dict:
    page, found, entries = inputs
    return {"year": page.key, "kind_url": links.href(urls.archive()), "months": months(found, links),
            **listing(page, entries, links)}


def month_inputs(site: Site, page, lookups: Lookups, links: PageLinks):
    return (page, tuple(lookups.items[i] for i in shown(page, site.months[page.key], links.per_page)))


def month_view(inputs, links: PageLinks) -> dict:
    page, entries = inputs
    year, month = page.key.split("/")
    return {"year": year, "month": int(month), "kind_url": links.href(urls.archive()), "months": [],
            **listing(page, entries, links)}


# standalone pages and the site map -----------------------------------------------------------------

def standalone_inputs(site: Site, page, lookups: Lookups, links: PageLinks):
    standalone = site.standalones[page.index]
    return (standalone, site.trail(standalone.folder))


def standalone_view(inputs, links: PageLinks) -> dict:
    standalone, trail = inputs
    return {"title": standalone.title, "description": standalone.description, "body": Markup(standalone.body_html),
            "crumbs": crumbs(trail, links), "url": links.href(standalone.url),
            "date": f"{standalone.date:%Y-%m-%d}" if standalone.date else ""}


def map_inputs(site: Site, page, lookups: Lookups, links: PageLinks):
    def tree(key: str) -> tuple:
        return tuple((site.sections[child].title, site.sections[child].url, tree(child))
                     for child in site.children.get(key, ()))
    return (tree(""), tuple((p.title, p.url) for p in site.standalones if p.sitemap))


def map_view(inputs, links: PageLinks) -> dict:
    sections, standalones = inputs

    def entries(tree) -> list[dict]:
        return [{"title": title, "url": links.href(url), "children": entries(children)}
                for title, url, children in tree]
    return {"sections": entries(sections),
            "pages": [{"title": title, "url": links.href(url)} for title, url in standalones]}


# feeds, sitemap and the fixed pages ---------------------------------------------------------------

def feed_inputs(site: Site, page, lookups: Lookups, links: PageLinks):
    section = site.sections[page.key]
    indices = site.by_section[page.key] if page.key else range(len(site.articles))
    newest = sorted(indices)[:FEED_ENTRIES]
    return (page, section.title, tuple((site.articles[i], lookups.items[i].section) for i in newest))


def feed_view(inputs, links: PageLinks) -> dict:
    page, section_title, newest = inputs
    entries = [{"title": a.title, "url": links.absolute(a.url), "iso": a.date.isoformat(),
                "author": a.author or links.title, "summary": a.summary, "body": Markup(a.body),
                "section": section} for a, section in newest]
    title = links.title if not page.key else f"{section_title} - {links.title}"
    return {"title": title, "feed_url": links.absolute(page.out), "home": links.absolute(urls.section(page.key)),
            "updated": entries[0]["iso"] if entries else "1970-01-01T08:00:00+08:00", "entries": entries}


def sitemap_inputs(site: Site, page, lookups: Lookups, links: PageLinks):
    return lookups.sitemap


def sitemap_view(inputs, links: PageLinks) -> dict:
    return {"urls": [{"loc": links.absolute(url), "lastmod": lastmod} for url, lastmod in inputs]}


def robots_view(inputs, links: PageLinks) -> dict:
    return {"sitemap": links.absolute("sitemap.xml")}


def no_inputs(site: Site, page, lookups: Lookups, links: PageLinks):
    return ()


def no_view(inputs, links: PageLinks) -> dict:
    return {}

