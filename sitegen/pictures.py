"""Pictures for phones: plan the derivatives of the raster images articles use, encode them (cached), rewrite <img>."""

from __future__ import annotations

import hashlib
import html
import io
import json
import os
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from .messages import say
from .problems import Problem
from .lastvalues import LastValues

RASTER = {"jpg": "jpeg", "jpeg": "jpeg", "png": "png", "gif": "gif", "webp": "webp"}
SUFFIX = {"image/webp": "webp", "image/jpeg": "jpg", "image/png": "png"}
WIDTHS = (480, 800, 1200)  # CSS px of the article column on phones, at 1x-3x
# Fixed encoder settings: with the same Pillow, the same source always gives the same bytes.
JPEG = {"quality": 78, "optimize": True, "progressive": True, "subsampling": "4:2:0"}
WEBP = {"quality": 72, "method": 4}
PNG = {"optimize": True}
ENCODING = f"v1 widths={WIDTHS} jpeg={sorted(JPEG.items())} webp={sorted(WEBP.items())} png={sorted(PNG.items())}"
FOLDER = "pictures"  # derivatives are written under output/pictures/<digest>/
# What the page can spend on one picture: the article column is at most 1100px - 2rem wide.
SIZES = "(max-width: 1100px) calc(100vw - 2rem), 1060px"


