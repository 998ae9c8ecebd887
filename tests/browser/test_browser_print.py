"""Printing: the print view as an A4 PDF (text read back with pypdf), and print media on the article page."""

from __future__ import annotations

import io
import os
import re

import pytest

pytestmark = pytest.mark.browser


def squash(text: str) -> str:
    """PDF text comes back with spaces and line breaks wherever the layout put them: drop all whitespace."""
    return re.sub(r"\s+", "", text)


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
    missing = {name: words for name, words in wanted.items() if squash(words) not in text}
    assert missing == {}, f"missing from the PDF: {missing}\nPDF text starts: {text[:300]}"
    unwanted = {"site nav": "人大要闻", "site nav ": "通知公告", "search box": "搜索", "footer": "主办：",
                "print button": "打印", "back link": "返回原文", "font size switch": "字号"}
    present = {name: words for name, words in unwanted.items() if words in text}
    assert present == {}, f"page furniture printed: {present}"
    assert 2 <= pages <= 8, f"the print view is {pages} A4 pages"


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
