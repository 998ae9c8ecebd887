"""Desk: what the CMS saves is merged into the file, so what the editor did not change stays byte for byte."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest
import yaml

from helpers import REPO
from sitegen.desk.entrytext import blocks, merge_body, merged, split
from sitegen.markdown import make_markdown, render_markdown

ZONE = ZoneInfo("Asia/Shanghai")
MD = make_markdown(False)
SAMPLES = sorted(path for path in (REPO / "content").rglob("*.md") if path.name != "_index.md")


def as_the_cms_writes(text: str, body: str | None = None, **changed) -> str:
    """The file as Decap CMS sends it back: its own YAML (every key, quotes dropped, keys in its field order,
    dates unquoted) and the body (the one given, else the file's)."""
    front, old_body = split(text)
    values = yaml.safe_load(front) or {}
    values = {key: (value.strftime("%Y-%m-%d %H:%M:%S") if hasattr(value, "strftime") else value)
              for key, value in values.items()}
    values.update(changed)
    order = ["title", "subtitle", "date", "author", "source", "tags", "summary", "pinned", "draft"]
    data = {key: values.get(key, "" if key not in ("tags", "pinned", "draft") else
                            [] if key == "tags" else False) for key in order}
    data.update({key: value for key, value in values.items() if key not in order})
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n" + \
        (old_body if body is None else body)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.relative_to(REPO / "content").as_posix())
def test_resaving_an_untouched_sample_article_leaves_every_byte(path):
    original = path.read_bytes()
    assert merged(original, as_the_cms_writes(original.decode()), ZONE) == original


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.relative_to(REPO / "content").as_posix())
def test_changing_the_title_of_a_sample_article_changes_only_its_line(path):
    original = path.read_bytes()
    out = merged(original, as_the_cms_writes(original.decode(), title="新的标题：“两个机关”"), ZONE).decode()
    before, after = original.decode().split("\n"), out.split("\n")
    changed = [(old, new) for old, new in zip(before, after) if old != new]
    assert len(before) == len(after) and len(changed) == 1
    assert changed[0][1] == 'title: "新的标题：“两个机关”"'


def reformatted(body: str) -> str:
    """The body as Decap CMS writes it back once it is edited: `1)` lists as `1.`, `***` rules as `- - -`,
    `*` bullets as `-`, hard breaks as a backslash, each block separated by one blank line."""
    out = re.sub(r"^(\s*)(\d+)\)", r"\1\2.", body, flags=re.M)
    out = re.sub(r"^(\*\*\*|___)\s*$", "- - -", out, flags=re.M)
    out = re.sub(r"^(\s*)\* ", r"\1- ", out, flags=re.M)
    return re.sub(r"\n{3,}", "\n\n", out)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.relative_to(REPO / "content").as_posix())
def test_editing_one_block_keeps_the_others_as_written_and_as_rendered(path):
    _, body = split(path.read_text(encoding="utf-8"))
    old = blocks(body, MD)
    paragraphs = [number for number, (_, _, html) in enumerate(old) if html.startswith("<p>")]
    assert paragraphs, "every sample article has a paragraph"
    edited_block = paragraphs[-1]
    at = old[edited_block][1] - 1  # her edit: a character at the end of the last paragraph
    lines = body.split("\n")
    lines[at] += "【补】"
    out = merge_body(body, reformatted("\n".join(lines)), MD)
    new = blocks(out, MD)
    assert len(new) == len(old)
    body_lines, out_lines = body.split("\n"), out.split("\n")
    for number, ((start, end, html), (new_start, new_end, new_html)) in enumerate(zip(old, new)):
        if number == edited_block:
            assert new_html == html.replace("</p>", "【补】</p>")
        else:  # the very text she wrote, so the very same HTML
            assert out_lines[new_start:new_end] == body_lines[start:end] and new_html == html


def test_a_reformatted_body_that_renders_the_same_is_kept_as_written():
    body = "第一段。\n\n1) 第一项\n2) 第二项\n\n***\n\n* 要点\n"
    assert merge_body(body, reformatted(body), MD) == body


def test_an_edited_block_is_taken_from_the_cms_and_its_neighbours_from_the_file():
    body = "第一段。\n\n1) 第一项\n2) 第二项\n\n末段。\n"
    out = merge_body(body, "第一段。\n\n1. 第一项\n2. 第二项\n\n末段，改过。\n", MD)
    assert out == "第一段。\n\n1) 第一项\n2) 第二项\n\n末段，改过。\n"


def test_a_new_block_between_two_old_ones():
    body = "甲。\n\n乙。\n"
    assert merge_body(body, "甲。\n\n新的一段。\n\n乙。\n", MD) == "甲。\n\n新的一段。\n\n乙。\n"


def test_front_matter_keys_the_desk_does_not_show_are_never_touched():
    original = "---\ntitle: 旧\nslug: jiu\naliases: [/old/1.htm]\ndate: 2019-11-08 11:25\n---\n正文。\n"
    sent = "---\ntitle: 新\ndate: 2019-11-08 11:25:00\n---\n正文。\n"  # the CMS dropped slug and aliases
    out = merged(original.encode(), sent, ZONE).decode()
    assert out == '---\ntitle: "新"\nslug: jiu\naliases: [/old/1.htm]\ndate: 2019-11-08 11:25\n---\n正文。\n'


def test_a_date_written_otherwise_but_meaning_the_same_keeps_its_line():
    original = "---\ntitle: 甲\ndate: 2024年5月3日 9:30\n---\n正文。\n"
    sent = "---\ntitle: 甲\ndate: 2024-05-03 09:30:00\n---\n正文。\n"
    assert merged(original.encode(), sent, ZONE).decode() == original


