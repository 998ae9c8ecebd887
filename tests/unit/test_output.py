"""Staging beside output/, the swap, and a failed build leaving the old output/ exactly as it was."""

from __future__ import annotations

import errno
import os
import subprocess
import sys

import pytest

from helpers import SITE_YAML, article, tree_bytes, write_site
from sitegen.messages import language_named, say
from sitegen.output import (copy_assets, discard, disk_problem, prepare_staging, previous_dir, remove_files,
                            site_folder, staging_dir, swap_in, write_text_files)
from sitegen.pipeline import BuildOptions, build
from sitegen.problems import BuildFailed, Problem
from sitegen.sources import list_assets

ENGLISH = language_named("en")


def fill(folder, files: dict[str, bytes]):
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    return folder


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


OLD = {"index.html": b"old home\n", "news/a/index.html": "旧\r\n".encode(), "css/site.css": b"body{}"}


# --- staging ----------------------------------------------------------------------------------------

def test_names_beside_output(tmp_path):
    out = tmp_path / "output"
    assert staging_dir(out) == tmp_path / f".output.staging-{os.getpid()}"
    assert previous_dir(out) == tmp_path / ".output.previous"


def test_prepare_staging_makes_an_empty_folder_and_keeps_output(tmp_path):
    out = fill(tmp_path / "output", OLD)
    stage = prepare_staging(out)
    assert stage == staging_dir(out) and stage.is_dir() and list(stage.iterdir()) == []
    assert tree_bytes(out) == OLD


def test_prepare_staging_creates_missing_parents(tmp_path):
    stage = prepare_staging(tmp_path / "deep" / "er" / "public")
    assert stage.is_dir() and stage.parent == tmp_path / "deep" / "er"


def test_prepare_staging_clears_stagings_left_by_dead_builds(tmp_path):
    out = fill(tmp_path / "output", OLD)
    stale = fill(tmp_path / f".output.staging-{dead_pid()}", {"half.html": b"x"})
    mine = fill(staging_dir(out), {"older-run.html": b"x"})
    stage = prepare_staging(out)
    assert not stale.exists()
    assert stage == mine and list(stage.iterdir()) == []


def test_prepare_staging_leaves_a_running_builds_staging_alone(tmp_path):
    """Two builds of one site at once (say 'serve' and 'build'): one must not delete the other's half-written
    staging folder, or that build dies mid-write or swaps in an incomplete site."""
    out = fill(tmp_path / "output", OLD)
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        theirs = fill(tmp_path / f".output.staging-{other.pid}", {"index.html": b"being written"})
        prepare_staging(out)
        assert (theirs / "index.html").read_bytes() == b"being written"
    finally:
        other.kill()
        other.wait()


def test_prepare_staging_restores_output_from_previous(tmp_path):
    """A build cut short between the two renames of the fallback swap left only .output.previous."""
    out = tmp_path / "output"
    fill(previous_dir(out), OLD)
    prepare_staging(out)
    assert tree_bytes(out) == OLD
    assert not previous_dir(out).exists()


def test_prepare_staging_drops_previous_when_output_is_complete(tmp_path):
    out = fill(tmp_path / "output", OLD)
    fill(previous_dir(out), {"index.html": b"older still"})
    prepare_staging(out)
    assert tree_bytes(out) == OLD
    assert not previous_dir(out).exists()


# --- swap -------------------------------------------------------------------------------------------

