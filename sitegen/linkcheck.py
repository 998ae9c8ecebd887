"""Check internal links and images in articles and section texts against the pages, assets and heading anchors."""

from __future__ import annotations

import dataclasses
import difflib
import pickle
import re
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import unquote, urljoin, urlsplit

from .keys import value_digest
from .markdown import LOCAL_FILE, PICTURE_ENDINGS, local_file_message
from .model import Site
from .pages import Page
from .messages import listing, say
from .problems import Problem


class Targets(NamedTuple):
    """What a link can point at: the site's pages, its assets, and the URLs of articles left out of the build
    (mapped to why; an empty reason means the article's file has problems of its own, so links to it are not
    reported a second time)."""

    site: Site
    pages: tuple[Page, ...]
    assets: tuple[str, ...]
    left_out: dict


def link_context(targets: Targets) -> bytes:
    """A digest of everything a link can point at: pages, assets, heading anchors and left-out articles.
    With the same context, a text whose digest is the same has the same problems (the persistent cache)."""
    site, pages, assets, left_out = targets
    material = (sorted(page.out for page in pages), assets,
                sorted((a.url, a.anchors) for a in (*site.articles, *site.standalones)),
                sorted(left_out.items()))
    return value_digest(material)


def check_links(targets: Targets, previous: dict | None = None, known: dict | None = None,
                tables: list | None = None) -> dict:
    """Problems of each article and section text whose internal links or images point nowhere.

    `left_out` maps the URLs of articles not in this build (drafts, future) to the reason; an empty
    reason means the article's file has problems of its own, so links to it are not reported. Returns
    {source path: (checked object, problems)}. With `previous` (the last result, for the same pages,
    headings and left-out articles), only texts that changed are checked again; `known` maps the digests of
    texts checked in the same link context (from the cache) to their problems. `tables` (empty, or the
    one a call with the same pages, assets and headings filled) holds every page, file and heading.
    """
    site, pages, assets, left_out = targets
    tables = tables if tables is not None else []  # made only if some text must be checked again

    def targets_and_anchors():
        if not tables:
            tables.append({"/" + page.url for page in pages} | {"/" + page.out for page in pages}
                          | {"/" + a for a in assets})
            tables.append({"/" + item.url: set(item.anchors) for item in (*site.articles, *site.standalones)})
        return tables

    previous = previous or {}
    found = {}
    for item in (*site.articles, *site.sections.values(), *site.standalones):
        if not item.links:
            continue
        last = previous.get(item.path)
        if last is not None and last[0] is item:
            found[item.path] = last
            continue
        if known and item.digest and item.digest in known:
            found[item.path] = (item, known[item.digest])
            continue
        targets, anchors = targets_and_anchors()
        found[item.path] = (item, _check("/" + item.url, item.path, item.links, targets, anchors, left_out))
    return found


def link_problems(checked: dict) -> tuple[Problem, ...]:
    return tuple(sorted(p for _, problems in checked.values() for p in problems))


def _check(here: str, source: str, links, targets: set, anchors: dict, left_out: dict) -> tuple[Problem, ...]:
    problems = []
    for target, line, col in links:
        if LOCAL_FILE.match(target):
            problems.append(Problem(source, line, col, local_file_message(target)))
            continue
        parts = urlsplit(urljoin(here, target))
        path, fragment = unquote(parts.path), unquote(parts.fragment)
        page = path[: -len("index.html")] if path.endswith("/index.html") else path
        page = page if page.endswith("/") else page + "/"
        if page in left_out and path not in targets:
            if not left_out[page]:
                continue
            problems.append(Problem(source, line, col, say("broken link: {target} is left out of this build: {why}",
                                                           target=target, why=left_out[page])))
        elif path not in targets and path + "/" not in targets:
            problems.append(Problem(source, line, col, _missing(target, path, targets)))
        elif fragment and page in anchors and fragment not in anchors[page]:
            problems.append(Problem(source, line, col,
                                    say("broken link: {target} has no heading '#{fragment}' (headings: {known})",
                                        target=target, fragment=fragment,
                                        known=listing(sorted(anchors[page])) if anchors[page] else say("none"))))
    return tuple(problems)


