"""The browser's search tokenizer (assets/js/search-text.js) on the cases the Python one passes
(tests/unit/search_text_cases.json), the browser reading back the index files the indexer wrote, and the
browser showing an article's text from its page."""

from __future__ import annotations

import base64
import json
import sys
import unicodedata
from pathlib import Path

import pytest

from sitegen.searchindex import ShardArticle, index_shard
from sitegen.searchtext import INVISIBLE, SPACES, article_text, term_bucket

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
CASES = json.loads((REPO / "tests" / "unit" / "search_text_cases.json").read_text(encoding="utf-8"))
sys.path.insert(0, str(REPO / "tests" / "unit"))
from test_searchindex import read_positions, read_terms  # noqa: E402  the format's reader in Python


@pytest.fixture
def tokenizer(page):
    page.set_content("<!DOCTYPE html><html lang='zh-CN'><body></body></html>")
    page.add_script_tag(path=str(REPO / "assets" / "js" / "search-text.js"))
    return page


def test_the_browser_splits_every_query_as_the_indexer_does(tokenizer):
    got = tokenizer.evaluate("""cases => cases.map(c => {
        const T = SitegenSearchText, words = T.queryWords(c.query);
        return {query: c.query, words: words.map(w => w.join("")), bigrams: words.map(w => T.bigrams(w)),
                crc32: words.map(w => T.crc32(T.utf8(w.join(""))))};
    })""", CASES["queries"])
    assert got == CASES["queries"]


def test_the_browser_picks_the_file_the_indexer_wrote_a_term_to(tokenizer):
    terms = ["人大", "代表", "𠮷野", "ic", "2019", "两个机关"]
    got = tokenizer.evaluate("terms => terms.map(t => [7, 64, 1000].map(n => SitegenSearchText.termBucket(t, n)))", terms)
    assert got == [[term_bucket(t, n) for n in (7, 64, 1000)] for t in terms]


def shown(text: str) -> str:
    """What the excerpt shows of a field: its text with runs of spaces and line breaks as one space, accents
    composed, and without the characters a reader never sees."""
    return SPACES.sub(" ", unicodedata.normalize("NFC", INVISIBLE.sub("", text)))


@pytest.mark.parametrize("case", CASES["texts"], ids=[c["fields"][0] for c in CASES["texts"]])
def test_the_browser_reads_back_the_original_text(tokenizer, case):
    page = article_text(*case["fields"])[0]
    fields = tokenizer.evaluate("page => SitegenSearchText.fields(page).map(SitegenSearchText.fieldText)", page)
    assert fields == [shown(text) for text in case["fields"]]


def marked_body(tokenizer, body: str, query: str) -> list:
    """The excerpt pieces [text, marked] the browser shows of an article body, the query's words marked."""
    return tokenizer.evaluate("""([page, query]) => {
        const T = SitegenSearchText, fields = T.fields(page);
        T.markWords(fields[4], T.queryWords(query));
        return T.excerpt(fields[4], 100);
    }""", [article_text("", "", "", "", body)[0], query])


def test_the_browser_marks_every_occurrence_in_the_original_text(tokenizer):
    pieces = marked_body(tokenizer, "全县ＧＤＰ增长，gdp与２０１９年；建议案", "GDP 2019年 议案")
    assert [text for text, marked in pieces if marked] == ["ＧＤＰ", "gdp", "２０１９年", "议案"]
    assert "".join(text for text, _ in pieces) == "全县ＧＤＰ增长，gdp与２０１９年；建议案"


def test_the_excerpt_never_cuts_a_marked_word_at_its_end(tokenizer):
    """A word that straddles the excerpt's length is shown whole and marked whole, then the ellipsis."""
    body = "甲" * 8 + "工作委员会" + "乙" * 20
    page = article_text("", "", "", "", body)[0]
    pieces = tokenizer.evaluate("""page => {
        const T = SitegenSearchText, fields = T.fields(page);
        T.markWords(fields[4], T.queryWords("工作委员会"));
        return T.excerpt(fields[4], 10);
    }""", page)
    assert pieces == [["甲" * 8, False], ["工作委员会", True], ["…", False]]


ARTICLES = [ShardArticle("a/", "2024-01-02", "栏目", title, "", "", "", body) for title, body in [
    ("人大代表之家", "人大代表之家接待选民。" * 3), ("代表之家", "人人人，法。𠮷野家"), ("标题", "甲乙" * 40_000)]]
# 甲乙's positions are long (in a position file, and u32), the others' follow their entries


def test_the_browser_reads_every_entry_the_indexer_wrote(tokenizer):
    files = index_shard(ARTICLES)
    meta = json.loads(files["meta.json"])
    data = {name: base64.b64encode(content).decode() for name, content in files.items() if name.endswith(".bin")}
    terms, positions = read_terms(files), read_positions(files)
    got = tokenizer.evaluate("""([data, meta, terms, pairs]) => {
        const T = SitegenSearchText;
        const file = name => Uint8Array.from(atob(data[name]), c => c.charCodeAt(0));
        const entries = {}, places = {};
        for (const term of terms) {
            const e = T.findTerm(file("t" + T.termBucket(term, meta.terms) + ".bin"), T.utf8(term));
            entries[term] = [e.ranks, Array.from(e.values)];
        }
        for (const pair of pairs) {  // in the term's entry, or else in a position file
            const p = T.findTerm(file("t" + T.termBucket(pair, meta.terms) + ".bin"), T.utf8(pair)).positions ||
                T.findPositions(file("p" + T.termBucket(pair, meta.positions) + ".bin"), T.utf8(pair));
            places[pair] = p.counts.map((n, k) => p.positions.slice(p.starts[k], p.starts[k] + n));
        }
        const missing = T.findTerm(file("t" + T.termBucket("没有", meta.terms) + ".bin"), T.utf8("没有"));
        const docs = T.readDocs(file("docs.bin"));
        return {entries, places, missing, docs};
    }""", [data, meta, list(terms), list(positions)])
    assert got["entries"] == {term: [ranks, values] for term, (ranks, values) in terms.items()}
    assert got["places"] == positions and got["missing"] is None
    ends = [article_text(a.title, a.subtitle, a.author, a.source, a.body)[2:4] for a in ARTICLES]
    assert list(zip(got["docs"]["titleEnds"], got["docs"]["subtitleEnds"])) == ends


def test_a_word_typed_with_punctuation_and_a_character_of_several_units_are_marked_as_found(tokenizer):
    pieces = marked_body(tokenizer, "资金3.5亿元，不是35亿元；⑩号换热站", "3.5亿元 0号")
    assert [text for text, marked in pieces if marked] == ["3", "5亿元", "⑩号"]
    assert "".join(text for text, _ in pieces) == "资金3.5亿元，不是35亿元；⑩号换热站"
