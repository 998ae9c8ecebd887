"""Stage 8: the Pagefind (extended build, which segments Chinese) search index over the staged site."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .config import Config
from .problems import BuildFailed, Problem


def pagefind_executable() -> Path:
    """The pinned extended binary shipped by the pagefind-bin-extended package (never downloaded at run time)."""
    import pagefind_bin_extended

    return pagefind_bin_extended.get_executable()


def run_pagefind(site_dir: Path, config: Config) -> dict:
    """Index `site_dir` in place (into site_dir/pagefind/); raise BuildFailed with Pagefind's message."""
    try:
        executable = pagefind_executable()
    except (ImportError, FileNotFoundError) as err:
        raise BuildFailed([Problem("pagefind", 1, 1, f"Pagefind is not installed ({err}); run 'make site' "
                                                     "to install the pinned dependencies, or build with --no-search")])
    result = subprocess.run([str(executable), "--site", str(site_dir), "--quiet"],
                            capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    if result.returncode != 0 or not (site_dir / "pagefind" / "pagefind.js").is_file():
        message = (result.stderr.strip() or result.stdout.strip() or "no index was written").splitlines()
        raise BuildFailed([Problem("pagefind", 1, 1, "search index failed: " + " / ".join(message[-5:]))])
    files = [p for p in (site_dir / "pagefind").rglob("*") if p.is_file()]
    return {"files": len(files), "bytes": sum(p.stat().st_size for p in files)}
