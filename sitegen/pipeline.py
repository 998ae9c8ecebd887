"""The whole build: config, sources, parse, site, pages, links, render, write, search; timed stage by stage."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import gc
import hashlib
import os
import pickle
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import kinds
from .bodies import PUT_ASIDE_FROM, BodyFile
from .cache import Cache, code_version
from .config import Config, load_config
from .datafiles import load_data
from .keys import page_keys
from .linkcheck import check_links, link_context, link_problems, remembered_links
from .model import Page, Site
from .output import list_assets
from .pages import plan_pages
from .parallel import Begun, default_jobs, map_shares
from .parse import ParseOptions, Parsed
from .parsecache import parse_all, parse_options_of
from .pictures import NO_PICTURES, Derivatives, Pictures, make_pictures, plan_pictures, remembered_uses
from .planmemo import PlanMemo, digest_of_pages, plan_pages_inputs, remembered_pages, remembered_shape
from .problems import BuildFailed, Problem
from .publish import (Planned, build_lock, intact, load_manifest, publish, ready_trees, render_all,
                      update_in_place)
from .stamps import Remembered, keep, recall, settle, stamp_of
from .render import Renderer, TemplateFailed, data_read, layout_problems, page_links, make_environment
from .site import LeftOut, Selection, build_site, remembered_site
from .sources import SourceFile, SourceFiles, discover_sources


@dataclass(frozen=True, slots=True)
class BuildOptions:
    base_url: str | None = None
    output_dir: Path | None = None
    jobs: int = 0  # 0: one per core
    search: bool = True  # run Pagefind (the search page is always written)
    drafts: bool = False
    future: bool = False
    now: dt.datetime | None = None  # read once by the command line, never inside the pipeline
    write: bool = True  # False: check only
    broken_links: str = "error"  # or "warn": report broken internal links without failing
    cache_dir: Path | None = None  # default: .cache/ in the site's folder
    use_cache: bool = True  # False: neither read nor write the persistent cache


@dataclass(frozen=True, slots=True)
class BuildReport:
    config: Config
    articles: int
    sections: int
    pages: int  # pages rendered (the others were unchanged)
    assets: int
    bytes_written: int
    timings: tuple[tuple[str, float], ...]
    left_out: tuple[LeftOut, ...] = ()
    search: dict = field(default_factory=dict)
    warnings: tuple[Problem, ...] = ()
    files_written: int = 0  # files whose bytes changed (the rest were carried over as they were)


class _Stages:
    """Times each stage and tells the progress callback when one ends."""

    def __init__(self, progress: Callable[[str, float], None] | None):
        self.progress = progress
        self.timings: list[tuple[str, float]] = []
        self.started = time.perf_counter()

    def done(self, name: str) -> None:
        now = time.perf_counter()
        self.timings.append((name, now - self.started))
        if self.progress:
            self.progress(name, now - self.started)
        self.started = now


@dataclass(slots=True)
class Memory:
    """What one Builder keeps between its builds (in 'serve'): only ever a shortcut to the same result."""

    sources: dict[str, SourceFile] = field(default_factory=dict)
    parsed: dict[str, tuple[SourceFile, Parsed]] = field(default_factory=dict)
    parse_options: ParseOptions | None = None
    environment: tuple | None = None  # ((layouts folder, layout digests), compiled Jinja2 environment)
    links: object = None  # the last LinkMemo
    keys: dict[str, bytes] = field(default_factory=dict)  # output file -> page key, as written
    outs: tuple = ()  # (pages, their output files) as last written in place
    assets: dict[str, str] = field(default_factory=dict)  # asset path -> digest of the bytes, as written
    written: bool = False  # the output folder holds a complete build of ours
    items: tuple | None = None  # (articles, their list entries) of the last plan, to reuse the entries
    site: object = None  # the last SiteMemo
    sitemap: tuple | None = None  # (pages, the site's by_section table, the sitemap's entries) of the last plan
    plan: object = None  # the last plan's PlanMemo
    shape: tuple | None = None  # planmemo.remembered_shape's memo
    pages: object = None  # the last PagesMemo
    file_digests: dict = field(default_factory=dict)  # layout/asset path -> (stamp, digest)
    picture_uses: tuple | None = None  # pictures.remembered_uses' memo
    pictures: Pictures = NO_PICTURES  # pictures hook (issue 10): the last build's, so unchanged sources are not read


def build(site_yaml: Path, options: BuildOptions = BuildOptions(),
          progress: Callable[[str, float], None] | None = None) -> BuildReport:
    """Build the site once; raise BuildFailed with every problem, leaving output/ untouched."""
    return Builder(site_yaml, options).build(progress)


class Builder:
    """The one stateful object. A one-shot build and every rebuild of 'serve' run the same stages; with
    incremental=True (serve) the builder also remembers what it parsed and wrote, and updates its output
    folder file by file instead of swapping in a new one."""

    def __init__(self, site_yaml: Path, options: BuildOptions = BuildOptions(), incremental: bool = False):
        self.site_yaml, self.options, self.incremental = site_yaml, options, incremental
        self.memory = Memory()

    @functools.cached_property
    def code(self) -> str:
        """The running code's version: read once (every rebuild of 'serve' runs the code imported at its start)."""
        return code_version()

    def cache_for(self, config: Config) -> Cache:
        if not self.options.use_cache:
            return Cache(None)
        root = self.options.cache_dir or config.root / ".cache"
        return Cache(root, self.code)

    def build(self, progress: Callable[[str, float], None] | None = None,
              now: dt.datetime | None = None) -> BuildReport:
        """One build. `now` (serve reads the clock before each rebuild) overrides the options' now."""
        options = self.options if now is None else dataclasses.replace(self.options, now=now)
        config = load_config(self.site_yaml, base_url=options.base_url, output_dir=options.output_dir)
        cache = self.cache_for(config)
        new_cache = cache.enabled and not cache.root.exists()
        collecting = gc.isenabled()
        gc.disable()  # a build makes millions of objects and few cycles: full collections cost it seconds
        try:
            with contextlib.ExitStack() as held:  # what the build holds open until it ends (its body file)
                return self.build_with(config, cache, options, _Stages(progress), held)
        except BaseException:
            if new_cache:  # a first build that fails leaves nothing beside output/, not even a cache
                shutil.rmtree(cache.root, ignore_errors=True)
            raise
        finally:
            if collecting:
                gc.enable()

    def build_with(self, config: Config, cache: Cache, options: BuildOptions, stages: _Stages,
                   held: contextlib.ExitStack) -> BuildReport:
        jobs = options.jobs or default_jobs()
        scope = str(config.root.resolve())
        remembered = recall(cache, scope)
        manifest = None
        if options.write and not self.incremental and cache.enabled:
            manifest = load_manifest(cache, config.out_dir)  # read once: publish needs it too
        # Nothing to do is possible only beside the output the last build made; otherwise the files are read
        # by the parse workers, two at a time, instead of here first.
        maybe_unchanged = manifest is not None and manifest.get("fingerprint") is not None and config.out_dir.is_dir()
        sources = discover_sources(config.content_dir, known=self.memory.sources if self.incremental else None,
                                   remembered=remembered, defer=not self.incremental and not maybe_unchanged)
        layouts = file_digests(config.layouts_dir, self.memory.file_digests, remembered)
        asset_digests = file_digests(config.assets_dir, self.memory.file_digests, remembered)
        data, data_problems = load_data(config.data_dir)
        files = (layouts, asset_digests, tuple((name, d.digest) for name, d in data.items()))
        stages.done("read")
        if maybe_unchanged:
            unchanged = unchanged_build(manifest, config, build_fingerprint(self.code, config, options, sources, files),
                                        options.now)
            if unchanged is not None:
                keep(cache, scope, remembered)
                stages.done("unchanged")
                return BuildReport(config, timings=tuple(stages.timings), pages=0, bytes_written=0, **unchanged)
        ready = None
        if manifest and manifest.get("live") is not None:
            # output/ and the spare tree are checked (and the spare filled) beside the parse and the plan
            held.enter_context(build_lock(cache))
            checking = functools.partial(ready_trees, cache, config.out_dir, manifest, jobs)
            ready = held.enter_context(Begun(checking)).result
        bodies = None
        if not self.incremental and len(sources.files) >= PUT_ASIDE_FROM:  # a large archive: bodies on disk
            bodies = BodyFile(cache.root if cache.enabled else config.out_dir.parent, config.out_dir)
            held.callback(bodies.close)
        parsed, digests = self.parse(sources, config, jobs, cache, bodies, None if self.incremental else held.callback)
        if digests:  # the files discovery left unread have their digests now
            settle(remembered, digests)
            sources = dataclasses.replace(sources, files=tuple(
                dataclasses.replace(f, digest=digests.get(f.origin, "")) if not f.digest else f
                for f in sources.files))
        keep(cache, scope, remembered)
        stages.done("parse")
        selection = Selection(now=options.now, drafts=options.drafts, future=options.future)
        if self.incremental:  # in 'serve', an edit that moves no article keeps the site's tables
            site, left_out, problems, self.memory.site = remembered_site(config.title, sources.folders, parsed,
                                                                         selection, self.memory.site, data)
        else:
            site, left_out, problems = build_site(config.title, sources.folders, parsed, selection, data)
        problems += data_problems
        assets = tuple(rel for rel, _ in asset_digests)  # listed by file_digests, in the same order
        if self.incremental:  # in 'serve', an edit of an article's text keeps the very same pages
            pages, clashes, self.memory.pages = remembered_pages(plan_pages, site, config.per_page, assets,
                                                                 self.memory.pages)
        else:
            pages, clashes = plan_pages(site, config.per_page, assets)
        problems = [*problems, *clashes]
        # Links to an article whose file has problems of its own are not reported twice.
        failing = {"/" + result.url: "" for result in parsed if result.url}
        broken = self.check_links(site, pages, assets, left_out, failing, cache)
        if broken and options.broken_links == "error":
            problems += broken
        env, template_problems = self.environment(config, layouts, cache)
        problems += template_problems or layout_problems(env, site)
        # pictures hook (issue 10): phone-sized versions of the images articles use; bad images are problems
        if self.incremental:  # in 'serve', the uses of articles not edited are the last build's
            uses, self.memory.picture_uses = remembered_uses(site.articles, assets, self.memory.picture_uses)
        else:
            uses = plan_pictures(site.articles, assets)
        pictures = make_pictures(uses, config.assets_dir, cache, jobs,
                                 previous=self.memory.pictures if self.incremental else None,
                                 digests=dict(asset_digests))
        problems += pictures.problems
        if problems:
            raise BuildFailed(problems)
        self.last_good = (config, site)  # search: the preview indexes the last good model in the background
        derived = Derivatives(pictures, config.assets_dir, cache)
        renderer = Renderer(config, site, env)
        planned = self.plan(config, site, pages, page_epochs(self.code, config, layouts, site, env), pictures, cache)
        stages.done("plan")
        warnings = (*sorted(w for result in parsed for w in result.warnings), *broken)
        counts = dict(articles=len(site.articles), sections=len(site.sections) - 1, assets=len(assets),
                      left_out=left_out, warnings=warnings)
        if not options.write:
            rendered, failures = render_all(renderer, planned, range(len(pages)), jobs)
            if failures:
                raise BuildFailed(failures)
            stages.done("render")
            return BuildReport(config, pages=len(rendered), bytes_written=0, timings=tuple(stages.timings), **counts)
        if self.incremental and self.memory.written:
            result = update_in_place(config, renderer, planned, dict(asset_digests), self.memory, jobs, derived)
            self.memory.pictures = pictures
            stages.done("render+write")
            return BuildReport(config, pages=result.rendered, bytes_written=result.bytes, timings=tuple(stages.timings),
                               files_written=result.files, **counts)
        search = None
        if options.search:
            from .search import search_files  # the search stage: shards of our tokens, cached by shard
            search = lambda: search_files(config, site, cache, jobs)  # noqa: E731
        fingerprint = build_fingerprint(self.code, config, options, sources, files)
        remembered = dict(fingerprint=fingerprint, next_change=next_change(site, left_out, parsed, options),
                          report=counts)
        result = publish(config, renderer, planned, dict(asset_digests), cache, jobs, stages, search, derived,
                         remembered, manifest, ready)
        if self.incremental:
            self.memory.keys = {**dict(zip((p.out for p in pages), planned.keys)), **derived.digests()}
            self.memory.assets = dict(asset_digests)
            self.memory.written = True
            self.memory.pictures = pictures
        return BuildReport(config, pages=result.rendered, bytes_written=result.bytes, timings=tuple(stages.timings),
                           search=result.search, files_written=result.files, **counts)

    def plan(self, config: Config, site: Site, pages: tuple[Page, ...], epochs: Epochs,
             pictures: Pictures = NO_PICTURES, cache: Cache | None = None) -> Planned:
        """Each page's key, and the inputs of the pages that may have changed. The epoch stands for what every
        page shares: the code, the config, the layouts and the navigation (the top sections). The last plan
        (serve's memory, else the cache's) tells which pages read a changed article; the others keep their key
        and get their inputs only if they must be rendered after all."""
        links = page_links(config)
        memory = self.memory
        sitemap = None
        if self.incremental:  # the same pages of a site whose tables serve kept: the same articles' dates
            last = memory.sitemap
            if last is not None and last[0] is pages and last[1] is site.by_section:
                sitemap = last[2]
            else:
                sitemap = kinds.sitemap_entries(site, pages)
            memory.sitemap = (pages, site.by_section, sitemap)
        lookups = kinds.lookups(site, pages, pictures.pictures, memory.items, sitemap)
        epoch = epochs.shared
        cache = cache if cache is not None else Cache(None)
        memo_key = cache.key("plan", str(config.out_dir.resolve())) if cache.enabled else ""
        memo = memory.plan if self.incremental else load_memo(cache, memo_key)
        jobs = self.options.jobs or default_jobs()

        def keys_of(some_pages, some_inputs):  # keys cost about as much as planning: in the workers when many
            return map_shares(lambda share: page_keys(epochs.of, [some_pages[n] for n in share],
                                                      [some_inputs[n] for n in share]),
                              range(len(some_pages)), jobs, minimum=5000)

        known = memory.pages  # in 'serve', the same pages as last time (the very tuple) keep their digest
        pages_digest = known.digest if known is not None and known.pages is pages else None
        shape = None
        if self.incremental:  # the same shape as last time, told by the very objects it is made of
            pages_digest = pages_digest or digest_of_pages(pages)
            shape, memory.shape = remembered_shape(epoch, site, pages, lookups, pages_digest, memory.shape)
        plan = plan_pages_inputs(epoch, site, pages, lookups, links, memo, keys_of, pages_digest, shape)
        if self.incremental:
            memory.plan = plan.memo
            memory.items = (site.articles, lookups.items)
        elif cache.enabled and plan.memo != memo:  # true whatever becomes of this build: saved now
            cache.put("plan", memo_key, pickle.dumps(plan.memo, protocol=5))

        def make_inputs(page: Page):
            return kinds.BY_NAME[page.kind].inputs(site, page, lookups, links)

        return Planned(pages, plan.inputs, plan.keys, make_inputs)

    def check_links(self, site: Site, pages: tuple[Page, ...], assets: tuple[str, ...],
                    left_out: tuple[LeftOut, ...], failing: dict[str, str], cache: Cache) -> tuple[Problem, ...]:
        """Broken internal links; in 'serve', unchanged texts keep their last result while pages, assets,
        headings and left-out articles stay the same; across builds, the cache keeps each text's result for
        the same link context. Links into `failing` URLs are not reported."""
        missing = {**failing, **{"/" + item.url: item.reason for item in left_out}}
        memory = self.memory
        if self.incremental:
            checked, memory.links = remembered_links(site, pages, assets, missing, memory.links)
            return link_problems(checked)
        key = cache.key("links", link_context(site, pages, assets, missing)) if cache.enabled else ""
        try:
            known = pickle.loads(cache.get("links", key) or pickle.dumps({}))
        except Exception:  # unreadable: checked again
            known = {}
        checked = check_links(site, pages, assets, missing, known=known)
        results = {item.digest: problems for item, problems in checked.values() if item.digest}
        if cache.enabled and results != known:
            cache.put("links", key, pickle.dumps(results, protocol=5))
        return link_problems(checked)

    def environment(self, config: Config, layout_digests, cache: Cache | None = None):
        """The Jinja2 environment, compiled again only when a layout file changed (and then only the templates
        the cache does not hold compiled); and its problems."""
        layouts = (config.layouts_dir, layout_digests)
        if self.memory.environment is None or self.memory.environment[0] != layouts:
            try:
                self.memory.environment = (layouts, make_environment(config.layouts_dir, cache))
            except TemplateFailed as err:
                self.memory.environment = None
                return None, (err.problem,)
        return self.memory.environment[1], ()

    def parse(self, sources: SourceFiles, config: Config, jobs: int, cache: Cache,
              bodies: BodyFile | None = None, hold: Callable | None = None) -> tuple[list[Parsed], dict]:
        """Parse the files that changed since the last build of this builder (all of them the first time,
        most of them from the persistent cache); and the digests of files read only now (see parse_all).
        With `bodies`, the articles' bodies are put aside there; with `hold`, cached bodies stay in the cache
        until read (see load_pack)."""
        memory = self.memory
        options = parse_options_of(config)
        if options != memory.parse_options:
            memory.parsed = {}
        memory.parse_options = options
        fresh = [f for f in sources.files if memory.parsed.get(f.rel, (None,))[0] is not f]
        results, digests = parse_all(fresh, options, jobs, cache, bodies, hold)
        if self.incremental:
            for source, result in zip(fresh, results):
                memory.parsed[source.rel] = (source, result)
                memory.sources[source.rel] = source
            if len(memory.parsed) != len(sources.files):  # files were removed: forget them
                memory.sources = {f.rel: f for f in sources.files}
                memory.parsed = {rel: memory.parsed[rel] for rel in memory.sources}
            results = [memory.parsed[f.rel][1] for f in sources.files]
        if sources.problems:
            results.append(Parsed(problems=sources.problems))
        return results, digests


