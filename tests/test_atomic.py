"""A build that fails or is killed at any moment leaves the previous output/ exactly as it was."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import REPO, SITE_YAML, article, cli_environment, run_cli, tree_bytes, write_corpus, write_site

@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """1,500 articles made once for the module (a build of a few seconds, so the kill lands mid-write)."""
    root = tmp_path_factory.mktemp("corpus")
    write_corpus(root, 1500)
    return root


def corpus_site(root: Path, corpus: Path) -> Path:
    """A site holding the corpus."""
    site = write_site(root / "site", {})
    shutil.copytree(corpus / "content", site / "content")
    return site


def test_failed_render_leaves_previous_output(make_site):
    site = make_site({"content/a/_index.md": "---\ntitle: 栏目\n---\n",
                      "content/a/one.md": article("第一篇")})
    assert run_cli("build", "--no-search", "--site", str(site)).returncode == 0
    before = tree_bytes(site / "output")
    # Break only the article template at run time: planning succeeds, rendering fails half-way.
    template = site / "layouts" / "article.html"
    template.write_text(template.read_text(encoding="utf-8").replace("{{ article.title }}",
                                                                     "{{ article.title.missing_attr }}", 1),
                        encoding="utf-8")
    (site / "content/a/two.md").write_text(article("第二篇"), encoding="utf-8")
    result = run_cli("build", "--no-search", "--site", str(site))
    assert result.returncode == 1
    assert "\nlayouts/article.html:3:1: 模板错误：'str object' has no attribute 'missing_attr'\n" in result.stderr
    assert tree_bytes(site / "output") == before
    assert not list(site.glob(".output.*")), "the staging folder must be removed"


# Loaded first by every Python the build starts (PYTHONPATH): the search index's shards fail as if the disk
# were full (its workers read an article's text with searchtext.article_text; the build itself does not).
FAILING_INDEX = """import importlib.util, sys
class Hook:
    def find_spec(self, name, path, target=None):
        if name != "sitegen.searchtext":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        real = spec.loader
        class Loader:
            def create_module(self, spec):
                return real.create_module(spec)
            def exec_module(self, module):
                real.exec_module(module)
                def article_text(*fields):
                    raise OSError(28, "No space left on device")
                module.article_text = article_text
        spec.loader = Loader()
        return spec
sys.meta_path.insert(0, Hook())
"""


def test_failed_search_index_leaves_previous_output(make_site, tmp_path):
    site = make_site({"content/a/_index.md": "---\ntitle: 栏目\n---\n",
                      "content/a/one.md": article("第一篇")})
    assert run_cli("build", "--no-search", "--site", str(site)).returncode == 0
    before = tree_bytes(site / "output")
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "sitecustomize.py").write_text(FAILING_INDEX)
    result = run_cli("build", "--site", str(site), env={"PYTHONPATH": str(fake)})
    assert result.returncode == 1
    assert "\nsearch:1:1: 搜索索引生成失败：No space left on device\n" in result.stderr
    assert tree_bytes(site / "output") == before


@pytest.mark.parametrize("delay", [0.0, 0.3, 0.8, 1.5])
def test_killed_build_leaves_previous_output(tmp_path, corpus, delay):
    site = corpus_site(tmp_path, corpus)
    (site / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    assert run_cli("build", "--no-search", "--site", str(site)).returncode == 0
    before = tree_bytes(site / "output")
    (site / "site.yaml").write_text(SITE_YAML.replace("测试人大常委会", "改过的标题"), encoding="utf-8")
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "build", "--no-search", "--site", str(site)],
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, start_new_session=True,
                               env=cli_environment())
    # Wait until rendering has begun (the 'plan' stage line, 规划 in Chinese), then kill the whole group mid-write.
    for line in process.stderr:
        if line.strip().startswith("规划"):
            break
    else:
        pytest.fail(f"the build ended before its plan stage: exit status {process.wait()}")
    time.sleep(delay)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    after = tree_bytes(site / "output")
    assert after == before or all("改过的标题".encode() in data for name, data in after.items() if name.endswith(".html")), \
        "output/ must be either the old site or the whole new one, never a mix"
    # The next build cleans up whatever the killed one left behind.
    assert run_cli("build", "--no-search", "--site", str(site)).returncode == 0
    assert not list(site.glob(".output.*"))
