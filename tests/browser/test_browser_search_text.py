"""The browser's search tokenizer (assets/js/search-text.js) on the cases the Python one passes
(tests/unit/search_text_cases.json), and the browser decoding what the indexer wrote."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sitegen.searchtext import RESERVED, SPACES, article_content

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
CASES = json.loads((REPO / "tests" / "unit" / "search_text_cases.json").read_text(encoding="utf-8"))


@pytest.fixture
def tokenizer(page):
    page.set_content("<!DOCTYPE html><html lang='zh-CN'><body></body></html>")
    page.add_script_tag(path=str(REPO / "assets" / "js" / "search-text.js"))
    return page


def test_the_browser_splits_every_query_as_the_indexer_does(tokenizer):
    got = tokenizer.evaluate("""cases => cases.map(c => {
        const words = SitegenSearchText.queryWords(c.query);
        return {query: c.query, words: words.map(w => w.join("")), pagefind: words.map(w => SitegenSearchText.pagefindQuery(w))};
    })""", CASES["queries"])
    assert got == CASES["queries"]


def shown(text: str) -> str:
    """What the excerpt shows of a field: its text with runs of spaces and line breaks as one space."""
    return SPACES.sub(" ", RESERVED.sub("\ufffd", text))


@pytest.mark.parametrize("case", CASES["texts"], ids=[c["fields"][0] for c in CASES["texts"]])
def test_the_browser_reads_back_the_original_text(tokenizer, case):
    content, exceptions, _ = article_content(*case["fields"])
    fields = tokenizer.evaluate("""([content, x]) => SitegenSearchText.decode(content, x).map(SitegenSearchText.fieldText)""",
                                [content, exceptions])
    assert fields == [shown(text) for text in case["fields"]]


def test_the_browser_marks_every_occurrence_in_the_original_text(tokenizer):
    content, exceptions, _ = article_content("", "", "", "", "全县ＧＤＰ增长，gdp与２０１９年；建议案")
    pieces = tokenizer.evaluate("""([content, x]) => {
        const T = SitegenSearchText, fields = T.decode(content, x);
        T.markWords(fields[4], T.queryWords("GDP 2019年 议案"));
        return T.excerpt(fields[4], 100);
    }""", [content, exceptions])
    assert [text for text, marked in pieces if marked] == ["ＧＤＰ", "gdp", "２０１９年", "议案"]
    assert "".join(text for text, _ in pieces) == "全县ＧＤＰ增长，gdp与２０１９年；建议案"


def test_the_browser_reads_the_unit_tables_ranks_as_the_indexer_wrote_them(tokenizer):
    got = tokenizer.evaluate("cases => cases.map(c => SitegenSearchText.decodeRanks(c.encoded))", CASES["ranks"])
    assert got == [case["ranks"] for case in CASES["ranks"]]


def test_the_browser_names_the_word_every_page_has_as_the_indexer_does(tokenizer):
    assert tokenizer.evaluate("SitegenSearchText.everyPage") == CASES["every_page"]
