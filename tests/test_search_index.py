"""The search index as a build stage: deterministic whatever order the filesystem lists files in, shards
reused from the cache (one edit re-indexes one shard, and equals a clean build), corrupt entries rebuilt."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import shutil
from pathlib import Path

import pytest

from helpers import article, copy_sample_site, write_site
from sitegen.cache import Cache
from sitegen.pipeline import BuildOptions, build
from sitegen import search, searchtext

REPO = Path(__file__).resolve().parents[1]
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


@pytest.fixture
def sample(tmp_path) -> Path:
    site = copy_sample_site(tmp_path / "site")
    return site


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


class Shuffled:
    """os.scandir and os.listdir answering in a random (seeded) order, as another filesystem might."""

    def __init__(self, seed: int):
        self.random = random.Random(seed)
        self.scandir, self.listdir = os.scandir, os.listdir

    def install(self, monkeypatch):
        shuffled = self

        class Entries:
            def __init__(self, path):
                entries = list(shuffled.scandir(path))
                shuffled.random.shuffle(entries)
                self.entries = iter(entries)

            def __iter__(self):
                return self

            def __next__(self):
                return next(self.entries)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

            def close(self):
                pass

        def listdir(path="."):
            names = shuffled.listdir(path)
            shuffled.random.shuffle(names)
            return names

        monkeypatch.setattr(os, "scandir", lambda path=".": Entries(path))
        monkeypatch.setattr(os, "listdir", listdir)


def build_site(site: Path, out: Path, cache: Path | None = None, jobs: int = 2):
    options = BuildOptions(output_dir=out, now=NOW, jobs=jobs, cache_dir=cache, use_cache=cache is not None)
    return build(site / "site.yaml", options)


@pytest.fixture
def small_shards(monkeypatch):
    """Shards of at most 5 articles: the sample site's 20 articles make several."""
    monkeypatch.setattr(search, "SHARD_MAX", 5)


def test_two_builds_with_the_index_are_byte_identical_whatever_the_listing_order(sample, tmp_path, monkeypatch,
                                                                                small_shards):
    outputs = []
    for seed, jobs in ((1, 2), (2, 1)):
        with monkeypatch.context() as patch:
            Shuffled(seed).install(patch)
            report = build_site(sample, tmp_path / f"out{seed}", jobs=jobs)
        assert report.search["shards"] > 1
        outputs.append(tree(tmp_path / f"out{seed}"))
    assert any(name.startswith(f"{search.BUNDLE}/") and "/f/" in name for name in outputs[0])
    assert outputs[0].keys() == outputs[1].keys()
    assert [n for n in outputs[0] if outputs[0][n] != outputs[1][n]] == []


def pages(out: Path) -> dict[str, dict]:
    """What the search page shows of each article (its f/<rank>.json), by address."""
    found = {}
    for path in (out / search.BUNDLE).glob("*/f/*.json"):
        data = json.loads(path.read_bytes())
        found[data["u"]] = data
    return found


def test_one_edit_re_indexes_one_shard_and_equals_a_clean_build(sample, tmp_path, small_shards):
    cache = tmp_path / "cache"
    first = build_site(sample, tmp_path / "out", cache)
    assert first.search["indexed"] == first.search["shards"] > 3
    article = sample / "content" / "jiandu-gongzuo" / "zhifa-jiancha" / "2019-jiandufa-xuexi.md"
    article.write_text(article.read_text(encoding="utf-8").replace("专题讲座", "专题讲座和猕猴桃品鉴会"),
                       encoding="utf-8")
    second = build_site(sample, tmp_path / "out", cache)
    assert second.search["indexed"] == 1
    edited = pages(tmp_path / "out")["jiandu-gongzuo/zhifa-jiancha/2019-jiandufa-xuexi/"]
    assert "专题讲座和猕猴桃品鉴会" in "".join(edited["f"][4])
    clean = build_site(sample, tmp_path / "clean")
    assert tree(tmp_path / "out") == tree(tmp_path / "clean")


