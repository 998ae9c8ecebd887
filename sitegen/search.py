"""Stage 8: the search index, as Pagefind shards of our own tokens (one per stretch of days within a
year), built two at a time, reused from the cache when their articles are unchanged."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
import threading
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from . import searchtext
from .model import Site
from .output import content_digest
from .problems import BuildFailed
from .searchindex import COMMON_FILES, PAGEFIND_VERSION, build_shards, failed, pagefind_executable

SHARD_MAX = 400  # articles per shard: bounds Pagefind's memory and the reader's first download
UNIT_BUCKETS = 16  # files of a shard's unit table (by code point): a one-unit query reads one of them
CACHE_NAMESPACE = "search"
BUNDLE = "pagefind"
MANIFEST = "sitegen-shards.json"
SECTION_CODES = "".join(chr(c) for c in range(0x21, 0x7f) if chr(c) not in '"\\')

BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|tr|td|th|blockquote|pre|div|dd|dt|figcaption)>|<br\s*/?>|<hr\s*/?>", re.I)
TAG = re.compile(r"<[^>]*>")


def plain_text(body_html: str) -> str:
    """The text of an article body as a reader sees it: block ends become line breaks."""
    return html.unescape(TAG.sub("", BLOCK_END.sub("\n", body_html)))


@dataclass(frozen=True, slots=True)
class Shard:
    code: str  # Pagefind's language code for it, unique in the site: 's' + base-36 day number (+ part)
    year: str
    indices: tuple[int, ...]  # into site.articles, newest first


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, digit = divmod(number, 36)
        text = digits[digit] + text
        if not number:
            return text


def plan_shards(site: Site, limit: int = SHARD_MAX) -> tuple[Shard, ...]:
    """Shards newest first. A shard holds whole days of one year, packed from January on, so a new
    article changes only the newest shard and an edit only its own; a day with more than `limit`
    articles is split into parts."""
    by_day: dict[dt.date, list[int]] = {}
    for index, article in enumerate(site.articles):
        by_day.setdefault(article.date.date(), []).append(index)
    shards: list[Shard] = []
    current: list[int] = []
    first_day = None
    days = sorted(by_day)
    epoch = dt.date(1970, 1, 1)

    def close():
        nonlocal current, first_day
        if current:
            shards.append(Shard("s" + _base36((first_day - epoch).days), str(first_day.year),
                                tuple(sorted(current))))
        current, first_day = [], None

    for day in days:
        indices = by_day[day]
        if first_day is not None and (day.year != first_day.year or len(current) + len(indices) > limit):
            close()
        if len(indices) > limit:
            for part in range(0, len(indices), limit):
                shards.append(Shard("s" + _base36((day - epoch).days) + "p" + _base36(part // limit), str(day.year),
                                    tuple(sorted(indices[part:part + limit]))))
            continue
        if first_day is None:
            first_day = day
        current.extend(indices)
    close()
    shards.sort(key=lambda shard: shard.indices[0])
    return tuple(shards)


def shard_input(site: Site, shard: Shard) -> tuple[list[dict], dict[str, bytes]]:
    """Pagefind custom records of a shard's articles, newest first ('r', the rank, is their sort key), and
    the shard's unit table files."""
    records = []
    # by character first, a set operation per article: folding them to units is done once per shard
    in_article: dict[str, list[int]] = defaultdict(list)
    in_title: dict[str, list[int]] = defaultdict(list)
    for rank, index in enumerate(shard.indices):
        article = site.articles[index]
        body = plain_text(article.body)
        content, exceptions, _ = searchtext.article_content(article.title, article.subtitle, article.author,
                                                         article.source, body)
        meta = {"d": searchtext.encode_date(article.date_text)}
        if exceptions:
            meta["x"] = exceptions
        records.append({"url": "/" + article.url, "content": content, "language": shard.code, "meta": meta,
                        "sort": {"r": str(rank)}})
        for char in set("\n".join((article.title, article.subtitle, article.author, article.source, body))):
            in_article[char].append(rank)
        for char in set(article.title):
            in_title[char].append(rank)
    title_units = searchtext.units_by_rank(in_title)
    holders = {unit: (ranks, title_units.get(unit, [])) for unit, ranks in searchtext.units_by_rank(in_article).items()}
    return records, unit_files(shard, holders)


