"""The whole build, one engine for 'build', 'check' and 'serve': read, parse, model, check, plan, write; timed.

Every stage is asked through the builder's memo (`BuilderMemo`): a one-shot build starts with an empty memo and
takes what it can from the persistent cache; 'serve' is the same builder asked again after each save, its memo
warm. The only difference between the two is where the pages go: 'build' replaces output/ in one atomic step,
the preview writes changed files in place (`BuildOptions.preview`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import gc
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
from .fingerprint import build_fingerprint, next_change, unchanged_build
from .keys import Epochs, page_epochs, page_keys, value_digest
from .linkcheck import LinkMemo, Targets, link_problems, remembered_links
from .model import Page, Site
from .pages import plan_pages
from .parallel import Begun, default_jobs, map_shares
from .parse import ParseOptions, Parsed
from .parsecache import parse_all, parse_options_of
from .pictures import NO_PICTURES, Derivatives, Pictures, make_pictures, remembered_uses
from .planmemo import (PagesMemo, PlanMemo, Seen, ShapeMemo, digest_of_pages, plan_pages_inputs, remembered_pages,
                       remembered_shape)
from .problems import BuildFailed, Problem
from .publish import (Manifest, Planned, Wanted, Writer, Written, build_lock, load_manifest, publish, ready_trees,
                      render_all, update_in_place)
from .render import (Renderer, TemplateFailed, data_read, layout_problems, make_environment, page_links,
                     template_globals)
from .site import LeftOut, Selection, SiteMemo, remembered_site
from .sources import SourceFile, SourceFiles, discover_sources, folder_digests
from .stamps import keep, recall, settle
from .views import ItemsMemo, SitemapMemo


@dataclass(frozen=True, slots=True)
class BuildOptions:
    base_url: str | None = None
    output_dir: Path | None = None
    jobs: int = 0  # 0: one per core
    search: bool = True  # build the search index (the search page is always written)
    drafts: bool = False
    future: bool = False
    now: dt.datetime | None = None  # read once by the command line, never inside the pipeline
    write: bool = True  # False: check only
    broken_links: str = "error"  # or "warn": report broken internal links without failing
    cache_dir: Path | None = None  # default: .cache/ in the site's folder
    use_cache: bool = True  # False: neither read nor write the persistent cache
    preview: bool = False  # 'serve': after the first build, changed files are replaced in place, one by one


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


@dataclass(frozen=True, slots=True)
class EnvironmentMemo:
    layouts: tuple  # (layouts folder, layout digests, digest of the globals) the environment was made for
    env: object  # the compiled Jinja2 environment
    cache: Cache | None = None  # where the templates' data reads are kept between builds
    data_reads: dict = field(default_factory=dict)  # template -> the data files it reads (parsing it costs 10 ms)


@dataclass(slots=True)
class BuilderMemo:
    """What a Builder keeps from one build to its next: only ever a shortcut to the same result. Each field is
    one stage's memo, made and read by that stage alone."""

    sources: dict[str, SourceFile] = field(default_factory=dict)  # discovery: the files as last read
    parsed: dict[str, tuple[SourceFile, Parsed]] = field(default_factory=dict)  # parse: by file, with its source
    parse_options: ParseOptions | None = None
    file_digests: dict = field(default_factory=dict)  # layout/asset path -> (stamp, digest)
    site: SiteMemo | None = None
    pages: PagesMemo | None = None
    links: LinkMemo | None = None
    uses: tuple | None = None  # pictures.remembered_uses' memo
    pictures: Pictures = NO_PICTURES
    environment: EnvironmentMemo | None = None
    sitemap: SitemapMemo | None = None
    items: ItemsMemo | None = None
    shape: ShapeMemo | None = None
    plan: PlanMemo | None = None
    written: Written | None = None  # what the preview last wrote in place (None: not yet)


@dataclass(frozen=True, slots=True)
class Run:
    """What every stage of one build shares."""

    config: Config
    options: BuildOptions
    cache: Cache
    jobs: int
    stages: _Stages
    held: contextlib.ExitStack  # what the build holds open until it ends (its file of bodies, the build lock)


@dataclass(frozen=True, slots=True)
class Inputs:
    """Everything a build reads besides the content's text: the files of content/ (not yet read), layouts,
    assets and data files, and the digests of files known by their stamps."""

    sources: SourceFiles
    layouts: tuple
    assets: tuple
    data: dict
    data_problems: tuple
    remembered: object

    @property
    def files(self) -> tuple:
        return self.layouts, self.assets, tuple((name, d.digest) for name, d in self.data.items())


