"""Stage 3: one source file to an Article or a Section (pure: text in, model or problems out)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from markdown_it import MarkdownIt

from . import urls
from .fields import UNSAFE_CHARACTER, Field, check_mapping, unsafe_character_message
from .markdown import render_markdown, summarize, unparsed_message
from .model import Article, Section, Standalone
from .dates import has_time
from .messages import say
from .problems import Problem, is_one_line, shown
from .sources import SourceFile
from .yamlsource import YamlError, YamlText

ARTICLE_SCHEMA = {
    "title": Field("str", required=True, label=say("the headline")),
    "date": Field("date", required=True, label=say("date and time")),
    "subtitle": Field("str", label=say("the line under the headline")),
    "author": Field("str", label=say("who wrote it")),
    "source": Field("str", label=say("where it comes from")),
    "tags": Field("tags", label=say("keywords")),
    "summary": Field("str", label=say("a sentence or two about it")),
    "slug": Field("str", label=say("name in the address")),
    "draft": Field("bool", label=say("not published yet")),
    "pinned": Field("bool", label=say("pinned first")),
    "aliases": Field("strs", label=say("old addresses")),
}
PAGE_SCHEMA = {
    "title": Field("str", required=True, label=say("the headline")),
    "layout": Field("str", required=True, label=say("layout")),
    "slug": Field("str", label=say("name in the address")),
    "description": Field("str", label=say("description")),
    "menu": Field("str", label=say("menu: main or footer")),
    "weight": Field("int", label=say("order")),
    "date": Field("date", label=say("date and time")),
    "search": Field("bool", label=say("in the search")),
    "sitemap": Field("bool", label=say("in the sitemap")),
    "draft": Field("bool", label=say("not published yet")),
}
MENUS = ("main", "footer")
LAYOUT_NAME = re.compile(r"[a-z0-9_-]+")
SECTION_SCHEMA = {
    "title": Field("str", required=True, label=say("section name")),
    "weight": Field("int", label=say("order")),
    "description": Field("str", label=say("what the section holds")),
    "aliases": Field("strs", label=say("old addresses")),
}
LIST_KEYS = frozenset(key for schema in (ARTICLE_SCHEMA, PAGE_SCHEMA) for key, field in schema.items()
                      if field.kind in ("strs", "tags"))
TEXT_KEYS = frozenset(key for schema in (ARTICLE_SCHEMA, PAGE_SCHEMA, SECTION_SCHEMA) for key, field in schema.items()
                      if field.kind in ("str", "strs", "tags"))
COMMENT = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_-]*):[ \t]+(?P<value>[^'\"|>\[{#\s][^#\n]*?)[ \t]+#(?P<comment>.*)$",
                     re.M)
SLUG = re.compile(r"[a-z0-9-]+")
FRONT_MATTER_HELP = say("an article starts with a line '---', then 'title:' and 'date:' lines, then a line '---'")
FRONT_MATTER = say("front matter")
PAGE_FRONT_MATTER = say("page")
SECTION_FRONT_MATTER = say("section")
# What 'new' writes where the editor is to write: an article still holding it is not finished.
PLACEHOLDER_TITLE = "请在这里填写标题"
PLACEHOLDER_BODY = "正文从这里开始。"


@dataclass(frozen=True, slots=True)
class Parsed:
    article: Article | None = None
    section: Section | None = None
    standalone: Standalone | None = None
    problems: tuple[Problem, ...] = ()
    url: str = ""  # a failing article's intended URL, so links to it are not reported a second time
    warnings: tuple[Problem, ...] = ()  # what was read as the editor surely meant, and how to write it


@dataclass(frozen=True, slots=True)
class ParseOptions:
    """What parsing needs from the config, small enough to send to worker processes."""

    timezone: str
    base_path: str
    allow_html: bool
    default_source: str = ""


class Split(NamedTuple):
    """A source file split into its front matter (as text and as values) and its body."""

    source: SourceFile
    front: YamlText
    data: object
    body: str
    body_line: int  # the file's line where the body starts


def split_front_matter(source: SourceFile) -> tuple[YamlText | None, str, int, Problem | None]:
    """(front matter, body, file line where the body starts, problem)."""
    text = source.text
    if text.partition("\n")[0].rstrip() != "---":
        return None, "", 0, Problem(source.path, 1, 1, say("no front matter: {help}", help=FRONT_MATTER_HELP))
    lines = text.split("\n")
    for number in range(1, len(lines)):
        if lines[number].rstrip() in ("---", "..."):
            yaml_text = YamlText(source.path, "\n".join(lines[1:number]) + "\n", 1, LIST_KEYS)
            return yaml_text, "\n".join(lines[number + 1:]), number + 2, None
    return None, "", 0, Problem(source.path, 1, 1, say("front matter is not closed: add a line '---' "
                                                       "after its last key (title:, date:, ...)"))


def parse_source(source: SourceFile, options: ParseOptions, md: MarkdownIt, digest: str = "") -> Parsed:
    """Parse an article or a section's _index.md; every problem in the file is returned. `digest` (of the
    file and the options) is kept on the article: it stands for the whole article in page keys."""
    front, body, body_line, problem = split_front_matter(source)
    stem = source.rel.rpartition("/")[2][:-3]
    stem_url = "" if source.is_index or not source.folder else urls.article(source.folder, stem)
    if problem:
        return Parsed(problems=(problem,), url=stem_url)
    try:
        data = front.load()
    except YamlError as err:
        return Parsed(problems=(err.problem,), url=stem_url)
    split = Split(source, front, data, body, body_line)
    if comments := _comments(front):
        return Parsed(problems=tuple(comments), url=stem_url)
    if source.is_index:
        return _section(split, options, md, digest)
    if isinstance(data, dict) and "layout" in data:
        return _standalone(split, options, md, digest)
    return _article(split, options, md, digest)


def _section(split: Split, options: ParseOptions, md: MarkdownIt, digest: str = "") -> Parsed:
    source, front, data, body, body_line = split
    checked = check_mapping(data, SECTION_SCHEMA, front, SECTION_FRONT_MATTER)
    problems = [*checked.problems, *_unsafe_characters(source, body, body_line)]
    if problems:
        return Parsed(problems=tuple(problems))
    values = checked.values
    problems = _alias_problems(front, values)
    if problems:
        return Parsed(problems=tuple(problems))
    rendered = render_markdown(md, body, options.base_path) if body.strip() else None
    if rendered and rendered.unparsed:
        return Parsed(problems=_unparsed_problems(source, body, body_line, rendered.unparsed))
    return Parsed(section=Section(key=source.folder, path=source.path, title=values["title"],
                                  weight=values.get("weight", 0), description=values.get("description", ""),
                                  body_html=rendered.html if rendered else "",
                                  links=_link_positions(body, body_line, rendered.links) if rendered else (),
                                  digest=digest, aliases=values.get("aliases", ())))


def _standalone(split: Split, options: ParseOptions, md: MarkdownIt, digest: str = "") -> Parsed:
    """A page of its own: its front matter names its layout."""
    source, front, data, body, body_line = split
    checked = check_mapping(data, PAGE_SCHEMA, front, PAGE_FRONT_MATTER, ZoneInfo(options.timezone))
    problems = [*checked.problems, *_unsafe_characters(source, body, body_line)]
    values = checked.values
    if "title" in values and not values["title"].strip():
        problems.append(_at_value(front, "title", say("'title' must not be empty")))
    if "layout" in values and not LAYOUT_NAME.fullmatch(values["layout"]):
        problems.append(_at_value(front, "layout", say("layout '{layout}' must be the name of a file in layouts/ "
                                                       "without '.html': lowercase letters a-z, digits, '-' and '_'",
                                                       layout=shown(values["layout"]))))
    if values.get("menu", "main") not in MENUS:
        problems.append(_at_value(front, "menu", say("menu '{menu}' must be main (the navigation under the header) or "
                                                     "footer (the links at the foot of every page)",
                                                     menu=shown(values["menu"]))))
    slug, slug_problems = _slug(source, front, values)
    problems += slug_problems
    if problems:
        return Parsed(problems=tuple(problems))
    rendered = render_markdown(md, body, options.base_path)
    if rendered.unparsed:
        return Parsed(problems=_unparsed_problems(source, body, body_line, rendered.unparsed))
    layout_at = front.positions()["layout"][1]
    return Parsed(warnings=_backslash_warnings(source, body, body_line, rendered.backslashed), standalone=Standalone(
        id=source.rel, path=source.path, folder=source.folder, slug=slug, title=values["title"].strip(),
        layout=values["layout"], layout_at=layout_at, body_html=rendered.html,
        description=values.get("description", ""), menu=values.get("menu", ""), weight=values.get("weight", 0),
        date=values.get("date"), search=values.get("search", True), sitemap=values.get("sitemap", True),
        draft=values.get("draft", False), anchors=rendered.anchors,
        links=_link_positions(body, body_line, rendered.links), digest=digest))


def _slug(source: SourceFile, front: YamlText, values: dict) -> tuple[str, list[Problem]]:
    """The page's name in its URL: 'slug:', else the file name; and what is wrong with it."""
    slug = values.get("slug")
    if slug is not None:
        if not SLUG.fullmatch(slug):
            return slug, [_at_value(front, "slug", say("slug '{slug}' may only contain lowercase letters a-z, "
                                                       "digits and '-'", slug=shown(slug)))]
        return slug, []
    stem = source.rel.rpartition("/")[2][:-3]
    if not SLUG.fullmatch(stem):
        return stem, [Problem(source.path, 1, 1,
                              say("file name '{name}' cannot be used in a URL: add a 'slug:' line made of "
                                  "lowercase letters a-z, digits and '-' (such as 'slug: huiyi-2019'), "
                                  "or rename the file", name=f"{stem}.md"))]
    return stem, []