def unit_files(shard: Shard, holders: dict[str, tuple[list[int], list[int]]]) -> dict[str, bytes]:
    """units/<code>_<bucket>.json: {unit: 'ranks,title ranks'} for the units whose code point falls in the
    bucket; every bucket is written, so the browser never asks for a file that is not there."""
    count = len(shard.indices)
    buckets: list[dict[str, str]] = [{} for _ in range(UNIT_BUCKETS)]
    for unit in sorted(holders):
        ranks, title = holders[unit]
        buckets[ord(unit) % UNIT_BUCKETS][unit] = (searchtext.encode_ranks(ranks, count) + "," +
                                                    searchtext.encode_ranks(title, count))
    return {unit_file(shard.code, number): json.dumps(bucket, ensure_ascii=False, separators=(",", ":")).encode()
            for number, bucket in enumerate(buckets)}


def unit_file(code: str, bucket: int) -> str:
    return f"units/{code}_{bucket}.json"


def cache_key(cache, site: Site, shard: Shard) -> str:
    """The shard's records follow from these inputs alone (and the code, which cache.key adds)."""
    digest = hashlib.sha256()
    for index in shard.indices:
        article = site.articles[index]
        # the article's digest (of its file and the parse options) stands for its text: no body is read
        for part in (article.url, article.date_text, article.title, article.subtitle, article.author,
                     article.source, article.digest or article.body):
            digest.update(part.encode() + b"\0")
    return cache.key(CACHE_NAMESPACE, PAGEFIND_VERSION, searchtext.VERSION, shard.code, len(shard.indices),
                     digest.hexdigest())


def check_files(files: dict[str, bytes] | None, code: str, count: int) -> dict[str, bytes] | None:
    """A shard's files as cached, or None unless they are exactly what a shard of `count` pages needs."""
    if not files:
        return None
    metas = [name for name in files if name.endswith(".pf_meta")]
    fragments = [name for name in files if name.startswith("fragment/")]
    units = {unit_file(code, number) for number in range(UNIT_BUCKETS)}
    expected = set(COMMON_FILES) | {"pagefind-entry.json"}
    if len(metas) != 1 or not metas[0].startswith(f"pagefind.{code}_") or len(fragments) != count:
        return None
    if not units <= set(files):
        return None
    for name in files:
        if name in expected or name in units:
            continue
        folder, _, base = name.rpartition("/")
        if folder not in ("", "index", "fragment") or not base.startswith((code + "_", f"pagefind.{code}_")):
            return None
    if not expected <= set(files):
        return None
    try:
        entry = json.loads(files["pagefind-entry.json"])
        if entry["version"] != PAGEFIND_VERSION or entry["languages"][code]["page_count"] != count:
            return None
    except (ValueError, KeyError, TypeError):
        return None
    return files


def run_search_index(stage: Path, config, site: Site, cache=None, jobs: int = 2) -> dict:
    """Write the search bundle into stage/pagefind/ (the preview's way; a build hands search_files to publish)."""
    files, report = search_files(config, site, cache, jobs)
    for name in files.digests:
        path = stage / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files.read(name))
    return report


@dataclass(frozen=True, slots=True)
class Taken:
    """What the bundle keeps of a shard's Pagefind files besides their digests: its entry's parts, their size."""
    language: dict
    include: tuple
    size: int


def shard_of(rel: str) -> str:
    """The shard a file of the bundle belongs to, from its name: 'pagefind/fragment/<code>_<hash>.pf_fragment',
    'pagefind/pagefind.<code>_<hash>.pf_meta', 'pagefind/units/<code>_<n>.json' (codes have no '_'; see
    check_files)."""
    return rel.rpartition("/")[2].removeprefix("pagefind.").partition("_")[0]


