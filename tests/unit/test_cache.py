"""The persistent cache: hits, misses, and entries that must never be trusted."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.cache import Cache, code_version, pack_files, unpack_files


def test_round_trip_and_miss(tmp_path):
    cache = Cache(tmp_path / "c", "v1")
    key = cache.key("parse", b"bytes", "文本", 3)
    assert cache.get("parse", key) is None
    cache.put("parse", key, b"value")
    assert cache.get("parse", key) == b"value"
    assert cache.get("other", key) is None


def test_an_entry_written_in_pieces_is_the_entry_put_whole(tmp_path):
    cache = Cache(tmp_path / "c", "v1")
    pieces = [b"manifest ", "清单".encode(), b"", bytes(range(256)) * 300]

    def write(out):
        for piece in pieces:
            out.write(piece)

    stored = cache.put_written("output", cache.key("m"), write)
    assert cache.get("output", cache.key("m")) == b"".join(pieces)
    assert Path(cache.path("output", cache.key("m"))).read_bytes() == b"SGC2" + stored + b"".join(pieces)
    assert stored == cache.put("output", cache.key("m"), b"".join(pieces))  # the same header digest


def test_an_entry_whose_writing_fails_leaves_no_file(tmp_path):
    cache = Cache(tmp_path / "c", "v1")

    def write(out):
        out.write(b"half")
        raise ValueError("cannot pickle")

    with pytest.raises(ValueError):
        cache.put_written("output", cache.key("m"), write)
    assert cache.get("output", cache.key("m")) is None
    assert [p for p in (tmp_path / "c").rglob("*") if p.is_file()] == []


def test_keys_depend_on_every_part_and_the_code_version(tmp_path):
    one, two = Cache(tmp_path, "v1"), Cache(tmp_path, "v2")
    assert one.key("a", "b") != one.key("ab")  # parts are framed, not concatenated
    assert one.key("a") != two.key("a")
    assert one.key("a") == Cache(tmp_path, "v1").key("a")


def test_corrupt_truncated_and_foreign_entries_are_misses(tmp_path):
    cache = Cache(tmp_path, "v")
    first, second = cache.key(1), cache.key(2)
    cache.put("ns", first, b"first value")
    cache.put("ns", second, b"second value")
    path = Path(cache.path("ns", first))
    raw = path.read_bytes()
    path.write_bytes(raw[:-1] + bytes([raw[-1] ^ 1]))
    assert cache.get("ns", first) is None
    path.write_bytes(raw[:10])
    assert cache.get("ns", first) is None
    path.write_bytes(Path(cache.path("ns", second)).read_bytes())  # another key's entry copied over
    assert cache.get("ns", first) is None
    assert cache.get("ns", second) == b"second value"


def test_disabled_cache_stores_nothing(tmp_path):
    cache = Cache(None)
    cache.put("ns", cache.key(1), b"x")
    assert cache.get("ns", cache.key(1)) is None and not cache.enabled


def test_unwritable_cache_is_ignored(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    cache = Cache(tmp_path / "file", "v")
    cache.put("ns", cache.key(1), b"x")  # no exception: a cache only saves time
    assert cache.get("ns", cache.key(1)) is None


def test_files_round_trip_sorted_and_safe(tmp_path):
    cache = Cache(tmp_path, "v")
    files = {"b/x.pf_index": b"\x00\x01", "a.json": "{}".encode()}
    cache.put_files("search", cache.key("s"), files)
    assert cache.get_files("search", cache.key("s")) == files
    assert pack_files(files) == pack_files(dict(reversed(files.items())))
    assert unpack_files(pack_files({"../evil": b""})) is None
    assert unpack_files(pack_files(files)[:-1]) is None


def test_code_version_is_stable():
    assert code_version() == code_version()


def test_a_build_changing_the_spare_tree_marks_the_manifest_untrusted_until_it_saves(tmp_path):
    """The mark is all a build killed while it changes the spare tree leaves: the next build trusts neither
    that tree nor the fingerprint, and the manifest itself is written only once per build."""
    from sitegen.publish import Manifest, changing_key, load_manifest, save_manifest
    cache, out = Cache(tmp_path / "cache", "v"), tmp_path / "output"
    save_manifest(cache, out, Manifest(live="the live tree", spare="the spare tree", fingerprint=b"f"))
    assert load_manifest(cache, out).spare == "the spare tree"
    cache.put("output", changing_key(cache, out), b"")  # a build starts changing the spare tree
    assert load_manifest(cache, out) == Manifest(live="the live tree")
    save_manifest(cache, out, Manifest(live="new", spare="old", fingerprint=b"g"))  # and finishes
    assert load_manifest(cache, out) == Manifest(live="new", spare="old", fingerprint=b"g")
    cache.remove("output", changing_key(cache, out))  # removing what is not there is no error


def test_keys_sharing_their_first_parts_are_the_keys_of_all_the_parts():
    cache = Cache(None, "v")
    assert cache.keys("parse", "options")("a.md", "digest") == cache.key("parse", "options", "a.md", "digest")
    assert cache.keys("parse")("a.md") != cache.keys("parse")("b.md")


def test_installed_versions_are_importlib_metadata_s():
    from importlib import metadata

    from sitegen.cache import PACKAGES, _normal, installed_versions
    found = installed_versions()
    assert {name: found.get(_normal(name)) for name in PACKAGES} == {name: metadata.version(name) for name in PACKAGES}
