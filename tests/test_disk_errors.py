"""Disk errors on real file systems (a full tmpfs, a read-only mount, a folder the user cannot write, a file
in the way) give one message naming the folder, exit status 1, the old output/ byte for byte, no staging left."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

import pytest

from helpers import REPO, SITE_YAML, article, cli_environment, run_cli, tree_bytes, write_corpus, write_site
from sitegen.output import copy_assets, write_text_files
from sitegen.sources import list_assets
from sitegen.problems import BuildFailed

STAGE_LINE = re.compile(r"^  \S.*?\s+\d+\.\d\d s$")
TAIL = "发现 1 个问题；没有写入任何文件，output/ 保持原样。"
ELSEWHERE = "或用 --output 文件夹 换个地方构建"
FULL = f"磁盘空间不足，放不下新网站（新网站先写在旧网站旁边再替换，两个都要放得下）：请腾出空间，{ELSEWHERE}"
READ_ONLY = f"这个文件夹所在的磁盘是只读的：请改为可读写，{ELSEWHERE}"


def sh(*argv: str) -> None:
    subprocess.run(argv, check=True, capture_output=True, text=True)


@pytest.fixture
def disk():
    """disk(size, **options) -> the folder of a fresh tmpfs, unmounted (with whatever is mounted inside) after."""
    with ExitStack() as stack:
        def mount(size: str = "600k", **options) -> Path:
            point = Path(tempfile.mkdtemp(prefix="sitegen-disk-"))
            stack.callback(point.rmdir)
            flags = ",".join([f"size={size}", "mode=0755", *(f"{k}={v}" for k, v in options.items())])
            result = subprocess.run(["mount", "-t", "tmpfs", "-o", flags, "tmpfs", str(point)],
                                    capture_output=True, text=True)
            if result.returncode != 0:
                pytest.skip(f"cannot mount a small tmpfs to fill (needs root and mount rights): {result.stderr.strip()}")
            stack.callback(unmount_all, point)
            return point
        yield mount


def unmount_all(point: Path) -> None:
    """Unmount `point` and every mount below it, the deepest first."""
    with open("/proc/self/mounts", encoding="utf-8") as mounts:
        targets = [line.split()[1].replace("\\040", " ") for line in mounts]
    for target in sorted((t for t in targets if t == str(point) or t.startswith(f"{point}/")), key=len,
                         reverse=True):
        subprocess.run(["umount", target], check=True)


def remount_read_only(folder: Path, bind: bool = False) -> None:
    if bind:
        sh("mount", "--bind", str(folder), str(folder))
        sh("mount", "-o", "remount,bind,ro", str(folder))
    else:
        sh("mount", "-o", "remount,ro", str(folder))


def small_site(root: Path) -> Path:
    """One section, one article: an output/ of about 100 KB, small enough for a 600 KB disk."""
    return write_site(root, {"content/news/_index.md": "---\ntitle: 要闻\n---\n",
                             "content/news/one.md": article("第一篇")}, site_yaml=SITE_YAML)


def grow(site: Path, count: int) -> None:
    """Enough articles that the new site no longer fits beside the old one."""
    write_corpus(site, count)


def build(site: Path, out: Path, *extra: str, user: str | None = None):
    argv = ["build", "--no-search", "--site", str(site), "--output", str(out), *extra]
    if user is None:
        return run_cli(*argv)
    return subprocess.run(["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups",
                           sys.executable, str(REPO / "build.py"), *argv], cwd=REPO, capture_output=True, text=True,
                          env=cli_environment({"PYTHONDONTWRITEBYTECODE": "1"}), timeout=300)


def problem_lines(result) -> list[str]:
    """What the build said besides its progress lines."""
    return [line for line in result.stderr.splitlines() if not STAGE_LINE.match(line)]


def assert_failed_cleanly(result, message: str, out: Path, before: dict[str, bytes] | None) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert problem_lines(result) == [message, TAIL]
    assert result.stdout == ""
    if before is None:
        assert not out.exists()
    else:
        assert tree_bytes(out) == before
    if out.parent.is_dir():
        assert not [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")], "staging left"


def first_build(site: Path, out: Path, *extra: str) -> dict[str, bytes]:
    result = build(site, out, *extra)
    assert result.returncode == 0, result.stderr
    return tree_bytes(out)


# --- a full disk -------------------------------------------------------------------------------------

@pytest.mark.parametrize("jobs, articles", [("1", 30), ("2", 500)])  # 500 articles: two render workers
@pytest.mark.parametrize("cache", ["elsewhere", "none", "same disk"])  # "same disk": the spare tree is used
def test_full_disk_while_writing_pages(tmp_path, disk, jobs, articles, cache):
    mount = disk("1m")
    site, out = small_site(tmp_path / "site"), mount / "output"
    options = {"elsewhere": [], "none": ["--no-cache"], "same disk": ["--cache", str(mount / "cache")]}[cache]
    before = first_build(site, out, *options)
    grow(site, articles)
    result = build(site, out, "--jobs", jobs, *options)
    assert_failed_cleanly(result, f"{out}: {FULL}", out, before)


def test_full_disk_while_copying_assets(tmp_path, disk):
    mount = disk("600k")
    site, out = small_site(tmp_path / "site"), mount / "output"
    before = first_build(site, out)
    # The pages are as before and fit beside the old site; a picture as big as the disk does not.
    (site / "assets" / "images").mkdir(parents=True, exist_ok=True)
    (site / "assets" / "images" / "big.jpg").write_bytes(os.urandom(600_000))
    result = build(site, out)
    assert_failed_cleanly(result, f"{out}: {FULL}", out, before)


def test_no_inode_left_for_the_staging_folder(tmp_path, disk):
    mount = disk("2m")
    site, out = small_site(tmp_path / "site"), mount / "output"
    before = first_build(site, out)
    stats = os.statvfs(mount)
    sh("mount", "-o", f"remount,nr_inodes={stats.f_files - stats.f_ffree}", str(mount))  # every inode in use
    (site / "content/news/two.md").write_text(article("第二篇"), encoding="utf-8")
    result = build(site, out)
    assert_failed_cleanly(result, f"{mount}: {FULL}", out, before)


def test_library_calls_raise_build_failed_on_a_full_disk(tmp_path, disk):
    mount = disk("100k")
    stage = mount / ".output.staging-123"
    stage.mkdir()
    with pytest.raises(BuildFailed) as caught:
        write_text_files(stage, [(f"p{n}/index.html", "页" * 10_000) for n in range(20)])
    assert [str(p) for p in caught.value.problems] == [f"{mount / 'output'}: {FULL}"]
    shutil.rmtree(stage)
    assets = tmp_path / "assets"
    (assets / "img").mkdir(parents=True)
    (assets / "img" / "big.jpg").write_bytes(os.urandom(200_000))
    with pytest.raises(BuildFailed) as caught:
        copy_assets(assets, list_assets(assets), mount, replace=True)  # a live folder (the preview's)
    assert [str(p) for p in caught.value.problems] == [f"{mount}: {FULL}"]
    assert not [p for p in mount.rglob("*") if p.is_file()], "no half-copied temporary left"


def pages_of(folder: Path) -> int:
    """The 4 KiB pages the files under `folder` take on a tmpfs."""
    return sum(-(-path.stat().st_size // 4096) for path in folder.rglob("*") if path.is_file())


def test_full_disk_while_writing_the_search_index(tmp_path, disk):
    """The site fits without its search index; with it, the index's files do not: publish writes them like
    pages (the index hands them over from its cache), so the full disk is a problem and the old site stays.
    The disk's size is measured: the site without its index and half its index."""
    site = small_site(tmp_path / "site")
    assert run_cli("build", "--site", str(site), "--output", str(tmp_path / "measure")).returncode == 0
    index = pages_of(tmp_path / "measure" / "search-index")
    assert index >= 4, "the index takes pages enough to overflow half-way"
    mount = disk(f"{4 * (pages_of(tmp_path / 'measure') - index // 2)}k")
    out = mount / "output"
    before = first_build(site, out)
    result = run_cli("build", "--site", str(site), "--output", str(out))
    assert_failed_cleanly(result, f"{out}: {FULL}", out, before)
    assert not (out / "search-index").exists()


