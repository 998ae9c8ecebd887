"""Fuzzing front matter and Markdown bodies: any bytes give a page or `path:line:col` problems, never a traceback.

Hypothesis runs derandomized (the same examples on every machine and every run, so a pass means something) and
within a fixed number of examples. Every crash it ever found is kept below as an explicit case.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from helpers import SITE_YAML, run_cli, write_site
from sitegen.fields import UNSAFE_CHARACTER, convert
from sitegen.markdown import make_markdown
from sitegen.messages import language_named
from sitegen.parse import ParseOptions, parse_source
from sitegen.pipeline import BuildOptions, build
from sitegen.problems import BuildFailed
from sitegen.sources import SourceFile, decode

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
ENGLISH = language_named("en")
ARTICLE = "content/news/a.md"
INDEX = "content/news/_index.md"
OTHER = "content/news/b.md"
STAGE_LINE = re.compile(r"^  \S.*?\s+\d+\.\d\d s$")
PROBLEM = re.compile(r"^content/[^\n:]+\.md:[1-9]\d*:[1-9]\d*: \S[^\n]*$")
FUZZ = settings(max_examples=250, deadline=None, derandomize=True, database=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])

# --- what editors (and their tools, and accidents) put in a file ------------------------------------------

KEYS = ["title", "date", "subtitle", "author", "source", "tags", "summary", "slug", "draft", "pinned", "aliases",
        "weight", "description", "titel", "Title", "", " ", "-", "?", "<<", "*a", "&a title", "1", "null", "true",
        "标题", "date\t", "\ttitle", "tags[0]"]
SCALARS = [
    "", " ", "~", "null", "true", "false", "yes", "no", "on", "off", "0", "-0", "007", "0x1F", "0o17", "1_000",
    "1e999", "-1e999", ".inf", "-.inf", ".nan", "1.10", "3.14159", "9" * 400, "-" + "9" * 30, "2" * 5000,
    "2019-11-08", "2019-11-08 11:25:53", "2019-11-08T11:25:53+08:00", "2019-11-08T11:25:53Z", "2019-11-08 11:25",
    "'2019-11-08 11:25:53'", "2019-02-29", "2020-02-30", "2019-13-01", "0000-01-01", "0001-01-01 00:00",
    "9999-12-31 23:59:59", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "2019-11-08 24:00",
    "2019-11-08 23:60", "2019-11-08 11:25:61", "2019-11-08T11:25:53+99:99", "2019-11-08T11:25:53.123456789+08",
    "2019-11-08\t11:25", "２０１９-１１-０８", "٢٠١٩-١١-٠٨", "2019-11-08 11:25:53 +0800", "20191108",
    "[]", "{}", "[a, b]", "[a, [b]]", "[1, 2.5, true, null]", "{a: 1}", "[", "]", "{", "}", "'", '"', "'unclosed",
    '"unclosed', '"\\x00\\u0000\\uD800"', '"\\N\\_\\L\\P"', "|", ">", "|-\n  a\n  b", ">\n  folded\n\n  text",
    "&anchor value", "*anchor", "*undefined", "!!str 1", "!!int x", "!!float x", "!!binary AAAA", "!!timestamp x",
    "!!python/object:os.system x", "!!set {a, b}", "!!omap [a: 1]", "!!map [x]", "!local x", "!<tag:x> y",
    "%YAML 1.2", "--- x", "... x", "# comment", "a # not a comment?", "a: b", "a:b", "- a", "? a", "@a", "`a`",
    "标题：冒号", "两个\u3000机关", "\u200b", "\ufeff", "\u2028", "\u0085", "\x00", "\x07", "\x1b[31m", "\x7f",
    "\ud7ff", "\U0001f600", "a\tb", "\t", "a\r\nb", "a\rb", "\\", "/content/2019-11/08/content_12345.htm",
    "//evil.example/", "/a/../b", "liangge-jiguan", "Liangge", "a" * 300,
    "2019年11月8日", "2019年11月8日 9:30", "2019年11月8日下午3点", "2019/11/8", "2019.11.8", "2019-11-8", "2019年13月1日",
    "5/3/2024", "24-5-3", "2019/11-08", "常委会会议、民生实事", "常委会会议，民生实事", "常委会会议 民生实事", "title：全角冒号",
]
INLINE = ["# 标题", "## ", "#", "######## too deep", "标题\n===", "---", "***", "> 引用", "- 列表", "1. 一",
          "1) x", "* [ ] x", "```", "```python\ncode\n```", "~~~", "    indented code", "`code`", "``", "<div>",
          "</div>", "<script>alert(1)</script>", "<!-- x", "<?php ?>", "<![CDATA[", "&amp;", "&#0;", "&#x110000;",
          "&#xD800;", "&nosuch;", "[链接](/news/b/)", "[链接](/news/a/#第一部分)", "[x](/news/missing/)",
          "[x](/%E4%B8%AD/)", "[x](/%ZZ/)", "[x](/%00/)", "[x](/a%0Ab/)", "[x](/a%E2%80%A8b/)", "&#x1b;", "&#11;", "&#xFFFE;", "[x](</a b/>)", "[x](#)", "[x]()", "[x](/)", "[x](//)",
          "[x](?q=1)", "[x](./b/)", "[x](../b/)", "[x](b/)", "[x](/news/b/print/)", "[x](/images/a.jpg)",
          "![图](/images/no.jpg)", "![](data:image/png;base64,AAAA)", "[x](javascript:alert(1))", "<http://a.b>",
          "<mailto:a@b>", "[ref]", "[ref]: /news/b/", "[ref]: /x 'title'", "[^1]", "| a | b |\n|---|---|\n| 1 | 2 |",
          "| a |\n|:-:|\n| \\| |", "a  \nb", "a\\\nb", "*em* **strong** ***both***", "_a_b_", "\\*", 
          "\u2028", "\ufeff", "\r", "\r\n", "\t", " \t ", "\U0010ffff", "\ue000", "\u0301", "䷀" * 50,
          "一" * 3000, "[" * 50, "(" * 50, "*" * 50, "<" * 20, "`" * 20, ">" * 30 + " x", "- " * 30 + "x"]


PRINTABLE = st.characters(exclude_categories=("Cs", "Cc"))  # what editors type
ANY_CHAR = st.characters(exclude_categories=("Cs",))  # and what tools and accidents add
DUMPABLE = st.recursive(
    st.none() | st.booleans() | st.integers(-10**40, 10**40) | st.floats() | st.text(PRINTABLE, max_size=20)
    | st.dates() | st.datetimes(timezones=st.none() | st.just(dt.timezone.utc)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(PRINTABLE, max_size=5), inner, max_size=2),
    max_leaves=5)

TEXT = st.text(PRINTABLE, max_size=30)
DATE_LIKE = st.from_regex(r"(000[01]|1[0-9]{3}|20[0-9]{2}|999[89]|[0-9]{4})-[01]?[0-9]-[0-3]?[0-9]"
                          r"([ T][0-2][0-9]:[0-6][0-9](:[0-6][0-9](\.[0-9]+)?)?(Z|[+-][0-2][0-9]:?[0-7][0-9])?)?",
                          fullmatch=True)
TYPED = {  # values of the type each key wants, which still hold any character an editor can type
    **dict.fromkeys(["title", "subtitle", "author", "source", "summary"], TEXT),
    "date": st.datetimes().map(lambda d: f"{d:%Y-%m-%d %H:%M:%S}") | st.dates().map(str) | DATE_LIKE
    | st.sampled_from([v for v in SCALARS if v[:1].isdigit()]),
    "tags": st.lists(TEXT, max_size=4) | TEXT,
    "aliases": st.lists(TEXT.map(lambda t: "/" + t), max_size=3),
    "slug": st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True),
    "draft": st.booleans(), "pinned": st.booleans(),
}


def _value(draw) -> str:
    kind = draw(st.integers(0, 9))
    if kind <= 2:  # any YAML value, well formed: lists, mappings, numbers, dates, text that needs quoting
        dumped = yaml.safe_dump(draw(DUMPABLE), allow_unicode=True, default_flow_style=True, width=10**6)
        return dumped.removesuffix("\n").removesuffix("\n...").strip()
    if kind <= 4:
        return " ".join(draw(st.lists(st.sampled_from(SCALARS), min_size=1, max_size=2)))
    if kind == 5:  # a block list
        items = draw(st.lists(st.sampled_from(SCALARS) | st.text(PRINTABLE, max_size=8), max_size=4))
        return "".join(f"\n{draw(st.sampled_from(['  ', '', chr(9)]))}- {item}" for item in items)
    if kind == 6:  # a date, well formed or nearly
        return draw(DATE_LIKE)
    if kind == 7:
        return draw(st.text(ANY_CHAR, max_size=20))
    return draw(st.text(PRINTABLE, max_size=40))


@st.composite
def front_matter(draw) -> str:
    """YAML lines: mostly keys the schema knows with well-formed values of every type, some lines wild."""
    if draw(st.integers(0, 19)) == 0:
        return draw(st.text(ANY_CHAR, max_size=200))
    lines = []
    if draw(st.integers(0, 9)):  # usually a title and a date somewhere, often odd ones
        title = yaml.safe_dump(draw(TYPED["title"]), allow_unicode=True, width=10**6) if draw(st.booleans()) else "测试文章"
        date = draw(TYPED["date"]) if draw(st.booleans()) else "2020-01-02 03:04:05"
        lines += [f"title: {title.removesuffix(chr(10)).removesuffix(chr(10) + '...').strip()}", f"date: {date}"]
    for _ in range(draw(st.integers(0, 4))):
        if draw(st.integers(0, 3)):  # a known key, a value YAML reads: mostly of the key's type, or any other
            key = draw(st.sampled_from(sorted(TYPED)))
            value = draw(TYPED[key] if draw(st.integers(0, 3)) else DUMPABLE)
            dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**6)
            line = f"{key}: {dumped.removesuffix(chr(10)).removesuffix(chr(10) + '...').strip()}"
        else:
            key = draw(st.sampled_from(KEYS) | st.text(PRINTABLE, max_size=10))
            separator = draw(st.sampled_from([": "] * 8 + [":", " : ", ":\t", ": \t", "：", "="]))
            indent = draw(st.sampled_from([""] * 12 + [" ", "  ", "\t"]))
            line = f"{indent}{key}{separator}{_value(draw)}"
        lines.insert(draw(st.integers(0, len(lines))), line)
    return "\n".join(lines)


@st.composite
def body(draw) -> str:
    parts = draw(st.lists(st.sampled_from(INLINE) | st.text(PRINTABLE, max_size=30), max_size=12))
    if draw(st.integers(0, 19)) == 0:
        parts.insert(draw(st.integers(0, len(parts))), draw(st.text(ANY_CHAR, min_size=1, max_size=3)))
    joiners = st.sampled_from(["\n", "\n\n", " ", "", "\r\n", "\n\t", "\n    "])
    return "".join(part + draw(joiners) for part in parts)


@st.composite
def markdown_file(draw, front=front_matter()) -> bytes:
    """A whole file as bytes: front matter and body, then the accidents of editors and their tools."""
    shape = draw(st.integers(0, 39))
    if shape == 0:
        return draw(st.binary(max_size=300))
    if shape == 1:
        text = draw(st.text(ANY_CHAR, max_size=300))
    else:
        opening = draw(st.sampled_from(["---"] * 40 + ["--- ", "---\t", "----", "+++", ""]))
        closing = draw(st.sampled_from(["---"] * 40 + ["...", "--- ", "", "----", "--"]))
        text = f"{opening}\n{draw(front)}\n{closing}\n{draw(body())}"
    if draw(st.integers(0, 3)) == 0:
        text = text.replace("\n", draw(st.sampled_from(["\r\n"] * 4 + ["\r", "\n\r", "\u2028", "\x85"])))
    data = text.encode("utf-8")
    if draw(st.integers(0, 4)) == 0:
        data = b"\xef\xbb\xbf" + data
    if draw(st.integers(0, 9)) == 0 and data:  # a few broken UTF-8 bytes somewhere
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xe4\xb8", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
                                                 b"\xc0\xaf", b"\x80", b"\xef\xbb\xbf"])) + data[at:]
    return data


@st.composite
def index_file(draw) -> bytes:
    if draw(st.integers(0, 7)):
        return "---\ntitle: 要闻\nweight: 1\n---\n".encode()
    return draw(markdown_file(front_matter().map(lambda fm: fm.replace("date:", "weight:", 1))))


# --- the property ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site():
    """One site folder for every example (layouts and assets copied once); each example rewrites content/."""
    root = Path(tempfile.mkdtemp(prefix="sitegen-fuzz-"))
    write_site(root, {}, site_yaml=SITE_YAML)
    yield root
    shutil.rmtree(root)


def set_content(site: Path, files: dict[str, bytes]) -> None:
    shutil.rmtree(site / "content", ignore_errors=True)
    for rel, data in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(data)


def lines_of(data: bytes) -> int:
    text = data.decode("utf-8-sig", "replace").replace("\r\n", "\n").replace("\r", "\n")
    return text.count("\n") + 1


def check_build(site: Path, files: dict[str, bytes], drafts: bool = True, future: bool = True) -> None:
    """The build either succeeds or fails with problems at a line and column inside the named file."""
    set_content(site, files)
    try:
        report = build(site / "site.yaml", BuildOptions(write=False, search=False, jobs=1, now=NOW, drafts=drafts,
                                                        future=future))
    except BuildFailed as failed:
        assert failed.problems
        event("problems: " + " / ".join(sorted({p.message.text.split(":")[0][:40] for p in failed.problems})))
        for problem in failed.problems:
            for said in (str(problem), problem.said(ENGLISH)):  # Chinese, the default, and English
                assert PROBLEM.match(said), f"not a 'path:line:col: message' line: {said!r}"
            assert problem.path in files, f"a problem in a file that is not there: {problem}"
            assert problem.line <= lines_of(files[problem.path]) + 1, f"line past the end of the file: {problem}"
        return
    event(f"built, {report.articles} articles")
    assert report.pages > 0


@FUZZ
@given(article=markdown_file(), index=index_file(), drafts=st.booleans(), future=st.booleans())
def test_any_article_gives_a_page_or_problems(site, article, index, drafts, future):
    files = {INDEX: index, ARTICLE: article,
             OTHER: "---\ntitle: 另一篇\ndate: 2020-01-03\n---\n[回到](/news/a/)\n".encode()}
    check_build(site, files, drafts, future)


@settings(FUZZ, max_examples=150)
@given(front=front_matter(), text=body())
def test_any_front_matter_and_body_in_well_formed_files(site, front, text):
    """Past the file level: always '---' lines and clean UTF-8, so every example reaches YAML and Markdown."""
    check_build(site, {INDEX: "---\ntitle: 要闻\n---\n".encode(), ARTICLE: f"---\n{front}\n---\n{text}".encode()})


ZONES = [ZoneInfo(name) for name in ("Asia/Shanghai", "America/New_York", "Pacific/Kiritimati", "Etc/GMT+12", "UTC")]


@settings(FUZZ, max_examples=800)
@given(text=DATE_LIKE | st.sampled_from(SCALARS) | st.text(max_size=30), zone=st.sampled_from(ZONES))
def test_any_date_text_is_a_date_with_a_place_in_utc_or_a_reason(text, zone):
    value, error = convert(text, "date", zone)
    if error is None:
        assert value.tzinfo is zone
        assert value.astimezone(dt.timezone.utc).year in range(1, 10000)
        assert f"{value:%Y-%m-%d %H:%M}" and value.isoformat() and value.timestamp() is not None
    else:
        assert value is None
        assert error.said().startswith("应该是日期，例如 2019-11-08 11:25:53；") and "\n" not in error.said()
        assert error.said(ENGLISH).startswith("must be a date such as") and "\n" not in error.said(ENGLISH)


@settings(FUZZ, max_examples=600)
@given(value=DUMPABLE, kind=st.sampled_from(["str", "int", "bool", "strs", "date"]))
def test_any_yaml_value_converts_or_says_why(value, kind):
    converted, error = convert(value, kind, ZONES[0])
    assert (error is None) != (converted is None)
    assert error is None or (error.said() and "\n" not in error.said() and "\n" not in error.said(ENGLISH))


MARKDOWN = make_markdown(allow_html=False)
PARSE_OPTIONS = ParseOptions("Asia/Shanghai", "/", allow_html=False, default_source="本网")


@settings(FUZZ, max_examples=600)
@given(data=markdown_file(), name=st.sampled_from(["news/a.md", "news/_index.md"]))
def test_the_parse_stage_gives_a_clean_article_or_problems_in_the_file(data, name):
    """Faster, so more examples: decode and parse alone. What an article carries can go into a feed (XML)."""
    path = f"content/{name}"
    text, problem = decode(data, path)
    problems = [problem] if problem else []
    if text is not None:
        parsed = parse_source(SourceFile(name, path, text), PARSE_OPTIONS, MARKDOWN)
        problems = list(parsed.problems)
        item = parsed.article or parsed.section
        assert bool(item) != bool(problems), "either a page or problems"
        if parsed.article:
            a = parsed.article
            for value in (a.title, a.subtitle, a.author, a.source, a.summary, a.body_html, *a.tags, *a.aliases):
                assert not UNSAFE_CHARACTER.search(value), f"a character XML cannot carry: {value!r}"
    for problem in problems:
        assert problem.path == path and PROBLEM.match(str(problem)), f"not 'path:line:col: message': {problem}"
        assert PROBLEM.match(problem.said(ENGLISH)), f"not 'path:line:col: message': {problem.said(ENGLISH)}"
        assert problem.line <= lines_of(data) + 1, f"line past the end of the file: {problem}"
        if named := re.search(r"invisible control character U\+([0-9A-F]{4})", problem.message.said(ENGLISH)):
            line = text.split("\n")[problem.line - 1]
            assert line[problem.col - 1:problem.col] == chr(int(named[1], 16)), f"not where it is: {problem}"


# --- crashes the fuzzer found, kept as explicit cases ----------------------------------------------------

# What the file held, what the build says (in Chinese, its default) and the same in English.
FORMS = "2019-11-08 11:25:53, 2019-11-08 11:25, 2019-11-08, 2019年11月8日 9:30, 2019/11/8 or 2019.11.8"
FORMS_ZH = "2019-11-08 11:25:53、2019-11-08 11:25、2019-11-08、2019年11月8日 9:30、2019/11/8 或 2019.11.8"
KNOWN = ("title（标题）、date（发布时间）、subtitle（副标题）、author（作者）、source（来源）、tags（标签）、summary（摘要）、"
         "slug（网址中的名称）、draft（草稿）、pinned（置顶）、aliases（旧地址）")
KNOWN_EN = ("title (the headline), date (date and time), subtitle (the line under the headline), author (who wrote it), "
            "source (where it comes from), tags (keywords), summary (a sentence or two about it), slug (name in the "
            "address), draft (not published yet), pinned (pinned first), aliases (old addresses)")
UNREADABLE = "这一行的值无法读取：值里有英文引号，或有“: ”“#”时，会被当成格式符号。请写成"
REGRESSIONS: dict[str, tuple[bytes, list[str], list[str]]] = {
    'control character in the front matter': (
        b'\xef\xbb\xbf---\n\x1f\n---\n',
        ['content/news/a.md:2:1: 这里有看不见的控制字符 U+001F，YAML 里不允许：请删除它'],
        ['content/news/a.md:2:1: the invisible control character U+001F is not allowed in YAML: delete it']),
    'control character after a line separator': (
        b'---\ntitle: \xe6\xa0\x87\xe9\xa2\x98\xe2\x80\xa8\x07\ndate: 2020-01-01\n---\n',
        ['content/news/a.md:2:11: 这里有看不见的控制字符 U+0007，YAML 里不允许：请删除它'],
        ['content/news/a.md:2:11: the invisible control character U+0007 is not allowed in YAML: delete it']),
    # A value YAML cannot read is named at the start of its line, with the line fixed (since issue 21).
    'explicit tag that does not fit': (
        b'---\ntitle: !!int x\ndate: 2020-01-01\n---\n',
        [f"content/news/a.md:2:1: “title”{UNREADABLE} title: '!!int x'"],
        ["content/news/a.md:2:1: the value of 'title' cannot be read as written (YAML: 'x' is not a valid !!int "
         "value); write it as title: '!!int x'"]),
    'bool tag': (
        b'---\ntitle: t\ndate: 2020-01-01\ndraft: !!bool maybe\n---\n',
        [f"content/news/a.md:4:1: “draft”{UNREADABLE} draft: '!!bool maybe'"],
        ["content/news/a.md:4:1: the value of 'draft' cannot be read as written (YAML: 'maybe' is not a valid !!bool "
         "value); write it as draft: '!!bool maybe'"]),
    'timestamp tag': (
        b'---\ntitle: t\ndate: !!timestamp 2019-13-45\n---\n',
        [f"content/news/a.md:3:1: “date”{UNREADABLE} date: '!!timestamp 2019-13-45'"],
        ["content/news/a.md:3:1: the value of 'date' cannot be read as written (YAML: '2019-13-45' is not a valid "
         "!!timestamp value); write it as date: '!!timestamp 2019-13-45'"]),
    # An editor's text in a message is cut short past 100 characters (problems.shown), the example line too.
    'a number of 5000 digits': (
        b"---\ntitle: " + b"9" * 5000 + b"\ndate: 2020-01-01\n---\n",
        [f"content/news/a.md:2:8: YAML 格式有误（数字“{'9' * 40}…”有 5000 位，太长，无法读取）："
         "请检查这一行的冒号、引号和括号；如果值里有“: ”或“#”，或以引号、方括号开头，请把整个值放进一对英文单引号"],
        ["content/news/a.md:2:8: YAML syntax error: the number "
         f"'{'9' * 40}…' has 5000 digits, more than can be read; if a value contains ': ', '#' or starts with a quote "
         "or bracket, put the whole value in single quotes"]),
    'offset beyond a day': (
        b'---\ntitle: t\ndate: 2019-11-08T11:25:53+99:99\n---\n',
        ["content/news/a.md:3:7: “date”应该是日期，例如 2019-11-08 11:25:53；“2019-11-08T11:25:53+99:99”时区偏移不对"
         "（应在 -23:59 到 +23:59 之间，例如 +08:00）"],
        ["content/news/a.md:3:7: 'date' must be a date such as 2019-11-08 11:25:53, not '2019-11-08T11:25:53+99:99', "
         "whose offset from UTC is not a real one (from -23:59 to +23:59, such as +08:00)"]),
    'offset minutes': (
        b'---\ntitle: t\ndate: 2019-11-08T11:25:53+05:75\n---\n',
        ["content/news/a.md:3:7: “date”应该是日期，例如 2019-11-08 11:25:53；“2019-11-08T11:25:53+05:75”时区偏移不对"
         "（应在 -23:59 到 +23:59 之间，例如 +08:00）"],
        ["content/news/a.md:3:7: 'date' must be a date such as 2019-11-08 11:25:53, not '2019-11-08T11:25:53+05:75', "
         "whose offset from UTC is not a real one (from -23:59 to +23:59, such as +08:00)"]),
    'past year 9999 in UTC': (
        b'---\ntitle: t\ndate: 9999-12-31T23:59:59-14:00\n---\n',
        ["content/news/a.md:3:7: “date”应该是日期，例如 2019-11-08 11:25:53；“9999-12-31T23:59:59-14:00”太接近公元 1 年"
         "或 9999 年，无法换算"],
        ["content/news/a.md:3:7: 'date' must be a date such as 2019-11-08 11:25:53, not '9999-12-31T23:59:59-14:00', "
         "which is too close to the year 1 or the year 9999 to be placed in time"]),
    'year 0': (
        b'---\ntitle: t\ndate: 0000-01-31\n---\n',
        ["content/news/a.md:3:7: “date”应该是日期，例如 2019-11-08 11:25:53；“0000-01-31”这个日期不存在：年份从 1 开始"],
        ["content/news/a.md:3:7: 'date' must be a date such as 2019-11-08 11:25:53, not '0000-01-31', which does not "
         "exist: the years start at 1"]),
    'day 31 of December 9999 at 25:00': (
        b'---\ntitle: t\ndate: 9999-12-31 25:00\n---\n',
        ["content/news/a.md:3:7: “date”应该是日期，例如 2019-11-08 11:25:53；“9999-12-31 25:00”时间不对（小时 0–23，"
         f"分和秒 0–59；可以写：{FORMS_ZH}）"],
        ["content/news/a.md:3:7: 'date' must be a date such as 2019-11-08 11:25:53, not '9999-12-31 25:00', which is "
         f"not a real time of day ({FORMS})"]),
    # Line breaks written \n; a date over two lines is read as one line since issue 21 (2020-01-01 10:00), so the
    # second line here is no time.
    'multi-line value in a message': (
        b'---\ntitle: t\ndate: |\n  2020-01-01\n  extra\n---\n',
        ["content/news/a.md:3:7: “date”应该是日期，例如 2019-11-08 11:25:53；“2020-01-01\\nextra\\n”不是能识别的写法"
         f"（可以写：{FORMS_ZH}）"],
        ["content/news/a.md:3:7: 'date' must be a date such as 2019-11-08 11:25:53, not '2020-01-01\\nextra\\n', which "
         f"is not in an accepted form ({FORMS})"]),
    'multi-line key': (
        b'---\ntitle: t\ndate: 2020-01-01\n? |\n  a\n  b\n: 1\n---\n',
        [f"content/news/a.md:4:3: 不认识的文章信息项“a\\nb\\n”；可以用的项有：{KNOWN}"],
        [f"content/news/a.md:4:3: unknown front matter key 'a\\nb\\n'; known keys: {KNOWN_EN}"]),
    'control character by a YAML escape': (
        b'---\ntitle: "\\x01\\e"\ndate: 2020-01-01\n---\n',
        ["content/news/a.md:2:8: “title”里有看不见的控制字符 U+0001，订阅源无法容纳：请删除它"],
        ["content/news/a.md:2:8: 'title' holds the invisible control character U+0001, which feeds cannot carry: "
         "delete it"]),
    'control character in the body': (
        b'---\ntitle: t\ndate: 2020-01-01\n---\n\n\xe6\xad\xa3\xe6\x96\x87\x1b[31m\n',
        ['content/news/a.md:6:3: 正文里有看不见的控制字符 U+001B，订阅源无法容纳：请删除它'],
        ['content/news/a.md:6:3: the text holds the invisible control character U+001B, which feeds cannot carry: '
         'delete it']),
    'line break in a link target': (
        b'---\ntitle: t\ndate: 2020-01-01\n---\n[x](/a%0Ab/)\n',
        ['content/news/a.md:5:5: 链接失效：/a%0Ab/ 不存在'],
        ['content/news/a.md:5:5: broken link: /a%0Ab/ does not exist']),
    'tagged binary and set values': (
        b'---\ntitle: !!binary AAAA\ndate: 2020-01-01\ntags: !!set {a, b}\n---\n',
        ["content/news/a.md:2:8: “title”应该是文字，不能是标记为 !!binary 的值",
         "content/news/a.md:4:7: “tags”应该是标签列表，例如 [常委会会议、民生实事]，不能是标记为 !!set 的值"],
        ["content/news/a.md:2:8: 'title' must be text, not a value tagged !!binary",
         "content/news/a.md:4:7: 'tags' must be a list of tags such as [常委会会议, 民生实事], not a value tagged !!set"]),
    'a timestamp tag on the date': (
        b'---\ntitle: t\ndate: !!timestamp 2019-11-08\n---\n',
        ["content/news/a.md:3:7: “date”应该是日期，例如 2019-11-08 11:25:53，不能是标记为 !!timestamp 的值"],
        ["content/news/a.md:3:7: 'date' must be a date such as 2019-11-08 11:25:53, not a value tagged !!timestamp"]),
}


@pytest.mark.parametrize("name", sorted(REGRESSIONS))
def test_found_crashes_stay_fixed(site, name):
    data, expected, english = REGRESSIONS[name]
    set_content(site, {INDEX: "---\ntitle: 要闻\n---\n".encode(), ARTICLE: data})
    with pytest.raises(BuildFailed) as caught:
        build(site / "site.yaml", BuildOptions(write=False, search=False, jobs=1, now=NOW, future=True))
    assert [str(p) for p in caught.value.problems] == expected
    assert [p.said(ENGLISH) for p in caught.value.problems] == english


# --- and the command line, as an editor meets it --------------------------------------------------------

@pytest.mark.parametrize("data", [
    b"---\ntitle: [\n---\n",
    b"---\ntitle: \x00\ndate: 2020-01-01\n---\n\x00",
    b"\xef\xbb\xbf---\r\ntitle: t\r\ndate: 9999-12-31 23:59:59\r\n---\r\n# \xe6\xa0\x87\r\n",
    b"---\ntitle: t\ndate: 2020-01-01\n---\n\xff\xfe",
])
def test_cli_reports_problems_or_builds_never_a_traceback(make_site, data):
    site = make_site({INDEX: "---\ntitle: 要闻\n---\n", ARTICLE: data})
    result = run_cli("check", "--site", str(site), "--future")
    assert "Traceback" not in result.stderr
    if result.returncode == 0:
        assert result.stdout.startswith("没有问题：1 个栏目共 1 篇文章，")
    else:
        assert result.returncode == 1
        *problems, tail = [line for line in result.stderr.splitlines() if not STAGE_LINE.match(line)]
        assert problems and all(PROBLEM.match(line) for line in problems), result.stderr
        assert re.fullmatch(r"发现 \d+ 个问题；没有写入任何文件。", tail)
