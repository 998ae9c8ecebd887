"""One shard's index (sitegen/searchindex.py), read back by a reader of the documented format written here,
against what a plain scan of the articles' text says."""

from __future__ import annotations

import json
import struct
from collections import Counter

import pytest

from sitegen import searchindex, searchtext
from sitegen.searchindex import ShardArticle, index_shard
from sitegen.searchtext import SEP


def article(title="", body="", subtitle="", author="", source="", url="a/"):
    return ShardArticle(url, "2024-01-02 03:04", "栏目", title, subtitle, author, source, body)


def varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, at


def numbers(data: bytes, at: int, count: int, width: int) -> tuple[list[int], int]:
    return list(struct.unpack_from("<" + ("H" if width == 2 else "I") * count, data, at)), at + width * count


def read_position_entry(data: bytes, at: int) -> tuple[list[list[int]], int]:
    """[flags][varint count][occurrences][positions] -> ([positions in its first article, ...], where it ends)."""
    flags = data[at]
    count, at = varint(data, at + 1)
    counts, at = numbers(data, at, count, 4 if flags & 1 else 2)
    flat, at = numbers(data, at, sum(counts), 4 if flags & 2 else 2)
    found, start = [], 0
    for n in counts:
        found.append(flat[start:start + n])
        start += n
    return found, at


INLINE: dict[str, list[list[int]]] = {}  # positions read with the term entries, by the last read_terms


def read_terms(files: dict[str, bytes]) -> dict[str, tuple[list[int], list[int]]]:
    """Every term entry of the shard: term -> (ranks, values), checking each sits in its own bucket, sorted;
    the positions written in an entry go to INLINE."""
    meta = json.loads(files["meta.json"])
    found = {}
    INLINE.clear()
    for bucket in range(meta["terms"]):
        data, at, names = files[f"t{bucket}.bin"], 0, []
        while at < len(data):
            name = data[at + 1:at + 1 + data[at]].decode()
            at += 1 + data[at]
            code, at = varint(data, at)
            count = code // 4
            if code & 1:  # gaps of a byte from the rank before, from -1
                ranks, rank = [], -1
                for gap in data[at:at + count]:
                    rank += gap
                    ranks.append(rank)
                at += count
            else:
                ranks, at = numbers(data, at, count, 2)
            values, at = list(data[at:at + count]), at + count
            if code & 2:
                INLINE[name], at = read_position_entry(data, at)
                assert len(INLINE[name]) == count
            assert searchtext.term_bucket(name, meta["terms"]) == bucket and name not in found
            names.append(name)
            found[name] = (ranks, values)
        assert names == sorted(names)
    return found


def read_positions(files: dict[str, bytes]) -> dict[str, list[list[int]]]:
    """Every bigram's and kept 4-gram's positions: term -> [positions in its first article, in its second, ...],
    from its term entry or from the position files."""
    meta = json.loads(files["meta.json"])
    read_terms(files)
    found = dict(INLINE)
    for bucket in range(meta["positions"]):
        data, at = files[f"p{bucket}.bin"], 0
        while at < len(data):
            name = data[at + 1:at + 1 + data[at]].decode()
            at += 1 + data[at]
            assert searchtext.term_bucket(name, meta["positions"]) == bucket and name not in found
            found[name], at = read_position_entry(data, at)
    return found


def scan(units: str, n: int) -> Counter:
    """The n-grams of an article's units inside its runs, counted the slow way."""
    return Counter(g for run in units.split(SEP) for g in (run[i:i + n] for i in range(len(run) - n + 1)))


def across(units: str) -> Counter:
    """The bigrams across a gap: a run's last unit with SEP, SEP with the next run's first (3.5 -> '3|', '|5')."""
    return Counter(pair for pair in (units[i:i + 2] for i in range(len(units) - 1)) if SEP in pair and pair != SEP * 2)


ARTICLES = [
    article("聚焦“两个机关”建设", "两个机关，两个机关。人大代表履职。", subtitle="人大代表之家"),
    article("人大代表之家开放", "代表之家接待选民，人大代表参加。ＧＤＰ增长。"),
    article("县人大常委会会议", "会议听取报告。人大代表列席。建议案。案件"),
    article("", "人人人，法"),
]


@pytest.fixture(scope="module")
def shard():
    return index_shard(ARTICLES)


def test_the_files_are_those_the_format_names(shard):
    meta = json.loads(shard["meta.json"])
    assert meta["count"] == len(ARTICLES)
    assert set(shard) == {"meta.json", "docs.bin", *(f"f/{r}.json" for r in range(len(ARTICLES))),
                          *(f"t{n}.bin" for n in range(meta["terms"])), *(f"p{n}.bin" for n in range(meta["positions"]))}


