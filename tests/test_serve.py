"""`build.py serve` as an editor runs it: a real subprocess, real file edits seen by watchdog, real HTTP."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from helpers import REPO, article, cli_environment, run_cli, tree_bytes

STARTUP_S = 30  # interpreter start, imports and the first build of a small site
CHANGE_S = 10  # from a saved file to the rebuilt site being served
SITE_YAML = """title: 测试人大常委会
base_url: https://example.org/
per_page: 3
default_author: 县人大办公室
default_source: 本网
footer: [地址：测试县]
"""
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through an http_proxy
PREVIEW_TAG = re.compile(r'<script src="/__preview/preview\.js" data-version="(\d+)"></script></body>')


def site_files() -> dict[str, str]:
    return {
        "site.yaml": SITE_YAML,
        "content/_index.md": "---\ntitle: 首页\n---\n",
        "content/news/_index.md": "---\ntitle: 新闻\nweight: 1\n---\n",
        "content/work/_index.md": "---\ntitle: 工作\nweight: 2\n---\n",
        "content/news/a.md": article("原来的标题", "2020-01-02 03:04:05", "第一篇的正文。", tags="[代表]"),
        "content/news/b.md": article("第二篇", "2020-02-02 10:00", "第二篇的正文。"),
        "content/news/c.md": article("第三篇", "2020-03-02 10:00", "第三篇的正文，见[第一篇](/news/a/)。"),
        "content/work/d.md": article("监督工作", "2021-05-06", "监督工作的正文。", tags="[监督, 代表]"),
    }


# ---------------------------------------------------------------- helpers

def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, str, dict]:
    """(status, body, headers) of a GET, 4xx/5xx included."""
    try:
        with OPENER.open(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8"), dict(response.headers)
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace"), dict(err.headers)


def wait_until(check, what, timeout: float = CHANGE_S, every: float = 0.05):
    """Poll `check` until it returns something truthy; fail naming `what` (a string, or a function giving
    one when it fails) after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            last = check()
        except (OSError, urllib.error.URLError) as err:  # the server may be busy swapping output/
            last = err
        else:
            if last:
                return last
        if time.monotonic() > deadline:
            raise AssertionError(f"after {timeout} s still not: {what() if callable(what) else what} "
                                 f"(last: {last!r})")
        time.sleep(every)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


class Serve:
    """`build.py serve --site SITE --port PORT [args]` in a subprocess; its output is collected line by line."""

    def __init__(self, site: Path, *args: str, port: int | None = None, host: str | None = None):
        self.host = host or "127.0.0.1"
        self.port = free_port(self.host) if port is None else port
        command = [sys.executable, str(REPO / "build.py"), "serve", "--site", str(site), "--port", str(self.port)]
        if host:
            command += ["--host", host]
        env = cli_environment({"PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"})
        self.proc = subprocess.Popen([*command, *args], cwd=site, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, encoding="utf-8", env=env)
        self.lines: list[str] = []
        self.eof = False
        self.cond = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            with self.cond:
                self.lines.append(line.rstrip("\n"))
                self.cond.notify_all()
        with self.cond:
            self.eof = True
            self.cond.notify_all()

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.origin + path

    def output(self) -> str:
        with self.cond:
            return "\n".join(self.lines)

    def wait_line(self, pattern: str, start: int = 0, timeout: float = CHANGE_S) -> tuple[int, re.Match]:
        """The first line from index `start` on matching `pattern`: (its index, the match)."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for index in range(start, len(self.lines)):
                    if match := re.search(pattern, self.lines[index]):
                        return index, match
                remaining = deadline - time.monotonic()
                if self.eof or remaining <= 0:
                    raise AssertionError(f"serve printed no line matching {pattern!r} "
                                         f"(exit code {self.proc.poll()}); its output:\n" + "\n".join(self.lines))
                self.cond.wait(min(remaining, 0.5))

    def line_count(self) -> int:
        with self.cond:
            return len(self.lines)

    def status(self) -> dict:
        code, body, headers = get(self.url("/__preview/status"))
        assert code == 200 and headers["Content-Type"].startswith("application/json"), (code, headers)
        return json.loads(body)

    def wait_version(self, above: int) -> dict:
        """Wait for a good build newer than version `above`; returns the status."""
        return wait_until(lambda: (s := self.status())["version"] > above and not s["problems"] and s,
                          lambda: f"a rebuild after version {above} succeeds; serve output:\n{self.output()}")

    def wait_settled(self, above: int) -> dict:
        """Wait for the next outcome after version `above`: a good build or problems; returns the status."""
        def settled():
            status = self.status()
            return status if status["version"] > above or status["problems"] else None
        return wait_until(settled, lambda: f"a rebuild after version {above}; serve output:\n{self.output()}")

    def wait_problems(self) -> dict:
        return wait_until(lambda: (s := self.status())["problems"] and s,
                          lambda: f"the status reports problems; serve output:\n{self.output()}")

    def stop(self) -> int:
        """Ctrl+C, as an editor stops it; returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.reader.join(timeout=5)
        return self.proc.returncode


