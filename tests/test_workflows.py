"""The GitHub Pages workflow passes actionlint and has what publishing needs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import REPO

WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"


def actionlint() -> str:
    found = shutil.which("actionlint") or str(Path(sys.executable).with_name("actionlint"))
    if not Path(found).exists():
        pytest.fail("actionlint is not installed: run 'make test' (requirements-dev.txt installs it)")
    return found


def test_workflows_pass_actionlint():
    workflows = sorted((REPO / ".github" / "workflows").glob("*.yml"))
    assert workflows
    result = subprocess.run([actionlint(), "-no-color", *map(str, workflows)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text().replace("runs-on: ubuntu-latest", "runs-on: [", 1))
    result = subprocess.run([actionlint(), "-no-color", str(broken)], capture_output=True, text=True)
    assert result.returncode != 0


def test_pages_workflow_tests_builds_and_deploys():
    flow = yaml.safe_load(WORKFLOW.read_text())
    triggers = flow.get("on") or flow.get(True)  # YAML 1.1 reads 'on' as true
    assert triggers["push"]["branches"] == ["main"] and "pull_request" in triggers
    jobs = flow["jobs"]
    test_steps = " ".join(str(step.get("run", "")) + str(step.get("uses", "")) for step in jobs["test"]["steps"])
    assert "make test" in test_steps and "make check" in test_steps and "setup-python" in test_steps
    assert any(step.get("with", {}).get("cache") == "pip" for step in jobs["test"]["steps"])
    build_steps = jobs["build"]["steps"]
    assert any("configure-pages" in step.get("uses", "") for step in build_steps)
    assert any("steps.pages.outputs.base_url" in step.get("run", "") for step in build_steps)
    upload = next(step for step in build_steps if "upload-pages-artifact" in step.get("uses", ""))
    assert upload["with"]["path"] == "output"
    deploy = jobs["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert "deploy-pages" in deploy["steps"][0]["uses"] and deploy["environment"]["name"] == "github-pages"
    assert "pull_request" in deploy["if"] and flow["permissions"] == {"contents": "read"}
    assert deploy["concurrency"]["cancel-in-progress"] is False
