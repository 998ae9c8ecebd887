#!/usr/bin/env python3
"""Command line of the site generator: build, check, serve, new and import, in Chinese (or English: --lang en)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
import time
import unicodedata
from pathlib import Path
from zoneinfo import ZoneInfo

from sitegen import BuildFailed, BuildOptions, build, load_config
from sitegen.dates import parse_date
from sitegen.allocator import give_back_large_buffers
from sitegen.messages import LANGUAGES, Language, choose_language, listing, say, say_plural


def examples(_: Language) -> str:
    return _("""examples:
  python build.py build                      build content/ into output/
  python build.py build --no-search          quicker: skip the search index
  python build.py build --base-url https://example.github.io/repo/
  python build.py check                      report every problem, write nothing
  python build.py serve                      preview on http://127.0.0.1:8000/, rebuilt as you save;
                                             the desk to write articles is at http://127.0.0.1:8000/admin/
  python build.py publish                    check, commit the changed articles and pictures, push
  python build.py new 履职动态 --title 代表视察
  python build.py import old-site/ --dry-run   bring the old CMS site over: first see what it would do
  python build.py import old-site/
  python build.py build --lang en            messages in English
""")


class Formatter(argparse.RawDescriptionHelpFormatter):
    """argparse's help, with its own words ('usage:') in the chosen language."""

    language: Language

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, self.language("usage: ") if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """An argument parser that speaks the chosen language: its groups, its help option and its errors."""

    def __init__(self, *args, language: Language, **kwargs):
        formatter = type("LanguageFormatter", (Formatter,), {"language": language})
        super().__init__(*args, formatter_class=formatter, add_help=False, **kwargs)
        self.language = language
        self.arguments = self.add_argument_group(language("arguments"))
        self.options = self.add_argument_group(language("options"))
        self.options.add_argument("-h", "--help", action="help", help=language("show this help and exit"))
        self.options.add_argument("--lang", choices=LANGUAGES, help=language(
            "the language of messages: zh (Chinese, the default) or en (English; also when LANG is English)"))

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, self.language("{prog}: error: {message}", prog=self.prog,
                                   message=self.language.text(argparse_words(message))) + "\n")


def argparse_words(message: str):
    """argparse's English error, said again in our words (argparse only speaks the process's gettext domain)."""
    if m := re.fullmatch(r"argument (\S+): (.*)", message, re.S):
        return say("argument {name}: {message}", name=m[1], message=argparse_words(m[2]))
    if m := re.fullmatch(r"the following arguments are required: (.*)", message):
        return say("the following arguments are required: {names}", names=m[1])
    if m := re.fullmatch(r"unrecognized arguments: (.*)", message):
        return say("unrecognized arguments: {names}", names=m[1])
    if m := re.fullmatch(r"invalid choice: (.*) \(choose from (.*)\)", message):
        return say("invalid choice: {value} (choose from {choices})", value=m[1], choices=m[2])
    if m := re.fullmatch(r"invalid (\w+) value: (.*)", message):
        return say("invalid value: {value}", value=m[2])
    if message == "expected one argument":
        return say("expected one value after it")
    return message


def now_from(args, _: Language) -> dt.datetime:
    """'Now' for scheduling, read once here: --now (in the site's time zone), else SOURCE_DATE_EPOCH,
    else the clock."""
    if args.now:
        try:
            zone = load_config(args.site / "site.yaml").zone
        except BuildFailed:
            zone = ZoneInfo("Asia/Shanghai")  # the build itself will report what is wrong with site.yaml
        parsed = parse_date(args.now, zone)
        if parsed is None:
            print(_("build.py: error: --now '{now}' is not a date such as 2026-01-31 12:00", now=args.now),
                  file=sys.stderr)
            raise SystemExit(2)  # a usage error, like argparse's
        return parsed
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        return dt.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc)


def add_site_option(parser: Parser) -> None:
    parser.options.add_argument("--site", type=Path, default=Path("."), metavar="DIR", help=parser.language(
        "the site's folder, holding site.yaml, content/, layouts/ and assets/ (default: .)"))


