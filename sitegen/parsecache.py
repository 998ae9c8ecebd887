"""Stage 3 with its persistent cache: parse every source file, from the cache where it has the file, else in worker
processes. Results live in PARSE_PACKS cache entries by a hash of the file's path (one entry per file would cost
more than parsing it); a pack's article bodies sit in an entry of their own, read only for the pages that need them."""

from __future__ import annotations

import contextlib
import hashlib
import pickle
from typing import Callable

from . import bodies as packed_bodies
from .bodies import BodyFile, brought_back
from .cache import Cache
from .config import Config
from .keys import dump_values
from .markdown import make_markdown
from .model import Article
from .parallel import stream_shares
from .parse import ParseOptions, Parsed, parse_source
from .sources import SourceFile, read_text


def parse_options_of(config: Config) -> ParseOptions:
    return ParseOptions(config.timezone, config.base_path, config.allow_html, config.default_source)


PARSE_PACKS = 64  # parse results are stored in this many cache entries, by a hash of the file's path


def parse_keys(cache: Cache, options: ParseOptions):
    """source -> its parse result's key: what the result depends on (the code, the options, the file's
    name and bytes)."""
    key = cache.keys("parse", repr(options))
    return lambda source: key(source.rel, source.digest)


def pack_of(source: SourceFile) -> int:
    return int.from_bytes(hashlib.blake2b(source.rel.encode(), digest_size=4).digest(), "little") % PARSE_PACKS


def load_pack(cache: Cache, number: int, hold: Callable[[Callable], None] | None) -> dict[str, Parsed]:
    """A pack's parse results (key -> Parsed), each article's body left in the pack's entry of bodies, which
    stays open until `hold`'s closers run; with no `hold`, the bodies are read back now."""
    data = cache.get("parse", cache.key("parse-pack", number))
    path = cache.path("parse", cache.key("parse-pack bodies", number))
    opened = cache.open_data("parse", cache.key("parse-pack bodies", number)) if data is not None else None
    found = packed_bodies.load_pack(data, opened, path, f"{cache.root}/parse") if opened is not None else None
    if found is None:
        return {}
    pack, bodies = found
    if not all(isinstance(v, Parsed) for v in pack.values()):
        bodies.close()
        return {}
    if hold is None:
        with contextlib.closing(bodies):
            return {key: brought_back(value) for key, value in pack.items()}
    hold(bodies.close)
    return pack


def store_pack(cache: Cache, number: int, results: dict[str, Parsed]) -> None:
    """Write a pack: its bodies' entry first, so a pack never names bodies older than itself."""
    pickled, bodies = packed_bodies.dump_pack(results, Article)
    stored = cache.put("parse", cache.key("parse-pack bodies", number), bodies)
    if stored is not None:
        cache.put("parse", cache.key("parse-pack", number), packed_bodies.seal_pack(pickled, bodies, stored))


def parse_all(files, options: ParseOptions, jobs: int, cache: Cache, bodies: BodyFile | None = None,
              hold: Callable[[Callable], None] | None = None) -> tuple[list[Parsed], dict[str, str]]:
    """Parse every source file, from the cache where it has the file, else in worker processes; and the
    digests of the files whose digest was not known before (origin -> digest), found by reading them.

    Results live in PARSE_PACKS entries (writing one per file would cost more than parsing it); a worker
    rewrites the packs of the files it parses, which then hold exactly the files of this build. A file with
    no digest yet (not read by discovery) is read by its worker, and taken from the cache if it is there.
    With `bodies`, every article's body is put aside there as soon as it is loaded. With `hold`, the bodies
    of the cached results are read only when needed (see load_pack).
    """
    aside = bodies.put_aside if bodies is not None else (lambda some: some)
    parse_key = parse_keys(cache, options)
    keys = [parse_key(source) if source.digest else "" for source in files]
    packs: dict[int, list[int]] = {}
    for number, source in enumerate(files):
        packs.setdefault(pack_of(source), []).append(number)
    stored = {}
    if cache.enabled:
        for pack in packs:
            found = load_pack(cache, pack, hold)
            stored[pack] = dict(zip(found, aside(list(found.values()))))
    results: list[Parsed | None] = [None] * len(files)
    for pack, numbers in packs.items():
        found = stored.get(pack, {})
        for number in numbers:
            results[number] = found.get(keys[number]) if keys[number] else None
    todo = sorted((pack for pack, numbers in packs.items() if any(results[n] is None for n in numbers)),
                  key=lambda pack: packs[pack][0])

    def parse_packs(share):
        md = make_markdown(options.allow_html)
        for pack in share:
            new, parsed, old = {}, [], stored.get(pack, {})
            for number in packs[pack]:
                if results[number] is not None:
                    new[keys[number]] = brought_back(results[number])
                    continue
                source = read_text(files[number])  # read only now: most files never are, in a warm build
                if not isinstance(source, SourceFile):
                    parsed.append((number, Parsed(problems=(source,)), ""))
                    continue
                key = keys[number] if source.digest == files[number].digest else parse_key(source)
                result = brought_back(old.get(key)) or parse_source(source, options, md, digest=key)
                new[key] = result
                parsed.append((number, result, source.digest))
            store_pack(cache, pack, new)
            yield dump_values(parsed)  # sent back as plain values too: twice as fast to load

    digests = {}
    # pack by pack as the workers finish them: loaded here while they parse on, and never all held as bytes
    # beside the model they make (at 100,000 articles that was 1.4 GiB at the end of the parse)
    for parsed in stream_shares(parse_packs, todo, jobs, minimum=4):
        parsed = pickle.loads(parsed)
        for (number, _, digest), result in zip(parsed, aside([result for _, result, _ in parsed])):
            results[number] = result
            if not files[number].digest:
                digests[files[number].origin] = digest
    return results, digests
