"""What each private internal or platform trick of the generator buys, measured by building without it.

For each: a clean in-process build of a generated archive (--jobs 1, no cache) with the trick and without it,
alternating, several times: a check (every page rendered, nothing written) for the median 'render' stage, where the
Jinja2 and markupsafe internals act, and a build with the search index for the process's peak memory, where the
allocator setting acts. The trick stays only where removing it costs more than 10 % of a figure (DEVELOPERS.md).

    .venv/bin/python bench/internals_bench.py --articles 10000 --runs 3
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
import sys, time, jinja2, jinja2.compiler
sys.path.insert(0, {root!r})
from sitegen import BuildOptions, build
from sitegen import render
if {plain_output}:  # Jinja2's own code generator: escape() for every value
    render.ViewEnvironment.code_generator_class = jinja2.compiler.CodeGenerator
if {mallopt}:
    from sitegen.allocator import give_back_large_buffers
    give_back_large_buffers()
stages = {{}}
report = build(__import__("pathlib").Path({site!r}) / "site.yaml",
               BuildOptions(output_dir=__import__("pathlib").Path({out!r}), jobs=1, search={full}, write={full},
                            use_cache=False),
               progress=lambda name, seconds: stages.__setitem__(name, seconds))
import resource
print(stages.get("render", 0.0), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def run(site: Path, plain_output: bool, mallopt: bool, full: bool) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as out:
        code = CHILD.format(root=str(ROOT), site=str(site), out=out + "/site", plain_output=plain_output,
                            mallopt=mallopt, full=full)
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(done.stderr)
        seconds, peak_kib = done.stdout.split()
        return float(seconds), int(peak_kib)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = assemble_site(corpus(args.articles), Path(tmp) / "site")
        cases = {"render, as is": (False, True, False),
                 "render, Jinja2's escape() (no PageTextOutput)": (True, True, False),
                 "build with search, as is": (False, True, True),
                 "build with search, no mallopt": (False, False, True)}
        figures = {name: [] for name in cases}
        for _ in range(args.runs):
            for name, (plain, mallopt, full) in cases.items():
                figures[name].append(run(site, plain, mallopt, full))
        print(f"{args.articles} articles, --jobs 1, medians of {args.runs} (load {os.getloadavg()[0]:.2f})")
        for name, values in figures.items():
            base = figures["render, as is" if name.startswith("render") else "build with search, as is"]
            seconds, base_seconds = statistics.median(s for s, _ in values), statistics.median(s for s, _ in base)
            peak, base_peak = statistics.median(p for _, p in values), statistics.median(p for _, p in base)
            shown = f"render {seconds:6.2f} s ({seconds / base_seconds:5.2f}x)" if name.startswith("render") else ""
            print(f"  {name:<48} {shown:<28} peak {peak / 1024:6.0f} MiB ({peak / base_peak:5.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
