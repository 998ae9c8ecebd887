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

from .. import urls
from ..config import load_config
from ..parallel import default_jobs, map_shares
from ..redirects import redirect_key
from .discover import SavedFile, discover, file_key
from .document import front_matter, section_file
from .encoding import decode_page
from .extract import Extracted, extract_html, extract_text
from .lists import list_folder, section_aliases
from .mapping import MAP_NAME, SKIP, MappingError, folder_titles, load_mapping, render_mapping
from .multipage import join_pages
from .placing import Article, folder_of_file, merged_entry, place, url_of
from .progress import Progress
from .record import Entry, load_record
from .report import REPORT_NAME, ImportReport, prune_notice
from .resolve import Resolver, fill
from .sections import drop_site_name, section_trail
from .writer import EDITED_STAYS, apply, digest

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
    prune: bool = False  # remove the articles whose old pages are gone from this copy (if nobody edited them)


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
    return re.sub(r"[\W_]+", "", re.sub(r'\]\(\x00\d+\x00(?: "(?:\\.|[^"\\])*")?\)', "", markdown))


SKIPPED_KINDS = {"list": "idle_list", "failed": "idle_failed"}


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
    source = str(options.source.resolve())
    record = load_record(site)
    report = ImportReport(pages=len(copy.pages), dry_run=options.dry_run, old_base_url=options.old_base_url or "")
    outcomes = read_all(copy.pages, config.allow_html, options.jobs or default_jobs(),
                        Progress(len(copy.pages), err))
    pages, lists, not_imported = [], [], {}
    for outcome in outcomes:
        kind = outcome.extracted.kind
        if outcome.extracted.rule:
            report.doubtful.append((outcome.saved.rel, outcome.extracted.rule))
        if kind == "article":
            pages.append(outcome)
        elif kind == "failed":
            report.failed.append((outcome.saved.rel, outcome.extracted.reason))
        else:
            report.skipped[kind] = report.skipped.get(kind, 0) + 1
            if kind == "list" and outcome.saved.address:
                lists.append(outcome)
        if kind != "article":
            not_imported[outcome.saved.rel] = SKIPPED_KINDS.get(kind, "idle_skipped")
        if outcome.encoding_note:
            report.notes.append((outcome.saved.rel, outcome.encoding_note))
    joined = join_pages(pages)
    # sections ----------------------------------------------------------------
    placed = []
    used: dict[tuple[str, ...], str] = {}
    counts: dict[tuple[str, ...], int] = {}
    raw = [section_trail(j.extracted.crumbs, j.extracted.title) for j in joined]
    trails = drop_site_name(raw)
    site_name = next((r[0] for r, t in zip(raw, trails) if r and r != t), "")
    folders_of = {trail: mapping.folder_of(trail) for trail in set(trails)}  # pinyin once per section
    for one, trail in zip(joined, trails):
        folder = folders_of[trail]
        if mapping.exists and trail and " > ".join(trail) not in mapping.sections:
            report.new_sections.append(f"{' > '.join(trail)} -> {folder}")
        if folder == SKIP:
            report.by_mapping += 1
            not_imported.update((page.rel, "idle_skipped") for page in one.pages)
            continue
        used.setdefault(trail, folder)
        counts[trail] = counts.get(trail, 0) + 1
        placed.append((one, folder))
    report.new_sections = sorted(set(report.new_sections))
    # duplicates: same title, day and words on two addresses are one article -----------
    groups: dict[tuple, list] = {}
    for one, folder in placed:
        key = (one.extracted.title, one.extracted.meta.date[:10], _plain(one.extracted.markdown))
        groups.setdefault(key, []).append((one, folder))
    articles = []
    for members in groups.values():
        members.sort(key=lambda m: (m[0].outcome.saved.is_text, -len(m[0].extracted.refs), m[0].outcome.saved.rel))
        articles.append(Article(tuple(m[0] for m in members), members[0][1]))
        report.duplicates += len(members) - 1
    # where each article's file goes -----------------------------------------
    content_dir, present = content.as_posix(), _markdown_files(config.content_dir, content)
    editors = existing_articles(config.content_dir, record, content)
    placement = place(articles, site, content_dir, record, source, present, editors, options.force)
    for index, rel, url in placement.already:
        report.already.append((articles[index].lead.outcome.saved.rel, rel))
    report.kept += placement.kept
    new_urls: dict[str, str] = {}
    recorded_urls: dict[str, str] = {}  # where the lists' articles are, even those an editor has deleted since
    for rel, entry in record.items():  # articles of earlier runs, from any copy
        if not rel.endswith("/_index.md"):
            recorded_urls.update((redirect_key(alias), url_of(rel, content_dir)) for alias in entry.aliases)
            if rel in present:
                new_urls.update((redirect_key(alias), url_of(rel, content_dir)) for alias in entry.aliases)
    homes = {**{i: url for i, _, url in placement.already},
             **{i: url_of(rel, content_dir) for i, rel in placement.earlier},
             **{i: url_of(rel, content_dir) for i, rel in placement.stays.items() if rel in present},
             **{i: url_of(rel, content_dir) for i, rel in placement.files.items()}}
    for index, url in homes.items():
        for alias in articles[index].aliases:
            new_urls[redirect_key(alias)] = url
            if alias.rsplit("/", 1)[-1].lower() in ("index.html", "index.htm", "index.shtml"):
                new_urls[redirect_key(alias.rsplit("/", 1)[0] + "/")] = url
    for index, rel in placement.earlier:
        lacking = [a for a in articles[index].aliases if a not in record[rel].aliases]
        report.earlier.append((articles[index].lead.outcome.saved.rel, rel, lacking))
    # old list pages redirect to the section they list ------------------------
    folders = {folder_of_file(rel, content_dir) for rel in present if not rel.endswith("/_index.md")} | \
        {folder_of_file(rel, content_dir) for rel in placement.files.values()}
    list_trails = [section_trail(o.extracted.crumbs, "") for o in lists]
    list_trails = [t[1:] if site_name and t[:1] == (site_name,) else t for t in list_trails]
    redirected: dict[str, str] = {}
    for outcome, trail in zip(lists, list_trails):
        address = outcome.saved.address
        owner = new_urls.get(redirect_key(address))
        folder = "" if owner else list_folder(outcome.saved, outcome.extracted.links, trail,
                                              {**recorded_urls, **new_urls}, mapping, folders)
        if folder:
            redirected[address] = folder
        report.lists.append((outcome.saved.rel, folder, owner and owner.strip("/")))
    recorded_aliases = {folder_of_file(rel, content_dir): entry.aliases for rel, entry in record.items()
                        if rel.endswith("/_index.md") and entry.aliases}
    by_folder = section_aliases(recorded_aliases, redirected)
    list_urls = {redirect_key(a): "/" + urls.section(folder) for folder, aliases in by_folder.items()
                 for a in aliases}
    # bodies, links and files -------------------------------------------------
    hosts = {h.lower() for h in copy.hosts}
    if options.old_base_url:
        hosts.add(urlsplit(options.old_base_url).netloc.lower())
    resolver = Resolver(copy, new_urls, hosts, list_urls, {file_key(o.saved.address) for o in lists})
    planned: dict[str, object] = {}
    entries: dict[str, Entry] = dict(placement.touched)
    copied: dict[str, str] = {}
    base_url = options.old_base_url.rstrip("/") + "/" if options.old_base_url else ""
    for index, rel in sorted(placement.files.items(), key=lambda item: item[1]):
        article = articles[index]
        extracted = article.lead.extracted
        page = article.lead.outcome.saved
        targets = []
        for kind, href in extracted.refs:
            resolved = resolver.resolve(kind, href, page)
            targets.append(resolved)
            if resolved.event == "asset":
                asset = (assets / resolved.target.lstrip("/")).as_posix()
                if asset not in planned:
                    planned[asset] = resolved.asset.path
                    copied[asset] = "image" if kind == "image" or resolved.target.lower().endswith(
                        (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".svg")) else "attachment"
        body, at = fill(extracted.markdown, targets)
        for note in extracted.notes:
            report.notes.append((page.rel, note))
        head = front_matter(extracted.title, extracted.meta.date, extracted.subtitle, extracted.meta.author,
                            extracted.meta.source, article.aliases)
        text = head + body.strip("\n") + "\n"
        lead = len(body) - len(body.lstrip("\n"))
        for number, resolved in enumerate(targets):
            if resolved.event not in ("missing", "broken", "list") or number not in at:
                continue
            line = head.count("\n") + 1 + body[lead:max(lead, at[number])].count("\n")
            if resolved.event == "missing":
                what = "image" if extracted.refs[number][0] == "image" else "attachment"
                url = base_url + resolved.old.lstrip("/") if base_url and resolved.old.startswith("/") else \
                    resolved.old if "://" in resolved.old else ""
                report.missing.append((rel, line, resolved.old, what, page.rel, url))
            else:
                report.broken.append((rel, line, resolved.old or extracted.refs[number][1], page.rel))
        planned[rel] = text.encode("utf-8")
        earlier = sorted(old for old, new in placement.moves if new == rel)
        entries[rel] = merged_entry(record, earlier, rel, source, article.origins, extracted.title,
                                    extracted.meta.date[:10], article.aliases)
        if len(article.lead.pages) > 1:
            report.joined.append((rel, [p.rel for p in article.lead.pages]))
        for address in article.lead.missing:
            report.missing_pages.append((rel, address, page.rel))
    report.articles = len(placement.files)
    report.images = sum(1 for kind in copied.values() if kind == "image")
    report.attachments = len(copied) - report.images
    # sections' files ----------------------------------------------------------
    removals = dict(placement.removals)
    emptied = _emptied_sections(record, planned, removals, present, by_folder, content_dir)
    removals.update((rel, "section") for rel in emptied)
    titles = folder_titles(mapping, {trail: folder for trail, folder in used.items()})
    for folder in sorted({*titles, *by_folder}):
        index = f"{content_dir}/{folder}/_index.md"
        aliases = by_folder.get(folder, ())
        earlier = record.get(index)
        if index in emptied or folder not in titles and (earlier.aliases if earlier else ()) == aliases:
            continue  # a section this run leaves as it is (or removes: its articles all moved away)
        title = titles.get(folder) or (earlier.title if earlier else "") or mapping.titles.get(folder) or \
            folder.rpartition("/")[2]
        if (site / index).exists() and index not in record:
            lacking = [a for a in aliases if a in redirected]
            if lacking:
                report.kept.append((index, "foreign-index", {"aliases": "、".join(lacking)}))
            continue
        planned[index] = section_file(title, aliases).encode("utf-8")
        entries[index] = Entry("", title, "", aliases)
    # what is gone from this copy, and --prune ----------------------------------
    present_pages = {page.rel for page in copy.pages}
    written = set(placement.files.values()) | set(placement.stays.values()) | {rel for _, rel in placement.earlier}
    pruned = []
    for rel, entry in sorted(record.items()):
        mine = entry.pages_from(source)
        if not mine or rel in written or rel.endswith("/_index.md") or rel not in present:
            continue
        still = [page for page in mine if page in present_pages]
        if still:
            report.idle.append((rel, still[0], _idle_why(not_imported.get(still[0], "idle_skipped"))))
        elif not options.prune:
            report.gone.append((rel, list(mine)))
        elif entry.with_pages(source, ()).sources:  # another copy still has it: only this copy's claim goes
            entries[rel] = entry.with_pages(source, ())
        else:
            removals[rel] = "prune"
            pruned.append(rel)
    if pruned:
        out.write(prune_notice([rel for rel in pruned if digest((site / rel).read_bytes()) == record[rel].digest],
                               source, options.dry_run))
        out.flush()
    result = apply(site, planned, record, options.force, options.dry_run, entries, removals)
    article_files = {rel for rel in planned if rel.endswith(".md") and not rel.endswith("/_index.md")}
    report.created = sum(1 for rel in result.created + result.forced if rel in article_files)
    report.updated = sum(1 for rel in result.updated if rel in article_files)
    report.unchanged = sum(1 for rel in result.unchanged if rel in article_files)
    report.removed = sum(1 for rel in result.removed if rel.endswith(".md") and not rel.endswith("/_index.md"))
    for rel, why in result.kept:
        if why == EDITED_STAYS:
            why = f"{removals[rel]}-edited"
        detail = {"to": next((new for old, new in placement.moves if old == rel), "")}
        report.kept.append((rel, why, detail))
    report.actions = _actions(result, placement.moves)
    per_folder: dict[str, int] = {}
    for index, rel in placement.files.items():
        per_folder[articles[index].folder] = per_folder.get(articles[index].folder, 0) + 1
    report.sections = [(folder, title, per_folder.get(folder, 0)) for folder, title in titles.items()]
    if not mapping.exists:
        mapping_path.write_text(render_mapping(used, counts, titles, mapping.no_breadcrumb), encoding="utf-8")
        report.map_written = (f"wrote {MAP_NAME}: check the folders and titles, edit them if needed, then run the "
                              "import again" + (" without --dry-run" if options.dry_run else ""))
    report.failed.sort()
    report.notes.sort()
    report.doubtful.sort()
    report.missing.sort()
    report.broken.sort()
    report.kept.sort(key=lambda item: item[0])
    report.seconds = time.perf_counter() - started
    if not options.dry_run:
        (site / REPORT_NAME).write_text(report.text(), encoding="utf-8")
    return report


