"""Stage 5: plan every output page of the site (pure); two outputs at one path is a problem naming both files."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .model import Site
from .problems import BuildFailed, Problem

FEED_ENTRIES = 20


@dataclass(frozen=True, slots=True)
class Page:
    kind: str  # home section article print search notfound tags tag archive year month feed sitemap robots alias
    out: str  # file path under output/: 'a/b/index.html'
    owner: str  # the source file that asks for this page
    key: str = ""  # section key, tag, 'YYYY' or 'YYYY/MM', depending on kind
    folder: str = ""  # URL folder of a paginated list: page N lives at folder/page/N/
    index: int = -1  # article index for 'article', 'print' and 'alias'
    number: int = 1  # page number of a list
    count: int = 1  # number of pages in that list

    @property
    def url(self) -> str:
        """Site-relative URL: 'a/b/' for 'a/b/index.html'."""
        return self.out[: -len("index.html")] if self.out.endswith("index.html") else self.out


def list_page_out(folder: str, number: int) -> str:
    prefix = f"{folder}/" if folder else ""
    return f"{prefix}index.html" if number == 1 else f"{prefix}page/{number}/index.html"


def tag_id(tag: str) -> str:
    """A stable ASCII id for a (Chinese) tag: the same tag text always gives the same URL."""
    return hashlib.sha1(tag.encode("utf-8")).hexdigest()[:10]


def tag_folder(tag: str) -> str:
    return f"tags/{tag_id(tag)}"


def alias_out(alias: str) -> str:
    """'/old/a.htm' -> 'old/a.htm'; '/old/dir/' -> 'old/dir/index.html'."""
    path = alias.lstrip("/")
    return path + "index.html" if path.endswith("/") or not path else path


def _paginated(kind: str, folder: str, owner: str, key: str, total: int, per_page: int) -> list[Page]:
    count = max(1, -(-total // per_page))
    return [Page(kind, list_page_out(folder, number), owner, key=key, folder=folder, number=number, count=count)
            for number in range(1, count + 1)]


def plan_pages(site: Site, per_page: int, asset_files: tuple[str, ...] = ()) -> tuple[Page, ...]:
    """Every output: home, lists, articles, print views, tags, archives, feeds, sitemap, redirects, search, 404."""
    home = site.sections[""].path
    pages = [Page("home", "index.html", home), Page("notfound", "404.html", "layouts/404.html"),
             Page("feed", "feed.xml", home), Page("sitemap", "sitemap.xml", home),
             Page("robots", "robots.txt", home), Page("search", "search/index.html", home)]
    for key, section in site.sections.items():
        if key:
            pages += _paginated("section", key, section.path, key, len(site.by_section[key]), per_page)
    for section in site.top_sections:
        pages.append(Page("feed", f"{section.key}/feed.xml", section.path, key=section.key))
    for index, article in enumerate(site.articles):
        pages.append(Page("article", f"{article.url}index.html", article.path, index=index))
        pages.append(Page("print", f"{article.print_url}index.html", article.path, index=index))
        for alias in article.aliases:
            pages.append(Page("alias", alias_out(alias), article.path, index=index))
    pages.append(Page("tags", "tags/index.html", home))
    for tag, indices in site.tags.items():
        pages += _paginated("tag", tag_folder(tag), home, tag, len(indices), per_page)
    pages.append(Page("archive", "archive/index.html", home))
    for year, indices in site.years().items():
        pages += _paginated("year", f"archive/{year}", home, year, len(indices), per_page)
    for month, indices in site.months.items():
        pages += _paginated("month", f"archive/{month}", home, month, len(indices), per_page)
    check_collisions(pages, asset_files)
    return tuple(pages)


def check_collisions(pages: list[Page], asset_files: tuple[str, ...]) -> None:
    """Raise one problem per clash, naming both files that want the same output path."""
    owners: dict[str, str] = {a: f"assets/{a}" for a in asset_files}
    problems, reported = [], set()
    for page in pages:
        first = owners.setdefault(page.out, page.owner)
        if first != page.owner and (pair := tuple(sorted((first, page.owner)))) not in reported:
            reported.add(pair)
            a, b = pair
            what = "redirect (alias) " if page.kind == "alias" else ""
            problems.append(Problem(b, 1, 1, f"{what}URL /{page.url} is also produced by {a}; "
                                             "give one of them another slug: (or file name, or alias)"))
    if problems:
        raise BuildFailed(problems)