STARTED = r"^预览地址 http://"  # 'Serving http://' in English
REBUILT = r"^已更新：生成 (\d+) 个页面，"  # 'rebuilt: N pages rendered'


@contextlib.contextmanager
def serving(site: Path, *args: str, started: str = STARTED, **kwargs):
    server = Serve(site, *args, **kwargs)
    try:
        server.wait_line(started, timeout=STARTUP_S)
        yield server
    finally:
        server.stop()


# The preview's search index, made and swapped in by a background process while the tests read the preview
# (tests/browser/test_browser_preview_search.py tests it).
SEARCH_FOLDERS = ("search-index", ".search-next")


def preview_files(preview: Path) -> dict[str, bytes]:
    """Every file of the preview but its search index."""
    return tree_bytes(preview, skip=SEARCH_FOLDERS)


def html_pages(output: Path) -> dict[str, str]:
    return {name: data.decode("utf-8") for name, data in preview_files(output).items() if name.endswith(".html")}


def no_preview_on_disk(output: Path) -> list[str]:
    """Files under output/ mentioning the preview machinery (there must be none)."""
    return [name for name, data in preview_files(output).items() if b"__preview" in data]


def page_count(site: Path) -> int:
    """Files under output/ that are rendered pages (everything but the copied assets and the search index)."""
    assets = {p.relative_to(site / "assets").as_posix() for p in (site / "assets").rglob("*") if p.is_file()}
    return len(set(preview_files(site / ".preview")) - assets)


# ---------------------------------------------------------------- tests

