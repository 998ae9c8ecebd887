"""The command line as an editor meets it: help, usage errors, progress and summary lines, exit codes."""

from __future__ import annotations

import re

import pytest

from helpers import article, run_cli, tree_bytes

COMMANDS = ["build", "check", "serve", "new"]
STAGE_LINE = re.compile(r"^  (\S.*?)\s+(\d+\.\d\d) s$")


def small_site(make_site):
    return make_site({
        "content/news/_index.md": "---\ntitle: 新闻\nweight: 1\n---\n",
        "content/work/_index.md": "---\ntitle: 工作\nweight: 2\n---\n",
        "content/work/laws/_index.md": "---\ntitle: 法律\nweight: 3\n---\n",
        "content/news/a.md": article("第一篇", "2020-01-02 03:04:05"),
        "content/news/b.md": article("第二篇", "2020-01-03"),
        "content/work/laws/c.md": article("第三篇", "2021-01-03 10:00"),
    })


def test_top_level_help_lists_commands_and_examples():
    result = run_cli("--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: build.py")
    for command in COMMANDS:
        assert re.search(rf"^\s+{command}\s+\S", result.stdout, re.M), f"{command} not listed"
    assert "examples:" in result.stdout
    assert "python build.py build --no-search" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_help_with_examples(command):
    result = run_cli(command, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: build.py {command}")
    assert re.search(r"^examples?:\n  python build\.py " + command + r"\b", result.stdout, re.M), (
        f"'build.py {command} --help' shows no example of '{command}':\n{result.stdout}")


def test_options_are_explained_in_help():
    out = run_cli("build", "--help").stdout
    for option in ["--site", "--output", "--base-url", "--jobs", "--drafts", "--future", "--broken-links",
                   "--now", "--no-search"]:
        assert option in out, option
    serve = run_cli("serve", "--help").stdout
    assert "--host" in serve and "default: 127.0.0.1" in serve
    assert "--port" in serve and "default: 8000" in serve
    new = run_cli("new", "--help").stdout
    assert "--title" in new and "--slug" in new and "section" in new


def test_unknown_command_exits_2_naming_it_and_the_choices():
    result = run_cli("frobnicate")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "build.py: error:" in result.stderr
    assert "invalid choice: 'frobnicate'" in result.stderr
    for command in COMMANDS:
        assert f"'{command}'" in result.stderr


def test_missing_command_exits_2():
    result = run_cli()
    assert result.returncode == 2
    assert "usage: build.py" in result.stderr and "COMMAND" in result.stderr


@pytest.mark.parametrize("argv, words", [
    (["build", "--frob"], ["unrecognized arguments: --frob"]),
    (["check", "--no-such-option"], ["unrecognized arguments: --no-such-option"]),
    (["build", "--broken-links", "ignore"], ["--broken-links", "invalid choice: 'ignore'"]),
    (["serve", "--port", "abc"], ["--port", "invalid int value: 'abc'"]),
    (["new"], ["required", "section"]),
])
def test_unknown_or_wrong_option_exits_2_with_a_clear_message(argv, words, tmp_path):
    result = run_cli(*argv, cwd=tmp_path)
    assert result.returncode == 2, result
    assert result.stdout == ""
    assert "build.py" in result.stderr and "error:" in result.stderr
    for word in words:
        assert word in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "output").exists()


def test_build_prints_stage_lines_and_a_summary(make_site):
    site = small_site(make_site)
    result = run_cli("build", "--no-search", "--site", str(site))
    assert result.returncode == 0, result.stderr
    stages = [STAGE_LINE.match(line) for line in result.stderr.splitlines()]
    assert all(stages), f"unexpected lines on stderr:\n{result.stderr}"
    assert [m.group(1) for m in stages] == ["read", "parse", "plan", "render+write"]
    output = site / "output"
    files = tree_bytes(output)
    assets = [p for p in (site / "assets").rglob("*") if p.is_file()]
    lines = result.stdout.splitlines()
    assert len(lines) == 2, result.stdout
    summary = re.fullmatch(r"Built (\d+) articles in (\d+) sections and (\d+) assets: (\d+) pages rendered, "
                           r"(\d+) files written \((\d+\.\d) MB\), in (.+) \((\d+\.\d\d) s\)\.", lines[0])
    assert summary, lines[0]
    assert summary.group(1) == "3"
    assert summary.group(2) == "3"  # news, work, work/laws
    assert int(summary.group(4)) == len(files) - len(assets)
    assert int(summary.group(3)) == len(assets)
    assert int(summary.group(5)) == len(files)
    assert summary.group(7) == str(output)
    per_stage = re.fullmatch(r"Time per stage: read (\d+\.\d\d) s, parse (\d+\.\d\d) s, plan (\d+\.\d\d) s, "
                             r"render\+write (\d+\.\d\d) s\.", lines[1])
    assert per_stage, lines[1]
    assert [float(x) for x in per_stage.groups()] == [float(m.group(2)) for m in stages]


