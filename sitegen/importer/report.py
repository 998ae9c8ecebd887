"""Import stage: the closing table (pages, articles, lists, duplicates, files, failures, time) and import-report.txt."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

REPORT_NAME = "import-report.txt"


@dataclass(slots=True)
class ImportReport:
    pages: int = 0
    articles: int = 0
    skipped: dict = field(default_factory=dict)  # kind (list, index, search, frame) -> count
    by_mapping: int = 0
    duplicates: int = 0
    images: int = 0
    attachments: int = 0
    missing: list = field(default_factory=list)  # (page, old address, 'image'|'attachment')
    failed: list = field(default_factory=list)  # (page, reason)
    notes: list = field(default_factory=list)  # (page, note): wrong charset, simplified tables
    broken: list = field(default_factory=list)  # (page, old address): links to pages not in the copy
    kept: list = field(default_factory=list)  # (file, why): not overwritten
    already: list = field(default_factory=list)  # (page, file): the site already has this article
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    new_sections: list = field(default_factory=list)  # trails not in import-map.yaml, placed by the default rule
    seconds: float = 0.0
    dry_run: bool = False
    map_written: str = ""
    sections: list = field(default_factory=list)  # (folder, title, articles)
    old_base_url: str = ""
    planned: list = field(default_factory=list)  # (action, file) for a dry run

    def text(self) -> str:
        skipped = sum(self.skipped.values())
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(self.skipped.items()))
        missing_images = sum(1 for m in self.missing if m[2] == "image")
        verb = "would be " if self.dry_run else ""
        rows = [
            ("pages read（读取页面）", str(self.pages)),
            ("articles imported（导入文章）", f"{self.articles}  ({verb}new {self.created}, updated {self.updated}, "
                                         f"unchanged {self.unchanged}, removed {self.removed})"),
            ("lists skipped（跳过列表等）", f"{skipped}" + (f"  ({kinds})" if kinds else "")),
            ("skipped by import-map（映射跳过）", str(self.by_mapping)),
            ("duplicates merged（合并重复）", str(self.duplicates)),
            ("already in the site（网站中已有）", str(len(self.already))),
            ("images copied（复制图片）", str(self.images)),
            ("attachments copied（复制附件）", str(self.attachments)),
            ("images missing（缺少图片）", str(missing_images)),
            ("attachments missing（缺少附件）", str(len(self.missing) - missing_images)),
            ("pages failed（失败页面）", str(len(self.failed))),
            ("files kept（未覆盖的文件）", str(len(self.kept))),
            ("time taken（用时）", f"{self.seconds:.2f} s"),
        ]
        width = max(shown_width(label) for label, _ in rows) + 2
        lines = ["Import report（旧网站导入报告）" + ("  -- dry run: nothing was written" if self.dry_run else ""), ""]
        lines += [label + " " * (width - shown_width(label)) + value for label, value in rows]
        sections = [
            ("Pages that failed（失败页面）", [f"{page}: {reason}" for page, reason in self.failed]),
            ("Files not overwritten (use --force to replace them)（未覆盖）", [f"{p}: {why}" for p, why in self.kept]),
            ("Articles the site already has (same title and day), not imported: add their old addresses to "
             "its aliases: if you want them（网站中已有的文章）",
             [f"{page}: {file}" for page, file in self.already]),
            ("Missing pictures and attachments（缺少的图片和附件）",
             [f"{page}: {address} ({what})" for page, address, what in self.missing]
             + ([] if self.old_base_url or not self.missing else
                ["(their links were removed; pass --old-base-url to keep them pointing at the old site)"])),
            ("Links to pages not in the saved copy, " + ("pointing at the old site" if self.old_base_url else
                                                          "removed (their text is kept)") + "（链接目标不在备份中）",
             [f"{page}: {address}" for page, address in self.broken]),
            ("Sections not in import-map.yaml, placed by the default rule（映射文件中没有的栏目）", self.new_sections),
            ("Notes（说明）", [f"{page}: {note}" for page, note in self.notes]),
            ("Sections（栏目）", [f"{folder} {title}: {count}" for folder, title, count in self.sections]),
            ("Files it would write（将写入的文件）", [f"{action} {path}" for action, path in self.planned]),
        ]
        for title, items in sections:
            if items:
                lines += ["", title + ":"] + [f"  {item}" for item in items]
        if self.map_written:
            lines += ["", self.map_written]
        return "\n".join(lines) + "\n"


def shown_width(text: str) -> int:
    """Columns on a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
