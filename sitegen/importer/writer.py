"""Import stage: decide and write the planned files, keeping import-record.json so an editor's change is never
overwritten without --force; a file is removed only when asked (an article moved, or --prune) and untouched.
The dry run makes the very same decisions and writes nothing."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from .record import RECORD_NAME, Entry, record_bytes

# Why a file was left as it is (report.py says it in words).
EDITED = "edited"  # changed by an editor since the importer wrote it
FOREIGN = "foreign"  # not written by the importer
EDITED_STAYS = "edited-stays"  # to be moved or pruned, but changed by an editor since


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(slots=True)
class WriteResult:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    kept: list = field(default_factory=list)  # (path, why): EDITED, FOREIGN or EDITED_STAYS
    forced: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    record: dict = field(default_factory=dict)  # the record after this run: path -> Entry


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def apply(site: Path, planned: dict, record: dict, force: bool, dry_run: bool, entries: dict | None = None,
          removals: dict | None = None) -> WriteResult:
    """planned: site-relative path -> bytes, or a Path whose bytes are copied. record: the last record (path ->
    Entry); entries: what to record of a planned or untouched file (its digest is filled in here); removals:
    path -> why: 'move' (an article's earlier file: --force removes it even when an editor changed it),
    'prune' or 'section' (never when changed). Files neither planned nor to be removed are left alone and stay
    in the record."""
    entries, removals = entries or {}, removals or {}
    result = WriteResult(record=dict(record))
    for rel, entry in entries.items():
        if rel not in planned and rel in record:
            result.record[rel] = replace(entry, digest=record[rel].digest)  # new pages of an untouched file
    for rel in sorted(planned):
        source = planned[rel]
        data = source.read_bytes() if isinstance(source, Path) else source
        wanted = digest(data)
        entry = replace(entries.get(rel, Entry(wanted)), digest=wanted)
        target = site / rel
        if not target.exists():
            result.created.append(rel)
        else:
            current = digest(target.read_bytes())
            if current == wanted:
                result.unchanged.append(rel)
                result.record[rel] = entry
                continue
            if rel in record and record[rel].digest == current:
                result.updated.append(rel)
            elif force:
                result.forced.append(rel)
            else:
                result.kept.append((rel, EDITED if rel in record else FOREIGN))
                if rel in record:
                    result.record[rel] = replace(entry, digest=record[rel].digest)
                continue
        if not dry_run:
            _write(target, data)
        result.record[rel] = entry
    for rel, why in sorted(removals.items()):
        target = site / rel
        if rel in planned or not target.exists():
            continue
        if rel in record and digest(target.read_bytes()) == record[rel].digest or force and why == "move":
            result.removed.append(rel)
            result.record.pop(rel, None)
            if not dry_run:
                target.unlink()
                _prune_folders(target.parent, site)
        else:
            result.kept.append((rel, EDITED_STAYS))
    if not dry_run:
        _write(site / RECORD_NAME, record_bytes(result.record))
    return result


def _prune_folders(folder: Path, site: Path) -> None:
    while folder != site and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
