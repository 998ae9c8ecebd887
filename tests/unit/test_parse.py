"""split_front_matter and parse_source: one file's text to an Article or Section, or all of its problems."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sitegen.markdown import make_markdown
from sitegen.parse import ParseOptions, parse_source, split_front_matter
from sitegen.sources import SourceFile

OPTIONS = ParseOptions("Asia/Shanghai", "/", False, "本网")
MD = make_markdown(False)


def source(text: str, rel: str = "news/huiyi.md") -> SourceFile:
    return SourceFile(rel, f"content/{rel}", text)


def parse(text: str, rel: str = "news/huiyi.md", options: ParseOptions = OPTIONS):
    return parse_source(source(text, rel), options, MD)


def problems(text: str, rel: str = "news/huiyi.md") -> list[str]:
    """The file's problems in the order the build prints them."""
    return [str(p) for p in sorted(parse(text, rel).problems)]


# --- split_front_matter -----------------------------------------------------------------------------

def test_split_gives_yaml_with_file_lines_and_the_body():
    front, body, body_line, problem = split_front_matter(source("---\ntitle: t\ndate: d\n---\n\n正文\n"))
    assert problem is None
    assert front.text == "title: t\ndate: d\n"
    assert front.line_offset == 1 and front.path == "content/news/huiyi.md"
    assert body == "\n正文\n"
    assert body_line == 5


def test_split_accepts_dots_and_trailing_spaces_on_the_closing_line():
    assert split_front_matter(source("---\ntitle: t\n...\nbody"))[1] == "body"
    assert split_front_matter(source("---\ntitle: t\n---  \nbody"))[1] == "body"


def test_split_accepts_trailing_spaces_on_the_opening_line_too():
    """'--- ' looks exactly like '---' in an editor; the closing line already allows the spaces."""
    front, body, _, problem = split_front_matter(source("--- \ntitle: t\n---\nbody"))
    assert problem is None
    assert body == "body"


def test_split_later_dashes_belong_to_the_body():
    _, body, _, _ = split_front_matter(source("---\ntitle: t\n---\n上文\n\n---\n\n下文\n"))
    assert body == "上文\n\n---\n\n下文\n"


@pytest.mark.parametrize("text", ["标题\n---\ntitle: t\n---\n", "\n---\ntitle: t\n---\n", "", "# 标题\n"])
def test_split_without_front_matter(text):
    front, _, _, problem = split_front_matter(source(text))
    assert front is None
    assert (problem.line, problem.col) == (1, 1)
    assert problem.message.startswith("no front matter: an article starts with a line '---'")


@pytest.mark.parametrize("text", ["---\ntitle: t\ndate: d\n\n正文\n", "---", "---\n"])
def test_split_unclosed(text):
    front, _, _, problem = split_front_matter(source(text))
    assert front is None
    assert str(problem).startswith("content/news/huiyi.md:1:1: front matter is not closed: add a line '---'")


# --- articles ---------------------------------------------------------------------------------------

