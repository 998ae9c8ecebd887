"""The search page in a real browser over the built sample site, checked against content/ read independently:
every article (and standalone page in the search) containing the words, and only those, with an exact count,
filters, order and excerpts."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect
from conftest import Server, Site, build_sample_variant

pytestmark = pytest.mark.browser

DATE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}")


# ---------------------------------------------------------------- what a literal search must find

def folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def runs(text: str) -> list[str]:
    """Letters and digits between punctuation and spaces: what a word must lie inside."""
    return re.findall(r"[^\W_]+", folded(text))


def query_words(query: str) -> list[str]:
    """Each word's runs, joined by NUL as the text's are (punctuation inside a word separates its runs)."""
    words = ["\0".join(re.findall(r"[^\W_]+", folded(part))) for part in folded(query).split()]
    return [w for w in words if w]


IMAGE = re.compile(r'!\[[^\]]*\]\(\s*\S+(?:\s+"([^"]*)")?\s*\)')  # a reader sees its title (the caption)
LINK = re.compile(r'\[([^\]]*)\]\(\s*\S+(?:\s+"[^"]*")?\s*\)')  # and a link's text, not its address


def reader_text(markdown: str) -> str:
    """A Markdown body as a reader sees its words: no addresses, no image descriptions, no tags."""
    return re.sub(r"<[^>]+>", "", LINK.sub(r"\1", IMAGE.sub(lambda m: m.group(1) or "", markdown)))


def contains(article, query: str) -> bool:
    fields = [article.title, article.subtitle, article.author, article.source, reader_text(article.body)]
    field_runs = ["\0".join(runs(field)) for field in fields]
    return all(any(word in text for text in field_runs) for word in query_words(query))


def expected(articles, query: str) -> set[str]:
    return {url for url, article in articles.items() if contains(article, query)}


def listed(search_ui, page) -> list[dict]:
    search_ui.show_all(page)
    return search_ui.items(page)


def check_result_shape(items: list[dict], searched, site, query: str = "") -> None:
    """Every result: a linked title (the article's own), its date and section (a standalone page's, if it has
    them), an excerpt with <mark>."""
    assert items, "no results listed"
    words = query_words(query)
    for item in items:
        assert item["href"].startswith("/") and item["resolved"].startswith(site.base), item
        article = searched.get(item["href"].removeprefix(urlsplit(site.base).path.rstrip("/")))
        assert article is not None, f"result links to {item['href']}, which is no article or page of the sample site"
        assert item["title"] == article.title, item
        assert article.page or DATE.match(item["meta"]), item["meta"]
        assert item["meta"] == "　".join(filter(None, [article.date, article.sections[-1] if article.sections
                                                       else ""])), item["meta"]
        marked = re.findall(r"<mark>([^<]+)</mark>", item["excerpt"])
        beside_the_title = [article.subtitle, article.author, article.source, reader_text(article.body)]
        if any(word in "\0".join(runs(field)) for field in beside_the_title for word in words):
            assert marked, f"excerpt without <mark>: {item['excerpt']!r}"
            # Adjacent occurrences share one <mark>; each mark holds a word (or, for a word typed with punctuation
            # inside, one of its runs: the punctuation between is not marked) and only letters of the query.
            units = ["".join(re.findall(r"[^\W_]", folded(m))) for m in marked]
            pieces = [piece for word in words for piece in word.split("\0")]
            assert all(any(p in u for p in pieces) and set(u) <= set("".join(pieces)) for u in units), (marked, words)


# ---------------------------------------------------------------- exact results

QUERIES = {
    "inside-a-longer-word": "议案",  # inside 建议案 too
    "phrase": "两个机关",
    "law-short-name": "监督法",  # not the articles with 监督 and 法院 only
    "person": "汪应成",
    "place": "东湖镇",
    "law-title": "中华人民共和国食品安全法",
    "digits": "2019年",
    "latin": "ICP",
    "full-width-latin": "ＩＣＰ",
    "full-width-digits": "２０２０年",
    "full-width-in-text": "GDP",
    "two-words": "汪应成 猕猴桃",
    "punctuation-typed": "《监督法》",
    "one-character": "法",
    "one-character-and-a-word": "法 监督",  # a unit and a bigram, ANDed
    "one-latin-letter": "ｉ",
    "common": "人大",
    "only-in-a-standalone-page": "首善街道",  # 联系我们 (layout: page)
    "in-standalone-pages-only": "工作委员会",  # 机构设置 and 常委会领导
    "copied-with-punctuation": "陕ICP备05012345号-1",  # as the article writes it: the '-' separates as there
    "phone-number": "0917-5541234",  # 联系我们
}


@pytest.mark.parametrize("query", list(QUERIES.values()), ids=list(QUERIES))
def test_lists_every_article_containing_the_words_and_no_other(page, site, searched, search_ui, query):
    want = expected(searched, query)
    assert want, f"the sample site should have articles with {query}"
    status = search_ui.open(page, site, query)
    items = listed(search_ui, page)
    found = [item["href"] for item in items]
    assert len(found) == len(set(found)), f"an article is listed twice: {found}"
    assert set(found) == want, f"{query}: missing {want - set(found)}, not containing it {set(found) - want}"
    assert search_ui.count(status) == len(want), status
    check_result_shape(items, searched, site, query)


def test_samples_cover_the_hard_cases(articles):
    """The sample has what makes the cases above real checks."""
    assert any("建议案" in a.body and "议案" not in a.body.replace("建议案", "") for a in articles.values())
    assert any("监督" in a.body and "法院" in a.body and not contains(a, "监督法") for a in articles.values())
    assert any("ＧＤＰ" in a.body for a in articles.values()) and any("ICP" in a.title for a in articles.values())
    assert len(expected(articles, "汪应成")) > len(expected(articles, "汪应成 猕猴桃")) or \
        len(expected(articles, "猕猴桃")) > len(expected(articles, "汪应成 猕猴桃"))


def test_width_case_and_punctuation_do_not_change_the_result(page, site, search_ui):
    results = {}
    for query in ["ICP", "ＩＣＰ", "icp", "“ICP”"]:
        search_ui.open(page, site, query)
        results[query] = [item["href"] for item in listed(search_ui, page)]
    assert len(set(map(tuple, results.values()))) == 1, results


def test_the_excerpt_is_the_original_text_with_the_words_marked(page, site, articles, search_ui):
    """ＧＤＰ is written full-width in the article: the excerpt shows it so, marked, for the query GDP."""
    search_ui.open(page, site, "GDP")
    item = search_ui.items(page)[0]
    assert "<mark>ＧＤＰ</mark>" in item["excerpt"]
    page.goto(site.url(item["href"]))
    body = " ".join(page.inner_text(".article-body").split())
    text = re.sub(r"</?mark>", "", item["excerpt"]).strip("…")
    assert " ".join(text.split()) in body


def test_no_match_says_not_found(page, site, search_ui):
    status = search_ui.open(page, site, "量子计算机")
    assert status.startswith("未找到"), status
    assert search_ui.items(page) == []
    assert page.locator("#search-more").is_hidden()


def test_a_query_of_punctuation_only_asks_for_words(page, site, search_ui):
    status = search_ui.open(page, site, "《》，。")
    assert "标点" in status and search_ui.items(page) == []


# ---------------------------------------------------------------- order, pages, count

def test_newest_first_by_default_ten_at_a_time(page, site, searched, search_ui):
    want = expected(searched, "人大")
    assert len(want) > 10, "the sample should need 显示更多结果 for 人大"
    status = search_ui.open(page, site, "人大")
    assert page.locator("#search-sort").input_value() == ""
    assert len(search_ui.items(page)) == 10 and search_ui.count(status) == len(want)
    assert page.locator("#search-more").is_visible()
    items = listed(search_ui, page)
    assert page.locator("#search-more").is_hidden()
    pages = [searched[item["href"]].page for item in items]
    assert any(pages) and pages == sorted(pages), "the standalone pages come after every article"
    dates = [search_ui.date_of(item["meta"]) for item in items if not searched[item["href"]].page]
    assert dates == sorted(dates, reverse=True), f"not newest first: {dates}"


def occurrences(text: str, word: str) -> int:
    """Occurrences of a word inside the runs of a text, overlapping ones too (人人 twice in 人人人)."""
    return sum(sum(run.startswith(word, i) for i in range(len(run))) for run in runs(text))


def relevance_key(article, word: str) -> tuple:
    """按相关度 for one word: the title first, then the subtitle, then the most occurrences anywhere else
    (author, source, text); among equals the newer article first, then the standalone pages (the dated newest
    first, then by address)."""
    title, subtitle = occurrences(article.title, word), occurrences(article.subtitle, word)
    rest = sum(occurrences(text, word) for text in (article.author, article.source, reader_text(article.body)))
    return (not title, not subtitle, -rest, article.page, not article.date, tuple(-ord(c) for c in article.date),
            article.url)


@pytest.mark.parametrize("word", ["监督", "法", "两个机关", "代表之家", "人大代表", "中华人民共和国食品安全法"])
def test_relevance_puts_the_title_first_then_the_articles_using_the_words_most(page, site, searched, search_ui, word):
    """A bigram (监督), a unit (法), 3- and 4-grams (代表之家, 人大代表), words found by their bigrams' positions
    (两个机关 is in one article only, 中华人民共和国食品安全法 is long): the order is the rule
    the page states, computed here from content/ alone."""
    search_ui.open(page, site, word, sort="relevance")
    assert page.locator("#search-sort").input_value() == "relevance"
    assert "按相关度" in page.inner_text("#search-order")
    items = listed(search_ui, page)
    assert {i["href"] for i in items} == expected(searched, word)
    want = sorted(expected(searched, word), key=lambda url: relevance_key(searched[url], word))
    assert [i["href"] for i in items] == want


def test_relevance_finds_the_seed_article_on_the_first_page_for_its_subject(page, site, seed, search_ui):
    """The seed says 人大代表 a dozen times without it in its title: it comes right after the articles whose
    title holds the word, on the first page."""
    search_ui.open(page, site, "人大代表", sort="relevance")
    first_page = [item["title"] for item in search_ui.items(page)]
    assert len(first_page) == 10 and seed.title in first_page
    assert all("人大代表" in title for title in first_page[:first_page.index(seed.title)])


def test_the_order_is_the_same_in_two_builds(page, site, repo_site, search_ui):
    """Two builds (the sample site at the root and under /repo/) give the same order, relevance ties included."""
    orders = []
    for built, prefix in ((site, ""), (repo_site, "/repo")):
        for query in ("人大", "代表 监督"):
            search_ui.open(page, built, query, sort="relevance")
            orders.append([item["href"].removeprefix(prefix) for item in listed(search_ui, page)])
    assert orders[:2] == orders[2:] and all(orders)


def test_the_page_says_what_the_order_means(page, site, search_ui):
    search_ui.open(page, site, "监督")
    assert page.inner_text("#search-order") == "排序：按时间，最新发布的文章在前。"
    page.select_option("#search-sort", "relevance")
    assert "标题含查找词的在前" in page.inner_text("#search-order")
    assert page.evaluate("getComputedStyle(document.getElementById('search-order')).display") != "none"


def test_the_count_is_exact_and_kept_in_the_status(page, site, searched, search_ui):
    status = search_ui.open(page, site, "监督")
    assert re.fullmatch(r"找到 \d+ 篇相关文章（关键词：监督）。", status), status
    assert search_ui.count(status) == len(expected(searched, "监督"))
    assert page.get_attribute("#search-status", "aria-live") == "polite"


# ---------------------------------------------------------------- filters

def section_value(page, title: str) -> str:
    """The option of the section titled `title`: its folder."""
    return page.eval_on_selector_all("#search-section option", "(os, title) => os.filter(o => "
                                     "o.textContent.startsWith(title + '（')).map(o => o.value)[0]", title)


def test_section_filter_with_a_query_and_without(page, site, searched, search_ui):
    section = "执法检查"
    in_section = {url: a for url, a in searched.items() if section in a.sections}
    search_ui.open(page, site, "监督")
    everything = len(listed(search_ui, page))
    search_ui.forget_status(page)
    folder = section_value(page, section)
    assert folder == "jiandu-gongzuo/zhifa-jiancha"
    page.select_option("#search-section", folder)
    status = search_ui.wait(page)
    items = listed(search_ui, page)
    assert {i["href"] for i in items} == expected(in_section, "监督") and len(items) < everything
    assert search_ui.count(status) == len(items)
    assert parse_qs(urlsplit(page.url).query).get("section") == [folder]
    # Without a word: every article of the section (and of its subsections, for a top section).
    search_ui.open(page, site, section="监督工作")
    top = {url for url, a in searched.items() if "监督工作" in a.sections}
    assert {i["href"] for i in listed(search_ui, page)} == top
    # A section holding a standalone page lists it too (代表工作 holds 县人大代表名录).
    search_ui.open(page, site, section="代表工作")
    holding = {url for url, a in searched.items() if "代表工作" in a.sections}
    assert any(searched[url].page for url in holding)
    assert {i["href"] for i in listed(search_ui, page)} == holding


def test_section_options_list_the_sections_with_counts(page, site, searched, search_ui):
    search_ui.open(page, site, "监督")
    options = page.eval_on_selector_all("#search-section option", "os => os.map(o => [o.value, o.textContent])")
    counts = {}
    for article in searched.values():
        for name in article.sections:
            counts[name] = counts.get(name, 0) + 1
    assert sorted(text for value, text in options if value) == sorted(
        f"{name}（{count}）" for name, count in counts.items())
    assert all(value == "" or re.fullmatch(r"[a-z0-9-]+(/[a-z0-9-]+)*", value) for value, _ in options), options


def test_year_filter_with_a_query_and_without(page, site, searched, search_ui):
    year = "2019"
    in_year = {url: a for url, a in searched.items() if a.year == year}
    search_ui.open(page, site, "监督", year=year)
    assert page.locator("#search-year").input_value() == year
    items = listed(search_ui, page)
    assert {i["href"] for i in items} == expected(in_year, "监督")
    page.fill("#search-q", "")
    search_ui.forget_status(page)
    page.locator("#search-q").press("Enter")
    status = search_ui.wait(page)
    assert {item["href"] for item in listed(search_ui, page)} == set(in_year)
    assert search_ui.count(status) == len(in_year)


def test_both_filters_and_a_year_without_articles(page, site, searched, search_ui):
    search_ui.open(page, site, "人大", section="履职动态", year="2019")
    want = {u for u, a in searched.items() if "履职动态" in a.sections and a.year == "2019" and contains(a, "人大")}
    assert {i["href"] for i in listed(search_ui, page)} == want


# ---------------------------------------------------------------- how a reader gets there

def test_header_search_box_on_an_article_submits_to_the_search_page(page, site, seed, search_ui):
    page.goto(site.url(seed.url))
    page.locator("header .search-box input[name=q]").click()
    page.keyboard.type("两个机关")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    parts = urlsplit(page.url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == site.url("search/")
    status = search_ui.wait(page)
    assert status.startswith("找到"), status
    assert seed.title in [item["title"] for item in search_ui.items(page)]


def test_back_returns_to_the_search_before_and_forward_to_the_one_after(page, site, searched, search_ui):
    search_ui.open(page, site, "监督")
    search_ui.forget_status(page)
    page.fill("#search-q", "两个机关")
    page.locator("#search-q").press("Enter")
    search_ui.wait(page)
    assert parse_qs(urlsplit(page.url).query)["q"] == ["两个机关"]
    for query in ("监督", "两个机关"):
        search_ui.forget_status(page)
        page.go_back() if query == "监督" else page.go_forward()
        status = search_ui.wait(page)
        assert page.locator("#search-q").input_value() == query
        assert search_ui.count(status) == len(expected(searched, query)), status


def test_a_pasted_paragraph_is_quoted_short_in_the_status(page, site, search_ui):
    paragraph = "县人大常委会召开第二十次会议听取和审议县人民政府关于全县国民经济和社会发展计划执行情况的报告并审议通过有关人事任免事项"
    status = search_ui.open(page, site, paragraph)
    assert status == f"未找到与“{paragraph[:30]}……”相关的文章。请换一个词，或减少筛选条件。", status


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
    for _ in range(16):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.querySelector('#search-results > li:not(.search-tag) a')"):
            break
    else:
        pytest.fail("15 presses of Tab never reached the first result")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == site.url(first["href"])


def test_search_under_a_sub_path(page, repo_site, searched, search_ui):
    status = search_ui.open(page, repo_site, "监督法")
    items = listed(search_ui, page)
    assert [item["href"] for item in items] == ["/repo" + url for url in expected(searched, "监督法")]
    assert search_ui.count(status) == 1
    check_result_shape(items, searched, repo_site, "监督法")
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    search_ui.open(page, repo_site, "人大", section="执法检查")
    assert requested and all(url.startswith(repo_site.base) for url in requested), requested


# ---------------------------------------------------------------- filters the address names

@pytest.fixture(scope="module")
def twin_site(tmp_path_factory):
    """The sample site plus two sections titled alike (工作动态 under 代表工作 and under 监督工作), one article each."""
    files = {}
    for parent, word in (("daibiao-gongzuo", "代表联络站"), ("jiandu-gongzuo", "审议意见书")):
        folder = f"content/{parent}/gongzuo-dongtai"
        files[f"{folder}/_index.md"] = "---\ntitle: 工作动态\n---\n"
        files[f"{folder}/dongtai.md"] = (f"---\ntitle: 工作动态之{word}\ndate: 2024-03-0{len(parent) % 9 + 1}\n"
                                         f"tags: [联络站星级评定]\n---\n\n本月{word}工作按计划推进。\n")
    output = build_sample_variant(tmp_path_factory.mktemp("twin-sections") / "site", files)
    server = Server(output).start()
    yield Site(output, server.origin, server.origin + "/")
    server.stop()


def test_sections_titled_alike_are_told_apart_and_each_lists_its_own(page, twin_site, search_ui):
    search_ui.open(page, twin_site, "工作")
    labels = page.eval_on_selector_all("#search-section option", "os => os.map(o => [o.value, o.textContent])")
    assert ["daibiao-gongzuo/gongzuo-dongtai", "代表工作 › 工作动态（1）"] in labels
    assert ["jiandu-gongzuo/gongzuo-dongtai", "监督工作 › 工作动态（1）"] in labels
    for folder, word in (("daibiao-gongzuo/gongzuo-dongtai", "代表联络站"), ("jiandu-gongzuo/gongzuo-dongtai", "审议意见书")):
        search_ui.open(page, twin_site, section=folder)
        items = listed(search_ui, page)
        assert [item["title"] for item in items] == [f"工作动态之{word}"]
        assert page.locator("#search-section").input_value() == folder


def test_a_filter_the_site_does_not_have_is_said_and_punctuation_alone_is_no_query(page, twin_site, search_ui):
    status = search_ui.open(page, twin_site, "人大", section="不存在的栏目")
    assert status.startswith("没有栏目“不存在的栏目”，已在全部中查找。找到 "), status
    assert page.locator("#search-section").input_value() == ""
    status = search_ui.open(page, twin_site, year="1999")
    assert status == "没有1999年的文章，已在全部中查找。请输入要查找的词。", status
    status = search_ui.open(page, twin_site, "，。", year="2024")
    assert status == "请输入文字或数字：标点和符号不参与查找。", status
    status = search_ui.open(page, twin_site, "人大", section="执法检查")  # an address with a title still works
    assert page.locator("#search-section").input_value() == "jiandu-gongzuo/zhifa-jiancha" and status.startswith("找到")


def test_a_search_for_a_tags_name_points_to_the_tags_page(page, twin_site, search_ui):
    """Tags are not searched as text (the words found are those the articles say), so a search for a tag's very name
    offers its page, above the results and out of their numbering; with no result too."""
    status = search_ui.open(page, twin_site, "联络站星级评定")  # a tag no article's text holds
    assert status.startswith("未找到"), status
    hint = page.locator("#search-results > li.search-tag a")
    expect(hint).to_have_text("“联络站星级评定”（2 篇文章）")
    page.goto(hint.evaluate("a => a.href"))
    assert "联络站星级评定" in page.locator("h1").inner_text(), page.url
    status = search_ui.open(page, twin_site, "执法检查")  # a tag of the sample site its articles also say
    assert status.startswith("找到"), status
    expect(page.locator("#search-results > li.search-tag a")).to_contain_text("“执法检查”（")
    first = page.locator("#search-results > li:not(.search-tag)").first
    assert first.evaluate("li => getComputedStyle(li).display") == "list-item"
    assert page.locator("#search-results > li.search-tag").evaluate("li => getComputedStyle(li).display") == "block"
    assert search_ui.items(page)[0]["title"], "the results are listed below it"
    search_ui.open(page, twin_site, "联络站")  # not a tag's whole name: no pointer
    assert page.locator("#search-results > li.search-tag").count() == 0
