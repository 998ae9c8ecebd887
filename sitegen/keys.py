"""Stage 6b: the key of each page, a digest of its kind, file and inputs: equal keys mean equal text."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import pickle
from dataclasses import dataclass
from pathlib import Path

from . import kinds
from .config import Config
from .model import Article, Page, Section, Site, Standalone
from .views import Item

DIGESTED = (Article, Section, Standalone, Item)  # objects that carry a digest of all their fields


class ValuesPickler(pickle.Pickler):
    """Pickles dataclasses as calls of their class with their field values: twice as fast to load as through
    dataclasses' own per-object __setstate__ (the parse packs), and as fast to write (the keys)."""

    def reducer_override(self, obj):
        fields = getattr(type(obj), "__dataclass_fields__", None)
        if fields is not None:
            return type(obj), tuple([getattr(obj, name) for name in fields])
        return NotImplemented


def value_digest(material) -> bytes:
    """A digest of plain tuples, lists, dicts and strings: pickled in C, without a Python call per object and
    without a memo, so the bytes depend on the values only, never on which objects happen to be shared."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True
    pickler.dump(material)
    return hashlib.blake2b(buffer.getbuffer(), digest_size=20).digest()


def dump_values(value) -> bytes:
    buffer = io.BytesIO()
    ValuesPickler(buffer, protocol=5).dump(value)
    return buffer.getvalue()


class _InputsPickler(ValuesPickler):
    """Pickles a page's inputs with each article standing as its digest (of its file and the parse options),
    which decides every field of it (sections and list entries likewise), so a key costs a few bytes per article instead of its whole body."""

    def reducer_override(self, obj):
        if type(obj) in DIGESTED and obj.digest:
            return str, (obj.digest,)
        return super().reducer_override(obj)


def page_keys(epoch_of, pages, inputs) -> list[bytes]:
    """The digest of everything each page's text depends on: its epoch (`epoch_of(page)`: code, config, layouts,
    navigation, the data files its layout reads) and the page's own inputs, which are all its view can see."""
    buffer = io.BytesIO()
    pickler = _InputsPickler(buffer, protocol=5)
    pickler.fast = True  # no memo: the bytes depend on values only, never on which objects are shared
    keys = []
    for page, value in zip(pages, inputs):
        buffer.seek(0)
        buffer.truncate()
        pickler.dump((page.kind, page.out, value))
        keys.append(hashlib.blake2b(epoch_of(page) + buffer.getbuffer(), digest_size=20).digest())
    return keys


@dataclass(frozen=True, slots=True)
class Epochs:
    """What every page's key shares (the code, the config, the layouts, the navigation and menus), and what pages
    of one layout share besides: the data files that layout reads."""

    shared: bytes
    by_template: dict[str, bytes]

    def of(self, page: Page) -> bytes:
        return self.by_template[kinds.BY_NAME[page.kind].template_of(page)]


def page_epochs(code: str, config: Config, layouts: tuple, site: Site, data_read) -> Epochs:
    """The epochs of this build; `data_read(template)` names the data files a template reads (None: any)."""
    menus = tuple((p.title, p.url, p.menu, p.weight) for name in ("main", "footer") for p in site.menu(name))
    shared = hashlib.blake2b(pickle.dumps((code, neutral(config), layouts, site.top_sections, menus), protocol=5),
                             digest_size=20).digest()
    templates = {*kinds.TEMPLATES, *(f"{p.layout}.html" for p in site.standalones)}
    by_template = {}
    for template in templates:
        read = data_read(template)
        names = sorted(site.data) if read is None else sorted(read & site.data.keys())
        by_template[template] = hashlib.blake2b(shared + repr([(n, site.data[n].digest) for n in names]).encode(),
                                                digest_size=20).digest()
    return Epochs(shared, by_template)


def neutral(config: Config) -> Config:
    """The config without the folders it was read from: pages do not depend on where the site lives."""
    return dataclasses.replace(config, root=Path("."), output_dir=None)