ANOTHER_SITE = re.compile(r"^(?:www\.|[a-z0-9-]+\.)+(?:cn|com|net|org|gov|edu)(?:[/:?#]|$)", re.I)


def _missing(target: str, path: str, targets: set):
    """What is wrong with a link or picture to nowhere, with the address it probably meant: the same one in
    other capitals (A.JPG for a.jpg), or without the assets/ folder."""
    what = say("picture") if path.rsplit(".", 1)[-1].lower() in PICTURE_ENDINGS else say("link")
    folded = path.lower()
    if same_but_capitals := min((t for t in targets if t.lower() in (folded, folded + "/")), default=None):
        return say("broken {what}: {target} does not exist; did you mean {meant}? (capitals count in addresses)",
                   what=what, target=target, meant=same_but_capitals)
    folder, _, name = path.rpartition("/")
    near = difflib.get_close_matches(name, [t[len(folder) + 1:] for t in targets if t.startswith(folder + "/")
                                            and t.count("/") == path.count("/")], n=1, cutoff=0.8)
    if near:  # a name spelt nearly the same in the same folder
        return say("broken {what}: {target} does not exist{hint}", what=what, target=target,
                   hint=say(" (did you mean '{close}'?)", close=f"{folder}/{near[0]}"))
    if path.startswith("/assets/") and path[len("/assets"):] in targets:
        return say("broken {what}: {target} does not exist; write {meant}: files under assets/ are served at the "
                   "site root", what=what, target=target, meant=path[len("/assets"):])
    if ANOTHER_SITE.match(target):  # [中国政府网](www.gov.cn): an address of another site without its https://
        return say("broken {what}: {target} looks like another website's address: write it whole, such as "
                   "https://{target}", what=what, target=target)
    if what.text == "picture":
        return say("broken picture: {target} does not exist (files under assets/ are served at the site root: "
                   "assets/images/a.jpg is /images/a.jpg)", target=target)
    return say("broken link: {target} does not exist", target=target)


@dataclass(frozen=True, slots=True)
class LinkMemo:
    """What one check_links call of 'serve' leaves for the next: what links could point at, and the results."""

    outs: tuple  # every page's output file
    assets: tuple
    articles: tuple  # the articles whose headings `anchors` lists
    anchors: tuple  # (URL, heading anchors) of each article
    left_out: dict
    checked: dict
    tables: list
    standalones: tuple = ()


def remembered_links(targets: Targets, memo: LinkMemo | None, cache=None) -> tuple[dict, LinkMemo]:
    """check_links, and what the next call needs to check only what changed: while the pages, assets, headings
    and left-out articles are those of the last call, unchanged texts keep their results (and the tables of
    targets are kept); otherwise the persistent cache gives each text's result for the same link context."""
    site, pages, assets, left_out = targets
    outs = memo.outs if memo is not None and len(memo.outs) == len(pages) \
        and all(page.out == out for page, out in zip(pages, memo.outs)) else tuple(page.out for page in pages)
    if memo is not None and len(memo.articles) == len(site.articles):
        anchors = tuple(last if new is old else (new.url, new.anchors)
                        for new, old, last in zip(site.articles, memo.articles, memo.anchors))
    else:
        anchors = tuple((article.url, article.anchors) for article in site.articles)
    same = memo is not None and outs is memo.outs and assets == memo.assets and anchors == memo.anchors \
        and left_out == memo.left_out and site.standalones == memo.standalones
    if same:
        checked = check_links(targets, memo.checked, tables=memo.tables)
        return checked, dataclasses.replace(memo, articles=site.articles, anchors=anchors, checked=checked)
    checked = cached_check(targets, cache)
    return checked, LinkMemo(outs, assets, site.articles, anchors, left_out, checked, [], site.standalones)


def cached_check(targets: Targets, cache=None) -> dict:
    """check_links with the results the persistent cache keeps for each text's digest in this link context."""
    key = cache.key("links", link_context(targets)) if cache is not None and cache.enabled else ""
    try:
        known = pickle.loads(cache.get("links", key) or pickle.dumps({})) if key else {}
    except Exception:  # unreadable: checked again
        known = {}
    checked = check_links(targets, known=known)
    results = {item.digest: problems for item, problems in checked.values() if item.digest}
    if key and results != known:
        cache.put("links", key, pickle.dumps(results, protocol=5))
    return checked
