"""The desk's HTTP side on serve's own address: /admin/ (our page and the pinned CMS) and /api/v1 (its backend).

The desk writes files, so it is a door into the repository: it answers only on a loopback address, to requests
whose Host is the preview's own address (a page of another site that renamed itself 127.0.0.1 through DNS is
refused), and a call to /api/v1 must come from the preview's own origin (a page of another site, open in the
same browser, cannot write a file)."""

from __future__ import annotations

import json
import mimetypes
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from ..messages import say
from .backend import Desk
from .cmsconfig import config_text
from .confine import Refused

ADMIN = Path(__file__).with_name("admin")  # our own page, script and style sheet
CMS_DIST = Path(__file__).resolve().parents[2] / "tools" / "decap" / "node_modules" / "decap-cms" / "dist"
CMS_FILES = (".js", ".css", ".wasm")  # what the CMS loads from its dist/ (no source maps, no licences)
# An article saved with the pictures put into it: the CMS sends them all in one request, base64-encoded (three
# 30 MB photos and the text); each picture is checked against the upload limit on its own.
MAX_REQUEST = 128 * 1024 * 1024
LOOPBACK = ("127.0.0.1", "localhost", "::1")
WORDS = {  # the words desk.js shows, said in serve's language
    "title": say("The desk"),
    "publish": say("Publish"),
    "confirm_publish": say("Publish the saved articles to the website? The whole site is checked first."),
    "publishing": say("Publishing: checking the whole site, then sending the articles…"),
    "checking": say("Saved. Checking the article…"),
    "others": say("and {count} problems in other files", count="{count}"),  # counted by desk.js
    "preview_after_save": say("After you save, the article's page shows here as the website will show it."),
    "preview_title": say("The article's page on the website"),
    "close": say("Close"),
    "picture": say("Picture"),
    "picture_file": say("Picture file"),
    "picture_alt": say("What the picture shows (read out to readers who cannot see it)"),
    "picture_caption": say("Caption under the picture"),
    "move": say("Move to another section"),
    "move_choose": say("Choose the section to move it to"),
    "confirm_move": say("Move this article to “{section}”? Save it first: changes not saved are not moved. Its old "
                        "address will send readers on to the new one.", section="{section}"),
    "attachment": say("Attachment (Word, Excel, PDF)"),
    "attachment_file": say("The file"),
    "attachment_name": say("Its name in the article (for example 会议议程); empty: the file's name"),
    "pasted_heading": say("Part of what you pasted was not brought over:"),
    "pasted_pictures": say("{count} pictures: pasting cannot bring a picture. Put each one in with the body's ＋ → "
                           "Picture → 选择图片 → 上传", count="{count}"),
    "pasted_tables": say("a table: this way of writing cannot keep a table (its cells would run together), so nothing "
                         "was pasted. Switch the body to Markdown (the switch above it) and paste again: the table is "
                         "kept as a table"),
    "replace_upload": say("A file named “{name}” is chosen already. OK replaces it with this one, wherever the "
                          "article uses it; Cancel uploads nothing: rename this file on your computer first, then "
                          "upload it", name="{name}"),
    "pasted_nothing": say("Nothing was pasted:"),
    "move_save_first": say("Save the article first, then move it: changes not saved would not go with it"),
    "offline": say("The desk cannot be reached: has it stopped? Start it again (make serve, or build.py serve) and "
                   "try again"),
}
# The CMS's own words that would mislead: in its simple mode it calls saving a file 'publish' (发布), which is
# the desk's word for putting the site on the web. Said in serve's language, put over the CMS's locale by desk.js.
CMS_WORDS = {
    "editor.editorToolbar.publish": say("Save"), "editor.editorToolbar.publishNow": say("Save"),
    "editor.editorToolbar.publishing": say("Saving…"), "editor.editorToolbar.published": say("Saved"),
    "editor.editorToolbar.publishAndCreateNew": say("Save, then write a new article"),
    "editor.editorToolbar.publishAndDuplicate": say("Save, then copy it"),
    "editor.editorToolbar.deployButtonLabel": say("View the page"),
    "editor.editorToolbar.deletePublishedEntry": say("Delete the article"),
    "collection.sidebar.collections": say("Sections"), "app.header.content": say("Articles"),
    "app.header.media": say("Pictures and files"),
    "editor.editorToolbar.backCollection": say("Writing in the section {section}", section="“%{collectionLabel}”"),
    "editor.editorToolbar.deleteEntry": say("Delete the article"),
    "ui.toast.entrySaved": say("Saved on this computer (not yet on the website)"),
    "ui.toast.onFailToPersist": "%{details}",  # the desk's refusal says what was not saved and why
    # every saved article is 'published' to the CMS (its simple mode): asked without claiming it is on the website
    "editor.editor.onDeletePublishedEntry": say("Delete this article? After 发布 it is gone from the website too."),
    "editor.editor.onDeleteWithUnsavedChanges": say("Delete this article, with the changes not saved? After 发布 it "
                                                    "is gone from the website too."),
}


