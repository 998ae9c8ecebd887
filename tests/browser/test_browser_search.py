"""The search page in a real browser: Pagefind over the built sample site, checked against content/."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.browser

DATE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}")


def listed(search_ui, page) -> list[dict]:
    search_ui.show_all(page)
    return search_ui.items(page)


def check_result_shape(items: list[dict], articles, site) -> None:
    """Every result: a linked title (the article's own), its date and section, an excerpt with <mark>."""
    assert items, "no results listed"
    for item in items:
        assert item["href"].startswith("/") and item["resolved"].startswith(site.base), item
        article = articles.get(item["href"])
        assert article is not None, f"result links to {item['href']}, which is no article of the sample site"
        assert item["title"] == article.title, item
        assert DATE.match(item["meta"]), f"no date in the result line {item['meta']!r}"
        assert item["meta"].startswith(article.date), (item["meta"], article.date)
        assert article.sections[-1] in item["meta"], f"section {article.sections[-1]} missing: {item['meta']!r}"
        assert re.search(r"<mark>[^<]+</mark>", item["excerpt"]), f"excerpt without <mark>: {item['excerpt']!r}"


QUERIES = {"renda-daibiao": "人大代表", "liangge-jiguan": "两个机关", "daibiao-zhijia": "代表之家"}


@pytest.mark.parametrize("query", list(QUERIES.values()), ids=list(QUERIES))
def test_query_finds_the_seed_article(page, site, articles, seed, search_ui, query):
    status = search_ui.open(page, site, query)
    assert status.startswith("找到"), status
    items = listed(search_ui, page)
    assert len(items) == search_ui.count(status)
    titles = [item["title"] for item in items]
    assert seed.title in titles, f"{query}: the seed article is not among {titles}"
    if query == "两个机关":
        assert titles[0] == seed.title, f"{query}: the seed article should come first, got {titles}"
    check_result_shape(items, articles, site)
    seed_item = items[titles.index(seed.title)]
    assert seed_item["href"] == seed.url
    assert seed_item["meta"] == f"{seed.date}　{seed.sections[-1]}"
    marked = "".join(re.findall(r"<mark>([^<]+)</mark>", seed_item["excerpt"]))
    assert marked and set(marked) <= set(query), f"marked words {marked!r} are not from {query!r}"


def check_found(word: str, found: list[str], articles) -> None:
    """Every article with the word in its title or body is found; nothing is found that lacks it."""
    must = {url for url, article in articles.items() if word in article.text}
    may = {url for url, article in articles.items() if word in article.shown_text}
    assert len(found) == len(set(found)), f"an article is listed twice: {found}"
    assert must - set(found) == set(), f"articles containing {word} that were not listed: {must - set(found)}"
    assert set(found) - may == set(), f"listed, but without {word} in them: {set(found) - may}"


def test_every_article_containing_the_word_is_listed(page, site, articles, search_ui):
    assert sum("监督" in a.text for a in articles.values()) >= 5, "the sample should have several about 监督"
    status = search_ui.open(page, site, "监督")
    items = listed(search_ui, page)
    assert search_ui.count(status) == len(items)
    check_found("监督", [item["href"] for item in items], articles)
    check_result_shape(items, articles, site)


@pytest.mark.parametrize("query", list(QUERIES.values()), ids=list(QUERIES))
def test_every_result_contains_the_query(page, site, articles, search_ui, query):
    """Precision as well as recall: no article is listed that does not contain the words searched for."""
    search_ui.open(page, site, query)
    check_found(query, [item["href"] for item in listed(search_ui, page)], articles)


def test_show_more_lists_every_result_in_date_order(page, site, articles, search_ui):
    """人大 is in nearly every article: more than one page of results; newest first across 显示更多结果."""
    status = search_ui.open(page, site, "人大", sort="date")
    assert page.locator("#search-sort").input_value() == "date"
    first_page = len(search_ui.items(page))
    assert first_page < search_ui.count(status), "the sample should need 显示更多结果 for 人大"
    assert page.locator("#search-more").is_visible()
    items = listed(search_ui, page)
    assert page.locator("#search-more").is_hidden()
    check_found("人大", [item["href"] for item in items], articles)
    dates = [search_ui.date_of(item["meta"]) for item in items]
    assert dates == sorted(dates, reverse=True), f"not newest first: {dates}"


def test_arriving_with_q_runs_the_query(page, site, seed, search_ui):
    status = search_ui.open(page, site, "人大代表")
    assert status.startswith("找到"), status
    assert "人大代表" in status
    assert page.locator("#search-q").input_value() == "人大代表"
    assert seed.title in [item["title"] for item in listed(search_ui, page)]


def test_header_search_box_on_an_article_submits_to_the_search_page(page, site, seed, search_ui):
    page.goto(site.url(seed.url))
    page.locator("header .search-box input[name=q]").click()
    page.keyboard.type("两个机关")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    parts = urlsplit(page.url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == site.url("search/")
    assert parse_qs(parts.query).get("q") == ["两个机关"], page.url
    status = search_ui.wait(page)
    assert status.startswith("找到"), status
    assert search_ui.items(page)[0]["title"] == seed.title


def test_section_filter_restricts_results(page, site, articles, search_ui):
    section = "执法检查"
    in_section = {url: a for url, a in articles.items() if section in a.sections}
    assert any("监督" in a.text for a in in_section.values()), f"the sample should have 监督 in {section}"
    search_ui.open(page, site, "监督")
    everything = len(listed(search_ui, page))
    search_ui.forget_status(page)
    page.select_option("#search-section", section)
    status = search_ui.wait(page)
    items = listed(search_ui, page)
    assert search_ui.count(status) == len(items) < everything
    check_found("监督", [item["href"] for item in items], in_section)
    for item in items:
        assert item["href"].startswith("/jiandu-gongzuo/zhifa-jiancha/"), item["href"]
        assert section in item["meta"], item["meta"]
    assert parse_qs(urlsplit(page.url).query).get("section") == [section], "the filter is not kept in the URL"
    # The same filter arriving in the URL (a shared or reloaded link) selects it and gives the same results.
    search_ui.open(page, site, "监督", section=section)
    assert page.locator("#search-section").input_value() == section
    assert [item["href"] for item in listed(search_ui, page)] == [item["href"] for item in items]


def test_section_filter_options_list_the_sections_with_counts(page, site, articles, search_ui):
    search_ui.open(page, site, "监督")
    page.wait_for_function("document.querySelectorAll('#search-section option').length > 1")
    options = page.eval_on_selector_all("#search-section option", "os => os.map(o => [o.value, o.textContent])")
    counts = {}
    for article in articles.values():
        for name in article.sections:
            counts[name] = counts.get(name, 0) + 1
    assert dict((value, text) for value, text in options if value) == {
        name: f"{name}（{count}）" for name, count in counts.items()}


def test_year_filter_restricts_results(page, site, articles, search_ui):
    year = "2019"
    in_year = {url: a for url, a in articles.items() if a.year == year}
    assert any("监督" in a.text for a in in_year.values()), f"the sample should have 监督 in {year}"
    search_ui.open(page, site, "监督")
    search_ui.forget_status(page)
    page.select_option("#search-year", year)
    status = search_ui.wait(page)
    items = listed(search_ui, page)
    assert search_ui.count(status) == len(items)
    check_found("监督", [item["href"] for item in items], in_year)
    for item in items:
        assert search_ui.date_of(item["meta"]).startswith(year + "-"), item["meta"]
    # A year alone, with no word, lists every article of that year.
    page.fill("#search-q", "")
    search_ui.forget_status(page)
    page.locator("#search-q").press("Enter")
    search_ui.wait(page)
    assert {item["href"] for item in listed(search_ui, page)} == set(in_year)


def test_newest_first_sort_orders_by_date_descending(page, site, search_ui):
    search_ui.open(page, site, "监督")
    relevance = [search_ui.date_of(item["meta"]) for item in listed(search_ui, page)]
    assert relevance != sorted(relevance, reverse=True), "the relevance order is already by date: no real check"
    search_ui.forget_status(page)
    page.select_option("#search-sort", "date")
    search_ui.wait(page)
    dates = [search_ui.date_of(item["meta"]) for item in listed(search_ui, page)]
    assert sorted(dates) == sorted(relevance), "sorting changed which articles are found"
    assert dates == sorted(dates, reverse=True), f"not newest first: {dates}"
    assert parse_qs(urlsplit(page.url).query).get("sort") == ["date"]


def test_no_match_says_not_found(page, site, search_ui):
    status = search_ui.open(page, site, "量子计算机")
    assert status.startswith("未找到"), f"量子计算机 is in no article, yet the page says {status!r}: " \
                                       f"{[item['title'] for item in search_ui.items(page)]}"
    assert search_ui.items(page) == []
    assert page.locator("#search-more").is_hidden()


def test_title_words_are_searchable(page, site, articles, search_ui):
    """A word that is only in an article's title (扎根, in 人大代表汪应成：扎根基层为民代言) finds it."""
    word = "扎根"
    wanted = {url for url, a in articles.items() if word in a.title}
    assert wanted and not any(word in a.body for a in articles.values()), "pick a word found only in a title"
    status = search_ui.open(page, site, word)
    assert status.startswith("找到"), f"searching {word} from a title: {status!r}"
    assert wanted <= {item["href"] for item in listed(search_ui, page)}


def test_keyboard_only_search(page, site, seed, search_ui):
    """Tab to the search box, type, Enter; then Tab reaches the first result's link, and Enter opens it."""
    page.goto(site.url("/"))
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('input[name=q]')"):
            break
    else:
        pytest.fail("10 presses of Tab never reached the search box")
    page.keyboard.type("两个机关")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    search_ui.wait(page)
    first = search_ui.items(page)[0]
    for presses in range(1, 16):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('#search-results > li:first-child a')"):
            break
    else:
        pytest.fail("15 presses of Tab never reached the first result")
    focus_ring = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focus_ring != "none", "the focused result link shows no focus outline"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == site.url(first["href"])
    assert page.locator("h1").first.inner_text() == seed.title
