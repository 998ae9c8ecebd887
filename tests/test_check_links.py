"""Internal links, images and heading anchors: reported by `check` and `build` as path:line:col, or as warnings."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from helpers import run_cli, tree_bytes
from photos import tiny

SITE_YAML = """title: 测试人大常委会
base_url: https://example.org/
per_page: 1
footer: [地址：测试县]
"""
SECTIONS = {
    "content/news/_index.md": "---\ntitle: 新闻\nweight: 1\n---\n",
    "content/work/_index.md": "---\ntitle: 工作\nweight: 2\n---\n",
    "content/work/laws/_index.md": "---\ntitle: 法律\nweight: 3\n---\n",
}
TARGET = """---
title: 第二篇
date: 2020-01-03 03:04:05
slug: custom-b
tags: [代表]
aliases: [/content/2019-11/08/content_12345.htm]
---

## 会议内容

### 一、总体要求

## 会议内容
"""
GOOD = """---
title: 第一篇
date: 2020-01-02 03:04:05
---

[首页](/) [栏目](/news/) [子栏目](/work/laws/) [第二页](/news/page/2/) [文章](/news/custom-b/) [相对](../custom-b/)
[无斜杠](/news/custom-b) [index](/news/custom-b/index.html) [查询](/news/?from=a) [打印](/news/custom-b/print/)

