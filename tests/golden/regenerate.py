"""Regenerate tests/golden/expected/ from tests/golden/site/ (run: make golden); review the diff before committing."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from assemble import EXPECTED, assemble, build, copied_assets  # noqa: E402


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        site = assemble(Path(tmp) / "site")
        result = build(site, Path(tmp) / "out")
        if result.returncode != 0:
            sys.stderr.write(result.stderr)
            return 1
        shutil.rmtree(EXPECTED, ignore_errors=True)
        shutil.copytree(Path(tmp) / "out", EXPECTED)
        for rel in copied_assets():
            (EXPECTED / rel).unlink()
        for folder in sorted((p for p in EXPECTED.rglob("*") if p.is_dir()), reverse=True):
            if not any(folder.iterdir()):
                folder.rmdir()
    print(f"wrote {EXPECTED}; review it with: git diff --stat -- {EXPECTED}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
