"""Stage 6: render planned pages with the Jinja2 layouts (autoescape, StrictUndefined) into HTML text."""

from __future__ import annotations

import traceback
from pathlib import Path

import jinja2
from markupsafe import Markup

from .config import Config
from .model import Site
from .pages import FEED_ENTRIES, Page, list_page_out, redirect_key, redirected_by_404, tag_folder
from .problems import Problem

TEMPLATES = {
    "home": "home.html",
    "section": "section.html",
    "article": "article.html",
    "print": "print.html",
    "search": "search.html",
    "notfound": "404.html",
    "alias": "alias.html",
    "redirects": "redirects.json",
    "tags": "tags.html",
    "tag": "list.html",
    "archive": "archive.html",
    "year": "list.html",
    "month": "list.html",
    "feed": "feed.xml",
    "sitemap": "sitemap.xml",
    "robots": "robots.txt",
}


SITEMAP_KINDS = {"home", "section", "article", "tags", "tag", "archive", "year", "month"}


class TemplateFailed(Exception):
    """A template problem; the Problem is its only argument so it survives the trip from a worker."""

    @property
    def problem(self) -> Problem:
        return self.args[0]


def make_environment(layouts_dir: Path) -> jinja2.Environment:
    """The Jinja2 environment: autoescaped, undefined names are errors, templates compiled up front."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(layouts_dir)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    for name in sorted(set(TEMPLATES.values())):
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as err:
            raise TemplateFailed(template_problem(err, layouts_dir)) from None
        except jinja2.TemplateNotFound as err:
            raise TemplateFailed(Problem(f"layouts/{name}", 1, 1,
                                         f"template not found: {err.name}; every site needs "
                                         f"{', '.join(sorted(set(TEMPLATES.values())))} in layouts/")) from None
    return env


def template_problem(err: Exception, layouts_dir: Path) -> Problem:
    """Name the template file and line of a Jinja2 error (syntax errors carry it; runtime ones sit in the traceback)."""
    root = str(layouts_dir.resolve())
    if isinstance(err, jinja2.TemplateSyntaxError) and err.filename:
        return Problem(_shown(err.filename, root), err.lineno or 1, 1, f"template error: {err.message}")
    where = ("layouts", 1)
    for frame, line in traceback.walk_tb(err.__traceback__):
        filename = frame.f_code.co_filename
        if filename.startswith(root):
            where = (_shown(filename, root), line)
    return Problem(where[0], where[1], 1, f"template error: {err}")


def _shown(filename: str, root: str) -> str:
    return "layouts/" + Path(filename).resolve().relative_to(root).as_posix()


class Renderer:
    """Turns planned pages into text; holds the environment and the views shared by every page."""

    def __init__(self, config: Config, site: Site, env: jinja2.Environment, pages: tuple[Page, ...] = ()):
        self.config, self.site, self.env, self.pages = config, site, env, pages
        self.item_keys = None  # what list entries show of each article, made on first use
        self.year_months = None  # year -> its months and their counts, made on first use
        self.base = config.base_path
        self.globals = {
            "site": {
                "title": config.title, "subtitle": config.subtitle, "description": config.description,
                "language": config.language, "base_url": config.base_url, "base_path": self.base,
                "footer": config.footer, "home_url": self.base, "search_url": self.base + "search/",
                "feed_url": config.base_url + "feed.xml", "tags_url": self.base + "tags/",
                "archive_url": self.base + "archive/",
                "nav": [{"title": s.title, "url": self.href(s.url), "key": s.key} for s in site.top_sections],
            },
            "asset": lambda rel: self.base + rel.lstrip("/"),
        }
        env.globals.update(self.globals)  # macros imported without context see them too

    def href(self, rel: str) -> str:
        """Root-relative link for a site-relative URL ('a/b/' -> '/repo/a/b/')."""
        return self.base + rel

    def absolute(self, rel: str) -> str:
        return self.config.base_url + rel

    def render(self, page: Page) -> str:
        template = self.env.get_template(TEMPLATES[page.kind])
        context = getattr(self, f"_{page.kind}")(page)
        context["page"] = {"kind": page.kind, "url": self.href(page.url), "canonical": self.absolute(page.url)}
        try:
            return template.render(context)
        except Exception as err:  # any template runtime error becomes a problem naming its file and line
            raise TemplateFailed(template_problem(err, self.config.layouts_dir)) from None

    # what each page depends on: equal signatures between two builds mean identical output ------

    def signature(self, page: Page):
        """Everything a page's text depends on besides config, layouts and sections (which reset all)."""
        kind = page.kind
        site = self.site
        if kind in ("article", "print"):
            newer, older = site.neighbours.get(page.index, (None, None))
            return (kind, site.articles[page.index], self.item_key(newer), self.item_key(older))
        if kind == "alias":
            article = site.articles[page.index]
            return (kind, page.out, article.title, article.url)
        if kind == "redirects":
            return (kind, tuple((a.url, a.aliases) for a in site.articles if any(map(redirected_by_404, a.aliases))))
        if kind in ("section", "tag", "year", "month"):
            per_page = self.config.per_page
            shown = self.indices_of(page)[(page.number - 1) * per_page: page.number * per_page]
            extra = self.months_of(page.key) if kind == "year" else ()
            return (kind, page.key, page.number, page.count, tuple(map(self.item_key, shown)), extra)
        if kind == "home":
            count = self.config.home_per_section
            shown = [site.by_section[s.key][:count] for s in site.top_sections]
            return (kind, tuple(tuple(map(self.item_key, indices)) for indices in shown),
                    tuple(map(self.item_key, self.latest())))
        if kind == "feed":
            indices = sorted(self.indices_of(page))[:FEED_ENTRIES]
            return (kind, page.key, tuple(site.articles[i] for i in indices))
        if kind == "tags":
            return (kind, tuple((tag, len(v)) for tag, v in site.tags.items()))
        if kind == "archive":
            return (kind, tuple((month, len(v)) for month, v in site.months.items()))
        if kind == "sitemap":
            return (kind, tuple(p.out for p in self.pages), tuple((a.id, a.date) for a in site.articles),
                    tuple(site.tags), tuple(site.months))
        return (kind,)  # search, 404, robots: only config and layouts

    def months_of(self, year: str) -> tuple[tuple[str, int], ...]:
        """('YYYY/MM', number of articles) for each month of a year, newest first."""
        if self.year_months is None:
            found: dict[str, list] = {}
            for month, indices in self.site.months.items():
                found.setdefault(month[:4], []).append((month, len(indices)))
            self.year_months = {y: tuple(v) for y, v in found.items()}
        return self.year_months.get(year, ())

    def item_key(self, index: int | None):
        """What a list entry shows of an article."""
        if index is None:
            return None
        if self.item_keys is None:
            self.item_keys = [(a.id, a.title, a.slug, a.date, a.summary, a.pinned, a.section)
                              for a in self.site.articles]
        return self.item_keys[index]

    # views ---------------------------------------------------------------

    def item(self, index: int) -> dict:
        article = self.site.articles[index]
        return {"title": article.title, "url": self.href(article.url), "date": f"{article.date:%Y-%m-%d}",
                "summary": article.summary, "pinned": article.pinned,
                "section": self.site.sections[article.section].title}

    def crumbs(self, key: str) -> list[dict]:
        return [{"title": s.title, "url": self.href(s.url)} for s in self.site.trail(key)]

    def article(self, index: int) -> dict:
        article = self.site.articles[index]
        newer, older = self.site.neighbours.get(index, (None, None))
        section = self.site.sections[article.section]
        return {
            "title": article.title, "subtitle": article.subtitle, "author": article.author,
            "source": article.source, "date": article.date_text,
            "iso": article.date.isoformat(), "year": f"{article.date:%Y}", "summary": article.summary,
            "tags": [{"name": t, "url": self.href(tag_folder(t) + "/")} for t in article.tags],
            "url": self.href(article.url), "print_url": self.href(article.print_url),
            "canonical": self.absolute(article.url), "absolute": self.absolute(article.url),
            "body": Markup(article.body_html), "section": {"title": section.title, "url": self.href(section.url)},
            "sections": [s.title for s in self.site.trail(article.section)],
            "crumbs": self.crumbs(article.section),
            "newer": self.item(newer) if newer is not None else None,
            "older": self.item(older) if older is not None else None,
            "jsonld": {
                "@context": "https://schema.org", "@type": "NewsArticle", "headline": article.title,
                "datePublished": article.date.isoformat(), "dateModified": article.date.isoformat(),
                "author": {"@type": "Person", "name": article.author} if article.author
                else {"@type": "Organization", "name": self.config.title},
                "publisher": {"@type": "Organization", "name": self.config.title, "url": self.config.base_url},
                "mainEntityOfPage": self.absolute(article.url), "description": article.summary,
                "articleSection": section.title, "inLanguage": self.config.language,
            },
        }

    def listing(self, page: Page, indices: tuple[int, ...]) -> dict:
        """One page of a paginated list: its entries and the links to the other pages."""
        per_page = self.config.per_page
        shown = indices[(page.number - 1) * per_page: page.number * per_page]
        return {"entries": [self.item(i) for i in shown], "pagination": self.pagination(page)}

    def pagination(self, page: Page) -> dict:
        def url(number: int) -> str:
            return self.href(list_page_out(page.folder, number)[: -len("index.html")])

        shown = sorted({1, page.count, *range(max(1, page.number - 2), min(page.count, page.number + 2) + 1)})
        links, last = [], 0
        for number in shown:
            if number - last > 1:
                links.append({"gap": True})
            links.append({"gap": False, "number": number, "url": url(number), "current": number == page.number})
            last = number
        return {"number": page.number, "count": page.count, "links": links,
                "prev": url(page.number - 1) if page.number > 1 else None,
                "next": url(page.number + 1) if page.number < page.count else None}

    def _home(self, page: Page) -> dict:
        count = self.config.home_per_section
        blocks = [{"title": section.title, "url": self.href(section.url),
                   "entries": [self.item(i) for i in self.site.by_section[section.key][:count]]}
                  for section in self.site.top_sections]
        return {"blocks": blocks, "latest": [self.item(i) for i in self.latest()],
                "title": self.site.sections[""].title}

    def latest(self) -> list[int]:
        """The home page's latest articles: pinned (置顶) first, then newest."""
        pinned = [i for i, a in enumerate(self.site.articles) if a.pinned]
        count = self.config.home_per_section
        return (pinned + [i for i in range(min(len(self.site.articles), count + len(pinned)))
                          if not self.site.articles[i].pinned])[:count]

    def _section(self, page: Page) -> dict:
        section = self.site.sections[page.key]
        top = self.site.trail(page.key)[0]
        return {
            "title": section.title, "intro": Markup(section.body_html), "crumbs": self.crumbs(page.key),
            "feed": {"title": f"{top.title} - {self.config.title}", "url": self.absolute(f"{top.key}/feed.xml")},
            "subsections": [{"title": self.site.sections[k].title, "url": self.href(self.site.sections[k].url)}
                            for k in self.site.children[page.key]],
            **self.listing(page, self.site.by_section[page.key]),
        }

    def _article(self, page: Page) -> dict:
        return {"article": self.article(page.index)}

    _print = _article

    def _alias(self, page: Page) -> dict:
        article = self.site.articles[page.index]
        return {"title": article.title, "target": self.href(article.url), "canonical": self.absolute(article.url)}

    def _redirects(self, page: Page) -> dict:
        """{normalised old address the 404 page redirects: the new page's root-relative URL}."""
        found = {redirect_key(alias): self.href(article.url) for article in self.site.articles
                 for alias in article.aliases if redirected_by_404(alias)}
        return {"redirects": dict(sorted(found.items()))}

    def _tags(self, page: Page) -> dict:
        tags = [{"name": tag, "count": len(indices), "url": self.href(tag_folder(tag) + "/")}
                for tag, indices in self.site.tags.items()]
        return {"title": "标签", "tags": sorted(tags, key=lambda t: (-t["count"], t["name"]))}

    def _tag(self, page: Page) -> dict:
        return {"title": f"标签：{page.key}", "kind_title": "标签", "kind_url": self.href("tags/"), "months": [],
                **self.listing(page, self.site.tags[page.key])}

    def _archive(self, page: Page) -> dict:
        years = []
        for year, indices in self.site.years.items():
            months = [{"name": f"{int(m[5:])}月", "count": count, "url": self.href(f"archive/{m}/")}
                      for m, count in self.months_of(year)]
            years.append({"name": f"{year}年", "count": len(indices), "url": self.href(f"archive/{year}/"),
                          "months": months})
        return {"title": "文章归档", "years": years}

    def _year(self, page: Page) -> dict:
        months = [{"name": f"{int(m[5:])}月", "count": count, "url": self.href(f"archive/{m}/")}
                  for m, count in self.months_of(page.key)]
        return {"title": f"{page.key}年", "kind_title": "文章归档", "kind_url": self.href("archive/"),
                "months": months, **self.listing(page, self.site.years[page.key])}

    def _month(self, page: Page) -> dict:
        year, month = page.key.split("/")
        return {"title": f"{year}年{int(month)}月", "kind_title": "文章归档", "kind_url": self.href("archive/"),
                "months": [], **self.listing(page, self.site.months[page.key])}

    def _feed(self, page: Page) -> dict:
        section = self.site.sections[page.key]
        indices = self.site.by_section[page.key] if page.key else range(len(self.site.articles))
        newest = sorted(indices)[:FEED_ENTRIES]
        entries = []
        for index in newest:
            article = self.site.articles[index]
            entries.append({"title": article.title, "url": self.absolute(article.url), "iso": article.date.isoformat(),
                            "author": article.author or self.config.title, "summary": article.summary,
                            "body": Markup(article.body_html),
                            "section": self.site.sections[article.section].title})
        title = self.config.title if not page.key else f"{section.title} - {self.config.title}"
        return {"title": title, "feed_url": self.absolute(page.out), "home": self.absolute(section.url),
                "updated": entries[0]["iso"] if entries else "1970-01-01T08:00:00+08:00", "entries": entries}

    def _sitemap(self, page: Page) -> dict:
        urls = []
        for listed in self.pages:
            if listed.kind in SITEMAP_KINDS:
                indices = self.indices_of(listed)
                newest = self.site.articles[min(indices)].date.isoformat() if indices else None
                urls.append({"loc": self.absolute(listed.url), "lastmod": newest})
        return {"urls": urls}

    def indices_of(self, page: Page):
        """The articles a page lists (all of them for site-wide pages)."""
        if page.kind in ("article", "print"):
            return (page.index,)
        if page.kind in ("section", "feed") and page.key:
            return self.site.by_section[page.key]
        if page.kind == "tag":
            return self.site.tags[page.key]
        if page.kind == "year":
            return self.site.years[page.key]
        if page.kind == "month":
            return self.site.months[page.key]
        return range(len(self.site.articles))

    def _robots(self, page: Page) -> dict:
        return {"sitemap": self.absolute("sitemap.xml")}

    def _search(self, page: Page) -> dict:
        return {"title": "站内搜索"}

    def _notfound(self, page: Page) -> dict:
        return {"title": "页面未找到"}
