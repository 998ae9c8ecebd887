"""Bare addresses in an article become links that end where Chinese text begins (sitegen/barelinks.py)."""

from __future__ import annotations

import pytest

from sitegen.markdown import make_markdown


def rendered(text: str) -> str:
    return make_markdown(False).render(text).strip()


@pytest.mark.parametrize("text, html", [
    ("详见 http://www.npc.gov.cn/npc/c2/。下一句",
     '<p>详见 <a href="http://www.npc.gov.cn/npc/c2/">http://www.npc.gov.cn/npc/c2/</a>。下一句</p>'),
    ("访问http://a.gov.cn/x.html查看详情",
     '<p>访问<a href="http://a.gov.cn/x.html">http://a.gov.cn/x.html</a>查看详情</p>'),
    ("网址：https://x.gov.cn/abc）。", '<p>网址：<a href="https://x.gov.cn/abc">https://x.gov.cn/abc</a>）。</p>'),
    ("请登录www.mxrd.gov.cn查看", '<p>请登录<a href="http://www.mxrd.gov.cn">www.mxrd.gov.cn</a>查看</p>'),
    ("网址:www.a.gov.cn，电话", '<p>网址:<a href="http://www.a.gov.cn">www.a.gov.cn</a>，电话</p>'),
    ("邮箱：rd@mx.gov.cn联系我们", '<p>邮箱：<a href="mailto:rd@mx.gov.cn">rd@mx.gov.cn</a>联系我们</p>'),
    ("邮箱:rd@mx.gov.cn", '<p>邮箱:<a href="mailto:rd@mx.gov.cn">rd@mx.gov.cn</a></p>'),
    ("E-mail:rd@mx.gov.cn", '<p>E-mail:<a href="mailto:rd@mx.gov.cn">rd@mx.gov.cn</a></p>'),
    ("端口 http://a.gov.cn:8080/x?y=a:b 可用",
     '<p>端口 <a href="http://a.gov.cn:8080/x?y=a:b">http://a.gov.cn:8080/x?y=a:b</a> 可用</p>'),
    ("（见 https://x.gov.cn/a?b=1&c=2）",
     '<p>（见 <a href="https://x.gov.cn/a?b=1&amp;c=2">https://x.gov.cn/a?b=1&amp;c=2</a>）</p>'),
    ("www.x.gov.cn.", '<p><a href="http://www.x.gov.cn">www.x.gov.cn</a>.</p>'),
])
def test_an_address_ends_where_chinese_or_the_sentence_begins(text, html):
    assert rendered(text) == html


@pytest.mark.parametrize("text", [
    "见附件 README.md 和 mx.gov.cn",  # a bare domain is not an address (GitHub and Hugo leave it too)
    "http://查看",  # a scheme and nothing after it
    "文件 report.doc",
    "时间 10:30",
])
def test_words_that_only_look_like_addresses_stay_text(text):
    assert "<a " not in rendered(text)


def test_written_links_and_escaped_addresses_are_left_as_written():
    assert rendered("[人大网](http://a.cn/x) 与 http\\://b.cn") == \
        '<p><a href="http://a.cn/x">人大网</a> 与 http://b.cn</p>'
    assert rendered("`http://a.cn`") == "<p><code>http://a.cn</code></p>"


def test_an_address_inside_bold_is_a_link_inside_bold():
    assert rendered("**网址：http://a.cn/b**") == '<p><strong>网址：<a href="http://a.cn/b">http://a.cn/b</a></strong></p>'