def _article(split: Split, options: ParseOptions, md: MarkdownIt, digest: str = "") -> Parsed:
    source, front, data, body, body_line = split
    checked = check_mapping(data, ARTICLE_SCHEMA, front, FRONT_MATTER, ZoneInfo(options.timezone))
    problems = [*checked.problems, *_unsafe_characters(source, body, body_line)]
    values = checked.values
    if not source.folder:
        problems.append(Problem(source.path, 1, 1, say("articles belong in a section folder such as "
                                                       "content/renda-yaowen/; move the file there")))
    if "title" in values and not values["title"].strip():
        problems.append(_at_value(front, "title", say("'title' must not be empty")))
    if values.get("title", "").strip() == PLACEHOLDER_TITLE:
        problems.append(_at_value(front, "title", say("the title is still the placeholder '{placeholder}': write the "
                                                      "article's title", placeholder=PLACEHOLDER_TITLE)))
    problems += _placeholder_body(source, body, body_line)
    slug, slug_problems = _slug(source, front, values)
    problems += slug_problems
    problems += _alias_problems(front, values)
    if problems:
        stem_url = urls.article(source.folder, source.rel.rpartition("/")[2][:-3]) if source.folder else ""
        intended = urls.article(source.folder, slug) if source.folder and SLUG.fullmatch(slug) else stem_url
        return Parsed(problems=tuple(problems), url=intended)
    rendered = render_markdown(md, body, options.base_path)
    summary = values.get("summary")
    # Markdown that stayed text is a problem, and the article is still made: its links are checked in the same
    # run, so every problem of the file is said at once.
    unparsed = _unparsed_problems(source, body, body_line, rendered.unparsed)
    return Parsed(problems=unparsed, url=urls.article(source.folder, slug) if unparsed else "",
                  warnings=_backslash_warnings(source, body, body_line, rendered.backslashed), article=Article(
        id=source.rel, path=source.path, section=source.folder, slug=slug, title=values["title"].strip(),
        date=values["date"], body_html=rendered.html, summary=summarize(summary or rendered.plain),
        subtitle=values.get("subtitle", ""), author=values.get("author", ""),
        source=values.get("source", options.default_source), tags=tuple(dict.fromkeys(values.get("tags", ()))),
        draft=values.get("draft", False), pinned=values.get("pinned", False),
        aliases=values.get("aliases", ()), has_summary=summary is not None,
        has_time=has_time(str(data["date"])), anchors=rendered.anchors,
        links=_link_positions(body, body_line, rendered.links), digest=digest))


