"""Printing: the print view as an A4 PDF (text read back with pypdf), and print media on the article page."""

from __future__ import annotations

import io
import os
import re
import unicodedata

import pytest

pytestmark = pytest.mark.browser

MAX_PAGES = 3
MIN_BODY_PX = 16  # 12 pt


def squash(text: str) -> str:
    """PDF text comes back with spaces and line breaks wherever the layout put them: drop all whitespace.
    NFKC, because with Noto CJK fonts Chromium's PDF text uses Kangxi radicals (⼈ for 人) and full-width forms."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


RADICALS = "[\u2e80-\u2eff]"  # CJK Radicals Supplement: NFKC leaves ⺠ (民), ⻓ (长), ⻛ (风) ... as they are


def pattern(words: str) -> str:
    """A regular expression for `words` (squashed) in which each Chinese character may also come back as
    the radical that shares its glyph, the one case NFKC does not undo."""
    return "".join(f"(?:{re.escape(c)}|{RADICALS})" if "\u4e00" <= c <= "\u9fff" else re.escape(c)
                   for c in squash(words))


def contains(text: str, words: str) -> bool:
    return re.search(pattern(words), text) is not None


def opening_words(paragraph: str, length: int = 10) -> str:
    return squash(paragraph)[:length]


@pytest.fixture
def pdf_reader():
    try:
        from pypdf import PdfReader
    except ImportError as err:
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(f"pypdf is not installed ({err}) -- CI=true, so this fails instead of skipping",
                        pytrace=False)
        pytest.skip(f"pypdf is not installed ({err}): run 'make test' to install requirements-dev.txt")
    return PdfReader


def test_print_view_pdf_has_the_article_only(page, site, seed, pdf_reader, record_property):
    response = page.goto(site.url(seed.url + "print/"))
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    reader = pdf_reader(io.BytesIO(page.pdf(format="A4")))
    pages = len(reader.pages)
    record_property("pdf_pages", pages)
    print(f"\nprint view PDF: {pages} A4 pages")
    text = squash("".join(p.extract_text() or "" for p in reader.pages))
    paragraphs = seed.paragraphs()
    wanted = {
        "title": seed.title,
        "subtitle": "——眉县人大的探索与实践",
        "author": "作者：朱季林",
        "source": "来源：本网",
        "date": "发布时间：2019-11-08 11:25",
        "first paragraph": opening_words(paragraphs[0]),
        "last paragraph": opening_words(paragraphs[-1]),
    }
    missing = {name: words for name, words in wanted.items() if not contains(text, words)}
    assert missing == {}, f"missing from the PDF: {missing}\nPDF text starts: {text[:300]}"
    unwanted = {"site nav": "人大要闻", "site nav ": "通知公告", "search box": "搜索", "footer": "主办：",
                "print button": "打印", "back link": "返回原文", "font size switch": "字号"}
    present = {name: words for name, words in unwanted.items() if contains(text, words)}
    assert present == {}, f"page furniture printed: {present}"
    assert 2 <= pages <= MAX_PAGES, f"the print view is {pages} A4 pages"
    url = f"本文网址：https://example.github.io/{seed.url.lstrip('/')}"  # site.yaml's base_url
    assert re.search(pattern(url) + "$", text), f"the article's address is not printed at the end: {text[-120:]}"
    # No page ends on a heading: a heading always has its first lines of text below it.
    headings = [line.lstrip("#") for line in seed.body.splitlines() if line.startswith("#")]
    assert headings, "the seed article has headings"
    for number, pdf_page in enumerate(reader.pages[:-1], start=1):
        lines = [squash(line) for line in (pdf_page.extract_text() or "").splitlines() if line.strip()]
        ends = [h for h in headings if lines and re.fullmatch(pattern(h), lines[-1])]
        assert lines and not ends, f"page {number} ends with the heading {ends}"


def test_print_view_type_size_and_breaks(page, site, seed):
    page.goto(site.url(seed.url + "print/"))
    page.emulate_media(media="print")
    styles = page.evaluate("""() => {
      const s = sel => { const e = document.querySelector(sel); return e && getComputedStyle(e); };
      return {body: parseFloat(s('.article-body p').fontSize), h2: s('.article-body h2').breakAfter,
              line: parseFloat(s('.article-body p').lineHeight) / parseFloat(s('.article-body p').fontSize)};
    }""")
    assert styles["body"] >= MIN_BODY_PX, f"body text is {styles['body']}px, under 12 pt"
    assert styles["h2"] == "avoid" and styles["line"] >= 1.3, styles


def test_pictures_are_never_split_across_printed_pages(page, site):
    page.goto(site.url("/daibiao-gongzuo/lvzhi-dongtai/2024-daibiao-kepu-canguan/print/"))
    page.emulate_media(media="print")
    breaks = page.eval_on_selector_all(".article-body img, .article-body picture, .article-body figure",
                                       "es => es.map(e => [e.tagName, getComputedStyle(e).breakInside])")
    assert breaks and all(value == "avoid" for _, value in breaks), breaks
    lazy = page.eval_on_selector_all(".article-body img", "is => is.filter(i => i.loading === 'lazy').length")
    assert lazy == 0, "the print view must not leave pictures to load lazily"


def test_print_media_hides_page_furniture_on_the_article_page(page, site, seed):
    page.goto(site.url(seed.url))
    furniture = {"header": ".site-header", "nav": ".site-nav", "footer": ".site-footer",
                 "search box": ".search-box", "breadcrumb": ".breadcrumb", "font size": ".fontsize",
                 "print and close links": ".article-actions"}
    for name, selector in furniture.items():
        assert page.locator(selector).first.is_visible(), f"{name} should show on screen"
    page.emulate_media(media="print")
    shown = [name for name, selector in furniture.items() if page.locator(selector).first.is_visible()]
    assert shown == [], f"visible when printing: {shown}"
    assert page.locator("article h1").is_visible()
    assert page.locator(".article-body").is_visible()
    assert seed.paragraphs()[-1][:10] in page.locator(".article-body").inner_text()
