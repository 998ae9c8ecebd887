"""Import stage: import-record.json, the importer's memory of what it wrote: each file's digest and, for an
article, its title, day and old addresses and the saved copies (sources) and pages it came from."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

RECORD_NAME = "import-record.json"
VERSION = 2


@dataclass(frozen=True, slots=True)
class Entry:
    digest: str  # of the bytes the importer wrote
    title: str = ""  # an article's or a section's
    day: str = ""  # an article's date, 2019-11-08
    aliases: tuple[str, ...] = ()  # its old addresses (a section's: its old list pages)
    sources: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (saved copy's folder, its pages) an article came from
    writer: str = ""  # the saved copy whose pages the article's text is made from; the others only point at it

    def pages_from(self, source: str) -> tuple[str, ...]:
        return next((pages for folder, pages in self.sources if folder == source), ())

    def with_pages(self, source: str, pages: tuple[str, ...]) -> Entry:
        """This entry with `source`'s pages replaced (dropped when `pages` is empty)."""
        others = [(folder, kept) for folder, kept in self.sources if folder != source]
        return replace(self, sources=tuple(sorted(others + ([(source, tuple(sorted(pages)))] if pages else []))))

    def as_json(self) -> dict:
        data: dict = {"digest": self.digest}
        if self.title:
            data["title"] = self.title
        if self.day:
            data["date"] = self.day
        if self.aliases:
            data["aliases"] = list(self.aliases)
        if self.sources:
            data["sources"] = {folder: list(pages) for folder, pages in self.sources}
        if self.writer:
            data["written_from"] = self.writer
        return data


def _entry(value) -> Entry | None:
    if isinstance(value, str):  # version 1: the digest alone
        return Entry(value)
    if not isinstance(value, dict) or not isinstance(value.get("digest"), str):
        return None
    sources = value.get("sources") if isinstance(value.get("sources"), dict) else {}
    return Entry(value["digest"], str(value.get("title", "")), str(value.get("date", "")),
                 tuple(str(a) for a in value.get("aliases", ()) if isinstance(a, str)),
                 tuple(sorted((str(folder), tuple(str(p) for p in pages)) for folder, pages in sources.items()
                              if isinstance(pages, list))), str(value.get("written_from", "")))


def load_record(site: Path) -> dict[str, Entry]:
    """site-relative path -> Entry; an unreadable record is an empty one (every file is then the editors')."""
    try:
        data = json.loads((site / RECORD_NAME).read_text(encoding="utf-8"))
        files = data.get("files", {})
    except (OSError, ValueError, AttributeError):
        return {}
    if not isinstance(files, dict):
        return {}
    found = {str(rel): _entry(value) for rel, value in files.items()}
    return {rel: entry for rel, entry in found.items() if entry is not None}


def record_bytes(entries: dict[str, Entry]) -> bytes:
    files = {rel: entries[rel].as_json() for rel in sorted(entries)}
    return (json.dumps({"version": VERSION, "files": files}, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def rehomed(record: dict[str, Entry], source: str, pages_here: set[str]) -> dict[str, Entry]:
    """The record with each saved copy that is no longer where it was recorded (moved, renamed, or imported on
    another computer from a clone of the site) read as `source`, when `source` holds pages it recorded: its
    articles are then this copy's own, updated in their files, never written a second time."""
    gone = {folder for entry in record.values() for folder, pages in entry.sources
            if folder != source and not Path(folder).is_dir() and pages_here.intersection(pages)}
    if not gone:
        return record

    def moved(folder: str) -> str:
        return source if folder in gone else folder

    found = {}
    for rel, entry in record.items():
        sources: dict[str, set] = {}
        for folder, pages in entry.sources:
            sources.setdefault(moved(folder), set()).update(pages)
        found[rel] = replace(entry, sources=tuple(sorted((folder, tuple(sorted(pages)))
                                                         for folder, pages in sources.items())),
                             writer=moved(entry.writer) if entry.writer else "")
    return found
