"""publish: the spare tree's fill by hard links, in one worker or several."""

from __future__ import annotations

import os

import pytest

from sitegen.publish import link_tree


@pytest.mark.parametrize("jobs", [1, 2])
def test_link_tree_links_every_file_into_the_same_folders(tmp_path, jobs):
    source, target = tmp_path / "output", tmp_path / "spare"
    files = ["index.html", "feed.xml"] + [f"jiandu/{n % 7}/{n}/index.html" for n in range(300)] + \
        [f"images/2024/{n}.jpg" for n in range(40)]
    for rel in files:
        (source / rel).parent.mkdir(parents=True, exist_ok=True)
        (source / rel).write_text(f"第{rel}页", encoding="utf-8")
    link_tree(source, target, files, jobs=jobs, shared_from=100)
    made = sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file())
    assert made == sorted(files)
    assert all(os.stat(source / rel).st_ino == os.stat(target / rel).st_ino for rel in files)  # links, not copies