def _idle_why(key: str) -> str:
    from .report import TEXT
    return TEXT[key].format(kind="映射跳过或重复") if key == "idle_skipped" else TEXT[key]


def _actions(result, moves: list) -> list[tuple]:
    """What was (or would be) done, file by file, in the order an editor reads it."""
    moved = {old: new for old, new in moves if old in result.removed and new in result.created + result.forced}
    actions = [("move", old, new) for old, new in sorted(moved.items())]
    arrived = set(moved.values())
    actions += [("new", rel) for rel in result.created if rel not in arrived]
    actions += [("update", rel) for rel in result.updated]
    actions += [("replace", rel) for rel in result.forced if rel not in arrived]
    actions += [("remove", rel) for rel in result.removed if rel not in moved]
    return actions


def _markdown_files(content_dir: Path, content: Path) -> set:
    """Every .md file under content/, as a site-relative path."""
    if not content_dir.is_dir():
        return set()
    return {(content / path.relative_to(content_dir)).as_posix() for path in content_dir.rglob("*.md")}


def _emptied_sections(record: dict, planned: dict, removals: dict, present: set, aliases: dict,
                      content: str) -> list:
    """Sections the importer made whose articles all move away in this run: their _index.md goes too (one an
    editor made, or one old list pages still redirect to, stays)."""
    leaving = {rel for rel, why in removals.items() if why == "move"}
    if not leaving:
        return []
    idle = {rel for rel in record if rel.endswith("/_index.md") and rel not in planned}
    staying = (present | set(planned)) - leaving - idle
    emptied = []
    for rel in sorted(idle & present):
        folder = rel[: -len("_index.md")]
        if not aliases.get(folder[len(content) + 1:-1], record[rel].aliases) \
                and any(left.startswith(folder) for left in leaving) \
                and not any(kept.startswith(folder) for kept in staying):
            emptied.append(rel)
    return emptied


def existing_articles(content_dir: Path, record: dict, content: Path) -> dict:
    """(title, day) -> (file, URL) of every article in content/ that the importer did not write (or wrote before
    it recorded where its files came from)."""
    found = {}
    for path in sorted(content_dir.rglob("*.md")) if content_dir.is_dir() else ():
        rel = (content / path.relative_to(content_dir)).as_posix()
        if path.name == "_index.md" or rel in record and record[rel].sources:
            continue
        try:
            text = path.read_text(encoding="utf-8-sig")
            front = yaml.safe_load(text.split("\n---", 1)[0].removeprefix("---")) if text.startswith("---") else None
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if isinstance(front, dict) and front.get("title") and front.get("date"):
            slug = str(front.get("slug") or path.stem)
            url = "/" + urls.article(path.parent.relative_to(content_dir).as_posix(), slug)
            found.setdefault((str(front["title"]).strip(), str(front["date"]).strip()[:10]), (rel, url))
    return found
