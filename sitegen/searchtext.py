"""Search tokenizer: an article's text to the units the index counts and the text the page shows, and a
query to the terms it looks up.

The same rules are written once more in assets/js/search-text.js; tests/unit/search_text_cases.json runs
through both, so the index and the browser can never split text differently.

- Text is compared after NFKC and lower-casing, character by character (full-width ＩＣＰ is icp); characters a
  reader never sees (zero-width spaces, soft hyphens, the BOM) are dropped from an article's text first.
- Letters and digits of every script are "units"; everything else (spaces, punctuation, symbols) only
  separates runs of units. A query's space-separated words must all occur, each inside one run (议案 inside
  建议案, never across punctuation, a space or a paragraph); punctuation inside a word separates its runs as
  in the text, so 3.5亿元 is the run ending in 3, then the run starting with 5亿元.
- The index's terms are an article's units, its bigrams (两个机关 -> 两个 个机 机关, and across a gap the last
  unit of a run with SEP and SEP with the first of the next: 3.5 -> 3| |5), and the 3- and
  4-grams frequent in its shard (sitegen/searchindex.py). A word of up to GRAM_MAX units is looked up as
  itself; a longer word, or a 3- or 4-gram the shard did not keep, is found from its bigrams' positions
  (consecutive bigrams at consecutive positions share a unit, so they lie in one run).
- The page shows an article from the same segments: runs keep their original case, gaps their original
  characters (spaces and line breaks as one space), and the few characters NFKC changed are listed so the
  excerpt shows them as written.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
import zlib

VERSION = "5"  # part of every search cache key: change it whenever the rules below change
UNIT_RUN = re.compile(r"[^\W_]+")  # letters and digits of every script (Unicode L* and N*)
UNIT_SPLIT = re.compile(r"([^\W_]+)")
# Spaces that separate the words of a query (the same list in search-text.js: \s differs between the two).
QUERY_SPACES = re.compile("[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
SPACES = re.compile(r"\s+")
# Characters a reader never sees (Unicode's default ignorables: zero-width spaces and joiners, the BOM, soft hyphens,
# variation selectors, direction marks), which text pasted from WeChat and web pages carries inside words: dropped,
# so 人大\u200b代表 is 人大代表 to the search as to the reader.
INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
                       "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
                       "\U000e0000-\U000e0fff]+")
SEP = "\x00"  # between an article's runs (and fields) in its units: no term holds it, no word crosses it
GRAM_MAX = 4  # the longest term: a word of up to this many units is looked up as itself
FIELDS = ("title", "subtitle", "author", "source", "body")


def is_unit(char: str) -> bool:
    return UNIT_RUN.fullmatch(char) is not None


# fold() and _plain() are pure functions of one character, asked about the same few thousand characters
# millions of times: their answers are memoised (a cache of facts about Unicode, not build state).
@functools.cache
def fold(char: str) -> str:
    """One character as search compares it: NFKC, then lower case character by character."""
    return "".join(c.lower() for c in unicodedata.normalize("NFKC", char))


def query_words(query: str) -> list[str]:
    """The query's words as strings of units, duplicates dropped: '《监督法》 ＩＣＰ' -> ['监督法', 'icp']. Punctuation
    inside a word separates its runs as it does in the text: '3.5亿元' -> '3' SEP '5亿元', which only 3.5亿元 (or
    3,5亿元) holds, never 35亿元."""
    words = []
    for part in QUERY_SPACES.split(unicodedata.normalize("NFKC", INVISIBLE.sub("", query))):
        units = SEP.join(UNIT_RUN.findall("".join(fold(c) for c in part)))
        if units and units not in words:
            words.append(units)
    return words


def bigrams(word: str) -> list[str]:
    """The bigrams a word of two or more units is made of, in order (repeats kept)."""
    return [word[i:i + 2] for i in range(len(word) - 1)]


def term_bucket(term: str, buckets: int) -> int:
    """The file of a shard's terms (or positions) that holds `term`: CRC-32 of its UTF-8, modulo the count."""
    return zlib.crc32(term.encode()) % buckets


def _shown(char: str) -> bool:
    """Whether a unit can be shown as it is: when lower-casing it alone gives our folded form (plain letters
    of any case). Otherwise its folded form is written, and the original noted for the excerpt."""
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


def field_segments(text: str, unit_base: int) -> tuple[list[str], list[list], int]:
    """One field as [gap, run, gap, ..., run, gap] (runs as shown, gaps' spaces as one space), its exceptions
    [unit, units, original, lead, trail] with unit indices counted from unit_base, and its number of units."""
    # composed first (NFC), so an accent typed as its own character (Me\u0301ixian) stays in its letter's run
    text, exceptions = _folded_text(SPACES.sub(" ", unicodedata.normalize("NFC", INVISIBLE.sub("", text))))
    parts = UNIT_SPLIT.split(text)
    if not exceptions:
        return parts, [], sum(map(len, parts[1::2]))
    starts: list[int] = []  # text index where each run starts, and the unit index of its first unit
    firsts: list[int] = []
    at, unit = 0, unit_base
    for gap, run in zip(parts[0::2], parts[1::2]):
        starts.append(at + len(gap))
        firsts.append(unit)
        at += len(gap) + len(run)
        unit += len(run)
    by_unit = []
    for index, count, original, lead, trail in exceptions:
        run = bisect.bisect_right(starts, index) - 1
        by_unit.append([firsts[run] + index - starts[run], count, original, lead, trail])
    return parts, by_unit, unit - unit_base


def _lower(runs: str) -> str:
    """Runs as units: str.lower() maps every character alone, but for the final sigma (ΑΣ -> ας), which
    fold() (one character at a time) writes σ."""
    return runs.lower() if "Σ" not in runs else "".join(map(str.lower, runs))


def article_text(title: str, subtitle: str, author: str, source: str, body: str) -> tuple[dict, str, int, int, int]:
    """(what the page shows: {'f': segments of each field, 'x': exceptions}, the units the index counts,
    where the title's units end, where the subtitle's end, how many units). The units are every field's
    runs, lower-cased, each followed by SEP; a position below the title's end is in the title, one from
    there to the subtitle's end in the subtitle."""
    shown, exceptions, unit_strings, ends = [], [], [], []
    units = 0
    at = 0
    for text in (title, subtitle, author, source, body):
        parts, field_exceptions, count = field_segments(text, units)
        shown.append(parts)
        exceptions += field_exceptions
        units += count
        runs = SEP.join(parts[1::2])
        unit_strings.append(runs)
        at += len(runs)
        ends.append(at)
        at += 1
    page = {"f": shown}
    if exceptions:
        page["x"] = exceptions
    return page, _lower(SEP.join(unit_strings)), ends[0], ends[1], units
