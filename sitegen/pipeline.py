"""The whole build: config, sources, parse, site, pages, render, write, search; timed stage by stage."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .config import Config, load_config
from .markdown import make_markdown
from .output import (copy_assets, discard, list_assets, prepare_staging, remove_files, stamps, swap_in,
                     write_text_files)
from .pages import plan_pages
from .parallel import default_jobs, map_shares
from .parse import ParseOptions, Parsed, parse_source
from .pictures import NO_PICTURES, Pictures, make_pictures, plan_pictures, write_derivatives
from .links import check_links, link_problems
from .model import Site
from .pages import Page
from .problems import BuildFailed, Problem
from .render import Renderer, TemplateFailed, make_environment
from .site import LeftOut, Selection, build_site
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


@dataclass(frozen=True, slots=True)
class BuildReport:
    config: Config
    articles: int
    sections: int
    pages: int  # pages rendered (in an incremental rebuild, only those whose inputs changed)
    assets: int
    bytes_written: int
    timings: tuple[tuple[str, float], ...]
    left_out: tuple[LeftOut, ...] = ()
    search: dict = field(default_factory=dict)
    warnings: tuple[Problem, ...] = ()


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


def parse_all(files, options: ParseOptions, jobs: int) -> list[Parsed]:
    """Parse every source file, in worker processes when there are many."""
    def parse_share(share):
        md = make_markdown(options.allow_html)
        return [parse_source(source, options, md) for source in share]
    return map_shares(parse_share, files, jobs)


def build(site_yaml: Path, options: BuildOptions = BuildOptions(),
          progress: Callable[[str, float], None] | None = None) -> BuildReport:
    """Build the site once; raise BuildFailed with every problem, leaving output/ untouched."""
    return Builder(site_yaml, options).build(progress)


class Builder:
    """The one stateful object: between builds (in 'serve') it keeps parsed files and what each page
    was rendered from, so a rebuild parses only changed files, renders only pages whose inputs changed,
    and writes only files whose bytes changed. It runs the same stages as a one-shot build."""

    def __init__(self, site_yaml: Path, options: BuildOptions = BuildOptions(), incremental: bool = False):
        self.site_yaml, self.options, self.incremental = site_yaml, options, incremental
        self.sources: dict[str, SourceFile] = {}
        self.parsed: dict[str, tuple[SourceFile, Parsed]] = {}
        self.parse_options: ParseOptions | None = None
        self.signatures: dict[str, object] = {}  # output path -> what it was rendered from
        self.epoch = None  # config, layouts and sections: any change re-renders every page
        self.assets: dict[str, tuple[int, int]] = {}
        self.written = False  # output/ holds a complete build of ours
        self.env = None  # (layout files and their stamps, compiled environment)
        self.planned = None  # (what decides the set of pages, the pages)
        self.links = None  # (pages, headings, link check results by source)
        self.layouts = ()
        self.pictures = NO_PICTURES  # pictures hook (issue 10): the pictures whose versions output/ holds

    def build(self, progress: Callable[[str, float], None] | None = None) -> BuildReport:
        options = self.options
        stages = _Stages(progress)
        jobs = options.jobs or default_jobs()
        config = load_config(self.site_yaml, base_url=options.base_url, output_dir=options.output_dir)
        sources = discover_sources(config.content_dir, known=self.sources if self.incremental else None)
        stages.done("read")
        parsed = self.parse(sources, config, jobs)
        stages.done("parse")
        site, left_out, problems = build_site(config.title, sources.folders, parsed, Selection(
            now=options.now, drafts=options.drafts, future=options.future))
        assets = list_assets(config.assets_dir)
        try:
            pages = self.plan(site, config, assets)
        except BuildFailed as clashes:
            raise BuildFailed([*problems, *clashes.problems]) from None
        # Links to an article whose file has problems of its own are not reported twice.
        failing = {"/" + p.path.removeprefix("content/").removesuffix(".md") + "/": "" for p in problems
                   if p.path.endswith(".md") and not p.path.endswith("/_index.md")}
        broken = self.check_links(site, pages, assets, left_out, failing)
        if broken and options.broken_links == "error":
            problems += broken
        # pictures hook (issue 10): phone-sized versions of the images articles use; bad images are problems
        pictures = make_pictures(plan_pictures(site.articles, assets), config.assets_dir, self.picture_cache(),
                                 jobs, previous=self.pictures if self.incremental else None)
        problems = [*problems, *pictures.problems]
        if problems:
            raise BuildFailed(sorted(problems))
        env = self.environment(config)
        renderer = Renderer(config, site, env, pages, pictures=pictures.pictures)
        stages.done("plan")
        counts = dict(articles=len(site.articles), sections=len(site.sections) - 1, assets=len(assets),
                      left_out=left_out, warnings=broken)
        if not options.write:
            try:
                rendered = map_shares(lambda share: [len(renderer.render(p)) for p in share], pages, jobs,
                                      minimum=500)
            except TemplateFailed as err:
                raise BuildFailed([err.problem]) from None
            stages.done("render")
            return BuildReport(config, pages=len(rendered), bytes_written=0, timings=tuple(stages.timings),
                               **counts)
        if self.incremental and self.written:
            total, rendered = self.update_in_place(config, site, renderer, pages, assets, jobs, pictures)
            stages.done("render+write")
            return BuildReport(config, pages=rendered, bytes_written=total, timings=tuple(stages.timings),
                               **counts)
        total, search = self.write_staged(config, renderer, pages, assets, jobs, stages, pictures)
        if self.incremental:
            self.remember(config, site, renderer, pages, assets, pictures)
        return BuildReport(config, pages=len(pages), bytes_written=total, timings=tuple(stages.timings),
                           search=search, **counts)

    def plan(self, site: Site, config: Config, assets: tuple[str, ...]) -> tuple[Page, ...]:
        """Every output page; reused as it was when nothing that decides the set of pages changed."""
        if not self.incremental:
            return plan_pages(site, config.per_page, assets)
        key = (config.per_page, assets, tuple((k, s.path) for k, s in site.sections.items()),
               tuple(map(len, site.by_section.values())), tuple((a.url, a.path, a.aliases) for a in site.articles),
               tuple((tag, len(v)) for tag, v in site.tags.items()),
               tuple((month, len(v)) for month, v in site.months.items()))
        if self.planned is None or self.planned[0] != key:
            self.planned = (key, plan_pages(site, config.per_page, assets))
        return self.planned[1]

    def check_links(self, site: Site, pages: tuple[Page, ...], assets: tuple[str, ...],
                    left_out: tuple[LeftOut, ...], failing: dict[str, str]) -> tuple[Problem, ...]:
        """Broken internal links; in 'serve', unchanged texts keep their last result while pages,
        headings and left-out articles stay the same. Links into `failing` URLs are not reported."""
        missing = {**failing, **{"/" + item.url: item.reason for item in left_out}}
        headings = (tuple((a.url, a.anchors) for a in site.articles), tuple(missing.items())) \
            if self.incremental else None
        same = self.links is not None and self.links[0] is pages and self.links[1] == headings
        checked = check_links(site, pages, assets, missing, self.links[2] if same else None)
        if self.incremental:
            self.links = (pages, headings, checked)
        return link_problems(checked)

    def environment(self, config: Config):
        """The Jinja2 environment, compiled again only when a layout file changed."""
        layouts = tuple(stamps(config.layouts_dir, list_assets(config.layouts_dir)).items())
        if self.env is None or self.env[0] != (config.layouts_dir, layouts):
            try:
                self.env = ((config.layouts_dir, layouts), make_environment(config.layouts_dir))
            except TemplateFailed as err:
                raise BuildFailed([err.problem]) from None
        self.layouts = layouts
        return self.env[1]

    def parse(self, sources: SourceFiles, config: Config, jobs: int) -> list[Parsed]:
        """Parse the files that changed since the last build (all of them the first time)."""
        options = ParseOptions(config.timezone, config.base_path, config.allow_html, config.default_source)
        if options != self.parse_options:
            self.parsed = {}
        self.parse_options = options
        fresh = [f for f in sources.files if self.parsed.get(f.rel, (None,))[0] is not f]
        results = parse_all(fresh, options, jobs)
        if self.incremental:
            for source, result in zip(fresh, results):
                self.parsed[source.rel] = (source, result)
            self.sources = {f.rel: f for f in sources.files}
            self.parsed = {rel: self.parsed[rel] for rel in self.sources}
            results = [self.parsed[f.rel][1] for f in sources.files]
        if sources.problems:
            results.append(Parsed(problems=sources.problems))
        return results

    def picture_cache(self):
        """Pictures hook (issue 10): the Builder's persistent cache, once it owns one (sitegen/cache.py)."""
        return getattr(self, "cache", None)

    def write_staged(self, config, renderer, pages, assets, jobs, stages, pictures: Pictures):
        """Render every page into a staging folder and swap it in as output/ in one step."""
        stage = prepare_staging(config.out_dir)
        try:
            def render_share(share):
                return [write_text_files(stage, [(page.out, renderer.render(page))]) for page in share]
            try:
                written = map_shares(render_share, pages, jobs, minimum=500)
            except TemplateFailed as err:
                raise BuildFailed([err.problem]) from None
            total = sum(written) + copy_assets(config.assets_dir, assets, stage)
            total += write_derivatives(stage, pictures, config.assets_dir, self.picture_cache())  # pictures hook
            stages.done("render+write")
            search = {}
            if self.options.search:
                from .search import run_pagefind
                search = run_pagefind(stage, config, tuple(p.out for p in pages if p.kind == "article"))
                stages.done("search index")
            swap_in(stage, config.out_dir)
        except BaseException:
            discard(stage)
            raise
        self.written = True
        return total, search

    def epoch_of(self, config, site, pictures: Pictures):
        # pictures hook (issue 10): a picture's sizes are in every page that shows it
        return (config, self.layouts, tuple(site.sections.values()), pictures.digest())

    def remember(self, config, site, renderer, pages, assets, pictures: Pictures) -> None:
        self.epoch = self.epoch_of(config, site, pictures)
        self.signatures = {page.out: renderer.signature(page) for page in pages}
        self.assets = stamps(config.assets_dir, assets)
        self.pictures = pictures  # pictures hook (issue 10): what output/ now holds

    def update_in_place(self, config, site, renderer, pages, assets, jobs, pictures: Pictures) -> tuple[int, int]:
        """Render only pages whose inputs changed, in memory, then write the changed files into output/."""
        epoch = self.epoch_of(config, site, pictures)
        previous = self.signatures if epoch == self.epoch else {}
        signatures = {page.out: renderer.signature(page) for page in pages}
        todo = [page for page in pages if previous.get(page.out) != signatures[page.out]]
        try:
            texts = map_shares(lambda share: [renderer.render(p) for p in share], todo, jobs, minimum=500)
        except TemplateFailed as err:
            raise BuildFailed([err.problem]) from None
        out = config.out_dir
        total = write_text_files(out, [(page.out, text) for page, text in zip(todo, texts)], replace=True)
        asset_stamps = stamps(config.assets_dir, assets)
        changed_assets = [rel for rel in assets if self.assets.get(rel) != asset_stamps[rel]]
        total += copy_assets(config.assets_dir, changed_assets, out, replace=True)
        # pictures hook (issue 10): write the versions of pictures that are new or changed, drop those of the rest
        changed = {rel for rel, p in pictures.pictures.items() if self.pictures.pictures.get(rel) != p}
        total += write_derivatives(out, pictures, config.assets_dir, self.picture_cache(), only=changed, replace=True)
        gone = (set(self.signatures) | set(self.assets) | self.pictures.outputs) - set(signatures) \
            - set(asset_stamps) - pictures.outputs
        remove_files(out, gone)
        self.epoch, self.signatures, self.assets, self.pictures = epoch, signatures, asset_stamps, pictures
        return total, len(todo)