# --- read-only and unwritable folders -----------------------------------------------------------------

def test_read_only_disk(tmp_path, disk):
    mount = disk("1m")
    site, out = small_site(tmp_path / "site"), mount / "output"
    before = first_build(site, out)
    remount_read_only(mount)
    (site / "content/news/two.md").write_text(article("第二篇"), encoding="utf-8")
    assert_failed_cleanly(build(site, out), f"{mount}: {READ_ONLY}", out, before)


def test_output_on_a_read_only_disk_that_does_not_have_it_yet(tmp_path, disk):
    mount = disk("1m")
    remount_read_only(mount)
    site, out = small_site(tmp_path / "site"), mount / "public" / "site"
    assert_failed_cleanly(build(site, out), f"{mount}: {READ_ONLY}", out, None)


@pytest.mark.parametrize("cache, message", [
    # With the cache, unchanged files are hard-linked from output/ into the new site: not across a mount.
    ([], "无法替换：它是挂载点，和上一级文件夹不在同一个磁盘上（Invalid cross-device link）"),
    # Without, the whole new site gets staged beside output/, which then cannot be swapped.
    (["--no-cache"], "无法替换：它是挂载点或正在使用（Device or resource busy）"),
])
def test_read_only_output_folder_that_is_a_mount_point(tmp_path, disk, cache, message):
    mount = disk("1m")
    site, out = small_site(tmp_path / "site"), mount / "output"
    before = first_build(site, out)
    remount_read_only(out, bind=True)
    (site / "content/news/two.md").write_text(article("第二篇"), encoding="utf-8")
    result = build(site, out, *cache)
    assert_failed_cleanly(result, f"{out}: {message}：请构建到它里面的一个文件夹，{ELSEWHERE}", out, before)


