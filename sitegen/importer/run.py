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
from ..messages import Language, language_named, say
from ..parallel import default_jobs, map_shares
from ..redirects import redirect_key
from .discover import SavedFile, discover, file_key
from .document import front_matter, section_file
from .encoding import decode_page
from .extract import Extracted, extract_html, extract_text
from .lists import list_folder, section_aliases
from .mapping import MAP_NAME, SKIP, folder_titles, load_mapping, render_mapping
from .multipage import join_pages
from .placing import Article, folder_of_file, merged_entry, place, url_of
from .progress import Progress
from .record import Entry, load_record, rehomed
from .report import REPORT_NAME, ImportReport, prune_notice
from .resolve import Resolver, fill
from .sections import drop_site_name, section_trail
from .writer import EDITED_STAYS, apply, digest

BINARY_MAGIC = (b"GIF8", b"\x89PNG", b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"Rar!", b"BM6\x00")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
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
    """The import cannot start (no site.yaml, no saved pages); args[0] is the Message saying why. A bad
    import-map.yaml is a BuildFailed, as a bad site.yaml is: its problem names the line."""


def _web_address(url: str) -> bool:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def read_page(saved: SavedFile, allow_html: bool) -> PageOutcome:
    """Decode and extract one saved page (runs in worker processes)."""
    try:
        data = saved.path.read_bytes()
    except OSError as err:
        return PageOutcome(saved, Extracted("failed", say("cannot be read: {reason}", reason=err.strerror)))
    if saved.is_text and not data.startswith(UTF16_BOMS) and b"\x00" in data[:1024]:
        data = _with_utf16_bom(data)  # a text saved as UTF-16 without its BOM
    if data[:4] in BINARY_MAGIC or data[:2] == b"\xff\xd8" or not data.startswith(UTF16_BOMS) and \
            data[:1024].count(b"\x00") > 16:  # a stray NUL or two in a page is dropped with the others below
        return PageOutcome(saved, Extracted("file", say("a picture or attachment, not a page")))
    if not data.startswith(UTF16_BOMS) and b"\x00" in data:
        data = data.replace(b"\x00", b"")
    if not data.strip():
        return PageOutcome(saved, Extracted("failed", say("the file is empty: the page was not saved whole; save it "
                                                          "again from the old site, or leave it out")))
    decoded = decode_page(data, is_html=not saved.is_text)
    if decoded.failure:
        return PageOutcome(saved, Extracted("failed", decoded.failure))
    try:
        if saved.is_text and "<html" not in decoded.text[:2000].lower():
            extracted = extract_text(decoded.text)
        else:
            extracted = extract_html(decoded.text, saved.address, allow_html)
    except Exception as err:  # one malformed page must not stop an import of thousands; it is reported
        extracted = Extracted("failed", say("could not be read as a page ({error}: {detail})",
                                            error=type(err).__name__, detail=str(err)))
    if saved.is_text and saved.host and extracted.kind == "failed" and _chinese(decoded.text) < ARTICLE_CHARS:
        extracted = Extracted("file", say("a text file of the old site, not an article"))
    return PageOutcome(saved, extracted, decoded.note)


ARTICLE_CHARS = 100  # Chinese characters that make a .txt in a saved site an article that failed, not a site file


def _chinese(text: str) -> int:
    return sum(1 for char in text if "\u4e00" <= char <= "\u9fff")


def _with_utf16_bom(data: bytes) -> bytes:
    """The bytes with the UTF-16 BOM they lack, when they read as UTF-16 text; else as they are."""
    for codec, bom in (("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")):
        try:
            head = data[:4096 - len(data[:4096]) % 2].decode(codec)
        except UnicodeDecodeError:
            continue
        if head and sum(char.isprintable() or char.isspace() for char in head) >= 0.98 * len(head) \
                and _chinese(head):
            return bom + data
    return data


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


# Why a page an earlier run imported from this copy is no article this time (report.TEXT keys).
NOT_IMPORTED = {"list": "idle_list", "failed": "idle_failed"}


