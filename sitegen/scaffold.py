"""`new`: write a new article file with its front matter filled in, never over an existing file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from .config import Config
from .messages import listing, say
from .parse import PLACEHOLDER_BODY, PLACEHOLDER_TITLE, SLUG, split_front_matter
from .problems import BuildFailed, Problem, did_you_mean
from .sources import SourceFile, decode
from .yamlsource import YamlError


def section_titles(content_dir: Path) -> dict[str, str]:
    """Each section folder (renda-yaowen, daibiao-gongzuo/lvzhi-dongtai) and its title from its _index.md
    (the folder's name when the title cannot be read: the build says why)."""
    titles = {}
    for index in sorted(content_dir.rglob("_index.md")):
        folder = index.parent.relative_to(content_dir).as_posix()
        if folder == ".":
            continue
        text, _ = decode(index.read_bytes(), str(index))
        front = split_front_matter(SourceFile("_index.md", str(index), text or "", 0, 0, ""))[0] if text else None
        try:
            data = front.load() if front else None
        except YamlError:
            data = None
        title = data.get("title") if isinstance(data, dict) else None
        titles[folder] = str(title).strip() if title else folder
    return titles


def find_section(content_dir: Path, asked: str) -> str:
    """The section folder `asked` names: its folder (daibiao-gongzuo/lvzhi-dongtai) or its Chinese title (履职动态,
    or 代表工作/履职动态 where two sections share a title); raise BuildFailed listing the sections otherwise."""
    titles = section_titles(content_dir)
    asked = asked.strip().strip("/")
    if asked in titles:
        return asked
    trails = {folder: "/".join(titles.get("/".join(folder.split("/")[:n + 1]), "")
                               for n in range(folder.count("/") + 1)) for folder in titles}
    named = [folder for folder, title in titles.items() if title == asked] \
        or [folder for folder, trail in trails.items() if trail == asked.replace(" ", "").replace(">", "/")]
    if len(named) == 1:
        return named[0]
    listed = listing(f"{titles[folder]} ({folder})" for folder in (named or titles))
    if named:
        message = say("several sections are called '{asked}': name the one you mean by its folder; sections: "
                      "{sections}", asked=asked, sections=listed)
    else:
        hint = did_you_mean(asked, [*titles, *titles.values()])
        message = say("no section '{asked}'{hint}; sections: {sections}", asked=asked, hint=hint, sections=listed)
    raise BuildFailed([Problem(f"content/{asked}", 0, 0, message)])


def new_article(config: Config, section: str, now: dt.datetime, title: str | None = None,
                slug: str | None = None) -> Path:
    """Create content/<section>/<slug>.md; raise BuildFailed when the section or slug is wrong or taken.
    `section` is the folder or the section's Chinese title."""
    section = find_section(config.content_dir, section)
    folder = config.content_dir / section
    local = now.astimezone(config.zone)
    if slug is None:
        slug = f"{local:%Y%m%d-%H%M}"
        number = 2
        while (folder / f"{slug}.md").exists():
            slug = f"{local:%Y%m%d-%H%M}-{number}"
            number += 1
    if not SLUG.fullmatch(slug):
        raise BuildFailed([Problem("--slug", 0, 0, say("slug '{slug}' may only contain lowercase letters a-z, "
                                                       "digits and '-'", slug=slug))])
    path = folder / f"{slug}.md"
    lines = ["---", f"title: {json.dumps(title or PLACEHOLDER_TITLE, ensure_ascii=False)}", "subtitle:",
             f"author: {json.dumps(config.default_author, ensure_ascii=False)}",
             f"source: {json.dumps(config.default_source, ensure_ascii=False)}",
             f"date: {local:%Y-%m-%d %H:%M:%S}", "tags: []", "---", "", PLACEHOLDER_BODY, ""]
    try:
        with open(path, "x", encoding="utf-8") as handle:  # 'x': never overwrite
            handle.write("\n".join(lines))
    except FileExistsError:
        raise BuildFailed([Problem(f"content/{section}/{slug}.md", 0, 0,
                                   say("this file already exists and was left as it was; choose another --slug"))])
    return path
