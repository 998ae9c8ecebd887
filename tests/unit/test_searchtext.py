"""The search tokenizer (sitegen/searchtext.py): the cases of search_text_cases.json, which the browser's
copy (assets/js/search-text.js) also runs in tests/browser/test_browser_search_text.py, and its rules."""

from __future__ import annotations

import json
import unicodedata
import zlib
from pathlib import Path

import pytest

from sitegen import searchtext
from sitegen.searchtext import SEP, article_text, bigrams, field_segments, fold, is_unit, query_words, term_bucket

CASES = json.loads((Path(__file__).with_name("search_text_cases.json")).read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES["queries"], ids=[c["query"] for c in CASES["queries"]])
def test_query_case(case):
    words = query_words(case["query"])
    assert words == case["words"]
    assert [bigrams(w) for w in words] == case["bigrams"]
    assert [zlib.crc32(w.encode()) for w in words] == case["crc32"]
    assert all(term_bucket(w, 7) == crc % 7 for w, crc in zip(words, case["crc32"]))


def test_units_are_exactly_letters_and_digits_of_every_script():
    """The regex the indexer uses and the rule the browser uses (\\p{L}\\p{N}) agree on every code point."""
    for code in range(0x110000):
        char = chr(code)
        assert is_unit(char) == (unicodedata.category(char)[0] in "LN"), hex(code)


def test_punctuation_spaces_width_and_case_do_not_change_a_word():
    assert query_words("《监督法》") == query_words("监督法") == query_words("“监督法”") == ["监督法"]
    assert query_words("ＩＣＰ") == query_words("icp") == query_words("ICP") == ["icp"]
    assert query_words("２０１９年") == query_words("2019年")
    assert query_words("人大、代表") == query_words("人大，代表") == [f"人大{SEP}代表"], "as the text reads 人大、代表"
    assert query_words("3.5亿元") == [f"3{SEP}5亿元"] != query_words("35亿元")
    assert query_words("汪应成 猕猴桃") == ["汪应成", "猕猴桃"]
    assert query_words("！？。  ") == []


def test_a_word_is_made_of_its_bigrams_in_order():
    assert bigrams("两个机关") == ["两个", "个机", "机关"]
    assert bigrams("人人人") == ["人人", "人人"]
    assert bigrams("法") == []


def test_a_field_is_gaps_and_runs_as_written():
    parts, exceptions, units = field_segments("聚焦“两个机关”建设", 0)
    assert parts == ["", "聚焦", "“", "两个机关", "”", "建设", ""]
    assert (exceptions, units) == ([], 8)
    assert field_segments("a \t\n b", 0)[0] == ["", "a", " ", "b", ""], "spaces and line breaks show as one space"


def test_an_article_is_its_fields_runs_each_closed_by_the_separator():
    page, units, title_end, subtitle_end, length = article_text("两个机关", "副题", "朱季林", "本网", "监督法，法院")
    assert units == SEP.join(["两个机关", "副题", "朱季林", "本网", "监督法", "法院"])
    assert units[:title_end] == "两个机关" and units[title_end + 1:subtitle_end] == "副题"
    assert length == len(units.replace(SEP, ""))
    assert page == {"f": [["", "两个机关", ""], ["", "副题", ""], ["", "朱季林", ""], ["", "本网", ""],
                          ["", "监督法", "，", "法院", ""]]}


def test_no_word_can_match_across_a_gap_or_a_field():
    """议案。案件 must not match 议案件, nor a title's end and a subtitle's start."""
    _, units, _, _, _ = article_text("建议案", "案件", "", "", "建议案。案件")
    assert "议案件" not in units and "议案" in units and "案件" in units


def test_an_empty_field_still_holds_its_place():
    _, units, title_end, subtitle_end, length = article_text("", "", "", "", "正文")
    assert (title_end, subtitle_end, length) == (0, 1, 2)
    assert units == SEP * 4 + "正文"


def test_folded_characters_are_written_folded_and_listed_for_the_excerpt():
    page, units, _, _, _ = article_text("", "", "", "", "全县ＧＤＰ增长")
    assert "gdp增长" in units
    assert page["f"][4] == ["", "全县gdp增长", ""]  # folded; the page shows ＧＤＰ back from the exceptions
    assert page["x"] == [[2, 1, "Ｇ", 0, 0], [3, 1, "Ｄ", 0, 0], [4, 1, "Ｐ", 0, 0]]


def test_a_character_folding_into_separators_and_units_notes_them():
    page, units, _, _, _ = article_text("", "", "", "", "⑴加强")
    assert units.endswith("1" + SEP + "加强")
    assert page["x"] == [[0, 1, "⑴", 1, 1]]  # its unit, and the '(' before and ')' after it


def test_letters_keep_their_case_where_lower_casing_them_alone_gives_the_unit():
    page, units, _, _, _ = article_text("ICP备案", "", "", "", "")
    assert page["f"][0] == ["", "ICP备案", ""] and "x" not in page
    assert units.startswith("icp备案")


def test_a_final_sigma_is_folded_as_one_character_alone():
    """str.lower() writes a word-final Σ as ς; fold() (and the browser) as σ."""
    _, units, _, _, _ = article_text("ΣΟΦΙΑΣ", "", "", "", "")
    assert units.startswith("σοφιασ") and query_words("ΣΟΦΙΑΣ") == ["σοφιασ"]


def test_fold_is_nfkc_then_lower_case():
    assert fold("Ａ") == "a" and fold("①") == "1" and fold("ﬁ") == "fi"


def test_characters_a_reader_never_sees_do_not_split_a_word():
    _, units, *_ = article_text("市人大\u200b代表", "", "", "", "人民\ufeff群众、县人大\u00ad常委会；人大\ufe0f代表；Me\u0301ixia\u0300n")
    assert [run for run in units.split(SEP) if run] == ["市人大代表", "人民群众", "县人大常委会", "人大代表", "méixiàn"]
    assert query_words("Me\u0301ixia\u0300n") == query_words("Méixiàn") == ["méixiàn"]
    assert field_segments("人大\u200b代表 a", 0)[0] == ["", "人大代表", " ", "a", ""], "nor show as a space"
