"""load_config: site.yaml to a Config, or the first problem at its key's or value's line."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.config import load_config
from sitegen.messages import language_named
from sitegen.problems import BuildFailed

ENGLISH = language_named("en")


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "site.yaml"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def problem_of(path: Path, language=None, **kwargs) -> str:
    """The one problem, in Chinese (or `language`)."""
    with pytest.raises(BuildFailed) as caught:
        load_config(path, **kwargs)
    assert len(caught.value.problems) == 1
    return caught.value.problems[0].said(language)


def test_minimal_config_gets_defaults(tmp_path):
    config = load_config(write(tmp_path, "title: 眉县人大\nbase_url: https://example.org\n"))
    assert config.title == "眉县人大"
    assert config.base_url == "https://example.org/"
    assert config.base_path == "/"
    assert (config.timezone, config.language, config.per_page, config.allow_html) == ("Asia/Shanghai", "zh-CN", 20, False)
    assert config.default_source == "本网"
    assert config.footer == ()
    assert config.root == tmp_path.resolve()
    assert config.content_dir == tmp_path.resolve() / "content"
    assert config.out_dir == tmp_path.resolve() / "output"


def test_every_key_is_read(tmp_path):
    config = load_config(write(tmp_path, """\
title: 眉县人大常委会
subtitle: 眉县人民代表大会常务委员会
description: 新闻
base_url: https://example.github.io/repo
language: zh-Hans
timezone: Asia/Urumqi
per_page: 6
home_per_section: 4
default_author: 办公室
default_source: 眉县人大
footer:
  - 主办：眉县人大常委会办公室
  - 备案号：陕ICP备00000000号
