"""Import stage: import-map.yaml, the office's say over sections: old breadcrumb trail -> new folder, folder titles,
and where pages without a breadcrumb go."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..problems import Problem
from .sections import trail_folder

MAP_NAME = "import-map.yaml"
SKIP = "skip"
DEFAULT_NO_BREADCRUMB = "qita"
DEFAULT_NO_BREADCRUMB_TITLE = "其他"
FOLDER = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)*")
KEYS = ("no_breadcrumb", "sections", "titles")


@dataclass(frozen=True, slots=True)
class Mapping:
    sections: dict = field(default_factory=dict)  # 'trail > key' -> folder or 'skip'
    titles: dict = field(default_factory=dict)  # folder -> Chinese title
    no_breadcrumb: str = DEFAULT_NO_BREADCRUMB
    exists: bool = False

    def folder_of(self, trail: tuple[str, ...]) -> str:
        """The folder an article with this trail goes to ('skip': not imported)."""
        if not trail:
            return self.no_breadcrumb
        return self.sections.get(" > ".join(trail)) or trail_folder(trail)


class MappingError(Exception):
    """import-map.yaml cannot be used; args[0] is the Problem."""


def _problem(text: str, needle: str, message: str) -> Problem:
    for number, line in enumerate(text.split("\n"), start=1):
        col = line.find(needle) if needle else -1
        if col >= 0:
            return Problem(MAP_NAME, number, col + 1, message)
    return Problem(MAP_NAME, 1, 1, message)


def load_mapping(path: Path) -> Mapping:
    """The office's mapping, or the default one when the file does not exist yet."""
    if not path.is_file():
        return Mapping()
    text = path.read_text(encoding="utf-8-sig")
    try:
        data = yaml.safe_load(text) or {}
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        raise MappingError(Problem(MAP_NAME, (mark.line + 1) if mark else 1, (mark.column + 1) if mark else 1,
                                   f"not valid YAML: {err.problem}; put a value with ':' or '#' in quotes")) from None
    if not isinstance(data, dict):
        raise MappingError(Problem(MAP_NAME, 1, 1, "must be a mapping with the keys " + ", ".join(KEYS)))
    for key in data:
        if key not in KEYS:
            raise MappingError(_problem(text, str(key), f"unknown key '{key}': use {', '.join(KEYS)}"))
    sections, titles = data.get("sections") or {}, data.get("titles") or {}
    if not isinstance(sections, dict) or not isinstance(titles, dict):
        raise MappingError(_problem(text, "sections:" if not isinstance(sections, dict) else "titles:",
                                    "'sections' and 'titles' are lists of 'name: value' lines"))
    for trail, folder in sections.items():
        if not isinstance(folder, str) or not (folder == SKIP or FOLDER.fullmatch(folder)):
            raise MappingError(_problem(text, str(trail), f"section '{trail}' -> '{folder}': a folder is lowercase "
                                                          "letters a-z, digits and '-', with '/' between levels "
                                                          f"(such as daibiao-gongzuo/lvzhi-dongtai), or '{SKIP}'"))
    for folder, title in titles.items():
        if not isinstance(folder, str) or not FOLDER.fullmatch(folder):
            raise MappingError(_problem(text, str(folder), f"title of '{folder}': the folder name may only hold "
                                                           "lowercase letters a-z, digits, '-' and '/'"))
        if not isinstance(title, str) or not title.strip():
            raise MappingError(_problem(text, str(folder), f"title of '{folder}' must be text, such as 履职动态"))
    no_breadcrumb = data.get("no_breadcrumb", DEFAULT_NO_BREADCRUMB)
    if not isinstance(no_breadcrumb, str) or not (no_breadcrumb == SKIP or FOLDER.fullmatch(no_breadcrumb)):
        raise MappingError(_problem(text, "no_breadcrumb", "no_breadcrumb must be a folder name such as qita, "
                                                            f"or '{SKIP}'"))
    return Mapping({str(k): v for k, v in sections.items()}, {k: v.strip() for k, v in titles.items()},
                   no_breadcrumb, exists=True)


def folder_titles(mapping: Mapping, used: dict) -> dict:
    """folder -> title for every folder articles go to and its parents. `used` maps trail -> folder."""
    titles: dict[str, str] = {}
    for trail, folder in sorted(used.items()):
        parts = folder.split("/")
        for depth in range(1, len(parts) + 1):
            prefix = "/".join(parts[:depth])
            if prefix in mapping.titles:
                titles[prefix] = mapping.titles[prefix]
            elif len(trail) == len(parts):
                titles.setdefault(prefix, trail[depth - 1])
            elif depth == len(parts) and trail:
                titles.setdefault(prefix, trail[-1])
            elif not trail and depth == len(parts):
                titles.setdefault(prefix, DEFAULT_NO_BREADCRUMB_TITLE)
    for trail, folder in sorted(used.items()):
        for depth in range(1, folder.count("/") + 2):
            prefix = "/".join(folder.split("/")[:depth])
            titles.setdefault(prefix, prefix.rpartition("/")[2])
    return dict(sorted(titles.items()))


def render_mapping(used: dict, counts: dict, titles: dict, no_breadcrumb: str) -> str:
    """The first import-map.yaml: every trail found, its proposed folder, and the folders' titles."""
    q = lambda text: json.dumps(text, ensure_ascii=False)  # noqa: E731 - a JSON string is a YAML string
    lines = [
        "# 旧网站栏目 → 新网站栏目。导入程序第一次运行时写出本文件；请按需修改，再运行导入。",
        "# sections：左边是旧网站的“当前位置”栏目路径，右边是新网站的文件夹（小写字母、数字和 -，",
        "#   用 / 分隔上下级）。两个旧栏目写同一个文件夹即合并；写 skip 则不导入该栏目的文章。",
        "# titles：每个文件夹在新网站上显示的中文栏目名。",
        "# no_breadcrumb：没有“当前位置”的文章放到哪个文件夹（或 skip）。",
        f"no_breadcrumb: {no_breadcrumb}",
        "sections:",
    ]
    for trail, folder in sorted(used.items()):
        if trail:
            lines.append(f"  {q(' > '.join(trail))}: {folder}    # {counts.get(trail, 0)} 篇")
    lines.append("titles:")
    for folder, title in titles.items():
        lines.append(f"  {folder}: {q(title)}")
    return "\n".join(lines) + "\n"
