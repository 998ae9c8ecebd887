"""Stage 5: plan every output page of the site from the registry of kinds (pure); two outputs at one path
is a problem naming both files."""

from __future__ import annotations

from . import urls
from .kinds import KINDS
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
    return tuple(problems)


def generated(page: Page) -> bool:
    return page.owner.startswith("(")


def describe(page: Page) -> str:
    return page.owner[1:-1] if generated(page) else page.owner
