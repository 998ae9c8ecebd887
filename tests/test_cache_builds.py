"""The persistent cache across processes: a cached build is byte-identical to a clean one, whatever was
edited, and a stale, corrupt or foreign cache entry (or a changed output/) is rebuilt, never served."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from helpers import run_cli, tree_bytes, write_site
from test_incremental import initial_files, random_edit


def build(site: Path, *extra: str) -> str:
    result = run_cli("build", "--no-search", "--jobs", "2", "--site", str(site), *extra)
    assert result.returncode == 0, result.stderr
    return result.stdout


def clean(site: Path, target: Path) -> dict[str, bytes]:
    shutil.rmtree(target, ignore_errors=True)
    build(site, "--no-cache", "--output", str(target))
    return tree_bytes(target)


def written(stdout: str) -> int:
    return int(re.search(r"写入 (\d+) 个文件（", stdout).group(1))


def assert_same(actual: dict, expected: dict, history) -> None:
    assert sorted(actual) == sorted(expected), history
    different = [name for name in expected if actual[name] != expected[name]]
    assert not different, (different[:5], history)


@pytest.mark.parametrize("seed", [11, 12])
def test_cached_builds_after_random_edits_match_clean_builds(tmp_path, seed):
    site = write_site(tmp_path / "site", initial_files())
    build(site)
    rng = random.Random(seed)
    history = []
    for step in range(12):
        history.append(random_edit(rng, site, step))
        build(site)
        assert_same(tree_bytes(site / "output"), clean(site, tmp_path / "clean"), history)


def test_nothing_changed_writes_nothing_and_one_edit_writes_few(tmp_path):
    site = write_site(tmp_path / "site", initial_files())
    first = build(site)
    total = written(first)
    assert written(build(site)) == 0
    path = sorted((site / "content" / "news").glob("a*.md"))[0]
    for number in range(2):  # the first edit also fills the spare tree; the second is the steady state
        path.write_text(path.read_text(encoding="utf-8") + f"\n补充一段正文{number}。\n", encoding="utf-8")
        assert 0 < written(build(site)) < total / 4
    assert_same(tree_bytes(site / "output"), clean(site, tmp_path / "clean"), "two body edits")


def test_a_layout_that_starts_reading_a_data_file_follows_its_edits(tmp_path):
    """What data a layout reads is kept in the cache by the layouts: an edited layout is read again."""
    site = write_site(tmp_path / "site", initial_files())
    (site / "data" / "jigou.yaml").write_text("主任: 张三\n", encoding="utf-8")
    build(site)
    page = site / "layouts" / "page.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "<h1>{{ title }}</h1>", "<h1>{{ title }}</h1><p>{{ data.jigou['主任'] }}</p>", 1),
        encoding="utf-8")
    build(site)
    assert "张三" in (site / "output" / "jigou" / "index.html").read_text(encoding="utf-8")
    (site / "data" / "jigou.yaml").write_text("主任: 李四\n", encoding="utf-8")
    build(site)
    assert "李四" in (site / "output" / "jigou" / "index.html").read_text(encoding="utf-8")
    assert_same(tree_bytes(site / "output"), clean(site, tmp_path / "clean"), "layout then data edited")


def corrupt_every_entry(cache: Path) -> int:
    count = 0
    for path in cache.rglob("*"):
        if path.is_file() and path.name != "lock" and "trees" not in path.parts:
            data = bytearray(path.read_bytes())
            data[len(data) // 2] ^= 0xFF
            path.write_bytes(bytes(data))
            count += 1
    return count


def test_corrupt_entries_are_rebuilt(tmp_path):
    site = write_site(tmp_path / "site", initial_files())
    build(site)
    path = sorted((site / "content" / "work").rglob("a*.md"))[0]
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: 改", 1), encoding="utf-8")
    assert corrupt_every_entry(site / ".cache") > 3
    build(site)
    assert_same(tree_bytes(site / "output"), clean(site, tmp_path / "clean"), "corrupt cache")


def test_a_damaged_entry_of_bodies_fails_one_build_clearly_and_the_next_parses_again(tmp_path):
    """A pack's bodies are read only when a page needs one, each checked against its digest in the pack."""
    site = write_site(tmp_path / "site", initial_files())
    build(site)
    entries = [p for p in (site / ".cache" / "parse").rglob("*") if p.is_file() and p.stat().st_size > 36]
    damaged = 0
    for path in entries:  # the entries of bodies are the ones whose text holds the articles' HTML
        data = bytearray(path.read_bytes())
        at = data.find("<p>".encode())
        if at != -1 and data.startswith(b"SGC2") and b"parse.Parsed" not in data:
            data[at + 1] ^= 0x01  # '<p>' becomes '<q>': the same size, other bytes
            path.write_bytes(bytes(data))
            damaged += 1
    assert damaged > 0
    before = tree_bytes(site / "output")
    layout = site / "layouts" / "article.html"
    layout.write_text(layout.read_text(encoding="utf-8") + "\n{# every article page again #}\n", encoding="utf-8")
    failed = run_cli("build", "--no-search", "--jobs", "2", "--site", str(site))
    assert failed.returncode == 1
    assert re.search(r"/parse/\w\w/\w+: 构建过程中缓存文件被改动（解析缓存已清空）；请再构建一次\n", failed.stderr), failed.stderr
    assert tree_bytes(site / "output") == before
    build(site)
    assert_same(tree_bytes(site / "output"), clean(site, tmp_path / "clean"), "damaged bodies")


