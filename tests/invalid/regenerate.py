"""Rewrite each tests/invalid/<case>/expected.txt from what the build prints now; review the diff before committing."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from helpers import run_cli  # noqa: E402
from test_invalid_sites import CASES, CASES_DIR, prepare, split_stderr  # noqa: E402

for case in CASES:
    with tempfile.TemporaryDirectory() as tmp:
        site, _ = prepare(case, Path(tmp) / "site")
        result = run_cli("build", "--no-search", "--site", str(site))
        problems, _ = split_stderr(result.stderr)
        (CASES_DIR / case / "expected.txt").write_text("\n".join(problems) + "\n", encoding="utf-8")
print(f"rewrote {len(CASES)} expected.txt files; review: git diff tests/invalid")
