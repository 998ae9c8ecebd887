"""Stage 6: render planned pages with the Jinja2 layouts (autoescape, StrictUndefined) into HTML text."""

from __future__ import annotations

import traceback
from pathlib import Path

import jinja2
from markupsafe import Markup

from .config import Config
from .model import Article, Site
from .pages import Page, list_page_out
from .problems import Problem

TEMPLATES = {
    "home": "home.html",
    "section": "section.html",
    "article": "article.html",
    "print": "print.html",
    "search": "search.html",
    "notfound": "404.html",
}


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
    """Turns planned pages into HTML; holds the environment and the views shared by every page."""

    def __init__(self, config: Config, site: Site, env: jinja2.Environment, page_kinds: set):
        self.config, self.site, self.env = config, site, env
        self.base = config.base_path
        self.globals = {
            "site": {
                "title": config.title, "subtitle": config.subtitle, "description": config.description,
                "language": config.language, "base_url": config.base_url, "base_path": self.base,
                "footer": config.footer, "home_url": self.base, "search_url": self.base + "search/",
                "nav": [{"title": s.title, "url": self.href(s.url), "key": s.key} for s in site.top_sections],
            },
            "asset": lambda rel: self.base + rel.lstrip("/"),
        }
        env.globals.update(self.globals)  # macros imported without context see them too

    def href(self, rel: str) -> str:
        return self.base + rel

    def render(self, page: Page) -> str:
        template = self.env.get_template(TEMPLATES[page.kind])
        context = getattr(self, f"_{page.kind}")(page)
        context.update(page={"kind": page.kind, "url": self.href(page.url),
                                           "canonical": self.config.base_url + page.url})
        try:
            return template.render(context)
        except Exception as err:  # any template runtime error becomes a problem naming its file and line
            raise TemplateFailed(template_problem(err, self.config.layouts_dir)) from None

    # views ---------------------------------------------------------------

    def item(self, article: Article) -> dict:
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
            "tags": article.tags, "url": self.href(article.url), "print_url": self.href(article.print_url),
            "canonical": self.config.base_url + article.url,
            "body": Markup(article.body_html), "section": {"title": section.title, "url": self.href(section.url)},
            "sections": [s.title for s in self.site.trail(article.section)],
            "crumbs": self.crumbs(article.section),
            "newer": self.item(self.site.articles[newer]) if newer is not None else None,
            "older": self.item(self.site.articles[older]) if older is not None else None,
        }

    def _home(self, page: Page) -> dict:
        blocks = []
        for section in self.site.top_sections:
            indices = self.site.by_section[section.key][: self.config.home_per_section]
            blocks.append({"title": section.title, "url": self.href(section.url),
                           "entries": [self.item(self.site.articles[i]) for i in indices]})
        latest = [self.item(a) for a in self.site.articles[: self.config.home_per_section]]
        return {"blocks": blocks, "latest": latest, "title": self.site.sections[""].title}

    def _section(self, page: Page) -> dict:
        section = self.site.sections[page.key]
        per_page = self.config.per_page
        indices = self.site.by_section[page.key][(page.number - 1) * per_page: page.number * per_page]
        return {
            "title": section.title, "intro": Markup(section.body_html), "crumbs": self.crumbs(page.key),
            "subsections": [{"title": self.site.sections[k].title, "url": self.href(self.site.sections[k].url)}
                            for k in self.site.children[page.key]],
            "entries": [self.item(self.site.articles[i]) for i in indices],
            "pagination": self.pagination(page),
        }

    def pagination(self, page: Page) -> dict:
        def url(number: int) -> str:
            return self.href(list_page_out(page.key, number)[: -len("index.html")])

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

    def _article(self, page: Page) -> dict:
        return {"article": self.article(page.index)}

    _print = _article

    def _search(self, page: Page) -> dict:
        return {"title": "站内搜索"}

    def _notfound(self, page: Page) -> dict:
        return {"title": "页面未找到"}