def test_article_fields():
    parsed = parse("---\ntitle: ' 县人大常委会召开会议 '\ndate: 2019-11-08 11:25:53\nsubtitle: 副标题\nauthor: 张三\n"
                   "source: 县人大办\ntags: [会议, 监督, 会议]\nslug: huiyi-2019\ndraft: true\npinned: true\n"
                   "aliases: [/content/2019-11/08/content_1.htm]\n---\n\n正文**加粗**。\n")
    assert parsed.problems == ()
    article = parsed.article
    assert article.id == "news/huiyi.md" and article.path == "content/news/huiyi.md"
    assert (article.section, article.slug, article.url) == ("news", "huiyi-2019", "news/huiyi-2019/")
    assert article.title == "县人大常委会召开会议"
    assert article.date == dt.datetime(2019, 11, 8, 11, 25, 53, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert (article.subtitle, article.author, article.source) == ("副标题", "张三", "县人大办")
    assert article.tags == ("会议", "监督")
    assert article.draft and article.pinned
    assert article.aliases == ("/content/2019-11/08/content_1.htm",)
    assert article.body_html == "<p>正文<strong>加粗</strong>。</p>\n"
    assert article.summary == "正文加粗。" and not article.has_summary


def test_defaults_and_slug_from_the_file_name():
    article = parse("---\ntitle: t\ndate: 2019-11-08\n---\n", "a/b/2019-huiyi.md").article
    assert (article.section, article.slug, article.url) == ("a/b", "2019-huiyi", "a/b/2019-huiyi/")
    assert (article.source, article.author, article.tags, article.draft, article.pinned) == ("本网", "", (), False, False)
    assert article.summary == "" and article.body_html == ""


def test_summary_written_by_the_editor():
    article = parse("---\ntitle: t\ndate: 2019-11-08\nsummary: 摘要\n---\n正文\n").article
    assert article.summary == "摘要" and article.has_summary


def test_every_problem_of_a_file_is_returned():
    found = problems("---\ntitle: ''\ndate: 2019-02-30\nauther: x\nslug: A/B\n---\n")
    assert [p.split(": ", 1)[0] for p in found] == ["content/news/huiyi.md:2:8", "content/news/huiyi.md:3:7",
                                                    "content/news/huiyi.md:4:1", "content/news/huiyi.md:5:7"]
    assert "'title' must not be empty" in found[0]
    assert "'date' must be a date" in found[1]
    assert "unknown front matter key 'auther' (did you mean 'author'?)" in found[2]
    assert "slug 'A/B' may only contain" in found[3]


@pytest.mark.parametrize("slug", ["2020/huiyi", "../etc", "..", "Huiyi", "会议", "hui yi", "huiyi.htm", "''"])
def test_bad_slugs(slug):
    found = problems(f"---\ntitle: t\ndate: 2019-11-08\nslug: {slug}\n---\n")
    assert len(found) == 1 and found[0].startswith("content/news/huiyi.md:4:7: slug ")


@pytest.mark.parametrize("name", ["常委会会议", "Huiyi", "hui yi", "huiyi_2019"])
def test_file_names_that_need_a_slug(name):
    found = problems("---\ntitle: t\ndate: 2019-11-08\n---\n", f"news/{name}.md")
    assert found == [f"content/news/{name}.md:1:1: file name '{name}.md' cannot be used in a URL: add a 'slug:' "
                     "line made of lowercase letters a-z, digits and '-' (such as 'slug: huiyi-2019'), "
                     "or rename the file"]
    assert parse(f"---\ntitle: t\ndate: 2019-11-08\nslug: ok-1\n---\n", f"news/{name}.md").article.slug == "ok-1"


@pytest.mark.parametrize("alias", ["content/x.htm", "/a/../b", "//evil.example/x", "http://x/y"])
def test_bad_aliases(alias):
    found = problems(f"---\ntitle: t\ndate: 2019-11-08\naliases: ['{alias}']\n---\n")
    assert len(found) == 1 and found[0].startswith(f"content/news/huiyi.md:4:10: alias '{alias}' must be a path")


def test_article_outside_a_section():
    assert problems("---\ntitle: t\ndate: 2019-11-08\n---\n", "loose.md") == [
        "content/loose.md:1:1: articles belong in a section folder such as content/renda-yaowen/; move the file there"]


def test_yaml_error_line_is_the_file_line():
    found = problems("---\ntitle: t\ndate: 2019-11-08\nsubtitle: 议程: 报告\n---\n")
    assert len(found) == 1 and found[0].startswith("content/news/huiyi.md:4:13: YAML syntax error: ")


def test_links_get_the_base_path():
    options = ParseOptions("Asia/Shanghai", "/repo/", False, "")
    article = parse("---\ntitle: t\ndate: 2019-11-08\n---\n[要闻](/news/)\n", options=options).article
    assert article.body_html == '<p><a href="/repo/news/">要闻</a></p>\n'


def test_date_in_another_site_zone():
    options = ParseOptions("Europe/Berlin", "/", False, "")
    article = parse("---\ntitle: t\ndate: 2019-11-08 11:25\n---\n", options=options).article
    assert article.date.utcoffset() == dt.timedelta(hours=1)


# --- sections ---------------------------------------------------------------------------------------

def test_section_index():
    parsed = parse("---\ntitle: 代表工作\nweight: 3\ndescription: 说明\n---\n栏目**介绍**\n", "daibiao/_index.md")
    assert parsed.problems == () and parsed.article is None
    section = parsed.section
    assert (section.key, section.path, section.title, section.weight, section.description) == (
        "daibiao", "content/daibiao/_index.md", "代表工作", 3, "说明")
    assert section.body_html == "<p>栏目<strong>介绍</strong></p>\n"
    assert section.parent == "" and section.url == "daibiao/"


def test_section_defaults_and_nesting():
    section = parse("---\ntitle: 履职动态\n---\n", "daibiao/lvzhi/_index.md").section
    assert (section.weight, section.description, section.body_html, section.parent) == (0, "", "", "daibiao")


def test_section_problems():
    assert problems("---\nweight: 一\ntitel: x\n---\n", "daibiao/_index.md") == [
        "content/daibiao/_index.md:1:1: missing required section key 'title'; add a line such as 'title: 标题'",
        "content/daibiao/_index.md:2:9: 'weight' must be a whole number, not text '一'",
        "content/daibiao/_index.md:3:1: unknown section key 'titel' (did you mean 'title'?); "
        "known keys: title, weight, description, aliases",
    ]


def test_section_keys_are_not_article_keys():
    found = problems("---\ntitle: 首页\ndate: 2019-11-08\n---\n", "_index.md")
    assert len(found) == 1 and found[0].startswith("content/_index.md:3:1: unknown section key 'date'")
