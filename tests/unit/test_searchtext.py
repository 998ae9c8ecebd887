"""The search tokenizer (sitegen/searchtext.py): the cases of search_text_cases.json, which the browser's
copy (assets/js/search-text.js) also runs in tests/browser/test_browser_search_text.py, and its rules."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from sitegen import searchtext
from sitegen.searchtext import (FIELD_MARK, WS_MARK, article_content, field_words, fold, is_unit, pagefind_query,
                                query_words)

CASES = json.loads((Path(__file__).with_name("search_text_cases.json")).read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES["queries"], ids=[c["query"] for c in CASES["queries"]])
def test_query_case(case):
    words = query_words(case["query"])
    assert words == case["words"]
    assert [pagefind_query(w) for w in words] == case["pagefind"]


def test_units_are_exactly_letters_and_digits_of_every_script():
    """The regex the indexer uses and the rule the browser uses (\\p{L}\\p{N}) agree on every code point."""
    for code in range(0x110000):
        char = chr(code)
        assert is_unit(char) == (unicodedata.category(char)[0] in "LN"), hex(code)


def test_punctuation_spaces_width_and_case_do_not_change_a_word():
    assert query_words("《监督法》") == query_words("监督法") == query_words("“监督法”") == ["监督法"]
    assert query_words("ＩＣＰ") == query_words("icp") == query_words("ICP") == ["icp"]
    assert query_words("２０１９年") == query_words("2019年")
    assert query_words("人大、代表") == ["人大代表"]
    assert query_words("汪应成 猕猴桃") == ["汪应成", "猕猴桃"]
    assert query_words("！？。  ") == []


def test_a_run_becomes_overlapping_bigrams_and_gaps_are_words():
    words, exceptions, units = field_words("聚焦“两个机关”建设", 0)
    assert words == ["聚焦", "“", "两个", "个机", "机关", "”", "建设"]
    assert (exceptions, units) == ([], 8)
    assert field_words("法", 0)[0] == ["法"]
    assert field_words("a b", 0)[0] == ["a", WS_MARK, "b"]


def test_no_phrase_can_match_across_a_gap():
    """Every gap between two runs is a word of its own, so the last bigram of one run and the first of the
    next are never at consecutive positions (议案。案件 must not match 议案件)."""
    words, _, _ = field_words("建议案。案件", 0)
    assert words == ["建议", "议案", "。", "案件"]
    assert words.index("案件") - words.index("议案") == 2


def content_words(title="", subtitle="", author="", source="", body=""):
    content, exceptions, title_words = article_content(title, subtitle, author, source, body)
    return content.split(" "), exceptions, title_words


def test_content_holds_the_fields_in_order():
    words, exceptions, title_words = content_words("两个机关", "副题", "朱季林", "本网", "监督法，法院")
    assert words[:title_words] == ["两个", "个机", "机关"]
    assert words.count(FIELD_MARK) == 5
    assert words[words.index(FIELD_MARK) + 1:] == ["副题", FIELD_MARK, "朱季", "季林", FIELD_MARK, "本网", FIELD_MARK,
                                                   "监督", "督法", "，", "法院", FIELD_MARK, searchtext.EVERY_PAGE]
    assert exceptions == ""


def test_no_query_looks_up_the_word_every_page_has():
    word = searchtext.EVERY_PAGE
    assert len(word) > 2 and all(is_unit(c) for c in word), "a word Pagefind keeps, longer than any query token"
    assert pagefind_query(word) != f'"{word}"' and word not in pagefind_query(word).strip('"').split(" ")
    assert word == CASES["every_page"]


def test_the_units_of_a_text_are_folded_and_distinct():
    assert searchtext.text_units("监督法，法院 ＩＣＰ。") == set("监督法院icp")
    assert searchtext.text_units("《》、 “”") == set()


@pytest.mark.parametrize("case", CASES["ranks"], ids=[c["encoded"][:12] or "none" for c in CASES["ranks"]])
def test_ranks_are_written_as_the_shorter_of_a_list_and_a_bitset(case):
    assert searchtext.encode_ranks(case["ranks"], case["count"]) == case["encoded"]
    assert searchtext.decode_ranks(case["encoded"]) == case["ranks"]


def test_a_shard_too_large_for_two_digit_ranks_is_refused():
    with pytest.raises(ValueError):
        searchtext.encode_ranks([0], searchtext.RANKS_MAX + 1)


def test_every_content_word_is_one_whitespace_free_word_pagefind_keeps():
    words, _, _ = content_words("a\u200bb", "", "", "", "x \t\n\u3000y\ue000z  ")
    assert all(word and not re.search(r"\s", word) and "\u200b" not in word for word in words)


def test_folded_characters_are_written_folded_and_listed_for_the_excerpt():
    words, exceptions, _ = content_words("", "", "", "", "ＧＤＰ增长")
    assert "gd" in words and "dp" in words and "p增" in words
    assert exceptions.count(";") == 2  # three characters changed by NFKC
    assert not re.search(r"[\w]", exceptions), "exceptions must hold no letter or digit Pagefind would index"


def test_letters_keep_their_case_where_pagefind_lower_cases_them_the_same_way():
    words, exceptions, _ = content_words("ICP备案")
    assert words[:3] == ["IC", "CP", "P备"] and exceptions == ""


def test_dates_are_stored_without_digits():
    assert not re.search(r"\w", searchtext.encode_date("2019-11-08 11:25"))
    assert len(searchtext.encode_date("2019-11-08 11:25")) == 12
    assert fold("Ａ") == "a"
