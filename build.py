#!/usr/bin/env python3
"""Command line of the site generator: build, check, serve, new and import."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from sitegen import BuildFailed, BuildOptions, build, load_config
from sitegen.fields import parse_date
from sitegen.memory import give_back_large_buffers

EXAMPLES = """examples:
  python build.py build                      build content/ into output/
  python build.py build --no-search          quicker: skip the search index
  python build.py build --base-url https://example.github.io/repo/
  python build.py check                      report every problem, write nothing
  python build.py serve                      preview on http://127.0.0.1:8000/, rebuilt as you save
  python build.py new daibiao-gongzuo/lvzhi-dongtai --title 代表视察 --slug daibiao-shicha
  python build.py import old-site/ --dry-run   bring the old CMS site over: first see what it would do
  python build.py import old-site/ --old-base-url http://www.mxrd.gov.cn/
"""


def now_from(args) -> dt.datetime:
    """'Now' for scheduling, read once here: --now (in the site's time zone), else SOURCE_DATE_EPOCH,
    else the clock."""
    if args.now:
        try:
            zone = load_config(args.site / "site.yaml").zone
        except BuildFailed:
            zone = ZoneInfo("Asia/Shanghai")  # the build itself will report what is wrong with site.yaml
        parsed = parse_date(args.now, zone)
        if parsed is None:
            print(f"build.py: error: --now '{args.now}' is not a date such as 2026-01-31 12:00", file=sys.stderr)
            raise SystemExit(2)  # a usage error, like argparse's
        return parsed
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        return dt.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc)


def add_build_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", type=Path, default=Path("."), metavar="DIR",
                        help="the site's folder, holding site.yaml, content/, layouts/ and assets/ (default: .)")
    parser.add_argument("--output", type=Path, metavar="DIR", help="where to write the site (default: DIR/output)")
    parser.add_argument("--base-url", metavar="URL", help="override site.yaml's base_url, e.g. for GitHub Pages")
    parser.add_argument("--jobs", type=int, default=0, metavar="N", help="worker processes (default: one per core)")
    parser.add_argument("--drafts", action="store_true", help="include articles with 'draft: true'")
    parser.add_argument("--future", action="store_true", help="include articles dated after now")
    parser.add_argument("--broken-links", choices=["error", "warn"], default="error",
                        help="what a broken internal link or image in an article is (default: error)")
    parser.add_argument("--cache", type=Path, metavar="DIR", help="the build cache (default: DIR/.cache; safe to "
                                                                   "delete, never committed)")
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the build cache")
    parser.add_argument("--now", metavar="DATE", help="the time that decides what is 'future' (default: "
                                                      "SOURCE_DATE_EPOCH, else the clock)")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="Build the congress news site from Markdown.",
                                     epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    build_cmd = commands.add_parser("build", help="build output/ from content/",
                                    description="Build output/ from content/. On any problem nothing is written.",
                                    epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_build_options(build_cmd)
    build_cmd.add_argument("--no-search", action="store_true", help="skip the Pagefind search index")
    check_cmd = commands.add_parser(
        "check", help="report every problem without writing anything",
        description="Validate the site as a build would (front matter, templates, internal links, images "
                    "and heading anchors), writing nothing.",
        epilog="examples:\n  python build.py check\n  python build.py check --drafts --future",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_build_options(check_cmd)
    serve_cmd = commands.add_parser(
        "serve", help="preview the site, rebuilt and reloaded as you save",
        description="Build, serve output/ on http://HOST:PORT/, rebuild when content/, layouts/, assets/ or "
                    "site.yaml change, and reload open pages. Problems show over the page until fixed.",
        epilog="example:\n  python build.py serve --port 8080", formatter_class=argparse.RawDescriptionHelpFormatter)
    add_build_options(serve_cmd)
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve_cmd.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    new_cmd = commands.add_parser(
        "new", help="start a new article in a section",
        description="Write content/SECTION/SLUG.md with its front matter filled in and print its path. "
                    "An existing file is never overwritten.",
        epilog="examples:\n  python build.py new renda-yaowen --title 县人大常委会召开会议\n"
               "  python build.py new daibiao-gongzuo/lvzhi-dongtai --slug daibiao-shicha",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    new_cmd.add_argument("section", help="the section folder under content/, e.g. renda-yaowen")
    new_cmd.add_argument("--title", help="the article's title (Chinese is fine)")
    new_cmd.add_argument("--slug", help="the file name and URL: lowercase letters a-z, digits and '-' "
                                        "(default: the date and time)")
    new_cmd.add_argument("--site", type=Path, default=Path("."), metavar="DIR", help="the site's folder")
    import_cmd = commands.add_parser(
        "import", help="import a saved copy of the old CMS site into content/",
        description="Read a saved copy of the old site (what 'wget --mirror --page-requisites' wrote, or a folder "
                    "of pages saved as text) and write its articles into content/, its pictures and attachments "
                    "into assets/legacy/, and their old addresses as aliases. The first run writes import-map.yaml "
                    "(old sections -> new folders) for you to edit; every run writes import-report.txt. Runs from several "
                    "copies add up: nothing is removed unless --prune is given.",
        epilog="examples:\n  python build.py import old-site/ --dry-run\n"
               "  python build.py import old-site/ --old-base-url http://www.mxrd.gov.cn/\n"
               "  python build.py import old-site/ --force     also replace imported files an editor changed\n"
               "  python build.py import old-site/ --prune     also remove articles whose pages are gone from "
               "old-site/",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    import_cmd.add_argument("source", type=Path, metavar="SRC", help="the folder of the saved copy")
    import_cmd.add_argument("--site", type=Path, default=Path("."), metavar="DIR",
                            help="the site's folder, holding site.yaml and content/ (default: .)")
    import_cmd.add_argument("--old-base-url", metavar="URL",
                            help="旧网站的地址，如 http://www.mxrd.gov.cn/：写成这个完整网址的链接算作站内链接；"
                                 "报告给出缺少的图片和附件的完整旧网址，供下载。文章从不链接到旧网站")
    import_cmd.add_argument("--dry-run", action="store_true",
                            help="print what would be imported; write nothing but import-map.yaml on the first run")
    import_cmd.add_argument("--force", action="store_true",
                            help="replace imported files even when an editor has changed them since")
    import_cmd.add_argument("--prune", action="store_true",
                            help="删除旧页面原本在 SRC 中、现在已不在的导入文章（先列出再删；编辑改过的不删）。"
                                 "不加时不删除任何文件")
    import_cmd.add_argument("--jobs", type=int, default=0, metavar="N", help="worker processes (default: one per core)")
    return parser


def run_import_command(args) -> int:
    from sitegen.importer import ImportFailed, ImportOptions, run_import
    try:
        report = run_import(ImportOptions(args.source, args.site, args.old_base_url, args.dry_run, args.force,
                                          args.jobs, args.prune))
    except ImportFailed as failed:
        print(f"build.py import: error: {failed}", file=sys.stderr)
        return 1
    except BuildFailed as failed:
        return report_problems(failed, "nothing was imported")
    print(report.text(), end="")
    return 0


def report_problems(failed: BuildFailed, tail: str) -> int:
    for problem in failed.problems:
        print(problem, file=sys.stderr)
    count = len(failed.problems)
    print(f"{count} problem{'s' if count != 1 else ''} found; {tail}.", file=sys.stderr)
    return 1


def run_new(args) -> int:
    from sitegen.parse import SLUG
    from sitegen.scaffold import new_article
    if args.slug is not None and not SLUG.fullmatch(args.slug):
        print(f"build.py new: error: --slug '{args.slug}' may only contain lowercase letters a-z, digits and '-'",
              file=sys.stderr)
        return 2
    try:
        config = load_config(args.site / "site.yaml")
        path = new_article(config, args.section, dt.datetime.now(dt.timezone.utc), args.title, args.slug)
    except BuildFailed as failed:
        return report_problems(failed, "no file was written")
    print(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path)
    return 0


def run_serve(args, options: BuildOptions) -> int:
    from sitegen.serve import ServeError, serve
    follows_clock = not args.now and not os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    try:
        serve(args.site / "site.yaml", options, host=args.host, port=args.port,
              report=lambda line: print(line, flush=True),
              now=(lambda: dt.datetime.now(dt.timezone.utc)) if follows_clock else None)
    except ServeError as err:
        print(f"build.py: error: {err}", file=sys.stderr)
        return 1
    return 0


def stage_line(name: str, seconds: float) -> None:
    print(f"  {name:<14} {seconds:6.2f} s", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    give_back_large_buffers()  # the process's peak memory, not its speed, bounds how large an archive builds
    if args.command == "new":
        return run_new(args)
    if args.command == "import":
        return run_import_command(args)
    options = BuildOptions(
        base_url=args.base_url, output_dir=args.output.resolve() if args.output else None, jobs=args.jobs,
        search=args.command == "build" and not args.no_search, drafts=args.drafts, future=args.future,
        now=now_from(args), write=args.command != "check", broken_links=args.broken_links,
        cache_dir=args.cache.resolve() if args.cache else None, use_cache=not args.no_cache)
    if args.command == "serve":
        return run_serve(args, options)
    started = time.perf_counter()
    try:
        report = build(args.site / "site.yaml", options, progress=stage_line)
    except BuildFailed as failed:
        return report_problems(failed, "nothing was written; output/ is as it was" if args.command == "build"
                               else "nothing was written")
    elapsed = time.perf_counter() - started
    for item in report.left_out:
        print(f"left out: {item.path}: {item.reason}", file=sys.stderr)
    for problem in report.warnings:
        print(f"warning: {problem}", file=sys.stderr)
    if args.command == "check":
        print(f"No problems: {report.articles} articles in {report.sections} sections, {report.pages} pages "
              f"({elapsed:.2f} s).")
        return 0
    search = (f", search index {report.search['files']} files {report.search['bytes'] / 1e6:.1f} MB"
              if report.search else "")
    print(f"Built {report.articles} articles in {report.sections} sections and {report.assets} assets: "
          f"{report.pages} pages rendered, {report.files_written} files written ({report.bytes_written / 1e6:.1f} MB)"
          f"{search}, in {report.config.out_dir} ({elapsed:.2f} s).")
    print("Time per stage: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in report.timings) + ".")
    return 0


if __name__ == "__main__":
    sys.exit(main())
