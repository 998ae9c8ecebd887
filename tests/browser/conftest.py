"""Real-browser fixtures: the sample site built with its search index, served over HTTP, driven by Chromium.

One Chromium per session, a fresh context (so fresh localStorage and history) per test. Without
/usr/bin/chromium (or Playwright) the browser tests skip, except when CI=true: then they fail.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]
SEED_URL = "/daibiao-gongzuo/lvzhi-dongtai/liangge-jiguan/"
SEED_TITLE = "聚焦“两个机关”建设 开启人大工作新征程"
SEARCH_TIMEOUT_MS = 15_000


def unavailable(reason: str):
    """Skip for a developer without the browser; fail on CI, where the browser tests must run."""
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"{reason} -- CI=true, so the browser tests fail instead of skipping", pytrace=False)
    pytest.skip(reason)


# ---------------------------------------------------------------- the sample content, read independently

@dataclass(frozen=True)
class Article:
    url: str            # path under the site root, e.g. /renda-yaowen/2021-dangshi-xuexi/
    title: str
    subtitle: str
    date: str           # as shown: 2019-11-08 11:25
    sections: tuple[str, ...]  # section titles from the top down, e.g. ("监督工作", "执法检查")
    body: str           # the Markdown body
    author: str = ""
    source: str = ""
    page: bool = False  # a standalone page (layout:): listed after every article, dated YYYY-MM-DD or not at all

    @property
    def year(self) -> str:
        return self.date[:4]

    @property
    def text(self) -> str:
        """What a search must find: the title and the body."""
        return self.title + "\n" + self.body

    @property
    def shown_text(self) -> str:
        """Everything the article page shows of it, which a search may also match: subtitle, author, source too."""
        return "\n".join([self.title, self.subtitle, self.author, self.source, self.body])

    def paragraphs(self) -> list[str]:
        return [block.strip() for block in self.body.split("\n\n")
                if block.strip() and not block.lstrip().startswith(("#", "|", ">", "-", "*"))]


def _front_matter(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n?(.*)", text, re.S)
    assert match, f"{path} has no front matter"
    return yaml.safe_load(match.group(1)) or {}, match.group(2)


def _shown_date(value) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value).strip()[:16]


def read_sample_articles(content: Path = REPO / "content") -> list[Article]:
    """Every published article of the sample site, with its URL, shown date and section titles."""
    default_source = str(yaml.safe_load((content.parent / "site.yaml").read_text(encoding="utf-8"))
                         .get("default_source") or "")
    articles = []
    for path in sorted(content.rglob("*.md")):
        if path.name == "_index.md":
            continue
        meta, body = _front_matter(path)
        if meta.get("draft") or "layout" in meta:  # a page of its own is not an article
            continue
        rel = path.relative_to(content)
        sections = tuple(_front_matter(content.joinpath(*rel.parts[:depth]) / "_index.md")[0]["title"]
                         for depth in range(1, len(rel.parts)))
        slug = meta.get("slug") or path.stem
        url = "/" + "/".join([*rel.parts[:-1], slug]) + "/"
        articles.append(Article(url=url, title=str(meta["title"]), subtitle=str(meta.get("subtitle") or ""),
                                date=_shown_date(meta["date"]), sections=sections, body=body,
                                author=str(meta.get("author") or ""),
                                source=str(meta.get("source") or default_source)))
    return articles


def read_sample_pages(content: Path = REPO / "content") -> list[Article]:
    """The sample site's standalone pages in the search (all but drafts and `search: false`), as articles with
    no subtitle, author or source, their date as the search page shows it (YYYY-MM-DD, or '' without one)."""
    pages = []
    for path in sorted(content.rglob("*.md")):
        meta, body = _front_matter(path)
        if "layout" not in meta or meta.get("draft") or meta.get("search") is False:
            continue
        rel = path.relative_to(content)
        sections = tuple(_front_matter(content.joinpath(*rel.parts[:depth]) / "_index.md")[0]["title"]
                         for depth in range(1, len(rel.parts)))
        url = "/" + "/".join([*rel.parts[:-1], meta.get("slug") or path.stem]) + "/"
        date = meta.get("date")
        pages.append(Article(url=url, title=str(meta["title"]), subtitle="", sections=sections, body=body,
                             date=_shown_date(date)[:10] if date else "", page=True))
    return pages


@pytest.fixture(scope="session")
def articles() -> dict[str, Article]:
    """The sample site's articles by URL path."""
    found = {a.url: a for a in read_sample_articles()}
    assert SEED_URL in found, "the seed article is missing from content/"
    return found


@pytest.fixture(scope="session")
def searched(articles) -> dict[str, Article]:
    """What the search looks through, by URL path: the articles and the standalone pages in the search."""
    pages = {page.url: page for page in read_sample_pages()}
    assert pages, "the sample site should have standalone pages in the search"
    return {**articles, **pages}


# ---------------------------------------------------------------- building and serving

def build_sample_site(output: Path, base_url: str | None = None) -> Path:
    """Build the repo's own site (site.yaml, content/, layouts/, assets/) with its search index."""
    command = [sys.executable, str(REPO / "build.py"), "build", "--site", str(REPO), "--output", str(output)]
    if base_url:
        command += ["--base-url", base_url]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    assert (output / "search-index" / "manifest.json").is_file(), "the build wrote no search index"
    return output


