"""When nothing changed: a build's fingerprint (a digest of every input but 'now'), and the last build's report
while output/ is still exactly what it wrote, so such a build does nothing, not even parse."""

from __future__ import annotations

import hashlib
import pickle

from .config import Config
from .keys import neutral
from .publish import Manifest, intact
from .sources import SourceFiles


def build_fingerprint(code: str, config: Config, options, sources: SourceFiles, files: tuple) -> bytes:
    """A digest of every input of a build but 'now': the code, the options, the config and every file (`files`:
    the digests of layouts, assets and data files). The build is a pure function of these (and of now, see
    next_change)."""
    material = (code, neutral(config), options.base_url, options.drafts, options.future,
                options.search, options.broken_links, tuple((f.rel, f.digest) for f in sources.files),
                sources.folders, sources.problems, files)
    return hashlib.blake2b(pickle.dumps(material, protocol=5), digest_size=20).digest()


def next_change(site, left_out, parsed, options):
    """The earliest date at which 'now' changes what is published: the first article scheduled later."""
    if options.future or options.now is None:
        return None
    later = [r.article.date for r in parsed if r.article is not None and r.article.date > options.now
             and not (r.article.draft and not options.drafts)]
    return min(later) if later else None


def unchanged_build(manifest: Manifest, config: Config, fingerprint: bytes, now) -> dict | None:
    """What the last build reported, when it had exactly these inputs and output/ is still exactly what it
    wrote: then there is nothing to do (not even to parse)."""
    if manifest.fingerprint != fingerprint or not isinstance(manifest.report, dict):
        return None
    if manifest.next_change is not None and (now is None or now >= manifest.next_change):
        return None
    if not config.out_dir.is_dir() or not intact(config.out_dir, manifest.live):
        return None
    return manifest.report