def test_pages_are_served_with_the_preview_script_which_never_reaches_the_disk(make_site):
    site = make_site(site_files(), site_yaml=None)
    with serving(site) as server:
        assert server.status() == {"version": 1, "problems": [], "heading": "网站没有更新：请修改下列问题后再保存"}
        for path in ["/", "/news/", "/work/", "/news/a/", "/news/a/print/", "/tags/", "/search/", "/news/a/index.html"]:
            code, body, headers = get(server.url(path))
            assert code == 200, path
            assert headers["Content-Type"] == "text/html; charset=utf-8", path
            assert len(PREVIEW_TAG.findall(body)) == 1, f"{path}: no preview script just before </body>"
            assert PREVIEW_TAG.search(body).group(1) == "1"
        assert "原来的标题" in get(server.url("/news/a/"))[1]
        code, body, headers = get(server.url("/__preview/preview.js"))
        assert code == 200 and headers["Content-Type"] == "text/javascript"
        assert body == (REPO / "sitegen" / "preview.js").read_text(encoding="utf-8")
        # Non-HTML files are served as they are.
        code, css, _ = get(server.url("/css/site.css"))
        assert code == 200 and css == (site / "assets" / "css" / "site.css").read_text(encoding="utf-8")
        assert "__preview" not in get(server.url("/feed.xml"))[1]
        # A missing page: the site's 404 page, status 404, with the script (so it reloads once the page exists).
        code, body, _ = get(server.url("/news/nothing-here/"))
        assert code == 404 and PREVIEW_TAG.search(body)
        # A folder without its slash redirects to it, as a static host does.
        request = urllib.request.Request(server.url("/news"))
        with pytest.raises(urllib.error.HTTPError) as redirect:
            urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect()).open(request, timeout=5)
        assert redirect.value.code == 301 and redirect.value.headers["Location"] == "/news/"
        assert no_preview_on_disk(site / ".preview") == []
        assert not list(site.glob(".output.*")), "a staging folder was left beside output/"
    assert server.proc.returncode == 0, server.output()
    assert "Traceback" not in server.output()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_edits_are_served_and_output_matches_a_clean_build(make_site, tmp_path):
    site = make_site(site_files(), site_yaml=None)
    content = site / "content"
    with serving(site) as server:
        _, first = server.wait_line(REBUILT, timeout=STARTUP_S)
        assert int(first.group(1)) == page_count(site), first.group(0)
        version = server.status()["version"]

        # 1. Edit a title: a new version, and the page shows it.
        write(content / "news/a.md", article("修改后的标题", "2020-01-02 03:04:05", "第一篇的正文。", tags="[代表]"))
        version = server.wait_version(version)["version"]
        page = get(server.url("/news/a/"))[1]
        assert "修改后的标题" in page and "原来的标题" not in page
        assert PREVIEW_TAG.search(page).group(1) == str(version)
        assert "修改后的标题" in get(server.url("/news/"))[1]

        # 2. Break the front matter: problems as path:line:col: message; the last good page stays up.
        write(content / "news/a.md", "---\ntitle: 坏掉的标题\nauther: 张三\ndate: 2020-01-02 03:04:05\n---\n\n正文。\n")
        status = server.wait_problems()
        assert status["version"] == version
        assert len(status["problems"]) == 1, status
        assert status["problems"][0].startswith(
            "content/news/a.md:3:1: 不认识的文章信息项“auther”（是不是“author”？）；可以用的项有："), status
        code, page, _ = get(server.url("/news/a/"))
        assert code == 200 and "修改后的标题" in page and "坏掉的标题" not in page
        server.wait_line(r"^1 个问题；预览仍显示上一次正确的网站。$")

        # 3. Fix it: no problems, a new version, the fixed title.
        write(content / "news/a.md", article("修好的标题", "2020-01-02 03:04:05", "第一篇的正文。", tags="[代表]"))
        version = server.wait_version(version)["version"]
        assert server.status()["problems"] == []
        assert "修好的标题" in get(server.url("/news/a/"))[1]

        # 4. Add an article.
        write(content / "work/e.md", article("新增的文章", "2022-03-04 05:06", "新增文章的正文。"))
        version = server.wait_version(version)["version"]
        code, page, _ = get(server.url("/work/e/"))
        assert code == 200 and "新增的文章" in page
        assert "新增的文章" in get(server.url("/work/"))[1]
        assert "新增的文章" in get(server.url("/"))[1]

        # 5. Remove one: its page is gone (404) from the server and from the disk.
        (content / "news/b.md").unlink()
        version = server.wait_version(version)["version"]
        assert get(server.url("/news/b/"))[0] == 404
        assert not (site / ".preview/news/b").exists()
        assert "第二篇" not in get(server.url("/news/"))[1]

        # 6. Rename one: the old address is 404, the new one serves the article.
        (content / "work/d.md").rename(content / "news/d-renamed.md")
        version = server.wait_version(version)["version"]
        assert get(server.url("/work/d/"))[0] == 404
        code, page, _ = get(server.url("/news/d-renamed/"))
        assert code == 200 and "监督工作" in page

        # 7. A layout change re-renders every page.
        start = server.line_count()
        base = site / "layouts/base.html"
        base.write_text(base.read_text(encoding="utf-8").replace("</footer>", "<!-- layout-mark-7 --></footer>"),
                        encoding="utf-8")
        version = server.wait_version(version)["version"]
        _, rebuilt = server.wait_line(REBUILT, start)
        assert int(rebuilt.group(1)) == page_count(site), rebuilt.group(0)
        pages = html_pages(site / ".preview")
        without = [name for name, text in pages.items()
                   if "layout-mark-7" not in text and not name.endswith("print/index.html")]
        assert without == [], "pages not re-rendered after a change to base.html"
        assert "layout-mark-7" in get(server.url("/news/c/"))[1]

        # 8. A site.yaml change re-renders every page too.
        start = server.line_count()
        (site / "site.yaml").write_text(SITE_YAML.replace("测试人大常委会", "改名人大常委会"), encoding="utf-8")
        version = server.wait_version(version)["version"]
        _, rebuilt = server.wait_line(REBUILT, start)
        pages = html_pages(site / ".preview")
        stale = [name for name, text in pages.items() if "测试人大常委会" in text or "改名人大常委会" not in text]
        assert stale == [], "pages still showing the old site title"
        assert int(rebuilt.group(1)) == page_count(site), rebuilt.group(0)
        assert "改名人大常委会" in get(server.url("/"))[1]

        # 9. An asset edit is served as it is.
        css = site / "assets/css/site.css"
        css.write_text(css.read_text(encoding="utf-8") + "\n/* asset-mark-9 */\n", encoding="utf-8")
        version = server.wait_version(version)["version"]
        assert get(server.url("/css/site.css"))[1].endswith("/* asset-mark-9 */\n")
        port = server.port
    assert server.proc.returncode == 0, server.output()
    assert "Traceback" not in server.output(), server.output()

    # The preview's output/ is exactly a clean build of the same files for the same address, with no
    # trace of the preview in it.
    clean = tmp_path / "clean"
    result = run_cli("build", "--no-search", "--site", str(site), "--output", str(clean),
                     "--base-url", f"http://127.0.0.1:{port}/")
    assert result.returncode == 0, result.stderr
    expected = tree_bytes(clean)
    actual = preview_files(site / ".preview")
    assert sorted(actual) == sorted(expected), (sorted(set(actual) ^ set(expected)))
    different = [name for name in expected if actual[name] != expected[name]]
    assert different == []
    assert no_preview_on_disk(site / ".preview") == []


