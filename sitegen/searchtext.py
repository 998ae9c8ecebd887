"""Search tokenizer: article text to the words Pagefind indexes, and a query to the phrases it looks up.

The same rules are written once more in assets/js/search-text.js; tests/unit/search_text_cases.json runs
through both, so the index and the browser can never split text differently.

- Text is compared after NFKC and lower-casing, character by character (full-width ＩＣＰ is icp).
- Letters and digits of every script are "units"; everything else (spaces, punctuation, symbols) only
  separates runs of units. A query ignores everything but its units, and its space-separated words must
  all occur.
- Each run of units is indexed as overlapping bigrams (两个机关 -> 两个 个机 机关; a one-unit run as
  itself), so a word of n >= 2 units is found as the phrase of its n-1 bigrams at consecutive positions:
  exactly the articles containing it, wherever it sits in a run (议案 inside 建议案). Every gap between
  runs is a word of its own, so a phrase never matches across punctuation, a space or a paragraph break.
- A one-unit query is looked up in tables of our own, not in Pagefind: each shard lists, for each unit,
  the ranks of its articles holding it (and of those with it in the title). Indexing every distinct unit
  in Pagefind cost a quarter of its time; its prefix search would miss words in chunks it does not load.
- The indexed content is also how the browser shows the article: runs keep their original case, gaps
  their original characters, and the few characters NFKC changed are listed so the excerpt shows them.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata

VERSION = "2"  # part of every search cache key: change it whenever the rules below change
UNIT_RUN = re.compile(r"[^\W_]+")  # letters and digits of every script (Unicode L* and N*)
UNIT_SPLIT = re.compile(r"([^\W_]+)")
UNIT = re.compile(r"[^\W_]")
# Spaces that separate the words of a query (the same list in search-text.js: \s differs between the two).
QUERY_SPACES = re.compile("[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
SPACES = re.compile(r"[\s\u200b]+")
WS_MARK = "\ue000"  # a gap's spaces and line breaks (shown as one space)
FIELD_MARK = "\ue001"  # between title, subtitle, author, source, body and EVERY_PAGE
RESERVED = re.compile("[\ue000-\ue00f]")
# A word every article ends with, after a FIELD_MARK: searching for it lists a shard's pages by rank with one
# index chunk (Pagefind's search(null) loads them all). No query can look it up: a query's words are bigrams.
EVERY_PAGE = "sitegenpage"
# Digits of numbers stored in Pagefind meta: punctuation only, so Pagefind indexes no word for them.
META_DIGITS = "!$%&'()+-/<=>?@^"


def is_unit(char: str) -> bool:
    return UNIT_RUN.fullmatch(char) is not None


# fold() and _plain() are pure functions of one character, asked about the same few thousand characters
# millions of times: their answers are memoised (a cache of facts about Unicode, not build state).
@functools.cache
def fold(char: str) -> str:
    """One character as search compares it: NFKC, then lower case character by character."""
    return "".join(c.lower() for c in unicodedata.normalize("NFKC", char))


def query_words(query: str) -> list[str]:
    """The query's words as strings of units, duplicates dropped: '《监督法》 ＩＣＰ' -> ['监督法', 'icp']."""
    words = []
    for part in QUERY_SPACES.split(unicodedata.normalize("NFKC", query)):
        units = "".join(c for c in "".join(fold(c) for c in part) if is_unit(c))
        if units and units not in words:
            words.append(units)
    return words


def word_tokens(word: str) -> list[str]:
    """The index words a query word is looked up as: its bigrams, or the unit itself."""
    return [word] if len(word) == 1 else [word[i:i + 2] for i in range(len(word) - 1)]


def pagefind_query(word: str) -> str:
    """The Pagefind exact-phrase search for one query word."""
    return '"' + " ".join(word_tokens(word)) + '"'


def _shown(char: str) -> bool:
    """Whether a unit can be written into the content as it is: when Pagefind's own lower-casing gives
    our folded form (plain letters of any case). Otherwise the folded form is written, and the original
    noted for the excerpt."""
    if unicodedata.normalize("NFKC", char) != char:
        return False
    lower = char.lower()
    return lower == char or (len(lower) == 1 and unicodedata.category(char) == "Lu")


@functools.cache
def _plain(char: str) -> bool:
    """A character written as it is: a unit shown as it is, or one that folds to no unit (a separator)."""
    if is_unit(char):
        return _shown(char)
    return not any(is_unit(c) for c in fold(char))


@functools.cache
def _common_plain() -> frozenset[str]:
    """The _plain characters of ASCII, CJK and full-width punctuation and the basic CJK ideographs: almost every
    character of a Chinese article, checked with one set operation instead of a call each."""
    ranges = ((0x20, 0x7F), (0x2010, 0x2030), (0x3001, 0x3040), (0x4E00, 0xA000), (0xFF01, 0xFF66))
    return frozenset(c for start, end in ranges for c in map(chr, range(start, end)) if _plain(c))


def _folded_text(text: str) -> tuple[str, list[tuple[int, int, str, int, int]]]:
    """The text with every character that is not _plain replaced by its folded form, and for each such
    character (index of its first unit in the new text, units, original, folded separators before the
    first unit, after the last). Almost every text is returned unchanged."""
    if all(_plain(c) for c in set(text) - _common_plain()):
        return text, []
    out: list[str] = []
    exceptions = []
    length = 0
    for char in text:
        if _plain(char):
            out.append(char)
            length += 1
            continue
        folded = fold(char)
        first = next(i for i, c in enumerate(folded) if is_unit(c))
        last = max(i for i, c in enumerate(folded) if is_unit(c))
        units = sum(1 for c in folded if is_unit(c))
        exceptions.append((length + first, units, char, first, len(folded) - 1 - last))
        out.append(folded)
        length += len(folded)
    return "".join(out), exceptions