[锚](/news/custom-b/#会议内容) [重复锚](/news/custom-b/#会议内容-1) [编号锚](/news/custom-b/#一-总体要求) [编码锚](/news/custom-b/#%E4%BC%9A%E8%AE%AE%E5%86%85%E5%AE%B9)

![图](/images/2020/a.jpg) ![中文图](/images/2020/会议.png) [附件](/files/report.pdf) [样式](/css/site.css)

[标签](/tags/) [搜索](/search/) [归档](/archive/) [订阅](/feed.xml) [旧地址](/content/2019-11/08/content_12345.htm) [站点地图](/sitemap.xml)

[外部](https://www.npc.gov.cn/) [邮件](mailto:a@b.cn) [协议相对](//example.com/x) [电话](tel:123)
"""
RELATIVE = """---
title: 第三篇
date: 2021-01-03
---

[上级](../../) [同级文章](../../../news/custom-b/#会议内容) [本页](#附件) [图](../../../images/2020/a.jpg)

## 附件
"""
BROKEN = """---
title: 坏链接
date: 2020-01-04 03:04:05
---

见[栏目](/news/)和[第二篇](/news/custom-b/)。

中文文字[坏链接](/news/missing/)在此。

![图片](/images/2020/a.jpg) ![缺图](/images/2020/missing.jpg)

[坏锚点](/news/custom-b/#不存在的标题) and [本页](#本页标题) and [没有的本页标题](#没有)

[CSS](/css/site.css) [相对坏](../zzz/) [相对图](../../images/2020/a.jpg) [文件名不是网址](/news/b/)

## 本页标题
"""
# A picture missing from a folder holding other pictures is not one of them misspelt unless its *name* is close
# (missing.jpg is not a.jpg): no "did you mean" here.
NO_SUCH_PICTURE = "不存在（assets/ 里的文件在网站根目录下：assets/images/a.jpg 的地址是 /images/a.jpg）"
EXPECTED = [
    "content/news/broken.md:8:11: 链接失效：/news/missing/ 不存在",
    f"content/news/broken.md:10:33: 图片失效：/images/2020/missing.jpg {NO_SUCH_PICTURE}",
    "content/news/broken.md:12:7: 链接失效：/news/custom-b/#不存在的标题 没有“#不存在的标题”这个小标题"
    "（有的小标题：一-总体要求、会议内容、会议内容-1）",
    "content/news/broken.md:12:61: 链接失效：#没有 没有“#没有”这个小标题（有的小标题：本页标题）",
    "content/news/broken.md:14:28: 链接失效：../zzz/ 不存在",
    "content/news/broken.md:14:78: 链接失效：/news/b/ 不存在",
]
EXPECTED_EN = [
    "content/news/broken.md:8:11: broken link: /news/missing/ does not exist",
    "content/news/broken.md:10:33: broken picture: /images/2020/missing.jpg does not exist (files under assets/ are "
    "served at the site root: assets/images/a.jpg is /images/a.jpg)",
    "content/news/broken.md:12:7: broken link: /news/custom-b/#不存在的标题 has no heading '#不存在的标题' "
    "(headings: 一-总体要求, 会议内容, 会议内容-1)",
    "content/news/broken.md:12:61: broken link: #没有 has no heading '#没有' (headings: 本页标题)",
    "content/news/broken.md:14:28: broken link: ../zzz/ does not exist",
    "content/news/broken.md:14:78: broken link: /news/b/ does not exist",
]
PROBLEM = re.compile(r"^(?:提醒：)?(content/[^:]+):(\d+):(\d+): (?:链接|图片)失效：(\S+) ")
STAGE = re.compile(r"^  \S.*\s\d+\.\d\d s$")


def make_links_site(make_site, extra: dict[str, str] | None = None, site_yaml: str = SITE_YAML) -> Path:
    return make_site({
        **SECTIONS,
        "content/news/b.md": TARGET,
        "content/news/a.md": GOOD,
        "content/work/laws/c.md": RELATIVE,
        "assets/images/2020/a.jpg": tiny("JPEG"),  # real pictures: the build makes phone-sized versions
        "assets/images/2020/会议.png": tiny("PNG"),
        "assets/files/report.pdf": b"%PDF",
        **(extra or {}),
    }, site_yaml=site_yaml)


def problems_of(stderr: str) -> list[str]:
    """The problem lines, without the stage lines and the closing count."""
    return [line for line in stderr.splitlines()
            if not STAGE.match(line) and not re.match(r"发现 \d+ 个问题；|\d+ problems? found; ", line)]


def assert_positions_point_at_targets(site: Path, lines: list[str]) -> None:
    """Each path:line:col names the place in the file where the link's target is written."""
    for problem in lines:
        match = PROBLEM.match(problem)
        assert match, problem
        path, line, col, target = match.group(1), int(match.group(2)), int(match.group(3)), match.group(4)
        text = (site / path).read_text(encoding="utf-8").split("\n")[line - 1]
        assert text[col - 1:].startswith(target), (problem, text)


def test_existing_targets_are_fine(make_site):
    site = make_links_site(make_site)
    result = run_cli("check", "--site", str(site))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("没有问题：3 个栏目共 3 篇文章，")
    assert problems_of(result.stderr) == []
    assert not (site / "output").exists()


def test_anchors_accepted_by_check_exist_in_the_built_pages(make_site):
    site = make_links_site(make_site)
    result = run_cli("build", "--no-search", "--site", str(site))
    assert result.returncode == 0, result.stderr
    target = (site / "output/news/custom-b/index.html").read_text(encoding="utf-8")
    for fragment in re.findall(r"\(/news/custom-b/#([^)]+)\)", GOOD):
        assert f'id="{unquote(fragment)}"' in target, fragment
    assert 'id="附件"' in (site / "output/work/laws/c/index.html").read_text(encoding="utf-8")
    # Every root link in the built article resolves to a file of the built site.
    page = (site / "output/news/a/index.html").read_text(encoding="utf-8")
    built = tree_bytes(site / "output")
    for href in re.findall(r'href="(/[^/"][^"]*)"', page):
        path = unquote(href.split("#")[0].split("?")[0]).lstrip("/")
        assert path in built or path.rstrip("/") + "/index.html" in built or path + "/index.html" in built, href


def test_check_reports_every_broken_link_image_and_anchor_with_its_position(make_site):
    site = make_links_site(make_site, {"content/news/broken.md": BROKEN})
    result = run_cli("check", "--site", str(site))
    assert result.returncode == 1
    assert result.stdout == ""
    assert problems_of(result.stderr) == EXPECTED
    assert result.stderr.splitlines()[-1] == f"发现 {len(EXPECTED)} 个问题；没有写入任何文件。"
    assert_positions_point_at_targets(site, EXPECTED)
    assert not (site / "output").exists()
    assert not list(site.glob(".output*"))


def test_check_reports_broken_links_in_english_with_lang_en(make_site):
    site = make_links_site(make_site, {"content/news/broken.md": BROKEN})
    result = run_cli("check", "--site", str(site), "--lang", "en")
    assert result.returncode == 1
    assert problems_of(result.stderr) == EXPECTED_EN
    assert result.stderr.splitlines()[-1] == f"{len(EXPECTED_EN)} problems found; nothing was written."


def test_positions_with_windows_line_endings_a_bom_and_reference_links(make_site):
    crlf = "---\r\ntitle: 第三篇\r\ndate: 2020-01-04\r\n---\r\n\r\n第一行\r\n第二行[坏](/x/)\r\n"
    bom = "\ufeff---\ntitle: 第四篇\ndate: 2020-01-05\n---\n段落[好](/news/custom-b/)\n和[坏][r]\n\n[r]: /ref-missing/\n"
    site = make_links_site(make_site, {"content/news/crlf.md": crlf, "content/news/bom.md": bom})
    result = run_cli("check", "--site", str(site))
    assert result.returncode == 1
    assert problems_of(result.stderr) == [
        "content/news/bom.md:8:6: 链接失效：/ref-missing/ 不存在",
        "content/news/crlf.md:7:8: 链接失效：/x/ 不存在",
    ]


def test_build_fails_on_the_same_problems_and_keeps_the_old_output(make_site):
    site = make_links_site(make_site)
    assert run_cli("build", "--no-search", "--site", str(site)).returncode == 0
    before = tree_bytes(site / "output")
    (site / "content/news/broken.md").write_text(BROKEN, encoding="utf-8")
    result = run_cli("build", "--no-search", "--site", str(site))
    assert result.returncode == 1
    assert result.stdout == ""
    assert problems_of(result.stderr) == EXPECTED
    assert result.stderr.splitlines()[-1] == f"发现 {len(EXPECTED)} 个问题；没有写入任何文件，output/ 保持原样。"
    assert tree_bytes(site / "output") == before


def test_broken_links_warn_builds_and_prints_warnings(make_site):
    site = make_links_site(make_site, {"content/news/broken.md": BROKEN})
    result = run_cli("build", "--no-search", "--broken-links", "warn", "--site", str(site))
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("提醒：")]
    assert warnings == ["提醒：" + line for line in EXPECTED]
    assert result.stdout.startswith("已生成网站：3 个栏目共 4 篇文章，")
    page = (site / "output/news/broken/index.html").read_text(encoding="utf-8")
    assert 'href="/news/missing/"' in page  # built as written
    # check --broken-links warn: the same warnings, exit 0, still nothing written.
    checked = run_cli("check", "--broken-links", "warn", "--site", str(site), "--output", str(site / "elsewhere"))
    assert checked.returncode == 0, checked.stderr
    assert [line for line in checked.stderr.splitlines() if line.startswith("提醒：")] == warnings
    assert not (site / "elsewhere").exists()
    english = run_cli("check", "--broken-links", "warn", "--site", str(site), "--lang", "en")
    assert english.returncode == 0, english.stderr
    assert [line for line in english.stderr.splitlines() if line.startswith("warning: ")] == [
        "warning: " + line for line in EXPECTED_EN]


def test_root_links_work_under_a_sub_path(make_site):
    site = make_links_site(make_site, {"content/news/broken.md": BROKEN})
    result = run_cli("check", "--site", str(site), "--base-url", "https://example.github.io/repo/")
    assert problems_of(result.stderr) == EXPECTED  # the same problems, no new ones
    (site / "content/news/broken.md").unlink()
    built = run_cli("build", "--no-search", "--site", str(site), "--base-url", "https://example.github.io/repo/")
    assert built.returncode == 0, built.stderr
    page = (site / "output/news/a/index.html").read_text(encoding="utf-8")
    assert 'href="/repo/news/custom-b/"' in page and 'src="/repo/images/2020/a.jpg"' in page
    assert 'href="../custom-b/"' in page  # relative links are left as written


# ---------------------------------------------------------------- gaps found while writing these tests

def test_missing_anchor_is_reported_however_the_article_is_addressed(make_site):
    """/news/custom-b and /news/custom-b/index.html are the same page as /news/custom-b/ (check accepts them):
    a heading missing from that page is just as broken."""
    text = ("---\ntitle: 锚点\ndate: 2020-01-06\n---\n\n"
            "[无斜杠](/news/custom-b#没有的标题) [index](/news/custom-b/index.html#也没有)\n")
    site = make_links_site(make_site, {"content/news/anchors.md": text})
    result = run_cli("check", "--site", str(site))
    assert result.returncode == 1, "missing headings of /news/custom-b and /news/custom-b/index.html pass unnoticed"
    assert problems_of(result.stderr) == [
        "content/news/anchors.md:6:7: 链接失效：/news/custom-b#没有的标题 没有“#没有的标题”这个小标题"
        "（有的小标题：一-总体要求、会议内容、会议内容-1）",
        "content/news/anchors.md:6:37: 链接失效：/news/custom-b/index.html#也没有 没有“#也没有”这个小标题"
        "（有的小标题：一-总体要求、会议内容、会议内容-1）",
    ]


def test_two_broken_links_to_the_same_target_on_one_line_are_both_reported(make_site):
    text = "---\ntitle: 两个\ndate: 2020-01-06\n---\n\n[一](/gone/)和[二](/gone/)\n"
    site = make_links_site(make_site, {"content/news/twice.md": text})
    result = run_cli("check", "--site", str(site))
    assert result.returncode == 1
    assert problems_of(result.stderr) == [
        "content/news/twice.md:6:5: 链接失效：/gone/ 不存在",
        "content/news/twice.md:6:17: 链接失效：/gone/ 不存在",
    ]


def test_links_in_a_section_introduction_are_checked(make_site):
    """A section's _index.md body is Markdown shown on its list page; its links can break like an article's."""
    site = make_links_site(make_site, {
        "content/work/_index.md": "---\ntitle: 工作\nweight: 2\n---\n见[不存在的栏目](/nowhere/)。\n"})
    result = run_cli("check", "--site", str(site))
    assert result.returncode == 1, "a broken link in content/work/_index.md passes check"
    assert problems_of(result.stderr) == ["content/work/_index.md:5:11: 链接失效：/nowhere/ 不存在"]


def test_serve_forgets_a_broken_image_once_the_picture_is_added(make_site, tmp_path):
    """The preview keeps unchanged texts' link results only while everything they can point at is the same:
    adding the missing picture under assets/ clears the problem without touching the article."""
    import pytest
    from sitegen.pipeline import Builder, BuildOptions
    from sitegen.problems import BuildFailed
    site = make_links_site(make_site, {"content/news/d.md": "---\ntitle: 缺图\ndate: 2020-01-05\n---\n\n"
                                                           "![缺图](/images/2020/new.jpg)\n"})
    builder = Builder(site / "site.yaml", BuildOptions(output_dir=tmp_path / "preview", search=False, jobs=1,
                                                       preview=True))
    with pytest.raises(BuildFailed) as failed:
        builder.build()
    assert [str(p) for p in failed.value.problems] == [f"content/news/d.md:6:7: 图片失效：/images/2020/new.jpg {NO_SUCH_PICTURE}"]
    (site / "assets/images/2020/new.jpg").write_bytes(tiny("JPEG"))
    builder.build()
    assert (tmp_path / "preview/images/2020/new.jpg").is_file()
    (site / "assets/images/2020/new.jpg").unlink()
    with pytest.raises(BuildFailed):
        builder.build()


def test_backslashes_in_addresses_are_read_as_slashes_with_a_warning(make_site):
    """Issue 21: a Windows path (\\images\\2020\\a.jpg) works, and the editor is told to write / next time."""
    text = ("---\ntitle: 反斜杠\ndate: 2020-01-06\n---\n\n会场：\n\n![会场](\\images\\2020\\a.jpg)\n\n"
            "[附件](\\files\\report.pdf)\n")
    site = make_links_site(make_site, {"content/news/slashes.md": text})
    result = run_cli("build", "--no-search", "--site", str(site))
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if line.startswith("提醒：")] == [
        "提醒：content/news/slashes.md:8:7: \\images\\2020\\a.jpg 里用了反斜杠“\\”；已按 /images/2020/a.jpg 读取：网址里请用“/”",
        "提醒：content/news/slashes.md:10:6: \\files\\report.pdf 里用了反斜杠“\\”；已按 /files/report.pdf 读取：网址里请用“/”"]
    page = (site / "output/news/slashes/index.html").read_text(encoding="utf-8")
    assert 'src="/images/2020/a.jpg"' in page and 'href="/files/report.pdf"' in page
    english = run_cli("check", "--site", str(site), "--lang", "en")
    assert [line for line in english.stderr.splitlines() if line.startswith("warning: ")] == [
        "warning: content/news/slashes.md:8:7: \\images\\2020\\a.jpg has backslashes (\\); it was read as "
        "/images/2020/a.jpg: write / in addresses",
        "warning: content/news/slashes.md:10:6: \\files\\report.pdf has backslashes (\\); it was read as "
        "/files/report.pdf: write / in addresses"]
