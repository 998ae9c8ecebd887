"""The progress line (quiet in CI logs), the writer's record of what it wrote, and redirect keys of old addresses."""

from __future__ import annotations

import io

from sitegen.importer.progress import Progress
from sitegen.importer.record import load_record
from sitegen.importer.writer import apply
from sitegen.messages import language_named
from sitegen.redirects import redirect_key


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_in_a_log_is_at_most_ten_lines():
    log = io.StringIO()
    progress = Progress(10_000, log, language_named("zh"))
    for done in range(0, 10_001, 100):
        progress.update(done)
    progress.close()
    lines = log.getvalue().splitlines()
    assert lines[0] == "导入：1000/10000 个页面（10%）" and lines[-1] == "导入：10000/10000 个页面（100%）"
    assert len(lines) == 10


def test_progress_on_a_terminal_redraws_one_line_and_small_copies_show_nothing():
    screen = Terminal()
    progress = Progress(1000, screen, language_named("en"))
    progress.update(1000)
    progress.close()
    assert screen.getvalue() == "\rimport: 1000/1000 pages (100%)\n"
    quiet = io.StringIO()
    small = Progress(50, quiet, language_named("zh"))
    small.update(50)
    assert quiet.getvalue() == ""


def run(site, planned, force=False, dry_run=False, removals=None):
    return apply(site, planned, load_record(site), force, dry_run, removals=removals)


def test_writer_updates_its_own_files_keeps_edited_and_foreign_ones_and_removes_nothing_unasked(tmp_path):
    first = run(tmp_path, {"content/a.md": b"A1", "content/b.md": b"B1", "content/c.md": b"C1"})
    assert first.created == ["content/a.md", "content/b.md", "content/c.md"]
    (tmp_path / "content/b.md").write_bytes(b"B edited")
    (tmp_path / "content/d.md").write_bytes(b"the editor's own")
    second = run(tmp_path, {"content/a.md": b"A2", "content/b.md": b"B2", "content/d.md": b"D"})
    assert second.updated == ["content/a.md"]
    assert second.kept == [("content/b.md", "edited"), ("content/d.md", "foreign")]
    assert second.removed == [] and (tmp_path / "content/c.md").read_bytes() == b"C1"  # another run's: stays
    assert (tmp_path / "content/b.md").read_bytes() == b"B edited"
    assert (tmp_path / "content/d.md").read_bytes() == b"the editor's own"
    assert set(load_record(tmp_path)) == {"content/a.md", "content/b.md", "content/c.md"}
    forced = run(tmp_path, {"content/a.md": b"A2", "content/b.md": b"B2", "content/d.md": b"D"}, force=True)
    assert forced.forced == ["content/b.md", "content/d.md"] and (tmp_path / "content/d.md").read_bytes() == b"D"


def test_removals_only_of_untouched_files_and_prune_never_of_an_edited_one(tmp_path):
    run(tmp_path, {"content/a.md": b"A", "content/b.md": b"B", "content/c.md": b"C"})
    (tmp_path / "content/b.md").write_bytes(b"B edited")
    (tmp_path / "content/c.md").write_bytes(b"C edited")
    result = run(tmp_path, {}, force=True, removals={"content/a.md": "prune", "content/b.md": "prune",
                                                     "content/c.md": "move"})
    assert result.removed == ["content/a.md", "content/c.md"]  # --force moves an edited article, never prunes it
    assert result.kept == [("content/b.md", "edited-stays")]
    assert sorted(p.name for p in (tmp_path / "content").iterdir()) == ["b.md"]
    assert set(load_record(tmp_path)) == {"content/b.md"}


def test_a_dry_run_decides_the_same_and_writes_nothing(tmp_path):
    result = run(tmp_path, {"content/a.md": b"A"}, dry_run=True)
    assert result.created == ["content/a.md"] and list(tmp_path.iterdir()) == []
    run(tmp_path, {"content/a.md": b"A", "content/b.md": b"B"})
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    dry = run(tmp_path, {"content/a.md": b"A2"}, dry_run=True, removals={"content/b.md": "prune"})
    assert (dry.updated, dry.removed) == (["content/a.md"], ["content/b.md"])
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_a_version_1_record_is_read():
    import json
    from sitegen.importer.record import Entry, _entry
    assert _entry("abc") == Entry("abc")
    assert _entry(json.loads('{"digest": "d", "title": "t", "date": "2019-11-08", "aliases": ["/a.htm"], '
                             '"sources": {"/src": ["x.htm"]}, "written_from": "/src"}')) == \
        Entry("d", "t", "2019-11-08", ("/a.htm",), (("/src", ("x.htm",)),), "/src")
    assert _entry({"no": "digest"}) is None


def test_redirect_keys_normalise_old_addresses():
    assert redirect_key("/Show.ASP?ID=77") == "/show.asp?id=77"
    assert redirect_key("/show.asp?id=77&classid=3") == redirect_key("/show.asp?classid=3&id=77&")
    assert redirect_key("/news/%E4%BC%9A%E8%AE%AE.asp?kw=a+b") == "/news/会议.asp?kw=a b"
    assert redirect_key("/list/?page=2") == "/list?page=2"
    assert redirect_key("/a.jsp?articleId=555") == "/a.jsp?articleid=555"