def test_foreign_entries_are_never_served(tmp_path):
    """Entries copied from another site's cache sit under keys this build never asks for."""
    other = write_site(tmp_path / "other", {**initial_files(), "content/news/x.md": "---\ntitle: 别的\ndate: 2020-01-01\n---\n别的站点。\n"})
    build(other)
    site = write_site(tmp_path / "site", initial_files())
    build(site)
    for path in (other / ".cache").rglob("*"):  # every entry of the other cache written over ours, by position
        if path.is_file() and "trees" not in path.parts and path.name != "lock":
            ours = sorted(p for p in (site / ".cache").rglob("*") if p.is_file() and p.parent.name == path.parent.name
                          and "trees" not in p.parts)
            for target in ours:
                target.write_bytes(path.read_bytes())
    path = sorted((site / "content" / "news").glob("a*.md"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "\n新的一段。\n", encoding="utf-8")
    build(site)
    assert_same(tree_bytes(site / "output"), clean(site, tmp_path / "clean"), "foreign cache")


def test_hand_changed_output_and_spare_tree_are_not_trusted(tmp_path):
    site = write_site(tmp_path / "site", initial_files())
    build(site)
    path = sorted((site / "content" / "news").glob("a*.md"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "\n一。\n", encoding="utf-8")
    build(site)  # now the cache holds a spare tree
    spare = next(p for p in (site / ".cache" / "trees").rglob("index.html"))
    spare.write_text("spare changed by hand", encoding="utf-8")
    (site / "output" / "index.html").write_text("changed by hand", encoding="utf-8")
    (site / "output" / "extra.html").write_text("added by hand", encoding="utf-8")
    build(site)  # nothing in content/ changed, but output/ did: it is made again
    assert_same(tree_bytes(site / "output"), clean(site, tmp_path / "clean"), "hand-changed output")
    path.write_text(path.read_text(encoding="utf-8") + "\n二。\n", encoding="utf-8")
    build(site)
    assert_same(tree_bytes(site / "output"), clean(site, tmp_path / "clean"), "after another edit")


def test_cache_option_moves_the_cache_and_no_cache_writes_none(tmp_path):
    site = write_site(tmp_path / "site", initial_files())
    build(site, "--cache", str(tmp_path / "elsewhere"))
    assert (tmp_path / "elsewhere").is_dir() and not (site / ".cache").exists()
    assert written(build(site, "--cache", str(tmp_path / "elsewhere"))) == 0
    build(site, "--no-cache", "--output", str(tmp_path / "plain"))
    assert not (site / ".cache").exists()
    assert_same(tree_bytes(tmp_path / "plain"), tree_bytes(site / "output"), "--cache and --no-cache")


def test_scheduled_article_appears_when_its_time_comes(tmp_path):
    files = {**initial_files(), "content/news/later.md": "---\ntitle: 定时发布\ndate: 2030-01-01 08:00\n---\n以后。\n"}
    site = write_site(tmp_path / "site", files)
    build(site, "--now", "2029-12-31 08:00")
    assert "定时发布" not in (site / "output" / "index.html").read_text(encoding="utf-8")
    assert written(build(site, "--now", "2029-12-31 09:00")) == 0
    build(site, "--now", "2030-01-02 08:00")
    assert "定时发布" in (site / "output" / "index.html").read_text(encoding="utf-8")


def test_a_restored_cache_writes_pages_without_rendering(tmp_path):
    """CI: a fresh checkout (no output/) with the cache restored from an archive (new inodes and times)."""
    site = write_site(tmp_path / "site", initial_files())
    build(site)
    path = sorted((site / "content" / "news").glob("a*.md"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "\n一。\n", encoding="utf-8")
    edited = int(re.search(r"；生成 (\d+) 个页面，", build(site)).group(1))
    expected = tree_bytes(site / "output")
    archive = shutil.make_archive(str(tmp_path / "cache"), "tar", site / ".cache")
    shutil.rmtree(site / ".cache")
    shutil.rmtree(site / "output")
    shutil.unpack_archive(archive, site / ".cache")
    spare = next((site / ".cache" / "trees").iterdir())
    (spare / "index.html").write_text("damaged in the archive", encoding="utf-8")
    stdout = build(site)
    # The spare tree is the site before the edit: only the pages the edit changed, and the damaged home
    # page, are rendered again; every other page comes from the cache.
    assert int(re.search(r"；生成 (\d+) 个页面，", stdout).group(1)) <= edited + 1
    assert_same(tree_bytes(site / "output"), expected, "restored cache")
