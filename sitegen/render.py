"""Stage 6: render planned pages with the Jinja2 layouts (autoescape, StrictUndefined) into HTML text."""

from __future__ import annotations

import traceback
from pathlib import Path

import jinja2
import jinja2.meta

from . import urls
from .config import Config
from .kinds import BY_NAME, TEMPLATES
from .model import Page, Site
from .messages import listing, say
from .problems import Problem, did_you_mean
from .views import PageLinks, furniture


class TemplateFailed(Exception):
    """A template problem; the Problem is its only argument so it survives the trip from a worker."""

    @property
    def problem(self) -> Problem:
        return self.args[0]


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in the build cache, whose entries are verified on every read (Jinja2 itself
    checks each against its source's checksum, but not the compiled code)."""

    def __init__(self, cache):
        self.cache = cache

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.cache.get("templates", self.cache.key("template", bucket.key))
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.cache.put("templates", self.cache.key("template", bucket.key), bucket.bytecode_to_string())


DICT_ATTRIBUTES = frozenset(dir(dict))


class ViewEnvironment(jinja2.Environment):
    """Jinja2's environment, but `x.name` on a plain dict (what views give) looks in its keys at once, unless
    dict has an attribute of that name. Jinja2 gives the same value, after an AttributeError raised and
    caught for every field a page shows. Without it, at 10,000 articles: render 3.11 -> 4.44 s (+43 %), all
    stages of a check 9.68 -> 10.93 s (+13 %) (`bench/internals_bench.py --articles 10000 --runs 3`, 2026-12-07)."""

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute not in DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def make_environment(layouts_dir: Path, cache=None) -> jinja2.Environment:
    """The Jinja2 environment: autoescaped, undefined names are errors, templates compiled up front (or
    taken compiled from `cache`, the build cache)."""
    bytecode = CompiledTemplates(cache) if cache is not None and cache.enabled else None
    env = ViewEnvironment(loader=jinja2.FileSystemLoader(str(layouts_dir)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True, bytecode_cache=bytecode, auto_reload=False)
    for name in TEMPLATES:
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as err:
            raise TemplateFailed(template_problem(err, layouts_dir)) from None
        except jinja2.TemplateNotFound as err:
            raise TemplateFailed(Problem(f"layouts/{name}", 1, 1,
                                         say("template not found: {name}; every site needs {templates} in layouts/",
                                             name=err.name, templates=", ".join(TEMPLATES)))) from None
    return env


def layout_problems(env: jinja2.Environment, site: Site) -> list[Problem]:
    """A standalone page whose 'layout:' names no template of layouts/ is a problem at that line; so is a block of
    its layout that the layout it extends does not have (Jinja2 would drop its text without a word)."""
    problems, checked = [], set()
    for page in site.standalones:
        try:
            env.get_template(f"{page.layout}.html")
            if page.layout not in checked:
                checked.add(page.layout)
                problems += unknown_blocks(env, f"{page.layout}.html")
        except jinja2.TemplateNotFound:
            known = page_layouts(env)
            problems.append(Problem(page.path, *page.layout_at, say(
                "layout '{layout}' not found: there is no layouts/{layout}.html{hint}; layouts for pages: {known}",
                layout=page.layout, hint=did_you_mean(page.layout, known), known=listing(known))))
        except jinja2.TemplateSyntaxError as err:
            problems.append(template_problem(err, Path(env.loader.searchpath[0])))
    return problems


def unknown_blocks(env: jinja2.Environment, name: str) -> list[Problem]:
    """Each block of template `name` that no template it extends has, as a problem at the block's line."""
    tree, _, parent = blocks_and_parent(env, name)
    if parent is None:  # a layout of its own: every block it has is shown
        return []
    known: set[str] = set()
    seen, above = set(), parent
    while above and above not in seen:  # up the chain of parents (a loop in it is Jinja2's own error)
        seen.add(above)
        try:
            _, theirs, above = blocks_and_parent(env, above)
        except jinja2.TemplateNotFound:
            return []  # Jinja2 says so when the page is rendered
        known |= theirs
    return [Problem(f"layouts/{name}", line, 1, say(
        "block '{block}' is not in {parent}, so what it holds is never shown: use one of its blocks ({blocks})",
        block=block, parent=parent, blocks=listing(sorted(known))))
        for block, line in top_blocks(tree) if block not in known]


def blocks_and_parent(env: jinja2.Environment, name: str) -> tuple[jinja2.nodes.Template, set[str], str | None]:
    """Template `name` parsed, the names of every block in it (each one a template extending it may fill), and
    the template it extends."""
    tree = env.parse(env.loader.get_source(env, name)[0])
    parent = next((node.template.value for node in tree.find_all(jinja2.nodes.Extends)
                   if isinstance(node.template, jinja2.nodes.Const)), None)
    return tree, {block.name for block in tree.find_all(jinja2.nodes.Block)}, parent


def top_blocks(node: jinja2.nodes.Node):
    """(name, line) of the blocks not inside another block (a block inside a filled one is shown with it)."""
    for child in node.iter_child_nodes():
        if isinstance(child, jinja2.nodes.Block):
            yield child.name, child.lineno
        else:
            yield from top_blocks(child)


def page_layouts(env: jinja2.Environment) -> list[str]:
    """The layouts a standalone page may name: the HTML templates that are not a kind's own, nor used by one."""
    used, todo = set(), list(TEMPLATES)
    while todo:
        name = todo.pop()
        if name not in used:
            used.add(name)
            try:
                source = env.loader.get_source(env, name)[0]
            except jinja2.TemplateNotFound:
                continue
            todo += [other for other in jinja2.meta.find_referenced_templates(env.parse(source)) if other]
    return sorted(name[:-len(".html")] for name in env.list_templates(extensions=["html"])
                  if name not in used and not name.startswith("_"))


def data_read(env: jinja2.Environment, name: str, seen: frozenset = frozenset()) -> frozenset | None:
    """The data files a template reads (data.daibiao, data['daibiao']), with those of the templates it extends,
    includes and imports; None when it may read any (data[some_variable], or a template named by a variable)."""
    try:
        source = env.loader.get_source(env, name)[0]
    except jinja2.TemplateNotFound:
        return frozenset()
    tree = env.parse(source)
    named = [node.attr for node in tree.find_all(jinja2.nodes.Getattr) if _is_data(node.node)]
    named += [node.arg.value for node in tree.find_all(jinja2.nodes.Getitem)
              if _is_data(node.node) and isinstance(node.arg, jinja2.nodes.Const)]
    uses = sum(1 for node in tree.find_all(jinja2.nodes.Name) if node.name == "data" and node.ctx == "load")
    if uses > len(named):
        return None
    found = set(named)
    for other in jinja2.meta.find_referenced_templates(tree):
        if other is None:
            return None
        if other not in seen and other != name:
            more = data_read(env, other, seen | {name})
            if more is None:
                return None
            found |= more
    return frozenset(found)


def _is_data(node) -> bool:
    return isinstance(node, jinja2.nodes.Name) and node.name == "data" and node.ctx == "load"


def template_problem(err: Exception, layouts_dir: Path) -> Problem:
    """Name the template file and line of a Jinja2 error (syntax errors carry it; runtime ones sit in the traceback)."""
    root = str(layouts_dir.resolve())
    if isinstance(err, jinja2.TemplateSyntaxError) and err.filename:
        return Problem(_shown(err.filename, root), err.lineno or 1, 1, say("template error: {reason}",
                                                                                 reason=err.message))
    where = ("layouts", 1)
    for frame, line in traceback.walk_tb(err.__traceback__):
        filename = frame.f_code.co_filename
        if filename.startswith(root):
            where = (_shown(filename, root), line)
    return Problem(where[0], where[1], 1, say("template error: {reason}", reason=str(err)))


def _shown(filename: str, root: str) -> str:
    return "layouts/" + Path(filename).resolve().relative_to(root).as_posix()


def page_links(config: Config) -> PageLinks:
    return PageLinks(config.base_path, config.base_url, config.title, config.language, config.per_page,
                 config.home_per_section)


def template_globals(config: Config, site: Site) -> dict:
    """What every template sees besides its page's view: the site's settings, navigation and footer, the data
    files, and asset() for the address of a file of assets/."""
    links = page_links(config)
    href, base = links.href, config.base_path
    return {
        "site": {
            "title": config.title, "subtitle": config.subtitle, "description": config.description,
            "language": config.language, "base_url": config.base_url, "base_path": base,
            "footer": config.footer, "home_url": href(urls.home()), "search_url": href(urls.search()),
            "feed_url": links.absolute(urls.feed()), "tags_url": href(urls.tags()),
            "archive_url": href(urls.archive()), "map_url": href(urls.site_map()),
            "nav": [{"title": s.title, "url": href(s.url), "key": s.key} for s in site.top_sections]
            + [{"title": p.title, "url": href(p.url), "key": p.url} for p in site.menu("main")],
            "footer_links": [{"title": p.title, "url": href(p.url)} for p in site.menu("footer")],
            "furniture": furniture(config, base),
        },
        "data": {name: data.value for name, data in site.data.items()},
        "asset": lambda rel: base + rel.lstrip("/"),
    }


class Renderer:
    """Turns a page and its inputs into text with the page kind's template and view. The environment must be
    one made for this config and site: Jinja2 keeps the macros a template imports with the globals they were
    imported with (see Builder.environment)."""

    def __init__(self, config: Config, site: Site, env: jinja2.Environment):
        self.config, self.env, self.links = config, env, page_links(config)
        self.globals = template_globals(config, site)
        env.globals.update(self.globals)  # macros imported without context see them too

    def render(self, page: Page, inputs) -> str:
        """The page's text; raises TemplateFailed (naming the layout file and line) on a template error."""
        kind = BY_NAME[page.kind]
        template = self.env.get_template(kind.template_of(page))
        context = kind.view(inputs, self.links)
        context["page"] = {"kind": page.kind, "url": self.links.href(page.url),
                           "canonical": self.links.absolute(page.url)}
        try:
            return template.render(context)
        except Exception as err:  # any template runtime error becomes a problem naming its file and line
            raise TemplateFailed(template_problem(err, self.config.layouts_dir)) from None
