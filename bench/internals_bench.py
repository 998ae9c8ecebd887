"""What the generator's departures from plain libraries buy, measured by building without each.

`render.ViewEnvironment.getattr` looks up `x.name` on a plain dict in its keys at once (Jinja2 first tries the
attribute, raising and catching an AttributeError for every field a page shows). It overrides a public method of
Jinja2's Environment, not a private internal; it is measured here all the same, so that its docstring's figure
stays true.

For each: a check of a generated archive (in process, --jobs 1, no cache, nothing written, no search), with it
and without it, alternating, several times; the median render stage and the median of all stages.

With --memory N: `sitegen/allocator.py`'s glibc thresholds (mallopt), kept for the peak memory of large
archives. A clean `build.py build` of N articles with search, default jobs, a fresh cache folder (as `make site` on a
new clone; with `--no-cache` the build peaked at 3.3 GiB at 100,000 articles), with them and without them
(alternating, --runs times): the largest process's peak (getrusage of build.py and of its largest child).

Measured and removed in issue 22 (2026-12-07, 10,000 articles): Jinja2's code generator swapped for one calling
markupsafe's private `_escape_inner` (render +23 %, all stages +6 % without it: under 10 % of a build).

    .venv/bin/python bench/internals_bench.py --articles 10000 --runs 3
    .venv/bin/python bench/internals_bench.py --memory 100000 --runs 1
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import ROOT, assemble_site, corpus  # noqa: E402

CHILD = r"""
import pathlib, sys, jinja2
sys.path.insert(0, {root!r})
from sitegen import BuildOptions, build, render
if {plain!r}:  # Jinja2's own attribute lookup
    render.ViewEnvironment.getattr = jinja2.Environment.getattr
stages = {{}}
build(pathlib.Path({site!r}) / "site.yaml",
      BuildOptions(output_dir=pathlib.Path({out!r}), jobs=1, search=False, write=False, use_cache=False),
      progress=lambda name, seconds: stages.__setitem__(name, seconds))
print(stages.get("render", 0.0), sum(stages.values()))
"""
CASES = {"as is": False, "Jinja2's own getattr": True}
# build.py with or without the allocator's thresholds; prints the peaks (KiB) of itself and its largest child.
BUILD = r"""
import resource, runpy, sys
sys.path.insert(0, {root!r})
if not {mallopt!r}:
    import sitegen.allocator
    sitegen.allocator.give_back_large_buffers = lambda: False
sys.argv = ["build.py", "build", "--site", {site!r}, "--output", {out!r} + "/output", "--cache", {out!r} + "/cache"]
try:
    runpy.run_path({root!r} + "/build.py", run_name="__main__")
except SystemExit as done:
    assert not done.code, done.code
usage = resource.getrusage
print(usage(resource.RUSAGE_SELF).ru_maxrss, usage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
"""


def run(site: Path, plain: bool) -> tuple[float, float]:
    """(render seconds, all stages' seconds) of one check."""
    with tempfile.TemporaryDirectory() as out:
        code = CHILD.format(root=str(ROOT), site=str(site), out=out + "/site", plain=plain)
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(done.stderr)
        render, total = done.stdout.split()
        return float(render), float(total)


def largest_process(site: Path, mallopt: bool) -> int:
    """The peak (KiB) of the largest process of one clean build with search."""
    with tempfile.TemporaryDirectory() as out:
        code = BUILD.format(root=str(ROOT), site=str(site), out=out + "/site", mallopt=mallopt)
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=site)
        if done.returncode != 0:
            raise SystemExit(done.stderr)
        return max(int(value) for value in done.stderr.split("\n")[-2].split())


def memory(articles: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        site = assemble_site(corpus(articles), Path(tmp) / "site")
        peaks: dict[bool, list[int]] = {True: [], False: []}
        for _ in range(runs):
            for mallopt in peaks:
                peaks[mallopt].append(largest_process(site, mallopt))
        with_it, without = (statistics.median(peaks[key]) / 1024 for key in (True, False))
        print(f"{articles} articles, build with search, medians of {runs} (load {os.getloadavg()[0]:.2f})")
        print(f"  largest process: with the thresholds {with_it:7.1f} MiB, without {without:7.1f} MiB "
              f"({without / with_it:5.3f}x)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--memory", type=int, metavar="N", help="measure the allocator's thresholds at N articles")
    args = parser.parse_args()
    if args.memory:
        memory(args.memory, args.runs)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        site = assemble_site(corpus(args.articles), Path(tmp) / "site")
        figures: dict[str, list[tuple[float, float]]] = {name: [] for name in CASES}
        for _ in range(args.runs):
            for name, plain in CASES.items():
                figures[name].append(run(site, plain))
        print(f"{args.articles} articles, --jobs 1, medians of {args.runs} (load {os.getloadavg()[0]:.2f})")
        base_render, base_total = (statistics.median(v[i] for v in figures["as is"]) for i in (0, 1))
        for name, values in figures.items():
            render, total = (statistics.median(v[i] for v in values) for i in (0, 1))
            print(f"  {name:<24} render {render:6.2f} s ({render / base_render:5.2f}x)   "
                  f"all stages {total:6.2f} s ({total / base_total:5.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
