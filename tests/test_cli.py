"""The command line as an editor meets it: help, usage errors, progress and summary lines, exit codes; in Chinese
(its default, also with LANG=C), and in English with --lang en or an English LANG."""

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
    assert result.stdout.startswith("用法：build.py")
    for command in COMMANDS:
        assert re.search(rf"^\s+{command}\s+\S", result.stdout, re.M), f"{command} not listed"
    assert "\n示例：\n" in result.stdout
    assert "  python build.py build --no-search          更快：不生成搜索索引\n" in result.stdout
    assert result.stderr == ""


def test_top_level_help_in_english():
    result = run_cli("--help", "--lang", "en")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: build.py")
    for command in COMMANDS:
        assert re.search(rf"^\s+{command}\s+\S", result.stdout, re.M), f"{command} not listed"
    assert "\nexamples:\n" in result.stdout
    assert "  python build.py build --no-search          quicker: skip the search index\n" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_help_with_examples(command):
    result = run_cli(command, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"用法：build.py {command}")
    assert re.search(r"^示例：\n  python build\.py " + command + r"\b", result.stdout, re.M), (
        f"'build.py {command} --help' shows no example of '{command}':\n{result.stdout}")


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_help_with_examples_in_english(command):
    result = run_cli(command, "--help", env={"LANG": "en_US.UTF-8"})
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
    assert "--host HOST           监听的地址（默认：127.0.0.1，只有本机能访问）\n" in serve
    assert "--port PORT           端口（默认：8000；0 表示自动选一个空闲端口）\n" in serve
    new = run_cli("new", "--help").stdout
    assert "--title 标题" in new and "--slug 名称" in new
    assert "栏目：中文名称（人大要闻）或 content/ 下的文件夹名（renda-yaowen）" in new
    english = run_cli("serve", "--help", "--lang", "en").stdout
    assert "--host" in english and "default: 127.0.0.1" in english
    assert "--port" in english and "default: 8000" in english


def test_unknown_command_exits_2_naming_it_and_the_choices():
    result = run_cli("frobnicate")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        "build.py：错误：参数 命令：无效的选择：'frobnicate'（可选：'build', 'check', 'serve', 'new', 'publish', 'import'）")


def test_unknown_command_in_english():
    result = run_cli("frobnicate", "--lang", "en")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "build.py: error:" in result.stderr
    assert "invalid choice: 'frobnicate'" in result.stderr
    for command in COMMANDS:
        assert f"'{command}'" in result.stderr


def test_missing_command_exits_2():
    result = run_cli()
    assert result.returncode == 2
    assert result.stderr == "用法：build.py [-h] [--lang {zh,en}] 命令 ...\nbuild.py：错误：缺少必须的参数：命令\n"
    english = run_cli(env={"LANG": "en_US.UTF-8"})
    assert english.returncode == 2
    assert "usage: build.py" in english.stderr and "COMMAND" in english.stderr


@pytest.mark.parametrize("argv, error", [
    (["build", "--frob"], "build.py：错误：不认识的参数：--frob"),
    (["check", "--no-such-option"], "build.py：错误：不认识的参数：--no-such-option"),
    (["build", "--broken-links", "ignore"], "build.py build：错误：参数 --broken-links：无效的选择：'ignore'（可选：'error', 'warn'）"),
    (["serve", "--port", "abc"], "build.py serve：错误：参数 --port：无效的值：'abc'"),
    (["new"], "build.py new：错误：缺少必须的参数：栏目"),
])
def test_unknown_or_wrong_option_exits_2_with_a_clear_message(argv, error, tmp_path):
    result = run_cli(*argv, cwd=tmp_path)
    assert result.returncode == 2, result
    assert result.stdout == ""
    assert result.stderr.startswith("用法：build.py")
    assert result.stderr.splitlines()[-1] == error
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize("argv, words", [
    (["build", "--frob"], ["unrecognized arguments: --frob"]),
    (["check", "--no-such-option"], ["unrecognized arguments: --no-such-option"]),
    (["build", "--broken-links", "ignore"], ["--broken-links", "invalid choice: 'ignore'"]),
    (["serve", "--port", "abc"], ["--port", "invalid value: 'abc'"]),
    (["new"], ["required", "SECTION"]),
])
def test_unknown_or_wrong_option_in_english(argv, words, tmp_path):
    result = run_cli(*argv, "--lang", "en", cwd=tmp_path)
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
    assert [m.group(1) for m in stages] == ["读取", "解析", "规划", "生成并写入"]
    output = site / "output"
    files = tree_bytes(output)
    assets = [p for p in (site / "assets").rglob("*") if p.is_file()]
    lines = result.stdout.splitlines()
    assert len(lines) == 2, result.stdout
    summary = re.fullmatch(r"已生成网站：(?P<sections>\d+) 个栏目共 (?P<articles>\d+) 篇文章，(?P<assets>\d+) 个资源文件；"
                           r"生成 (?P<pages>\d+) 个页面，写入 (?P<files>\d+) 个文件（(?P<mb>\d+\.\d) MB），"
                           r"位于 (?P<output>.+)（(?P<seconds>\d+\.\d\d) 秒）。", lines[0])
    assert summary, lines[0]
    assert summary["articles"] == "3"
    assert summary["sections"] == "3"  # news, work, work/laws
    assert int(summary["pages"]) == len(files) - len(assets)
    assert int(summary["assets"]) == len(assets)
    assert int(summary["files"]) == len(files)
    assert summary["output"] == str(output)
    per_stage = re.fullmatch(r"各步骤用时：读取 (\d+\.\d\d) 秒、解析 (\d+\.\d\d) 秒、规划 (\d+\.\d\d) 秒、"
                             r"生成并写入 (\d+\.\d\d) 秒。", lines[1])
    assert per_stage, lines[1]
    assert [float(x) for x in per_stage.groups()] == [float(m.group(2)) for m in stages]


