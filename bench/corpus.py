"""Shared by the benchmarks: the generated corpus (cached in /tmp), the site folder, and machine readings."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEN_CORPUS = ROOT.parent / "shared" / "bench" / "gen_corpus.py"
# The sample site lists 6 articles per page so its few articles show pagination; a real archive uses
# the default of 20 (Hugo's and the reference figures' page size), which the benchmarks measure.
BENCH_PER_PAGE = 20


def corpus(n: int, variant: str = "native") -> Path:
    """The generated corpus for n articles in gen_corpus' `variant` (native, hugo), cached in /tmp across runs."""
    cached = Path(f"/tmp/sitegen-bench-corpus-{n}" if variant == "native" else f"/tmp/sitegen-bench-corpus-{variant}-{n}")
    if not (cached / "content").is_dir():
        print(f"generating {n} articles ({variant}) into {cached} ...", file=sys.stderr, flush=True)
        partial = Path(tempfile.mkdtemp(prefix=f"{cached.name}.partial-", dir="/tmp"))
        subprocess.run([sys.executable, str(GEN_CORPUS), str(partial), "--articles", str(n), "--seed", "1",
                        "--variant", variant], check=True, stdout=subprocess.DEVNULL)
        shutil.rmtree(cached, ignore_errors=True)
        partial.rename(cached)
    return cached


def assemble_site(source: Path, site: Path) -> Path:
    """A site folder: the repo's site.yaml (per_page 20), layouts/ and assets/, plus a corpus' content/ and images."""
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    text = (ROOT / "site.yaml").read_text(encoding="utf-8")
    (site / "site.yaml").write_text(re.sub(r"(?m)^per_page:.*$", f"per_page: {BENCH_PER_PAGE}", text),
                                    encoding="utf-8")
    shutil.copytree(ROOT / "layouts", site / "layouts")
    shutil.copytree(ROOT / "assets", site / "assets")
    shutil.copytree(source / "assets" / "images", site / "assets" / "images", dirs_exist_ok=True)
    shutil.copytree(source / "content", site / "content")
    return site


def folder_size(folder: Path) -> tuple[int, int]:
    """(files, bytes) under folder."""
    files = size = 0
    for dirpath, _, filenames in os.walk(folder):
        for name in filenames:
            files += 1
            size += os.path.getsize(os.path.join(dirpath, name))
    return files, size


def busy_cpu_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (from /proc/stat; idle and iowait excluded)."""
    with open("/proc/stat") as handle:
        ticks = [int(t) for t in handle.readline().split()[1:]]
    return (sum(ticks[:8]) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")