def test_swap_in_replaces_output_and_removes_the_old_site(tmp_path):
    out = fill(tmp_path / "output", OLD)
    stage = fill(prepare_staging(out), {"index.html": b"new home", "news/b/index.html": b"new"})
    swap_in(stage, out)
    assert tree_bytes(out) == {"index.html": b"new home", "news/b/index.html": b"new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_swap_in_first_build(tmp_path):
    out = tmp_path / "output"
    stage = fill(prepare_staging(out), {"index.html": b"first"})
    swap_in(stage, out)
    assert tree_bytes(out) == {"index.html": b"first"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_swap_in_that_fails_leaves_output_alone(tmp_path):
    out = fill(tmp_path / "output", OLD)
    with pytest.raises(BuildFailed) as caught:
        swap_in(tmp_path / ".output.staging-gone", out)
    assert [str(p) for p in caught.value.problems] == [
        f"{out}: 无法写入新网站（No such file or directory）：请检查磁盘，或用 --output 文件夹 换个地方构建"]
    assert tree_bytes(out) == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_discard(tmp_path):
    out = fill(tmp_path / "output", OLD)
    stage = fill(prepare_staging(out), {"a/b.html": b"x"})
    discard(stage)
    assert not stage.exists() and tree_bytes(out) == OLD


# --- writing ----------------------------------------------------------------------------------------

def test_write_text_files_nested_utf8_and_byte_count(tmp_path):
    total = write_text_files(tmp_path, [("index.html", "首页\n"), ("a/b/c/index.html", "<p>文</p>"),
                                        ("a/b/d.xml", "x")])
    assert tree_bytes(tmp_path) == {"index.html": "首页\n".encode(), "a/b/c/index.html": "<p>文</p>".encode(),
                                    "a/b/d.xml": b"x"}
    assert total == len("首页\n".encode()) + len("<p>文</p>".encode()) + 1


def test_write_text_files_keeps_line_endings_as_given(tmp_path):
    write_text_files(tmp_path, [("a.txt", "a\nb\n")])
    assert (tmp_path / "a.txt").read_bytes() == b"a\nb\n"


def test_replace_writes_only_changed_files_and_leaves_no_temporaries(tmp_path):
    write_text_files(tmp_path, [("same.html", "same"), ("changed.html", "old")])
    before = (tmp_path / "same.html").stat().st_mtime_ns
    os.utime(tmp_path / "same.html", ns=(before - 10**9, before - 10**9))
    total = write_text_files(tmp_path, [("same.html", "same"), ("changed.html", "new!"), ("n/new.html", "n")],
                             replace=True)
    assert total == len("new!") + 1
    assert (tmp_path / "same.html").stat().st_mtime_ns == before - 10**9
    assert tree_bytes(tmp_path) == {"same.html": b"same", "changed.html": b"new!", "n/new.html": b"n"}


def test_list_and_copy_assets(tmp_path):
    assets = fill(tmp_path / "assets", {"css/site.css": b"body{}", "images/a.jpg": b"\xff\xd8\xff",
                                        "favicon.svg": b"<svg/>", ".DS_Store": b"x", "js/.cache/x.js": b"x",
                                        "images/.hidden.jpg": b"x"})
    files = list_assets(assets)
    assert files == ("favicon.svg", "css/site.css", "images/a.jpg")
    stage = tmp_path / "stage"
    stage.mkdir()
    assert copy_assets(assets, files, stage) == 6 + 3 + 6
    assert tree_bytes(stage) == {"css/site.css": b"body{}", "images/a.jpg": b"\xff\xd8\xff", "favicon.svg": b"<svg/>"}


def test_list_assets_of_a_missing_folder(tmp_path):
    assert list_assets(tmp_path / "assets") == ()


def test_remove_files_and_their_empty_folders(tmp_path):
    fill(tmp_path, {"a/b/c.html": b"1", "a/keep.html": b"2", "x/y/z.html": b"3"})
    remove_files(tmp_path, ["a/b/c.html", "x/y/z.html", "missing/file.html"])
    assert tree_bytes(tmp_path) == {"a/keep.html": b"2"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a"]
    assert tmp_path.is_dir()



def test_remove_files_empties_whole_branches_once_their_files_are_gone(tmp_path):
    files = {f"search/s1/f/{n}.json": b"{}" for n in range(50)} | {"search/s1/t0.bin": b"t", "search/keep.json": b"k",
                                                                     "d/e/f/g.html": b"g", "d/h.html": b"h"}
    fill(tmp_path, files)
    remove_files(tmp_path, [name for name in files if name != "search/keep.json"])
    assert tree_bytes(tmp_path) == {"search/keep.json": b"k"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["search"]
    assert sorted(p.name for p in (tmp_path / "search").iterdir()) == ["keep.json"]

# --- a failed build keeps output/ --------------------------------------------------------------------

def site_with(tmp_path, files):
    site = write_site(tmp_path / "site", {"content/news/_index.md": "---\ntitle: 要闻\n---\n", **files},
                      site_yaml=SITE_YAML)
    fill(site / "output", OLD)
    return site


def test_failed_render_keeps_the_old_output_and_leaves_nothing_beside_it(tmp_path):
    site = site_with(tmp_path, {"content/news/a.md": article()})
    layout = site / "layouts" / "article.html"
    layout.write_text(layout.read_text(encoding="utf-8").replace("{% block main %}", "{% block main %}{{ nope }}", 1),
                      encoding="utf-8")
    with pytest.raises(BuildFailed) as caught:
        build(site / "site.yaml", BuildOptions(search=False, jobs=1))
    assert caught.value.problems[0].path == "layouts/article.html"
    assert tree_bytes(site / "output") == OLD
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".") and p.name != ".cache") == []


def test_failed_content_never_touches_output(tmp_path):
    site = site_with(tmp_path, {"content/news/a.md": "no front matter\n"})
    fill(previous_dir(site / "output"), {"stale": b"x"})  # would be cleared if staging were prepared
    with pytest.raises(BuildFailed):
        build(site / "site.yaml", BuildOptions(search=False, jobs=1))
    assert tree_bytes(site / "output") == OLD
    assert previous_dir(site / "output").exists()


def test_successful_build_replaces_the_old_output_entirely(tmp_path):
    site = site_with(tmp_path, {"content/news/fresh.md": article(title="新文章")})
    build(site / "site.yaml", BuildOptions(search=False, jobs=1))
    files = tree_bytes(site / "output")
    assert "新文章" in files["news/fresh/index.html"].decode()
    assert "news/a/index.html" not in files
    assert "index.html" in files and files["index.html"] != OLD["index.html"]
    assert files["css/site.css"] == (site / "assets" / "css" / "site.css").read_bytes()
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".") and p.name != ".cache") == []


