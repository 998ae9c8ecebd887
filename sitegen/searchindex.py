"""One shard's search index: its articles' terms with the articles holding them, its bigrams' positions,
and what the search page shows of each article; a pure function of the articles, in their order.

Files (names relative to the shard's folder; all numbers little-endian):
- t<n>.bin, the terms whose term_bucket is n: for each, sorted by term, [length][UTF-8 term][varint count]
  [count x u16 rank][count x u8 value], value = min(occurrences outside the title and subtitle, 63) * 4
  + 2 (in the title) + 1 (in the subtitle). Terms: every unit, every bigram, and the 3- and 4-grams
  frequent in the shard (FREQUENT).
- p<n>.bin, the bigrams whose term_bucket is n, with their positions: [length][UTF-8 bigram][flags]
  [varint count][count x occurrences][the positions, article after article]; flags bit 0: occurrences are
  u32 (else u16), bit 1: positions are u32 (else u16). A position indexes the article's units (searchtext).
- docs.bin: for each article, varints: where its title's units end, where its subtitle's end.
- f/<rank>.json: what the page shows: address (under the site's root), date, section, the fields' segments
  and exceptions.
- meta.json: the number of articles, of term files and of position files.
A shard's articles are numbered by rank, 0 for the newest.
"""

from __future__ import annotations

import json
import math
import sys
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict, deque
from dataclasses import dataclass
from itertools import count, repeat
from operator import add, mul
from typing import Sequence

from . import searchtext
from .searchtext import SEP

RANKS_MAX = 1 << 16  # ranks are u16
SAMPLE = 256  # a shard's frequent 3- and 4-grams are chosen from this many of its articles, evenly spread
FREQUENT = 0.01  # share of those articles a 3- or 4-gram must occur in (and at least two) to be a term
BUCKET_BYTES = 8192  # average size of a term or position file: a word's lookup reads one of each per shard
VALUE_MAX = 63  # occurrences stored in a value (ranking saturates long before)


@dataclass(frozen=True, slots=True)
class ShardArticle:
    url: str  # under the site's root, without its leading slash
    date: str  # as readers see it
    section: str  # its section's title
    title: str
    subtitle: str
    author: str
    source: str
    body: str  # plain text


def _u16(values) -> bytes:
    data = array("H", values)
    if sys.byteorder == "big":
        data.byteswap()
    return data.tobytes()


def _u32(values) -> bytes:
    data = array("I", values)
    if data.itemsize != 4:
        data = array("L", values)
    if sys.byteorder == "big":
        data.byteswap()
    return data.tobytes()