def test_build_with_search_adds_the_search_stage(make_site):
    site = small_site(make_site)
    result = run_cli("build", "--site", str(site))
    assert result.returncode == 0, result.stderr
    stages = [STAGE_LINE.match(line).group(1) for line in result.stderr.splitlines()]
    assert stages == ["read", "parse", "plan", "search index", "render+write"]
    assert re.search(r", search index \d+ files \d+\.\d MB, in ", result.stdout)
    assert "search index" in result.stdout.splitlines()[1]
    assert (site / "output" / "search-index" / "manifest.json").is_file()


def test_check_prints_a_one_line_summary_and_writes_nothing(make_site):
    site = small_site(make_site)
    result = run_cli("check", "--site", str(site))
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"No problems: 3 articles in 3 sections, \d+ pages \(\d+\.\d\d s\)\.\n", result.stdout)
    assert [STAGE_LINE.match(line).group(1) for line in result.stderr.splitlines()] == [
        "read", "parse", "plan", "render"]
    assert not (site / "output").exists()


def test_problems_exit_1_and_nothing_is_written(make_site):
    site = small_site(make_site)
    (site / "content/news/bad.md").write_text("---\ntitle: 坏\ndate: 2020-13-45\n---\n正文\n", encoding="utf-8")
    (site / "content/news/worse.md").write_text("---\ndate: 2020-01-01\n---\n正文\n", encoding="utf-8")
    result = run_cli("build", "--no-search", "--site", str(site))
    assert result.returncode == 1
    problems = [line for line in result.stderr.splitlines() if not STAGE_LINE.match(line)]
    assert re.match(r"content/news/bad\.md:3:7: 'date' must be a date", problems[0]), problems
    assert problems[1].startswith("content/news/worse.md:"), problems
    assert "title" in problems[1]
    assert problems[-1] == "2 problems found; nothing was written; output/ is as it was."
    assert len(problems) == 3
    assert result.stdout == ""
    assert not (site / "output").exists()
    assert not list(site.glob(".output*")), "a staging folder was left behind"


def test_failed_build_leaves_the_previous_output_as_it_was(make_site):
    site = small_site(make_site)
    assert run_cli("build", "--no-search", "--site", str(site)).returncode == 0
    before = tree_bytes(site / "output")
    (site / "content/news/a.md").write_text("---\ntitle: [坏\n---\n", encoding="utf-8")
    result = run_cli("build", "--no-search", "--site", str(site))
    assert result.returncode == 1
    assert "nothing was written; output/ is as it was." in result.stderr
    assert tree_bytes(site / "output") == before
    check = run_cli("check", "--site", str(site))
    assert check.returncode == 1
    assert check.stderr.splitlines()[-1] == "1 problem found; nothing was written."


def test_a_missing_site_is_a_problem_not_a_traceback(tmp_path):
    result = run_cli("build", "--site", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert result.returncode == 1
    assert "site.yaml:1:1: " in result.stderr and "not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_now_is_an_error(make_site):
    site = small_site(make_site)
    result = run_cli("build", "--no-search", "--site", str(site), "--now", "yesterday")
    assert result.returncode != 0
    assert "--now 'yesterday' is not a date" in result.stderr
    assert not (site / "output").exists()


def test_a_bad_now_is_a_usage_error():
    result = run_cli("build", "--no-search", "--now", "garbage")
    assert result.returncode == 2
    assert result.stderr.strip() == "build.py: error: --now 'garbage' is not a date such as 2026-01-31 12:00"