# --- disk errors become problems naming the folder (tests/test_disk_errors.py makes them happen for real) -

def test_a_problem_without_a_line_prints_as_path_and_message():
    assert str(Problem("/srv/site/output", 0, 0, say("none"))) == "/srv/site/output: 无"
    assert str(Problem("content/a.md", 3, 7, say("none"))) == "content/a.md:3:7: 无"
    assert Problem("content/a.md", 3, 7, say("none")).said(ENGLISH) == "content/a.md:3:7: none"


def test_site_folder_of_a_staging_folder_is_the_output_folder(tmp_path):
    assert site_folder(staging_dir(tmp_path / "public")) == tmp_path / "public"
    assert site_folder(tmp_path / "output") == tmp_path / "output"  # a live folder (the preview's) is itself
    assert site_folder(tmp_path / ".output.staging-x") == tmp_path / ".output.staging-x"


@pytest.mark.parametrize("code, english", [
    (errno.ENOSPC, "no space left on the disk for the new site (it is written beside the old one and then swapped "
                   "in, so both must fit): free some space, or build elsewhere with --output DIR"),
    (errno.EDQUOT, "disk quota exceeded while writing the new site: free some space, or build elsewhere with "
                   "--output DIR"),
    (errno.EROFS, "the folder is on a read-only file system: remount it read-write, or build elsewhere with "
                  "--output DIR"),
    (errno.EACCES, "permission denied: the new site is written into a staging folder beside public/ and then "
                   "swapped in, so this folder must be writable: change its permissions, or build elsewhere with "
                   "--output DIR"),
    (errno.EPERM, "permission denied: the new site is written into a staging folder beside public/ and then "
                  "swapped in, so this folder must be writable: change its permissions, or build elsewhere with "
                  "--output DIR"),
    (errno.EBUSY, "cannot be replaced: it is a mount point or in use (Device or resource busy): build into a "
                  "folder inside it, or build elsewhere with --output DIR"),
    (errno.EXDEV, "cannot be replaced: it is a mount point, on another disk than the folder holding it (Invalid "
                  "cross-device link): build into a folder inside it, or build elsewhere with --output DIR"),
    (errno.EIO, "cannot write the new site (Input/output error): check the disk, or build elsewhere with "
                "--output DIR"),
])
def test_disk_problem_says_what_to_do(tmp_path, code, english):
    problem = disk_problem(OSError(code, os.strerror(code), str(tmp_path / "x")), tmp_path / "public", tmp_path)
    assert (problem.path, problem.line, problem.col) == (str(tmp_path), 0, 0)
    assert problem.message.said(ENGLISH) == english
    assert problem.message.said() == CHINESE_DISK_PROBLEMS[code]


