"""Rewrite each tests/invalid/<case>/expected.txt (Chinese) and each existing expected.en.txt (English, --lang en)
from what the build prints now; review the diff before committing."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from helpers import run_cli  # noqa: E402
from test_invalid_sites import CASES, CASES_DIR, ENGLISH_CASES, copy_case, split_stderr  # noqa: E402


def rewrite(case: str, name: str, *language: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        site = copy_case(case, Path(tmp) / "site")
        result = run_cli("build", "--no-search", *language, "--site", str(site))
        problems, _ = split_stderr(result.stderr)
        (CASES_DIR / case / name).write_text("\n".join(problems) + "\n", encoding="utf-8")


for case in CASES:
    rewrite(case, "expected.txt")
for case in ENGLISH_CASES:
    rewrite(case, "expected.en.txt", "--lang", "en")
print(f"rewrote {len(CASES)} expected.txt and {len(ENGLISH_CASES)} expected.en.txt files; review: git diff tests/invalid")
