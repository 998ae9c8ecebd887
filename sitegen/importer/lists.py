"""Import stage: the section each old list page lists (the one that holds the articles it links to, else its
breadcrumb's section), so its old address redirects there; and each section's list addresses over all runs."""

from __future__ import annotations

from collections import Counter
from urllib.parse import urljoin, urlsplit

from ..redirects import redirect_key
from .mapping import SKIP, Mapping

NO_HOST = "old-site.invalid"


def list_folder(saved, links: tuple[str, ...], trail: tuple[str, ...], new_urls: dict, mapping: Mapping,
                folders: set) -> str:
    """The folder a list page lists: the innermost section holding all the imported articles it links to,
    else its breadcrumb's (or the nearest section above it) if that holds articles, else the section holding
    most of them; '' when none."""
    found = Counter()
    for href in links:
        parts = urlsplit(urljoin(f"http://{saved.host or NO_HOST}{saved.address or '/'}", href))
        url = new_urls.get(redirect_key((parts.path or "/") + (f"?{parts.query}" if parts.query else "")))
        if url:
            found[url.strip("/").rpartition("/")[0]] += 1
    common = _common_folder(list(found))
    if common:
        return common
    for depth in range(len(trail), 0, -1):
        folder = mapping.folder_of(trail[:depth])
        if folder != SKIP and any(f == folder or f.startswith(folder + "/") for f in folders):
            return folder
    return sorted(found.items(), key=lambda item: (-item[1], item[0]))[0][0] if found else ""


def _common_folder(folders: list[str]) -> str:
    """'a/b' and 'a/c' -> 'a'; '' when they share no section."""
    if not folders:
        return ""
    parts = [folder.split("/") for folder in folders]
    common = []
    for level in zip(*parts):
        if len(set(level)) != 1:
            break
        common.append(level[0])
    return "/".join(common)


def section_aliases(record_aliases: dict, this_run: dict) -> dict:
    """folder -> old list addresses redirected to it: those of earlier runs (`record_aliases`: folder ->
    aliases), less any this run sends elsewhere, and this run's (`this_run`: address -> folder)."""
    moved = {redirect_key(address) for address in this_run}
    result: dict[str, set] = {}
    for folder, aliases in record_aliases.items():
        result[folder] = {a for a in aliases if redirect_key(a) not in moved}
    for address, folder in this_run.items():
        result.setdefault(folder, set()).add(address)
    return {folder: tuple(sorted(aliases)) for folder, aliases in result.items()}