@dataclass(slots=True)
class Links:
    """Where old addresses lead now: articles (this run's and earlier runs'), and old list pages' sections."""

    new_urls: dict  # redirect key -> URL of the article there now
    recorded_urls: dict  # redirect key -> URL an earlier run gave it (the file may be gone since)
    list_urls: dict = None  # redirect key of an old list page -> its section's URL
    redirected: dict = None  # this run's old list addresses -> folder
    by_folder: dict = None  # folder -> all the old list addresses redirected to it
    lists: set = None  # file keys of this copy's list pages


def run_import(options: ImportOptions, language: Language | None = None, out: TextIO = sys.stdout,
               err: TextIO = sys.stderr) -> ImportReport:
    """Import the saved copy into the site; the progress line, the --prune notice and import-report.txt are in
    `language` (Chinese by default)."""
    started = time.perf_counter()
    language = language or language_named("zh")
    site = options.site
    if not (site / "site.yaml").is_file():
        raise ImportFailed(say("{path} not found: run the import in the site's folder or pass --site DIR",
                               path=str(site / "site.yaml")))
    config = load_config(site / "site.yaml")
    content = config.content_dir.relative_to(site.resolve()) if config.content_dir.is_relative_to(site.resolve()) \
        else Path("content")
    assets = config.assets_dir.relative_to(site.resolve()) if config.assets_dir.is_relative_to(site.resolve()) \
        else Path("assets")
    if not options.source.is_dir():
        raise ImportFailed(say("{folder} is not a folder: give the folder of the saved copy (what wget --mirror "
                               "wrote, or a folder of pages saved as text)", folder=str(options.source)))
    if options.old_base_url and not _web_address(options.old_base_url):
        raise ImportFailed(say("--old-base-url {url} is not a web address: give the old site's address as a browser "
                               "shows it, such as http://www.mxrd.gov.cn/", url=options.old_base_url))
    copy = discover(options.source)
    if not copy.pages:
        raise ImportFailed(say("{folder} holds no saved pages (.htm, .html, .shtml, .asp, .jsp, .php or .txt)",
                               folder=str(options.source)))
    mapping_path = site / MAP_NAME
    mapping = load_mapping(mapping_path)
    source = str(options.source.resolve())
    record = rehomed(load_record(site), source, {page.rel for page in copy.pages})
    report = ImportReport(pages=len(copy.pages), dry_run=options.dry_run, old_base_url=options.old_base_url or "")
    report.failed += [(rel, say("a link to a file outside the saved copy, or to nothing: not imported, so no file "
                                "from elsewhere is published")) for rel in copy.outside]
    outcomes = read_all(copy.pages, config.allow_html, options.jobs or default_jobs(),
                        Progress(len(copy.pages), err, language))
    pages, lists, not_imported = _sorted_out(outcomes, report)
    articles, used, counts, site_name = _articles(join_pages(pages), mapping, report, not_imported)
    content_dir, present = content.as_posix(), _markdown_files(config.content_dir, content)
    placement = place(articles, site, content_dir, record, source, present,
                      existing_articles(config.content_dir, record, content), options.force)
    report.already = [(articles[i].lead.outcome.saved.rel, rel) for i, rel, _ in placement.already]
    report.earlier = [(articles[i].lead.outcome.saved.rel, rel, [a for a in articles[i].aliases
                                                                 if a not in record[rel].aliases])
                      for i, rel in placement.earlier]
    report.kept += placement.kept
    links = _article_links(articles, placement, record, present, content_dir)
    _list_links(links, lists, site_name, mapping, record, present, placement, content_dir, report)
    planned, entries = _article_files(articles, placement, record, source, copy, links, options, assets, report)
    removals = dict(placement.removals)
    emptied = _emptied_sections(record, planned, removals, present, links.by_folder, content_dir)
    removals.update((rel, "section") for rel in emptied)
    titles = folder_titles(mapping, {trail: folder for trail, folder in used.items()})
    _section_files(titles, links, emptied, record, mapping, site, content_dir, planned, entries, report)
    pruned = _gone(record, source, copy, placement, present, options.prune, removals, entries, not_imported, report)
    if pruned:
        out.write(prune_notice([rel for rel in pruned if digest((site / rel).read_bytes()) == record[rel].digest],
                               source, options.dry_run, language))
        out.flush()
    result = apply(site, planned, record, options.force, options.dry_run, entries, removals)
    _results(report, result, planned, removals, placement.moves)
    per_folder: dict[str, int] = {}
    for index in placement.files:
        per_folder[articles[index].folder] = per_folder.get(articles[index].folder, 0) + 1
    report.sections = [(folder, title, per_folder.get(folder, 0)) for folder, title in titles.items()]
    if not mapping.exists:
        mapping_path.write_text(render_mapping(used, counts, titles, mapping.no_breadcrumb, language),
                                encoding="utf-8")
        report.wrote_map = True
    for found in (report.failed, report.notes, report.doubtful, report.missing, report.broken):
        found.sort()
    report.kept.sort(key=lambda item: item[0])
    report.seconds = time.perf_counter() - started
    if not options.dry_run:
        (site / REPORT_NAME).write_text(report.text(language), encoding="utf-8")
    return report


