"""The progress line (quiet in CI logs), the writer's record of what it wrote, and redirect keys of old addresses."""

from __future__ import annotations

import io

from sitegen.importer.progress import Progress
from sitegen.importer.writer import apply, load_record
from sitegen.redirects import redirect_key


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_in_a_log_is_at_most_ten_lines():
    log = io.StringIO()
    progress = Progress(10_000, log)
    for done in range(0, 10_001, 100):
        progress.update(done)
    progress.close()
    lines = log.getvalue().splitlines()
    assert lines[0] == "import: 1000/10000 pages (10%)" and lines[-1] == "import: 10000/10000 pages (100%)"
    assert len(lines) == 10


def test_progress_on_a_terminal_redraws_one_line_and_small_copies_show_nothing():
    screen = Terminal()
    progress = Progress(1000, screen)
    progress.update(1000)
    progress.close()
    assert screen.getvalue() == "\rimport: 1000/1000 pages (100%)\n"
    quiet = io.StringIO()
    small = Progress(50, quiet)
    small.update(50)
    assert quiet.getvalue() == ""


def test_writer_updates_its_own_files_keeps_edited_and_foreign_ones_and_removes_stale_ones(tmp_path):
    first = apply(tmp_path, {"content/a.md": b"A1", "content/b.md": b"B1", "content/c.md": b"C1"}, False, False)
    assert first.created == ["content/a.md", "content/b.md", "content/c.md"]
    (tmp_path / "content/b.md").write_bytes(b"B edited")
    (tmp_path / "content/d.md").write_bytes(b"the editor's own")
    second = apply(tmp_path, {"content/a.md": b"A2", "content/b.md": b"B2", "content/d.md": b"D"}, False, False)
    assert second.updated == ["content/a.md"]
    assert second.kept == [("content/b.md", "changed since the last import"), ("content/d.md", "not written by the importer")]
    assert second.removed == ["content/c.md"] and not (tmp_path / "content/c.md").exists()
    assert (tmp_path / "content/b.md").read_bytes() == b"B edited"
    assert (tmp_path / "content/d.md").read_bytes() == b"the editor's own"
    assert set(load_record(tmp_path)) == {"content/a.md", "content/b.md"}
    forced = apply(tmp_path, {"content/a.md": b"A2", "content/b.md": b"B2", "content/d.md": b"D"}, True, False)
    assert forced.forced == ["content/b.md", "content/d.md"] and (tmp_path / "content/d.md").read_bytes() == b"D"


def test_a_dry_run_writes_nothing(tmp_path):
    result = apply(tmp_path, {"content/a.md": b"A"}, False, True)
    assert result.created == ["content/a.md"] and list(tmp_path.iterdir()) == []


def test_redirect_keys_normalise_old_addresses():
    assert redirect_key("/Show.ASP?ID=77") == "/show.asp?id=77"
    assert redirect_key("/show.asp?id=77&classid=3") == redirect_key("/show.asp?classid=3&id=77&")
    assert redirect_key("/news/%E4%BC%9A%E8%AE%AE.asp?kw=a+b") == "/news/会议.asp?kw=a b"
    assert redirect_key("/list/?page=2") == "/list?page=2"
    assert redirect_key("/a.jsp?articleId=555") == "/a.jsp?articleid=555"
