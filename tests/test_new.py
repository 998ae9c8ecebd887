"""`build.py new`: a new article file with its front matter filled in, dated now in Shanghai, never overwriting;
its placeholder title and body are problems until the editor writes hers (issue 21), so none goes live."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from helpers import REPO, article, cli_environment

SHANGHAI = ZoneInfo("Asia/Shanghai")
SITE_YAML = """title: 测试人大常委会
base_url: https://example.org/
timezone: Asia/Shanghai
default_author: 县人大办公室
default_source: 眉县人大网
footer: [地址：测试县]
"""


def cli(*args: str, cwd: Path, tz: str = "UTC") -> subprocess.CompletedProcess:
    """build.py with the machine's TZ set (UTC by default) and no SOURCE_DATE_EPOCH, as on an editor's PC."""
    env = {key: value for key, value in cli_environment().items() if key != "SOURCE_DATE_EPOCH"}
    env.update(TZ=tz, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


def site(make_site) -> Path:
    return make_site({
        "content/news/_index.md": "---\ntitle: 新闻\nweight: 1\n---\n",
        "content/daibiao/_index.md": "---\ntitle: 代表工作\nweight: 2\n---\n",
        "content/daibiao/lvzhi/_index.md": "---\ntitle: 履职动态\nweight: 3\n---\n",
        "content/news/old.md": article("旧文章", "2020-01-02"),
    }, site_yaml=SITE_YAML)


PLACEHOLDER_BODY = "正文从这里开始。"
PLACEHOLDER_TITLE = '"请在这里填写标题"'


def write_body(path: Path, body: str = "正文。", title: str | None = None) -> None:
    """What the editor does next: her text in place of the placeholder body (and title)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(PLACEHOLDER_BODY) == 1, text
    text = text.replace(PLACEHOLDER_BODY, body)
    if title is not None:
        assert text.count(PLACEHOLDER_TITLE) == 1, text
        text = text.replace(PLACEHOLDER_TITLE, title)
    path.write_text(text, encoding="utf-8")


def placeholder_problems(printed: str, title: bool = False) -> list[str]:
    """What check says about a file `new` wrote and nobody has edited yet."""
    body = f"{printed}:10:1: 正文里还是新建文章时的占位文字“正文从这里开始。”：请换成文章的正文"
    return [f"{printed}:2:8: 标题还是占位文字“请在这里填写标题”：请填写文章标题", body] if title else [body]


def problem_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if not re.match(r"^  \S.*\s\d+\.\d\d s$", line)]


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    assert match, text
    return yaml.load(match.group(1), Loader=yaml.BaseLoader)  # every value as written, as a string


def test_new_writes_the_article_with_its_front_matter_and_prints_its_path(make_site):
    root = site(make_site)
    before = dt.datetime.now(SHANGHAI).replace(tzinfo=None, microsecond=0)
    result = cli("new", "news", "--title", "标题", "--slug", "x", cwd=root)
    after = dt.datetime.now(SHANGHAI).replace(tzinfo=None)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "content/news/x.md\n"
    path = root / "content/news/x.md"
    meta = front_matter(path)
    assert meta["title"] == "标题"
    assert meta["author"] == "县人大办公室"
    assert meta["source"] == "眉县人大网"
    # The machine runs in UTC; the date must be Shanghai's wall clock (UTC+8), to the second.
    written = dt.datetime.strptime(meta["date"], "%Y-%m-%d %H:%M:%S")
    assert before <= written <= after, (meta["date"], before, after)
    assert abs(written - dt.datetime.now(SHANGHAI).replace(tzinfo=None)) < dt.timedelta(minutes=1)
    assert set(meta) <= {"title", "subtitle", "author", "source", "date", "tags", "summary", "slug"}