def test_a_corrupt_or_foreign_shard_in_the_cache_is_rebuilt(sample, tmp_path, small_shards):
    cache = tmp_path / "cache"
    build_site(sample, tmp_path / "out", cache)
    entries = sorted(p for p in (cache / search.CACHE_NAMESPACE).rglob("*") if p.is_file())
    assert len(entries) > 2
    data = bytearray(entries[0].read_bytes())
    data[-10] ^= 0xFF  # a flipped byte: the cache's own check fails
    entries[0].write_bytes(bytes(data))
    shutil.copy(entries[2], entries[1])  # another shard's entry under this one's key: valid bytes, wrong shard
    again = build_site(sample, tmp_path / "out2", cache)
    assert again.search["indexed"] >= 1
    assert tree(tmp_path / "out2") == tree(tmp_path / "out")


def test_shard_files_are_checked_before_they_are_trusted():
    meta = json.dumps({"count": 2, "terms": 2, "positions": 1}).encode()
    files = {"meta.json": meta, "docs.bin": b"", "f/0.json": b"{}", "f/1.json": b"{}", "t0.bin": b"", "t1.bin": b"",
             "p0.bin": b""}
    assert search.check_files(dict(files), 2) is not None
    assert search.check_files(dict(files), 3) is None, "another number of articles"
    assert search.check_files({k: v for k, v in files.items() if k != "t1.bin"}, 2) is None
    assert search.check_files({k: v for k, v in files.items() if k != "f/1.json"}, 2) is None
    assert search.check_files({**files, "t2.bin": b""}, 2) is None, "a file the shard does not have"
    assert search.check_files({**files, "meta.json": b"{"}, 2) is None
    assert search.check_files({**files, "meta.json": json.dumps({"count": 2}).encode()}, 2) is None


def test_shards_hold_whole_days_packed_from_the_oldest_newest_first(sample, tmp_path, small_shards):
    report = build_site(sample, tmp_path / "out")
    bundle = tmp_path / "out" / search.BUNDLE
    manifest = json.loads((bundle / search.MANIFEST).read_bytes())
    assert manifest["shards"][-1]["code"] == search.PAGES, "the sample's standalone pages, listed last"
    shards = manifest["shards"][:-1]
    years = [year for shard in shards for year, _ in shard["years"]]
    assert years == sorted(years, reverse=True)
    assert all(count for shard in shards for _, count in shard["years"])
    pages_count = manifest["shards"][-1]["count"]
    assert sum(shard["count"] for shard in shards) == report.articles == manifest["articles"] - pages_count
    days = []  # each shard's days, by rank
    for shard in shards:  # each page's section code (read only to filter by section), by rank
        codes = (bundle / shard["code"] / "sections.txt").read_text()
        assert len(codes) == shard["count"] * manifest["width"] and shard["count"] <= 5
        days.append([json.loads((bundle / shard["code"] / "f" / f"{rank}.json").read_bytes())["d"][:10]
                     for rank in range(shard["count"])])
    flat = [day for shard in days for day in shard]
    assert flat == sorted(flat, reverse=True), "ranks run newest first, shard after shard"
    for newer, older in zip(days, days[1:]):
        assert newer[-1] != older[0], "a day is never split (none here has more than 5 articles)"
        assert len(older) + newer.count(newer[-1]) > 5, "an older shard takes the next day when it fits"
    top = [section for section in manifest["sections"] if section[1] == -1]
    in_sections = sum(code != search.NO_SECTION for code in (bundle / search.PAGES / "sections.txt").read_text())
    assert sum(section[2] for section in top) == report.articles + in_sections, \
        "a section counts its subsections' articles (and pages)"
    assert manifest["version"] == searchtext.VERSION + "." + search.FORMAT


def test_a_small_archive_is_one_shard_whatever_years_it_spans(sample, tmp_path):
    build_site(sample, tmp_path / "out")
    manifest = json.loads((tmp_path / "out" / search.BUNDLE / search.MANIFEST).read_bytes())
    assert [shard["code"] for shard in manifest["shards"]][1:] == [search.PAGES]
    assert len(manifest["shards"][0]["years"]) > 5


