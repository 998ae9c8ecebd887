"""Phones and paper: no page is wider than a phone, in normal and care mode, whatever an article holds (a
ten-column table, a long address, a 文号 with a code, a long number, lists inside lists); a wide table scrolls in a
box the keyboard reaches; a long address breaks at the printed page's edge; controls that cannot act are not shown;
care mode's bar is there from the first paint."""

from __future__ import annotations

import io
import unicodedata

import pytest
from a11y import axe_source, axe_violations, shown
from conftest import SEED_URL, Server, Site, build_sample_variant

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
CARE = "try { localStorage.setItem('care', 'on'); } catch (e) {}"
ADDRESS = ("https://www.meixian.gov.cn/zwgk/zfxxgkml/fdzdgknr/ghxx/zxgh/202504/"
           "t20250401_1234567890abcdefghijklmnopqrstuvwxyz.html?from=timeline&isappinstalled=0")
CODE = "眉人常发〔2025〕12号" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" * 2
NUMBER = "1234567890" * 8
COLUMNS = ["序号", "代表姓名", "所在选区", "建议题目", "承办单位", "协办单位", "办理结果", "答复日期", "满意度", "备注说明"]
ROW = ["王建国", "首善街道第一选区", "关于加快推进农村饮水安全巩固提升工程建设的建议", "县水利局", "县财政局、县乡村振兴局",
       "已解决（A类）", "2025-03-11", "满意", "已列入2025年度重点民生实事项目计划"]
RICH_URL = "/renda-yaowen/2025-rich/"
ROSTER_URL = "/daibiao-gongzuo/daibiao-minglu/"


def rich_article() -> str:
    table = "\n".join(["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
                      + ["| " + " | ".join([str(n), *ROW]) + " |" for n in range(1, 9)])
    return f"""---
title: 县人大常委会听取和审议县人民政府关于代表建议办理情况的报告
date: 2025-04-01 09:30
slug: 2025-rich
---

下表为办理情况汇总。

{table}

详细内容见县政府网站：{ADDRESS}

文件编号：{CODE}

长数字：{NUMBER}

1. 第一层：加强监督工作
   - 第二层：执法检查
     - 第三层：食品安全法执法检查，深入全县十四个镇街和六十余家企业开展实地检查
       1. 第四层：检查组分三组，每组六人，分别听取汇报并查阅资料
2. 第一层：加强代表工作，见 {ADDRESS}

> 引用：{ADDRESS}
"""


@pytest.fixture(scope="module")
def rich_site(tmp_path_factory):
    """The sample site plus one article holding what widens pages: a wide table, long unbroken text, deep lists."""
    output = build_sample_variant(tmp_path_factory.mktemp("rich-site") / "site",
                                  {"content/renda-yaowen/2025-rich.md": rich_article()})
    server = Server(output).start()
    yield Site(output, server.origin, server.origin + "/")
    server.stop()


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    yield context
    context.close()


# Measured against the phone's width, not innerWidth: a phone's browser widens its layout to fit what overflows.
WIDE = f"""() => ({{width: document.scrollingElement.scrollWidth,
  wider: [...document.querySelectorAll('main *, footer *')].filter(e => e.getBoundingClientRect().right > {PHONE["width"]} + 1
    && !e.closest('.table-scroll')).slice(0, 5).map(e => e.tagName + ' ' + e.textContent.trim().slice(0, 30))}})"""


@pytest.mark.parametrize("care", [False, True])
@pytest.mark.parametrize("path", ["/", RICH_URL, ROSTER_URL, "/search/", "/search/?q=人大代表", "/archive/", "/tags/",
                                  "/wangzhan-ditu/", SEED_URL])
def test_no_page_is_wider_than_a_phone(phone, rich_site, search_ui, path, care):
    if care:
        phone.add_init_script(CARE)
    page = phone.new_page()
    page.goto(rich_site.url(path))
    if "?q=" in path:
        search_ui.wait(page)
    found = page.evaluate(WIDE)
    assert found["width"] <= PHONE["width"] and not found["wider"], f"{path} (care: {care}): {found}"


@pytest.mark.parametrize("care", [False, True])
@pytest.mark.parametrize("path", [RICH_URL, ROSTER_URL])
def test_axe_finds_nothing_on_a_phone_with_wide_tables(phone, rich_site, path, care):
    if care:
        phone.add_init_script(CARE)
    page = phone.new_page()
    page.goto(rich_site.url(path))
    page.wait_for_load_state("networkidle")
    violations = axe_violations(page, axe_source())
    assert violations == [], f"{path} (care: {care}): {shown(violations)}"


def test_a_wide_table_scrolls_in_a_box_the_keyboard_reaches(phone, rich_site):
    page = phone.new_page()
    page.goto(rich_site.url(RICH_URL))
    box = page.locator(".article-body .table-scroll")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth"), "the ten columns should be wider than a phone"
    page.locator(".skip").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('table-scroll')"):
            break
    else:
        pytest.fail("Tab never reached the table's box")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.article-body .table-scroll').scrollLeft > 0", timeout=5000)


def test_names_in_the_roster_stay_on_one_line(phone, rich_site):
    page = phone.new_page()
    page.goto(rich_site.url(ROSTER_URL))
    heights = page.eval_on_selector_all(".roster tbody td:first-child",
                                        "cells => cells.map(c => c.getBoundingClientRect().height / "
                                        "parseFloat(getComputedStyle(c).lineHeight))")
    assert heights and max(heights) < 2, heights


def squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


@pytest.mark.parametrize("path", [RICH_URL, RICH_URL + "print/"])
def test_long_addresses_and_codes_break_at_the_printed_pages_edge(page, rich_site, path):
    from pypdf import PdfReader

    page.set_viewport_size({"width": 680, "height": 1000})  # A4's text width
    page.goto(rich_site.url(path))
    page.emulate_media(media="print")
    too_wide = page.evaluate("""() => [...document.querySelectorAll('.article-body p, .article-body li, blockquote')]
      .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent.trim().slice(0, 30))""")
    assert too_wide == []
    text = squash("".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(page.pdf(format="A4"))).pages))
    for whole in (ADDRESS, CODE, NUMBER):
        assert squash(whole) in text, whole


def test_more_results_is_shown_only_when_there_are_more(phone, site, search_ui):
    page = phone.new_page()
    for query in ("没有这样的词语", "两个机关"):  # none, and fewer than one page
        search_ui.open(page, site, query)
        assert not page.locator("#search-more").is_visible(), query


def test_care_mode_bar_is_there_before_its_script_runs(browser, site):
    """Shown by the style sheet from the first paint (care.js, at the end of the page, only fills it in): the page
    does not move down when the script gets to it."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    try:
        context.add_init_script(CARE)
        context.route("**/js/care.js*", lambda route: route.abort())
        page = context.new_page()
        page.goto(site.url("/"))
        assert page.locator("#care-bar").is_visible()
    finally:
        context.close()


def test_without_javascript_nothing_is_shown_that_needs_it(browser, site):
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site.url("/search/?q=人大代表"))
        assert not page.locator(".fontsize").is_visible()
        assert not page.locator("#search-more").is_visible()
        links = page.eval_on_selector_all("main noscript a, main a", "links => links.map(a => a.textContent)")
        assert {"网站地图", "文章归档"} <= set(links), links
    finally:
        context.close()