def test_a_problem_at_start_is_reported_and_fixing_it_serves_the_site(make_site):
    files = site_files()
    files["content/news/a.md"] = "---\ntitle: 没有日期\n---\n\n正文。\n"
    site = make_site(files, site_yaml=None)
    with serving(site) as server:
        status = server.wait_problems()
        assert status["version"] == 0
        assert all(line.startswith("content/news/a.md:") for line in status["problems"]), status
        assert status["problems"] == ["content/news/a.md:1:1: 缺少必填的文章信息项“date”；请加一行，例如“date: 2019-11-08 11:25:53”"]
        code, body, _ = get(server.url("/news/a/"))
        assert code == 404 and PREVIEW_TAG.search(body), "the overlay needs the script even with no site yet"
        # not 'the page does not exist': the page is not built yet, and why comes first
        assert "<h1>这个页面还没有生成：网站没有更新</h1>" in body and "您访问的页面不存在" not in body, body
        assert "<li>content/news/a.md:1:1: 缺少必填的文章信息项“date”" in body, body
        write(site / "content/news/a.md", article("补上日期", "2020-01-02"))
        server.wait_version(0)
        code, body, _ = get(server.url("/news/a/"))
        assert code == 200 and "补上日期" in body


def test_new_article_made_while_serving_is_previewed(make_site):
    """`build.py new` dates the article 'now'; a preview started earlier must still show it."""
    site = make_site(site_files(), site_yaml=None)
    with serving(site) as server:
        version = server.status()["version"]
        time.sleep(1.5)  # the new article's date (to the second) is now later than the moment serve started
        made = run_cli("new", "news", "--title", "预览中新建的文章", "--slug", "fresh", "--site", str(site), cwd=site)
        assert made.returncode == 0, made.stderr
        # Its placeholder body is a problem until she writes hers (issue 21): the preview says so, then shows it.
        assert server.wait_problems()["problems"] == [
            "content/news/fresh.md:10:1: 正文里还是新建文章时的占位文字“正文从这里开始。”：请换成文章的正文"]
        fresh = site / "content/news/fresh.md"
        fresh.write_text(fresh.read_text(encoding="utf-8").replace("正文从这里开始。", "预览中写的正文。"), encoding="utf-8")
        version = server.wait_version(version)["version"]
        code, body, _ = get(server.url("/news/fresh/"))
        assert code == 200 and "预览中新建的文章" in body, (
            "an article dated after serve started is left out as 'future'; serve output:\n" + server.output())


def test_unreadable_source_does_not_stop_the_preview(make_site):
    """A file that vanishes between listing and reading (here: a dangling symlink) is a problem, not a crash."""
    site = make_site(site_files(), site_yaml=None)
    with serving(site) as server:
        version = server.status()["version"]
        (site / "content/news/gone.md").symlink_to(site / "content/news/no-such-file.md")
        time.sleep(1)
        assert server.proc.poll() is None, "serve died:\n" + server.output()
        status = server.wait_problems()
        assert status["problems"] == [
            "content/news/gone.md:1:1: 无法读取这个文件（找不到它：它被移走或删除了，或者是指向已不存在文件的链接）：请检查它是否存在、能否打开"], status
        (site / "content/news/gone.md").unlink()
        server.wait_version(version)


