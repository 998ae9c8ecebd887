"""The site built with --base-url http://127.0.0.1:PORT/repo/ and served under /repo/ (a GitHub project page)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.browser


def test_search_under_a_sub_path_links_into_it(page, repo_site, seed, search_ui):
    bad = []
    page.on("response", lambda r: bad.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    status = search_ui.open(page, repo_site, "两个机关")
    assert status.startswith("找到"), status
    search_ui.show_all(page)
    items = search_ui.items(page)
    assert items[0]["title"] == seed.title
    for item in items:
        assert item["href"].startswith("/repo/"), f"result link outside /repo/: {item['href']}"
    assert bad == [], f"failed requests on the search page: {bad}"
    tag = page.locator("#search-results > li.search-tag a")  # 两个机关 is a tag too: its page is offered
    assert tag.get_attribute("href").startswith("/repo/tags/"), tag.get_attribute("href")
    with page.expect_navigation() as navigation:
        page.locator("#search-results > li:not(.search-tag) a").first.click()
    assert navigation.value.status == 200
    assert page.url == repo_site.url(seed.url)
    assert page.locator("article h1").inner_text() == seed.title


def test_every_result_link_under_a_sub_path_opens(page, repo_site, search_ui):
    search_ui.open(page, repo_site, "监督")
    items = search_ui.items(page)
    assert items
    for item in items:
        assert item["resolved"].startswith(repo_site.base), item
        assert page.request.get(item["resolved"]).status == 200, item["resolved"]


def test_header_search_box_under_a_sub_path(page, repo_site, seed, search_ui):
    page.goto(repo_site.url(seed.url))
    page.locator("header .search-box input[name=q]").fill("代表之家")
    with page.expect_navigation():
        page.locator("header .search-box input[name=q]").press("Enter")
    parts = urlsplit(page.url)
    assert parts.path == "/repo/search/" and parse_qs(parts.query).get("q") == ["代表之家"], page.url
    assert search_ui.wait(page).startswith("找到")
    assert all(item["href"].startswith("/repo/") for item in search_ui.items(page))
