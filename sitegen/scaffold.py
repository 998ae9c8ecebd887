"""`new`: write a new article file with its front matter filled in, never over an existing file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from .config import Config
from .parse import SLUG
from .problems import BuildFailed, Problem, did_you_mean


def new_article(config: Config, section: str, now: dt.datetime, title: str | None = None,
                slug: str | None = None) -> Path:
    """Create content/<section>/<slug>.md; raise BuildFailed when the section or slug is wrong or taken."""
    section = section.strip("/")
    folder = config.content_dir / section
    if not section or not (folder / "_index.md").is_file():
        known = sorted(p.parent.relative_to(config.content_dir).as_posix()
                       for p in config.content_dir.rglob("_index.md") if p.parent != config.content_dir)
        raise BuildFailed([Problem(f"content/{section}", 1, 1,
                                   f"no section '{section}'{did_you_mean(section, known)}; sections: "
                                   + ", ".join(known))])
    local = now.astimezone(config.zone)
    if slug is None:
        slug = f"{local:%Y%m%d-%H%M}"
        number = 2
        while (folder / f"{slug}.md").exists():
            slug = f"{local:%Y%m%d-%H%M}-{number}"
            number += 1
    if not SLUG.fullmatch(slug):
        raise BuildFailed([Problem("--slug", 1, 1, f"slug '{slug}' may only contain lowercase letters a-z, "
                                                   "digits and '-'")])
    path = folder / f"{slug}.md"
    lines = ["---", f"title: {json.dumps(title or '请在这里填写标题', ensure_ascii=False)}", "subtitle:",
             f"author: {json.dumps(config.default_author, ensure_ascii=False)}",
             f"source: {json.dumps(config.default_source, ensure_ascii=False)}",
             f"date: {local:%Y-%m-%d %H:%M:%S}", "tags: []", "---", "", "正文从这里开始。", ""]
    try:
        with open(path, "x", encoding="utf-8") as handle:  # 'x': never overwrite
            handle.write("\n".join(lines))
    except FileExistsError:
        raise BuildFailed([Problem(f"content/{section}/{slug}.md", 1, 1,
                                   "this file already exists and was left as it was; choose another --slug")])
    return path
