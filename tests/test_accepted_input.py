"""Input editors really write must build: BOM and CRLF, every date form, loose tags, raw HTML, base paths,
and a generated 200-article corpus in the project's editor format."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import REPO, article, run_cli, write_site
from sitegen.markdown import make_markdown
from sitegen.pages import tag_id
from sitegen.parse import ParseOptions, parse_source
from sitegen.sources import SourceFile
from photos import tiny

NEWS_INDEX = "---\ntitle: 人大要闻\nweight: 1\n---\n"
TIME = re.compile(r'<time datetime="([^"]+)">([^<]+)</time>')
CORPUS = Path(__file__).resolve().parent / "gen_corpus.py"  # the tests' copy of ../shared's


def build(site: Path, *extra: str, env: dict | None = None):
    result = run_cli("build", "--no-search", "--site", str(site), *extra, env=env)
    assert result.returncode == 0, result.stderr
    return result


def page(site: Path, url: str) -> str:
    return (site / "output" / url / "index.html").read_text(encoding="utf-8")


def article_body(text: str) -> str:
    """The inside of the article body div."""
    start = text.index('<div class="article-body"')
    return text[start:text.index("</div>", start)]


# --- BOM and CRLF -----------------------------------------------------------------------------------

def test_utf8_bom_and_crlf_files_build_and_render_cleanly(make_site):
    bom = b"\xef\xbb\xbf"
    text = ("---\ntitle: 县人大常委会召开第十八次会议\ndate: 2019-11-08 11:25:53\nauthor: 张三\n"
            "tags: [会议, 监督]\n---\n\n会议听取了县政府的报告。\n\n## 会议议程\n\n1. 审议报告\n2. 表决决定\n")
    crlf = text.replace("\n", "\r\n").encode("utf-8")
    site = make_site({
        "content/news/_index.md": bom + NEWS_INDEX.replace("\n", "\r\n").encode("utf-8"),
        "content/news/huiyi.md": bom + crlf,
        "content/news/old-mac.md": article("老式换行", "2019-11-07").replace("\n", "\r").encode("utf-8"),
    }, site_yaml=None)
    (site / "site.yaml").write_bytes(bom + "title: 测试人大常委会\r\nbase_url: https://example.org/\r\n".encode())

    build(site)

    out = page(site, "news/huiyi")
    assert "<h1>县人大常委会召开第十八次会议</h1>" in out
    assert '<h2 id="会议议程">会议议程</h2>' in out
    assert "<li>审议报告</li>" in out
    assert "作者：张三" in out
    assert "2019-11-08 11:25" in out
    assert "<title>测试人大常委会</title>" in page(site, "")
    assert "人大要闻" in page(site, "news")
    assert "老式换行" in page(site, "news/old-mac")
    for path in (site / "output").rglob("*.html"):
        data = path.read_bytes()
        assert b"\r" not in data, path
        assert "\ufeff".encode() not in data, path


# --- dates ------------------------------------------------------------------------------------------

# (slug, date as written in the front matter, expected <time datetime>, expected displayed text)
DATE_FORMS = [
    ("quoted", "'2019-11-08 11:25:53'", "2019-11-08T11:25:53+08:00", "2019-11-08 11:25"),
    ("unquoted", "2019-11-08 11:25:53", "2019-11-08T11:25:53+08:00", "2019-11-08 11:25"),
    ("minutes", "2019-11-08 11:25", "2019-11-08T11:25:00+08:00", "2019-11-08 11:25"),
    ("day-only", "2019-11-08", "2019-11-08T00:00:00+08:00", "2019-11-08"),
    ("iso-offset", "2019-11-08T11:25:53+08:00", "2019-11-08T11:25:53+08:00", "2019-11-08 11:25"),
    ("iso-utc", "2019-11-08T03:25:53Z", "2019-11-08T11:25:53+08:00", "2019-11-08 11:25"),
    # forms editors write, accepted since issue 21
    ("chinese", "2019年11月8日 11:25", "2019-11-08T11:25:00+08:00", "2019-11-08 11:25"),
    ("slashes", "2019/11/8", "2019-11-08T00:00:00+08:00", "2019-11-08"),
    ("dots", "2019.11.8 11:25:53", "2019-11-08T11:25:53+08:00", "2019-11-08 11:25"),
]


@pytest.fixture(scope="module", params=["UTC", "America/New_York"])
def dated_site(request, tmp_path_factory):
    """One site with an article per date form, built with the TZ environment variable set to a far zone."""
    files = {"content/news/_index.md": NEWS_INDEX}
    for slug, date, _, _ in DATE_FORMS:
        files[f"content/news/{slug}.md"] = article(f"日期 {slug}", date)
    site = write_site(tmp_path_factory.mktemp("dates") / "site", files)
    build(site, env={"TZ": request.param})
    return site


@pytest.mark.parametrize("slug, written, iso, shown", DATE_FORMS, ids=[d[0] for d in DATE_FORMS])
def test_every_date_form_shows_shanghai_time(dated_site, slug, written, iso, shown):
    times = TIME.findall(page(dated_site, f"news/{slug}"))
    assert times == [(iso, shown)]
    print_times = TIME.findall(page(dated_site, f"news/{slug}/print"))
    assert print_times == [(iso, shown)]


def test_list_pages_show_the_shanghai_day(dated_site):
    """The Z form is 03:25 UTC, the same Shanghai day; the list shows the day for every form."""
    listing = page(dated_site, "news") + "".join(page(dated_site, f"news/page/{number}")
                                                 for number in range(2, 1 + len(DATE_FORMS))
                                                 if (dated_site / "output" / f"news/page/{number}").is_dir())
    days = [shown for _, shown in re.findall(r"<time()>([^<]+)</time>", listing)]
    assert sorted(days) == ["2019-11-08"] * len(DATE_FORMS)


# --- tags -------------------------------------------------------------------------------------------

def test_tags_as_a_single_string(make_site):
    text = article("单个标签", "2020-01-02", tags="会议")
    site = make_site({"content/news/_index.md": NEWS_INDEX, "content/news/one-tag.md": text})
    build(site)
    assert '<meta property="article:tag" content="会议">' in page(site, "news/one-tag")
    assert "单个标签" in page(site, f"tags/{tag_id('会议')}")
    parsed = parse_source(SourceFile("news/one-tag.md", "content/news/one-tag.md", text),
                          ParseOptions("Asia/Shanghai", "/", False), make_markdown(False))
    assert parsed.problems == ()
    assert parsed.article.tags == ("会议",)


# --- raw HTML ---------------------------------------------------------------------------------------

RAW_HTML_BODY = ('<div class="notice">请注意<script>alert("x")</script></div>\n\n'
                 '段落里有 <span style="color:red">红字</span>。\n')


@pytest.mark.parametrize("allowed", [False, True])
def test_raw_html_is_text_unless_allowed(make_site, allowed):
    site_yaml = "title: 测试\nbase_url: https://example.org/\n" + ("allow_html: true\n" if allowed else "")
    site = make_site({"content/news/_index.md": NEWS_INDEX,
                      "content/news/raw.md": article("原始 HTML", "2020-01-02", body=RAW_HTML_BODY)},
                     site_yaml=site_yaml)
    build(site)
    body = page(site, "news/raw")
    body = body[body.index('<div class="article-body"'):]
    if allowed:
        assert '<div class="notice">请注意<script>alert("x")</script></div>' in body
        assert '<span style="color:red">红字</span>' in body
    else:
        assert "<script>alert" not in body and "<span style" not in body and '<div class="notice">' not in body
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
        assert "&lt;span style=&quot;color:red&quot;&gt;红字&lt;/span&gt;" in body


# --- base path --------------------------------------------------------------------------------------

LINKS_BODY = """## Top

