"""Every folder under tests/invalid/ is a broken site; the build must print exactly its expected.txt.

Each case folder holds site.yaml, content/ (and layouts/ only when the case is about templates) and
expected.txt: the `path:line:col: message` lines the editor must see, in order. The build must exit 1,
print the count line, and leave an existing output/ byte for byte as it was.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, run_cli, tree_bytes, write_site

CASES_DIR = Path(__file__).resolve().parent / "invalid"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir())
TIMING = re.compile(r"^\s+\S.*\s\d+\.\d+ s$")  # '  parse            0.01 s'


def prepare(case: str, root: Path) -> tuple[Path, list[str]]:
    """The case copied to root, with the repo's layouts/ and assets/ where it has none; its expected lines."""
    shutil.copytree(CASES_DIR / case, root, ignore=shutil.ignore_patterns("expected.txt"))
    write_site(root, {}, site_yaml=None, layouts=not (root / "layouts").exists(),
               assets=not (root / "assets").exists())
    expected = (CASES_DIR / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    return root, expected


def split_stderr(stderr: str) -> tuple[list[str], str]:
    """(problem lines, final count line) with the stage timing lines taken out."""
    lines = [line for line in stderr.splitlines() if not TIMING.match(line)]
    assert lines, "nothing on stderr"
    return lines[:-1], lines[-1]


def count_line(count: int, tail: str) -> str:
    return f"{count} problem{'s' if count != 1 else ''} found; {tail}."


def test_cases_are_complete():
    """Every case has its expected lines and a site to build; there are cases at all."""
    assert len(CASES) >= 20
    for case in CASES:
        folder = CASES_DIR / case
        assert (folder / "site.yaml").is_file(), case
        assert (folder / "content").is_dir(), case
        lines = (folder / "expected.txt").read_text(encoding="utf-8").splitlines()
        assert lines and all(re.match(r"^\S[^:]*:\d+:\d+: \S", line) for line in lines), case
        assert lines == sorted(lines), f"{case}: expected.txt must be in the build's (sorted) order"


@pytest.mark.parametrize("case", CASES)
def test_build_reports_problems_and_keeps_output(case, tmp_path):
    site, expected = prepare(case, tmp_path / "site")
    output = site / "output"
    (output / "news" / "old").mkdir(parents=True)
    (output / "index.html").write_bytes(b"<!doctype html><title>old site</title>\n")
    (output / "news" / "old" / "index.html").write_bytes("旧文章\r\n".encode("utf-8"))
    (output / "marker.bin").write_bytes(bytes(range(256)))
    before = tree_bytes(output)

    result = run_cli("build", "--no-search", "--site", str(site))

    assert result.returncode == 1, result.stderr
    problems, last = split_stderr(result.stderr)
    assert problems == expected
    assert last == count_line(len(expected), "nothing was written; output/ is as it was")
    assert result.stdout == ""
    assert tree_bytes(output) == before
    leftovers = sorted(p.name for p in site.iterdir() if p.name.startswith("."))
    assert leftovers == [], "a staging or .previous folder was left beside output/"


@pytest.mark.parametrize("case", CASES)
def test_check_reports_the_same_problems(case, tmp_path):
    site, expected = prepare(case, tmp_path / "site")

    result = run_cli("check", "--site", str(site))

    assert result.returncode == 1, result.stderr
    problems, last = split_stderr(result.stderr)
    assert problems == expected
    assert last == count_line(len(expected), "nothing was written")
    assert not (site / "output").exists()


def test_not_utf8_fixture_is_really_gbk():
    """Guards the fixture itself (a checkout that converted it would make the case meaningless)."""
    raw = (CASES_DIR / "not-utf8" / "content" / "news" / "gbk.md").read_bytes()
    lines = raw.split(b"\n")
    assert lines[3].decode("gbk") == "author: 张三"
    with pytest.raises(UnicodeDecodeError):
        lines[3].decode("utf-8")
    assert b"\r" not in raw


def test_template_cases_break_one_template_only():
    """The template cases differ from the repo's layouts in exactly one file."""
    for case, broken in (("template-syntax-error", "article.html"), ("template-runtime-error", "article.html")):
        own = CASES_DIR / case / "layouts"
        names = sorted(p.name for p in own.iterdir())
        assert names == sorted(p.name for p in (REPO / "layouts").iterdir()), case
        differing = [n for n in names if (own / n).read_bytes() != (REPO / "layouts" / n).read_bytes()]
        assert differing == [broken], case