def test_the_date_does_not_depend_on_the_machines_time_zone(make_site):
    root = site(make_site)
    dates = []
    for number, zone in enumerate(["UTC", "America/Los_Angeles", "Asia/Tokyo"]):
        result = cli("new", "news", "--slug", f"tz-{number}", cwd=root, tz=zone)
        assert result.returncode == 0, result.stderr
        dates.append(dt.datetime.strptime(front_matter(root / f"content/news/tz-{number}.md")["date"],
                                          "%Y-%m-%d %H:%M:%S"))
    now = dt.datetime.now(SHANGHAI).replace(tzinfo=None)
    assert all(abs(now - date) < dt.timedelta(minutes=1) for date in dates), (dates, now)


def test_the_new_file_builds_cleanly_and_is_published(make_site):
    root = site(make_site)
    title = '关于“两个机关”建设: 代表说"好" #1'  # quotes, a colon and a hash survive the YAML
    result = cli("new", "daibiao/lvzhi", "--title", title, "--slug", "daibiao-shicha", cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "content/daibiao/lvzhi/daibiao-shicha.md\n"
    path = root / "content/daibiao/lvzhi/daibiao-shicha.md"
    assert front_matter(path)["title"] == title
    # Until its placeholder body is replaced, the article is a problem (issue 21: no placeholder goes live).
    unwritten = cli("check", cwd=root)
    assert unwritten.returncode == 1
    assert problem_lines(unwritten) == [*placeholder_problems("content/daibiao/lvzhi/daibiao-shicha.md"),
                                        "发现 1 个问题；没有写入任何文件。"]
    write_body(path, "代表们视察了县人民医院。")
    check = cli("check", cwd=root)
    assert check.returncode == 0, check.stderr
    assert "未发布" not in check.stderr and "提醒" not in check.stderr
    build = cli("build", "--no-search", cwd=root)
    assert build.returncode == 0, build.stderr
    assert "未发布" not in build.stderr, "the new article counts as 'future'"
    page = (root / "output/daibiao/lvzhi/daibiao-shicha/index.html").read_text(encoding="utf-8")
    assert "关于“两个机关”建设: 代表说&#34;好&#34; #1" in page or "关于“两个机关”建设: 代表说&quot;好&quot; #1" in page
    assert "县人大办公室" in page and "眉县人大网" in page


def test_new_without_a_title_is_a_problem_until_the_editor_writes_one(make_site):
    """Behaviour changed on purpose (issue 21): the placeholder title used to build; now it and the placeholder
    body are problems, so an untouched new file never goes live."""
    root = site(make_site)
    result = cli("new", "news", "--slug", "untitled", cwd=root)
    assert result.returncode == 0, result.stderr
    path = root / "content/news/untitled.md"
    assert front_matter(path)["title"].strip()
    check = cli("check", cwd=root)
    assert check.returncode == 1
    assert problem_lines(check) == [*placeholder_problems("content/news/untitled.md", title=True),
                                    "发现 2 个问题；没有写入任何文件。"]
    english = cli("check", "--lang", "en", cwd=root)
    assert problem_lines(english) == [
        "content/news/untitled.md:2:8: the title is still the placeholder '请在这里填写标题': write the article's title",
        "content/news/untitled.md:10:1: the text still holds the placeholder '正文从这里开始。' that 'new' wrote: "
        "replace it with the article's text",
        "2 problems found; nothing was written."]
    write_body(path, "正文。", title="县人大常委会召开会议")
    assert cli("check", cwd=root).returncode == 0


def test_the_path_printed_is_usable_from_the_current_folder(make_site, tmp_path):
    root = site(make_site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = cli("new", "news", "--slug", "from-afar", "--site", str(root), cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    printed = Path(result.stdout.strip())
    assert (elsewhere / printed).resolve() == (root / "content/news/from-afar.md").resolve()


def test_new_never_overwrites(make_site):
    root = site(make_site)
    path = root / "content/news/x.md"
    assert cli("new", "news", "--title", "第一次", "--slug", "x", cwd=root).returncode == 0
    path.write_text(path.read_text(encoding="utf-8") + "编辑写的正文。\n", encoding="utf-8")
    before = path.read_bytes()
    result = cli("new", "news", "--title", "第二次", "--slug", "x", cwd=root)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "content/news/x.md: 这个文件已经存在，没有改动；请换一个 --slug",
        "发现 1 个问题；没有写入任何文件。",
    ]
    assert path.read_bytes() == before
    # An existing hand-written article is just as safe.
    old = (root / "content/news/old.md").read_bytes()
    assert cli("new", "news", "--slug", "old", cwd=root).returncode == 1
    assert (root / "content/news/old.md").read_bytes() == old


def test_unknown_section_exits_1_with_a_hint(make_site):
    root = site(make_site)
    result = cli("new", "nwes", "--title", "标题", cwd=root)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "content/nwes: 没有“nwes”这个栏目（是不是“news”？）；栏目有：代表工作 (daibiao)、履职动态 (daibiao/lvzhi)、新闻 (news)",
        "发现 1 个问题；没有写入任何文件。"]
    assert not (root / "content/nwes").exists()
    nested = cli("new", "daibiao/lvzi", cwd=root)
    assert nested.returncode == 1 and "（是不是“daibiao/lvzhi”？）" in nested.stderr
    english = cli("new", "nwes", "--lang", "en", cwd=root)
    assert english.stderr.splitlines() == [
        "content/nwes: no section 'nwes' (did you mean 'news'?); sections: 代表工作 (daibiao), "
        "履职动态 (daibiao/lvzhi), 新闻 (news)",
        "1 problem found; no file was written."]


def test_a_section_is_found_by_its_chinese_title(make_site):
    """Issue 21: `new 履职动态` works; so does the trail of titles, and a folder still does."""
    root = site(make_site)
    by_title = cli("new", "新闻", "--slug", "y", cwd=root)
    assert by_title.returncode == 0, by_title.stderr
    assert by_title.stdout == "content/news/y.md\n"
    nested = cli("new", "履职动态", "--slug", "z", cwd=root)
    assert nested.stdout == "content/daibiao/lvzhi/z.md\n", nested.stderr
    trail = cli("new", "代表工作/履职动态", "--slug", "w", cwd=root)
    assert trail.stdout == "content/daibiao/lvzhi/w.md\n", trail.stderr
    unknown = cli("new", "人大要闻", cwd=root)
    assert unknown.returncode == 1
    assert unknown.stderr.splitlines()[0] == ("content/人大要闻: 没有“人大要闻”这个栏目；栏目有：代表工作 (daibiao)、"
                                              "履职动态 (daibiao/lvzhi)、新闻 (news)")


def test_a_bad_slug_is_refused(make_site):
    root = site(make_site)
    files = sorted((root / "content").rglob("*"))
    for slug in ["会议纪要", "Big-Letters", "a b", "../escape"]:
        result = cli("new", "news", "--slug", slug, cwd=root)
        assert result.returncode == 2, slug  # a usage error, like an unknown option
        assert result.stderr == f"build.py new：错误：--slug “{slug}”只能用小写字母 a-z、数字和“-”\n"
        assert "Traceback" not in result.stderr
    assert sorted((root / "content").rglob("*")) == files


def test_default_slugs_come_from_the_date_and_never_repeat(make_site):
    root = site(make_site)
    paths = []
    for _ in range(3):
        result = cli("new", "news", "--title", "同一分钟", cwd=root)
        assert result.returncode == 0, result.stderr
        paths.append(result.stdout.strip())
    assert len(set(paths)) == 3, paths
    for printed in paths:
        assert re.fullmatch(r"content/news/\d{8}-\d{4}(-\d+)?\.md", printed), printed
        assert (root / printed).is_file()
    stamp = re.search(r"(\d{8})-(\d{4})", paths[0])
    shanghai = dt.datetime.strptime(stamp.group(1) + stamp.group(2), "%Y%m%d%H%M")
    assert abs(dt.datetime.now(SHANGHAI).replace(tzinfo=None) - shanghai) < dt.timedelta(minutes=2)
    check = cli("check", cwd=root)
    assert problem_lines(check) == [*(line for printed in sorted(paths) for line in placeholder_problems(printed)),
                                    "发现 3 个问题；没有写入任何文件。"]
    for printed in paths:
        write_body(root / printed)
    assert cli("check", cwd=root).returncode == 0