def _sorted_out(outcomes: list[PageOutcome], report: ImportReport) -> tuple[list, list, dict]:
    """(article pages, list pages with an address, page -> why it is no article), counting the rest."""
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
            not_imported[outcome.saved.rel] = NOT_IMPORTED.get(kind, "idle_other")
        if outcome.encoding_note:
            report.notes.append((outcome.saved.rel, outcome.encoding_note))
    return pages, lists, not_imported


def _articles(joined: list, mapping, report: ImportReport, not_imported: dict) -> tuple[list, dict, dict, str]:
    """Articles in their folders, duplicates merged (same title and day on two addresses, the words of one
    within the other's: the same page, or its print view), import-map.yaml's 'skip' left out. Also the trails
    used, their counts, and the site's name crumb."""
    raw = [section_trail(j.extracted.crumbs, j.extracted.title) for j in joined]
    trails = drop_site_name(raw)
    site_name = next((r[0] for r, t in zip(raw, trails) if r and r != t), "")
    groups: dict[tuple, list] = {}
    for one, trail in zip(joined, trails):
        words = _plain(one.extracted.markdown)
        copies = groups.setdefault((one.extracted.title, one.extracted.meta.date[:10]), [])
        group = next((g for g in copies if words in g[0] or g[0] in words), None)
        if group is None:
            copies.append((words, [(one, trail)]))
        else:
            group[1].append((one, trail))
    folders_of = {trail: mapping.folder_of(trail) for trail in set(trails)}  # pinyin once per section
    articles, used, counts = [], {}, {}
    for members in (members for copies in groups.values() for _, members in copies):
        members.sort(key=lambda m: (m[0].outcome.saved.is_text, not m[0].extracted.has_crumbs,  # the fullest
                                    -len(m[0].extracted.markdown), -len(m[0].extracted.refs), m[0].outcome.saved.rel))
        trail = members[0][1]
        folder = folders_of[trail]
        if mapping.exists and trail and " > ".join(trail) not in mapping.sections:
            report.new_sections.append(f"{' > '.join(trail)} -> {folder}")
        if folder == SKIP:
            report.by_mapping += 1
            not_imported.update((page.rel, "idle_mapped") for one, _ in members for page in one.pages)
            continue
        used.setdefault(trail, folder)
        counts[trail] = counts.get(trail, 0) + 1
        articles.append(Article(tuple(one for one, _ in members), folder))
        report.duplicates += len(members) - 1
        if len(members) > 1:
            report.merged.append((members[0][0].outcome.saved.rel, [one.outcome.saved.rel for one, _ in members[1:]]))
    report.new_sections = sorted(set(report.new_sections))
    return articles, used, counts, site_name