def _backslash_warnings(source: SourceFile, body: str, body_line: int, backslashed) -> tuple[Problem, ...]:
    written = [(unquote(target), line) for target, line in backslashed]
    return tuple(Problem(source.path, line, col, say("{written} has backslashes (\\); it was read as {fixed}: write / "
                                                     "in addresses", written=target,
                                                     fixed=target.replace("\\", "/")))
                 for target, line, col in _link_positions(body, body_line, written))


def _unparsed_problems(source: SourceFile, body: str, body_line: int, unparsed) -> tuple[Problem, ...]:
    """A problem at each Markdown link or picture that stayed text."""
    lines = body.split("\n")
    return tuple(Problem(source.path, body_line + line, lines[line].find(written) + 1, unparsed_message(written))
                 for written, line in unparsed)


def _alias_problems(front: YamlText, values: dict) -> list[Problem]:
    problems = []
    for alias in values.get("aliases", ()):
        alias_path = alias.partition("?")[0]  # '/show.asp?id=77': the query is redirected by the 404 page
        if not alias_path.startswith("/") or ".." in alias_path.split("/") or "//" in alias_path or "#" in alias:
            problems.append(_at_value(front, "aliases", say("alias '{alias}' must be a path on this site starting "
                                                            "with '/', such as /content/2019-11/08/content_12345.htm",
                                                            alias=shown(alias))))
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
            if col < 0 and "/" in written:  # written with backslashes, read as slashes
                col = lines[number].find(written.replace("/", "\\"), searched_from.get(number, 0))
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
                    say("the text {what_is_wrong}", what_is_wrong=unsafe_character_message(found[0])))]


