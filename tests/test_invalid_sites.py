"""Every folder under tests/invalid/ is a broken site; the build must print exactly its expected.txt.

Each case folder holds site.yaml, content/ and expected.txt: the `path:line:col: message` lines the editor
must see, in order, in Chinese (the command line's default language). A few cases also hold expected.en.txt: the
same lines in English, as `--lang en` prints them. A template case also holds layouts/ with just its one broken
template, laid over a copy of the repo's layouts/. The build must exit 1, print the count line, and leave an
existing output/ byte for byte as it was.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from helpers import REPO, run_cli, tree_bytes, write_site

CASES_DIR = Path(__file__).resolve().parent / "invalid"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir())
TIMING = re.compile(r"^\s+\S.*\s\d+\.\d+ s$")  # '  parse            0.01 s'
PROBLEM = re.compile(r"^(\S[^:]*):(?:(\d+):(\d+):)? (\S.*)$")  # 'path: message' where no line is named


ENGLISH_CASES = sorted(p.parent.name for p in CASES_DIR.glob("*/expected.en.txt"))


def prepare(case: str, root: Path) -> tuple[Path, list[str]]:
    """The repo's layouts/ and assets/ with the case copied over them, at root; and the case's expected lines."""
    return copy_case(case, root), expected_lines(case)


def copy_case(case: str, root: Path) -> Path:
    """The repo's layouts/ and assets/ with the case copied over them, at root."""
    write_site(root, {}, site_yaml=None)
    shutil.copytree(CASES_DIR / case, root, ignore=shutil.ignore_patterns("expected*.txt"), dirs_exist_ok=True)
    return root


def expected_lines(case: str, name: str = "expected.txt") -> list[str]:
    return (CASES_DIR / case / name).read_text(encoding="utf-8").splitlines()


def split_stderr(stderr: str) -> tuple[list[str], str]:
    """(problem lines, final count line) with the stage timing lines taken out."""
    lines = [line for line in stderr.splitlines() if not TIMING.match(line)]
    assert lines, "nothing on stderr"
    return lines[:-1], lines[-1]


def count_line(count: int, tail: str) -> str:
    return f"发现 {count} 个问题；{tail}。"


def english_count_line(count: int, tail: str) -> str:
    return f"{count} problem{'s' if count != 1 else ''} found; {tail}."


def test_cases_are_complete():
    """Every case has its expected lines and a site to build; there are cases at all."""
    assert len(CASES) >= 20
    for case in CASES:
        folder = CASES_DIR / case
        assert (folder / "site.yaml").is_file(), case
        assert (folder / "content").is_dir(), case
        lines = (folder / "expected.txt").read_text(encoding="utf-8").splitlines()
        assert lines and all(PROBLEM.match(line) for line in lines), case
        keys = [(m[1], int(m[2] or 0), int(m[3] or 0), m[4]) for m in map(PROBLEM.match, lines)]
        assert keys == sorted(keys), f"{case}: expected.txt must be in the build's order (path, line, column)"


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
    assert last == count_line(len(expected), "没有写入任何文件，output/ 保持原样")
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
    assert last == count_line(len(expected), "没有写入任何文件")
    assert not (site / "output").exists()


def test_english_cases_are_complete():
    """A few cases keep their English lines too; each is a case with Chinese lines and the same positions."""
    assert len(ENGLISH_CASES) >= 2
    for case in ENGLISH_CASES:
        english, chinese = expected_lines(case, "expected.en.txt"), expected_lines(case)
        assert english and all(PROBLEM.match(line) for line in english), case
        assert [PROBLEM.match(line).group(1, 2, 3) for line in english] == \
            [PROBLEM.match(line).group(1, 2, 3) for line in chinese], case
        assert english != chinese, case


@pytest.mark.parametrize("case", ENGLISH_CASES)
def test_build_reports_problems_in_english_with_lang_en(case, tmp_path):
    site = copy_case(case, tmp_path / "site")
    expected = expected_lines(case, "expected.en.txt")

    result = run_cli("build", "--no-search", "--lang", "en", "--site", str(site))

    assert result.returncode == 1, result.stderr
    problems, last = split_stderr(result.stderr)
    assert problems == expected
    assert last == english_count_line(len(expected), "nothing was written; output/ is as it was")
    assert not (site / "output").exists()


