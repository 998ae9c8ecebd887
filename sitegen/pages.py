"""Stage 5: plan every output page of the site (pure); two outputs at one path is a problem naming both files."""

from __future__ import annotations

import hashlib
from urllib.parse import unquote, unquote_plus
from dataclasses import dataclass

from .model import Site
from .problems import BuildFailed, Problem

FEED_ENTRIES = 20
REDIRECTS_OUT = "redirects.json"  # read by assets/js/redirect.js on the 404 page


@dataclass(frozen=True, slots=True)
class Page:
    kind: str  # home section article print search notfound tags tag archive year month feed sitemap robots alias redirects
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


HTML_SUFFIXES = (".htm", ".html", ".shtml", ".shtm", ".xhtml")


def redirected_by_404(alias: str) -> bool:
    """Old addresses a redirect page cannot serve, so the 404 page redirects them through redirects.json:
    a query string (GitHub Pages ignores it: show.asp?id=77) or a file type that is not served as HTML
    (a redirect page saved as article.jsp would be downloaded, not shown)."""
    if "?" in alias:
        return True
    name = alias.rstrip("/").rpartition("/")[2] if not alias.endswith("/") else ""
    return "." in name and not name.lower().endswith(HTML_SUFFIXES)


def redirect_key(address: str) -> str:
    """How the 404 page looks an old address up (assets/js/redirect.js does the same): path percent-decoded,
    lower-cased (old .asp/.jsp hosts ignore case), no trailing '/'; query parameters decoded ('+' is a
    space), names lower-cased, empty ones dropped, sorted."""
    path, _, query = address.partition("?")
    path = unquote(path).lower()
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    params = []
    for part in query.split("&"):
        if not part:
            continue
        name, equals, value = part.partition("=")
        params.append(unquote_plus(name).lower() + equals + unquote_plus(value))
    return path + ("?" + "&".join(sorted(params)) if params else "")


def _paginated(kind: str, folder: str, owner: str, key: str, total: int, per_page: int) -> list[Page]:
    count = max(1, -(-total // per_page))
    return [Page(kind, list_page_out(folder, number), owner, key=key, folder=folder, number=number, count=count)
            for number in range(1, count + 1)]


def plan_pages(site: Site, per_page: int, asset_files: tuple[str, ...] = ()) -> tuple[Page, ...]:
    """Every output: home, lists, articles, print views, tags, archives, feeds, sitemap, redirects, search, 404."""
    pages = [Page("home", "index.html", "(the home page)"), Page("notfound", "404.html", "(the site's 404 page)"),
             Page("feed", "feed.xml", "(the site's Atom feed)"), Page("sitemap", "sitemap.xml", "(the sitemap)"),
             Page("robots", "robots.txt", "(robots.txt)"), Page("search", "search/index.html", "(the search page)")]
    for key, section in site.sections.items():
        if key:
            pages += _paginated("section", key, section.path, key, len(site.by_section[key]), per_page)
    for section in site.top_sections:
        pages.append(Page("feed", f"{section.key}/feed.xml", section.path, key=section.key))
    for index, article in enumerate(site.articles):
        pages.append(Page("article", f"{article.url}index.html", article.path, index=index))
        pages.append(Page("print", f"{article.print_url}index.html", article.path, index=index))
        for alias in article.aliases:
            if not redirected_by_404(alias):
                pages.append(Page("alias", alias_out(alias), article.path, index=index))
    if any(redirected_by_404(alias) for article in site.articles for alias in article.aliases):
        pages.append(Page("redirects", REDIRECTS_OUT, "(the map of old addresses with a query string)"))
    pages.append(Page("tags", "tags/index.html", "(the tag list)"))
    for tag, indices in site.tags.items():
        pages += _paginated("tag", tag_folder(tag), f"(the page of tag {tag})", tag, len(indices), per_page)
    pages.append(Page("archive", "archive/index.html", "(the archive)"))
    for year, indices in site.years.items():
        pages += _paginated("year", f"archive/{year}", f"(the archive of {year})", year, len(indices), per_page)
    for month, indices in site.months.items():
        pages += _paginated("month", f"archive/{month}", f"(the archive of {month})", month, len(indices), per_page)
    check_collisions(pages, asset_files)
    return tuple(pages)


def check_collisions(pages: list[Page], asset_files: tuple[str, ...]) -> None:
    """Raise one problem per clash of output paths, in the file an editor should change, naming the other."""
    taken: dict[str, Page] = {a: Page("asset", a, f"assets/{a}") for a in asset_files}
    problems, reported = [], set()

    def clash(first: Page, second: Page, path: str) -> None:
        if (pair := (frozenset((first.owner, second.owner)), "alias" in (first.kind, second.kind))) in reported:
            return
        reported.add(pair)
        alias, other = (second, first) if second.kind == "alias" else (first, second)
        if first.kind == second.kind == "alias":
            alias, other = sorted((first, second), key=lambda p: p.owner, reverse=True)
        if alias.kind == "alias":
            if alias.owner == other.owner:
                message = f"redirect (alias) /{alias.url} is this article's own page; remove it from 'aliases:'"
            else:
                owner = f"a redirect (alias) of {other.owner}" if other.kind == "alias" else describe(other)
                message = f"redirect (alias) /{alias.url} is already used by {owner}; change or remove this alias"
            problems.append(Problem(alias.owner, 1, 1, message))
            return
        if first.owner == second.owner:
            return  # one file's own pages never clash (article and print view)
        a, b = sorted((first, second), key=lambda p: (generated(p), p.owner))
        where = b if not generated(b) else a
        other = a if where is b else b
        fix = ("rename the folder" if where.owner.endswith("/_index.md")
               else "give one of them another slug: (or file name)")
        problems.append(Problem(where.owner, 1, 1, f"URL /{where.url} is also produced by {describe(other)}; {fix}"))

    for page in pages:
        first = taken.setdefault(page.out, page)
        if first is not page:
            clash(first, page, page.out)
    for out, page in list(taken.items()):
        folder = out
        while "/" in folder:  # a file where another page needs a folder ('news/b' against 'news/b/index.html')
            folder = folder.rpartition("/")[0]
            if folder in taken:
                clash(taken[folder], page, folder)
    if problems:
        raise BuildFailed(problems)


def generated(page: Page) -> bool:
    return page.owner.startswith("(")


def describe(page: Page) -> str:
    return page.owner[1:-1] if generated(page) else page.owner