def add_build_options(parser: Parser) -> None:
    _, options = parser.language, parser.options
    add_site_option(parser)
    options.add_argument("--output", type=Path, metavar="DIR", help=_("where to write the site (default: DIR/output)"))
    options.add_argument("--base-url", metavar="URL", help=_("override site.yaml's base_url, e.g. for GitHub Pages"))
    options.add_argument("--jobs", type=int, default=0, metavar="N", help=_("worker processes (default: one per core)"))
    options.add_argument("--drafts", action="store_true", help=_("include articles with 'draft: true'"))
    options.add_argument("--future", action="store_true", help=_("include articles dated after now"))
    options.add_argument("--broken-links", choices=["error", "warn"], default="error",
                         help=_("what a broken internal link or image in an article is (default: error)"))
    options.add_argument("--cache", type=Path, metavar="DIR",
                         help=_("the build cache (default: DIR/.cache; safe to delete, never committed)"))
    options.add_argument("--no-cache", action="store_true", help=_("neither read nor write the build cache"))
    options.add_argument("--now", metavar="DATE",
                         help=_("the time that decides what is 'future' (default: SOURCE_DATE_EPOCH, else the clock)"))


def make_parser(_: Language) -> Parser:
    parser = Parser(prog="build.py", description=_("Build the congress news site from Markdown."),
                    epilog=examples(_), language=_)
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"), required=True, title=_("commands"))

    def command(name: str, summary: str, description: str, epilog: str) -> Parser:
        return commands.add_parser(name, help=summary, description=description, epilog=epilog, language=_)

    build_cmd = command("build", _("build output/ from content/"),
                        _("Build output/ from content/. On any problem nothing is written."), examples(_))
    add_build_options(build_cmd)
    build_cmd.options.add_argument("--no-search", action="store_true", help=_("skip the search index"))
    check_cmd = command("check", _("report every problem without writing anything"),
                        _("Validate the site as a build would (front matter, templates, internal links, images "
                          "and heading anchors), writing nothing."),
                        _("examples:\n  python build.py check\n  python build.py check --drafts --future"))
    add_build_options(check_cmd)
    serve_cmd = command("serve", _("preview the site, rebuilt and reloaded as you save"),
                        _("Build, serve the preview on http://HOST:PORT/, rebuild when content/, layouts/, assets/ "
                          "or site.yaml change, and reload open pages. Problems show over the page until fixed."),
                        _("example:\n  python build.py serve --port 8080"))
    add_build_options(serve_cmd)
    serve_cmd.options.add_argument("--host", default="127.0.0.1", help=_("address to listen on (default: 127.0.0.1)"))
    serve_cmd.options.add_argument("--port", type=int, default=8000,
                                   help=_("port (default: 8000; 0 picks a free one)"))
    new_cmd = command("new", _("start a new article in a section"),
                      _("Write content/SECTION/SLUG.md with its front matter filled in and print its path. "
                        "An existing file is never overwritten."),
                      _("examples:\n  python build.py new 人大要闻 --title 县人大常委会召开会议\n"
                        "  python build.py new daibiao-gongzuo/lvzhi-dongtai --slug daibiao-shicha"))
    new_cmd.arguments.add_argument("section", metavar=_("SECTION"), help=_("the section: its Chinese name (人大要闻) or its folder under content/ "
                                           "(renda-yaowen)"))
    new_cmd.options.add_argument("--title", metavar=_("TITLE"), help=_("the article's title (Chinese is fine)"))
    new_cmd.options.add_argument("--slug", metavar=_("NAME"), help=_("the file name and URL: lowercase letters a-z, digits and '-' "
                                                  "(default: the date and time)"))
    add_site_option(new_cmd)
    publish_cmd = command("publish", _("check the site, commit the changed articles with their pictures, push"),
                          _("Check the whole site; commit the changed files under content/ and assets/ in one commit "
                            "that names the articles; push it to the git remote. Nothing is published when the check "
                            "finds a problem; nothing is lost when the push fails."),
                          _("example:\n  python build.py publish"))
    add_site_option(publish_cmd)
    import_cmd = command(
        "import", _("import a saved copy of the old CMS site into content/"),
        _("Read a saved copy of the old site (what 'wget --mirror --page-requisites' wrote, or a folder of pages "
          "saved as text) and write its articles into content/, its pictures and attachments into assets/legacy/, "
          "and their old addresses as aliases. The first run writes import-map.yaml (old sections -> new folders) "
          "for you to edit; every run writes import-report.txt. Runs from several copies add up: nothing is removed "
          "unless --prune is given."),
        _("examples:\n  python build.py import old-site/ --dry-run\n"
          "  python build.py import old-site/ --old-base-url http://www.mxrd.gov.cn/\n"
          "  python build.py import old-site/ --force     also replace imported files an editor changed\n"
          "  python build.py import old-site/ --prune     also remove articles whose pages are gone from old-site/"))
    import_cmd.arguments.add_argument("source", type=Path, metavar=_("FOLDER"), help=_("the folder of the saved copy"))
    add_site_option(import_cmd)
    import_cmd.options.add_argument("--old-base-url", metavar="URL", help=_(
        "the old site's address, e.g. http://www.mxrd.gov.cn/: links written with it count as links inside the site, "
        "and the report gives the full old address of missing pictures and attachments, to download them; articles "
        "never link to the old site"))
    import_cmd.options.add_argument("--dry-run", action="store_true", help=_(
        "print what would be imported; write nothing but import-map.yaml on the first run"))
    import_cmd.options.add_argument("--force", action="store_true",
                                    help=_("replace imported files even when an editor has changed them since"))
    import_cmd.options.add_argument("--prune", action="store_true", help=_(
        "remove the imported articles whose old pages were in the copy and are gone from it (listed first; articles "
        "an editor changed stay); without it nothing is removed"))
    import_cmd.options.add_argument("--jobs", type=int, default=0, metavar="N",
                                    help=_("worker processes (default: one per core)"))
    return parser


