"""Stage 6b: the key of each page, a digest of its kind, file and inputs: equal keys mean equal text."""

from __future__ import annotations

import hashlib
import io
import pickle

from .model import Article, Section
from .views import Item

DIGESTED = (Article, Section, Item)  # objects that carry a digest of all their fields


class _InputsPickler(pickle.Pickler):
    """Pickles a page's inputs with each article standing as its digest (of its file and the parse options),
    which decides every field of it (sections and list entries likewise), so a key costs a few bytes per article instead of its whole body."""

    def reducer_override(self, obj):
        kind = type(obj)
        if kind in DIGESTED and obj.digest:
            return str, (obj.digest,)
        fields = getattr(kind, "__dataclass_fields__", None)
        if fields is not None:  # by value, without dataclasses' slow per-object __getstate__
            return kind, tuple([getattr(obj, name) for name in fields])
        return NotImplemented


def page_keys(epoch: bytes, pages, inputs) -> list[bytes]:
    """The digest of everything each page's text depends on: the epoch (code, config, layouts,
    navigation) and the page's own inputs, which are all its view can see."""
    buffer = io.BytesIO()
    pickler = _InputsPickler(buffer, protocol=5)
    pickler.fast = True  # no memo: the bytes depend on values only, never on which objects are shared
    keys = []
    for page, value in zip(pages, inputs):
        buffer.seek(0)
        buffer.truncate()
        pickler.dump((page.kind, page.out, value))
        keys.append(hashlib.blake2b(epoch + buffer.getbuffer(), digest_size=20).digest())
    return keys
