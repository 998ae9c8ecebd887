"""Live preview in a real browser: `build.py serve` in a subprocess, Chromium open on a page, real file edits.

The fixtures are defined here. Playwright runs in a thread of its own: its sync API refuses to start while
another instance (the session-wide browser of the other browser tests) is active in the same thread.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from helpers import cli_environment

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]
RELOAD_MS = 10_000
SITE_YAML = """title: 测试人大常委会
base_url: https://example.org/
per_page: 3
footer: [地址：测试县]
"""


def unavailable(reason: str):
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"{reason} -- CI=true, so the browser tests fail instead of skipping", pytrace=False)
    pytest.skip(reason)


def article(title: str, body: str = "正文内容。") -> str:
    return f"---\ntitle: {title}\ndate: 2020-01-02 03:04:05\nauthor: 张三\n---\n\n{body}\n"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


class Serve:
    """`build.py serve` on 127.0.0.1 and a free port, its output collected; stopped with Ctrl+C (SIGINT)."""

    def __init__(self, site: Path):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        env = cli_environment({"PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"})
        self.proc = subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "serve", "--site", str(site), "--port", str(self.port)],
            cwd=site, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8")
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        deadline = time.monotonic() + 30
        while not any(line.startswith("预览地址 http://") for line in list(self.lines)):  # Serving http://
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError("serve did not start:\n" + self.output())
            time.sleep(0.05)
        self.origin = f"http://127.0.0.1:{self.port}"

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def output(self) -> str:
        return "\n".join(list(self.lines))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.reader.join(timeout=5)


@pytest.fixture
def chromium_ready():
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} not found: install Debian's chromium package (see .ci/run)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as err:
        unavailable(f"Playwright is not installed ({err}): run 'make test' to install requirements-dev.txt")


@pytest.fixture
def preview(tmp_path, chromium_ready):
    """A small site under `build.py serve`; yields (site folder, Serve)."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    shutil.copytree(REPO / "layouts", site / "layouts")
    shutil.copytree(REPO / "assets", site / "assets")
    write(site / "content/news/_index.md", "---\ntitle: 新闻\nweight: 1\n---\n")
    write(site / "content/news/a.md", article("原来的标题"))
    write(site / "content/news/b.md", article("另一篇"))
    server = Serve(site)
    try:
        yield site, server
    finally:
        server.stop()


def with_page(body) -> None:
    """Run body(page) in a thread of its own with its own Playwright and Chromium; re-raise what it raised."""
    outcome: dict = {}

    def run():
        try:
            from playwright.sync_api import sync_playwright
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
                try:
                    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
                    context.set_default_timeout(RELOAD_MS)
                    body(context.new_page())
                finally:
                    browser.close()
        except BaseException as err:  # noqa: BLE001 - handed to the test's thread
            outcome["error"] = err

    thread = threading.Thread(target=run, name="playwright-live-reload", daemon=True)
    thread.start()
    thread.join(timeout=180)
    assert not thread.is_alive(), "the browser session did not finish in 180 s"
    if "error" in outcome:
        raise outcome["error"]


def heading_is(page, text: str) -> None:
    page.wait_for_function("t => document.querySelector('h1') && document.querySelector('h1').textContent.trim() === t",
                           arg=text, timeout=RELOAD_MS)


