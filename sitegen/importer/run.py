"""The import: saved copy -> decoded pages -> articles -> sections, slugs, links and files -> written site and report."""

from __future__ import annotations

import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

import yaml

from ..config import load_config
from ..redirects import redirect_key
from ..parallel import default_jobs, map_shares
from .discover import SavedCopy, SavedFile, discover, file_key
from .document import article_file, section_file
from .encoding import decode_page
from .extract import Extracted, extract_html, extract_text
from .mapping import MAP_NAME, SKIP, MappingError, folder_titles, load_mapping, render_mapping
from .progress import Progress
from .report import REPORT_NAME, ImportReport
from .resolve import Resolver, fill
from .sections import drop_site_name, section_trail
from .slugs import article_slug, unique_slugs
from .writer import apply

BINARY_MAGIC = (b"GIF8", b"\x89PNG", b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"Rar!", b"BM6\x00")
CHUNK = 400  # pages per round of worker processes, so the progress line moves


@dataclass(frozen=True, slots=True)
class ImportOptions:
    source: Path
    site: Path
    old_base_url: str | None = None
    dry_run: bool = False
    force: bool = False
    jobs: int = 0


@dataclass(frozen=True, slots=True)
class PageOutcome:
    saved: SavedFile
    extracted: Extracted
    encoding_note: str = ""


class ImportFailed(Exception):
    """The import cannot start (no site.yaml, no pages, a bad import-map.yaml); args[0] says why."""


def read_page(saved: SavedFile, allow_html: bool) -> PageOutcome:
    """Decode and extract one saved page (runs in worker processes)."""
    try:
        data = saved.path.read_bytes()
    except OSError as err:
        return PageOutcome(saved, Extracted("failed", f"cannot be read: {err.strerror}"))
    if data[:4] in BINARY_MAGIC or data[:2] == b"\xff\xd8" or b"\x00" in data[:1024]:
        return PageOutcome(saved, Extracted("file", "a picture or attachment, not a page"))
    decoded = decode_page(data, is_html=not saved.is_text)
    if decoded.failure:
        return PageOutcome(saved, Extracted("failed", decoded.failure))
    try:
        if saved.is_text and "<html" not in decoded.text[:2000].lower():
            extracted = extract_text(decoded.text)
        else:
            extracted = extract_html(decoded.text, saved.address, allow_html)
    except Exception as err:  # one malformed page must not stop an import of thousands; it is reported
        extracted = Extracted("failed", f"could not be read as a page ({type(err).__name__}: {err})")
    if saved.is_text and saved.host and extracted.kind == "failed":
        extracted = Extracted("file", "a text file of the old site, not an article")
    return PageOutcome(saved, extracted, decoded.note)


def read_all(pages: tuple[SavedFile, ...], allow_html: bool, jobs: int, progress: Progress) -> list[PageOutcome]:
    outcomes: list[PageOutcome] = []
    for start in range(0, len(pages), CHUNK):
        share = pages[start:start + CHUNK]
        outcomes += map_shares(lambda part: [read_page(s, allow_html) for s in part], share, jobs, minimum=100)
        progress.update(len(outcomes))
    progress.close()
    return outcomes


def _plain(markdown: str) -> str:
    """What two copies of an article share whatever their markup: the words (links' targets removed)."""
    return re.sub(r"[\W_]+", "", re.sub(r"\]\(\x00\d+\x00\)", "", markdown))


