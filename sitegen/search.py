"""Stage 8: the Pagefind (extended build, which segments Chinese) search index over the staged site."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from .config import Config
from .problems import BuildFailed, Problem


def pagefind_executable() -> Path:
    """The pinned extended binary shipped by the pagefind-bin-extended package (never downloaded at run time)."""
    import pagefind_bin_extended

    return pagefind_bin_extended.get_executable()


def run_pagefind(site_dir: Path, config: Config, article_files: tuple[str, ...] = ()) -> dict:
    """Index the article pages of `site_dir` into site_dir/pagefind/; raise BuildFailed with Pagefind's message.

    Only article pages carry data-pagefind-body, so Pagefind is shown just those (hard links in a folder
    beside the site): reading the other 60% of the pages costs it time and memory for nothing.
    """
    try:
        executable = pagefind_executable()
    except (ImportError, FileNotFoundError) as err:
        raise BuildFailed([Problem("pagefind", 1, 1, f"Pagefind is not installed ({err}); run 'make site' "
                                                     "to install the pinned dependencies, or build with --no-search")])
    source = site_dir.with_name(site_dir.name + "-index") if article_files else site_dir
    try:
        for rel in article_files:
            (source / rel).parent.mkdir(parents=True, exist_ok=True)
            os.link(site_dir / rel, source / rel)
        result = subprocess.run([str(executable), "--site", str(source), "--output-path", str(site_dir / "pagefind"),
                                 "--quiet"], capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    finally:
        if source != site_dir:
            shutil.rmtree(source, ignore_errors=True)
    if result.returncode != 0 or not (site_dir / "pagefind" / "pagefind.js").is_file():
        message = (result.stderr.strip() or result.stdout.strip() or "no index was written").splitlines()
        raise BuildFailed([Problem("pagefind", 1, 1, "search index failed: " + " / ".join(message[-5:]))])
    files = [p for p in (site_dir / "pagefind").rglob("*") if p.is_file()]
    return {"files": len(files), "bytes": sum(p.stat().st_size for p in files)}