@dataclass(frozen=True, slots=True)
class Model:
    """The checked site: every page, its pictures and environment, and what the report tells beside them."""

    site: Site
    pages: tuple[Page, ...]
    left_out: tuple[LeftOut, ...]
    warnings: tuple[Problem, ...]
    pictures: Pictures
    env: object
    assets: tuple[str, ...]


def build(site_yaml: Path, options: BuildOptions = BuildOptions(),
          progress: Callable[[str, float], None] | None = None) -> BuildReport:
    """Build the site once; raise BuildFailed with every problem, leaving output/ untouched."""
    return Builder(site_yaml, options).build(progress)


class Builder:
    """The one stateful object: a site's builder and its memo. Asked once by 'build' and 'check', again after
    every save by 'serve'; the same stages either way."""

    def __init__(self, site_yaml: Path, options: BuildOptions = BuildOptions()):
        self.site_yaml, self.options = site_yaml, options
        self.memo = BuilderMemo()
        self.last_good: tuple | None = None  # (config, site) of the last build without problems (the preview's search)

    @functools.cached_property
    def code(self) -> str:
        """The running code's version: read once (every rebuild of 'serve' runs the code imported at its start)."""
        return code_version()

    def cache_for(self, config: Config) -> Cache:
        if not self.options.use_cache:
            return Cache(None)
        return Cache(self.options.cache_dir or config.root / ".cache", self.code)

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
            with contextlib.ExitStack() as held:
                run = Run(config, options, cache, options.jobs or default_jobs(), _Stages(progress), held)
                return self.build_with(run)
        except BaseException:
            if new_cache:  # a first build that fails leaves nothing beside output/, not even a cache
                shutil.rmtree(cache.root, ignore_errors=True)
            raise
        finally:
            if collecting:
                gc.enable()

    def build_with(self, run: Run) -> BuildReport:
        config, options, cache = run.config, run.options, run.cache
        in_place = options.preview and self.memo.written is not None
        manifest = load_manifest(cache, config.out_dir) if options.write and not in_place and cache.enabled else None
        # Nothing to do is possible only beside the output the last build made.
        maybe_unchanged = bool(manifest and manifest.fingerprint is not None and config.out_dir.is_dir())
        inputs = self.read(run, defer=not self.memo.sources and not maybe_unchanged)
        if maybe_unchanged:
            fingerprint = build_fingerprint(self.code, config, options, inputs.sources, inputs.files)
            unchanged = unchanged_build(manifest, config, fingerprint, options.now)
            if unchanged is not None:
                keep(cache, str(config.root.resolve()), inputs.remembered)
                run.stages.done("unchanged")
                return BuildReport(config, timings=tuple(run.stages.timings), pages=0, bytes_written=0, **unchanged)
        ready = None
        if manifest and manifest.live is not None:
            # output/ and the spare tree are checked (and the spare filled) beside the parse and the plan
            run.held.enter_context(build_lock(cache))
            checking = functools.partial(ready_trees, cache, config.out_dir, manifest, run.jobs)
            ready = run.held.enter_context(Begun(checking)).result
        parsed, inputs = self.parse(run, inputs)
        model = self.model(run, inputs, parsed)
        self.last_good = (config, model.site)
        planned = self.plan(run, model, page_epochs(self.code, config, inputs.layouts, model.site, self.data_read))
        run.stages.done("plan")
        counts = dict(articles=len(model.site.articles), sections=len(model.site.sections) - 1,
                      assets=len(model.assets), left_out=model.left_out, warnings=model.warnings)
        self.memo.pictures = model.pictures
        writer = Writer(config, Renderer(config, model.site, model.env), cache, run.jobs, run.stages)
        wanted = Wanted(planned, dict(inputs.assets), Derivatives(model.pictures, config.assets_dir, cache))
        if not options.write:
            rendered, failures = render_all(writer.renderer, planned, range(len(model.pages)), run.jobs)
            if failures:
                raise BuildFailed(failures)
            run.stages.done("render")
            return BuildReport(config, pages=len(rendered), bytes_written=0, timings=tuple(run.stages.timings), **counts)
        if in_place:
            result, self.memo.written = update_in_place(writer, wanted, self.memo.written)
            return BuildReport(config, pages=result.rendered, bytes_written=result.bytes,
                               timings=tuple(run.stages.timings), files_written=result.files, **counts)
        facts = Manifest(fingerprint=build_fingerprint(self.code, config, options, inputs.sources, inputs.files),
                         next_change=next_change(model.site, model.left_out, parsed, options), report=counts)
        result = publish(writer, wanted, self.search(run, model.site), facts, manifest, ready)
        if options.preview:  # the preview writes in place from now on: what it holds now
            self.memo.written = Written(wanted.digests(), wanted.assets)
        return BuildReport(config, pages=result.rendered, bytes_written=result.bytes,
                           timings=tuple(run.stages.timings), search=result.search, files_written=result.files,
                           **counts)

    def search(self, run: Run, site: Site) -> Callable | None:
        """The search stage, run by publishing: shards of our tokens, cached by shard."""
        if not run.options.search:
            return None
        from .search import search_files
        return lambda: search_files(run.config, site, run.cache, run.jobs)

    def read(self, run: Run, defer: bool) -> Inputs:
        """Find the files the build reads; digests of unchanged ones come from the memo or the stamps cache.
        With `defer`, content files are left for the parse workers to read."""
        config = run.config
        remembered = recall(run.cache, str(config.root.resolve()))
        sources = discover_sources(config.content_dir, known=self.memo.sources, remembered=remembered, defer=defer)
        layouts, outside_layouts = folder_digests(config.layouts_dir, "layouts", self.memo.file_digests, remembered)
        assets, outside_assets = folder_digests(config.assets_dir, "assets", self.memo.file_digests, remembered)
        data, problems = load_data(config.data_dir)
        problems += outside_layouts + outside_assets
        run.stages.done("read")
        return Inputs(sources, layouts, assets, data, tuple(problems), remembered)

    def parse(self, run: Run, inputs: Inputs) -> tuple[list[Parsed], Inputs]:
        """Parse the files not parsed by this builder already (all of them the first time, most of them from the
        persistent cache). A large archive's bodies are put aside in a file, unless the preview keeps them."""
        config, sources = run.config, inputs.sources
        bodies, hold = None, None
        if not run.options.preview:  # a build that ends: bodies can wait in their cache entries until read
            hold = run.held.callback
            if len(sources.files) >= PUT_ASIDE_FROM:
                bodies = BodyFile(run.cache.root if run.cache.enabled else config.out_dir.parent, config.out_dir)
                run.held.callback(bodies.close)
        memo = self.memo
        options = parse_options_of(config)
        if options != memo.parse_options:
            memo.parsed, memo.parse_options = {}, options
        fresh = [f for f in sources.files if memo.parsed.get(f.rel, (None,))[0] is not f]
        results, digests = parse_all(fresh, options, run.jobs, run.cache, bodies, hold)
        if digests:  # the files discovery left unread have their digests now
            settle(inputs.remembered, digests)
            fresh = [dataclasses.replace(f, digest=digests.get(f.origin, "")) if not f.digest else f for f in fresh]
        memo.parsed.update((source.rel, (source, result)) for source, result in zip(fresh, results))
        if len(memo.parsed) != len(sources.files):  # files were removed: forget them
            memo.parsed = {f.rel: memo.parsed[f.rel] for f in sources.files}
        memo.sources = {rel: source for rel, (source, _) in memo.parsed.items()}
        files = tuple(memo.sources[f.rel] for f in sources.files)
        keep(run.cache, str(config.root.resolve()), inputs.remembered)
        run.stages.done("parse")
        parsed = [memo.parsed[f.rel][1] for f in sources.files]
        if sources.problems:
            parsed.append(Parsed(problems=sources.problems))
        return parsed, dataclasses.replace(inputs, sources=dataclasses.replace(sources, files=files))

    def model(self, run: Run, inputs: Inputs, parsed: list[Parsed]) -> Model:
        """The site, its pages and pictures, checked: every problem of the content, the links, the layouts and
        the pictures together, or BuildFailed."""
        config, options, memo = run.config, run.options, self.memo
        selection = Selection(now=options.now, drafts=options.drafts, future=options.future)
        site, left_out, problems, memo.site = remembered_site(config.title, inputs.sources.folders, parsed,
                                                              selection, memo.site, inputs.data)
        problems += inputs.data_problems
        assets = tuple(rel for rel, _ in inputs.assets)
        pages, clashes, memo.pages = remembered_pages(plan_pages, site, config.per_page, assets, memo.pages)
        problems += clashes
        # Links to an article whose file has problems of its own are not reported twice.
        failing = {"/" + result.url: "" for result in parsed if result.url}
        missing = {**failing, **{"/" + item.url: item.reason for item in left_out}}
        checked, memo.links = remembered_links(Targets(site, pages, assets, missing), memo.links, run.cache)
        broken = link_problems(checked)
        if broken and options.broken_links == "error":
            problems += broken
        env, template_problems = self.environment(config, inputs.layouts, site, run.cache)
        problems += template_problems or layout_problems(env, site)
        # phone-sized versions of the images articles use; bad images are problems
        uses, memo.uses = remembered_uses(site.articles, assets, memo.uses)
        pictures = make_pictures(uses, config.assets_dir, run.cache, run.jobs, previous=memo.pictures,
                                 digests=dict(inputs.assets))
        problems += pictures.problems
        if problems:
            raise BuildFailed(problems)
        warnings = (*sorted(w for result in parsed for w in result.warnings), *broken)
        return Model(site, pages, left_out, warnings, pictures, env, assets)

    def plan(self, run: Run, model: Model, epochs: Epochs) -> Planned:
        """Each page's key, and the inputs of the pages that may have changed. The last plan (the memo's, else the
        cache's) tells which pages read a changed article; the others keep their key and get their inputs only
        if they must be rendered after all."""
        config, cache, memo, site, pages = run.config, run.cache, self.memo, model.site, model.pages
        links = page_links(config)
        lookups, memo.sitemap, memo.items = kinds.remembered_lookups(site, pages, model.pictures.pictures,
                                                                     memo.sitemap, memo.items)
        memo_key = cache.key("plan", str(config.out_dir.resolve())) if cache.enabled else ""
        last = memo.plan or load_memo(cache, memo_key)

        def keys_of(some_pages, some_inputs):  # keys cost about as much as planning: in the workers when many
            return map_shares(lambda share: page_keys(epochs.of, [some_pages[n] for n in share],
                                                      [some_inputs[n] for n in share]),
                              range(len(some_pages)), run.jobs, minimum=5000)

        pages_digest = memo.pages.digest if memo.pages is not None and memo.pages.pages is pages \
            else digest_of_pages(pages)
        shape, memo.shape = remembered_shape(epochs.shared, site, pages, lookups, pages_digest, memo.shape)
        plan = plan_pages_inputs(epochs.shared, Seen(site, pages, lookups, links), last, keys_of, shape)
        memo.plan = plan.memo
        if cache.enabled and plan.memo != last:  # true whatever becomes of this build: saved now
            cache.put("plan", memo_key, pickle.dumps(plan.memo, protocol=5))

        def make_inputs(page: Page):
            return kinds.BY_NAME[page.kind].inputs(site, page, lookups, links)

        return Planned(pages, plan.inputs, plan.keys, make_inputs)

    def environment(self, config: Config, layout_digests, site: Site, cache: Cache | None = None):
        """The Jinja2 environment, made again only when a layout file or what every template sees (the site's
        settings, navigation, data: template_globals) changed, its templates compiled or taken compiled from
        the cache; and its problems. A template's imported macros keep the globals they were imported with, so
        an environment serves one set of globals only."""
        seen = {name: value for name, value in template_globals(config, site).items() if not callable(value)}
        made_of = (config.layouts_dir, layout_digests, value_digest(seen))
        if self.memo.environment is None or self.memo.environment.layouts != made_of:
            try:
                self.memo.environment = EnvironmentMemo(made_of, make_environment(config.layouts_dir, cache), cache)
            except TemplateFailed as err:
                self.memo.environment = None
                return None, (err.problem,)
        return self.memo.environment.env, ()

    def data_read(self, template: str) -> frozenset | None:
        """The data files `template` reads (render.data_read), found once per environment and kept in the cache
        by the layouts they were read from: parsing the templates cost every warm build at 10,000 articles
        0.09 s of 1.3 s."""
        memo = self.memo.environment
        if template not in memo.data_reads:
            cache = memo.cache if memo.cache is not None and memo.cache.enabled else None
            key = cache.key("data read", repr(memo.layouts[1]), template) if cache else ""
            kept = cache.get("plan", key) if cache else None
            found = pickle.loads(kept) if kept is not None else data_read(memo.env, template)
            if cache and kept is None:
                cache.put("plan", key, pickle.dumps(found, protocol=5))
            memo.data_reads[template] = found
        return memo.data_reads[template]


def load_memo(cache: Cache, key: str) -> PlanMemo | None:
    """The last plan's memo; None if there is none or it cannot be read (then every page is planned)."""
    data = cache.get("plan", key) if cache.enabled else None
    try:
        memo = pickle.loads(data) if data is not None else None
    except Exception:
        return None
    return memo if isinstance(memo, PlanMemo) else None
