"""The search index as a build stage: deterministic whatever order the filesystem lists files in, shards
reused from the cache (one edit re-indexes one shard, and equals a clean build), corrupt entries rebuilt."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import random
import shutil
from pathlib import Path

import pytest

from helpers import copy_sample_site
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


def test_two_builds_with_the_index_are_byte_identical_whatever_the_listing_order(sample, tmp_path, monkeypatch):
    outputs = []
    for seed, jobs in ((1, 2), (2, 1)):
        with monkeypatch.context() as patch:
            Shuffled(seed).install(patch)
            report = build_site(sample, tmp_path / f"out{seed}", jobs=jobs)
        assert report.search["shards"] > 1
        outputs.append(tree(tmp_path / f"out{seed}"))
    assert any(name.startswith("pagefind/fragment/") for name in outputs[0])
    assert outputs[0].keys() == outputs[1].keys()
    assert [n for n in outputs[0] if outputs[0][n] != outputs[1][n]] == []


def fragments(out: Path) -> dict[str, dict]:
    found = {}
    for path in (out / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd"):])
        found[data["url"]] = data
    return found


def test_one_edit_re_indexes_one_shard_and_equals_a_clean_build(sample, tmp_path):
    cache = tmp_path / "cache"
    first = build_site(sample, tmp_path / "out", cache)
    assert first.search["indexed"] == first.search["shards"] > 3
    article = sample / "content" / "jiandu-gongzuo" / "zhifa-jiancha" / "2019-jiandufa-xuexi.md"
    article.write_text(article.read_text(encoding="utf-8").replace("专题讲座", "专题讲座和猕猴桃品鉴会"),
                       encoding="utf-8")
    second = build_site(sample, tmp_path / "out", cache)
    assert second.search["indexed"] == 1
    edited = fragments(tmp_path / "out")["/jiandu-gongzuo/zhifa-jiancha/2019-jiandufa-xuexi/"]
    assert "品鉴" in edited["content"].split(" ")
    clean = build_site(sample, tmp_path / "clean")
    assert tree(tmp_path / "out") == tree(tmp_path / "clean")


def test_a_corrupt_or_foreign_shard_in_the_cache_is_rebuilt(sample, tmp_path):
    cache = tmp_path / "cache"
    build_site(sample, tmp_path / "out", cache)
    entries = sorted(p for p in (cache / search.CACHE_NAMESPACE).rglob("*") if p.is_file())
    assert entries
    data = bytearray(entries[0].read_bytes())
    data[-10] ^= 0xFF  # a flipped byte: the cache's own check fails
    entries[0].write_bytes(bytes(data))
    if len(entries) > 1:  # another shard's entry under this one's key: valid bytes, wrong shard
        shutil.copy(entries[2 % len(entries)], entries[1])
    again = build_site(sample, tmp_path / "out2", cache)
    assert again.search["indexed"] >= 1
    assert tree(tmp_path / "out2") == tree(tmp_path / "out")


def test_shard_files_are_checked_before_they_are_trusted():
    files = {"pagefind.js": b"", "pagefind-worker.js": b"", "wasm.unknown.pagefind": b"",
             "pagefind.sab_1234567890ab.pf_meta": b"",
             "fragment/sab_1234567.pf_fragment": b"", "index/sab_7654321.pf_index": b"",
             "pagefind-entry.json": json.dumps({"version": search.PAGEFIND_VERSION,
                                                "languages": {"sab": {"page_count": 1}}}).encode(),
             **{search.unit_file("sab", number): b"{}" for number in range(search.UNIT_BUCKETS)}}
    assert search.check_files(dict(files), "sab", 1) is not None
    assert search.check_files({k: v for k, v in files.items() if k != search.unit_file("sab", 3)}, "sab", 1) is None
    assert search.check_files(dict(files), "sab", 2) is None
    assert search.check_files(dict(files), "sac", 1) is None
    assert search.check_files({**files, "index/sxx_1.pf_index": b""}, "sab", 1) is None
    assert search.check_files({k: v for k, v in files.items() if k != "pagefind.js"}, "sab", 1) is None


def test_shards_hold_days_of_one_year_newest_first(sample, tmp_path):
    report = build_site(sample, tmp_path / "out")
    manifest = json.loads((tmp_path / "out" / "pagefind" / search.MANIFEST).read_bytes())
    years = [shard["year"] for shard in manifest["shards"]]
    assert years == sorted(years, reverse=True)
    assert sum(shard["count"] for shard in manifest["shards"]) == report.articles
    for shard in manifest["shards"]:  # each page's section code and title length, read with the shard
        codes = json.loads((tmp_path / "out" / "pagefind" / "shards" / f"{shard['code']}.json").read_bytes())
        assert len(codes["sections"]) == shard["count"] * manifest["width"] and len(codes["titles"]) == shard["count"]
    top = [section for section in manifest["sections"] if section[1] == -1]
    assert sum(section[2] for section in top) == report.articles, "a section counts its subsections' articles"
    entry = json.loads((tmp_path / "out" / "pagefind" / "pagefind-entry.json").read_bytes())
    assert sorted(entry["languages"]) == sorted(shard["code"] for shard in manifest["shards"])
    assert not (tmp_path / "out" / "pagefind" / "filter").exists(), "no Pagefind filters: they are not deterministic"
    assert searchtext.VERSION == manifest["version"]


def test_the_shards_files_are_read_back_from_the_cache_when_written_and_a_damaged_entry_fails_cleanly(
        sample, tmp_path, monkeypatch):
    """An index of 100,000 articles is 0.8 GB: the bundle keeps each shard's digests and reads its files
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
    assert not any(name.startswith("pagefind/fragment/") for name in held.small), "shard files are not held"
    written = tree(tmp_path / "out")
    assert {name for name in written if name.startswith("pagefind/")} == set(held.digests)
    codes = {shard["code"] for shard in json.loads(written["pagefind/" + search.MANIFEST])["shards"]}
    for name in set(held.digests) - set(held.small):  # each shard's file is known by its name alone
        assert search.shard_of(name) in codes, name
        assert held.read(name) == written[name], name
    shutil.rmtree(tmp_path / "out" / "pagefind" / "fragment")  # so the next build must write them again
    before = tree(tmp_path / "out")
    with pytest.raises(BuildFailed) as failed:
        build_site(sample, tmp_path / "out", cache)
    assert "changed during the build; build again" in str(failed.value.problems[0])
    assert tree(tmp_path / "out") == before