def test_build_prints_stage_lines_and_a_summary_in_english(make_site):
    site = small_site(make_site)
    result = run_cli("build", "--no-search", "--site", str(site), "--lang", "en")
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
    assert stages == ["读取", "解析", "规划", "搜索索引", "生成并写入"]
    assert re.search(r"），搜索索引 \d+ 个文件 \d+\.\d MB，位于 ", result.stdout)
    assert "、搜索索引 " in result.stdout.splitlines()[1]
    assert (site / "output" / "search-index" / "manifest.json").is_file()


def test_check_prints_a_one_line_summary_and_writes_nothing(make_site):
    site = small_site(make_site)
    result = run_cli("check", "--site", str(site))
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"没有问题：3 个栏目共 3 篇文章，\d+ 个页面（\d+\.\d\d 秒）。\n", result.stdout)
    assert [STAGE_LINE.match(line).group(1) for line in result.stderr.splitlines()] == [
        "读取", "解析", "规划", "生成页面"]
    assert not (site / "output").exists()
    english = run_cli("check", "--site", str(site), "--lang", "en")
    assert re.fullmatch(r"No problems: 3 articles in 3 sections, \d+ pages \(\d+\.\d\d s\)\.\n", english.stdout)
    assert [STAGE_LINE.match(line).group(1) for line in english.stderr.splitlines()] == [
        "read", "parse", "plan", "render"]


def test_problems_exit_1_and_nothing_is_written(make_site):
    site = small_site(make_site)
    (site / "content/news/bad.md").write_text("---\ntitle: 坏\ndate: 2020-13-45\n---\n正文\n", encoding="utf-8")
    (site / "content/news/worse.md").write_text("---\ndate: 2020-01-01\n---\n正文\n", encoding="utf-8")
    result = run_cli("build", "--no-search", "--site", str(site))
    assert result.returncode == 1
    problems = [line for line in result.stderr.splitlines() if not STAGE_LINE.match(line)]
    assert problems == [
        "content/news/bad.md:3:7: “date”应该是日期，例如 2019-11-08 11:25:53；“2020-13-45”这个日期不存在：没有 13 月",
        "content/news/worse.md:1:1: 缺少必填的文章信息项“title”；请加一行，例如“title: 标题”",
        "发现 2 个问题；没有写入任何文件，output/ 保持原样。",
    ]
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
    assert result.stderr.splitlines()[-1] == "发现 1 个问题；没有写入任何文件，output/ 保持原样。"
    assert tree_bytes(site / "output") == before
    check = run_cli("check", "--site", str(site))
    assert check.returncode == 1
    assert check.stderr.splitlines()[-1] == "发现 1 个问题；没有写入任何文件。"
    english = run_cli("check", "--site", str(site), "--lang", "en")
    assert english.stderr.splitlines()[-1] == "1 problem found; nothing was written."


def test_a_missing_site_is_a_problem_not_a_traceback(tmp_path):
    result = run_cli("build", "--site", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (f"site.yaml:1:1: 找不到 {tmp_path / 'nowhere' / 'site.yaml'}：请在网站文件夹里运行命令，"
                             "或新建 site.yaml，至少写上“title:”和“base_url:”两行\n"
                             "发现 1 个问题；没有写入任何文件，output/ 保持原样。\n")


def test_bad_now_is_an_error(make_site):
    site = small_site(make_site)
    result = run_cli("build", "--no-search", "--site", str(site), "--now", "yesterday")
    assert result.returncode != 0
    assert result.stderr == "build.py：错误：--now “yesterday”不是日期，请写成 2026-01-31 12:00 这样\n"
    assert not (site / "output").exists()


def test_a_bad_now_is_a_usage_error():
    result = run_cli("build", "--no-search", "--now", "garbage")
    assert result.returncode == 2
    assert result.stderr.strip() == "build.py：错误：--now “garbage”不是日期，请写成 2026-01-31 12:00 这样"
    english = run_cli("build", "--no-search", "--now", "garbage", "--lang", "en")
    assert english.returncode == 2
    assert english.stderr.strip() == "build.py: error: --now 'garbage' is not a date such as 2026-01-31 12:00"
