"""Import stage: the closing table (pages, articles, lists, duplicates, files, failures, time), what was done to
which file, and what an editor should look at, as printed and saved in import-report.txt, in the chosen language."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..messages import Language, Message, listing, say, say_plural
from .resolve import legacy_path_of

REPORT_NAME = "import-report.txt"

KINDS = {  # what a page that is no article was taken for (Extracted.kind)
    "file": say("file"), "frame": say("frame page"), "index": say("home page"), "list": say("list page"),
    "redirect": say("redirect page"), "search": say("search page"),
}
KEPT = {  # why a file was left as it is, with its details (ImportReport.kept)
    "edited": lambda **_: say("changed by an editor since it was imported, so not overwritten; to overwrite it with the "
                          "old site's text, add --force"),
    "foreign": lambda **_: say("not written by the importer, so not overwritten"),
    "deleted": lambda **_: say("deleted by an editor since it was imported, so not written again; to import it again, "
                           "add --force"),
    "move-edited": lambda to, **_: say("changed by an editor since it was imported, so not moved to {to}; move it by hand "
                                  "if needed", to=to),
    "prune-edited": lambda **_: say("its old page is gone from this copy, but the file was changed by an editor since it "
                                "was imported, so it was not removed; remove it by hand if it is not needed"),
    "section-edited": lambda **_: say("the articles of this section have all moved elsewhere, but the section file was "
                                  "changed by an editor since it was imported, so it was not removed; remove it by "
                                  "hand if it is not needed"),
    "foreign-index": lambda aliases, **_: say("a section file the importer did not write, so the old addresses of list "
                                         "pages were not added to it; add {aliases} to its aliases: if needed",
                                         aliases=listing(aliases)),
}
IDLE = {  # why a file the importer wrote before got no article this time (ImportReport.idle)
    "idle_list": say("taken for a list page this time"),
    "idle_failed": say("could not be read this time"),
    "idle_mapped": say("its section is 'skip' in import-map.yaml"),
    "idle_other": say("taken for no article this time (a home page, search page, frame page or redirect page)"),
}
ACTIONS = {  # what was (or would be) done to a file (ImportReport.actions)
    "new": lambda file: say("new {file}", file=file),
    "update": lambda file: say("update {file}", file=file),
    "replace": lambda file: say("replace {file} (--force)", file=file),
    "remove": lambda file: say("remove {file}", file=file),
    "move": lambda old, new: say("move {old} → {new}", old=old, new=new),
}


@dataclass(slots=True)
class ImportReport:
    pages: int = 0
    articles: int = 0
    skipped: dict = field(default_factory=dict)  # kind (list, index, search, frame) -> count
    by_mapping: int = 0
    duplicates: int = 0
    merged: list = field(default_factory=list)  # (page kept, [the pages merged into its article])
    images: int = 0
    attachments: int = 0
    missing: list = field(default_factory=list)  # (file, line, old address, 'image'|'attachment', page, full old
    #                                               URL, the text left in its place, its alt or link text and title)
    failed: list = field(default_factory=list)  # (page, reason: a Message)
    notes: list = field(default_factory=list)  # (page, note: a Message): wrong charset, simplified tables
    broken: list = field(default_factory=list)  # (file, line, old address, page): links to pages not in the copy
    kept: list = field(default_factory=list)  # (file, why, details): not overwritten or removed; why: a KEPT key
    already: list = field(default_factory=list)  # (page, file): the site already has this article
    earlier: list = field(default_factory=list)  # (page, file, aliases it lacks): imported from another copy
    doubtful: list = field(default_factory=list)  # (page, rule: a Message): how a doubtful page was classified
    lists: list = field(default_factory=list)  # (page, folder or '', file whose alias it already is)
    joined: list = field(default_factory=list)  # (file, pages): a multi-page article
    missing_pages: list = field(default_factory=list)  # (file, address, first page)
    gone: list = field(default_factory=list)  # (file, pages): its old pages are no longer in this copy
    idle: list = field(default_factory=list)  # (file, page, why: an IDLE key): its page is here, no article this time
    actions: list = field(default_factory=list)  # (action, file[, new file]): what was (or would be) done
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    new_sections: list = field(default_factory=list)  # trails not in import-map.yaml, placed by the default rule
    seconds: float = 0.0
    dry_run: bool = False
    wrote_map: bool = False  # this run wrote the first import-map.yaml
    sections: list = field(default_factory=list)  # (folder, title, articles)
    old_base_url: str = ""

    def text(self, language: Language) -> str:
        """The report in `language`: the table, then each list that has something in it."""
        rows = [(language.text(label), language.text(value)) for label, value in self.table()]
        width = max(shown_width(label) for label, _ in rows) + 2
        lines = [language("Import report (dry run: nothing was written)") if self.dry_run
                 else language("Import report"), ""]
        lines += [label + " " * (width - shown_width(label)) + value for label, value in rows]
        for title, items in self.lists_shown():
            if items:
                lines += ["", language.text(title)] + [f"  {language.text(item)}" for item in items]
        if self.wrote_map:
            lines += ["", language("wrote import-map.yaml: check the folders and titles, edit them if needed, then "
                                   "run the import again without --dry-run") if self.dry_run else
                      language("wrote import-map.yaml: check the folders and titles, edit them if needed, then run "
                               "the import again")]
        return "\n".join(lines) + "\n"

    def table(self) -> list[tuple[Message, Message | str]]:
        """The closing table: (label, value) rows."""
        kinds = listing(say("{kind} {count}", kind=KINDS.get(kind, kind), count=count)
                        for kind, count in sorted(self.skipped.items()))
        skipped = sum(self.skipped.values())
        missing_images = sum(1 for m in self.missing if m[3] == "image")
        counts = {"articles": self.articles, "created": self.created, "updated": self.updated,
                  "unchanged": self.unchanged, "removed": self.removed}
        return [
            (say("pages read"), str(self.pages)),
            (say("articles imported"),
             say("{articles}  (would be new {created}, updated {updated}, unchanged {unchanged}, removed {removed})",
                 **counts) if self.dry_run else
             say("{articles}  (new {created}, updated {updated}, unchanged {unchanged}, removed {removed})", **counts)),
            (say("pages skipped"), say("{count}  ({kinds})", count=skipped, kinds=kinds) if self.skipped else "0"),
            (say("list pages redirected to sections"), str(sum(1 for _, folder, _ in self.lists if folder))),
            (say("skipped by import-map.yaml"), str(self.by_mapping)),
            (say("duplicates merged"), str(self.duplicates)),
            (say("multi-page articles joined"), str(len(self.joined))),
            (say("already in the site"), str(len(self.already))),
            (say("already imported from another copy"), str(len(self.earlier))),
            (say("images copied"), str(self.images)),
            (say("attachments copied"), str(self.attachments)),
            (say("images missing"), str(missing_images)),
            (say("attachments missing"), str(len(self.missing) - missing_images)),
            (say("pages failed"), str(len(self.failed))),
            (say("files left as they are"), str(len(self.kept))),
            (say("time taken"), say("{seconds} s", seconds=f"{self.seconds:.2f}")),
        ]

    def lists_shown(self) -> list[tuple[Message, list]]:
        """(title, items) of every list the report can show, in the order an editor works through them."""
        return [
            (say("Pages that failed (not imported):"),
             [say("{page}: {what}", page=page, what=reason) for page, reason in self.failed]),
            (say("Doubtful pages (article or list page, and the rule that decided):"),
             [say("{page}: {what}", page=page, what=rule) for page, rule in self.doubtful]),
            (say("Files left as they are (the importer never overwrites or removes a file an editor changed):"),
             [say("{page}: {what}", page=file, what=KEPT[why](**details)) for file, why, details in self.kept]),
            (say("Articles the site already has (same title and day), not imported: add their old addresses to its "
                 "aliases: if you want them to lead there:"),
             [say("{page}: {what}", page=page, what=file) for page, file in self.already]),
            (say("The same articles already imported from another copy (same title and day), not imported again:"),
             [self._earlier_item(*item) for item in self.earlier]),
            (say("Missing pictures and attachments (the article keeps only their caption or link text, with no link "
                 "to the old site):"), [self._missing_item(*item) for item in self.missing]),
            (say("Links to old pages that are not in the copy (the link removed, its text kept):"),
             [say("{file}:{line}: {old} (old page {page}). If that article is on the new site now, make this text "
                  "a link to it", file=file, line=line, old=old, page=page) for file, line, old, page in self.broken]),
            (say("Old addresses of list pages (they redirect to the section they list):"),
             [self._list_item(*item) for item in self.lists]),
            (say("Duplicates merged (the same article saved twice, or its print view: one article, every old "
                 "address kept):"),
             [say("{page}: {what}", page=page, what=" + ".join(others)) for page, others in self.merged]),
            (say("Multi-page articles (the pages joined in order into one article; every page's old address kept):"),
             [say("{page}: {what}", page=file, what=" + ".join(pages)) for file, pages in self.joined]),
            (say("Pages missing from multi-page articles (the article lacks their text):"),
             [say("{file}: missing {address} (a later page of old page {page}); save that page too, then run the "
                  "import again", file=file, address=address, page=page)
              for file, address, page in self.missing_pages]),
            (say("Articles whose old pages are gone from this copy (not removed; to remove them, add --prune):"),
             [say("{file} (old pages {pages})", file=file, pages=listing(pages)) for file, pages in self.gone]),
            (say("Files whose old page is still in the copy but gave no article this time (left alone; remove them "
                 "by hand if they are not needed):"),
             [say("{file} (old page {page}: {why})", file=file, page=page, why=IDLE[why])
              for file, page, why in self.idle]),
            (say("Sections not in import-map.yaml, placed by the default rule (add them to it to choose their "
                 "folders):"), self.new_sections),
            (say("Notes:"), [say("{page}: {what}", page=page, what=note) for page, note in self.notes]),
            (say("Sections:"), [say_plural("{folder} {title}: {count} article", "{folder} {title}: {count} articles",
                                           count, folder=folder, title=title) for folder, title, count in self.sections]),
            (say("File operations that would be done (dry run, none done):") if self.dry_run else
             say("File operations:"), [ACTIONS[action](*files) for action, *files in self.actions]),
        ]

    @staticmethod
    def _earlier_item(page: str, file: str, lacking: list) -> Message:
        if lacking:
            return say("{page}: already written as {file} by another import; its old addresses {aliases} were not "
                       "added: add them to that file's aliases: if needed", page=page, file=file,
                       aliases=listing(lacking))
        return say("{page}: already written as {file} by another import", page=page, file=file)

    @staticmethod
    def _list_item(page: str, folder: str, taken: str) -> Message | str:
        if folder:
            return f"{page} → /{folder}/"
        if taken:
            return say("{page}: its old address is already the old address of the article {file}, so it does not "
                       "redirect to a section", page=page, file=taken)
        return say("{page}: no section found for the articles it lists, so its old address does not redirect",
                   page=page)

    @staticmethod
    def _missing_item(file: str, line: int, old: str, what: str, page: str, url: str, shown: str,
                      label: str) -> Message:
        legacy = legacy_path_of(re.sub(r"^[a-z]+://", "/", old))  # a picture of another site: under its host
        alt, _, title = label.partition(' "')
        thing = say("image") if what == "image" else say("attachment")
        fields = dict(file=file, line=line, what=thing, old=old, page=page, suggest=f"assets/{legacy}",
                      download=say("; while its old address {url} still works, you can download it from there",
                                   url=url) if url else "")
        alt, title = alt or thing, f' "{title}' if title else ""
        markdown = formed("![{alt}]({target})", alt=alt, target=f"/{legacy}{title}") if what == "image" else \
            formed("[{alt}]({target})", alt=alt, target=f"/{legacy}")
        if shown:
            return say("{file}:{line}: missing {what} {old} (old page {page}). Once you find the file, put it at "
                       "{suggest}, then change '{shown}' on this line into {markdown}{download}", shown=shown,
                       markdown=markdown, **fields)
        return say("{file}:{line}: missing {what} {old} (old page {page}). Once you find the file, put it at {suggest}, "
                   "then add {markdown} to this line{download}", markdown=markdown, **fields)


def prune_notice(files: list[str], source: str, dry_run: bool, language: Language) -> str:
    """Printed before anything is removed: the articles --prune is about to remove."""
    if dry_run:
        head = say_plural("The old page of the following {count} article is gone from {source}, and the article was "
                          "not changed since it was imported; it will be removed without --dry-run (--prune):",
                          "The old pages of the following {count} articles are gone from {source}, and the articles "
                          "were not changed since they were imported; they will be removed without --dry-run "
                          "(--prune):", len(files), source=source)
    else:
        head = say_plural("The old page of the following {count} article is gone from {source}, and the article was "
                          "not changed since it was imported; it is removed (--prune):",
                          "The old pages of the following {count} articles are gone from {source}, and the articles "
                          "were not changed since they were imported; they are removed (--prune):",
                          len(files), source=source)
    return "\n".join([language.text(head), *(f"  {file}" for file in files)]) + "\n\n"


def formed(form: str, **fields) -> Message:
    """A Markdown form whose fields (a picture's alt text: 图片 or image) are said in the reader's language; the form
    itself has no words to translate, so it is made without say() and stays out of the catalog."""
    return Message(form, tuple(sorted(fields.items())))


def shown_width(text: str) -> int:
    """Columns on a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