class Door:
    """Routes the desk's requests of serve's handler. `host` and `port` are the preview's address."""

    def __init__(self, desk: Desk, host: str, port: int):
        self.desk, self.host, self.port = desk, host, port
        shown = f"[{host}]" if ":" in host else host
        self.origin = f"http://{shown}:{port}"
        self.hosts = {f"{name}:{port}" for name in {shown, *(("localhost",) if host in LOOPBACK else ())}}
        self.origins = {f"http://{name}" for name in self.hosts}
        self.open = host in LOOPBACK

    @staticmethod
    def handles(path: str) -> bool:
        return path == "/admin" or path.startswith("/admin/") or path == "/api/v1"

    def refusal(self, handler) -> tuple[int, object] | None:
        """Why a request is refused at the door, if it is."""
        language = self.desk.language
        if not self.open:
            return 403, language("The desk is offered only on this computer's own address: start 'build.py serve' "
                                 "without --host and open http://127.0.0.1:{port}/admin/", port=self.port)
        if handler.headers.get("Host", "") not in self.hosts:
            return 403, language("Refused: this request names the address '{host}', not the desk's own ({origin}); "
                                 "open the desk at {origin}/admin/", host=handler.headers.get("Host", "")[:100],
                                 origin=self.origin)
        return None

    def get(self, handler) -> None:
        refused = self.refusal(handler)
        if refused:
            return self.send_text(handler, *refused)
        parts = urlsplit(handler.path)
        path = parts.path
        if path == "/admin":
            return self.redirect(handler, "/admin/")
        if path == "/admin/":
            if not (CMS_DIST / "decap-cms.js").is_file():
                return self.send_text(handler, 503, self.desk.language(
                    "The desk is not installed: in the site's folder run 'make serve' (it installs the desk), then "
                    "open this page again"))
            return self.send_file(handler, ADMIN / "index.html")
        if path == "/admin/config.yml":
            try:
                config = self.desk.config()
            except Refused as refused:  # site.yaml has a problem: said where the desk shows its errors
                return self.send_text(handler, refused.status, self.desk.language.text(refused.message))
            return self.send(handler, 200, config_text(config, self.desk.language, self.origin + "/"),
                             "text/yaml; charset=utf-8")
        if path == "/admin/words.json":
            words = {name: self.desk.language.text(message) for name, message in WORDS.items()}
            words["lang"] = "zh-CN" if self.desk.language.code == "zh" else "en"
            words["cms"] = {name: message if isinstance(message, str) else self.desk.language.text(message)
                            for name, message in CMS_WORDS.items()}
            return self.send_json(handler, 200, words)
        if path == "/admin/page":
            try:
                target = self.desk.page(parse_qs(parts.query).get("path", [""])[0])
            except Refused as refused:
                return self.send_text(handler, refused.status, self.desk.language.text(refused.message))
            return self.redirect(handler, target)
        name = path.removeprefix("/admin/")
        if name in ("desk.js", "desk.css"):
            return self.send_file(handler, ADMIN / name)
        if name.startswith("cms/"):
            file = CMS_DIST / name.removeprefix("cms/")
            if "/" not in name.removeprefix("cms/") and file.suffix in CMS_FILES and file.is_file():
                return self.send_file(handler, file, cache=True)
        return self.send_text(handler, 404, self.desk.language("The desk has no page {path}", path=path[:100]))

    def post(self, handler) -> None:
        refused = self.refusal(handler)
        if refused:
            return self.send_json(handler, refused[0], {"error": refused[1]})
        language = self.desk.language
        if urlsplit(handler.path).path != "/api/v1":
            return self.send_json(handler, 404, {"error": language("The desk has no page {path}",
                                                                   path=handler.path[:100])})
        origin = handler.headers.get("Origin", "")
        if origin not in self.origins:
            return self.send_json(handler, 403, {"error": language(
                "Refused: only the desk's own page ({origin}/admin/) may change files, not '{sender}'",
                origin=self.origin, sender=origin[:100] or language("a page that did not say where it is"))})
        if handler.headers.get("Content-Type", "").split(";")[0].strip().lower() != "application/json":
            return self.send_json(handler, 415, {"error": language("Refused: the desk reads only JSON requests")})
        try:
            length = int(handler.headers.get("Content-Length", ""))
        except ValueError:
            return self.send_json(handler, 411, {"error": language("Refused: the request did not say its length")})
        if length > MAX_REQUEST or length < 0:
            return self.send_json(handler, 413, {"error": language(
                "Not saved: the article and its pictures come to more than {limit} MB; make the pictures smaller, "
                "or save the article with fewer pictures and add the others in a second save",
                limit=MAX_REQUEST // 1048576)})
        try:
            body = json.loads(handler.rfile.read(length))
            action, params = body["action"], body.get("params", {})
            if not isinstance(action, str):
                raise TypeError(action)
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return self.send_json(handler, 400, {"error": language.text(say("the desk was sent a request it cannot "
                                                                            "read"))})
        try:
            answer = self.desk.answer(action, params)
        except Refused as refused:
            return self.send_json(handler, refused.status, {"error": language.text(refused.message)})
        return self.send_json(handler, 200, answer)

    # ------------------------------------------------------------------ answers

    def redirect(self, handler, target: str) -> None:
        handler.send_response(302)
        handler.send_header("Location", target)
        handler.send_header("Content-Length", "0")
        handler.send_header("Cache-Control", "no-store")
        handler.end_headers()

    def send_file(self, handler, file: Path, cache: bool = False) -> None:
        kind = {".js": "text/javascript", ".css": "text/css", ".html": "text/html", ".wasm": "application/wasm"}
        content_type = kind.get(file.suffix) or mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if content_type.startswith("text/"):
            content_type += "; charset=utf-8"
        self.send(handler, 200, file.read_bytes(), content_type, cache)

    def send_text(self, handler, status: int, text: str) -> None:
        self.send(handler, status, text.encode(), "text/plain; charset=utf-8")

    def send_json(self, handler, status: int, value) -> None:
        self.send(handler, status, json.dumps(value, ensure_ascii=False).encode(), "application/json; charset=utf-8")

    def send(self, handler, status: int, data: bytes, content_type: str, cache: bool = False) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        # the CMS's files are pinned (their names change with its version only through the lockfile)
        handler.send_header("Cache-Control", "max-age=3600" if cache else "no-store")
        handler.send_header("X-Content-Type-Options", "nosniff")
        handler.send_header("X-Frame-Options", "SAMEORIGIN")
        handler.end_headers()
        handler.wfile.write(data)