def field_words(text: str, unit_base: int) -> tuple[list[str], list[tuple[int, int, str, int, int]], int]:
    """Content words of one field (runs as bigrams, gaps as words of their own), its exceptions with
    unit indices counted from unit_base, and the number of units it holds."""
    text, exceptions = _folded_text(SPACES.sub(WS_MARK, RESERVED.sub("\ufffd", text)))
    parts = UNIT_SPLIT.split(text)  # gap, run, gap, ..., run, gap (gaps may be empty)
    gaps, runs = parts[0::2], parts[1::2]
    words: list[str] = []
    add, extend = words.append, words.extend
    for gap, run in zip(gaps, runs):
        if gap:
            add(gap)
        if len(run) == 1:
            add(run)
        else:
            extend(map(str.__add__, run[:-1], run[1:]))
    if gaps[-1]:
        add(gaps[-1])
    by_unit = []
    if exceptions:
        run_starts: list[int] = []  # text index where each run starts
        run_units: list[int] = []  # unit index of its first unit
        at, unit = 0, unit_base
        for gap, run in zip(gaps, runs):
            run_starts.append(at + len(gap))
            run_units.append(unit)
            at += len(gap) + len(run)
            unit += len(run)
    for index, count, original, lead, trail in exceptions:
        run = bisect.bisect_right(run_starts, index) - 1
        by_unit.append((run_units[run] + index - run_starts[run], count, original, lead, trail))
    return words, by_unit, sum(map(len, runs))


def encode_number(value: int, base: int = 16) -> str:
    digits = META_DIGITS[:base]
    text = ""
    while True:
        value, digit = divmod(value, base)
        text = digits[digit] + text
        if not value:
            return text


def encode_exceptions(exceptions) -> str:
    """'unit:count:codepoint[:lead:trail];...' with every number in META_DIGITS hexadecimal."""
    entries = []
    for unit, count, original, lead, trail in exceptions:
        parts = [encode_number(unit), encode_number(count), ".".join(encode_number(ord(c)) for c in original)]
        if lead or trail:
            parts += [encode_number(lead), encode_number(trail)]
        entries.append(":".join(parts))
    return ";".join(entries)


def encode_date(text: str) -> str:
    """'2019-11-08 11:25' -> its digits written with META_DIGITS (the browser puts the dashes back)."""
    return "".join(META_DIGITS[int(c)] for c in text if c.isdigit())


def article_content(title: str, subtitle: str, author: str, source: str, body: str) -> tuple[str, str, int]:
    """(content, exceptions, words of the title) of one article: what Pagefind indexes and the browser
    shows; a match at a position below the title's word count is in the title."""
    words: list[str] = []
    exceptions: list[tuple[int, int, str]] = []
    units = 0
    for number, text in enumerate((title, subtitle, author, source, body)):
        if number:
            words.append(FIELD_MARK)
        field, field_exceptions, count = field_words(text, units)
        words.extend(field)
        exceptions.extend(field_exceptions)
        units += count
        if number == 0:
            title_words = len(words)
    words += [FIELD_MARK, EVERY_PAGE]
    return " ".join(words), encode_exceptions(exceptions), title_words


@functools.cache
def char_units(char: str) -> tuple[str, ...]:
    """The units one character folds to (none for a separator; 'ｉ' -> ('i',), '㎞' -> ('k', 'm'))."""
    return tuple(sorted(set(UNIT.findall(fold(char)))))


def text_units(text: str) -> set[str]:
    """The distinct units of a text as search compares them (what a one-unit query looks up)."""
    return set().union(*map(char_units, set(text)))


def units_by_rank(char_ranks: dict[str, list[int]]) -> dict[str, list[int]]:
    """{character: ascending ranks of the texts holding it} -> {unit: ascending ranks}: the characters
    folding to the same unit (A, a, Ａ) merged."""
    found: dict[str, list[int]] = {}
    for char, ranks in char_ranks.items():
        for unit in char_units(char):
            known = found.get(unit)
            found[unit] = ranks if known is None else sorted(set(known) | set(ranks))
    return found


RANK_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
RANKS_MAX = len(RANK_DIGITS) ** 2  # ranks are two digits: a shard holds at most this many articles
BITSET_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def encode_ranks(ranks: list[int], count: int) -> str:
    """Ascending ranks below `count`: two base-36 digits each, or '*' and a bitset (six ranks a
    character) when that is shorter, as for a unit most articles hold."""
    if count > RANKS_MAX:
        raise ValueError(f"a shard of {count} articles: ranks have two digits")
    bitset_length = 1 + (count + 5) // 6
    if 2 * len(ranks) <= bitset_length:
        return "".join(RANK_DIGITS[rank // 36] + RANK_DIGITS[rank % 36] for rank in ranks)
    bits = [0] * (bitset_length - 1)
    for rank in ranks:
        bits[rank // 6] |= 1 << (rank % 6)
    return "*" + "".join(BITSET_DIGITS[b] for b in bits)


def decode_ranks(text: str) -> list[int]:
    """encode_ranks undone (search-text.js has the same, for the browser)."""
    if text.startswith("*"):
        return [6 * i + bit for i, c in enumerate(text[1:]) for bit in range(6) if BITSET_DIGITS.index(c) >> bit & 1]
    return [RANK_DIGITS.index(text[i]) * 36 + RANK_DIGITS.index(text[i + 1]) for i in range(0, len(text), 2)]
