"""Check internal links and images in articles and section texts against the pages, assets and heading anchors."""

from __future__ import annotations

from urllib.parse import unquote, urljoin, urlsplit

from .model import Site
from .pages import Page
from .problems import Problem


def check_links(site: Site, pages: tuple[Page, ...], assets: tuple[str, ...]) -> list[Problem]:
    """One problem per internal link or image whose target page, file or heading does not exist."""
    targets = {"/" + page.url for page in pages} | {"/" + page.out for page in pages} | {"/" + a for a in assets}
    anchors = {"/" + article.url: set(article.anchors) for article in site.articles}
    problems = []
    sources = [("/" + a.url, a.path, a.links) for a in site.articles]
    sources += [("/" + s.url, s.path, s.links) for s in site.sections.values()]
    for here, source, links in sources:
        for target, line, col in links:
            parts = urlsplit(urljoin(here, target))
            path, fragment = unquote(parts.path), unquote(parts.fragment)
            page = path[: -len("index.html")] if path.endswith("/index.html") else path
            page = page if page.endswith("/") else page + "/"
            if path not in targets and path + "/" not in targets:
                what = "image" if path.rsplit(".", 1)[-1].lower() in ("jpg", "jpeg", "png", "gif", "webp", "svg") \
                    else "link"
                hint = " (files under assets/ are served at the site root: assets/images/a.jpg is /images/a.jpg)" \
                    if what == "image" else ""
                problems.append(Problem(source, line, col, f"broken {what}: {target} does not exist{hint}"))
            elif fragment and page in anchors and fragment not in anchors[page]:
                known = ", ".join(sorted(anchors[page])) or "none"
                problems.append(Problem(source, line, col,
                                        f"broken link: {target} has no heading '#{fragment}' (headings: {known})"))
    return problems
