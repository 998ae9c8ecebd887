#!/usr/bin/env python3
"""Command line of the site generator: build, check (and, later, serve and new)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

from sitegen import BuildFailed, BuildOptions, build
from sitegen.fields import parse_date

EXAMPLES = """examples:
  python build.py build                      build content/ into output/
  python build.py build --no-search          quicker: skip the search index
  python build.py build --base-url https://example.github.io/repo/
  python build.py check                      report every problem, write nothing
"""


def now_from(args) -> dt.datetime:
    """'Now' for scheduling, read once here: --now, else SOURCE_DATE_EPOCH, else the clock."""
    if args.now:
        parsed = parse_date(args.now, dt.timezone.utc)
        if parsed is None:
            raise SystemExit(f"build.py: error: --now '{args.now}' is not a date such as 2026-01-31 12:00")
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
    check_cmd = commands.add_parser("check", help="report every problem without writing anything",
                                    description="Validate the site as a build would, writing nothing.")
    add_build_options(check_cmd)
    return parser


def stage_line(name: str, seconds: float) -> None:
    print(f"  {name:<14} {seconds:6.2f} s", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    options = BuildOptions(
        base_url=args.base_url, output_dir=args.output.resolve() if args.output else None, jobs=args.jobs,
        search=args.command == "build" and not args.no_search, drafts=args.drafts, future=args.future,
        now=now_from(args), write=args.command == "build")
    started = time.perf_counter()
    try:
        report = build(args.site / "site.yaml", options, progress=stage_line)
    except BuildFailed as failed:
        for problem in failed.problems:
            print(problem, file=sys.stderr)
        count = len(failed.problems)
        tail = "nothing was written; output/ is as it was" if args.command == "build" else "nothing was written"
        print(f"{count} problem{'s' if count != 1 else ''} found; {tail}.", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    for item in report.left_out:
        print(f"left out: {item.path}: {item.reason}", file=sys.stderr)
    if args.command == "check":
        print(f"No problems: {report.articles} articles in {report.sections} sections, {report.pages} pages "
              f"({elapsed:.2f} s).")
        return 0
    search = (f", search index {report.search['files']} files {report.search['bytes'] / 1e6:.1f} MB"
              if report.search else "")
    print(f"Built {report.articles} articles in {report.sections} sections: {report.pages} pages and "
          f"{report.assets} assets written, {report.bytes_written / 1e6:.1f} MB{search}, in "
          f"{report.config.out_dir} ({elapsed:.2f} s).")
    print("Time per stage: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in report.timings) + ".")
    return 0


if __name__ == "__main__":
    sys.exit(main())