def test_the_shards_files_are_read_back_from_the_cache_when_written_and_a_damaged_entry_fails_cleanly(
        sample, tmp_path, monkeypatch):
    """An index of 100,000 articles is gigabytes: the bundle keeps each shard's digests and reads its files
    back from the cache when publish writes them. An entry damaged in between is an error, not a bad site."""
    from sitegen.problems import BuildFailed
    cache = tmp_path / "cache"
    made = []
    real = search.search_files

    def search_then(config, site, cache_, jobs=2):
        files, report = real(config, site, cache_, jobs)
        made.append(files)
        if len(made) == 2:  # the second build: damage every shard entry before publish reads them
            for entry in (cache / search.CACHE_NAMESPACE).rglob("*"):
                if entry.is_file():
                    data = bytearray(entry.read_bytes())
                    data[-5] ^= 0xFF
                    entry.write_bytes(bytes(data))
        return files, report

    monkeypatch.setattr(search, "search_files", search_then)
    build_site(sample, tmp_path / "out", cache)
    held = made[0]
    assert not any("/f/" in name for name in held.small), "shard files are not held"
    written = tree(tmp_path / "out")
    assert {name for name in written if name.startswith(search.BUNDLE + "/")} == set(held.digests)
    codes = {shard["code"] for shard in json.loads(written[f"{search.BUNDLE}/{search.MANIFEST}"])["shards"]}
    for name in set(held.digests) - set(held.small):  # each shard's file is known by its name alone
        assert search.shard_of(name) in codes, name
        assert held.read(name) == written[name], name
    for folder in (tmp_path / "out" / search.BUNDLE).glob("*/f"):  # so the next build must write them again
        shutil.rmtree(folder)
    before = tree(tmp_path / "out")
    with pytest.raises(BuildFailed) as failed:
        build_site(sample, tmp_path / "out", cache)
    assert re.fullmatch(r"search:1:1: 搜索索引生成失败：构建过程中搜索缓存（分片 (s\w+|pages)）被改动；请再构建一次",
                        str(failed.value.problems[0])), failed.value.problems
    assert tree(tmp_path / "out") == before


def page_file(title: str, body: str, **extra) -> str:
    return "\n".join(["---", f"title: {title}", "layout: page", *(f"{k}: {v}" for k, v in extra.items()), "---", "",
                      body, ""])


def test_standalone_pages_are_searched_after_the_articles_unless_they_say_search_false(tmp_path):
    """Pages of their own (layout:) are one shard, PAGES, listed last: the dated newest first, then the undated by
    address; a page in a section folder has that section's code, one at the top none; `search: false` leaves a
    page out, and an edit of a page re-indexes that shard alone."""
    site = write_site(tmp_path / "site", {
        "content/news/_index.md": "---\ntitle: 新闻\n---\n",
        "content/news/a.md": article("会议召开", "2024-05-06 07:08:09", "常委会会议在机关召开。"),
        "content/jigou.md": page_file("机构设置", "常委会办公室负责会务。"),
        "content/news/mingdan.md": page_file("代表名单", "代表名单按选区排列。", date="2023-02-01"),
        "content/lianxi.md": page_file("联系我们", "办公室电话。", search="false"),
        "content/zhinan.md": page_file("办事指南", "来访请先预约。", date="2025-03-04"),
    })
    cache = tmp_path / "cache"
    build_site(site, tmp_path / "out", cache)
    bundle = tmp_path / "out" / search.BUNDLE
    manifest = json.loads((bundle / search.MANIFEST).read_bytes())
    assert [shard["code"] for shard in manifest["shards"]][-1] == search.PAGES
    shard = manifest["shards"][-1]
    assert shard["count"] == 3 and shard["years"] == [[2025, 1], [2023, 1], [0, 1]]
    assert manifest["articles"] == 4
    shown = [json.loads((bundle / search.PAGES / "f" / f"{rank}.json").read_bytes()) for rank in range(3)]
    assert [(page["u"], page["d"], page["s"]) for page in shown] == [
        ("zhinan/", "2025-03-04", ""), ("news/mingdan/", "2023-02-01", "新闻"), ("jigou/", "", "")]
    codes = (bundle / search.PAGES / "sections.txt").read_text()
    assert codes == search.NO_SECTION + search.SECTION_CODES[0] + search.NO_SECTION
    assert manifest["sections"] == [["新闻", -1, 2, "news"]], "a section counts the pages in it"
    assert "lianxi/" not in pages(tmp_path / "out")
    (site / "content" / "jigou.md").write_text(page_file("机构设置", "常委会办公室负责会务和接待。"), encoding="utf-8")
    again = build_site(site, tmp_path / "out", cache)
    assert again.search["indexed"] == 1
    assert "接待" in "".join(pages(tmp_path / "out")["jigou/"]["f"][4])
