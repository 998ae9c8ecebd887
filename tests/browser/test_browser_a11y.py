"""Accessibility: axe-core (WCAG 2.1 A and AA) finds nothing on every kind of page, in normal and in care mode;
the keyboard reaches everything with a visible focus; targets are 44 x 44 CSS px on phones; lang and landmarks."""

from __future__ import annotations

import pytest
from a11y import axe_source, axe_violations, shown
from conftest import SEED_URL

pytestmark = pytest.mark.browser

ALIAS = "/content/2019-07/09/content_2041.htm"
ALIAS_TARGET = "/jiandu-gongzuo/zhifa-jiancha/2019-huanjing-baohu-fa/"
PAGES = {
    "home": "/",
    "section list, page 1": "/daibiao-gongzuo/",
    "section list, page 2": "/daibiao-gongzuo/page/2/",
    "article": SEED_URL,
    "article with a picture": "/daibiao-gongzuo/lvzhi-dongtai/2024-daibiao-kepu-canguan/",
    "print view": SEED_URL + "print/",
    "tags": "/tags/",
    "tag page": None,  # the first tag listed on /tags/
    "archive": "/archive/",
    "archive year": "/archive/2019/",
    "archive month": "/archive/2019/11/",
    "search, empty": "/search/",
    "search with results": "/search/?q=两个机关",
    "search with none": "/search/?q=没有这样的词语",
    "404": "/no-such-page/",
    "alias redirect": ALIAS,
}
CARE = "try { localStorage.setItem('care', 'on'); } catch (e) {}"


@pytest.fixture(scope="module")
def axe():
    return axe_source()


def open_kind(page, site, search_ui, name: str) -> None:
    path = PAGES[name]
    if name == "tag page":
        page.goto(site.url("/tags/"))
        path = page.locator(".tag-cloud a").first.get_attribute("href")
    if name == "alias redirect":
        # The redirect page sends the reader on at once; answer that request with 204 so the page stays.
        page.route(site.url(ALIAS_TARGET), lambda route: route.fulfill(status=204))
    response = page.goto(site.url(path))
    assert response.status == (404 if name == "404" else 200), f"{name}: {path} answered {response.status}"
    if name.startswith("search") and "?q=" in path:
        search_ui.wait(page)
    page.wait_for_load_state("networkidle")
    if name == "alias redirect":
        assert page.url == site.url(ALIAS) and "本文已迁移到新地址" in page.content()


@pytest.mark.parametrize("mode", ["normal", "care"])
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_wcag_violations(context, site, search_ui, axe, name, mode):
    if mode == "care":
        context.add_init_script(CARE)
    page = context.new_page()
    open_kind(page, site, search_ui, name)
    if mode == "care" and name not in ("print view", "alias redirect"):
        assert page.evaluate("document.documentElement.dataset.care") == "on"
    violations = axe_violations(page, axe)
    assert violations == [], f"{name} ({mode}): {shown(violations)}"


@pytest.mark.parametrize("name", ["home", "article", "search with results", "404", "print view", "alias redirect"])
def test_every_page_says_it_is_chinese(page, site, search_ui, name):
    open_kind(page, site, search_ui, name)
    assert page.evaluate("document.documentElement.lang") == "zh-CN"


def test_landmarks_and_headings(page, site):
    page.goto(site.url(SEED_URL))
    roles = page.evaluate("""() => ({
      banner: document.querySelectorAll('body > header').length,
      main: document.querySelectorAll('main').length,
      contentinfo: document.querySelectorAll('body > footer').length,
      navs: [...document.querySelectorAll('nav')].map(n => n.getAttribute('aria-label')),
      h1: [...document.querySelectorAll('h1')].map(h => h.textContent.trim()),
      levels: [...document.querySelectorAll('main h1, main h2, main h3, main h4')].map(h => +h.tagName[1]),
    })""")
    assert (roles["banner"], roles["main"], roles["contentinfo"]) == (1, 1, 1)
    assert set(roles["navs"]) >= {"栏目导航", "当前位置", "上一篇和下一篇"}
    assert len(roles["h1"]) == 1
    jumps = [(a, b) for a, b in zip(roles["levels"], roles["levels"][1:]) if b > a + 1]
    assert roles["levels"][0] == 1 and jumps == [], f"heading levels skip: {roles['levels']}"


