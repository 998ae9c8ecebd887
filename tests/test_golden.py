"""End to end: the golden Chinese fixture site builds to exactly the committed expected output."""

from __future__ import annotations

import difflib
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))
from assemble import EXPECTED, assemble, build  # noqa: E402

from helpers import tree_bytes


def test_golden_site_matches_expected_output(tmp_path):
    site = assemble(tmp_path / "site")
    result = build(site, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    actual, expected = tree_bytes(tmp_path / "out"), tree_bytes(EXPECTED)
    assert sorted(actual) == sorted(expected), "files differ; if intended, run 'make golden' and review the diff"
    for name in expected:
        if actual[name] != expected[name]:
            diff = "\n".join(difflib.unified_diff(expected[name].decode().splitlines(),
                                                  actual[name].decode().splitlines(), "expected", "actual",
                                                  lineterm="", n=1))
            raise AssertionError(f"{name} differs (run 'make golden' if intended):\n{diff[:3000]}")


def test_golden_build_is_byte_identical_across_timezones_and_jobs(tmp_path):
    site = assemble(tmp_path / "site")
    trees = []
    for number, (tz, jobs) in enumerate([("UTC", "1"), ("Asia/Shanghai", "2"), ("America/New_York", "1")]):
        out = tmp_path / f"out{number}"
        env = {**os.environ, "TZ": tz}
        result = build(site, out, env)
        assert result.returncode == 0, result.stderr
        trees.append(tree_bytes(out))
    assert trees[0] == trees[1] == trees[2]