ELSEWHERE = "或用 --output 文件夹 换个地方构建"
PERMISSION = f"没有权限：新网站先写在 public/ 旁边的临时文件夹里再替换，所以这个文件夹必须可写：请修改权限，{ELSEWHERE}"
CHINESE_DISK_PROBLEMS = {
    errno.ENOSPC: f"磁盘空间不足，放不下新网站（新网站先写在旧网站旁边再替换，两个都要放得下）：请腾出空间，{ELSEWHERE}",
    errno.EDQUOT: f"写入新网站时超出了磁盘配额：请腾出空间，{ELSEWHERE}",
    errno.EROFS: f"这个文件夹所在的磁盘是只读的：请改为可读写，{ELSEWHERE}",
    errno.EACCES: PERMISSION,
    errno.EPERM: PERMISSION,
    errno.EBUSY: f"无法替换：它是挂载点或正在使用（Device or resource busy）：请构建到它里面的一个文件夹，{ELSEWHERE}",
    errno.EXDEV: "无法替换：它是挂载点，和上一级文件夹不在同一个磁盘上（Invalid cross-device link）：请构建到它里面的一个文件夹，"
                 f"{ELSEWHERE}",
    errno.EIO: f"无法写入新网站（Input/output error）：请检查磁盘，{ELSEWHERE}",
}


def test_a_build_failed_from_a_disk_error_crosses_from_a_worker(tmp_path):
    """Pages are written by the render workers: their BuildFailed must reach the parent whole."""
    from sitegen.parallel import map_shares

    def write(share):  # into a staging folder that is not there
        return [write_text_files(tmp_path / ".output.staging-1", [(rel, "x")]) for rel in share]
    with pytest.raises(BuildFailed) as caught:
        map_shares(write, [f"p{n}.html" for n in range(4)], jobs=2, minimum=1)
    assert [p.said(ENGLISH) for p in caught.value.problems] == [
        f"{tmp_path / 'output'}: cannot write the new site (No such file or directory): check the disk, or build "
        "elsewhere with --output DIR"]


def test_swap_in_with_two_renames_puts_output_back_when_the_second_fails(tmp_path, monkeypatch):
    """Where no atomic exchange exists: output/ is renamed aside, and back if the new site cannot take its place."""
    import sitegen.output as output
    monkeypatch.setattr(output, "exchange_paths", lambda a, b: False)
    out = fill(tmp_path / "output", OLD)
    with pytest.raises(BuildFailed):
        swap_in(tmp_path / ".output.staging-gone", out)
    assert tree_bytes(out) == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]
    stage = fill(prepare_staging(out), {"index.html": b"new"})
    swap_in(stage, out)
    assert tree_bytes(out) == {"index.html": b"new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]
