"""Stage 5: plan every output page of the site (pure); two pages at one URL is a problem naming both files."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Site
from .problems import BuildFailed, Problem


@dataclass(frozen=True, slots=True)
class Page:
    kind: str  # 'home' | 'section' | 'article' | 'print' | 'search' | 'notfound'
    out: str  # file path under output/: 'a/b/index.html'
    owner: str  # the source file that asks for this page
    key: str = ""  # section key for 'section'
    index: int = -1  # article index for 'article' and 'print'
    number: int = 1  # page number of a section list
    count: int = 1  # number of pages in that section list

    @property
    def url(self) -> str:
        """Site-relative URL: 'a/b/' for 'a/b/index.html'."""
        return self.out[: -len("index.html")] if self.out.endswith("index.html") else self.out


def list_page_out(key: str, number: int) -> str:
    prefix = f"{key}/" if key else ""
    return f"{prefix}index.html" if number == 1 else f"{prefix}page/{number}/index.html"


def plan_pages(site: Site, per_page: int, asset_files: tuple[str, ...] = (), search: bool = True) -> tuple[Page, ...]:
    """Every page: home, section lists with their numbered pages, articles, print views, search, 404."""
    pages = [Page("home", "index.html", site.sections[""].path), Page("notfound", "404.html", "layouts/404.html")]
    if search:
        pages.append(Page("search", "search/index.html", "layouts/search.html"))
    for key, section in site.sections.items():
        if not key:
            continue
        count = max(1, -(-len(site.by_section[key]) // per_page))
        for number in range(1, count + 1):
            pages.append(Page("section", list_page_out(key, number), section.path, key=key, number=number,
                              count=count))
    for index, article in enumerate(site.articles):
        pages.append(Page("article", f"{article.url}index.html", article.path, index=index))
        pages.append(Page("print", f"{article.print_url}index.html", article.path, index=index))
    check_collisions(pages, asset_files)
    return tuple(pages)


def check_collisions(pages: list[Page], asset_files: tuple[str, ...]) -> None:
    """Raise one problem per clash, naming both files that want the same output path."""
    owners: dict[str, str] = {f"{a}": f"assets/{a}" for a in asset_files}
    problems, reported = [], set()
    for page in pages:
        first = owners.setdefault(page.out, page.owner)
        if first != page.owner and (pair := tuple(sorted((first, page.owner)))) not in reported:
            reported.add(pair)
            a, b = pair
            problems.append(Problem(b, 1, 1, f"URL /{page.url} is also produced by {a}; "
                                             "give one of them another slug: (or file name)"))
    if problems:
        raise BuildFailed(problems)
