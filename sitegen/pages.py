"""Stage 5: plan every output page of the site from the registry of kinds (pure); two outputs at one path
is a problem naming both files."""

from __future__ import annotations

from . import urls
from .kinds import KINDS
from .messages import say
from .model import Page, Site
from .problems import Problem

__all__ = ["Page", "plan_pages", "check_collisions", "list_page_out", "tag_id", "tag_folder", "alias_out"]


def list_page_out(folder: str, number: int) -> str:
    """The file of page `number` of the list in URL folder 'a/b' ('' for the site root)."""
    return urls.out_file(urls.list_page(urls.section(folder), number))


def tag_id(tag: str) -> str:
    return urls.tag_id(tag)


def tag_folder(tag: str) -> str:
    return urls.tag(tag).rstrip("/")


def alias_out(alias: str) -> str:
    """'/old/a.htm' -> 'old/a.htm'; '/old/dir/' -> 'old/dir/index.html'."""
    return urls.out_file(urls.alias(alias))


def plan_pages(site: Site, per_page: int, asset_files: tuple[str, ...] = ()) -> tuple[tuple[Page, ...], tuple[Problem, ...]]:
    """Every output of every kind in the registry, and a problem for each clash of output paths."""
    pages = [page for kind in KINDS for page in kind.plan(site, per_page)]
    return tuple(pages), check_collisions(pages, asset_files)


def check_collisions(pages: list[Page], asset_files: tuple[str, ...]) -> tuple[Problem, ...]:
    """One problem per clash of output paths, in the file an editor should change, naming the other."""
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
                message = say("redirect (alias) /{url} is this article's own page; remove it from 'aliases:'",
                              url=alias.url)
            else:
                owner = say("a redirect (alias) of {owner}", owner=other.owner) if other.kind == "alias" \
                    else describe(other)
                message = say("redirect (alias) /{url} is already used by {owner}; change or remove this alias",
                              url=alias.url, owner=owner)
            problems.append(Problem(alias.owner, 1, 1, message))
            return
        if first.owner == second.owner:
            return  # one file's own pages never clash (article and print view)
        a, b = sorted((first, second), key=lambda p: (generated(p), p.owner))
        where = b if not generated(b) else a
        other = a if where is b else b
        fix = (say("rename the folder") if where.owner.endswith("/_index.md")
               else say("give one of them another slug: (or file name)"))
        problems.append(Problem(where.owner, 1, 1, say("URL /{url} is also produced by {other}; {fix}", url=where.url,
                                                       other=describe(other), fix=fix)))

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
    return tuple(problems)


def generated(page: Page) -> bool:
    return page.owner.startswith("(")


GENERATED_PAGES = {
    "feed": say("the site's Atom feed"), "home": say("the home page"), "notfound": say("the site's 404 page"),
    "sitemap": say("the sitemap"), "robots": say("robots.txt"), "search": say("the search page"),
    "tags": say("the tag list"), "archive": say("the archive"),
    "redirects": say("the map of old addresses the 404 page redirects"), "map": say("the site map page"),
}


def describe(page: Page):
    """The file a page comes from, or what the page is when the build makes it of itself."""
    if not generated(page):
        return page.owner
    if page.kind == "tag":
        return say("the page of tag {tag}", tag=page.key)
    if page.kind in ("year", "month"):
        return say("the archive of {period}", period=page.key)
    return GENERATED_PAGES[page.kind]
