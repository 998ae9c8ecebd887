"""The article page's tools: 关闭本页 and the 特大/大/中/小 font size switch."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

CLOSE = "a[data-close]"


def section_url(site, seed) -> str:
    return site.url(seed.url.rstrip("/").rsplit("/", 1)[0] + "/")


def test_close_on_a_directly_opened_article_goes_to_its_section(page, site, seed):
    """Opened from the address bar (no referrer; the tab may have history elsewhere): the section list."""
    page.goto("about:blank")
    page.goto(site.url(seed.url))
    assert page.evaluate("document.referrer") == ""
    link = page.locator(CLOSE)
    assert link.inner_text() == "[关闭本页]"
    with page.expect_navigation(timeout=5000):
        link.click()
    assert not page.is_closed()
    assert page.url == section_url(site, seed)
    assert page.locator("h1.section-title").inner_text() == seed.sections[-1]


def test_close_on_an_article_in_a_fresh_tab_goes_to_its_section(page, site, seed):
    page.goto(site.url(seed.url))
    with page.expect_navigation(timeout=5000):
        page.locator(CLOSE).click()
    assert page.url == section_url(site, seed)


def test_close_after_following_a_link_on_the_site_goes_back(page, site, seed, search_ui):
    """Came from the search results by a link: back to those results, not to the section list."""
    search_ui.open(page, site, "两个机关")
    results = page.url
    page.locator(f"#search-results a[href='{seed.url}']").click()
    page.wait_for_url(site.url(seed.url))
    with page.expect_navigation(timeout=5000):
        page.locator(CLOSE).click()
    assert page.url == results, "关闭本页 should return to the page the reader came from"


def test_close_on_an_article_opened_by_script_closes_the_window(context, site, seed):
    opener = context.new_page()
    opener.goto(site.url("/"))
    with context.expect_page() as popup_info:
        opener.evaluate("url => { window.open(url, '_blank'); }", site.url(seed.url))
    popup = popup_info.value
    popup.wait_for_load_state()
    assert popup.url == site.url(seed.url)
    with popup.expect_event("close", timeout=5000):
        popup.locator(CLOSE).click()
    assert popup.is_closed()
    assert not opener.is_closed() and opener.url == site.url("/")


def body_font_px(page) -> float:
    return float(page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)"))


def pressed(page) -> dict[str, str]:
    return page.eval_on_selector_all(
        ".fontsize button", "bs => Object.fromEntries(bs.map(b => [b.textContent, b.getAttribute('aria-pressed')]))")


def test_font_size_choice_is_kept_on_the_next_page(page, site, seed):
    page.goto(site.url(seed.url))
    default = body_font_px(page)
    assert pressed(page) == {"特大": "false", "大": "false", "中": "true", "小": "false"}
    page.get_by_role("button", name="大", exact=True).click()
    assert page.evaluate("document.documentElement.getAttribute('data-font-size')") == "large"
    assert body_font_px(page) > default
    with page.expect_navigation():
        page.locator(".site-nav a", has_text="人大要闻").click()
    assert page.url == site.url("renda-yaowen/")
    assert page.evaluate("document.documentElement.getAttribute('data-font-size')") == "large"
    assert body_font_px(page) > default, "the large size was not applied on the next page"
    assert pressed(page) == {"特大": "false", "大": "true", "中": "false", "小": "false"}
    # And back to 小: smaller than the default, also kept.
    page.locator(".fontsize button", has_text="小").click()
    page.goto(site.url(seed.url))
    assert page.evaluate("document.documentElement.getAttribute('data-font-size')") == "small"
    assert body_font_px(page) < default
    assert pressed(page)["小"] == "true"
