"""One shard's search index: its articles' terms with the articles holding them, its bigrams' positions,
and what the search page shows of each article; a pure function of the articles, in their order.

Files (names relative to the shard's folder; all numbers little-endian):
- t<n>.bin, the terms whose term_bucket is n: for each, sorted by term, [length][UTF-8 term][varint
  count * 4 + 2 if its positions follow + 1 if its ranks are gaps][count x u8 gap from the rank before
  (from -1), or count x u16 rank][count x u8 value][its positions, if they follow], value = min(occurrences
  outside the title and subtitle, 63) * 4 + 2 (in the title) + 1 (in the subtitle). Terms: every unit,
  every bigram (those across a gap too: a run's last unit with SEP, SEP with the next run's first), and the 3- and
  4-grams frequent in the shard (FREQUENT).
- Positions, of every bigram and kept 4-gram: [flags][varint count][count x occurrences][the positions,
  article after article]; flags bit 0: occurrences are u32 (else u16), bit 1: positions are u32 (else u16).
  A position indexes the article's units (searchtext). Up to INLINE bytes they follow the term's entry;
  longer, they are in p<n>.bin, the positions of the terms whose term_bucket is n: [length][UTF-8 term]
  [positions].
- docs.bin: for each article, varints: where its title's units end, where its subtitle's end.
- f/<rank>.json: what the page shows: address (under the site's root), date, section, the fields' segments
  and exceptions.
- meta.json: the number of articles, of term files and of position files, and the others' bytes.
A shard's articles are numbered by rank, 0 for the newest.
"""

from __future__ import annotations

import json
import math
import pickle
import sys
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict, deque
from dataclasses import dataclass
from itertools import chain, compress, repeat
from operator import add, and_, mul, rshift, sub
from pathlib import Path
from typing import Sequence

from . import searchtext
from .searchtext import SEP

RANKS_MAX = 1 << 16  # ranks are u16
SAMPLE = 256  # a shard's frequent 3- and 4-grams are chosen from this many of its articles, evenly spread
FREQUENT = 0.01  # share of those articles a 3- or 4-gram must occur in (and at least two) to be a term
# Average size of a term file, and of a position file: a word's lookup reads one term file in every shard
# (at 100,000 articles, 50 of them), and position files where a long or rare word needs them.
TERM_BYTES, POSITION_BYTES = 4096, 8192
INLINE = 512  # positions of at most this many bytes are written in the term's entry (a rare term's)
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
    """The shard's postings as they are gathered, article by article in rank order. Every step of add() runs
    in C over the article's units (map, filter, Counter, deque); a loop in Python over the 2,000 units of an
    article would cost several times as much, and so did a table per article (1.67 -> 0.74 ms an article
    for the bigrams, 2.08 -> 1.55 for the 3- and 4-grams)."""

    def __init__(self, frequent: frozenset[str]):
        self.frequent = frequent
        self.singles: defaultdict[str, list[int]] = defaultdict(list)  # unit -> [rank, occurrences, ...]
        self.pairs: defaultdict[str, array] = defaultdict(lambda: array("Q"))  # bigram -> rank << 32 | position
        self.quads: defaultdict[str, array] = defaultdict(lambda: array("Q"))  # kept 4-gram -> the same
        self.grams: defaultdict[str, array] = defaultdict(lambda: array("H"))  # kept 3-gram -> rank an occurrence
        # term -> [rank, 2 (title) or 1 (subtitle), occurrences there, ...]
        self.heads: defaultdict[str, list[int]] = defaultdict(list)

    def add(self, rank: int, text: str, title_end: int, subtitle_end: int) -> None:
        singles = Counter(text)
        singles.pop(SEP, None)
        deque(map(list.extend, map(self.singles.__getitem__, singles), zip(repeat(rank), singles.values())), maxlen=0)
        pairs = list(map(add, text, text[1:]))
        start = rank << 32
        deque(map(array.append, map(self.pairs.__getitem__, pairs), range(start, start + len(pairs))), maxlen=0)
        keep = self.frequent.__contains__
        deque(map(array.append, map(self.grams.__getitem__, filter(keep, map(add, pairs, text[2:]))), repeat(rank)),
              maxlen=0)
        quads = list(map(add, pairs, pairs[2:]))
        kept = list(map(keep, quads))
        deque(map(array.append, map(self.quads.__getitem__, compress(quads, kept)),
                  compress(range(start, start + len(quads)), kept)), maxlen=0)
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

    def entries(self):
        """(term entry, position entry or None) of every term, by term: a term's positions are in its term
        entry when they take no more than INLINE bytes (a rare bigram's or 4-gram's: no second file to read)."""
        for term, flat in self.singles.items():
            yield term, self.term_entry(term, flat[0::2], flat[1::2]), None
        for term, ranks in self.grams.items():
            held = Counter(ranks)
            yield term, self.term_entry(term, list(held), list(held.values())), None
        for term, places in chain(self.pairs.items(), self.quads.items()):
            if term == SEP + SEP:  # between two empty fields: no word holds it
                continue
            held = Counter(map(rshift, places, repeat(32)))
            ranks, occurrences = list(held), list(held.values())
            positions = self.positions(occurrences, array("I", map(and_, places, repeat(0xFFFFFFFF))))
            if len(positions) <= INLINE:
                yield term, self.term_entry(term, ranks, occurrences, positions), None
            else:
                name = term.encode()
                yield term, self.term_entry(term, ranks, occurrences), b"".join((bytes((len(name),)), name, positions))

    def term_entry(self, term: str, ranks: list[int], occurrences: list[int], positions: bytes = b"") -> bytes:
        heads = self.heads.get(term, ())
        flags = {}
        if heads:
            occurrences = list(occurrences)  # the position entry needs them all
        for index in range(0, len(heads), 3):  # occurrences in the title and subtitle count apart
            at = bisect_left(ranks, heads[index])
            occurrences[at] -= heads[index + 2]
            flags[at] = flags.get(at, 0) | heads[index + 1]
        values = bytearray(map(mul, map(min, occurrences, repeat(VALUE_MAX)), repeat(4)))
        for at, flag in flags.items():
            values[at] |= flag
        name = term.encode()
        gaps = list(map(sub, ranks, [-1, *ranks[:-1]]))  # from -1: never 0
        inline = 2 if positions else 0
        if max(gaps) < 256:  # a common term's ranks as gaps of a byte each: a third of the index
            return b"".join((bytes((len(name),)), name, varint(len(ranks) * 4 + inline + 1), bytes(gaps), values,
                             positions))
        return b"".join((bytes((len(name),)), name, varint(len(ranks) * 4 + inline), _u16(ranks), values, positions))

    @staticmethod
    def positions(occurrences: list[int], positions: array) -> bytes:
        """[flags][varint count][count x occurrences][the positions, article after article]."""
        wide_counts, wide_positions = max(occurrences) >= RANKS_MAX, max(positions) >= RANKS_MAX
        return b"".join((bytes((wide_counts | wide_positions << 1,)), varint(len(occurrences)),
                         (_u32 if wide_counts else _u16)(occurrences), (_u32 if wide_positions else _u16)(positions)))


