"""The Pages workflow's path rules: a change to content/ and assets/ only is checked, built and deployed without the
generator's test suite; a change to anything else runs the whole suite first (.github/content_only.py decides, on
real git history)."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from helpers import REPO

WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"
SCRIPT = REPO / ".github" / "content_only.py"


def git(cwd, *args) -> str:
    result = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@localhost", *args], cwd=cwd,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture
def history(tmp_path):
    git(tmp_path, "init", "-q")
    for path in ("content/news/a.md", "assets/images/a.jpg", "sitegen/parse.py", "layouts/base.html",
                 "requirements.txt", "tests/test_x.py", "site.yaml", ".github/workflows/pages.yml"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("v1\n")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "first")
    return tmp_path


def decide(repo, *changed: str, before: str | None = None) -> str:
    base = git(repo, "rev-parse", "HEAD")
    for path in changed:
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text("v2\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "change", "--allow-empty")
    after = git(repo, "rev-parse", "HEAD")
    result = subprocess.run([sys.executable, str(SCRIPT), base if before is None else before, after], cwd=repo,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize("changed", [("content/news/a.md",), ("content/news/new.md", "assets/images/2024/07/b.jpg"),
                                     ("assets/images/a.jpg",)])
def test_a_content_only_change_skips_the_suite(history, changed):
    assert decide(history, *changed) == "content-only=true"


@pytest.mark.parametrize("changed", [("sitegen/parse.py",), ("layouts/base.html",), ("requirements.txt",),
                                     ("tests/test_x.py",), ("site.yaml",), (".github/workflows/pages.yml",),
                                     ("content/news/a.md", "sitegen/parse.py"), ("assets/images/a.jpg", "Makefile")])
def test_any_other_change_runs_the_suite(history, changed):
    assert decide(history, *changed) == "content-only=false"


@pytest.mark.parametrize("before", ["0000000000000000000000000000000000000000", "", "deadbeef" * 5])
def test_without_an_earlier_commit_to_compare_the_suite_runs(history, before):
    assert decide(history, "content/news/a.md", before=before) == "content-only=false"


def test_an_empty_change_runs_the_suite(history):
    assert decide(history) == "content-only=false"


def test_the_workflow_runs_the_suite_unless_content_only_and_builds_either_way():
    flow = yaml.safe_load(WORKFLOW.read_text())
    jobs = flow["jobs"]
    paths = jobs["changes"]
    assert paths["steps"][0]["with"]["fetch-depth"] == 0
    assert ".github/content_only.py" in paths["steps"][1]["run"] and "GITHUB_OUTPUT" in paths["steps"][1]["run"]
    assert paths["outputs"]["content-only"] == "${{ steps.paths.outputs.content-only }}"
    assert jobs["test"]["needs"] == "changes" and jobs["test"]["if"] == "needs.changes.outputs.content-only != 'true'"
    assert any("make test" in step.get("run", "") for step in jobs["test"]["steps"])
    build = jobs["build"]
    assert build["needs"] == ["changes", "test"]
    assert "needs.test.result == 'success'" in build["if"] and "needs.test.result == 'skipped'" in build["if"] \
        and "needs.changes.outputs.content-only == 'true'" in build["if"] and build["if"].startswith("always()")
    runs = [step.get("run", "") for step in build["steps"]]
    assert not any("make test" in run for run in runs)
    check = next(n for n, run in enumerate(runs) if run == "make check")
    site = next(n for n, run in enumerate(runs) if run.startswith("make site"))
    cache = next(n for n, step in enumerate(build["steps"]) if step.get("uses", "").startswith("actions/cache@"))
    assert cache < check < site
    deploy = jobs["deploy"]
    assert deploy["needs"] == "build" and "needs.build.result == 'success'" in deploy["if"]
    pr = jobs["pr-content"]
    assert "content-only == 'true'" in pr["if"] and [s.get("run") for s in pr["steps"] if s.get("run")][0] == \
        "make check"
