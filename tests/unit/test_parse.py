"""split_front_matter and parse_source: one file's text to an Article or Section, or all of its problems."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import yaml

from sitegen.markdown import make_markdown
from sitegen.messages import language_named
from sitegen.parse import ParseOptions, parse_source, split_front_matter
from sitegen.sources import SourceFile

OPTIONS = ParseOptions("Asia/Shanghai", "/", False, "本网")
MD = make_markdown(False)
ENGLISH = language_named("en")


def source(text: str, rel: str = "news/huiyi.md") -> SourceFile:
    return SourceFile(rel, f"content/{rel}", text)


def parse(text: str, rel: str = "news/huiyi.md", options: ParseOptions = OPTIONS):
    return parse_source(source(text, rel), options, MD)


def problems(text: str, rel: str = "news/huiyi.md", language=None) -> list[str]:
    """The file's problems in the order the build prints them, in Chinese (or `language`)."""
    return [p.said(language) for p in sorted(parse(text, rel).problems)]


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
    assert problem.message.said() == "缺少文章信息：文章开头先写一行“---”，接着写“title:”和“date:”等行，再写一行“---”"
    assert problem.message.said(ENGLISH) == ("no front matter: an article starts with a line '---', then 'title:' and "
                                             "'date:' lines, then a line '---'")


@pytest.mark.parametrize("text", ["---\ntitle: t\ndate: d\n\n正文\n", "---", "---\n"])
def test_split_unclosed(text):
    front, _, _, problem = split_front_matter(source(text))
    assert front is None
    assert str(problem) == "content/news/huiyi.md:1:1: 文章信息没有结束：请在最后一项（title:、date: 等）之后加一行“---”"
    assert problem.said(ENGLISH) == ("content/news/huiyi.md:1:1: front matter is not closed: add a line '---' after "
                                     "its last key (title:, date:, ...)")


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
    assert found[0] == "content/news/huiyi.md:2:8: “title”（标题）不能为空"
    assert found[1] == ("content/news/huiyi.md:3:7: “date”应该是日期，例如 2019-11-08 11:25:53；“2019-02-30”这个日期不存在："
                        "2019 年 2 月没有 30 日")
    assert found[2] == ("content/news/huiyi.md:4:1: 不认识的文章信息项“auther”（是不是“author”？）；可以用的项有：title（标题）、"
                        "date（发布时间）、subtitle（副标题）、author（作者）、source（来源）、tags（标签）、summary（摘要）、"
                        "slug（网址中的名称）、draft（草稿）、pinned（置顶）、aliases（旧地址）")
    assert found[3] == "content/news/huiyi.md:5:7: slug“A/B”只能用小写字母 a-z、数字和“-”"


def test_every_problem_of_a_file_in_english():
    found = problems("---\ntitle: ''\ndate: 2019-02-30\nauther: x\nslug: A/B\n---\n", language=ENGLISH)
    assert found == [
        "content/news/huiyi.md:2:8: 'title' must not be empty",
        "content/news/huiyi.md:3:7: 'date' must be a date such as 2019-11-08 11:25:53, not '2019-02-30', which does "
        "not exist: 2019-02 has no day 30",
        "content/news/huiyi.md:4:1: unknown front matter key 'auther' (did you mean 'author'?); known keys: "
        "title (the headline), date (date and time), subtitle (the line under the headline), author (who wrote it), "
        "source (where it comes from), tags (keywords), summary (a sentence or two about it), slug (name in the "
        "address), draft (not published yet), pinned (pinned first), aliases (old addresses)",
        "content/news/huiyi.md:5:7: slug 'A/B' may only contain lowercase letters a-z, digits and '-'",
    ]


@pytest.mark.parametrize("slug", ["2020/huiyi", "../etc", "..", "Huiyi", "会议", "hui yi", "huiyi.htm", "''"])
def test_bad_slugs(slug):
    found = problems(f"---\ntitle: t\ndate: 2019-11-08\nslug: {slug}\n---\n")
    assert found == [f"content/news/huiyi.md:4:7: slug“{slug.strip(chr(39))}”只能用小写字母 a-z、数字和“-”"]


@pytest.mark.parametrize("name", ["常委会会议", "Huiyi", "hui yi", "huiyi_2019"])
def test_file_names_that_need_a_slug(name):
    found = problems("---\ntitle: t\ndate: 2019-11-08\n---\n", f"news/{name}.md")
    assert found == [f"content/news/{name}.md:1:1: 文件名“{name}.md”不能用在网址里：请加一行“slug:”，只用小写字母 a-z、"
                     "数字和“-”（例如“slug: huiyi-2019”），或者给文件改名"]
    assert parse(f"---\ntitle: t\ndate: 2019-11-08\nslug: ok-1\n---\n", f"news/{name}.md").article.slug == "ok-1"


