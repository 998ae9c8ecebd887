"""The CMS's proxy backend answered in Python (decap-server's local mode is the reference), and the desk's own
actions: the problems of a saved file, and 发布."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import os
import re
import subprocess
import threading
from pathlib import Path
from urllib.parse import quote

from .. import urls
from ..config import Config, load_config
from ..dates import parse_date
from ..messages import Language, say
from ..problems import BuildFailed
from ..sources import is_scratch_file
from .confine import Confined, Refused, confine, write_atomically
from .cmsconfig import collection_name
from .entrytext import Unreadable, load, merged, not_shown_yet, split, with_aliases
from .uploads import ascii_stem, check_upload, upload_folder

LISTED_KINDS = ("jpg", "jpeg", "png", "webp", "gif", "pdf", "doc", "docx", "xls", "xlsx")
MEDIA_LISTED = 200
MEDIA_LISTED_BYTES = 64 * 1024 * 1024  # and no more than this in all, newest first  # the newest pictures the media library lists (each is sent whole, as the CMS expects)
CHECK_WAIT = 60  # seconds the desk waits for the rebuild after a save before it answers without it
OTHERS_SHOWN = 5  # problems of other files the desk lists when hers has none (the rest are counted)


def is_standalone(path: Path) -> bool:
    """A page of its own: its front matter names a layout (it is edited as a file, not in an article's form)."""
    try:
        head = path.read_bytes()[:4096].decode("utf-8-sig", errors="replace")
    except OSError:
        return False
    front = head.split("\n---", 1)[0] if head.startswith("---") else ""
    return bool(re.search(r"^layout[ \t]*[:：]", front, re.M))


class Desk:
    """The desk of one site: what the CMS asks (list, read, save, upload, delete) and what the desk adds (the
    problems of a saved file, 发布). `state` is the preview's (problems of the last rebuild, in `language`)."""

    def __init__(self, site_yaml: Path, state, language: Language, now=None):
        self.site_yaml, self.state, self.language = site_yaml, state, language
        self.root = site_yaml.parent.resolve()
        self.now = now or (lambda: dt.datetime.now(dt.timezone.utc))
        self.lock = threading.Lock()  # one write or publish at a time
        # article -> {the CMS's address of an upload it sent -> where the desk put it}: the CMS keeps its own address
        # until the article is opened again, and sends it with the next save
        self.renamed: dict[str, dict[str, str]] = {}
        self.saved: dict[str, int] = {}  # file -> the rebuild attempt after which its problems are known
        self.last_saved = ""  # the file saved last (the CMS does not tell a new article's path after saving it)
        self.last_change = -1  # the rebuild attempt after which the last save or deletion is seen

    def config(self) -> Config:
        try:
            return load_config(self.site_yaml)
        except BuildFailed as failed:  # site.yaml's problem, with its line: the desk cannot start without it
            problem = failed.problems[0]
            where = f"{problem.path}:{problem.line}" if problem.line else problem.path
            raise Refused(say("{page}: {what}", page=where, what=problem.message), 500) from None

    # ------------------------------------------------------------------ the CMS's actions

    def answer(self, action: str, params: dict):
        """The JSON answer to one call; Refused for a refused one."""
        handler = ACTIONS.get(action)
        if handler is None:
            raise Refused(say("the desk does not know the request '{action}'", action=str(action)[:60]), 422)
        if not isinstance(params, dict):
            raise Refused(say("the desk was sent a request it cannot read"), 400)
        return handler(self, params)

    def info(self, params):
        return {"repo": self.root.name, "publish_modes": ["simple"], "type": "local_fs"}

    def entries_by_folder(self, params):
        folder = confine(self.root, params.get("folder"), ("content",))
        depth = params.get("depth") if isinstance(params.get("depth"), int) else 1
        extension = str(params.get("extension") or "md").lstrip(".")
        found = []
        for path in sorted(_files(folder.file, depth)):
            if path.name == "_index.md" or not path.name.endswith("." + extension) or is_scratch_file(path.name) \
                    or is_standalone(path):
                continue  # a section's own file, and a page of its own (layout:), are not articles
            found.append(self.entry(f"{folder.rel}/{path.relative_to(folder.file).as_posix()}"))
        return found

    def entries_by_files(self, params):
        files = params.get("files") if isinstance(params.get("files"), list) else []
        return [self.entry(item.get("path") if isinstance(item, dict) else None, item.get("label")
                           if isinstance(item, dict) else None) for item in files]

    def get_entry(self, params):
        return self.entry(params.get("path"))

    def entry(self, path, label=None) -> dict:
        place = confine(self.root, path, ("content",))
        try:
            data = place.file.read_bytes()
        except OSError:
            return {"data": None, "file": {"path": place.rel, "label": label, "id": None}}
        text = data.decode("utf-8-sig", errors="replace").replace("\r\n", "\n")
        return {"data": text, "file": {"path": place.rel, "label": label, "id": _version(data)}}

    def persist_entry(self, params):
        files = params.get("dataFiles") or ([params["entry"]] if isinstance(params.get("entry"), dict) else [])
        assets = params.get("assets") or []
        if not isinstance(files, list) or not isinstance(assets, list) or not files:
            raise Refused(say("the desk was sent a request it cannot read"), 400)
        config = self.config()
        with self.lock:
            places = [self.article_place(item) for item in files]
            targets = [self.article_place({"path": item["newPath"]}) if isinstance(item, dict) and item.get("newPath")
                       else place for item, place in zip(files, places)]
            options = params.get("options") if isinstance(params.get("options"), dict) else {}
            versions = params.get("versions") if isinstance(params.get("versions"), dict) else {}
            for place in places:  # desk.js sends the version of each file as the page opened it
                opened = versions.get(place.rel)
                if isinstance(opened, str) and not place.file.is_file():  # deleted since, in another tab
                    raise Refused(say("not saved: {path} was deleted after you opened it (perhaps in another tab); "
                                      "saving would bring it back. To keep it, copy your text, open a new article and "
                                      "paste it there", path=place.rel), 409)
                if isinstance(opened, str) and _version(place.file.read_bytes()) != opened:
                    raise Refused(say("not saved: {path} was changed after you opened it (perhaps saved in another "
                                      "tab); nothing was overwritten. Copy your changes, reload the page and make them "
                                      "again", path=place.rel), 409)
            for place, target in zip(places, targets):
                taken = target.file.exists() and (target.rel != place.rel or options.get("newEntry"))
                if taken:  # two tabs writing a new article in the same minute, or a rename onto another article
                    raise Refused(say("not saved: {path} is another article already; nothing was overwritten. Copy "
                                      "your text, open a new article and paste it there", path=target.rel), 409)
            date = _date_of(files[0].get("raw"), config) or self.now().astimezone(config.zone)
            uploads, renames, taken = [], {}, set()
            for asset in assets:
                try:
                    place, data, addresses = self.place_upload(asset, date, taken)
                except Refused as refused:  # the whole article waits: say so, and what to do
                    raise Refused(say("the article was not saved: {reason}. Remove that file from the article (or "
                                      "choose another one) and save again", reason=refused.message),
                                  refused.status) from None
                uploads.append((place, data))
                taken.add(place.rel)
                renames.update(dict.fromkeys(addresses, "/" + place.rel.removeprefix("assets/")))
            writes = []
            for item, place, target in zip(files, places, targets):
                known = {**self.renamed.get(place.rel, {}), **renames}
                raw = site_addresses(with_new_addresses(str(item.get("raw") or ""), known))
                if known:
                    self.renamed[target.rel] = known
                original = place.file.read_bytes() if place.file.is_file() else None
                try:
                    writes.append((target, merged(original, raw, config.zone, config.allow_html)))
                except Unreadable:
                    raise Refused(say("not saved: the details (title, date…) of {path} could not be read from what "
                                      "the page sent; reload the page and save again", path=target.rel), 422) from None
            attempt = self.next_attempt()
            for place, data in uploads:  # the pictures first: the article never names a missing one
                if not place.file.is_file() or place.file.read_bytes() != data:
                    write_atomically(place.file, data)
            for target, data in writes:
                write_atomically(target.file, data)
                self.saved[target.rel] = attempt
                self.last_saved, self.last_change = target.rel, attempt
            for place, target in zip(places, targets):
                if target.rel != place.rel and place.file.is_file():
                    place.file.unlink()
        return {"message": "entry persisted", "versions": {target.rel: _version(data) for target, data in writes}}

    def article_place(self, item) -> Confined:
        place = confine(self.root, item.get("path") if isinstance(item, dict) else None, ("content",))
        if not place.rel.endswith(".md") or place.file.name == "_index.md" or place.rel.count("/") < 2 \
                or place.file.name.startswith(".") or not (place.file.parent / "_index.md").is_file():
            raise Refused(say("'{path}' is refused: the desk writes articles, files ending in .md inside a section "
                              "folder of content/", path=place.rel))
        return place

    def place_upload(self, asset, date: dt.datetime, taken: set[str] = frozenset()) -> tuple[Confined, bytes, list]:
        """Where an upload goes (its month by the article's date in the site's zone, an ASCII name, none of
        `taken`), its bytes, and the addresses the CMS gave it, to be replaced in the article."""
        if not isinstance(asset, dict):
            raise Refused(say("the desk was sent a request it cannot read"), 400)
        asked = confine(self.root, asset.get("path"), ("assets",))
        data = _decoded(asset)
        upload = check_upload(asked.file.name, data)
        folder = upload_folder(upload.kind, date.year, date.month)
        stem = ascii_stem(Path(asked.file.name).stem) or f"{date:%Y%m%d-%H%M}"
        place = self.free_place(folder, stem, upload.kind, data, taken)
        return place, data, _addresses(asked.rel)

    def free_place(self, folder: str, stem: str, kind: str, data: bytes, taken=frozenset()) -> Confined:
        """folder/stem.kind, or stem-2, stem-3... when a different file has that name (the same bytes: reused)."""
        number = 1
        while True:
            name = f"{stem}.{kind}" if number == 1 else f"{stem}-{number}.{kind}"
            place = confine(self.root, f"{folder}/{name}", ("assets",))
            if place.rel not in taken and (not place.file.exists() or place.file.is_file() and
                                           place.file.read_bytes() == data):
                return place
            number += 1

    def get_media(self, params):
        """The newest uploads: pictures, and the documents attached to articles (assets/files/), which the CMS
        would otherwise never list again once uploaded."""
        folder = confine(self.root, params.get("mediaFolder") or "assets/images", ("assets",))
        folders = [folder] + [confine(self.root, "assets/files", ("assets",))] * (folder.rel == "assets/images")
        found = sorted(((place.rel, path) for place in folders for path in _files(place.file, 4)
                        if path.suffix.lower().lstrip(".") in LISTED_KINDS),
                       key=lambda item: item[1].relative_to(self.root / item[0]).as_posix(), reverse=True)
        listed, size = [], 0
        for rel, path in found[:MEDIA_LISTED]:  # each is sent whole: scanned reports must not make it gigabytes
            size += path.stat().st_size
            if listed and size > MEDIA_LISTED_BYTES:
                break
            listed.append(self.media_file(f"{rel}/{path.relative_to(self.root / rel).as_posix()}"))
        return listed

    def get_media_file(self, params):
        return self.media_file(params.get("path"))

    def media_file(self, path) -> dict:
        place = confine(self.root, path, ("assets",))
        try:
            data = place.file.read_bytes()
        except OSError:
            raise Refused(say("'{path}' cannot be read: it may have been moved or deleted", path=place.rel), 404)
        return {"id": hashlib.sha256(data).hexdigest(), "content": base64.b64encode(data).decode(),
                "encoding": "base64", "path": place.rel, "name": place.file.name}

    def persist_media(self, params):
        config = self.config()
        with self.lock:
            place, data, _ = self.place_upload(params.get("asset"), self.now().astimezone(config.zone))
            write_atomically(place.file, data)
        return self.media_file(place.rel)

    def delete_file(self, params):
        self.delete([params.get("path")])
        return {"message": "deleted file"}

    def delete_files(self, params):
        paths = params.get("paths")
        self.delete(paths if isinstance(paths, list) else [None])
        return {"message": "deleted files"}

    def delete(self, paths) -> None:
        places = [confine(self.root, path) for path in paths]
        for place in places:
            if place.file.name == "_index.md" or place.file.is_dir():
                raise Refused(say("'{path}' is refused: the desk deletes articles and uploaded files, not sections",
                                  path=place.rel))
        with self.lock:
            self.last_change, self.last_saved = self.next_attempt(), ""  # desk.js asks for the site's problems next
            for place in places:
                if place.file.is_file() or place.file.is_symlink():
                    place.file.unlink()

    def get_deploy_preview(self, params):
        return None

    # ------------------------------------------------------------------ the desk's own

    def next_attempt(self) -> int:
        """The rebuild attempt that will have seen a change made now (the one underway has not)."""
        with self.state.lock:
            return self.state.attempts + (0 if self.state.idle.is_set() else 1)

    def problems(self, params):
        """The build's problems after the last save of a file, in the editor's language: its own first."""
        asked = "" if params.get("deleted") else params.get("path") or self.last_saved
        rel = confine(self.root, asked, ("content",)).rel if asked else ""  # '': after a deletion, the whole site's
        attempt = self.saved.get(rel, -1) if rel else self.last_change
        settled = self.state.wait_for_attempt(attempt + 1, CHECK_WAIT) if attempt >= 0 else True
        with self.state.lock:
            lines = list(self.state.problems)
        own = [line for line in lines if rel and line.startswith(rel + ":")]
        shown = own or lines[:OTHERS_SHOWN]  # nothing of hers: she still sees what holds the site back, and where
        notes = [self.language("The section has an article of the same title: {path}. If it was entered twice, "
                               "delete one of them", path=twin) for twin in (self.same_titles(rel) if rel else [])]
        undescribed = len(UNDESCRIBED.findall(_text_of(self.root / rel))) if rel else 0
        if undescribed:
            notes.append(self.language("{count} pictures have no description: readers who cannot see them (with a "
                                       "screen reader) are not told what they show. Click each picture and fill in "
                                       "“图片内容说明”", count=undescribed))
        return {"settled": settled, "path": rel, "problems": shown, "others": len(lines) - len(shown), "notes": notes,
                "heading": self.language("This article has problems: the site was not updated. Correct them and "
                                         "save again:") if own else
                           self.language("Other articles have problems, so the site was not updated:") if lines else
                           self.language("Saved. It is a draft, or dated later than now: the website will not show it "
                                         "yet, and its preview says so.") if rel and self.not_shown(rel) else
                           self.language("Saved; the preview shows the page as the site will.") if rel else
                           self.language("Deleted. Press 发布 to take it off the website too.")}

    def same_titles(self, rel: str) -> list[str]:
        """The other articles of the saved one's section with its very title: most often the same news entered
        twice (a title line is read without parsing the files: a section may hold thousands)."""
        title = _title_of(self.root / rel)
        if not title:
            return []
        folder = (self.root / rel).parent
        return sorted(f"{rel.rpartition('/')[0]}/{path.name}" for path in folder.glob("*.md")
                      if path.name not in ("_index.md", rel.rpartition("/")[2]) and _title_of(path) == title)

    def not_shown(self, rel: str) -> bool:
        try:
            front, _ = split((self.root / rel).read_text(encoding="utf-8-sig").replace("\r\n", "\n"))
        except OSError:
            return False
        return not_shown_yet(load(front or ""), self.now())

    def page(self, path) -> str:
        """The preview's address of an article's page."""
        place = confine(self.root, path, ("content",))
        try:
            front, _ = split(place.file.read_text(encoding="utf-8-sig"))
        except OSError:
            raise Refused(say("'{path}' cannot be read: it may have been moved or deleted", path=place.rel), 404)
        slug = load(front or "").get("slug")
        section = place.rel.removeprefix("content/").rpartition("/")[0]
        return "/" + urls.article(section, str(slug) if isinstance(slug, str) and slug else place.file.stem)

    def move(self, params):
        """Move a saved article to another section, its file name kept. Its old address, when the last 发布 sent
        it, is kept as an alias, so a link to it or a reader's bookmark is sent on to the new one."""
        published = _published(self.root, self.article_place({"path": params.get("path")}).rel)  # git, unlocked
        with self.lock:
            place = self.article_place({"path": params.get("path")})
            section = str(params.get("section") or "").strip("/")
            target = self.article_place({"path": f"content/{section}/{place.file.name}"})
            if target.rel == place.rel:
                return {"path": place.rel, "collection": collection_name(section), "slug": place.file.stem}
            if not place.file.is_file():
                raise Refused(say("'{path}' cannot be read: it may have been moved or deleted", path=place.rel), 404)
            if target.file.exists():
                raise Refused(say("not moved: {path} is another article already; nothing was overwritten. Save this "
                                  "one as a new article in that section instead", path=target.rel), 409)
            old = self.page(place.rel)
            new = "/" + urls.article(section, old.rstrip("/").rpartition("/")[2])
            try:  # an address only kept by the last 发布 can be known to readers; others need no redirect
                data = with_aliases(place.file.read_bytes(), old if published else "", new)
            except Unreadable:
                raise Refused(say("not moved: the details (title, date…) of {path} could not be read; correct them "
                                  "and save first", path=place.rel), 422) from None
            write_atomically(target.file, data)
            # the rebuild that sees the old file gone (a rebuild begun between the two saw both, or neither)
            attempt = self.next_attempt()
            place.file.unlink()
            self.saved[target.rel] = attempt
            self.last_saved, self.last_change = target.rel, attempt
            if place.rel in self.renamed:  # the CMS's addresses of its uploads, for the next save
                self.renamed[target.rel] = self.renamed.pop(place.rel)
        return {"path": target.rel, "collection": collection_name(section), "slug": target.file.stem}

    def publish(self, params):
        from .gitpublish import publish_site
        with self.lock:
            report = publish_site(self.site_yaml, self.language, self.now())
        return {"ok": report.ok, "message": report.text}


def _version(data: bytes) -> str:
    """A file's version as the CMS is told it (its 'id') and desk.js sends it back with a save."""
    return hashlib.sha256(data).hexdigest()


def _files(folder: Path, depth: int):
    """Files under `folder`, `depth` levels down (1: only its own), never through links to folders."""
    if depth <= 0 or not folder.is_dir():
        return
    for entry in os.scandir(folder):
        if entry.is_dir(follow_symlinks=False):
            yield from _files(Path(entry.path), depth - 1)
        elif entry.is_file() and not is_scratch_file(entry.name):
            yield Path(entry.path)


def with_new_addresses(raw: str, renamed: dict[str, str]) -> str:
    """The article with the CMS's addresses of uploads replaced by where the desk put them."""
    for old, new in sorted(renamed.items(), key=lambda item: -len(item[0])):
        raw = re.sub(re.escape(old) + r"(?=[\s)\"'>]|$)", new, raw)
    return raw


ASSET_PATH = re.compile(r"(?<=\]\()/?assets/(?=images/|files/)")


def site_addresses(raw: str) -> str:
    """Links and pictures written with the path of an upload in the site's folder (assets/images/…, what the media
    library's 复制路径 gives) as the address readers reach it at (/images/…)."""
    return ASSET_PATH.sub("/", raw)


def _published(root: Path, rel: str) -> bool:
    """Whether the file is in the site's last commit (what 发布 sends); True when git cannot tell."""
    from .gitpublish import git
    try:
        return git(root, "cat-file", "-e", f"HEAD:./{rel}", check=False, timeout=10).returncode == 0 or \
            git(root, "rev-parse", "--verify", "HEAD", check=False, timeout=10).returncode != 0
    except (OSError, subprocess.SubprocessError):
        return True


UNDESCRIBED = re.compile(r"!\[\s*\]\(")  # a picture written without its description: ![](/images/…)


def _text_of(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return ""


TITLE_LINE = re.compile(r"^title:[ \t]*(.*?)[ \t]*$", re.M)


def _title_of(path: Path) -> str:
    """The title line of an article's front matter, as the desk writes it (quoted or not), without parsing it."""
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as handle:
            head = handle.read(4096)
    except OSError:
        return ""
    found = TITLE_LINE.search(head.split("\n---", 1)[0])
    value = found.group(1) if found else ""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1].replace('\\"', '"')
    return value.strip(" \u3000")


def _decoded(asset: dict) -> bytes:
    if asset.get("encoding") != "base64" or not isinstance(asset.get("content"), str):
        raise Refused(say("the desk was sent a request it cannot read"), 400)
    try:
        return base64.b64decode(asset["content"], validate=True)
    except (binascii.Error, ValueError):
        raise Refused(say("the desk was sent a request it cannot read"), 400) from None


def _addresses(rel: str) -> list[str]:
    """How an article may name an asset the CMS put at `rel`: its site address as written, percent-encoded, and with
    only its spaces encoded (as Markdown writers leave Chinese as it is)."""
    address = "/" + rel.removeprefix("assets/")
    return sorted({address, quote(address), address.replace(" ", "%20")})


def _date_of(raw, config: Config) -> dt.datetime | None:
    """The article's date, as the build reads it, in the site's zone."""
    front, _ = split(str(raw or "").replace("\r\n", "\n"))
    value = load(front or "").get("date")
    return parse_date(str(value), config.zone) if value else None


ACTIONS = {
    "info": Desk.info, "entriesByFolder": Desk.entries_by_folder, "entriesByFiles": Desk.entries_by_files,
    "getEntry": Desk.get_entry, "persistEntry": Desk.persist_entry, "getMedia": Desk.get_media,
    "getMediaFile": Desk.get_media_file, "persistMedia": Desk.persist_media, "deleteFile": Desk.delete_file,
    "deleteFiles": Desk.delete_files, "getDeployPreview": Desk.get_deploy_preview,
    "deskProblems": Desk.problems, "deskPublish": Desk.publish, "deskMove": Desk.move,
}