def test_saved_edits_reload_the_page_and_problems_show_over_it(preview):
    site, server = preview
    path = site / "content/news/a.md"

    def body(page):
        response = page.goto(server.origin + "/news/a/")
        assert response.status == 200
        assert page.inner_text("h1").strip() == "原来的标题"
        page.evaluate("window.__notReloaded = true")

        # An edited title: the page reloads by itself and shows it.
        write(path, article("保存后的新标题"))
        heading_is(page, "保存后的新标题")
        assert page.evaluate("window.__notReloaded === undefined"), "the new title arrived without a reload?"
        assert page.title().startswith("保存后的新标题")

        # A broken front matter: the problem shows over the page, naming the file and line.
        page.evaluate("window.__notReloaded = true")
        write(path, "---\ntitle: 写坏的标题\nauther: 张三\ndate: 2020-01-02 03:04:05\n---\n\n正文内容。\n")
        overlay = page.locator("#preview-problems")
        overlay.wait_for(state="visible", timeout=RELOAD_MS)
        text = overlay.inner_text()
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert "网站没有更新：请修改下列问题后再保存" in lines, text
        assert ("content/news/a.md:3:1: 不认识的文章信息项“auther”（是不是“author”？）；可以用的项有：title（标题）、"
                "date（发布时间）、subtitle（副标题）、author（作者）、source（来源）、tags（标签）、summary（摘要）、"
                "slug（网址中的名称）、draft（草稿）、pinned（置顶）、aliases（旧地址）") in lines, text
        assert page.evaluate("window.__notReloaded === true"), "a failed rebuild must not reload the page"
        assert page.inner_text("h1").strip() == "保存后的新标题"  # the last good page is still underneath
        box = overlay.bounding_box()
        assert box and box["width"] >= 1000 and box["height"] >= 800, f"the overlay does not cover the page: {box}"

        # Fixed: the overlay goes away and the fixed title shows.
        write(path, article("修好后的标题"))
        overlay.wait_for(state="detached", timeout=RELOAD_MS)
        heading_is(page, "修好后的标题")
        assert page.locator("#preview-problems").count() == 0

    with_page(body)
    assert "Traceback" not in server.output(), server.output()


def test_a_page_open_on_a_missing_article_shows_it_once_written(preview):
    site, server = preview

    def body(page):
        response = page.goto(server.origin + "/news/later/")
        assert response.status == 404
        write(site / "content/news/later.md", article("后来写好的文章"))
        heading_is(page, "后来写好的文章")
        # And removing it again turns the open page back into the not-found page.
        (site / "content/news/later.md").unlink()
        page.wait_for_function("() => !document.body.textContent.includes('后来写好的文章')", timeout=RELOAD_MS)
        assert re.search(r"404|找不到|不存在", page.content())

    with_page(body)


def test_a_draft_and_a_scheduled_article_say_why_they_are_not_on_the_site(preview):
    """In the preview, the address of a draft or of an article dated later shows a Chinese page that says so
    (草稿, or 定时发布 with its date and time) and links to the article in the desk, never a plain 404; once the
    draft line goes, the page reloads into the article."""
    site, server = preview
    draft = site / "content/news/caogao.md"
    write(draft, "---\ntitle: 还在写的草稿\ndate: 2020-01-02 03:04:05\ndraft: true\n---\n\n草稿的正文。\n")
    write(site / "content/news/weilai.md", article("明年发布的通知").replace("2020-01-02 03:04:05", "2099-07-01 09:30"))

    def body(page):
        deadline = time.monotonic() + 30  # the rebuild that saw both files has said so
        while not any(line.startswith("未发布：content/news/weilai.md") for line in list(server.lines)):
            assert time.monotonic() < deadline, server.output()
            time.sleep(0.05)
        page.goto(server.origin + "/news/weilai/")
        assert page.inner_text("h1").strip() == "定时发布：这篇文章将于 2099-07-01 09:30 发布"
        text = page.inner_text("main")
        assert "文章《明年发布的通知》的日期是 2099-07-01 09:30，晚于现在" in text
        assert "文件：content/news/weilai.md" in text
        assert page.get_attribute("main a", "href") == "/admin/#/collections/news/entries/weilai"
        assert page.evaluate("document.documentElement.lang") == "zh-CN"

        page.goto(server.origin + "/news/caogao/")
        assert page.inner_text("h1").strip() == "草稿：这篇文章不在网站上"
        assert "文章《还在写的草稿》是草稿，所以没有发布到网站上。要发布，请在编辑台里关掉“草稿”并保存" in page.inner_text("main")
        page.goto(server.origin + "/news/caogao/print/")  # its print view too
        assert page.inner_text("h1").strip() == "草稿：这篇文章不在网站上"

        page.goto(server.origin + "/news/caogao/")
        write(draft, draft.read_text(encoding="utf-8").replace("draft: true\n", ""))
        heading_is(page, "还在写的草稿")  # published now: the page reloads into the article itself

    with_page(body)
    assert "Traceback" not in server.output(), server.output()