def _article_links(articles: list, placement, record: dict, present: set, content: str) -> Links:
    """Old addresses of articles to their URLs: earlier runs' (from any copy), then this run's."""
    new_urls, recorded_urls = {}, {}
    for rel, entry in record.items():
        if not rel.endswith("/_index.md"):
            recorded_urls.update((redirect_key(alias), url_of(rel, content)) for alias in entry.aliases)
            if rel in present:
                new_urls.update((redirect_key(alias), url_of(rel, content)) for alias in entry.aliases)
    homes = {**{i: url for i, _, url in placement.already},
             **{i: url_of(rel, content) for i, rel in placement.earlier},
             **{i: url_of(rel, content) for i, rel in placement.stays.items() if rel in present},
             **{i: url_of(rel, content) for i, rel in placement.files.items()}}
    for index, url in homes.items():
        for alias in articles[index].aliases:
            new_urls[redirect_key(alias)] = url
            if alias.rsplit("/", 1)[-1].lower() in ("index.html", "index.htm", "index.shtml"):
                new_urls[redirect_key(alias.rsplit("/", 1)[0] + "/")] = url
    return Links(new_urls, recorded_urls)


def _list_links(links: Links, lists: list, site_name: str, mapping, record: dict, present: set, placement,
                content: str, report: ImportReport) -> None:
    """The section each old list page lists; with the earlier runs' list addresses, what each section's
    _index.md redirects."""
    folders = {folder_of_file(rel, content) for rel in present if not rel.endswith("/_index.md")} | \
        {folder_of_file(rel, content) for rel in placement.files.values()}
    known = {**links.recorded_urls, **links.new_urls}
    links.redirected = {}
    for outcome in lists:
        trail = section_trail(outcome.extracted.crumbs, "")
        trail = trail[1:] if site_name and trail[:1] == (site_name,) else trail
        address = outcome.saved.address
        owner = links.new_urls.get(redirect_key(address))
        folder = "" if owner else list_folder(outcome.saved, outcome.extracted.links, trail, known, mapping, folders)
        if folder:
            links.redirected[address] = folder
        report.lists.append((outcome.saved.rel, folder, owner and owner.strip("/")))
    recorded = {folder_of_file(rel, content): entry.aliases for rel, entry in record.items()
                if rel.endswith("/_index.md") and entry.aliases}
    links.by_folder = section_aliases(recorded, links.redirected)
    links.list_urls = {redirect_key(a): "/" + urls.section(folder) for folder, aliases in links.by_folder.items()
                       for a in aliases}
    links.lists = {file_key(o.saved.address) for o in lists}


def _article_files(articles: list, placement, record: dict, source: str, copy, links: Links,
                   options: ImportOptions, assets: Path, report: ImportReport) -> tuple[dict, dict]:
    """The files to write (articles, their pictures and attachments) and what to record of each; missing
    files and links to pages not in the copy reported with the article file and line."""
    hosts = {h.lower() for h in copy.hosts}
    if options.old_base_url:
        hosts.add(urlsplit(options.old_base_url).netloc.lower())
    resolver = Resolver(copy, links.new_urls, hosts, links.list_urls, links.lists)
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
        report.notes += [(page.rel, note) for note in extracted.notes]
        head = front_matter(extracted.title, extracted.meta.date, extracted.subtitle, extracted.meta.author,
                            extracted.meta.source, article.aliases)
        lead = len(body) - len(body.lstrip("\n"))
        for number, resolved in enumerate(targets):
            if resolved.event not in ("missing", "broken", "list") or number not in at:
                continue
            offset, shown, label, title = at[number]
            line = head.count("\n") + 1 + body[lead:max(lead, offset)].count("\n")
            if resolved.event == "missing":
                what = "image" if extracted.refs[number][0] == "image" else "attachment"
                url = base_url + resolved.old.lstrip("/") if base_url and resolved.old.startswith("/") else \
                    resolved.old if "://" in resolved.old else ""
                report.missing.append((rel, line, resolved.old, what, page.rel, url, shown, label + title))
            else:
                report.broken.append((rel, line, resolved.old or extracted.refs[number][1], page.rel))
        planned[rel] = (head + body.strip("\n") + "\n").encode("utf-8")
        earlier = sorted(old for old, new in placement.moves if new == rel)
        entries[rel] = merged_entry(record, earlier, rel, source, article.origins, extracted.title,
                                    extracted.meta.date[:10], article.aliases)
        if len(article.lead.pages) > 1:
            report.joined.append((rel, [p.rel for p in article.lead.pages]))
        report.missing_pages += [(rel, address, page.rel) for address in article.lead.missing]
    report.articles = len(placement.files)
    report.images = sum(1 for kind in copied.values() if kind == "image")
    report.attachments = len(copied) - report.images
    return planned, entries