@dataclass(frozen=True, slots=True)
class Epochs:
    """What every page's key shares (the code, the config, the layouts, the navigation and menus), and what pages
    of one layout share besides: the data files that layout reads."""

    shared: bytes
    by_template: dict[str, bytes]

    def of(self, page: Page) -> bytes:
        return self.by_template[kinds.BY_NAME[page.kind].template_of(page)]


def page_epochs(code: str, config: Config, layouts: tuple, site: Site, env) -> Epochs:
    menus = tuple((p.title, p.url, p.menu, p.weight) for name in ("main", "footer") for p in site.menu(name))
    shared = hashlib.blake2b(pickle.dumps((code, neutral(config), layouts, site.top_sections, menus), protocol=5),
                             digest_size=20).digest()
    templates = {*kinds.TEMPLATES, *(f"{p.layout}.html" for p in site.standalones)}
    by_template = {}
    for template in templates:
        read = data_read(env, template)
        names = sorted(site.data) if read is None else sorted(read & site.data.keys())
        by_template[template] = hashlib.blake2b(shared + repr([(n, site.data[n].digest) for n in names]).encode(),
                                                digest_size=20).digest()
    return Epochs(shared, by_template)


def load_memo(cache: Cache, key: str) -> PlanMemo | None:
    """The last plan's memo; None if there is none or it cannot be read (then every page is planned)."""
    data = cache.get("plan", key) if cache.enabled else None
    try:
        memo = pickle.loads(data) if data is not None else None
    except Exception:
        return None
    return memo if isinstance(memo, PlanMemo) else None