def focus_ring(page) -> dict:
    return page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
      return {tag: document.activeElement.tagName, text: document.activeElement.textContent.trim().slice(0, 20),
              outline: s.outlineStyle + ' ' + s.outlineWidth, shadow: s.boxShadow}; }""")


@pytest.mark.parametrize("care", [False, True])
def test_keyboard_reaches_every_control_with_a_visible_focus(context, site, care):
    if care:
        context.add_init_script(CARE)
    page = context.new_page()
    page.goto(site.url(SEED_URL))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到正文"
    assert page.locator(".skip").bounding_box()["x"] >= 0, "the skip link does not come into view when focused"
    reached, invisible = [], []
    for _ in range(80):
        ring = focus_ring(page)
        reached.append(ring["text"])
        if ring["outline"].startswith("none") and ring["shadow"] == "none":
            invisible.append(ring)
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            break
    wanted = {"跳到正文", "搜索", "特大", "大", "中", "小", "关怀模式", "[打印本页]", "[关闭本页]"}
    if care:
        wanted |= {"阅读线", "朗读全文"}
    assert wanted <= set(reached), f"not reached by Tab: {wanted - set(reached)}"
    assert invisible == [], f"focus not visible on: {invisible}"
    # The skip link moves the focus to the main content.
    page.goto(site.url(SEED_URL))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")


def test_search_count_is_announced(page, site, search_ui):
    search_ui.open(page, site, "两个机关")
    status = page.locator("#search-status")
    assert status.get_attribute("aria-live") == "polite" and status.get_attribute("role") == "status"
    assert status.inner_text().startswith("找到")


PHONE = {"width": 390, "height": 844}
TARGETS = """() => [...document.querySelectorAll('a[href], button, input, select')].filter(e => {
  const box = e.getBoundingClientRect();
  if (!box.width || !box.height || getComputedStyle(e).visibility === 'hidden') return false;
  if (e.classList.contains('skip')) return false;
  // Links inside a sentence are exempt (WCAG 2.5.5): their size is that of the text around them.
  const block = e.closest('p, li, td, figcaption, nav');
  const inText = e.tagName === 'A' && block && block.closest('.article-body, .intro, .breadcrumb')
                 && !e.closest('picture, .original');
  return !inText;
}).map(e => { const b = e.getBoundingClientRect();
  return {what: e.tagName + ' ' + (e.textContent.trim() || e.getAttribute('aria-label') || e.name || '').slice(0, 16),
          width: Math.round(b.width), height: Math.round(b.height)}; })"""


@pytest.mark.parametrize("path", ["/", "/daibiao-gongzuo/", SEED_URL, "/search/?q=人大", "/tags/", "/archive/"])
@pytest.mark.parametrize("care", [False, True])
def test_targets_are_44_css_px_on_a_phone(browser, site, search_ui, path, care):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        if care:
            context.add_init_script(CARE)
        page = context.new_page()
        page.goto(site.url(path))
        if "?q=" in path:
            search_ui.wait(page)
        small = [t for t in page.evaluate(TARGETS) if t["width"] < 44 or t["height"] < 44]
        assert small == [], f"{path}: targets smaller than 44 x 44 CSS px: {small[:12]}"
    finally:
        context.close()


def tab_through(page, limit: int = 120) -> list[str]:
    """Press Tab from the skip link at the top until the focus leaves the page; the text of each stop."""
    page.locator(".skip").focus()
    stops, invisible = [], []
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            break
        ring = focus_ring(page)
        label = page.evaluate("""() => { const e = document.activeElement;
          return (e.labels && e.labels[0] ? e.labels[0].textContent : e.textContent).trim().slice(0, 20); }""")
        stops.append(label)
        if ring["outline"].startswith("none") and ring["shadow"] == "none":
            invisible.append(label)
    assert invisible == [], f"focus not visible on: {invisible}"
    return stops


def test_keyboard_reaches_the_search_filters_and_more_results(page, site, search_ui):
    status = search_ui.open(page, site, "人大")
    assert page.locator("#search-more").is_visible(), f"expected more than one page of results: {status}"
    stops = tab_through(page)
    assert {"关键词", "栏目", "年份", "排序", "显示更多结果"} <= set(stops), stops
    before = page.locator("#search-results > li").count()
    page.locator("#search-more").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"document.querySelectorAll('#search-results > li').length > {before}")


def test_keyboard_reaches_the_pages_of_a_list(page, site):
    page.goto(site.url("/daibiao-gongzuo/"))
    stops = tab_through(page)
    assert {"2", "下一页"} <= set(stops), stops
    page.locator(".pagination a[rel=next]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == site.url("/daibiao-gongzuo/page/2/")
