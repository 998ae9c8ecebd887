"""Import stage: the closing table (pages, articles, lists, duplicates, files, failures, time), what was done to
which file, and what an editor should look at, as printed and saved in import-report.txt."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .resolve import legacy_path_of

REPORT_NAME = "import-report.txt"

# Every sentence an editor reads here, each in one place (the lead moves them into message catalogs later).
TEXT = {
    "dry_run": "  -- dry run: nothing was written（试运行：没有写入任何文件）",
    "lists_redirected": "列表页跳转到栏目",
    "joined": "多页文章合并",
    "earlier": "其他备份已导入",
    "doubtful": "判断有疑问的页面（是文章还是列表页，按哪条规则判断的）",
    "kept": "没有改动的文件（导入程序不会覆盖或删除编辑改过的文件）",
    "edited": "导入后被编辑改过，没有覆盖；确实要用旧网站的内容覆盖，请加 --force",
    "foreign": "不是导入程序写的文件，没有覆盖",
    "deleted": "导入后被编辑删除，没有重新创建；确实要重新导入，请加 --force",
    "move-edited": "导入后被编辑改过，没有移动到 {to}；需要时请手工移动",
    "prune-edited": "旧页面已不在这次的备份中，但文件导入后被编辑改过，没有删除；不需要的话请手工删除",
    "section-edited": "这个栏目的文章都已移到别处，但栏目文件导入后被编辑改过，没有删除；不需要的话请手工删除",
    "foreign-index": "不是导入程序写的栏目文件，没有把列表页的旧地址加进去；需要时在它的 aliases: 中加入 {aliases}",
    "earlier_list": "其他备份已经导入过的同一篇文章（标题和日期相同），没有重复导入",
    "earlier_item": "{page}：已由另一次导入写成 {file}{more}",
    "earlier_more": "；它的旧地址 {aliases} 没有加进去，需要时加到该文件的 aliases:",
    "missing": "缺少的图片和附件（文章里只留下说明文字，没有链接到旧网站）",
    "missing_item": "{file}:{line}：缺少{what} {old}（旧页面 {page}）。找到这个文件后放到 {suggest}，"
                    "再把这一行的“{shown}”改为 {markdown}{download}",
    "missing_item_bare": "{file}:{line}：缺少{what} {old}（旧页面 {page}）。找到这个文件后放到 {suggest}，"
                         "再在这一行加上 {markdown}{download}",
    "image": "图片",
    "attachment": "附件",
    "download": "；原地址 {url} 还能访问时，可以从那里下载",
    "broken": "链接到备份中没有的旧页面（去掉了链接，保留文字）",
    "broken_item": "{file}:{line}：{old}（旧页面 {page}）。如果那篇文章已在新网站上，请把这里的文字改成指向它的链接",
    "lists": "列表页的旧地址（跳转到它列出的栏目）",
    "list_item": "{page} → /{folder}/",
    "list_nowhere": "{page}：没有找到它列出的栏目，旧地址不跳转",
    "list_taken": "{page}：旧地址已是文章 {file} 的旧地址，不改为跳转到栏目",
    "joined_list": "多页文章（各页按顺序合并成一篇，每一页的旧地址都保留）",
    "joined_item": "{file}：{pages}",
    "missing_pages": "多页文章缺少的页（文章里没有这一页的内容）",
    "missing_page_item": "{file}：缺少 {address}（旧页面 {page} 的后续页）；请把这一页也保存下来，再运行导入",
    "gone": "旧页面已不在这次备份中的文章（没有删除；确实要删除，请加 --prune）",
    "gone_item": "{file}（旧页面 {pages}）",
    "idle": "旧页面还在备份中、但这次没有导入为文章的文件（保留没动；不需要的话请手工删除）",
    "idle_item": "{file}（旧页面 {page}：{why}）",
    "idle_list": "这次判断为列表页",
    "idle_failed": "这次读取失败",
    "idle_mapped": "import-map.yaml 中它的栏目写的是 skip",
    "idle_other": "这次判断为不是文章（首页、搜索页、框架页或跳转页）",
    "actions": "文件操作",
    "actions_dry": "将进行的文件操作（试运行，没有执行）",
    "new": "新建 {file}",
    "update": "更新 {file}",
    "replace": "覆盖 {file}（--force）",
    "remove": "删除 {file}",
    "move": "移动 {old} → {new}",
    "prune_first": "以下 {count} 篇文章的旧页面已不在 {source} 中，导入后也没有被改过，将被删除（--prune）：",
    "prune_first_dry": "以下 {count} 篇文章的旧页面已不在 {source} 中，导入后也没有被改过；去掉 --dry-run 后将被删除"
                       "（--prune）：",
}


@dataclass(slots=True)
class ImportReport:
    pages: int = 0
    articles: int = 0
    skipped: dict = field(default_factory=dict)  # kind (list, index, search, frame) -> count
    by_mapping: int = 0
    duplicates: int = 0
    images: int = 0
    attachments: int = 0
    missing: list = field(default_factory=list)  # (file, line, old address, 'image'|'attachment', page, full old
    #                                               URL, the text left in its place, its alt or link text and title)
    failed: list = field(default_factory=list)  # (page, reason)
    notes: list = field(default_factory=list)  # (page, note): wrong charset, simplified tables
    broken: list = field(default_factory=list)  # (file, line, old address, page): links to pages not in the copy
    kept: list = field(default_factory=list)  # (file, why, details): not overwritten or removed; why: a TEXT key
    already: list = field(default_factory=list)  # (page, file): the site already has this article
    earlier: list = field(default_factory=list)  # (page, file, aliases it lacks): imported from another copy
    doubtful: list = field(default_factory=list)  # (page, rule): how a doubtful page was classified
    lists: list = field(default_factory=list)  # (page, folder or '', file whose alias it already is)
    joined: list = field(default_factory=list)  # (file, pages): a multi-page article
    missing_pages: list = field(default_factory=list)  # (file, address, first page)
    gone: list = field(default_factory=list)  # (file, pages): its old pages are no longer in this copy
    idle: list = field(default_factory=list)  # (file, page, why: a TEXT key): its page is here, no article this time
    actions: list = field(default_factory=list)  # (action, file[, new file]): what was (or would be) done
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

    def text(self) -> str:
        skipped = sum(self.skipped.values())
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(self.skipped.items()))
        missing_images = sum(1 for m in self.missing if m[3] == "image")
        verb = "would be " if self.dry_run else ""
        rows = [
            ("pages read（读取页面）", str(self.pages)),
            ("articles imported（导入文章）", f"{self.articles}  ({verb}new {self.created}, updated {self.updated}, "
                                         f"unchanged {self.unchanged}, removed {self.removed})"),
            ("lists skipped（跳过列表等）", f"{skipped}" + (f"  ({kinds})" if kinds else "")),
            (TEXT["lists_redirected"], str(sum(1 for _, folder, _ in self.lists if folder))),
            ("skipped by import-map（映射跳过）", str(self.by_mapping)),
            ("duplicates merged（合并重复）", str(self.duplicates)),
            (TEXT["joined"], str(len(self.joined))),
            ("already in the site（网站中已有）", str(len(self.already))),
            (TEXT["earlier"], str(len(self.earlier))),
            ("images copied（复制图片）", str(self.images)),
            ("attachments copied（复制附件）", str(self.attachments)),
            ("images missing（缺少图片）", str(missing_images)),
            ("attachments missing（缺少附件）", str(len(self.missing) - missing_images)),
            ("pages failed（失败页面）", str(len(self.failed))),
            ("files kept（未覆盖的文件）", str(len(self.kept))),
            ("time taken（用时）", f"{self.seconds:.2f} s"),
        ]
        width = max(shown_width(label) for label, _ in rows) + 2
        lines = ["Import report（旧网站导入报告）" + (TEXT["dry_run"] if self.dry_run else ""), ""]
        lines += [label + " " * (width - shown_width(label)) + value for label, value in rows]
        sections = [
            ("Pages that failed（失败页面）", [f"{page}: {reason}" for page, reason in self.failed]),
            (TEXT["doubtful"], [f"{page}：{rule}" for page, rule in self.doubtful]),
            (TEXT["kept"], [f"{file}：{TEXT[why].format(**details)}" for file, why, details in self.kept]),
            ("Articles the site already has (same title and day), not imported: add their old addresses to "
             "its aliases: if you want them（网站中已有的文章）",
             [f"{page}: {file}" for page, file in self.already]),
            (TEXT["earlier_list"], [TEXT["earlier_item"].format(page=page, file=file, more=TEXT["earlier_more"].format(
                aliases="、".join(lacking)) if lacking else "") for page, file, lacking in self.earlier]),
            (TEXT["missing"], [self._missing_item(*item) for item in self.missing]),
            (TEXT["broken"], [TEXT["broken_item"].format(file=file, line=line, old=old, page=page)
                              for file, line, old, page in self.broken]),
            (TEXT["lists"], [TEXT["list_item" if folder else "list_taken" if taken else "list_nowhere"].format(
                page=page, folder=folder, file=taken) for page, folder, taken in self.lists]),
            (TEXT["joined_list"], [TEXT["joined_item"].format(file=file, pages=" + ".join(pages))
                                   for file, pages in self.joined]),
            (TEXT["missing_pages"], [TEXT["missing_page_item"].format(file=file, address=address, page=page)
                                     for file, address, page in self.missing_pages]),
            (TEXT["gone"], [TEXT["gone_item"].format(file=file, pages="、".join(pages)) for file, pages in self.gone]),
            (TEXT["idle"], [TEXT["idle_item"].format(file=file, page=page, why=TEXT[why])
                            for file, page, why in self.idle]),
            ("Sections not in import-map.yaml, placed by the default rule（映射文件中没有的栏目）", self.new_sections),
            ("Notes（说明）", [f"{page}: {note}" for page, note in self.notes]),
            ("Sections（栏目）", [f"{folder} {title}: {count}" for folder, title, count in self.sections]),
            (TEXT["actions_dry" if self.dry_run else "actions"], self.action_lines()),
        ]
        for title, items in sections:
            if items:
                lines += ["", title + ":"] + [f"  {item}" for item in items]
        if self.map_written:
            lines += ["", self.map_written]
        return "\n".join(lines) + "\n"

    def _missing_item(self, file: str, line: int, old: str, what: str, page: str, url: str, shown: str,
                      label: str) -> str:
        legacy = legacy_path_of(re.sub(r"^[a-z]+://", "/", old))  # a picture of another site: under its host
        alt, _, title = label.partition(' "')
        alt, title = alt or TEXT[what], f' "{title}' if title else ""
        markdown = f"![{alt}](/{legacy}{title})" if what == "image" else f"[{alt}](/{legacy})"
        return TEXT["missing_item" if shown else "missing_item_bare"].format(
            file=file, line=line, what=TEXT[what], old=old, page=page, suggest=f"assets/{legacy}", markdown=markdown,
            shown=shown, download=TEXT["download"].format(url=url) if url else "")

    def action_lines(self) -> list[str]:
        return [TEXT["move"].format(old=item[1], new=item[2]) if item[0] == "move" else
                TEXT[item[0]].format(file=item[1]) for item in self.actions]


def prune_notice(files: list[str], source: str, dry_run: bool) -> str:
    """Printed before anything is removed: the articles --prune is about to remove."""
    head = TEXT["prune_first_dry" if dry_run else "prune_first"].format(count=len(files), source=source)
    return "\n".join([head, *(f"  {file}" for file in files)]) + "\n\n"


def shown_width(text: str) -> int:
    """Columns on a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