def test_a_changed_date_is_written_in_the_sites_zone_with_seconds():
    original = "---\ntitle: 甲\ndate: 2024-05-03 09:30\n---\n正文。\n"
    sent = "---\ntitle: 甲\ndate: 2024-07-01T05:00:00+08:00\n---\n正文。\n"
    assert merged(original.encode(), sent, ZONE).decode() == "---\ntitle: 甲\ndate: 2024-07-01 05:00:00\n---\n正文。\n"


def test_tags_split_at_chinese_commas_read_the_same_as_a_list():
    original = "---\ntitle: 甲\ndate: 2024-05-03 09:30\ntags: 人大代表、履职\n---\n正文。\n"
    sent = "---\ntitle: 甲\ndate: 2024-05-03 09:30\ntags:\n  - 人大代表\n  - 履职\n---\n正文。\n"
    assert merged(original.encode(), sent, ZONE).decode() == original


def test_emptied_keys_are_removed_and_new_keys_added_at_the_end():
    original = "---\ntitle: 甲\nsubtitle: 副\ndate: 2024-05-03 09:30\n---\n正文。\n"
    sent = "---\ntitle: 甲\nsubtitle: ''\ndate: 2024-05-03 09:30\ntags: [人大代表, 履职]\npinned: true\n---\n正文。\n"
    assert merged(original.encode(), sent, ZONE).decode() == \
        '---\ntitle: 甲\ndate: 2024-05-03 09:30\ntags: ["人大代表", "履职"]\npinned: true\n---\n正文。\n'


def test_a_new_article_is_written_as_build_py_new_writes_one():
    sent = ("---\ntitle: 代表视察\nsubtitle: ''\ndate: 2024-07-01 05:00:00\nauthor: 县人大办公室\nsource: 本网\n"
            "tags:\n  - 人大代表\n  - 视察\nsummary: ''\npinned: false\ndraft: false\n---\n正文。")
    assert merged(None, sent, ZONE).decode() == (
        '---\ntitle: "代表视察"\ndate: 2024-07-01 05:00:00\nauthor: "县人大办公室"\nsource: "本网"\n'
        'tags: ["人大代表", "视察"]\n---\n正文。\n')


def test_crlf_and_a_bom_are_kept():
    original = "\ufeff---\r\ntitle: 甲\r\ndate: 2024-05-03 09:30\r\n---\r\n正文。\r\n".encode()
    out = merged(original, "---\ntitle: 乙\ndate: 2024-05-03 09:30\n---\n正文。\n", ZONE)
    assert out == "\ufeff---\r\ntitle: \"乙\"\r\ndate: 2024-05-03 09:30\r\n---\r\n正文。\r\n".encode()


def test_blocks_render_as_the_whole_body_does():
    _, body = split((REPO / "content/daibiao-gongzuo/jianyi-banli/2024-jianyi-banli-tongbao.md").read_text())
    assert "".join(html for _, _, html in blocks(body, MD)) == render_markdown(MD, body, "/").html


def test_a_link_definition_between_blocks_is_never_dropped_by_an_edit_elsewhere():
    original = "第一段见[县政府网站][1]。\n\n[1]: https://www.example.gov.cn/\n\n第二段。\n\n第三段。\n"
    sent = "第一段见[县政府网站][1]。\n\n[1]: https://www.example.gov.cn/\n\n第二段。\n\n第三段（改）。\n"
    body = merge_body(original, sent, MD)
    assert "[1]: https://www.example.gov.cn/" in body and "第三段（改）。" in body
    assert 'href="https://www.example.gov.cn/"' in render_markdown(MD, body, "/").html


def test_details_that_cannot_be_read_are_refused_not_emptied():
    from sitegen.desk.entrytext import Unreadable

    original = "---\ntitle: 原来的标题\nauthor: 王建国\ndate: 2024-01-01 10:00:00\n---\n\n正文。\n".encode()
    with pytest.raises(Unreadable):
        merged(original, "---\ntitle: [未闭合\ndate: 2024-01-01 10:00:00\n---\n\n正文。\n", ZONE)


def test_a_title_pasted_with_its_indent_is_saved_without_it():
    sent = '---\ntitle: "\u3000\u3000县人大常委会召开第二十次会议\u3000"\ndate: 2024-09-10 09:30:00\n---\n\n正文。\n'
    assert '"县人大常委会召开第二十次会议"' in merged(None, sent, ZONE).decode()


def test_words_bullets_become_a_list_and_its_empty_paragraphs_go():
    from sitegen.desk.entrytext import without_word_leftovers
    body = "会议议程：\n\n·\u00a0\u00a0\u00a0 听取报告；\n\n·&nbsp;&nbsp; 审议事项。\n\n&nbsp;\n\n\u00a0\n\n·是一个词。\n"
    assert without_word_leftovers(body) == "会议议程：\n\n- 听取报告；\n\n- 审议事项。\n\n\n\n\n\n·是一个词。\n"
    html = render_markdown(make_markdown(False), without_word_leftovers(body), "").html
    assert html.count("<li>") == 2 and "&nbsp;" not in html and "<p>\u00a0</p>" not in html


def test_lines_the_file_holds_are_never_read_as_words_leftovers():
    original = article_text = "---\ntitle: 旧文章\ndate: 2024-05-01 09:00:00\n---\n\n● 会议强调，要做好三件事。\n\n&nbsp;\n\n结束。\n"
    sent = article_text.replace("title: 旧文章", "title: 新标题")
    body = split(merged(original.encode(), sent, ZONE).decode())[1]
    assert "● 会议强调，要做好三件事。" in body and "&nbsp;" in body and "- 会议" not in body
