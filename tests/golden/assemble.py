"""Assemble the golden fixture site (its site.yaml, content/ and images + the repo's layouts and assets) and build it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SOURCE = HERE / "site"
EXPECTED = HERE / "expected"
NOW = "2026-01-01 00:00"  # a fixed 'now' so scheduling never depends on the day the test runs


def assemble(target: Path) -> Path:
    """Copy the fixture and the repo's layouts/ and assets/ into target; return target."""
    shutil.copytree(SOURCE, target)
    shutil.copytree(REPO / "layouts", target / "layouts")
    shutil.copytree(REPO / "assets", target / "assets", dirs_exist_ok=True)
    return target


def build(site: Path, output: Path, env: dict | None = None, jobs: int = 0) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--no-search", "--site", str(site),
                           "--output", str(output), "--now", NOW, "--jobs", str(jobs)],
                          capture_output=True, text=True, env=env)


def copied_assets() -> set[str]:
    """Output paths that are plain copies of the repo's assets/: checked against their sources, not stored."""
    return {p.relative_to(REPO / "assets").as_posix() for p in (REPO / "assets").rglob("*") if p.is_file()}
