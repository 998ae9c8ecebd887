"""Time full clean builds of generated corpora: wall, per-stage times, peak memory, output size."""

from __future__ import annotations

import argparse
import filecmp
import os
import re
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

ROOT = Path(__file__).resolve().parent.parent
GEN_CORPUS = Path("/work/shared/bench/gen_corpus.py")
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






def run_build(site: Path, extra: list[str]) -> dict:
    """One build.py build in a subprocess, sampling the process tree's RSS every 20 ms."""
    command = [sys.executable, "-c", SHIM, str(ROOT / "build.py"), "build", "--site", str(site), *extra]
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
        sys.exit(f"build failed ({' '.join(command[3:])}):\n{log}")
    row = {"wall s": wall}
    for line in log.splitlines():
        if match := STAGE.match(line):
            row[f"{match[1]} s"] = float(match[2])
    self_kib, child_kib = next(map(int, line.split()[1:]) for line in log.splitlines()
                               if line.startswith("bench-maxrss "))
    cpu = usage.ru_utime + usage.ru_stime
    row |= {"CPU s": cpu, "sys s": usage.ru_stime, "others' CPU s": max(0.0, busy - cpu),
            "tree RSS MiB": peak / MIB, "parent maxrss MiB": self_kib / 1024, "child maxrss MiB": child_kib / 1024}
    return row


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, nargs="+", default=[1000, 10000], metavar="N",
                        help="corpus sizes (default: 1000 10000)")
    parser.add_argument("--repeat", type=int, default=1, metavar="R", help="builds per size; the median is shown")
    parser.add_argument("--jobs", type=int, metavar="J", help="passed to build.py --jobs (default: its own)")
    parser.add_argument("--search", action="store_true", help="include the Pagefind index (default: --no-search)")
    parser.add_argument("--verify-jobs", action="store_true",
                        help="also build with --jobs 1 and --jobs 2 and compare the outputs byte for byte")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="assemble the sites in DIR and keep them (DIR on /dev/shm leaves the disk out)")
    args = parser.parse_args()
    # One fixed 'now' for every build, so scheduling cannot differ between runs.
    os.environ["SOURCE_DATE_EPOCH"] = os.environ.get("SOURCE_DATE_EPOCH") or str(int(time.time()))
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
                row["pagefind MB"] = folder_size(site / "output" / "pagefind")[1] / 1e6
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