@pytest.mark.parametrize("alias", ["content/x.htm", "/a/../b", "//evil.example/x", "http://x/y"])
def test_bad_aliases(alias):
    found = problems(f"---\ntitle: t\ndate: 2019-11-08\naliases: ['{alias}']\n---\n")
    assert found == [f"content/news/huiyi.md:4:10: 旧地址“{alias}”必须是本站以“/”开头的路径，"
                     "例如 /content/2019-11/08/content_12345.htm"]
    assert problems(f"---\ntitle: t\ndate: 2019-11-08\naliases: ['{alias}']\n---\n", language=ENGLISH) == [
        f"content/news/huiyi.md:4:10: alias '{alias}' must be a path on this site starting with '/', "
        "such as /content/2019-11/08/content_12345.htm"]


def test_article_outside_a_section():
    assert problems("---\ntitle: t\ndate: 2019-11-08\n---\n", "loose.md") == [
        "content/loose.md:1:1: 文章要放在栏目文件夹里，例如 content/renda-yaowen/；请把文件移过去"]


def test_yaml_error_line_is_the_file_line():
    """The problem points at the start of the line it cannot read (the whole line is shown fixed)."""
    found = problems("---\ntitle: t\ndate: 2019-11-08\nsubtitle: 议程: 报告\n---\n")
    assert found == ["content/news/huiyi.md:4:1: “subtitle”这一行的值无法读取：值里有英文引号，或有“: ”“#”时，会被当成格式符号。"
                     "请写成 subtitle: 议程：报告（改用中文引号和冒号），或 subtitle: '议程: 报告'（整个值放进英文单引号）"]


SUGGESTED = re.compile(r"; write it as (?P<a>.+?)(?: \((?:Chinese quotes and colon|the quote closed|the bracket "
                       r"closed)\) or (?P<b>.+))?$")


@pytest.mark.parametrize("line", [
    "subtitle: 议程: 报告", 'title: "十四五"规划中期评估: 县人大常委会听取报告', 'title: "a" b', "title: [a] b",
    'title: "县人大常委会召开会议', "title: [坏", "title: {坏", "title: '县人大'常委会", "title: @县人大", "title: `县人大`",
    "title: *县人大", "title: %县人大", "title: - 会议: x",
], ids=["colon", "quotes-then-colon", "quotes-then-text", "brackets-then-text", "unclosed-quote", "unclosed-bracket",
        "unclosed-brace", "single-quotes-then-text", "at-sign", "backquotes", "asterisk", "percent", "dash"])
def test_a_line_yaml_cannot_read_is_named_with_fixed_lines_that_read(line):
    """The problem is on the line the editor wrote, and each example line it shows, copied as it is, reads as that
    key with a text value (following the advice must fix the line, not give the same problem again)."""
    found = parse(f"---\n{line}\ndate: 2019-11-08\n---\n").problems
    assert [(p.line, p.col) for p in found] == [(2, 1)], [p.said(ENGLISH) for p in found]
    suggestion = SUGGESTED.search(found[0].said(ENGLISH))
    assert suggestion, found[0].said(ENGLISH)
    key = line.split(":", 1)[0]
    for fixed in filter(None, suggestion.groups()):
        try:
            data = yaml.safe_load(fixed)
        except yaml.YAMLError as err:
            raise AssertionError(f"the example line {fixed!r} shown for {line!r} does not read as YAML: {err}") from None
        assert data == {key: data[key]} and isinstance(data[key], str), (line, fixed)


def test_a_full_width_colon_after_a_key_is_read_as_the_colon():
    """Issue 21: `title：…` typed with a Chinese keyboard; a full-width colon inside the value stays as written."""
    parsed = parse("---\ntitle：县人大常委会召开会议\ndate：2024年5月3日 9:30\ntags：常委会会议、民生实事\nsubtitle ：议程：报告\n---\n正文\n")
    assert parsed.problems == ()
    article = parsed.article
    assert (article.title, article.subtitle, article.tags) == ("县人大常委会召开会议", "议程：报告", ("常委会会议", "民生实事"))
    assert article.date == dt.datetime(2024, 5, 3, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


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
        "content/daibiao/_index.md:1:1: 缺少必填的栏目信息项“title”；请加一行，例如“title: 标题”",
        "content/daibiao/_index.md:2:9: “weight”应该是整数，不能是文字“一”",
        "content/daibiao/_index.md:3:1: 不认识的栏目信息项“titel”（是不是“title”？）；"
        "可以用的项有：title（栏目名称）、weight（排序）、description（栏目说明）、aliases（旧地址）",
    ]
    assert problems("---\nweight: 一\ntitel: x\n---\n", "daibiao/_index.md", ENGLISH) == [
        "content/daibiao/_index.md:1:1: missing required section key 'title'; add a line such as 'title: 标题'",
        "content/daibiao/_index.md:2:9: 'weight' must be a whole number, not text '一'",
        "content/daibiao/_index.md:3:1: unknown section key 'titel' (did you mean 'title'?); "
        "known keys: title (section name), weight (order), description (what the section holds), "
        "aliases (old addresses)",
    ]


def test_section_keys_are_not_article_keys():
    found = problems("---\ntitle: 首页\ndate: 2019-11-08\n---\n", "_index.md")
    assert found == ["content/_index.md:3:1: 不认识的栏目信息项“date”；可以用的项有：title（栏目名称）、weight（排序）、"
                     "description（栏目说明）、aliases（旧地址）"]