def varint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def frequent_grams(units: Sequence[str]) -> frozenset[str]:
    """The 3- and 4-grams (inside runs) held by at least FREQUENT of an even sample of the articles, and by
    two or more: what the shard keeps as terms besides its units and bigrams. Which grams these are never
    changes a result, only what a lookup reads (a gram not kept is found from its bigrams' positions)."""
    step = max(1, len(units) // SAMPLE)
    sample = units[::step]
    held: Counter = Counter()
    for text in sample:
        pairs = list(map(add, text, text[1:]))
        held.update(set(map(add, pairs, text[2:])).union(map(add, pairs, pairs[2:])))
    least = max(2, math.ceil(len(sample) * FREQUENT))
    return frozenset(gram for gram, articles in held.items() if articles >= least and SEP not in gram)


class _Inverted:
    """The shard's postings as they are gathered, article by article in rank order."""

    def __init__(self, frequent: frozenset[str]):
        self.frequent = frequent
        self.postings: defaultdict[str, list[int]] = defaultdict(list)  # term -> [rank, occurrences, ...]
        self.positions: defaultdict[str, list[int]] = defaultdict(list)  # bigram -> positions, article by article
        # term -> [rank, 2 (title) or 1 (subtitle), occurrences there, ...]
        self.heads: defaultdict[str, list[int]] = defaultdict(list)

    def add(self, rank: int, text: str, title_end: int, subtitle_end: int) -> None:
        # Every step below runs in C over the article's units (map, Counter, deque): a loop in Python over
        # 2,000 units an article would cost several times as much.
        singles = Counter(text)
        singles.pop(SEP, None)
        pairs = list(map(add, text, text[1:]))
        at: defaultdict[str, list[int]] = defaultdict(list)
        deque(map(list.append, map(at.__getitem__, pairs), count()), maxlen=0)
        for pair in [pair for pair in at if SEP in pair]:
            del at[pair]
        keep = self.frequent.__contains__
        longer = Counter(filter(keep, map(add, pairs, text[2:])))
        longer.update(filter(keep, map(add, pairs, pairs[2:])))
        extend, postings = list.extend, self.postings.__getitem__
        deque(map(extend, map(postings, singles), zip(repeat(rank), singles.values())), maxlen=0)
        deque(map(extend, map(postings, at), zip(repeat(rank), map(len, at.values()))), maxlen=0)
        deque(map(extend, map(postings, longer), zip(repeat(rank), longer.values())), maxlen=0)
        deque(map(extend, map(self.positions.__getitem__, at), at.values()), maxlen=0)
        for flag, head in ((2, text[:title_end]), (1, text[title_end + 1:subtitle_end])):
            if head:
                for term, occurrences in self.terms_of(head).items():
                    self.heads[term] += (rank, flag, occurrences)

    def terms_of(self, text: str) -> dict[str, int]:
        pairs = list(map(add, text, text[1:]))
        found = Counter(text)
        found.update(pairs)
        found.update(map(add, pairs, text[2:]))
        found.update(map(add, pairs, pairs[2:]))
        return {term: n for term, n in found.items() if SEP not in term and (len(term) <= 2 or term in self.frequent)}

    def term_entry(self, term: str, postings: list[int]) -> bytes:
        ranks, occurrences = postings[0::2], postings[1::2]
        heads = self.heads.get(term, ())
        flags = {}
        for index in range(0, len(heads), 3):  # occurrences in the title and subtitle count apart
            at = bisect_left(ranks, heads[index])
            occurrences[at] -= heads[index + 2]
            flags[at] = flags.get(at, 0) | heads[index + 1]
        values = bytearray(map(mul, map(min, occurrences, repeat(VALUE_MAX)), repeat(4)))
        for at, flag in flags.items():
            values[at] |= flag
        name = term.encode()
        return b"".join((bytes((len(name),)), name, varint(len(ranks)), _u16(ranks), values))

    def position_entry(self, term: str, postings: list[int]) -> bytes:
        occurrences, positions = postings[1::2], self.positions[term]
        wide_counts, wide_positions = max(occurrences) >= RANKS_MAX, max(positions) >= RANKS_MAX
        name = term.encode()
        return b"".join((bytes((len(name),)), name, bytes((wide_counts | wide_positions << 1,)),
                         varint(len(occurrences)), (_u32 if wide_counts else _u16)(occurrences),
                         (_u32 if wide_positions else _u16)(positions)))


def _buckets(entries: dict[str, bytes], prefix: str) -> tuple[int, dict[str, bytes]]:
    """Entries (by term) in files of about BUCKET_BYTES, each file's entries sorted by term."""
    number = max(1, math.ceil(sum(map(len, entries.values())) / BUCKET_BYTES))
    files: list[list[bytes]] = [[] for _ in range(number)]
    for term in sorted(entries):
        files[searchtext.term_bucket(term, number)].append(entries[term])
    return number, {f"{prefix}{n}.bin": b"".join(parts) for n, parts in enumerate(files)}


def index_shard(articles: Sequence[ShardArticle]) -> dict[str, bytes]:
    """The shard's files (see the module's docstring), from its articles newest first."""
    if len(articles) > RANKS_MAX:
        raise ValueError(f"a shard of {len(articles)} articles: ranks are u16")
    files: dict[str, bytes] = {}
    texts, docs = [], bytearray()
    for rank, article in enumerate(articles):
        page, units, title_end, subtitle_end, _ = searchtext.article_text(
            article.title, article.subtitle, article.author, article.source, article.body)
        page = {"u": article.url, "d": article.date, "s": article.section, **page}
        files[f"f/{rank}.json"] = json.dumps(page, ensure_ascii=False, separators=(",", ":")).encode()
        texts.append((units, title_end, subtitle_end))
        docs += varint(title_end) + varint(subtitle_end)
    inverted = _Inverted(frequent_grams([text[0] for text in texts]))
    for rank, (units, title_end, subtitle_end) in enumerate(texts):
        inverted.add(rank, units, title_end, subtitle_end)
    del texts
    terms = {term: inverted.term_entry(term, postings) for term, postings in inverted.postings.items()}
    term_files, term_buckets = _buckets(terms, "t")
    del terms
    positions = {term: inverted.position_entry(term, inverted.postings[term]) for term in inverted.positions}
    position_files, position_buckets = _buckets(positions, "p")
    files.update(term_buckets)
    files.update(position_buckets)
    files["docs.bin"] = bytes(docs)
    files["meta.json"] = json.dumps({"count": len(articles), "terms": term_files, "positions": position_files},
                                    separators=(",", ":")).encode()
    return files
