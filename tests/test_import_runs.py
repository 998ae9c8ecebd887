"""Several import runs into one site: runs from several saved copies add up, nothing is lost or written twice,
--prune removes only what is gone from its own copy and untouched, and a dry run is the real run without writing."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from helpers import run_cli, tree_bytes
from importkit import MIRROR, OLD_BASE_URL, fresh_site

HOST = "www.mxrd.gov.cn"
TEXT_78 = """当前位置：首页 > 代表工作 > 履职动态 > 正文
县人大常委会组织代表学习培训
作者：王五　来源：县人大代表工委　发布时间：2020年4月1日

4月1日，县人大常委会举办人大代表履职能力培训班，全县120余名县人大代表参加培训。
培训邀请省人大常委会研究室专家作专题辅导，内容涵盖代表履职基本知识、代表建议撰写等。
"""
TEXT_NEW = """当前位置：首页 > 人大要闻 > 正文
县人大常委会召开机关作风建设大会
发布时间：2020年9月3日

9月3日，县人大常委会召开机关作风建设大会，对机关作风建设工作进行安排部署。
"""
PAGE_81 = """<html><head><meta charset="utf-8"><title>县人大代表走访选民</title></head><body>
<div class="position">当前位置：<a href="/">首页</a> > <a href="/list.asp?classid=5">代表工作</a> >
<a href="/list.asp?classid=6">履职动态</a> > 正文</div>
<div class="newsTitle">县人大代表走访选民</div><div class="newsInfo">来源：县人大代表工委 发布时间：2020-10-10</div>
<div class="newsContent"><p>　　10月10日，县人大代表深入选区走访选民，听取意见建议，详见<a href="/show.asp?id=77">代表视察</a>。</p></div>
</body></html>"""


def mirror_copy(folder: Path) -> Path:
    """Copy A: the wget mirror alone."""
    shutil.copytree(MIRROR / HOST, folder / HOST)
    return folder


def text_copy(folder: Path) -> Path:
    """Copy B: pages saved as text: the seed, an article copy A has too, and one of its own."""
    folder.mkdir(parents=True)
    shutil.copy(MIRROR / "saved-as-text" / "000_cc75199f967369d3.txt", folder)
    (folder / "xuexi-peixun.txt").write_text(TEXT_78, encoding="utf-8")
    (folder / "zuofeng-jianshe.txt").write_text(TEXT_NEW, encoding="utf-8")
    return folder


def section_copy(folder: Path) -> Path:
    """Copy C: a second mirror of a section the first one missed, with a page the first has too."""
    (folder / HOST).mkdir(parents=True)
    (folder / HOST / "show.asp?id=81").write_text(PAGE_81, encoding="utf-8")
    shutil.copy(MIRROR / HOST / "show.asp?id=77", folder / HOST / "show.asp?id=77")
    return folder


def imported(site: Path, source: Path, *extra: str):
    result = run_cli("import", str(source), "--site", str(site), *extra)
    assert result.returncode == 0, result.stderr
    return result


def articles(site: Path) -> dict[str, tuple[str, str]]:
    """file -> (title, day) of every article in content/."""
    found = {}
    for path in sorted((site / "content").rglob("*.md")):
        if path.name != "_index.md":
            front = yaml.safe_load(path.read_text(encoding="utf-8").split("\n---\n", 1)[0].removeprefix("---\n"))
            found[path.relative_to(site).as_posix()] = (str(front["title"]), str(front["date"])[:10])
    return found


def actions(stdout: str) -> list[str]:
    """The file actions a run printed (or, in a dry run, would take)."""
    match = re.search(r"\n(?:文件操作|将进行的文件操作（试运行，没有执行）)：\n((?:  .*\n)*)", stdout)
    return match.group(1).splitlines() if match else []


def test_runs_from_several_copies_add_up_and_a_third_run_loses_and_duplicates_nothing(tmp_path):
    site = fresh_site(tmp_path / "site")
    first, second, third = mirror_copy(tmp_path / "a"), text_copy(tmp_path / "b"), section_copy(tmp_path / "c")
    imported(site, first)
    after_first = articles(site)
    assert len(after_first) == 11
    result = imported(site, second)
    assert "导入文章          2（新建 2，更新 0，不变 0，删除 0）\n" in result.stdout
    assert ("  xuexi-peixun.txt：已由另一次导入写成 content/daibiao-gongzuo/lvzhi-dongtai/2020-04-01-78.md"
            in result.stdout)  # the same article (title and day) from the first copy: pointed at, not written again
    result = imported(site, third)
    assert "  新建 content/daibiao-gongzuo/lvzhi-dongtai/2020-10-10-81.md" in result.stdout
    assert "show.asp?id=77：已由另一次导入写成 content/daibiao-gongzuo/lvzhi-dongtai/2020-03-05-77.md" in result.stdout
    text = (site / "content/daibiao-gongzuo/lvzhi-dongtai/2020-10-10-81.md").read_text(encoding="utf-8")
    assert "[代表视察](/daibiao-gongzuo/lvzhi-dongtai/2020-03-05-77/)" in text  # a link into an earlier run's article
    everything = articles(site)
    assert set(after_first) <= set(everything) and len(everything) == 14
    assert len(set(everything.values())) == len(everything)  # no article twice
    before = tree_bytes(site / "content")
    again = imported(site, first)
    assert "导入文章          11（新建 0，更新 0，不变 11，删除 0）\n" in again.stdout
    assert actions(again.stdout) == [] and tree_bytes(site / "content") == before
    assert actions(imported(site, second).stdout) == [] and tree_bytes(site / "content") == before
    check = run_cli("check", "--site", str(site))
    assert check.returncode == 0, check.stderr
    assert check.stdout.startswith("没有问题：8 个栏目共 14 篇文章")


def test_prune_removes_only_untouched_articles_whose_pages_are_gone_from_its_own_copy(tmp_path):
    site = fresh_site(tmp_path / "site")
    first, second = mirror_copy(tmp_path / "a"), text_copy(tmp_path / "b")
    imported(site, first)
    imported(site, second)
    gone = "content/jiandu-gongzuo/yusuan-jiandu/2020-07-28-79.md"
    edited = "content/qita/2020-08-20-555.md"
    shared = "content/daibiao-gongzuo/lvzhi-dongtai/2020-04-01-78.md"  # the text copy has it too
    (site / edited).write_text((site / edited).read_text(encoding="utf-8") + "\n编辑补充的一段。\n", encoding="utf-8")
    for page in ("show.asp?id=79", "print.asp?id=79", "jsp/article.jsp?articleId=555", "show.asp?id=78"):
        (first / HOST / page).unlink()
    kept = imported(site, first)
    assert actions(kept.stdout) == [] and all((site / rel).exists() for rel in (gone, edited, shared))
    assert f"  {gone}（旧页面 {HOST}/print.asp?id=79、{HOST}/show.asp?id=79）" in kept.stdout
    assert "旧页面已不在这次备份中的文章（没有删除；确实要删除，请加 --prune）：" in kept.stdout
    before = tree_bytes(site)
    dry = imported(site, first, "--prune", "--dry-run")
    assert dry.stdout.startswith(f"以下 1 篇文章的旧页面已不在 {first.resolve()} 中，导入后也没有被改过；去掉 --dry-run 后将"
                                 f"被删除（--prune）：\n  {gone}\n\n")
    assert tree_bytes(site) == before
    pruned = imported(site, first, "--prune")
    assert pruned.stdout.startswith(f"以下 1 篇文章的旧页面已不在 {first.resolve()} 中，导入后也没有被改过，将被删除（--prune）："
                                    f"\n  {gone}\n\n")  # listed before anything is removed
    assert actions(pruned.stdout) == [f"  删除 {gone}"]
    assert not (site / gone).exists() and (site / gone).parent.is_dir()
    assert (f"  {edited}：旧页面已不在这次的备份中，但文件导入后被编辑改过，没有删除；不需要的话请手工删除"
            in pruned.stdout)
    assert (site / edited).read_text(encoding="utf-8").endswith("编辑补充的一段。\n")
    assert (site / shared).exists()  # the text copy still gives it
    assert all((site / rel).exists() for rel in articles(site)) and len(articles(site)) == 12
    assert actions(imported(site, second, "--prune").stdout) == []  # the other copy's articles are all there
    assert run_cli("check", "--site", str(site)).returncode == 0


def test_an_article_an_editor_deleted_is_not_imported_again_unless_forced(tmp_path):
    site = fresh_site(tmp_path / "site")
    first = mirror_copy(tmp_path / "a")
    imported(site, first)
    rel = "content/jiandu-gongzuo/yusuan-jiandu/2020-07-28-79.md"
    data = (site / rel).read_bytes()
    (site / rel).unlink()
    result = imported(site, first)
    assert not (site / rel).exists() and actions(result.stdout) == []
    assert f"  {rel}：导入后被编辑删除，没有重新创建；确实要重新导入，请加 --force" in result.stdout
    forced = imported(site, first, "--force")
    assert actions(forced.stdout) == [f"  新建 {rel}"] and (site / rel).read_bytes() == data


def test_a_copy_moved_or_cloned_elsewhere_updates_its_articles_instead_of_writing_them_twice(tmp_path):
    site = fresh_site(tmp_path / "site")
    first = mirror_copy(tmp_path / "a")
    imported(site, first)
    before = articles(site)
    moved = first.rename(tmp_path / "moved")  # a colleague's clone, or the folder renamed
    page = moved / HOST / "show.asp?id=77"
    page.write_bytes(page.read_bytes().replace("<b>代表视察".encode("gbk"), "<b>县人大代表视察".encode("gbk")))
    result = imported(site, moved)
    rel = "content/daibiao-gongzuo/lvzhi-dongtai/2020-03-05-77.md"
    assert actions(result.stdout) == [f"  更新 {rel}"]
    assert len(articles(site)) == len(before) and articles(site)[rel] == ("县人大代表视察农村人居环境整治", "2020-03-05")
    check = run_cli("check", "--site", str(site))
    assert check.returncode == 0, check.stderr
    assert str(moved) in (site / "import-record.json").read_text(encoding="utf-8")


def test_a_record_of_the_first_importer_version_is_taken_over_without_duplicates(tmp_path):
    site = fresh_site(tmp_path / "site")
    first = mirror_copy(tmp_path / "a")
    imported(site, first)
    import json
    record = json.loads((site / "import-record.json").read_text(encoding="utf-8"))
    (site / "import-record.json").write_text(json.dumps({"version": 1, "files": {
        rel: entry["digest"] for rel, entry in record["files"].items()}}), encoding="utf-8")
    before = tree_bytes(site / "content")
    again = imported(site, first)
    assert actions(again.stdout) == [] and tree_bytes(site / "content") == before
    assert json.loads((site / "import-record.json").read_text(encoding="utf-8")) == record


def normalised(stdout: str) -> str:
    """A run's report with what may differ between a dry run and the real run masked: the dry run's words and
    the time taken."""
    for dry, real in (("旧网站导入报告（试运行：没有写入任何文件）\n", "旧网站导入报告\n"), ("（将新建 ", "（新建 "),
                      ("，将更新 ", "，更新 "), ("，将删除 ", "，删除 "),
                      ("将进行的文件操作（试运行，没有执行）：", "文件操作："), ("然后去掉 --dry-run 再运行导入", "然后再运行导入"),
                      ("；去掉 --dry-run 后将被删除（--prune）：", "，将被删除（--prune）：")):
        stdout = stdout.replace(dry, real)
    return re.sub(r"(用时\s+)[\d.]+ 秒", r"\g<1>0.00 秒", stdout)


def edit_article(site: Path, tmp: Path) -> None:
    rel = site / "content/renda-yaowen/2019-11-08-12345.md"
    rel.write_text(rel.read_text(encoding="utf-8").replace("主持会议", "主持会议并讲话"), encoding="utf-8")


def change_mapping(site: Path, tmp: Path) -> None:
    mapping = (site / "import-map.yaml").read_text(encoding="utf-8")
    mapping = mapping.replace('"监督工作 > 执法检查": jiandu-gongzuo/zhifa-jiancha', '"监督工作 > 执法检查": jiandu')
    (site / "import-map.yaml").write_text(mapping.replace("no_breadcrumb: qita", "no_breadcrumb: tongzhi-gonggao"),
                                          encoding="utf-8")


def remove_pages(site: Path, tmp: Path) -> None:
    for page in ("show.asp?id=79", "print.asp?id=79", "jsp/notice.jsp"):
        (tmp / "a" / HOST / page).unlink()


# (what to do to the site or the copies first, which copy to import, the options, whether files change)
STEPS = [
    (None, "a", ("--old-base-url", OLD_BASE_URL), True),
    (None, "a", (), False),
    (edit_article, "a", (), False),  # the edited article is kept
    (change_mapping, "a", (), True),  # articles move
    (None, "a", ("--force",), True),  # the edited article is replaced
    (remove_pages, "a", (), False),  # pages gone from copy a: listed, nothing removed
    (None, "a", ("--prune",), True),  # their articles removed
    (None, "mirror", (), True),  # the same pages in another folder, with the seed saved as text
    (None, "b", (), True),
    (None, "c", (), True),
    (None, "b", ("--prune",), False),
]


def test_the_dry_run_prints_what_the_real_run_does_at_every_step(tmp_path):
    site = fresh_site(tmp_path / "site")
    copies = {"mirror": MIRROR, "a": mirror_copy(tmp_path / "a"), "b": text_copy(tmp_path / "b"),
              "c": section_copy(tmp_path / "c")}
    for number, (change, copy, options, changes) in enumerate(STEPS):
        if change is not None:
            change(site, tmp_path)
        dry_site = tmp_path / f"dry-{number}"
        shutil.copytree(site, dry_site)
        before = tree_bytes(dry_site)
        dry = imported(dry_site, copies[copy], *options, "--dry-run")
        written = set(tree_bytes(dry_site)) - set(before)
        assert written <= {"import-map.yaml"} and all(tree_bytes(dry_site)[rel] == data for rel, data in before.items())
        real = imported(site, copies[copy], *options)
        assert normalised(dry.stdout) == normalised(real.stdout), f"step {number}: {change} {copy} {options}"
        assert bool(actions(real.stdout)) == changes, f"step {number}: {actions(real.stdout)}"


@pytest.mark.parametrize("options", [(), ("--prune",)])
def test_a_second_run_of_the_whole_fixture_does_nothing(tmp_path, options):
    site = fresh_site(tmp_path / "site")
    imported(site, MIRROR, "--old-base-url", OLD_BASE_URL)
    before = tree_bytes(site)
    again = imported(site, MIRROR, "--old-base-url", OLD_BASE_URL, *options)
    assert actions(again.stdout) == []
    assert {rel: data for rel, data in tree_bytes(site).items() if rel != "import-report.txt"} == \
        {rel: data for rel, data in before.items() if rel != "import-report.txt"}


def test_a_dry_run_then_the_real_run_on_the_same_site_do_the_same(tmp_path):
    site = fresh_site(tmp_path / "site")
    dry = imported(site, MIRROR, "--dry-run")  # writes import-map.yaml, which the real run then reads
    assert (site / "import-map.yaml").is_file() and not (site / "import-record.json").exists()
    real = imported(site, MIRROR)
    assert actions(real.stdout) == actions(dry.stdout) and len(actions(real.stdout)) == 26
    assert normalised(dry.stdout).replace("\n\n已写出 import-map.yaml：请检查其中的文件夹和栏目名，需要时修改，然后再运行导入\n",
                                          "\n") == normalised(real.stdout)