def run_import_command(args, _: Language) -> int:
    from sitegen.importer import ImportFailed, ImportOptions, run_import
    try:
        report = run_import(ImportOptions(args.source, args.site, args.old_base_url, args.dry_run, args.force,
                                          args.jobs, args.prune), _)
    except ImportFailed as failed:
        print(_("build.py import: error: {reason}", reason=failed.args[0]), file=sys.stderr)
        return 1
    except BuildFailed as failed:
        return report_problems(failed, say("nothing was imported"), _)
    print(report.text(_), end="")
    return 0


def report_problems(failed: BuildFailed, tail, _: Language) -> int:
    for problem in failed.problems:
        print(problem.said(_), file=sys.stderr)
    print(_.text(say_plural("{count} problem found; {tail}.", "{count} problems found; {tail}.", len(failed.problems),
                           tail=tail)), file=sys.stderr)
    return 1


def run_new(args, _: Language) -> int:
    from sitegen.parse import SLUG
    from sitegen.scaffold import new_article
    if args.slug is not None and not SLUG.fullmatch(args.slug):
        print(_("build.py new: error: --slug '{slug}' may only contain lowercase letters a-z, digits and '-'",
                slug=args.slug), file=sys.stderr)
        return 2
    try:
        config = load_config(args.site / "site.yaml")
        path = new_article(config, args.section, dt.datetime.now(dt.timezone.utc), args.title, args.slug)
    except BuildFailed as failed:
        return report_problems(failed, say("no file was written"), _)
    print(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path)
    return 0


def run_publish(args, _: Language) -> int:
    from sitegen.desk.gitpublish import publish_site
    now = dt.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), dt.timezone.utc) \
        if os.environ.get("SOURCE_DATE_EPOCH", "").strip() else dt.datetime.now(dt.timezone.utc)
    published = publish_site(args.site / "site.yaml", _, now)
    print(published.text, file=sys.stdout if published.ok else sys.stderr)
    return 0 if published.ok else 1


