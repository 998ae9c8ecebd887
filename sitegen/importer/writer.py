"""Import stage: write the planned files, keeping a record of what was written so an editor's change is never
overwritten without --force; files of an earlier import that are no longer planned are removed if untouched."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

RECORD_NAME = "import-record.json"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(slots=True)
class WriteResult:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    kept: list = field(default_factory=list)  # (path, why): changed by an editor, or not written by the importer
    forced: list = field(default_factory=list)
    removed: list = field(default_factory=list)


def load_record(site: Path) -> dict:
    path = site / RECORD_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return dict(data.get("files", {}))
    except (OSError, ValueError, AttributeError):
        return {}


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


def apply(site: Path, planned: dict, force: bool, dry_run: bool) -> WriteResult:
    """planned: site-relative path -> bytes, or a Path whose bytes are copied."""
    record = load_record(site)
    result = WriteResult()
    new_record = {}
    for rel in sorted(planned):
        source = planned[rel]
        data = source.read_bytes() if isinstance(source, Path) else source
        wanted = digest(data)
        target = site / rel
        if not target.exists():
            result.created.append(rel)
        else:
            current = digest(target.read_bytes())
            if current == wanted:
                result.unchanged.append(rel)
                new_record[rel] = wanted
                continue
            if record.get(rel) == current:
                result.updated.append(rel)
            elif force:
                result.forced.append(rel)
            else:
                why = "changed since the last import" if rel in record else "not written by the importer"
                result.kept.append((rel, why))
                if rel in record:
                    new_record[rel] = record[rel]
                continue
        if not dry_run:
            _write(target, data)
        new_record[rel] = wanted
    for rel, written in sorted(record.items()):
        if rel in planned:
            continue
        target = site / rel
        if not target.exists():
            continue
        if digest(target.read_bytes()) == written or force:
            result.removed.append(rel)
            if not dry_run:
                target.unlink()
                _prune(target.parent, site)
        else:
            result.kept.append((rel, "no longer imported, but changed since the last import"))
            new_record[rel] = written
    if not dry_run:
        _write(site / RECORD_NAME, (json.dumps({"version": 1, "files": dict(sorted(new_record.items()))},
                                               ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    return result


def _prune(folder: Path, site: Path) -> None:
    while folder != site and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