def test_every_unit_and_bigram_lists_exactly_its_articles_with_their_counts(shard):
    terms = read_terms(shard)
    texts = [searchtext.article_text(a.title, a.subtitle, a.author, a.source, a.body) for a in ARTICLES]
    frequent = searchindex.frequent_grams([t[1] for t in texts])
    want: dict[str, dict[int, int]] = {}
    for rank, (_, units, title_end, subtitle_end, _) in enumerate(texts):
        heads = scan(units[:title_end], 1) + scan(units[:title_end], 2)
        subs = scan(units[title_end + 1:subtitle_end], 1) + scan(units[title_end + 1:subtitle_end], 2)
        for n in (1, 2, 3, 4):
            heads.update(scan(units[:title_end], n) if n > 2 else {})
            subs.update(scan(units[title_end + 1:subtitle_end], n) if n > 2 else {})
            found = scan(units, n) + (across(units) if n == 2 else Counter())
            for gram, count in found.items():
                if n > 2 and gram not in frequent:
                    continue
                rest = count - heads.get(gram, 0) - subs.get(gram, 0)
                value = min(rest, 63) * 4 + 2 * (gram in heads) + (gram in subs)
                want.setdefault(gram, {})[rank] = value
    assert {term: dict(zip(*entry)) for term, entry in terms.items()} == want


def test_frequent_grams_are_those_in_two_articles_or_more_here(shard):
    terms = read_terms(shard)
    assert "人大代表" in terms and terms["人大代表"][0] == [0, 1, 2]
    assert "代表之家" in terms and "两个机关" not in terms, "in one article only: found from its bigrams"
    assert terms["代表之家"] == ([0, 1], [1, 2 + 4])  # the subtitle only; the title and once more in the text


def test_positions_are_where_each_bigram_and_kept_4_gram_starts_in_each_article(shard):
    positions = read_positions(shard)
    terms = read_terms(shard)
    for rank, a in enumerate(ARTICLES):
        _, units, _, _, _ = searchtext.article_text(a.title, a.subtitle, a.author, a.source, a.body)
        for gram in [*scan(units, 2), *(g for g in scan(units, 4) if g in terms)]:
            k = terms[gram][0].index(rank)
            assert positions[gram][k] == [i for i in range(len(units)) if units.startswith(gram, i)]
    assert set(positions) == {t for t in terms if len(t) in (2, 4)}
    assert "人大代表" in positions
    assert positions["人人"] == [[4, 5]], "overlapping occurrences are both there (after four empty fields)"


def test_docs_tell_where_each_title_and_subtitle_end(shard):
    data, at, ends = shard["docs.bin"], 0, []
    while at < len(data):
        title_end, at = varint(data, at)
        subtitle_end, at = varint(data, at)
        ends.append((title_end, subtitle_end))
    assert ends == [searchtext.article_text(a.title, a.subtitle, a.author, a.source, a.body)[2:4] for a in ARTICLES]


def test_each_article_has_the_page_the_search_page_shows(shard):
    page = json.loads(shard["f/1.json"])
    assert page["u"] == "a/" and page["d"] == "2024-01-02 03:04" and page["s"] == "栏目"
    assert page["f"][0] == ["", "人大代表之家开放", ""]
    assert [x[2] for x in page["x"]] == ["Ｇ", "Ｄ", "Ｐ"]


def test_the_same_articles_give_the_same_bytes(shard):
    assert index_shard(list(ARTICLES)) == shard


def test_ranks_far_apart_are_written_whole():
    files = index_shard([article("甲")] + [article("乙")] * 300 + [article("甲")])
    data = files[f"t{searchtext.term_bucket('甲', json.loads(files['meta.json'])['terms'])}.bin"]
    at = data.index("甲".encode()) + 3
    assert varint(data, at)[0] == 2 * 4, "two ranks, written as u16"
    assert read_terms(files)["甲"][0] == [0, 301] and read_terms(files)["乙"][0] == list(range(1, 301))


def test_an_article_longer_than_u16_positions_has_wide_positions():
    files = index_shard([article("标题", "甲乙" * 40_000)])
    positions = read_positions(files)
    assert positions["甲乙"][0][-1] == 2 + 4 + 79_998  # after the title and four separators
    assert "甲乙" not in INLINE and INLINE["标题"] == [[0]], "long positions in a file of their own, short ones inline"
    assert read_terms(files)["甲乙"][1] == [63 * 4], "occurrences saturate at 63 in a value"


def test_a_shard_too_large_for_u16_ranks_is_refused():
    with pytest.raises(ValueError, match="ranks are u16"):
        index_shard([article()] * (searchindex.RANKS_MAX + 1))