def run_serve(args, options: BuildOptions, _: Language) -> int:
    from sitegen.serve import ServeError, serve
    follows_clock = not args.now and not os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    try:
        serve(args.site / "site.yaml", options, (args.host, args.port),
              report=lambda line: print(line, flush=True),
              now=(lambda: dt.datetime.now(dt.timezone.utc)) if follows_clock else None, language=_)
    except ServeError as err:
        print(_("build.py: error: {reason}", reason=err.args[0]), file=sys.stderr)
        return 1
    return 0


STAGES = {
    "read": say("read"), "unchanged": say("unchanged"), "parse": say("parse"), "plan": say("plan"),
    "render": say("render"), "render+write": say("render+write"), "write": say("write"),
    "search index": say("search index"),
}


def stage_printer(_: Language):
    def stage_line(name: str, seconds: float) -> None:
        stage = _.text(STAGES.get(name, name))
        print(f"  {stage}{' ' * (14 - display_width(stage))} {seconds:6.2f} s", file=sys.stderr, flush=True)
    return stage_line


def display_width(text: str) -> int:
    """Columns a terminal gives the text: two for each Chinese character."""
    return sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in text)


def language_asked(argv: list[str]) -> str | None:
    """--lang's value, read before the parser is made (its help is in that language)."""
    for number, arg in enumerate(argv):
        if arg == "--lang" and number + 1 < len(argv) and argv[number + 1] in LANGUAGES:
            return argv[number + 1]
        if arg.startswith("--lang=") and arg[len("--lang="):] in LANGUAGES:
            return arg[len("--lang="):]
    return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    _ = choose_language(language_asked(argv))
    args = make_parser(_).parse_args(argv)
    give_back_large_buffers()  # the process's peak memory, not its speed, bounds how large an archive builds
    if args.command == "new":
        return run_new(args, _)
    if args.command == "import":
        return run_import_command(args, _)
    if args.command == "publish":
        return run_publish(args, _)
    options = BuildOptions(
        base_url=args.base_url, output_dir=args.output.resolve() if args.output else None, jobs=args.jobs,
        search=args.command == "build" and not args.no_search, drafts=args.drafts, future=args.future,
        now=now_from(args, _), write=args.command != "check", broken_links=args.broken_links,
        cache_dir=args.cache.resolve() if args.cache else None, use_cache=not args.no_cache)
    if args.command == "serve":
        return run_serve(args, options, _)
    return run_build(args, options, _)


def run_build(args, options: BuildOptions, _: Language) -> int:
    started = time.perf_counter()
    try:
        report = build(args.site / "site.yaml", options, progress=stage_printer(_))
    except BuildFailed as failed:
        return report_problems(failed, say("nothing was written; output/ is as it was") if args.command == "build"
                               else say("nothing was written"), _)
    elapsed = f"{time.perf_counter() - started:.2f}"
    for item in report.left_out:
        print(_("left out: {path}: {reason}", path=item.path, reason=item.reason), file=sys.stderr)
    for problem in report.warnings:
        print(_("warning: {problem}", problem=problem.said(_)), file=sys.stderr)
    if args.command == "check":
        print(_("No problems: {articles} articles in {sections} sections, {pages} pages ({seconds} s).",
                articles=report.articles, sections=report.sections, pages=report.pages, seconds=elapsed))
        return 0
    search = _(", search index {files} files {megabytes} MB", files=report.search["files"],
               megabytes=f"{report.search['bytes'] / 1e6:.1f}") if report.search else ""
    print(_("Built {articles} articles in {sections} sections and {assets} assets: {pages} pages rendered, {files} "
            "files written ({megabytes} MB){search}, in {folder} ({seconds} s).", articles=report.articles,
            sections=report.sections, assets=report.assets, pages=report.pages, files=report.files_written,
            megabytes=f"{report.bytes_written / 1e6:.1f}", search=search, folder=str(report.config.out_dir),
            seconds=elapsed))
    print(_("Time per stage: {stages}.", stages=_.text(listing(
        say("{stage} {seconds} s", stage=STAGES.get(name, name), seconds=f"{seconds:.2f}")
        for name, seconds in report.timings))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
