"""Stage 8: the search index, in shards of whole days (sitegen/searchindex.py) and one of the standalone pages,
indexed in worker processes and reused from the cache when their articles are unchanged, with the manifest the
search page reads first."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import pickle
import re
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from . import searchtext, urls
from .messages import Message, say
from .model import Site, Standalone
from .output import content_digest
from .problems import BuildFailed, Problem
from .searchindex import PARTS, ShardArticle, part_of, split_parts

FORMAT = "4"  # of the files searchindex writes: part of every shard's cache key
SHARD_MAX = 2000  # articles a shard: bounds a re-index after one edit and a worker's memory
CACHE_NAMESPACE = "search"
BUNDLE = "search-index"
MANIFEST = "manifest.json"
TAGS = "tags.json"
SECTION_CODES = "".join(chr(c) for c in range(0x21, 0x7f) if chr(c) not in '"\\')
NO_SECTION = " "  # the section code (repeated to the codes' width) of a standalone page at the top of content/
PAGES = "pages"  # the shard of the standalone pages in the search, listed after every article's

BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|tr|td|th|blockquote|pre|div|dd|dt|figcaption)>|<br\s*/?>|<hr\s*/?>", re.I)
TAG = re.compile(r"<[^>]*>")


def plain_text(body_html: str) -> str:
    """The text of an article body as a reader sees it: block ends become line breaks."""
    return html.unescape(TAG.sub("", BLOCK_END.sub("\n", body_html)))


def failed(reason: Message | str) -> BuildFailed:
    return BuildFailed([Problem("search", 1, 1, say("search index failed: {reason}", reason=reason))])


@dataclass(frozen=True, slots=True)
class Shard:
    code: str  # its folder, unique in the site: 's' + base-36 number of its first day (+ 'p' and the part), or PAGES
    indices: tuple[int, ...]  # into site.articles, newest first (rank 0 is the first); for PAGES, into searched_pages


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, digit = divmod(number, 36)
        text = digits[digit] + text
        if not number:
            return text


def plan_shards(site: Site, limit: int | None = None) -> tuple[Shard, ...]:
    """Shards newest first. Whole days are packed from the oldest on, at most `limit` (SHARD_MAX) articles a
    shard, so a new article changes only the newest shard and an edit only its own; a day with more than
    `limit` articles is split into parts. A small or sparse archive is one shard, whatever years it spans."""
    limit = limit or SHARD_MAX
    by_day: dict[dt.date, list[int]] = {}
    for index, article in enumerate(site.articles):
        by_day.setdefault(article.date.date(), []).append(index)
    epoch = dt.date(1970, 1, 1)
    shards: list[Shard] = []
    current: list[int] = []
    first_day = None
    for day in sorted(by_day):
        indices = by_day[day]
        if current and len(current) + len(indices) > limit:
            shards.append(Shard("s" + _base36((first_day - epoch).days), tuple(sorted(current))))
            current = []
        if len(indices) > limit:
            ordered = sorted(indices)
            for part in range(0, len(ordered), limit):
                shards.append(Shard("s" + _base36((day - epoch).days) + "p" + _base36(part // limit),
                                    tuple(ordered[part:part + limit])))
            continue
        if not current:
            first_day = day
        current.extend(indices)
    if current:
        shards.append(Shard("s" + _base36((first_day - epoch).days), tuple(sorted(current))))
    shards.sort(key=lambda shard: shard.indices[0])
    return tuple(shards)


def searched_pages(site: Site) -> tuple[Standalone, ...]:
    """The standalone pages in the search (all but those saying `search: false`), by rank in the PAGES shard:
    the dated newest first, then the undated by address."""
    pages = [page for page in site.standalones if page.search]
    dated = sorted((page for page in pages if page.date), key=lambda page: (-page.date.timestamp(), page.url))
    return tuple(dated + sorted((page for page in pages if not page.date), key=lambda page: page.url))


def page_shards(site: Site) -> tuple[Shard, ...]:
    """The PAGES shard, if any standalone page is in the search."""
    count = len(searched_pages(site))
    return (Shard(PAGES, tuple(range(count))),) if count else ()


def entries(site: Site, shard: Shard) -> list:
    """The shard's articles (model.Article), or its standalone pages (model.Standalone), by rank."""
    items = searched_pages(site) if shard.code == PAGES else site.articles
    return [items[index] for index in shard.indices]


def section_key(item) -> str:
    """An article's section, or the section folder a standalone page sits in ('' at the top of content/)."""
    return item.folder if isinstance(item, Standalone) else item.section


