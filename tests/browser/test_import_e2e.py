"""End to end: import the fixture mirror into a fresh site, build it, serve it on 127.0.0.1 (404.html for unknown
paths, as GitHub Pages does), follow every link, and open every old address in Chromium: all end on the new page.

It lives beside the browser tests to share their one Chromium; their Server class is loaded from conftest.py."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.request import urlopen

import lxml.html
import pytest
import yaml

from helpers import REPO, run_cli
from importkit import fresh_site, import_fixture

_spec = importlib.util.spec_from_file_location("browser_fixtures", REPO / "tests" / "browser" / "conftest.py")
browser_fixtures = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("browser_fixtures", browser_fixtures)  # its dataclasses look their module up
_spec.loader.exec_module(browser_fixtures)
Server = browser_fixtures.Server


def imported_articles(site: Path, sections: bool = False) -> list[dict]:
    """Every imported article (or section): its new URL path, title and old addresses, read from the files."""
    found = []
    for path in sorted((site / "content").rglob("*.md")):
        if (path.name == "_index.md") != sections:
            continue
        if sections:
            meta = yaml.safe_load(path.read_text(encoding="utf-8").strip("-\n"))
            rel = path.parent.relative_to(site / "content").as_posix()
            found.append({"url": f"/{rel}/", "title": str(meta["title"]), "aliases": meta.get("aliases") or []})
            continue
        meta = yaml.safe_load(re.match(r"---\n(.*?)\n---\n", path.read_text(encoding="utf-8"), re.S).group(1))
        rel = path.relative_to(site / "content").with_suffix("").as_posix()
        found.append({"url": f"/{rel}/", "title": str(meta["title"]), "aliases": meta.get("aliases") or []})
    return found


@pytest.fixture(scope="module", params=["/", "/repo/"], ids=["root", "sub-path"])
def served(request, tmp_path_factory):
    """The imported site built for, and served at, http://127.0.0.1:PORT/ or .../repo/."""
    root = tmp_path_factory.mktemp("import-e2e")
    site = fresh_site(root / "site")
    result = import_fixture(site)
    assert result.returncode == 0, result.stderr
    base = request.param
    www = root / "www"
    output = www / base.strip("/") if base != "/" else www
    server = Server(www, not_found_page=output / "404.html")
    build = run_cli("build", "--site", str(site), "--output", str(output), "--base-url", f"{server.origin}{base}")
    assert build.returncode == 0, build.stderr
    check = run_cli("check", "--site", str(site))
    assert check.returncode == 0, check.stderr
    server.start()
    yield {"site": site, "origin": server.origin, "base": base, "articles": imported_articles(site),
           "sections": imported_articles(site, sections=True)}
    server.stop()


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get_content_type()
    except HTTPError as err:
        return err.code, b"", ""


def test_every_link_and_picture_of_the_imported_site_resolves(served):
    origin, base = served["origin"], served["base"]
    start = origin + base
    queue, seen, broken = [start], {start}, []
    while queue:
        url = queue.pop()
        status, body, kind = fetch(url)
        if status != 200:
            broken.append(f"{status} {url}")
            continue
        if kind != "text/html":
            continue
        doc = lxml.html.document_fromstring(body)
        for element, attribute, link, _ in doc.iterlinks():
            if element.tag == "a" and attribute == "href" or element.tag in ("img", "link", "script"):
                target = urldefrag(urljoin(url, link))[0]
                parts = urlsplit(target)
                if target.startswith(origin) and parts.path.startswith(base) and "/search-index/" not in parts.path \
                        and target not in seen and "?" not in target:
                    seen.add(target)
                    queue.append(target)
    assert broken == []
    pages = {urlsplit(u).path for u in seen}
    for article in served["articles"]:
        assert base + article["url"].lstrip("/") in pages, f"{article['url']} is linked from nowhere"
    assert any("/legacy/uploads/files/jiyao.pdf" in p for p in pages)  # attachments were followed too


@pytest.mark.browser
def test_every_old_address_ends_on_its_new_page(served, browser):  # `browser`: tests/browser/conftest.py
    origin, base = served["origin"], served["base"]
    visits = []
    for article in served["articles"]:
        for alias in article["aliases"]:
            visits.append((alias, article))
    by_alias = dict(visits)
    assert {"/show.asp?id=77", "/content/2019-11/08/content_12345.htm", "/html/2019/1108/12345.shtml",
            "/jsp/article.jsp?articleId=555"} <= set(by_alias)
    # Old links come in other spellings too: another case, parameters in another order, a stray '&'.
    visits += [("/SHOW.ASP?ID=77", by_alias["/show.asp?id=77"]), ("/show.asp?id=78&", by_alias["/show.asp?id=78"]),
               ("/jsp/article.jsp?articleid=555", by_alias["/jsp/article.jsp?articleId=555"])]
    assert "/show.asp?id=80&page=2" in by_alias  # the second page of an article: to the whole article
    lists = [(alias, section) for section in served["sections"] for alias in section["aliases"]]
    assert {"/list.asp?classid=7", "/list.asp?classid=3&page=2", "/content/2019-11/index.htm"} <= {a for a, _ in lists}
    visits += lists  # old list pages: to the section they list
    context = browser.new_context()
    page = context.new_page()
    try:
        for alias, article in visits:
            expected = origin + base + article["url"].lstrip("/")
            page.goto(origin + base + alias.lstrip("/"))
            page.wait_for_url(expected, timeout=10_000)
            assert page.locator("h1").first.inner_text().strip() == article["title"], alias
        page.goto(origin + base + "show.asp?id=999999")  # an old address nobody knows stays on the 404 page
        page.wait_for_load_state("networkidle")
        assert "页面未找到" in page.locator("h1").inner_text()
    finally:
        context.close()