def run_import(options: ImportOptions, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> ImportReport:
    started = time.perf_counter()
    site = options.site
    if not (site / "site.yaml").is_file():
        raise ImportFailed(f"{site / 'site.yaml'} not found: run the import in the site's folder or pass --site DIR")
    config = load_config(site / "site.yaml")
    content = config.content_dir.relative_to(site.resolve()) if config.content_dir.is_relative_to(site.resolve()) \
        else Path("content")
    assets = config.assets_dir.relative_to(site.resolve()) if config.assets_dir.is_relative_to(site.resolve()) \
        else Path("assets")
    if not options.source.is_dir():
        raise ImportFailed(f"{options.source} is not a folder: give the folder of the saved copy "
                           "(what wget --mirror wrote, or a folder of pages saved as text)")
    copy = discover(options.source)
    if not copy.pages:
        raise ImportFailed(f"{options.source} holds no saved pages (.htm, .html, .shtml, .asp, .jsp, .php or .txt)")
    mapping_path = site / MAP_NAME
    try:
        mapping = load_mapping(mapping_path)
    except MappingError as error:
        raise ImportFailed(str(error.args[0])) from None
    report = ImportReport(pages=len(copy.pages), dry_run=options.dry_run, old_base_url=options.old_base_url or "")
    outcomes = read_all(copy.pages, config.allow_html, options.jobs or default_jobs(),
                        Progress(len(copy.pages), err))
    articles, lists = [], set()
    for outcome in outcomes:
        kind = outcome.extracted.kind
        if kind == "article":
            articles.append(outcome)
        elif kind == "failed":
            report.failed.append((outcome.saved.rel, outcome.extracted.reason))
        else:
            report.skipped[kind] = report.skipped.get(kind, 0) + 1
            if outcome.saved.address:
                lists.add(file_key(outcome.saved.address))
        if outcome.encoding_note:
            report.notes.append((outcome.saved.rel, outcome.encoding_note))
    # sections ----------------------------------------------------------------
    placed = []
    used: dict[tuple[str, ...], str] = {}
    counts: dict[tuple[str, ...], int] = {}
    trails = drop_site_name([section_trail(o.extracted.crumbs, o.extracted.title) for o in articles])
    for outcome, trail in zip(articles, trails):
        folder = mapping.folder_of(trail)
        if mapping.exists and trail and " > ".join(trail) not in mapping.sections:
            report.new_sections.append(f"{' > '.join(trail)} -> {folder}")
        if folder == SKIP:
            report.by_mapping += 1
            continue
        used.setdefault(trail, folder)
        counts[trail] = counts.get(trail, 0) + 1
        placed.append((outcome, folder))
    report.new_sections = sorted(set(report.new_sections))
    # articles the site already has (typed in by an editor): same title and day ---------
    existing = existing_articles(config.content_dir, _recorded(site), content)
    kept_placed = []
    for outcome, folder in placed:
        found = existing.get((outcome.extracted.title, outcome.extracted.meta.date[:10]))
        if found:
            report.already.append((outcome.saved.rel, found))
        else:
            kept_placed.append((outcome, folder))
    placed = kept_placed
    # duplicates: same title, day and words on two addresses are one article -----------
    groups: dict[tuple, list] = {}
    for outcome, folder in placed:
        extracted = outcome.extracted
        key = (extracted.title, extracted.meta.date[:10], _plain(extracted.markdown))
        groups.setdefault(key, []).append((outcome, folder))
    merged = []
    for members in groups.values():
        members.sort(key=lambda m: (m[0].saved.is_text, -len(m[0].extracted.refs), m[0].saved.rel))
        merged.append(members)
        report.duplicates += len(members) - 1
    # slugs and new addresses -------------------------------------------------
    wanted = [(members[0][1], article_slug(members[0][0].extracted.meta.date, members[0][0].saved.address,
                                           members[0][0].saved.rel), members[0][0].saved.rel) for members in merged]
    slugs = unique_slugs(wanted)
    new_urls: dict[str, str] = {}
    finals = []
    for members, want in zip(merged, wanted):
        folder, slug = want[0], slugs[want]
        url = f"/{folder}/{slug}/"
        aliases = tuple(sorted({m[0].saved.address for m in members if m[0].saved.address}))
        for alias in aliases:
            new_urls[redirect_key(alias)] = url
            if alias.rsplit("/", 1)[-1].lower() in ("index.html", "index.htm", "index.shtml"):
                new_urls[redirect_key(alias.rsplit("/", 1)[0] + "/")] = url
        finals.append((members[0][0], folder, slug, aliases))
    # bodies, links and files -------------------------------------------------
    hosts = {h.lower() for h in copy.hosts}
    if options.old_base_url:
        hosts.add(urlsplit(options.old_base_url).netloc.lower())
    resolver = Resolver(copy, new_urls, hosts, options.old_base_url, lists)
    planned: dict[str, object] = {}
    copied: dict[str, str] = {}
    for outcome, folder, slug, aliases in sorted(finals, key=lambda f: (f[1], f[2])):
        extracted = outcome.extracted
        targets = []
        for kind, href in extracted.refs:
            resolved = resolver.resolve(kind, href, outcome.saved)
            targets.append(resolved)
            if resolved.event == "asset":
                rel = (assets / resolved.target.lstrip("/")).as_posix()
                if rel not in planned:
                    planned[rel] = resolved.asset.path
                    copied[rel] = "image" if kind == "image" or resolved.target.lower().endswith(
                        (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".svg")) else "attachment"
            elif resolved.event == "missing":
                report.missing.append((outcome.saved.rel, resolved.old, "image" if kind == "image" else "attachment"))
            elif resolved.event in ("broken", "list"):
                report.broken.append((outcome.saved.rel, resolved.old or href))
        body = fill(extracted.markdown, targets)
        for note in extracted.notes:
            report.notes.append((outcome.saved.rel, note))
        text = article_file(extracted.title, extracted.meta.date, body, extracted.subtitle, extracted.meta.author,
                            extracted.meta.source, aliases)
        planned[(content / folder / f"{slug}.md").as_posix()] = text.encode("utf-8")
    report.articles = len(finals)
    report.images = sum(1 for kind in copied.values() if kind == "image")
    report.attachments = len(copied) - report.images
    titles = folder_titles(mapping, {trail: folder for trail, folder in used.items()})
    for folder, title in titles.items():
        index = (content / folder / "_index.md").as_posix()
        if not (site / index).exists() or index in _recorded(site):
            planned[index] = section_file(title).encode("utf-8")
    result = apply(site, planned, options.force, options.dry_run)
    article_files = {rel for rel in planned if rel.endswith(".md") and not rel.endswith("/_index.md")}
    report.created = sum(1 for rel in result.created + result.forced if rel in article_files)
    report.updated = sum(1 for rel in result.updated if rel in article_files)
    report.unchanged = sum(1 for rel in result.unchanged if rel in article_files)
    report.removed = sum(1 for rel in result.removed if rel.endswith(".md") and not rel.endswith("/_index.md"))
    report.kept = list(result.kept)
    per_folder: dict[str, int] = {}
    for _, folder, _, _ in finals:
        per_folder[folder] = per_folder.get(folder, 0) + 1
    report.sections = [(folder, title, per_folder.get(folder, 0)) for folder, title in titles.items()]
    if options.dry_run:
        report.planned = [(action, rel) for action, rels in (("new", result.created), ("update", result.updated),
                                                              ("replace", result.forced), ("remove", result.removed))
                          for rel in rels]
    if not mapping.exists:
        mapping_path.write_text(render_mapping(used, counts, titles, mapping.no_breadcrumb), encoding="utf-8")
        report.map_written = (f"wrote {MAP_NAME}: check the folders and titles, edit them if needed, then run the "
                              "import again" + (" without --dry-run" if options.dry_run else ""))
    report.failed.sort()
    report.notes.sort()
    report.seconds = time.perf_counter() - started
    if not options.dry_run:
        (site / REPORT_NAME).write_text(report.text(), encoding="utf-8")
    return report


def existing_articles(content_dir: Path, recorded: set, content: Path) -> dict:
    """(title, day) -> file of every article in content/ that the importer did not write."""
    found = {}
    for path in sorted(content_dir.rglob("*.md")):
        rel = (content / path.relative_to(content_dir)).as_posix()
        if path.name == "_index.md" or rel in recorded:
            continue
        try:
            text = path.read_text(encoding="utf-8-sig")
            front = yaml.safe_load(text.split("\n---", 1)[0].removeprefix("---")) if text.startswith("---") else None
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if isinstance(front, dict) and front.get("title") and front.get("date"):
            found.setdefault((str(front["title"]).strip(), str(front["date"]).strip()[:10]), rel)
    return found


def _recorded(site: Path) -> set:
    from .writer import load_record
    return set(load_record(site))