def _buckets(entries: dict[str, bytes], prefix: str, size: int) -> tuple[int, dict[str, bytes]]:
    """Entries (by term) in files of about `size` bytes, each file's entries sorted by term."""
    number = max(1, math.ceil(sum(map(len, entries.values())) / size))
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
    terms, positions = {}, {}
    for term, entry, places in inverted.entries():
        terms[term] = entry
        if places is not None:
            positions[term] = places
    del inverted
    term_files, term_buckets = _buckets(terms, "t", TERM_BYTES)
    position_files, position_buckets = _buckets(positions, "p", POSITION_BYTES)
    files.update(term_buckets)
    files.update(position_buckets)
    files["docs.bin"] = bytes(docs)
    files["meta.json"] = json.dumps({"count": len(articles), "terms": term_files, "positions": position_files,
                                     "bytes": sum(map(len, files.values()))}, separators=(",", ":")).encode()
    return files


# A shard is cached as four entries, its files by kind, each stored under the shard's key and the part: a
# build reads one back at a time to publish it (the largest, the articles' pages, is 20 MB for 2,000
# generated articles; the whole shard 48 MB, held twice while it is read).
PARTS = ("m", "t", "p", "f")  # meta.json and docs.bin; term files; position files; the articles' pages


def part_of(name: str) -> str:
    return "f" if name.startswith("f/") else name[0] if name[0] in "tp" and name.endswith(".bin") else "m"


def split_parts(files: dict[str, bytes]) -> dict[str, dict[str, bytes]]:
    parts: dict[str, dict[str, bytes]] = {part: {} for part in PARTS}
    for name, data in files.items():
        parts[part_of(name)][name] = data
    return parts


def serve_shards(requests, replies) -> None:
    """A worker's loop (search.Workers): for each pickled (articles, cache folder or
    None, namespace, key) from `requests`, index the shard, store its files in the cache, and pickle back
    (None, {name: content digest}, meta.json, the files themselves only if they could not be stored), or
    (what went wrong,) when it could not be indexed."""
    from .cache import Cache, pack_files
    from .messages import say
    from .output import content_digest

    while True:
        try:
            articles, root, namespace, key = pickle.load(requests)
        except EOFError:
            return
        try:
            files = index_shard(articles)
        except OSError as err:
            reply: tuple = (f"{err.strerror or err}" + (f": {err.filename}" if err.filename else ""),)
        except MemoryError:
            reply = (say("out of memory; build with fewer --jobs"),)
        else:
            cache = Cache(Path(root)) if root is not None else None
            stored = cache is not None and all(cache.put(namespace, key + part, pack_files(some)) is not None
                                               for part, some in split_parts(files).items())
            reply = (None, {name: content_digest(data) for name, data in files.items()}, files["meta.json"],
                     None if stored else files)
        pickle.dump(reply, replies, protocol=pickle.HIGHEST_PROTOCOL)
        replies.flush()