def neutral(config: Config) -> Config:
    """The config without the folders it was read from: pages do not depend on where the site lives."""
    return dataclasses.replace(config, root=Path("."), output_dir=None)


def file_digests(folder: Path, known: dict | None = None,
                 remembered: Remembered | None = None) -> tuple[tuple[str, str], ...]:
    """(path, digest of the bytes) of every file under a folder (layouts/, assets/), sorted. `known` (serve's
    memory) and `remembered` (the cache's, across builds) map a path to its last stamp and digest, so
    unchanged files are not read."""
    known = known if known is not None else {}
    remembered = remembered if remembered is not None else Remembered()
    found = []
    base = str(folder)
    for rel in list_assets(folder):
        path = f"{base}/{rel}"
        stamp = stamp_of(os.stat(path))
        last = known.get(path)
        digest = last[1] if last is not None and last[0] == stamp else remembered.digest(path, stamp)
        if digest is None:
            with open(path, "rb") as handle:
                digest = hashlib.blake2b(handle.read(), digest_size=20).hexdigest()
        known[path] = (stamp, digest)
        remembered.note(path, stamp, digest)
        found.append((rel, digest))
    return tuple(found)


def build_fingerprint(code: str, config: Config, options: BuildOptions, sources: SourceFiles, files: tuple) -> bytes:
    """A digest of every input of a build but 'now': the code, the options, the config and every file (`files`:
    the digests of layouts, assets and data files). The build is a pure function of these (and of now, see
    next_change)."""
    material = (code, neutral(config), options.base_url, options.drafts, options.future,
                options.search, options.broken_links, tuple((f.rel, f.digest) for f in sources.files),
                sources.folders, sources.problems, files)
    return hashlib.blake2b(pickle.dumps(material, protocol=5), digest_size=20).digest()


def next_change(site, left_out, parsed, options: BuildOptions):
    """The earliest date at which 'now' changes what is published: the first article scheduled later."""
    if options.future or options.now is None:
        return None
    later = [r.article.date for r in parsed if r.article is not None and r.article.date > options.now
             and not (r.article.draft and not options.drafts)]
    return min(later) if later else None


def unchanged_build(manifest: dict, config: Config, fingerprint: bytes, now) -> dict | None:
    """What the last build reported, when it had exactly these inputs and output/ is still exactly what it
    wrote: then there is nothing to do (not even to parse)."""
    if manifest.get("fingerprint") != fingerprint or not isinstance(manifest.get("report"), dict):
        return None
    scheduled = manifest.get("next_change")
    if scheduled is not None and (now is None or now >= scheduled):
        return None
    if not config.out_dir.is_dir() or not intact(config.out_dir, manifest.get("live")):
        return None
    return manifest["report"]