def bad_image(target: str, rel: str, path: Path):
    """What to say of a picture that cannot be decoded: too many pixels to decode safely, or damaged."""
    from PIL import Image

    try:
        with Image.open(path):
            pass
    except Image.DecompressionBombError:
        return say("picture {target} has more than {millions} million pixels, too many for a web page (assets/{rel}): "
                   "make it smaller, at most 6000 pixels wide, and export it again", target=target, rel=rel,
                   millions=2 * Image.MAX_IMAGE_PIXELS // 1_000_000)
    except Exception:  # damaged: said below
        pass
    return say("picture {target} cannot be read as an image (assets/{rel} is damaged, or is not really a JPEG, PNG, "
               "GIF or WebP file): export it again from the original, or replace it", target=target, rel=rel)


@dataclass(frozen=True, slots=True)
class Use:
    """One place where an article shows a picture."""

    rel: str  # the picture under assets/: 'images/2019/a.jpg'
    path: str  # the article file: 'content/...'
    line: int
    col: int
    target: str  # as written in the Markdown


@dataclass(frozen=True, slots=True)
class Variant:
    width: int
    height: int
    mime: str  # image/webp, image/jpeg, ...
    out: str  # path under output/; the original itself for its own full size


@dataclass(frozen=True, slots=True)
class Picture:
    rel: str
    width: int
    height: int
    variants: tuple[Variant, ...]  # ordered by format (WebP first), then by width

    def sources(self, mime: str) -> tuple[Variant, ...]:
        return tuple(v for v in self.variants if v.mime == mime)


@dataclass(frozen=True, slots=True)
class Pictures:
    """This build's pictures: sizes and versions by asset path, where their derived bytes are, the problems.

    Derived bytes stay in the persistent cache and are read again when written, so a large archive's photos
    are never all held in memory; only without a cache are they kept here (`held`)."""

    pictures: dict  # asset path -> Picture
    keys: dict  # asset path -> cache key (without a cache, a digest of the same parts)
    stamps: dict  # asset path -> (size, mtime_ns) of the source when it was read
    held: dict  # asset path -> {output path: bytes}, when there is no cache to keep them
    problems: tuple[Problem, ...] = ()
    encoded: int = 0  # sources encoded in this build (the others came from the cache or the last build)
    contents: dict = field(default_factory=dict)  # asset path -> digest of the source's bytes, where known
    derived: dict = field(default_factory=dict, compare=False, repr=False)  # Derivatives.digests, once made

    def digest(self) -> str:
        """Changes whenever any picture's sizes or files change (pages that show them must be rendered again)."""
        return hashlib.sha256(repr(sorted(self.pictures.items())).encode()).hexdigest()


NO_PICTURES = Pictures({}, {}, {}, {})


# ---------------------------------------------------------------- planning (pure)

def plan_pictures(articles, assets) -> tuple[Use, ...]:
    """Every use of a raster image under assets/ by an article, in article order."""
    return remembered_uses(articles, assets, None)[0]


def remembered_uses(articles, assets, memo: tuple | None) -> tuple[tuple[Use, ...], tuple]:
    """plan_pictures, and what lets the next call (serve's next rebuild) take the uses of the very same
    article objects, with the same assets, from this one: (assets, articles, their uses)."""
    known = set(assets)
    last = LastValues(*memo[1:]) if memo is not None and memo[0] == assets else LastValues()
    uses, each = [], []
    for index, article in enumerate(articles):
        found = last.get(index, article)
        if found is None:
            found = tuple(Use(rel, article.path, line, col, target) for target, line, col in article.links
                          if (rel := asset_of(target, "/" + article.url)) in known and extension(rel) in RASTER)
        each.append(found)
        uses += found
    return tuple(uses), (assets, tuple(articles), tuple(each))


def used_pictures(article, pictures: dict) -> tuple:
    """(asset path, Picture) for each known picture an article shows, sorted: part of its pages' inputs."""
    found = {asset_of(target, "/" + article.url) for target, _, _ in article.links}
    return tuple(sorted((rel, pictures[rel]) for rel in found if rel in pictures))


def asset_of(target: str, here: str) -> str:
    """'/images/a.jpg' (or a path relative to the page at `here`) -> 'images/a.jpg'."""
    if target.startswith("/") and _plain_file(target):
        return target[1:]  # the common case, without urljoin (a link of every article, every build)
    return unquote(urlsplit(urljoin(here, target)).path).lstrip("/")


def _plain_file(target: str) -> bool:
    """'/images/a.jpg': no host, query, escape or dot segment, so urljoin would give it back unchanged."""
    return (not target.startswith("//") and not any(c in target for c in "?#%\\:")
            and "/./" not in target and "/../" not in target and not target.endswith(("/.", "/..")))


def extension(rel: str) -> str:
    return rel.rpartition(".")[2].lower() if "." in rel.rpartition("/")[2] else ""


def widths_for(width: int) -> tuple[int, ...]:
    """At most three widths, none wider than the original."""
    return tuple(sorted({min(w, width) for w in WIDTHS}))


# ---------------------------------------------------------------- encoding (cached)

def make_pictures(uses: tuple[Use, ...], assets_dir: Path, cache=None, jobs: int = 1,
                  previous: Pictures | None = None, digests: dict | None = None) -> Pictures:
    """Make the derivatives of every used picture, or take them from the cache (keyed by the file's bytes
    and the encoder settings); pictures that cannot be decoded are problems at each place that uses them.
    With `previous` (the last build's), sources whose size and mtime are unchanged are not read;
    with `digests` (asset path -> digest of its bytes, known already), no source is read to make its key,
    and the sizes of known pictures come from one index entry instead of each picture's own."""
    cache = _usable(cache)
    previous = previous or NO_PICTURES
    found = _Found()
    index = None  # read only if a picture is not known from the last build already
    for rel in sorted({use.rel for use in uses}):
        if not found.take_previous(rel, assets_dir, previous, digests or {}):
            index = _load_index(cache) if index is None else index
            found.take_cached(rel, assets_dir, cache, index, digests or {})
    problems, encoded = found.encode_missing(uses, assets_dir, cache, jobs)
    if index is not None:
        _save_index(cache, index, {found.keys[rel]: picture for rel, picture in found.pictures.items()})
    made = Pictures(found.pictures, found.keys, found.stamps, found.held, tuple(sorted(problems)), encoded,
                    found.contents)
    # the last build's pictures when nothing changed: later stages can tell by identity
    return previous if previous is not NO_PICTURES and made == previous else made


@dataclass(slots=True)
class _Found:
    """The pictures of a build as make_pictures finds them, and those still to encode."""

    pictures: dict = field(default_factory=dict)
    keys: dict = field(default_factory=dict)
    stamps: dict = field(default_factory=dict)
    held: dict = field(default_factory=dict)
    contents: dict = field(default_factory=dict)
    missing: list = field(default_factory=list)

    def take_previous(self, rel: str, assets_dir: Path, previous: Pictures, digests: dict) -> bool:
        """Take the last build's picture if its source has the same bytes: told by the digest the build knows
        already (not even a stat), else by the source's size and mtime."""
        same = rel in previous.pictures and rel in digests and previous.contents.get(rel) == digests[rel]
        if same:
            self.stamps[rel] = previous.stamps[rel]
        else:
            info = (assets_dir / rel).stat()
            self.stamps[rel] = (info.st_size, info.st_mtime_ns)
            same = previous.stamps.get(rel) == self.stamps[rel] and rel in previous.pictures
        if not same:
            return False
        self.pictures[rel], self.keys[rel] = previous.pictures[rel], previous.keys[rel]
        if rel in digests:  # the bytes of this very file, which is the one the last build used
            self.contents[rel] = digests[rel]
        if rel in previous.held:
            self.held[rel] = previous.held[rel]
        return True

    def take_cached(self, rel: str, assets_dir: Path, cache, index: dict, digests: dict) -> None:
        """Take the picture from the cache's index or entry, else note it for encoding."""
        content = digests.get(rel) or hashlib.blake2b((assets_dir / rel).read_bytes(), digest_size=20).hexdigest()
        self.keys[rel] = cache.key("pictures", content, rel, ENCODING) if cache is not None \
            else hashlib.sha256(f"{content}\0{rel}\0{ENCODING}".encode()).hexdigest()
        self.contents[rel] = content
        known = index.get(self.keys[rel])
        made = (known, None) if known is not None else _unpack(cache.get("pictures", self.keys[rel])) \
            if cache is not None else None
        if made is not None and made[0].rel == rel:
            self.pictures[rel] = made[0]
        else:
            self.missing.append(rel)

    def encode_missing(self, uses: tuple[Use, ...], assets_dir: Path, cache, jobs: int) -> tuple[list, int]:
        """Encode the pictures found nowhere, in worker processes; the problems of those that cannot be decoded
        (at every place that shows them), and how many were encoded."""
        from .parallel import map_shares
        keys = self.keys

        def encode_share(share):  # in worker processes when there are several: each reads its own files
            done = []
            for rel in share:
                made = encode(rel, (assets_dir / rel).read_bytes())
                if made is not None and cache is not None:  # stored by the worker: only the sizes travel back
                    cache.put("pictures", keys[rel], _pack(*made))
                    made = (made[0], None)
                done.append(made)
            return done

        problems, encoded = [], 0
        for rel, made in zip(self.missing, map_shares(encode_share, self.missing, jobs, minimum=2)):
            if made is None:
                problems += [Problem(u.path, u.line, u.col, bad_image(u.target, rel, assets_dir / rel)) for u in uses
                             if u.rel == rel]
                del self.stamps[rel], self.keys[rel]
                self.contents.pop(rel, None)
                continue
            self.pictures[rel] = made[0]
            encoded += 1
            if cache is None:
                self.held[rel] = made[1]
        return problems, encoded


INDEX = "index of sizes"  # one entry: cache key -> Picture, for every picture of the last build


def _load_index(cache) -> dict:
    if cache is None:
        return {}
    try:
        index = pickle.loads(cache.get("pictures", cache.key("pictures", INDEX)) or pickle.dumps({}))
    except Exception:  # unreadable: each picture's own entry is read instead
        return {}
    return index if isinstance(index, dict) and all(isinstance(p, Picture) for p in index.values()) else {}


def _save_index(cache, old: dict, new: dict) -> None:
    if cache is not None and new != old:
        cache.put("pictures", cache.key("pictures", INDEX), pickle.dumps(dict(sorted(new.items())), protocol=5))


def _usable(cache):
    """The cache, or None when there is none or it is switched off (Cache(None), --no-cache)."""
    return cache if cache is not None and getattr(cache, "enabled", True) else None


def derived_files(pictures: Pictures, rel: str, assets_dir: Path, cache=None) -> dict:
    """The derived files of one picture: kept in memory, else from the cache, else encoded again."""
    cache = _usable(cache)
    if rel in pictures.held:
        return pictures.held[rel]
    if cache is not None:
        made = _unpack(cache.get("pictures", pictures.keys[rel]))
        if made is not None and made[0] == pictures.pictures[rel]:
            return made[1]
    made = encode(rel, (assets_dir / rel).read_bytes())
    return made[1] if made is not None and made[0] == pictures.pictures[rel] else {}


@dataclass(frozen=True, slots=True)
class Derivatives:
    """What the writing stage needs to put derived pictures into a folder (staging, spare tree or output/)."""

    pictures: Pictures
    assets_dir: Path
    cache: object = None

    def digests(self) -> dict[str, bytes]:
        """Output path -> a digest standing for its bytes (the source's key names them all), for the manifest."""
        found = self.pictures.derived  # made once for these pictures ('serve' keeps them while unchanged)
        if not found:
            for rel, picture in self.pictures.pictures.items():
                for variant in picture.variants:
                    if variant.out != rel:
                        found[variant.out] = b"picture:" + hashlib.blake2b(
                            f"{self.pictures.keys[rel]}\0{variant.out}".encode(), digest_size=20).digest()
        return dict(found)

    def sources(self) -> dict[str, str]:
        """Derived output path -> the asset path of the picture it is made from."""
        return {v.out: rel for rel, p in self.pictures.pictures.items() for v in p.variants if v.out != rel}

    def by_picture(self, outs, sources: dict[str, str]) -> dict[str, list[str]]:
        """The derived files among `outs`, by the picture each is made from (`sources`: self.sources())."""
        groups: dict[str, list[str]] = {}
        for out in outs:
            if out in sources:
                groups.setdefault(sources[out], []).append(out)
        return groups

    def write(self, folder: Path, outs=None) -> int:
        """Write the derived files named in `outs` (all by default) into `folder`."""
        sources = self.sources()
        groups = self.by_picture(sources if outs is None else outs, sources)
        return sum(self.write_picture(folder, rel, named) for rel, named in sorted(groups.items()))

    def write_picture(self, folder: Path, rel: str, outs) -> int:
        """Write the derived files of the picture at `rel` that are named in `outs`; each goes to a temporary
        file renamed over its place, so a file shared with output/ by a hard link is never changed."""
        wanted = set(outs)
        files = derived_files(self.pictures, rel, self.assets_dir, self.cache)
        total = 0
        for out in sorted(o for o in files if o in wanted):
            target = folder / out
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
            temporary.write_bytes(files[out])
            os.replace(temporary, target)
            total += len(files[out])
        return total


def encode(rel: str, data: bytes) -> tuple[Picture, dict] | None:
    """Decode one picture fully (a damaged file fails here) and encode its phone-sized versions."""
    from PIL import Image, ImageOps

    digest = hashlib.sha256(data).hexdigest()
    try:
        with Image.open(io.BytesIO(data)) as opened:
            kind = (opened.format or "").lower()
            animated = getattr(opened, "is_animated", False)
            opened.load()
            image = ImageOps.exif_transpose(opened)  # camera photos stand up the way they were taken
    except Exception:  # Pillow raises many types for damaged or foreign files
        return None
    if kind not in ("jpeg", "png", "gif", "webp"):
        return None
    width, height = image.size
    original_mime = f"image/{kind}"
    if kind == "gif" or animated:  # animations stay as they are: only their size goes into the page
        return Picture(rel, width, height, (Variant(width, height, original_mime, rel),)), {}
    image = image.convert("RGBA" if _has_alpha(image) else "RGB")
    stem = rel.rpartition("/")[2].rpartition(".")[0]
    folder = f"{FOLDER}/{digest[:12]}"
    variants, files = [], {}
    for mime in (["image/webp"] if kind == "webp" else ["image/webp", original_mime]):
        for w in widths_for(width):
            h = max(1, round(height * w / width))
            if w == width and mime == original_mime:
                variants.append(Variant(w, h, mime, rel))  # the original is its own full-size version
                continue
            out = f"{folder}/{stem}-{w}.{SUFFIX[mime]}"
            files[out] = _save(image if w == width else image.resize((w, h), Image.Resampling.LANCZOS), mime)
            variants.append(Variant(w, h, mime, out))
    return Picture(rel, width, height, tuple(variants)), files


def _has_alpha(image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)


def _save(image, mime: str) -> bytes:
    """Encode with fixed settings and no metadata (no EXIF, no ICC, no dates)."""
    buffer = io.BytesIO()
    if mime == "image/webp":
        image.save(buffer, "WEBP", **WEBP)
    elif mime == "image/jpeg":
        image.convert("RGB").save(buffer, "JPEG", **JPEG)
    else:
        image.save(buffer, "PNG", **PNG)
    return buffer.getvalue()


def _pack(picture: Picture, files: dict) -> bytes:
    names = sorted(files)
    head = {"rel": picture.rel, "width": picture.width, "height": picture.height,
            "variants": [[v.width, v.height, v.mime, v.out] for v in picture.variants],
            "files": [[name, len(files[name])] for name in names]}
    return json.dumps(head, ensure_ascii=False).encode() + b"\n" + b"".join(files[n] for n in names)


def _unpack(blob: bytes | None) -> tuple[Picture, dict] | None:
    """A cache entry back into a picture and its files; anything odd is a miss, never trusted."""
    if not blob:
        return None
    try:
        head_bytes, _, rest = blob.partition(b"\n")
        head = json.loads(head_bytes)
        files, offset = {}, 0
        for name, size in head["files"]:
            files[name] = rest[offset:offset + size]
            offset += size
        if offset != len(rest):
            return None
        variants = tuple(Variant(int(w), int(h), str(m), str(o)) for w, h, m, o in head["variants"])
        return Picture(head["rel"], int(head["width"]), int(head["height"]), variants), files
    except (ValueError, KeyError, TypeError):
        return None


# ---------------------------------------------------------------- the page (pure)

IMG = re.compile(r'<img src="([^"]*)" alt="([^"]*)"( title="[^"]*")?( /)?>')


def rewrite_images(body: str, pictures: dict, base_path: str, here: str, lazy_from: int = 1) -> str:
    """Each Markdown <img> of a known picture becomes a <picture> (WebP beside the original format, up to
    three widths) linked to the original; every <img> gets its width and height when known, lazy
    loading from the `lazy_from`-th image on (0-based; a large number: none lazy), and async decoding.
    `here` is the page's URL path (base path included), for relative image paths."""
    out, last = [], 0
    for count, match in enumerate(IMG.finditer(body)):
        src, alt, title = match.group(1), match.group(2), match.group(3) or ""
        picture = pictures.get(_rel_of(src, base_path, here))
        loading = ' loading="lazy"' if count >= lazy_from else ""
        if picture is None:
            tag = f'<img src="{src}" alt="{alt}"{title}{loading} decoding="async">'
        else:
            tag = _picture(picture, alt, title, base_path, loading, _inside_link(body, match.start()))
        out += [body[last:match.start()], tag]
        last = match.end()
    out.append(body[last:])
    return "".join(out)


def _rel_of(src: str, base_path: str, here: str) -> str | None:
    path = unquote(urlsplit(urljoin(here, html.unescape(src))).path)
    return path[len(base_path):] if path.startswith(base_path) else None


def _inside_link(body: str, position: int) -> bool:
    before = body[:position]
    return before.rfind("<a ") > before.rfind("</a>")


def _picture(picture: Picture, alt: str, title: str, base: str, loading: str, linked: bool) -> str:
    def srcset(variants):
        return ", ".join(f"{base}{v.out} {v.width}w" for v in variants)

    size = f'width="{picture.width}" height="{picture.height}"{loading} decoding="async"'
    derived = [v for v in picture.variants if v.out != picture.rel]
    if not derived:  # an animation, or nothing to make smaller
        return f'<img src="{base}{picture.rel}" alt="{alt}"{title} {size}>'
    original = next(v.mime for v in reversed(picture.variants))
    own = picture.sources(original)
    fallback = next((v for v in own if v.width >= 800), own[-1])
    sources = "".join(f'<source type="{mime}" srcset="{srcset(picture.sources(mime))}" sizes="{SIZES}">'
                      for mime in dict.fromkeys(v.mime for v in picture.variants) if mime != original)
    img = (f'<img src="{base}{fallback.out}" srcset="{srcset(own)}" sizes="{SIZES}" alt="{alt}"{title} {size}>')
    element = f"<picture>{sources}{img}</picture>"
    if linked:
        return element
    name = "" if alt else '<span class="visually-hidden">查看原图</span>'
    return f'<a class="original" href="{base}{picture.rel}">{element}{name}</a>'
