"""Digests remembered by stamp: a file is read again whenever its stamp moves, and a digest of a file changed
just before the build is never remembered (a change within the same clock tick would keep its stamp)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from helpers import article, run_cli, tree_bytes, write_site
from sitegen.cache import Cache
from sitegen.stamps import SETTLED_NS, Remembered, keep, recall, stamp_of
from sitegen.sources import discover_sources


def age(root: Path, seconds: float = 3600) -> None:
    """Every file under root last modified `seconds` ago (as if saved long before the build)."""
    then = time.time() - seconds
    for dirpath, _, names in os.walk(root):
        for name in names:
            os.utime(os.path.join(dirpath, name), (then, then))


def test_a_digest_is_remembered_only_for_a_settled_file(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("x")
    stamp = stamp_of(os.stat(path))
    fresh = Remembered(began_ns=stamp[1] + SETTLED_NS // 2)
    fresh.note(str(path), stamp, "d")
    assert fresh.found == {}
    settled = Remembered(began_ns=stamp[1] + 2 * SETTLED_NS)
    settled.note(str(path), stamp, "d")
    assert settled.digest(str(path), stamp) is None  # only what the last build found is trusted
    assert Remembered(known=settled.found).digest(str(path), stamp) == "d"


def test_discovery_reads_only_files_whose_stamp_moved(tmp_path):
    content = tmp_path / "content"
    write_site(tmp_path, {"content/news/a.md": article("甲"), "content/news/b.md": article("乙")})
    age(content)
    cache = Cache(tmp_path / ".cache", "v")
    first = recall(cache, "site")
    found = discover_sources(content, remembered=first)
    keep(cache, "site", first)
    assert all(f.text is not None for f in found.files)
    again = discover_sources(content, remembered=recall(cache, "site"))
    assert [f.text for f in again.files if f.rel.endswith(".md") and "_index" not in f.rel] == [None, None]
    assert [f.digest for f in again.files] == [f.digest for f in found.files]
    # the same size and mtime, other bytes: the ctime moved, so the file is read again
    target = content / "news" / "b.md"
    st = os.stat(target)
    target.write_text(target.read_text(encoding="utf-8").replace("乙", "丙"), encoding="utf-8")
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    third = discover_sources(content, remembered=recall(cache, "site"))
    changed = next(f for f in third.files if f.rel == "news/b.md")
    assert changed.text is not None and "丙" in changed.text


def test_a_build_after_an_edit_that_keeps_size_and_mtime_matches_a_clean_build(tmp_path):
    site = tmp_path / "site"
    write_site(site, {"content/_index.md": "---\ntitle: 首页\n---\n", "content/news/_index.md": "---\ntitle: 要闻\n---\n",
                      "content/news/a.md": article("甲"), "content/news/b.md": article("乙")})
    age(site)

    def build(*extra):
        result = run_cli("build", "--no-search", "--site", str(site), *extra)
        assert result.returncode == 0, result.stderr

    build()
    build()  # the second build takes every digest from the first one's stamps
    target = site / "content" / "news" / "b.md"
    st = os.stat(target)
    target.write_text(target.read_text(encoding="utf-8").replace("乙", "丙"), encoding="utf-8")
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    build()
    warm = tree_bytes(site / "output")
    build("--no-cache", "--output", str(tmp_path / "clean"))
    assert warm == tree_bytes(tmp_path / "clean")
    assert any("丙".encode() in data for data in warm.values())