@pytest.mark.skipif(shutil.which("setpriv") is None, reason="needs setpriv (util-linux) to build as another user")
def test_folder_this_user_cannot_write(disk):
    """As root, permissions stop nothing: the build runs as 'nobody' (uid 65534) beside root's files."""
    mount = disk("2m")
    site, out = small_site(mount / "site"), mount / "public" / "output"
    before = first_build(site, out)
    os.chmod(out.parent, 0o755)  # root's, and not writable by anyone else
    (site / "content/news/two.md").write_text(article("第二篇"), encoding="utf-8")
    result = build(site, out, user="65534")
    assert_failed_cleanly(result, f"{out.parent}: 没有权限：新网站先写在 output/ 旁边的临时文件夹里再替换，所以这个文件夹"
                                  f"必须可写：请修改权限，{ELSEWHERE}", out, before)


# --- a file in the way --------------------------------------------------------------------------------

@pytest.mark.parametrize("below", ["output", "deeper/still/output"])
def test_a_file_where_a_folder_above_output_should_be(tmp_path, below):
    site = small_site(tmp_path / "site")
    blocker = tmp_path / "public"
    blocker.write_text("not a folder\n", encoding="utf-8")
    out = blocker / below
    result = build(site, out)
    assert_failed_cleanly(result, f"{blocker}: 是一个文件，无法在其中建立输出文件夹 {out}：请删除或改名这个文件，"
                                  f"{ELSEWHERE}", out, None)
    assert blocker.read_text(encoding="utf-8") == "not a folder\n"


def test_output_itself_is_a_file(tmp_path):
    site = small_site(tmp_path / "site")
    out = tmp_path / "output"
    out.write_bytes(b"keep me\n")
    result = build(site, out)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert problem_lines(result) == [f"{out}: 是一个文件，不是文件夹：请删除或改名，{ELSEWHERE}", TAIL]
    assert out.read_bytes() == b"keep me\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output", "site"]
