"""Shared test helpers: site factories, the real command line, and file trees to compare."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SITE_YAML = """title: 测试人大常委会
base_url: https://example.org/
per_page: 3
footer: [地址：测试县]
"""
SECTION = "---\ntitle: {title}\nweight: {weight}\n---\n"


def article(title: str = "测试文章", date: str = "2020-01-02 03:04:05", body: str = "正文内容。", **extra) -> str:
    """An article file's text with the given front matter keys."""
    lines = ["---", f"title: {title}", f"date: {date}"]
    for key, value in extra.items():
        lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n---\n\n" + body + "\n"


def write_site(root: Path, files: dict[str, str | bytes], site_yaml: str | None = SITE_YAML,
               layouts: bool = True, assets: bool = True) -> Path:
    """A site folder with the repo's layouts and assets (unless told otherwise) and the given files."""
    root.mkdir(parents=True, exist_ok=True)
    if site_yaml is not None:
        (root / "site.yaml").write_text(site_yaml, encoding="utf-8")
    if layouts:
        shutil.copytree(REPO / "layouts", root / "layouts", dirs_exist_ok=True)
    if assets:
        shutil.copytree(REPO / "assets", root / "assets", dirs_exist_ok=True)
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return root


LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


SAMPLE_FOLDERS = ("content", "layouts", "assets", "data")  # with site.yaml: the sample site a build reads


def copy_sample_site(site: Path) -> Path:
    """A copy of the repository's own sample site at `site`."""
    for name in SAMPLE_FOLDERS:
        shutil.copytree(REPO / name, site / name)
    shutil.copy(REPO / "site.yaml", site / "site.yaml")
    return site


def cli_environment(env: dict | None = None) -> dict[str, str]:
    """The test process's environment for build.py, with LANG=C.UTF-8 in place of the machine's locale (so the
    command line speaks its default, Chinese, on an English desktop too), and `env` over it."""
    kept = {key: value for key, value in os.environ.items() if key not in LOCALE_VARIABLES}
    return {**kept, "LANG": "C.UTF-8", **(env or {})}


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 300):
    """Run build.py as an editor would; returns the CompletedProcess (text mode)."""
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd or REPO, env=cli_environment(env),
                          capture_output=True, text=True, timeout=timeout)


def tree_bytes(root: Path, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    """Every file under root, by relative path, with its bytes; top-level folders named in skip are not
    entered (the preview's search index is swapped in the background, so walking it races with the swap)."""
    files = {}
    for folder, dirs, names in os.walk(root):
        if folder == str(root):
            dirs[:] = [d for d in dirs if d not in skip]
        for name in names:
            path = Path(folder, name)
            files[path.relative_to(root).as_posix()] = path.read_bytes()
    return dict(sorted(files.items()))


def write_corpus(root: Path, count: int) -> None:
    """`count` articles of a few KB across four sections (two nested) into root/content/."""
    sections = ["renda-yaowen", "daibiao-gongzuo", "daibiao-gongzuo/lvzhi-dongtai", "jiandu-gongzuo"]
    for weight, key in enumerate(sections):
        (root / "content" / key).mkdir(parents=True, exist_ok=True)
        (root / "content" / key / "_index.md").write_text(f"---\ntitle: 栏目{weight}\nweight: {weight}\n---\n",
                                                          encoding="utf-8")
    paragraph = "县人大常委会组织部分人大代表开展视察活动，听取工作汇报，提出意见建议。" * 8
    body = "\n\n".join(f"## 第{part}部分\n\n{paragraph}" for part in range(4))
    for number in range(count):
        (root / "content" / sections[number % 4] / f"a{number:04d}.md").write_text(
            article(f"第{number}篇文章", f"20{10 + number % 15}-0{1 + number % 9}-1{number % 10} 09:00", body,
                    tags=f"[标签{number % 30}]"), encoding="utf-8")