def test_editor_backup_files_do_not_break_the_preview(make_site):
    """The watcher ignores editors' backup and auto-save files (a.md~, #a.md#); the rebuild must too."""
    site = make_site(site_files(), site_yaml=None)
    with serving(site) as server:
        version = server.status()["version"]
        news = site / "content/news"
        (news / "a.md~").write_text((news / "a.md").read_text(encoding="utf-8"), encoding="utf-8")  # Emacs, gedit
        write(news / "a.md", article("编辑器保存后的标题", "2020-01-02 03:04:05"))
        assert server.wait_settled(version)["problems"] == []
        assert "编辑器保存后的标题" in get(server.url("/news/a/"))[1]


def test_many_folders_beside_content_do_not_blind_the_watcher(make_site):
    """serve must watch content/, layouts/, assets/ and site.yaml, not every folder of the site.

    12,000 folders stand in for output/ of a 10,000-article archive (~20,000 folders, which serve watches
    as well), or a .git/ or node_modules/ beside content/. Watching them all overflows the kernel's inotify
    queue and the edit below is lost.
    """
    site = make_site(site_files(), site_yaml=None)
    for number in range(12_000):
        os.makedirs(site / "old-output" / f"{number // 100}" / str(number))
    with serving(site) as server:
        version = server.status()["version"]
        write(site / "content/news/a.md", article("大站点里的修改", "2020-01-02 03:04:05"))
        server.wait_version(version)
        assert "大站点里的修改" in get(server.url("/news/a/"))[1]
        assert "overflow" not in server.output()


def test_host_and_port_are_honoured_and_loopback_is_the_default(make_site):
    site = make_site(site_files(), site_yaml=None)
    port = free_port()
    with serving(site, port=port) as server:
        server.wait_line(rf"^预览地址 http://127\.0\.0\.1:{port}/（搜索索引会稍后跟上修改；按 Ctrl\+C 停止）$")
        assert get(f"http://127.0.0.1:{port}/")[0] == 200
        with pytest.raises(urllib.error.URLError) as refused:  # not listening on other addresses
            OPENER.open(f"http://127.0.0.2:{port}/", timeout=5)
        assert isinstance(refused.value.reason, ConnectionRefusedError)
        assert f'<link rel="canonical" href="http://127.0.0.1:{port}/news/a/">' in get(server.url("/news/a/"))[1]

    port = free_port("127.0.0.2")
    with serving(site, port=port, host="127.0.0.2") as server:
        server.wait_line(rf"^预览地址 http://127\.0\.0\.2:{port}/（")
        code, page, _ = get(f"http://127.0.0.2:{port}/news/a/")
        assert code == 200 and f'href="http://127.0.0.2:{port}/news/a/"' in page
        with pytest.raises(urllib.error.URLError):
            OPENER.open(f"http://127.0.0.1:{port}/", timeout=5)

    with serving(site, "--lang", "en", port=0, started=r"^Serving http://") as server:  # 0: a free port, announced
        _, match = server.wait_line(r"^Serving http://127\.0\.0\.1:(\d+)/ \(the search index follows edits a moment "
                                    r"later; Ctrl\+C to stop\)$")
        server.wait_line(r"^rebuilt: \d+ pages rendered, \d+ bytes written in \d+\.\d\d s$")
        assert int(match.group(1)) != 0
        assert get(f"http://127.0.0.1:{match.group(1)}/")[0] == 200


def test_a_port_in_use_is_a_clear_error(make_site):
    site = make_site(site_files(), site_yaml=None)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--site", str(site), "--port", str(port), cwd=site, timeout=60)
    assert result.returncode == 1
    assert result.stderr == (f"build.py：错误：无法在 127.0.0.1:{port} 上提供预览：{os.strerror(errno.EADDRINUSE)}；"
                             "请换一个 --port\n")
    assert not (site / ".preview").exists()


def test_the_preview_never_touches_the_published_output(make_site):
    """serve builds into .preview/ with its own base URL; output/ stays exactly what 'build' made."""
    site = make_site(site_files(), site_yaml=None)
    assert run_cli("build", "--no-search", "--site", str(site)).returncode == 0
    before = tree_bytes(site / "output")
    with serving(site) as server:
        version = server.status()["version"]
        write(site / "content/news/a.md", article("预览中的修改", "2020-01-02 03:04:05", "正文。", tags="[代表]"))
        server.wait_version(version)
        assert "预览中的修改" in get(server.url("/news/a/"))[1]
        assert "预览中的修改" in (site / ".preview" / "news" / "a" / "index.html").read_text(encoding="utf-8")
    assert tree_bytes(site / "output") == before


