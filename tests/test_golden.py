"""End to end: the golden Chinese fixture site builds to exactly the committed expected output."""

from __future__ import annotations

import difflib
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))
from assemble import EXPECTED, NOW, REPO, assemble, build, copied_assets  # noqa: E402

from helpers import tree_bytes, write_corpus, write_site


def test_golden_site_matches_expected_output(tmp_path):
    site = assemble(tmp_path / "site")
    result = build(site, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    actual, expected = tree_bytes(tmp_path / "out"), tree_bytes(EXPECTED)
    for rel in copied_assets():  # assets are copied as they are
        assert actual.pop(rel) == (REPO / "assets" / rel).read_bytes(), rel
    assert sorted(actual) == sorted(expected), "files differ; if intended, run 'make golden' and review the diff"
    for name in expected:
        if actual[name] != expected[name]:
            diff = "\n".join(difflib.unified_diff(expected[name].decode().splitlines(),
                                                  actual[name].decode().splitlines(), "expected", "actual",
                                                  lineterm="", n=1))
            raise AssertionError(f"{name} differs (run 'make golden' if intended):\n{diff[:3000]}")


def test_golden_build_is_byte_identical_across_timezones(tmp_path):
    site = assemble(tmp_path / "site")
    trees = []
    for number, tz in enumerate(["UTC", "Asia/Shanghai", "America/New_York"]):
        out = tmp_path / f"out{number}"
        result = build(site, out, {**os.environ, "TZ": tz})
        assert result.returncode == 0, result.stderr
        trees.append(tree_bytes(out))
    assert trees[0] == trees[1] == trees[2]


def test_one_and_two_worker_processes_give_identical_output(tmp_path):
    """Big enough (1,200 articles) that parsing and rendering really run in forked workers."""
    site = write_site(tmp_path / "site", {})
    write_corpus(site, 1200)
    trees = []
    for jobs in (1, 2):
        result = build(site, tmp_path / f"out{jobs}", jobs=jobs)
        assert result.returncode == 0, result.stderr
        trees.append(tree_bytes(tmp_path / f"out{jobs}"))
    assert len(trees[0]) > 3000 and trees[0] == trees[1]


def test_bodies_put_aside_give_the_expected_site(tmp_path, monkeypatch, capsys):
    """A large archive's bodies wait in a file during the build (sitegen/bodies.py), read back for their pages,
    feeds and search index. Put aside from the first article, the golden site is still exactly the expected
    output: with one and two workers, and from a cold and a warm parse cache."""
    import build as cli
    from sitegen import pipeline
    monkeypatch.setattr(pipeline, "PUT_ASIDE_FROM", 0)
    site = assemble(tmp_path / "site")
    expected = tree_bytes(EXPECTED)
    for number, (jobs, cache) in enumerate([(1, "cold"), (2, "cold"), (2, "warm")]):
        out = tmp_path / f"out{number}"
        if cache == "cold":
            (tmp_path / "cache").exists() and __import__("shutil").rmtree(tmp_path / "cache")
        assert cli.main(["build", "--no-search", "--site", str(site), "--output", str(out), "--now", NOW,
                         "--jobs", str(jobs), "--cache", str(tmp_path / "cache")]) == 0, capsys.readouterr()
        actual = tree_bytes(out)
        for rel in copied_assets():
            actual.pop(rel)
        assert actual == expected, f"build {number} ({jobs} jobs, {cache} cache) differs from the golden output"