def year_of(item) -> int:
    return item.date.year if item.date else 0  # 0: an undated standalone page, in no year


def shown_fields(site: Site, item) -> tuple[str, ...]:
    """Address, date and section as the search page shows them, title, subtitle, author, source."""
    if isinstance(item, Standalone):
        date = f"{item.date:%Y-%m-%d}" if item.date else ""
        key = item.folder
        return item.url, date, site.sections[key].title if key else "", item.title, "", "", ""
    return (item.url, item.date_text, site.sections[item.section].title, item.title, item.subtitle, item.author,
            item.source)


def shard_articles(site: Site, shard: Shard) -> list[ShardArticle]:
    return [ShardArticle(*shown_fields(site, item),
                         plain_text(item.body_html if isinstance(item, Standalone) else item.body))
            for item in entries(site, shard)]


def cache_key(cache, site: Site, shard: Shard) -> str:
    """The shard's files follow from these inputs alone."""
    digest = hashlib.sha256()
    for item in entries(site, shard):
        # the digest (of its file and the parse options) stands for its text: no body is read
        text = item.digest or (item.body_html if isinstance(item, Standalone) else item.body)
        for part in (*shown_fields(site, item), text):
            digest.update(part.encode() + b"\0")
    return cache.key(CACHE_NAMESPACE, FORMAT, searchtext.VERSION, shard.code, len(shard.indices), digest.hexdigest())


def read_meta(files: dict[str, bytes] | None, count: int) -> dict | None:
    """A shard's meta.json, if `files` has one that fits a shard of `count` articles."""
    try:
        meta = json.loads(files["meta.json"])
        if meta["count"] != count or int(meta["terms"]) < 1 or int(meta["positions"]) < 1:
            return None
    except (ValueError, KeyError, TypeError):
        return None
    return meta


def check_part(files: dict[str, bytes] | None, part: str, meta: dict) -> dict[str, bytes] | None:
    """One part of a shard's files as cached, or None unless it holds exactly the files `meta` says."""
    expected = {"m": lambda: {"meta.json", "docs.bin"}, "t": lambda: {f"t{n}.bin" for n in range(meta["terms"])},
                "p": lambda: {f"p{n}.bin" for n in range(meta["positions"])},
                "f": lambda: {f"f/{rank}.json" for rank in range(meta["count"])}}[part]()
    return files if files is not None and set(files) == expected else None


def check_files(files: dict[str, bytes] | None, count: int) -> dict[str, bytes] | None:
    """A shard's files, or None unless they are exactly the files a shard of `count` articles has."""
    meta = read_meta(files, count) if files else None
    if meta is None or any(check_part(part, name, meta) is None for name, part in split_parts(files).items()):
        return None
    return files


def run_search_index(stage: Path, config, site: Site, cache=None, jobs: int = 2) -> dict:
    """Write the search bundle into stage/<BUNDLE>/ (the preview's way; a build hands search_files to publish)."""
    files, report = search_files(config, site, cache, jobs)
    for name in files.digests:
        path = stage / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files.read(name))
    return report


def shard_of(rel: str) -> str:
    """The shard a file of the bundle belongs to, from its name: '<BUNDLE>/<code>/...' ('' for the manifest)."""
    parts = rel.split("/")
    return parts[1] if len(parts) > 2 else ""


class SearchFiles:
    """The search bundle: each file's digest under <BUNDLE>/, and its bytes on demand. A shard's files are
    read back from the cache when asked for, a part at a time (PARTS), so an index of 100,000 articles never
    sits in memory whole; without a cache they are kept."""

    def __init__(self, digests: dict[str, bytes], small: dict[str, bytes], loaders):
        self.digests, self.small, self.loaders = digests, small, loaders
        self.loaded: tuple[tuple[str, str], dict[str, bytes]] = (("", ""), {})

    def read(self, rel: str) -> bytes:
        if rel in self.small:
            return self.small[rel]
        code, name = shard_of(rel), rel.split("/", 2)[2]
        if self.loaded[0] != (code, part_of(name)):
            self.loaded = ((code, part_of(name)), {})  # the part before is let go first
            self.loaded = ((code, part_of(name)), self.loaders[code](part_of(name)))
        return self.loaded[1][name]


# A worker imports the index's own modules only: `python -m sitegen.searchindex` would run sitegen/__init__.py,
# which imports the whole build (a worker's start 0.51 -> 0.07 s; most of the stage for a small site).
WORKER = """import sys, types
package = types.ModuleType("sitegen")
package.__path__ = [sys.argv[1]]
sys.modules["sitegen"] = package
from sitegen.searchindex import serve_shards
serve_shards(sys.stdin.buffer, sys.stdout.buffer)
"""


