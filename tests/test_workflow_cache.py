"""The Pages workflow keeps the build cache (.cache/) between runs, so a publish re-indexes only changed shards."""

from __future__ import annotations

import yaml

from helpers import REPO


def test_the_build_job_restores_and_saves_the_cache_before_building():
    flow = yaml.safe_load((REPO / ".github" / "workflows" / "pages.yml").read_text())
    steps = flow["jobs"]["build"]["steps"]
    cache = next(number for number, step in enumerate(steps) if step.get("uses", "").startswith("actions/cache@"))
    build = next(number for number, step in enumerate(steps) if "make site" in step.get("run", ""))
    assert cache < build
    settings = steps[cache]["with"]
    assert settings["path"] == ".cache"
    assert "content/**" in settings["key"] and "sitegen/**" in settings["key"]
    assert settings["restore-keys"].strip() == "site-cache-${{ runner.os }}-"
