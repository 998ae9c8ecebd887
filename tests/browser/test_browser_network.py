"""Nothing is fetched from outside the site, and nothing a page asks for is missing."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

SEED = "/daibiao-gongzuo/lvzhi-dongtai/liangge-jiguan/"
PAGES = {
    "home": ("/", 200),
    "section list": ("/daibiao-gongzuo/lvzhi-dongtai/", 200),
    "article": (SEED, 200),
    "print view": (SEED + "print/", 200),
    "search with a query": ("/search/?q=%E4%BA%BA%E5%A4%A7%E4%BB%A3%E8%A1%A8", 200),  # 人大代表
    "404 page": ("/no-such-section/no-such-article/", 404),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_requests_stay_on_the_site_and_all_load(page, site, search_ui, name):
    path, status = PAGES[name]
    requests, failed, errors = [], [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: failed.append(f"{r.url}: {r.failure}"))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    response = page.goto(site.url(path), wait_until="networkidle")
    assert response.status == status
    if name == "search with a query":
        assert search_ui.wait(page).startswith("找到")
        page.wait_for_load_state("networkidle")
    if name == "404 page":
        assert "页面未找到" in page.locator("h1").inner_text()
        errors = [e for e in errors if e != f"404 {site.url(path)}"]
        assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor") \
            != "rgba(0, 0, 0, 0)", "the 404 page's style sheet did not apply"
    network = [url for url in requests if not url.startswith(("data:", "blob:"))]
    assert len(network) > 1, "no sub-resources recorded"
    outside = [url for url in network if not url.startswith("http://127.0.0.1:")]
    assert outside == [], f"{name}: requests leaving 127.0.0.1: {outside}"
    assert errors == [], f"{name}: sub-resources that failed: {errors}"
    assert failed == [], f"{name}: requests that failed: {failed}"
