"""The whole build: config, sources, parse, site, pages, render, write, search; timed stage by stage."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .config import Config, load_config
from .markdown import make_markdown
from .output import copy_assets, discard, list_assets, prepare_staging, swap_in, write_text_files
from .pages import plan_pages
from .parallel import default_jobs, map_shares
from .parse import ParseOptions, Parsed, parse_source
from .problems import BuildFailed
from .render import Renderer, TemplateFailed, make_environment
from .site import LeftOut, Selection, build_site
from .sources import discover_sources


@dataclass(frozen=True, slots=True)
class BuildOptions:
    base_url: str | None = None
    output_dir: Path | None = None
    jobs: int = 0  # 0: one per core
    search: bool = True
    drafts: bool = False
    future: bool = False
    now: dt.datetime | None = None  # read once by the command line, never inside the pipeline
    write: bool = True  # False: check only


@dataclass(frozen=True, slots=True)
class BuildReport:
    config: Config
    articles: int
    sections: int
    pages: int
    assets: int
    bytes_written: int
    timings: tuple[tuple[str, float], ...]
    left_out: tuple[LeftOut, ...] = ()
    search: dict = field(default_factory=dict)


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
    """Build the site; raise BuildFailed with every problem, leaving output/ untouched."""
    stages = _Stages(progress)
    jobs = options.jobs or default_jobs()
    config = load_config(site_yaml, base_url=options.base_url, output_dir=options.output_dir)
    sources = discover_sources(config.content_dir)
    stages.done("read")
    parse_options = ParseOptions(config.timezone, config.base_path, config.allow_html, config.default_source)
    parsed = parse_all(sources.files, parse_options, jobs)
    stages.done("parse")
    if sources.problems:
        parsed.append(Parsed(problems=sources.problems))
    site, left_out = build_site(config.title, sources.folders, parsed,
                                Selection(now=options.now, drafts=options.drafts, future=options.future))
    assets = list_assets(config.assets_dir)
    pages = plan_pages(site, config.per_page, assets, search=options.search)
    try:
        env = make_environment(config.layouts_dir)
    except TemplateFailed as err:
        raise BuildFailed([err.problem]) from None
    renderer = Renderer(config, site, env, pages)
    stages.done("plan")
    if not options.write:
        html = map_shares(lambda share: [len(renderer.render(p)) for p in share], pages, jobs, minimum=500)
        stages.done("render")
        return BuildReport(config, len(site.articles), len(site.sections) - 1, len(html), len(assets), 0,
                           tuple(stages.timings), left_out)
    stage = prepare_staging(config.out_dir)
    try:
        def render_share(share):
            return [write_text_files(stage, [(page.out, renderer.render(page))]) for page in share]
        try:
            written = map_shares(render_share, pages, jobs, minimum=500)
        except TemplateFailed as err:
            raise BuildFailed([err.problem]) from None
        total = sum(written) + copy_assets(config.assets_dir, assets, stage)
        stages.done("render+write")
        search = {}
        if options.search:
            from .search import run_pagefind
            search = run_pagefind(stage, config)
            stages.done("search index")
        swap_in(stage, config.out_dir)
    except BaseException:
        discard(stage)
        raise
    return BuildReport(config, len(site.articles), len(site.sections) - 1, len(pages), len(assets), total,
                       tuple(stages.timings), left_out, search)