allow_html: true
"""), output_dir=tmp_path / "public")
    assert config.subtitle == "眉县人民代表大会常务委员会"
    assert config.base_url == "https://example.github.io/repo/"
    assert config.base_path == "/repo/"
    assert config.language == "zh-Hans" and config.timezone == "Asia/Urumqi"
    assert config.zone.key == "Asia/Urumqi"
    assert (config.per_page, config.home_per_section) == (6, 4)
    assert (config.default_author, config.default_source) == ("办公室", "眉县人大")
    assert config.footer == ("主办：眉县人大常委会办公室", "备案号：陕ICP备00000000号")
    assert config.allow_html is True
    assert config.out_dir == tmp_path / "public"


def test_bom_and_crlf_are_accepted(tmp_path):
    config = load_config(write(tmp_path, b"\xef\xbb\xbf" + "title: 眉县\r\nbase_url: https://example.org/\r\n".encode()))
    assert config.title == "眉县"


def test_footer_as_one_string_is_one_line(tmp_path):
    config = load_config(write(tmp_path, "title: t\nbase_url: https://example.org/\nfooter: 地址：眉县\n"))
    assert config.footer == ("地址：眉县",)


def test_base_url_override(tmp_path):
    path = write(tmp_path, "title: t\nbase_url: https://example.org/\n")
    config = load_config(path, base_url="https://example.github.io/repo")
    assert config.base_url == "https://example.github.io/repo/"
    assert config.base_path == "/repo/"
    assert problem_of(path, ENGLISH, base_url="example.github.io/repo") == (
        "--base-url:1:1: '--base-url' must be a full address such as https://example.github.io/ or "
        "https://example.github.io/repo/, not 'example.github.io/repo'")


def test_unknown_key_names_its_line_and_the_close_key(tmp_path):
    message = problem_of(write(tmp_path, "title: t\nbase_url: https://example.org/\n\nper_pgae: 5\n"))
    assert message == ("site.yaml:4:1: 不认识的网站设置（site.yaml）项“per_pgae”（是不是“per_page”？）；可以用的项有："
                       "title（网站名称）、subtitle（副名称）、description（网站简介（供搜索引擎））、base_url（网站地址）、"
                       "language（语言）、timezone（时区）、per_page（列表每页文章数）、"
                       "home_per_section（首页每个栏目显示的文章数）、default_author（新文章的作者）、"
                       "default_source（默认来源）、footer（页脚的其他文字）、allow_html（文章中是否允许 HTML）、"
                       "site_code（网站标识码）、icp（ICP备案号）、police_record（公安机关备案号）、"
                       "gov_mark（党政机关网站标识）、host（主办单位）、contact（联系方式）")


def test_wrong_type_names_the_value(tmp_path):
    message = problem_of(write(tmp_path, "title: t\nbase_url: https://example.org/\nallow_html: 是\n"))
    assert message == "site.yaml:3:13: “allow_html”应该是“true”（是）或“false”（否），不能是文字“是”"


@pytest.mark.parametrize("line, expected, english", [
    ("timezone: Beijing", "site.yaml:3:11: “timezone”必须是已知的时区，例如 Asia/Shanghai，不能是“Beijing”",
     "site.yaml:3:11: 'timezone' must be a known time zone such as Asia/Shanghai, not 'Beijing'"),
    ("per_page: 0", "site.yaml:3:11: “per_page”至少要是 1，不能是 0", "site.yaml:3:11: 'per_page' must be at least 1, not 0"),
    ("home_per_section: -2", "site.yaml:3:19: “home_per_section”至少要是 1，不能是 -2",
     "site.yaml:3:19: 'home_per_section' must be at least 1, not -2"),
])
def test_bad_values_are_named_at_their_line(tmp_path, line, expected, english):
    path = write(tmp_path, f"title: t\nbase_url: https://example.org/\n{line}\n")
    assert problem_of(path) == expected
    assert problem_of(path, ENGLISH) == english


def test_base_url_must_be_a_full_address(tmp_path):
    message = problem_of(write(tmp_path, "title: t\nbase_url: /repo/\n"))
    assert message == ("site.yaml:2:11: “base_url”必须是完整的网址，例如 https://example.github.io/ 或 "
                       "https://example.github.io/repo/，不能是“/repo/”")


def test_missing_required_key(tmp_path):
    path = write(tmp_path, "base_url: https://example.org/\n")
    assert problem_of(path) == "site.yaml:1:1: 缺少必填的网站设置（site.yaml）项“title”；请加一行，例如“title: 标题”"
    assert problem_of(path, ENGLISH) == \
        "site.yaml:1:1: missing required site.yaml key 'title'; add a line such as 'title: 标题'"


def test_yaml_syntax_error_has_its_line(tmp_path):
    """The bracket opened on line 3 is never closed; YAML notices on line 4, whose own value is fine, so the
    problem is named at line 3, with that line fixed: the bracket closed, or the whole value quoted."""
    message = problem_of(write(tmp_path, "title: t\nbase_url: https://example.org/\nfooter: [a, b\nper_page: 3\n"),
                         ENGLISH)
    assert message == ("site.yaml:3:1: the value of 'footer' cannot be read as written (YAML: the [ that "
                       "opens here is never closed); write it as footer: [a, b] (the "
                       "bracket closed) or footer: '[a, b'")


def test_missing_file_says_what_to_do(tmp_path):
    message = problem_of(tmp_path / "site.yaml")
    assert message == (f"site.yaml:1:1: 找不到 {tmp_path / 'site.yaml'}：请在网站文件夹里运行命令，或新建 site.yaml，"
                       "至少写上“title:”和“base_url:”两行")
    assert problem_of(tmp_path / "site.yaml", ENGLISH) == (
        f"site.yaml:1:1: {tmp_path / 'site.yaml'} not found: run the command in the site's folder, or create "
        "site.yaml with at least 'title:' and 'base_url:'")


def test_not_utf8_names_the_line_of_the_bad_byte(tmp_path):
    """Like content files (sources.decode), the editor is sent to the line that is not UTF-8."""
    raw = "title: 眉县人大\nbase_url: https://example.org/\n".encode() + "footer: 地址：眉县\n".encode("gbk")
    message = problem_of(write(tmp_path, raw))
    assert message == "site.yaml:3:9: 文件不是 UTF-8 编码（字节 0xb5）：请用 UTF-8 编码保存（记事本：另存为 > 编码 选 UTF-8）"


def test_not_a_mapping(tmp_path):
    path = write(tmp_path, "- title: t\n")
    assert problem_of(path) == "site.yaml:1:1: 网站设置（site.yaml）必须是“键: 值”这样的一行一行，不能是列表"
    assert problem_of(path, ENGLISH) == "site.yaml:1:1: site.yaml must be 'key: value' lines, not a list"


def test_stops_at_the_first_problem_in_file_order(tmp_path):
    message = problem_of(write(tmp_path, "title: t\nbase_url: https://example.org/\nauthr: x\nper_page: many\n"),
                         ENGLISH)
    assert message.startswith("site.yaml:3:1: unknown site.yaml key 'authr'; known keys: ")