见[人大要闻](/news/)和[另一篇](/news/other/#top)。

![会场](/images/huichang.jpg)

[全国人大](https://www.npc.gov.cn/) [脚本](//cdn.example.org/a.js) [相对](../other/) [锚点](#top)
"""


def test_root_relative_links_get_the_base_path(make_site):
    site = make_site({"content/news/_index.md": NEWS_INDEX,
                      "content/news/links.md": article("链接", "2020-01-02", body=LINKS_BODY),
                      "content/news/other.md": article("另一篇", "2020-01-01", body="## Top\n\n内容"),
                      "assets/images/huichang.jpg": tiny("JPEG")})
    build(site, "--base-url", "https://example.github.io/repo/")
    out = page(site, "news/links")
    body = article_body(out)
    assert 'href="/repo/news/"' in body
    assert 'href="/repo/news/other/#top"' in body
    assert '<h2 id="top">Top</h2>' in body
    assert 'src="/repo/images/huichang.jpg"' in body
    assert 'href="https://www.npc.gov.cn/"' in body
    assert 'href="//cdn.example.org/a.js"' in body
    assert 'href="../other/"' in body and 'href="#top"' in body
    assert '<link rel="canonical" href="https://example.github.io/repo/news/links/">' in out
    assert 'href="/repo/css/site.css"' in out
    # nothing anywhere in the site points at the domain root instead of /repo/
    for path in (site / "output").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        stray = re.findall(r'(?:href|src|action|data-bundle)="(/(?!/|repo/)[^"]*)"', text)
        assert stray == [], f"{path}: {stray}"


# --- generated corpus -------------------------------------------------------------------------------

def test_generated_corpus_of_200_articles_builds(tmp_path):
    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(CORPUS), str(corpus), "--articles", "200", "--seed", "3"],
                   check=True, capture_output=True)
    site = write_site(tmp_path / "site", {}, site_yaml=(REPO / "site.yaml").read_text(encoding="utf-8"))
    shutil.copytree(corpus / "content", site / "content")
    shutil.copytree(corpus / "assets", site / "assets", dirs_exist_ok=True)

    result = build(site)

    assert "共 200 篇文章，" in result.stdout.splitlines()[0]
    output = site / "output"
    prints = list(output.rglob("print/index.html"))
    assert len(prints) == 200
    # every root-relative link and image in the built site resolves to a file in output/
    missing = set()
    for path in output.rglob("*.html"):
        for target in re.findall(r'(?:href|src)="(/(?!/)[^"#?]*)', path.read_text(encoding="utf-8")):
            target = html.unescape(target)
            file = output / target.lstrip("/")
            if target.endswith("/"):
                file = file / "index.html"
            if not file.is_file():
                missing.add(target)
    assert sorted(missing) == []
