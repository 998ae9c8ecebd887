"""Every URL of the site, one function per URL family: site-relative ('a/b/'), files ('a/b/index.html'), links."""

from __future__ import annotations

import hashlib

# Site-relative URLs have no leading '/' and no base path: '' is the home page, 'a/b/' a folder page.


def home() -> str:
    return ""


def section(key: str) -> str:
    return f"{key}/" if key else ""


def article(section_key: str, slug: str) -> str:
    return f"{section(section_key)}{slug}/"


def print_view(section_key: str, slug: str) -> str:
    return f"{article(section_key, slug)}print/"


def tag_id(tag: str) -> str:
    """A stable ASCII id for a (Chinese) tag: the same tag text always gives the same URL."""
    return hashlib.sha1(tag.encode("utf-8")).hexdigest()[:10]


def tags() -> str:
    return "tags/"


def tag(name: str) -> str:
    return f"tags/{tag_id(name)}/"


def archive() -> str:
    return "archive/"


def year(year_text: str) -> str:
    return f"archive/{year_text}/"


def month(month_key: str) -> str:
    """'2019/11' -> 'archive/2019/11/'."""
    return f"archive/{month_key}/"


def feed(top_section: str = "") -> str:
    return f"{section(top_section)}feed.xml"


def search() -> str:
    return "search/"


def site_map() -> str:
    """The HTML 网站地图 (sitemap.xml is for search engines)."""
    return "wangzhan-ditu/"


def list_page(first: str, number: int) -> str:
    """Page `number` of a paginated list whose first page is `first` ('a/' -> 'a/page/2/')."""
    return first if number == 1 else f"{first}page/{number}/"


def alias(old: str) -> str:
    """An old address as a site-relative URL: '/content/1.htm' -> 'content/1.htm'."""
    return old.lstrip("/")


def out_file(url: str) -> str:
    """The file under output/ that serves a site-relative URL: 'a/b/' -> 'a/b/index.html'."""
    return url + "index.html" if url.endswith("/") or not url else url


def url_of(out: str) -> str:
    """The inverse of out_file: 'a/b/index.html' -> 'a/b/'."""
    return out[: -len("index.html")] if out == "index.html" or out.endswith("/index.html") else out


def href(base_path: str, url: str) -> str:
    """A root-relative link under the site's base path: ('/repo/', 'a/b/') -> '/repo/a/b/'."""
    return base_path + url


def absolute(base_url: str, url: str) -> str:
    return base_url + url
