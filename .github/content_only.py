#!/usr/bin/env python3
"""Whether a push or pull request changes only the site's content (content/ and assets/): then the workflow checks
and builds it without running the generator's test suite. Prints 'content-only=true' or 'content-only=false' for
$GITHUB_OUTPUT. Any doubt (no earlier commit to compare with, a first push, a force push whose base is gone) means
false: the whole suite runs.

    python3 .github/content_only.py BEFORE AFTER
"""

from __future__ import annotations

import subprocess
import sys

CONTENT = ("content/", "assets/")


def changed(before: str, after: str) -> list[str] | None:
    """The files changed between two commits; None when they cannot be compared."""
    if not before or set(before) == {"0"} or not after:
        return None
    for commit in (before, after):
        if subprocess.run(["git", "cat-file", "-e", f"{commit}^{{commit}}"], capture_output=True).returncode != 0:
            return None
    result = subprocess.run(["git", "diff", "--name-only", "--no-renames", before, after], capture_output=True,
                            text=True)
    return result.stdout.split("\n")[:-1] if result.returncode == 0 else None


def content_only(paths: list[str] | None) -> bool:
    return bool(paths) and all(path.startswith(CONTENT) for path in paths)


if __name__ == "__main__":
    before, after = (sys.argv[1:] + ["", ""])[:2]
    print(f"content-only={'true' if content_only(changed(before, after)) else 'false'}")
