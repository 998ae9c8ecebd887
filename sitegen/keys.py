"""Stage 6b: the key of each page, a digest of its kind, file and inputs: equal keys mean equal text."""

from __future__ import annotations

import hashlib
import io
import pickle

from .model import Article


class _InputsPickler(pickle.Pickler):
    """Pickles a page's inputs with each article standing as its digest (of its file and the parse options),
    which decides every field of it, so a key costs a few bytes per article instead of its whole body."""

    def reducer_override(self, obj):
        if type(obj) is Article and obj.digest:
            return str, (obj.digest,)
        return NotImplemented


def page_key(epoch: bytes, kind: str, out: str, inputs) -> bytes:
    """The digest of everything a page's text depends on: the epoch (code, config, layouts, navigation),
    and the page's own inputs, which are all its view can see."""
    buffer = io.BytesIO()
    pickler = _InputsPickler(buffer, protocol=5)
    pickler.fast = True  # no memo: the bytes depend on values only, never on which objects are shared
    pickler.dump((kind, out, inputs))
    return hashlib.blake2b(epoch + buffer.getvalue(), digest_size=20).digest()