class SearchFiles:
    """The search bundle: each file's digest under pagefind/, and its bytes on demand. A shard's files are
    read back from the cache when asked for (one shard held at a time), so an index of 100,000 articles
    never sits in memory whole; without a cache they are kept."""

    def __init__(self, digests: dict[str, bytes], small: dict[str, bytes], loaders):
        self.digests, self.small, self.loaders = digests, small, loaders
        self.loaded: tuple[str, dict[str, bytes]] = ("", {})

    def read(self, rel: str) -> bytes:
        if rel in self.small:
            return self.small[rel]
        code = shard_of(rel)
        if self.loaded[0] != code:
            self.loaded = (code, self.loaders[code]())
        return self.loaded[1][rel.removeprefix(BUNDLE + "/")]


def search_files(config, site: Site, cache=None, jobs: int = 2) -> tuple[SearchFiles, dict]:
    """The search bundle, as files under pagefind/: every shard's Pagefind files, one entry file naming the
    shards as Pagefind 'languages', and our manifest of shards, years and sections."""
    shards = plan_shards(site)
    use_cache = cache is not None and getattr(cache, "root", None) is not None
    keys: dict[str, str] = {}
    taken: dict[str, Taken] = {}  # by shard code
    common: dict[str, bytes] = {}  # Pagefind's code, the same in every shard
    everything: dict[str, bytes] = {}  # file under pagefind/ -> digest of its bytes
    loaders = {}

    def take(shard: Shard, files: dict[str, bytes]) -> None:
        entry = json.loads(files["pagefind-entry.json"])
        for name in COMMON_FILES:
            common.setdefault(name, files[name])
        own = {name: data for name, data in files.items() if name not in COMMON_FILES and name != "pagefind-entry.json"}
        for name, data in own.items():
            everything[f"{BUNDLE}/{name}"] = content_digest(data)
        taken[shard.code] = Taken(entry["languages"][shard.code], tuple(entry.get("include_characters", ())),
                                  sum(map(len, own.values())))
        loaders[shard.code] = (lambda: reread(shard)) if use_cache else (lambda: own)

    def reread(shard: Shard) -> dict[str, bytes]:
        found = check_files(cache.get_files(CACHE_NAMESPACE, keys[shard.code]), shard.code, len(shard.indices))
        if found is None:  # gone or damaged since this build stored or checked it
            raise failed(f"the search cache entry of shard {shard.code} changed during the build; build again")
        return found

    todo = []
    for shard in shards:
        if use_cache:
            keys[shard.code] = cache_key(cache, site, shard)
            found = check_files(cache.get_files(CACHE_NAMESPACE, keys[shard.code]), shard.code, len(shard.indices))
            if found is not None:
                take(shard, found)
                continue
        todo.append(shard)
    if todo:
        pagefind_executable()  # a missing binary is reported before any work

        def built(shard: Shard, files: dict[str, bytes]) -> None:
            checked = check_files(files, shard.code, len(shard.indices))
            if checked is None:
                raise failed(f"Pagefind wrote an incomplete index for shard {shard.code}")
            if use_cache:
                cache.put_files(CACHE_NAMESPACE, keys[shard.code], checked)
            take(shard, checked)

        # One Pagefind process more than cores: each waits at times for the records this process makes
        # (under one GIL) and for its answers to be read; a third keeps two cores busy (45.6 -> 39.3 s wall).
        processes = jobs + 1 if jobs > 1 else 1
        index_in_threads(site, todo, max(1, min(processes, len(todo))), built)
    small = dict(common)
    entry = {"version": PAGEFIND_VERSION, "languages": {code: taken[code].language for code in sorted(taken)},
             "include_characters": list(taken[shards[-1].code].include) if shards else []}
    small["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    shard_manifest, codes = manifest(site, shards, small["pagefind-entry.json"])
    small[MANIFEST] = json.dumps(shard_manifest, ensure_ascii=False, separators=(",", ":")).encode()
    small.update(codes)
    everything.update({f"{BUNDLE}/{name}": content_digest(data) for name, data in small.items()})
    report = {"files": len(everything), "bytes": sum(t.size for t in taken.values()) + sum(map(len, small.values())),
              "shards": len(shards), "indexed": len(todo)}
    return SearchFiles(dict(sorted(everything.items())), {f"{BUNDLE}/{name}": data for name, data in small.items()},
                       loaders), report


def index_in_threads(site: Site, shards: list[Shard], jobs: int, done) -> None:
    """The shards indexed by `jobs` Pagefind processes, each fed from a thread of this process:
    the records are made here (no forked copy of the whole site model per worker) while Pagefind indexes.
    `done(shard, files)` takes each shard's files, its unit tables included, as they come."""
    # Shared: a thread takes the next shard when its Pagefind is ready for one, so all finish together
    # (fixed shares left one process working alone at the end).
    waiting = iter(shards)
    errors: list = [None] * jobs
    units: dict[str, dict[str, bytes]] = {}
    lock, taking = threading.Lock(), threading.Lock()

    def records(shard: Shard) -> list[dict]:
        shard_records, units[shard.code] = shard_input(site, shard)
        return shard_records

    def finished(shard: Shard, files: dict[str, bytes]) -> None:
        with lock:  # one shard at a time into the cache and the bundle's tables
            done(shard, {**files, **units.pop(shard.code)})

    def next_shards():
        while not any(errors):  # after a failure no new shard is started
            with taking:
                shard = next(waiting, None)
            if shard is None:
                return
            yield shard

    def work(number: int) -> None:
        try:
            build_shards(next_shards(), records, finished)
        except BaseException as err:  # re-raised in the calling thread
            errors[number] = err

    threads = [threading.Thread(target=work, args=(number,), name=f"search-{number}", daemon=True)
               for number in range(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for error in errors:
        if isinstance(error, BaseException):
            raise error


def title_words(article) -> int:
    """How many content words (positions) the title takes: a match before that is in the title."""
    return len(searchtext.field_words(article.title, 0)[0])


def manifest(site: Site, shards, entry: bytes) -> tuple[dict, dict[str, bytes]]:
    """What the search page reads first: the shards newest first (code, year, pages) and the sections
    (title, parent, articles in it and its subsections); and beside it, shards/<code>.json for each shard,
    read with the shard: each page's section code and title length, by rank."""
    keys = [key for key in site.sections if key]
    number = {key: i for i, key in enumerate(keys)}
    width = 1 if len(keys) <= len(SECTION_CODES) else 2

    def code(i: int) -> str:
        if width == 1:
            return SECTION_CODES[i]
        return SECTION_CODES[i // len(SECTION_CODES)] + SECTION_CODES[i % len(SECTION_CODES)]

    counts = dict.fromkeys(keys, 0)
    for article in site.articles:
        key = article.section
        while key:
            counts[key] += 1
            key = site.sections[key].parent
    sections = []
    for key in keys:
        section = site.sections[key]
        parent = section.parent
        sections.append([section.title, number.get(parent, -1) if parent else -1, counts[key]])
    codes = {}
    for shard in shards:
        codes[f"shards/{shard.code}.json"] = json.dumps({
            "sections": "".join(code(number[site.articles[i].section]) for i in shard.indices),
            "titles": "".join(SECTION_CODES[min(title_words(site.articles[i]), len(SECTION_CODES) - 1)]
                              for i in shard.indices)}, separators=(",", ":")).encode()
    return {
        "version": searchtext.VERSION,
        "tag": hashlib.sha256(entry).hexdigest()[:16],
        "width": width,
        "buckets": UNIT_BUCKETS,
        "sections": sections,
        "shards": [{"code": shard.code, "year": shard.year, "count": len(shard.indices)} for shard in shards],
    }, codes