def test_a_request_during_a_rebuild_is_answered_when_it_ends(tmp_path, monkeypatch):
    """The preview server holds requests while a rebuild runs (they would see half-updated pages, and their
    threads would slow the rebuild), then answers them; a rebuild that never ends does not hold them forever."""
    from sitegen import serve
    (tmp_path / "index.html").write_text("<html><body>新</body></html>", encoding="utf-8")
    state = serve.PreviewState()
    server = serve.PreviewServer(("127.0.0.1", 0), serve.make_handler(tmp_path, state))
    server.state = state
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        assert get(url)[0] == 200
        state.idle.clear()  # a rebuild begins
        answered: list = []
        threading.Thread(target=lambda: answered.append(get(url)), daemon=True).start()
        time.sleep(0.5)
        assert answered == []
        state.idle.set()  # it ends
        deadline = time.monotonic() + 10
        while not answered and time.monotonic() < deadline:
            time.sleep(0.01)
        assert answered and answered[0][0] == 200 and "新" in answered[0][1]
        monkeypatch.setattr(serve, "REBUILD_WAIT", 0.2)
        state.idle.clear()  # a rebuild that hangs
        started = time.monotonic()
        assert get(url)[0] == 200 and time.monotonic() - started >= 0.2
    finally:
        server.shutdown()
        server.server_close()


def test_the_watcher_waits_longer_after_a_write_than_after_a_file_is_closed(tmp_path, monkeypatch):
    """A modification may be the first of several writes: the rebuild waits for DEBOUNCE of quiet. A file
    closed after writing (or renamed into place) is complete: the rebuild waits only SETTLE."""
    import types

    from watchdog.events import FileClosedEvent, FileModifiedEvent, FileMovedEvent

    from sitegen import serve
    clock = [100.0]
    monkeypatch.setattr(serve, "time", types.SimpleNamespace(monotonic=lambda: clock[0], sleep=time.sleep))
    (tmp_path / "content").mkdir()
    watcher = serve.ChangeWatcher(tmp_path, tmp_path / ".preview")
    path = str(tmp_path / "content" / "a.md")
    for event, wait in [(FileModifiedEvent(path), serve.DEBOUNCE), (FileClosedEvent(path), serve.SETTLE),
                        (FileMovedEvent(path + ".tmp", path), serve.SETTLE)]:
        watcher.on_any_event(event)
        assert watcher.changed.is_set() and not watcher.quiet()
        clock[0] += serve.SETTLE * 1.5
        assert watcher.quiet() == (wait == serve.SETTLE)
        clock[0] += serve.DEBOUNCE
        assert watcher.quiet()
        watcher.changed.clear()
    watcher.on_any_event(FileModifiedEvent(str(tmp_path / ".preview" / "x.html")))  # never its own output
    assert not watcher.changed.is_set()


def test_a_draft_or_scheduled_articles_address_says_why_it_shows_no_article(make_site):
    """Issue 21: in the preview, the address of a left-out article is a page saying why (草稿, or 定时发布 with
    its date) and naming its file, never a bare 'not found'; once published it is the article."""
    files = {**site_files(),
             "content/news/caogao.md": article("草稿文章", "2020-01-05", "草稿的正文。", draft="true"),
             "content/news/dingshi.md": article("定时文章", "2099-01-02 09:30", "定时的正文。")}
    site = make_site(files, site_yaml=None)
    with serving(site) as server:
        version = server.status()["version"]
        code, body, _ = get(server.url("/news/caogao/"))
        assert code == 404 and PREVIEW_TAG.search(body)
        assert "<h1>草稿：这篇文章不在网站上</h1>" in body, body
        assert "请在编辑台里关掉“草稿”并保存" in body, body
        assert "<code>文件：content/news/caogao.md</code>" in body, body
        code, body, _ = get(server.url("/news/dingshi/"))
        assert code == 404 and PREVIEW_TAG.search(body)
        assert "<h1>定时发布：这篇文章将于 2099-01-02 09:30 发布</h1>" in body, body
        assert "<code>文件：content/news/dingshi.md</code>" in body, body
        assert get(server.url("/news/no-such-article/"))[0] == 404
        assert "草稿" not in get(server.url("/news/no-such-article/"))[1]

        write(site / "content/news/caogao.md", article("草稿文章", "2020-01-05", "草稿的正文。"))
        server.wait_version(version)
        code, body, _ = get(server.url("/news/caogao/"))
        assert code == 200 and "草稿的正文。" in body
