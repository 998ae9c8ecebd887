"""Old addresses a redirect page cannot serve (show.asp?id=77, article.jsp): the page kind 'redirects' writes
their map, redirects.json, which the 404 page's assets/js/redirect.js reads to send the reader on."""

from __future__ import annotations

from urllib.parse import unquote, unquote_plus

from . import urls
from .model import Page, Site

REDIRECTS_URL = "redirects.json"
HTML_SUFFIXES = (".htm", ".html", ".shtml", ".shtm", ".xhtml")


def redirected_by_404(alias: str) -> bool:
    """A query string (GitHub Pages ignores it when it picks a file, so show.asp?id=77 and ?id=78 are one
    file) or a file type not served as HTML (a redirect page saved as article.jsp would be downloaded)."""
    if "?" in alias:
        return True
    name = "" if alias.endswith("/") else alias.rpartition("/")[2]
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


def plan(site: Site, per_page: int):
    """Always one map ('{}' for a site without such addresses), so the 404 page's request never fails."""
    yield Page("redirects", urls.out_file(REDIRECTS_URL), "(the map of old addresses the 404 page redirects)")


def inputs(site: Site, page, lookups, links):
    found = {redirect_key(old): section.url for section in site.sections.values() for old in section.aliases
             if redirected_by_404(old)}
    found.update((redirect_key(old), article.url) for article in site.articles for old in article.aliases
                 if redirected_by_404(old))
    return tuple(sorted(found.items()))


def view(inputs, links) -> dict:
    """{normalised old address: the new page's root-relative URL, base path included}."""
    return {"redirects": {key: links.href(url) for key, url in inputs}}