class Workers:
    """Processes running searchindex.serve_shards, each fed one shard at a time by a thread of this process.
    They are started afresh, not forked: a forked worker's memory counts the whole build's (at 100,000
    articles 0.8 GiB) besides its shard's; only the shard's articles go in, and its files' digests come back
    (the worker stores the files in the cache itself)."""

    def __init__(self, count: int):
        command = [sys.executable, "-c", WORKER, str(Path(__file__).resolve().parent)]
        self.processes = []
        try:
            for _ in range(count):
                self.processes.append(subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                                       stderr=subprocess.PIPE))
        except OSError as err:
            self.close()
            raise failed(say("cannot start an index worker: {reason}", reason=err.strerror)) from None

    def index(self, number: int, articles: list, root, key: str):
        """(digests, meta.json, files or None) of one shard, from worker `number`."""
        process = self.processes[number]
        try:
            pickle.dump((articles, root, CACHE_NAMESPACE, key), process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            process.stdin.flush()
            reply = pickle.load(process.stdout)
        except (OSError, EOFError, pickle.UnpicklingError):
            process.stdin.close()
            process.wait()  # killed (out of memory, say): what it said last is why
            said = process.stderr.read().decode(errors="replace").strip().splitlines()
            stopped = say("an index worker stopped (exit status {status}); if the machine is short of memory, build "
                          "with fewer --jobs", status=process.returncode)
            raise failed(said[-1] if said else stopped) from None
        if reply[0] is not None:
            raise failed(reply[0])
        return reply[1:]

    def close(self) -> None:
        for process in self.processes:
            try:
                process.stdin.close()
            except OSError:  # it has gone already
                pass
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            process.stdout.close()
            process.stderr.close()


def index_shards(site: Site, shards: list[Shard], jobs: int, root, keys: dict[str, str], done) -> None:
    """Index `shards` in up to `jobs` worker processes, stored in the cache at `root` under `keys` (root None:
    not stored); `done(shard, digests, meta, files or None)` takes each as it comes, one at a time. The threads
    share the shards: each takes the next when its worker is ready, so all finish together."""
    if not shards:
        return
    workers = Workers(max(1, min(jobs, len(shards))))
    waiting = iter(shards)
    lock = threading.Lock()
    errors: list = []

    def work(number: int) -> None:
        try:
            while not errors:
                with lock:
                    shard = next(waiting, None)
                if shard is None:
                    return
                reply = workers.index(number, shard_articles(site, shard), root, keys.get(shard.code, ""))
                with lock:
                    done(shard, *reply)
        except BaseException as err:  # re-raised in the calling thread
            errors.append(err)

    threads = [threading.Thread(target=work, args=(number,), name=f"search-{number}", daemon=True)
               for number in range(len(workers.processes))]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        workers.close()
    if errors:
        raise errors[0]


def search_files(config, site: Site, cache=None, jobs: int = 2) -> tuple[SearchFiles, dict]:
    """The search bundle, as files under <BUNDLE>/: each shard's folder (its index, its articles' pages and
    section codes) and the manifest naming the shards newest first."""
    shards = plan_shards(site) + page_shards(site)
    use_cache = cache is not None and getattr(cache, "root", None) is not None
    keys: dict[str, str] = {}
    metas: dict[str, dict] = {}
    everything: dict[str, bytes] = {}  # file under <BUNDLE>/ -> digest of its bytes
    loaders = {}
    size = 0  # bytes of the shards' files

    def take(shard: Shard, digests: dict[str, bytes], meta: bytes, files: dict[str, bytes] | None) -> None:
        nonlocal size
        version = hashlib.sha256()
        for name in sorted(digests):
            everything[f"{BUNDLE}/{shard.code}/{name}"] = digests[name]
            version.update(name.encode() + b"\0" + digests[name])
        metas[shard.code] = {**json.loads(meta), "v": version.digest()}
        size += json.loads(meta)["bytes"]
        loaders[shard.code] = (lambda part: reread(shard, part)) if files is None else (lambda part: files)

    def reread(shard: Shard, part: str) -> dict[str, bytes]:
        found = check_part(cache.get_files(CACHE_NAMESPACE, keys[shard.code] + part), part, metas[shard.code])
        if found is None:  # gone or damaged since this build stored or checked it
            raise failed(say("the search cache entry of shard {shard} changed during the build; build again",
                              shard=shard.code))
        return found

    def cached(shard: Shard) -> bool:
        """Whether the shard is in the cache whole: then its files' digests are taken, a part at a time."""
        first = cache.get_files(CACHE_NAMESPACE, keys[shard.code] + "m")
        meta = read_meta(first, len(shard.indices)) if first else None
        if meta is None or check_part(first, "m", meta) is None:
            return False
        digests = {}
        for part in PARTS:
            files = first if part == "m" else check_part(cache.get_files(CACHE_NAMESPACE, keys[shard.code] + part),
                                                           part, meta)
            if files is None:
                return False
            digests.update((name, content_digest(data)) for name, data in files.items())
        take(shard, digests, first["meta.json"], None)
        return True

    todo = []
    for shard in shards:
        if use_cache:
            keys[shard.code] = cache_key(cache, site, shard)
            if cached(shard):
                continue
        todo.append(shard)

    def indexed(shard: Shard, digests: dict[str, bytes], meta: bytes, files: dict[str, bytes] | None) -> None:
        if files is not None and check_files(files, len(shard.indices)) is None:
            raise failed(say("shard {shard} was indexed incompletely; build again", shard=shard.code))
        take(shard, digests, meta, files)

    try:
        index_shards(site, todo, jobs, str(cache.root) if use_cache else None, keys, indexed)
    except OSError as err:  # reading an article put aside, say: the build stops, output/ stays as it was
        raise failed(f"{err.strerror or err}" + (f": {err.filename}" if err.filename else "")) from None
    small = manifest(site, shards, metas)
    everything.update({f"{BUNDLE}/{name}": content_digest(data) for name, data in small.items()})
    report = {"files": len(everything), "bytes": size + sum(map(len, small.values())), "shards": len(shards),
              "indexed": len(todo)}
    return SearchFiles(dict(sorted(everything.items())), {f"{BUNDLE}/{name}": data for name, data in small.items()},
                       loaders), report


def manifest(site: Site, shards, metas: dict[str, dict]) -> dict[str, bytes]:
    """What the search page reads first, MANIFEST: the sections (title, parent, articles and searched standalone
    pages in it and its subsections) and the shards newest first, PAGES last (code, articles, term and position
    files, articles by year, 0 for undated pages, a version of its files for the browser's cache); beside it,
    <code>/sections.txt, each article's section code by rank (NO_SECTION for none), read only to filter by
    section."""
    keys = [key for key in site.sections if key]
    number = {key: i for i, key in enumerate(keys)}
    width = 1 if len(keys) <= len(SECTION_CODES) else 2

    def code(key: str) -> str:
        if not key:
            return NO_SECTION * width
        i = number[key]
        if width == 1:
            return SECTION_CODES[i]
        return SECTION_CODES[i // len(SECTION_CODES)] + SECTION_CODES[i % len(SECTION_CODES)]

    counts = dict.fromkeys(keys, 0)
    pages = searched_pages(site)
    for item in (*site.articles, *pages):
        key = section_key(item)
        while key:
            counts[key] += 1
            key = site.sections[key].parent
    sections = []
    for key in keys:
        parent = site.sections[key].parent
        sections.append([site.sections[key].title, number.get(parent, -1) if parent else -1, counts[key], key])
    files: dict[str, bytes] = {}
    listed = []
    for shard in shards:
        items = entries(site, shard)
        files[f"{shard.code}/sections.txt"] = "".join(code(section_key(item)) for item in items).encode()
        meta = metas[shard.code]
        version = hashlib.sha256(meta["v"] + files[f"{shard.code}/sections.txt"]).hexdigest()[:12]
        years: list[list[int]] = []
        for item in items:
            year = year_of(item)
            if years and years[-1][0] == year:
                years[-1][1] += 1
            else:
                years.append([year, 1])
        listed.append({"code": shard.code, "count": len(shard.indices), "terms": meta["terms"],
                       "positions": meta["positions"], "years": years, "v": version})
    # The tags, each with its page and count: a search for a tag's very name points to its page (a tag is not
    # searched as text: the words found are those the articles say).
    files[TAGS] = json.dumps({tag: [urls.tag(tag), len(indices)] for tag, indices in site.tags.items()},
                             ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    files[MANIFEST] = json.dumps({
        "version": searchtext.VERSION + "." + FORMAT, "width": width, "sections": sections,
        "articles": len(site.articles) + len(pages), "shards": listed},
        ensure_ascii=False, separators=(",", ":")).encode()
    return files