def build_sample_variant(site_dir: Path, files: dict[str, str]) -> Path:
    """The repo's own site copied to `site_dir` with `files` (path under the site -> text) added, built with its
    search index; its output folder."""
    site_dir.mkdir(parents=True)
    for name in ("site.yaml", "content", "layouts", "assets", "data"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, site_dir / name)
        elif source.exists():
            shutil.copy(source, site_dir / name)
    for rel, text in files.items():
        (site_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        (site_dir / rel).write_text(text, encoding="utf-8")
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--site", str(site_dir)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return site_dir / "output"


class QuietHandler(SimpleHTTPRequestHandler):
    """Static files, no log lines; a missing file gets the site's 404.html with status 404, as on GitHub Pages."""

    not_found_page: Path | None = None

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def send_error(self, code, message=None, explain=None):
        page = self.not_found_page
        if code == 404 and page is not None and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)


class Server:
    """A ThreadingHTTPServer on 127.0.0.1 (port chosen by the system) serving `root`, run in a thread."""

    def __init__(self, root: Path, not_found_page: Path | None = None):
        root.mkdir(parents=True, exist_ok=True)
        handler = type("Handler", (QuietHandler,), {"not_found_page": not_found_page})

        def make_handler(*args, **kwargs):
            return handler(*args, directory=str(root), **kwargs)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler)
        self.port = self.httpd.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name=f"http-{self.port}", daemon=True)

    def start(self) -> "Server":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@dataclass(frozen=True)
class Site:
    output: Path   # the built site
    origin: str    # http://127.0.0.1:PORT
    base: str      # the site's root URL, ending in '/': origin + '/' or origin + '/repo/'

    def url(self, path: str = "/") -> str:
        return self.base + path.lstrip("/")


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Site:
    """The sample site with its search index, served at http://127.0.0.1:PORT/."""
    output = build_sample_site(tmp_path_factory.mktemp("browser-site") / "site")
    server = Server(output, not_found_page=output / "404.html").start()
    yield Site(output, server.origin, server.origin + "/")
    server.stop()


@pytest.fixture(scope="session")
def repo_site(tmp_path_factory) -> Site:
    """The sample site built for, and served under, http://127.0.0.1:PORT/repo/ (like a GitHub project page)."""
    root = tmp_path_factory.mktemp("browser-subpath")
    server = Server(root, not_found_page=root / "repo" / "404.html")  # port is known before the build
    output = build_sample_site(root / "repo", base_url=f"{server.origin}/repo/")
    server.start()
    yield Site(output, server.origin, server.origin + "/repo/")
    server.stop()


# ---------------------------------------------------------------- the browser

@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} not found: install Debian's chromium package (see .ci/run)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as err:
        unavailable(f"Playwright is not installed ({err}): run 'make test' to install requirements-dev.txt")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser):
    """A fresh browser context per test: no shared history, cookies or localStorage."""
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(SEARCH_TIMEOUT_MS)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    return context.new_page()


# ---------------------------------------------------------------- search page helpers

class SearchUI:
    """Drives the search page of one site in one page. Test modules get it from the `search_ui` fixture."""

    SETTLED = """() => {
      const status = document.getElementById('search-status').textContent.trim();
      if (!status || status.startsWith('正在')) return false;
      if (!/^找到/.test(status)) return true;
      return document.querySelectorAll('#search-results li').length > 0;
    }"""

    def open(self, page, site: Site, query: str = "", **params: str) -> str:
        """Arrive at the search page with ?q=...&section=...; wait for the search it runs; return the status."""
        from urllib.parse import urlencode
        fields = {"q": query, **params} if query else params
        page.goto(site.url("search/") + ("?" + urlencode(fields) if fields else ""))
        return self.wait(page)

    def wait(self, page) -> str:
        """Wait until a search has finished (results drawn, or a message shown); return the status line."""
        page.wait_for_function(self.SETTLED, timeout=SEARCH_TIMEOUT_MS)
        return page.inner_text("#search-status").strip()

    def forget_status(self, page) -> None:
        """Blank the status line, so that `wait` waits for the search the next action starts."""
        page.evaluate("document.getElementById('search-status').textContent = ''")

    def show_all(self, page) -> None:
        """Press 显示更多结果 until every result is listed."""
        more = page.locator("#search-more")
        for _ in range(100):
            if not more.is_visible():
                return
            before = page.locator("#search-results > li").count()
            more.click()
            page.wait_for_function(f"document.querySelectorAll('#search-results > li').length > {before}",
                                   timeout=SEARCH_TIMEOUT_MS)
        raise AssertionError("显示更多结果 never ran out")

    def items(self, page) -> list[dict]:
        """The listed results: link text, href as written and resolved, the meta line and the excerpt's HTML."""
        return page.evaluate("""() => [...document.querySelectorAll('#search-results > li:not(.search-tag)')].map(li => {
          const link = li.querySelector('a');
          const meta = li.querySelector('.result-meta');
          const excerpt = li.querySelector('.result-excerpt');
          return {
            title: link ? link.textContent.trim() : '',
            href: link ? link.getAttribute('href') : '',
            resolved: link ? link.href : '',
            meta: meta ? meta.textContent.trim() : '',
            excerpt: excerpt ? excerpt.innerHTML : '',
          };
        })""")

    @staticmethod
    def count(status: str) -> int:
        match = re.match(r"找到\s*(\d+)\s*篇", status)
        assert match, f"the status line is not a result count: {status!r}"
        return int(match.group(1))

    @staticmethod
    def date_of(meta: str) -> str:
        """'2019-11-08 11:25　履职动态' -> '2019-11-08 11:25'."""
        match = re.match(r"(\d{4}-\d{2}-\d{2} \d{2}:\d{2})", meta)
        assert match, f"result meta line has no date: {meta!r}"
        return match.group(1)


@pytest.fixture(scope="session")
def search_ui() -> SearchUI:
    return SearchUI()


@pytest.fixture(scope="session")
def seed(articles) -> Article:
    """The seed article, 聚焦“两个机关”建设 开启人大工作新征程."""
    article = articles[SEED_URL]
    assert article.title == SEED_TITLE
    return article
