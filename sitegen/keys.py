"""Stage 6b: the key of each page, a digest of its kind, file and inputs: equal keys mean equal text."""

from __future__ import annotations

import hashlib
import io
import pickle

from .model import Article, Section
from .views import Item

DIGESTED = (Article, Section, Item)  # objects that carry a digest of all their fields


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
