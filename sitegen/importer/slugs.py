"""Import stage: an ASCII, stable, unique file name for each article, from its old address and date."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, unquote

ID_KEYS = ("id", "articleid", "newsid", "infoid", "aid", "nid", "artid", "contentid", "docid")
NUMBERED_STEM = re.compile(r"[A-Za-z_-]*?(\d+)")


def old_id(address: str, rel: str) -> str:
    """The old page's id: show.asp?id=77 -> '77', content_12345.htm -> '12345', t20191108_55.html -> 't20191108-55',
    about.htm -> 'about'; a page saved as text (no address) uses its file name."""
    path, _, query = (address or "/" + rel).partition("?")
    if query:
        params = {k.lower(): v for k, v in parse_qsl(query, keep_blank_values=True)}
        for key in ID_KEYS:
            if params.get(key, "").isdigit():
                return params[key]
        values = [v for _, v in sorted(params.items()) if v]
        if values:
            return _ascii("-".join(values)) or _digest(query)
    stem = unquote(path.rstrip("/").rsplit("/", 1)[-1])
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    match = NUMBERED_STEM.fullmatch(stem)
    if match:
        return match.group(1)
    return _ascii(stem) or _digest(path)


def _ascii(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def article_slug(date: str, address: str, rel: str) -> str:
    """'2019-11-08-12345': the day, then the old id, so the folder sorts by date and old links stay traceable."""
    return f"{date[:10]}-{old_id(address, rel)}"


def unique_slugs(wanted: list[tuple[str, str, str]], taken: set | None = None) -> dict:
    """(folder, slug, tie-breaker) -> unique slug: the second article with the same slug in a folder gets '-2'
    (ordered by the tie-breaker, the old address, so every run gives the same names). `taken`: (folder, slug)
    pairs already used by other files."""
    taken = set(taken or ())
    result = {}
    for folder, slug, tie in sorted(wanted):
        candidate, number = slug, 1
        while (folder, candidate) in taken:
            number += 1
            candidate = f"{slug}-{number}"
        taken.add((folder, candidate))
        result[(folder, slug, tie)] = candidate
    return result