@pytest.mark.parametrize("case", ENGLISH_CASES)
def test_check_reports_problems_in_english_when_lang_is_english(case, tmp_path):
    site = copy_case(case, tmp_path / "site")
    expected = expected_lines(case, "expected.en.txt")

    result = run_cli("check", "--site", str(site), env={"LANG": "en_US.UTF-8"})

    assert result.returncode == 1, result.stderr
    problems, last = split_stderr(result.stderr)
    assert problems == expected
    assert last == english_count_line(len(expected), "nothing was written")


# The example lines a YAML problem shows: 'write it as A (Chinese quotes and colon) or B', or 'write it as B'.
SUGGESTIONS = [
    re.compile(r"请写成 (?P<a>.+?)（(?:改用中文引号和冒号|补上引号|补上括号)），或 (?P<b>.+?)（整个值放进英文单引号）$"),
    re.compile(r"write it as (?P<a>.+?) \((?:Chinese quotes and colon|the quote closed|the bracket closed)\) or "
               r"(?P<b>.+)$"),
    re.compile(r"(?:请写成|write it as) (?P<b>\S+: '.*')$"),
]


def suggested_lines() -> list[tuple[str, str]]:
    """(case, example line) for every example line in the expected texts."""
    found = []
    for path in sorted(CASES_DIR.glob("*/expected*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for pattern in SUGGESTIONS:
                if m := pattern.search(line):
                    found += [(path.parent.name, text) for text in m.groupdict().values() if text]
                    break
    return found


def test_every_suggested_line_reads_as_the_text_it_shows():
    """Each example line, copied as it is, must read as its key with a text value: following the advice fixes
    the line (it is not the same broken line again)."""
    suggestions = suggested_lines()
    assert len({case for case, _ in suggestions}) >= 3
    for case, line in suggestions:
        key = line.split(":", 1)[0]
        try:
            data = yaml.safe_load(line)
        except yaml.YAMLError as err:
            raise AssertionError(f"{case}: the suggested line {line!r} does not read as YAML: {err}") from None
        assert isinstance(data, dict) and list(data) == [key] and isinstance(data[key], str), (case, line)


def test_not_utf8_fixture_is_really_gbk():
    """Guards the fixture itself (a checkout that converted it would make the case meaningless)."""
    raw = (CASES_DIR / "not-utf8" / "content" / "news" / "gbk.md").read_bytes()
    lines = raw.split(b"\n")
    assert lines[3].decode("gbk") == "author: 张三"
    with pytest.raises(UnicodeDecodeError):
        lines[3].decode("utf-8")
    assert b"\r" not in raw


# (case, template, the broken text in it, the same text unbroken)
TEMPLATE_BREAKS = [
    ("template-syntax-error", "article.html", "{{ article.title }</h1>", "{{ article.title }}</h1>"),
    ("template-runtime-error", "article.html", "{{ editor_name }}", "{{ article.author }}"),
]


def test_template_cases_hold_only_their_broken_template():
    for case, template, _, _ in TEMPLATE_BREAKS:
        assert sorted(p.name for p in (CASES_DIR / case / "layouts").iterdir()) == [template]
        assert (REPO / "layouts" / template).is_file(), f"{template} no longer exists in the repo's layouts/"


@pytest.mark.parametrize("case, template, broken, fixed", TEMPLATE_BREAKS, ids=[t[0] for t in TEMPLATE_BREAKS])
def test_template_case_builds_once_its_one_break_is_undone(case, template, broken, fixed, tmp_path):
    """Control: the case's template is sound apart from the one break (refresh it if this fails)."""
    site, _ = prepare(case, tmp_path / "site")
    path = site / "layouts" / template
    text = path.read_text(encoding="utf-8")
    assert text.count(broken) == 1
    path.write_text(text.replace(broken, fixed), encoding="utf-8")

    result = run_cli("build", "--no-search", "--site", str(site))

    assert result.returncode == 0, result.stderr
    assert "正常文章" in (site / "output" / "news" / "ok" / "index.html").read_text(encoding="utf-8")
