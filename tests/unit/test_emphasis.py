"""emphasis: '*' bold and italic beside Chinese punctuation as the writer means them; CommonMark elsewhere."""

from __future__ import annotations

import itertools

import pytest
from markdown_it import MarkdownIt

from sitegen.emphasis import chinese_emphasis, flanking, is_cjk
from sitegen.markdown import make_markdown, render_markdown


def html(text: str) -> str:
    return render_markdown(make_markdown(False), text, "/").html.strip()


@pytest.mark.parametrize("text, expected", [
    ("**一是聚焦重点抓监督。**常委会", "<p><strong>一是聚焦重点抓监督。</strong>常委会</p>"),
    ("**一、基本情况：**全县共有", "<p><strong>一、基本情况：</strong>全县共有</p>"),
    ("加强**“两个机关”**建设", "<p>加强<strong>“两个机关”</strong>建设</p>"),
    ("学习**《中华人民共和国宪法》**第一条", "<p>学习<strong>《中华人民共和国宪法》</strong>第一条</p>"),
    ("*“强调”*文字", "<p><em>“强调”</em>文字</p>"),
    ("这是**重点**内容", "<p>这是<strong>重点</strong>内容</p>"),
    ("（**注意**）事项", "<p>（<strong>注意</strong>）事项</p>"),
])
def test_stars_beside_chinese_punctuation_make_bold_and_italic(text, expected):
    assert html(text) == expected


@pytest.mark.parametrize("text", ["姓名________电话________", "加强__“两个机关”__建设", "3 * 4 = 12，5 * 6 = 30"])
def test_underscores_and_lone_stars_stay_text(text):
    assert html(text) == f"<p>{text}</p>"


def test_without_chinese_beside_a_run_the_rules_are_commonmarks():
    plain = MarkdownIt("commonmark")
    ours = MarkdownIt("commonmark").use(chinese_emphasis)
    pieces = ["*", "**", "_", "a", " ", ".", '"', "(", ")", "b"]
    for combination in itertools.product(pieces, repeat=5):
        text = "".join(combination)
        assert ours.render(text) == plain.render(text), text


def test_what_counts_as_chinese():
    assert not is_cjk("“") and not is_cjk("”")  # of ambiguous width: counted as punctuation, not as Chinese
    assert all(map(is_cjk, "中，。：《》、（）"))
    assert not any(map(is_cjk, "a.,:(\"😀☀"))
    assert flanking("强", "“") == (True, True) and flanking("”", "建") == (True, True)
    assert flanking(" ", "“") == (True, False) and flanking("a", ".") == (False, True)
