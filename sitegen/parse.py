"""Stage 3: one source file to an Article or a Section (pure: text in, model or problems out)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from markdown_it import MarkdownIt

from . import urls
from .fields import UNSAFE_CHARACTER, Field, check_mapping, unsafe_character_message
from .markdown import render_markdown, summarize
from .model import Article, Section
from .problems import Problem, is_one_line, shown
from .sources import SourceFile
from .yamlsource import YamlError, YamlText

ARTICLE_SCHEMA = {
    "title": Field("str", required=True),
    "date": Field("date", required=True),
    "subtitle": Field("str"),
    "author": Field("str"),
    "source": Field("str"),
    "tags": Field("strs"),
    "summary": Field("str"),
    "slug": Field("str"),
    "draft": Field("bool"),
    "pinned": Field("bool"),
    "aliases": Field("strs"),
}
SECTION_SCHEMA = {
    "title": Field("str", required=True),
    "weight": Field("int"),
    "description": Field("str"),
    "aliases": Field("strs"),
}
SLUG = re.compile(r"[a-z0-9-]+")
FRONT_MATTER_HELP = "an article starts with a line '---', then 'title:' and 'date:' lines, then a line '---'"


@dataclass(frozen=True, slots=True)
class Parsed:
    article: Article | None = None
    section: Section | None = None
    problems: tuple[Problem, ...] = ()
    url: str = ""  # a failing article's intended URL, so links to it are not reported a second time


@dataclass(frozen=True, slots=True)
class ParseOptions:
    """What parsing needs from the config, small enough to send to worker processes."""

    timezone: str
    base_path: str
    allow_html: bool
    default_source: str = ""


def split_front_matter(source: SourceFile) -> tuple[YamlText | None, str, int, Problem | None]:
    """(front matter, body, file line where the body starts, problem)."""
    text = source.text
    if text.partition("\n")[0].rstrip() != "---":
        return None, "", 0, Problem(source.path, 1, 1, f"no front matter: {FRONT_MATTER_HELP}")
    lines = text.split("\n")
    for number in range(1, len(lines)):
        if lines[number].rstrip() in ("---", "..."):
            yaml_text = YamlText(source.path, "\n".join(lines[1:number]) + "\n", line_offset=1)
            return yaml_text, "\n".join(lines[number + 1:]), number + 2, None
    return None, "", 0, Problem(source.path, 1, 1, "front matter is not closed: add a line '---' "
                                                   "after its last key (title:, date:, ...)")


def parse_source(source: SourceFile, options: ParseOptions, md: MarkdownIt, digest: str = "") -> Parsed:
    """Parse an article or a section's _index.md; every problem in the file is returned. `digest` (of the
    file and the options) is kept on the article: it stands for the whole article in page keys."""
    front, body, body_line, problem = split_front_matter(source)
    stem_url = "" if source.is_index or not source.folder else urls.article(source.folder, source.rel.rpartition("/")[2][:-3])
    if problem:
        return Parsed(problems=(problem,), url=stem_url)
    try:
        data = front.load()
    except YamlError as err:
        return Parsed(problems=(err.problem,), url=stem_url)
    if source.is_index:
        return _section(source, front, data, body, body_line, options, md, digest)
    return _article(source, front, data, body, body_line, options, md, digest)


def _section(source, front, data, body, body_line, options, md, digest="") -> Parsed:
    checked = check_mapping(data, SECTION_SCHEMA, front, "section")
    problems = [*checked.problems, *_unsafe_characters(source, body, body_line)]
    if problems:
        return Parsed(problems=tuple(problems))
    values = checked.values
    problems = _alias_problems(front, values)
    if problems:
        return Parsed(problems=tuple(problems))
    rendered = render_markdown(md, body, options.base_path) if body.strip() else None
    return Parsed(section=Section(key=source.folder, path=source.path, title=values["title"],
                                  weight=values.get("weight", 0), description=values.get("description", ""),
                                  body_html=rendered.html if rendered else "",
                                  links=_link_positions(body, body_line, rendered.links) if rendered else (),
                                  digest=digest, aliases=values.get("aliases", ())))


def _article(source, front, data, body, body_line, options, md, digest="") -> Parsed:
    checked = check_mapping(data, ARTICLE_SCHEMA, front, "front matter", ZoneInfo(options.timezone))
    problems = [*checked.problems, *_unsafe_characters(source, body, body_line)]
    values = checked.values
    if not source.folder:
        problems.append(Problem(source.path, 1, 1, "articles belong in a section folder such as "
                                                   "content/renda-yaowen/; move the file there"))
    if "title" in values and not values["title"].strip():
        problems.append(_at_value(front, "title", "'title' must not be empty"))
    slug = values.get("slug")
    if slug is not None:
        if not SLUG.fullmatch(slug):
            problems.append(_at_value(front, "slug", f"slug '{shown(slug)}' may only contain lowercase letters a-z, "
                                                     "digits and '-'"))
    else:
        stem = source.rel.rpartition("/")[2][:-3]
        slug = stem
        if not SLUG.fullmatch(stem):
            problems.append(Problem(source.path, 1, 1,
                                    f"file name '{stem}.md' cannot be used in a URL: add a 'slug:' line made of "
                                    "lowercase letters a-z, digits and '-' (such as 'slug: huiyi-2019'), "
                                    "or rename the file"))
    problems += _alias_problems(front, values)
    if problems:
        stem_url = urls.article(source.folder, source.rel.rpartition("/")[2][:-3]) if source.folder else ""
        intended = urls.article(source.folder, slug) if source.folder and SLUG.fullmatch(slug) else stem_url
        return Parsed(problems=tuple(problems), url=intended)
    rendered = render_markdown(md, body, options.base_path)
    summary = values.get("summary")
    return Parsed(article=Article(
        id=source.rel, path=source.path, section=source.folder, slug=slug, title=values["title"].strip(),
        date=values["date"], body_html=rendered.html, summary=summarize(summary or rendered.plain),
        subtitle=values.get("subtitle", ""), author=values.get("author", ""),
        source=values.get("source", options.default_source), tags=tuple(dict.fromkeys(values.get("tags", ()))),
        draft=values.get("draft", False), pinned=values.get("pinned", False),
        aliases=values.get("aliases", ()), has_summary=summary is not None,
        has_time=len(str(data["date"]).strip()) > len("2019-11-08"), anchors=rendered.anchors,
        links=_link_positions(body, body_line, rendered.links), digest=digest))


def _alias_problems(front, values: dict) -> list[Problem]:
    problems = []
    for alias in values.get("aliases", ()):
        alias_path = alias.partition("?")[0]  # '/show.asp?id=77': the query is redirected by the 404 page
        if not alias_path.startswith("/") or ".." in alias_path.split("/") or "//" in alias_path or "#" in alias:
            problems.append(_at_value(front, "aliases", f"alias '{shown(alias)}' must be a path on this site "
                                                        "starting with '/', such as /content/2019-11/08/content_12345.htm"))
    return problems


def _link_positions(body: str, body_line: int, links) -> tuple[tuple[str, int, int], ...]:
    """(target as written, file line, column) for each internal link of the body."""
    if not links:
        return ()
    lines = body.split("\n")
    found = []
    searched_from: dict[int, int] = {}  # line -> where the next search on it starts (two links, one line)
    for target, line in links:
        written = unquote(target)
        if not is_one_line(written):  # '%0A' and the like: show the target as the editor wrote it
            written = target
        for number in range(line, len(lines)):  # the link may sit on a later line of its paragraph
            col = lines[number].find(written, searched_from.get(number, 0))
            if col >= 0:
                searched_from[number] = col + len(written)
                found.append((written, body_line + number, col + 1))
                break
        else:
            found.append((written, body_line + line, 1))
    return tuple(found)


def _unsafe_characters(source: SourceFile, body: str, body_line: int) -> list[Problem]:
    """The first control character of the body that a feed could not carry, where it is."""
    found = UNSAFE_CHARACTER.search(body)
    if not found:
        return []
    at = found.start()
    line_start = body.rfind("\n", 0, at) + 1
    return [Problem(source.path, body_line + body.count("\n", 0, at), at - line_start + 1,
                    f"the text {unsafe_character_message(found[0])}")]


def _at_value(front: YamlText, key: str, message: str) -> Problem:
    line, col = front.positions()[key][1]
    return Problem(front.path, line, col, message)
