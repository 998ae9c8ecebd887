"""The guard of the one engine: an edit of any field the site is made of gives, after a warm build and after a
rebuild of the preview, exactly the output of a clean build.

The fields are read from the schemas themselves (every front-matter key of an article, a standalone page and a
section, every key of site.yaml, nested ones included), so a field added to a schema is edited here as soon as it
exists, and a page whose key does not cover what it reads of that field fails this test. Data files, layouts and
assets are edited too.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from helpers import REPO, tree_bytes, write_site
from sitegen.config import SCHEMA as SITE_SCHEMA
from sitegen.parse import ARTICLE_SCHEMA, PAGE_SCHEMA, SECTION_SCHEMA
from sitegen.pipeline import Builder, BuildOptions

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
SITE = {
    "title": "测试人大常委会", "base_url": "https://example.org/", "per_page": 2, "home_per_section": 2,
    "subtitle": "副标题", "description": "说明", "language": "zh-CN", "timezone": "Asia/Shanghai",
    "default_author": "办公室", "default_source": "本网", "footer": ["地址：测试县"], "allow_html": False,
    "site_code": "6103260001", "icp": "陕ICP备00000000号", "police_record": "陕公网安备 61032602000001号",
    "gov_mark": {"image": "/images/mark.png", "url": "https://example.org/mark"}, "host": "县人大办公室",
    "contact": {"address": "首善街道", "postcode": "722300", "phone": "0917-5541234", "email": "a@example.org"},
}
ARTICLE = {"title": "县人大常委会召开会议", "date": "2024-05-03 09:30", "subtitle": "——副标题", "author": "张三",
           "source": "本网", "tags": ["人大代表", "监督"], "summary": "摘要", "slug": "huiyi", "draft": False,
           "pinned": False, "aliases": ["/old/1.htm"]}
PAGE = {"title": "机构设置", "layout": "page", "slug": "jigou", "description": "内设机构", "menu": "main",
        "weight": 1, "date": "2024-01-01", "search": True, "sitemap": True, "draft": False}
SECTION = {"title": "要闻", "weight": 1, "description": "县人大要闻", "aliases": ["/list.asp?classid=1"]}
DATA_LAYOUT = """{% extends "page.html" %}
{% block after_body %}<ul>{% for row in data.people %}<li>{{ row.name }}：{{ row.role }}</li>{% endfor %}</ul>
<p>{{ data.settings.motto }}</p>{% endblock %}
"""


def front_matter(values: dict) -> str:
    return "---\n" + yaml.safe_dump(values, allow_unicode=True, sort_keys=False) + "---\n"


def initial_site(root: Path) -> Path:
    files = {
        "content/news/_index.md": front_matter(SECTION) + "要闻栏目。\n",
        "content/news/huiyi.md": front_matter(ARTICLE) + "正文，见[机构设置](/jigou/)。\n",
        "content/news/other.md": front_matter({"title": "另一篇", "date": "2023-02-01", "tags": ["监督"]}) + "正文。\n",
        "content/jigou.md": front_matter(PAGE) + "## 办公室\n\n负责会务。\n",
        "content/people.md": front_matter({"title": "名录", "layout": "people", "menu": "footer"}) + "名单。\n",
        "data/people.csv": "name,role\n张三,主任\n李四,副主任\n",
        "data/settings.yaml": "motto: 为人民履职\n",
        "layouts/people.html": DATA_LAYOUT,
        "layouts/page-wide.html": (REPO / "layouts" / "page.html").read_text(encoding="utf-8"),
        "assets/images/mark.png": (REPO / "tests" / "golden" / "site" / "assets" / "images" /
                                   "dangzheng-jiguan.png").read_bytes(),
    }
    return write_site(root, files, site_yaml=yaml.safe_dump(SITE, allow_unicode=True, sort_keys=False))


def changed(value, key: str):
    """Another valid value of a field, of the same kind."""
    other = {"layout": "page-wide", "menu": "footer", "timezone": "Asia/Urumqi", "language": "zh-Hans",
             "base_url": "https://example.org/sub/", "slug": "huiyi-2", "gov_mark": {"image": "/images/mark.png"},
             "date": "2024-05-04 10:00" if key == "date" else None}
    if other.get(key) is not None:
        return other[key]
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, list):
        return [*value, "新增"] if key != "aliases" else [*value, "/old/2.htm"]
    if isinstance(value, dict):
        first = next(iter(value))
        return {**value, first: value[first] + "改" if first != "email" else "b@example.org"}
    return value + "改"


def edits() -> list[tuple[str, str]]:
    """(what, which) for every field of every schema, and the other files a site is made of."""
    found = [("site.yaml", key) for key in SITE_SCHEMA]
    found += [("content/news/huiyi.md", key) for key in ARTICLE_SCHEMA]
    found += [("content/jigou.md", key) for key in PAGE_SCHEMA]
    found += [("content/news/_index.md", key) for key in SECTION_SCHEMA]
    return found + [("data/people.csv", "row"), ("data/settings.yaml", "motto"), ("layouts/people.html", "text"),
                    ("assets/images/mark.png", "bytes")]


def apply(site: Path, what: str, which: str) -> None:
    path = site / what
    if what.endswith((".md", ".yaml")) and which in {**SITE_SCHEMA, **ARTICLE_SCHEMA, **PAGE_SCHEMA,
                                                      **SECTION_SCHEMA}:
        text = path.read_text(encoding="utf-8")
        head, _, body = text.partition("\n---\n") if what.endswith(".md") else (text, "", "")
        values = yaml.safe_load(head.removeprefix("---\n"))
        values[which] = changed(values.get(which, ""), which)
        dumped = yaml.safe_dump(values, allow_unicode=True, sort_keys=False)
        path.write_text("---\n" + dumped + "---\n" + body if what.endswith(".md") else dumped, encoding="utf-8")
    elif what.endswith(".csv"):
        path.write_text(path.read_text(encoding="utf-8") + "王五,委员\n", encoding="utf-8")
    elif what.endswith(".yaml"):
        path.write_text("motto: 依法履职\n", encoding="utf-8")
    elif what.endswith(".html"):
        path.write_text(path.read_text(encoding="utf-8").replace("<ul>", "<ul class=\"people\">"), encoding="utf-8")
    else:
        path.write_bytes(path.read_bytes() + b"\0")


def test_every_field_s_edit_builds_what_a_clean_build_builds(tmp_path):
    site = initial_site(tmp_path / "site")
    options = BuildOptions(search=False, jobs=1, now=NOW)
    preview = Builder(site / "site.yaml", BuildOptions(search=False, jobs=1, now=NOW, preview=True,
                                                       output_dir=tmp_path / "preview"))
    preview.build()
    Builder(site / "site.yaml", options).build()  # the warm builds' cache and output/
    done = []
    for what, which in edits():
        apply(site, what, which)
        done.append(f"{what}: {which}")
        clean = tmp_path / "clean"
        Builder(site / "site.yaml", BuildOptions(search=False, jobs=1, now=NOW, use_cache=False,
                                                 output_dir=clean)).build()
        expected = tree_bytes(clean)
        Builder(site / "site.yaml", options).build()  # a new process's build: the persistent cache only
        preview.build()  # serve's rebuild: the same builder again
        for name, folder in (("warm build", site / "output"), ("preview", tmp_path / "preview")):
            actual = tree_bytes(folder)
            assert sorted(actual) == sorted(expected), (name, done[-1])
            stale = [rel for rel in expected if actual[rel] != expected[rel]]
            assert not stale, (name, done[-1], stale[:5])
        shutil.rmtree(clean)
    assert len(done) >= len(SITE_SCHEMA) + len(ARTICLE_SCHEMA) + len(PAGE_SCHEMA) + len(SECTION_SCHEMA)


@pytest.mark.parametrize("schema", [SITE_SCHEMA, ARTICLE_SCHEMA, PAGE_SCHEMA, SECTION_SCHEMA])
def test_the_sample_values_fill_every_field_of_each_schema(schema):
    """So a new field gets a value to edit: add it to the sample above when this fails."""
    sample = {id(SITE_SCHEMA): SITE, id(ARTICLE_SCHEMA): ARTICLE, id(PAGE_SCHEMA): PAGE,
              id(SECTION_SCHEMA): SECTION}[id(schema)]
    assert set(sample) == set(schema)
