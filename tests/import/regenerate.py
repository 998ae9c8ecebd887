#!/usr/bin/env python3
"""Import tests/import/mirror/ into a fresh site and store what it wrote as tests/import/expected/ (review the diff)."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from importkit import EXPECTED, fresh_site, import_fixture, result_tree  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as temporary:
        site = fresh_site(Path(temporary) / "site")
        result = import_fixture(site)
        if result.returncode != 0:
            raise SystemExit(f"import failed:\n{result.stdout}\n{result.stderr}")
        if EXPECTED.exists():
            shutil.rmtree(EXPECTED)
        for rel, data in result_tree(site).items():
            target = EXPECTED / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    print(f"wrote {EXPECTED}; review it with: git diff --stat -- {EXPECTED}")


if __name__ == "__main__":
    main()