def _section_files(titles: dict, links: Links, emptied: list, record: dict, mapping, site: Path, content: str,
                   planned: dict, entries: dict, report: ImportReport) -> None:
    """_index.md of every folder this run's articles go to, and of every section whose old list addresses
    changed; an editor's own _index.md is never written."""
    for folder in sorted({*titles, *links.by_folder}):
        index = f"{content}/{folder}/_index.md"
        aliases = links.by_folder.get(folder, ())
        earlier = record.get(index)
        if index in emptied or folder not in titles and (earlier.aliases if earlier else ()) == aliases:
            continue  # a section this run leaves as it is (or removes: its articles all moved away)
        title = titles.get(folder) or (earlier.title if earlier else "") or mapping.titles.get(folder) or \
            folder.rpartition("/")[2]
        if (site / index).exists() and index not in record:
            lacking = [a for a in aliases if a in links.redirected]
            if lacking:
                report.kept.append((index, "foreign-index", {"aliases": tuple(lacking)}))
            continue
        planned[index] = section_file(title, aliases).encode("utf-8")
        entries[index] = Entry("", title, "", aliases)


def _gone(record: dict, source: str, copy, placement, present: set, prune: bool, removals: dict, entries: dict,
          not_imported: dict, report: ImportReport) -> list[str]:
    """Articles this copy gave in earlier runs that it gives no more: listed (their page is here but no article
    this time, or gone); with --prune, those whose pages are gone are to be removed (returned) unless another
    copy still gives them."""
    present_pages = {page.rel for page in copy.pages}
    written = set(placement.files.values()) | set(placement.stays.values()) | {rel for _, rel in placement.earlier}
    pruned = []
    for rel, entry in sorted(record.items()):
        mine = entry.pages_from(source)
        if not mine or rel in written or rel.endswith("/_index.md") or rel not in present:
            continue
        still = [page for page in mine if page in present_pages]
        if still:
            report.idle.append((rel, still[0], not_imported.get(still[0], "idle_other")))
        elif not prune:
            report.gone.append((rel, list(mine)))
        elif entry.with_pages(source, ()).sources:  # another copy still gives it: only this copy's claim goes
            entries[rel] = entry.with_pages(source, ())
        else:
            removals[rel] = "prune"
            pruned.append(rel)
    return pruned


def _results(report: ImportReport, result, planned: dict, removals: dict, moves: list) -> None:
    article_files = {rel for rel in planned if rel.endswith(".md") and not rel.endswith("/_index.md")}
    report.created = sum(1 for rel in result.created + result.forced if rel in article_files)
    report.updated = sum(1 for rel in result.updated if rel in article_files)
    report.unchanged = sum(1 for rel in result.unchanged if rel in article_files)
    report.removed = sum(1 for rel in result.removed if rel.endswith(".md") and not rel.endswith("/_index.md"))
    for rel, why in result.kept:
        if why == EDITED_STAYS:
            why = f"{removals[rel]}-edited"
        report.kept.append((rel, why, {"to": next((new for old, new in moves if old == rel), "")}))
    report.actions = _actions(result, moves)


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
