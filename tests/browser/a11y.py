"""axe-core for the browser tests: the pinned copy that 'make test' installs under tools/axe/, run inside a page."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_source() -> str:
    if not AXE.is_file():
        reason = f"{AXE.relative_to(REPO)} is missing: run 'make tools' (or 'make test') to install axe-core from npm"
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(reason + " -- CI=true, so this fails instead of skipping", pytrace=False)
        pytest.skip(reason)
    return AXE.read_text(encoding="utf-8")


def axe_violations(page, source: str) -> list[dict]:
    """Run axe-core (WCAG 2.1 A and AA rules) on the page as it is now; one dict per violation."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=source)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                           WCAG_TAGS)
    return [{"rule": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5],
             "summary": (v["nodes"][0].get("failureSummary") or "")[:300] if v["nodes"] else ""}
            for v in result["violations"]]


def shown(violations: list[dict]) -> str:
    return json.dumps(violations, ensure_ascii=False, indent=1)