def _comments(front: YamlText) -> list[Problem]:
    """A ' #' in a value starts a YAML comment: 'title: 十四五 #规划' would publish '十四五' alone. In front matter that
    is never meant, so it is a problem with the line that keeps the whole text."""
    problems = []
    for m in COMMENT.finditer(front.readable()):
        if m["key"] not in TEXT_KEYS:  # a comment after a date or a number loses nothing that is shown
            continue
        whole = f"{m['value']} #{m['comment']}".replace("'", "''")
        problems.append(Problem(front.path, front.line_offset + front.text.count("\n", 0, m.start()) + 1,
                                m.start("comment") - m.start(),
                                say("'{key}': the text after ' #' is read as a comment and left out; to keep it, "
                                    "write the line as {quoted}", key=m["key"], quoted=f"{m['key']}: '{whole}'")))
    return problems


def _placeholder_body(source: SourceFile, body: str, body_line: int) -> list[Problem]:
    """'new''s placeholder still in the body: the article is not written yet, and must not go live."""
    at = body.find(PLACEHOLDER_BODY)
    if at < 0:
        return []
    return [Problem(source.path, body_line + body.count("\n", 0, at), 1,
                    say("the text still holds the placeholder '{placeholder}' that 'new' wrote: replace it with the "
                        "article's text", placeholder=PLACEHOLDER_BODY))]


def _at_value(front: YamlText, key: str, message: str) -> Problem:
    line, col = front.positions()[key][1]
    return Problem(front.path, line, col, message)
