"""Import stage: import-map.yaml, the office's say over sections: old breadcrumb trail -> new folder, folder titles,
and where pages without a breadcrumb go."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..messages import Language, Message, listing, say, say_plural
from ..problems import BuildFailed, Problem, did_you_mean
from ..sources import decode
from ..yamlsource import YamlError, YamlText
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


def _problem(text: str, needle: str, message: Message) -> Problem:
    """The problem at the first line holding `needle` (the key or value at fault)."""
    for number, line in enumerate(text.split("\n"), start=1):
        col = line.find(needle) if needle else -1
        if col >= 0:
            return Problem(MAP_NAME, number, col + 1, message)
    return Problem(MAP_NAME, 1, 1, message)


def load_mapping(path: Path) -> Mapping:
    """The office's mapping, or the default one when the file does not exist yet; BuildFailed names the line of
    the first mistake."""
    if not path.is_file():
        return Mapping()
    text, problem = decode(path.read_bytes(), MAP_NAME)
    if problem:
        raise BuildFailed([problem])
    try:
        data = YamlText(MAP_NAME, text).load() or {}
    except YamlError as err:
        raise BuildFailed([err.problem]) from None
    problem = _mistake(data, text)
    if problem:
        raise BuildFailed([problem])
    return Mapping({str(k): v for k, v in (data.get("sections") or {}).items()},
                   {k: v.strip() for k, v in (data.get("titles") or {}).items()},
                   data.get("no_breadcrumb", DEFAULT_NO_BREADCRUMB), exists=True)


def _mistake(data, text: str) -> Problem | None:
    """The first thing in the mapping the importer cannot use, with the fix."""
    keys = listing(KEYS)
    if not isinstance(data, dict):
        return Problem(MAP_NAME, 1, 1, say("must be lines of 'key: value' with the keys {keys}", keys=keys))
    for key in data:
        if key not in KEYS:
            return _problem(text, str(key), say("unknown key '{key}'{hint}: use {keys}", key=key, keys=keys,
                                                hint=did_you_mean(str(key), KEYS)))
    sections, titles = data.get("sections") or {}, data.get("titles") or {}
    if not isinstance(sections, dict) or not isinstance(titles, dict):
        return _problem(text, "sections:" if not isinstance(sections, dict) else "titles:",
                        say("'sections' and 'titles' are lists of 'name: value' lines"))
    for trail, folder in sections.items():
        if not isinstance(folder, str) or not (folder == SKIP or FOLDER.fullmatch(folder)):
            return _problem(text, str(trail), say("section '{trail}' -> '{folder}': a folder is lowercase letters "
                                                  "a-z, digits and '-', with '/' between levels (such as "
                                                  "daibiao-gongzuo/lvzhi-dongtai), or 'skip'", trail=trail,
                                                  folder=folder))
    for folder, title in titles.items():
        if not isinstance(folder, str) or not FOLDER.fullmatch(folder):
            return _problem(text, str(folder), say("title of '{folder}': the folder name may only hold lowercase "
                                                   "letters a-z, digits, '-' and '/'", folder=folder))
        if not isinstance(title, str) or not title.strip():
            return _problem(text, str(folder), say("title of '{folder}' must be text, such as 履职动态",
                                                   folder=folder))
    no_breadcrumb = data.get("no_breadcrumb", DEFAULT_NO_BREADCRUMB)
    if not isinstance(no_breadcrumb, str) or not (no_breadcrumb == SKIP or FOLDER.fullmatch(no_breadcrumb)):
        return _problem(text, "no_breadcrumb", say("no_breadcrumb must be a folder name such as qita, or 'skip'"))
    return None


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


def _reads_as_text(text: str) -> bool:
    try:
        return yaml.safe_load(text) == text
    except yaml.YAMLError:
        return False


def render_mapping(used: dict, counts: dict, titles: dict, no_breadcrumb: str, language: Language) -> str:
    """The first import-map.yaml: every trail found, its proposed folder, and the folders' titles; its comments
    in `language`."""
    q = lambda text: json.dumps(text, ensure_ascii=False)  # noqa: E731 - a JSON string is a YAML string
    bare = lambda text: text if _reads_as_text(text) else q(text)  # noqa: E731 - 2019 would be read as a number
    comment = language("Old site's sections → new site's sections. The importer wrote this file on its first run; "
                       "edit it, then import again.\n"
                       "sections: on the left, an old section's path as its breadcrumb (当前位置) shows it; on the "
                       "right, its folder on\n"
                       "  the new site (lowercase letters, digits and -, / between levels). Two old sections with one "
                       "folder are merged;\n"
                       "  skip leaves a section's articles out.\n"
                       "titles: the Chinese name the new site shows for each folder.\n"
                       "no_breadcrumb: the folder for articles without a breadcrumb (当前位置), or skip.")
    lines = [f"# {line}" for line in comment.split("\n")]
    lines += [f"no_breadcrumb: {bare(no_breadcrumb)}", "sections:"]
    for trail, folder in sorted(used.items()):
        if trail:
            articles = language.text(say_plural("{count} article", "{count} articles", counts.get(trail, 0)))
            lines.append(f"  {q(' > '.join(trail))}: {bare(folder)}    # {articles}")
    lines.append("titles:")
    for folder, title in titles.items():
        lines.append(f"  {bare(folder)}: {q(title)}")
    return "\n".join(lines) + "\n"
