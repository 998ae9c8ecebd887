"""The import command on the fixture mirror: exact expected articles, re-runs, editors' changes, dry runs, mapping."""

from __future__ import annotations

from pathlib import Path

from helpers import run_cli, tree_bytes
from importkit import EXPECTED, MIRROR, fresh_site, import_fixture, result_tree

ARTICLE = "content/renda-yaowen/2019-11-08-12345.md"


def test_fixture_import_writes_exactly_the_expected_files(tmp_path):
    site = fresh_site(tmp_path / "site")
    result = import_fixture(site)
    assert result.returncode == 0, result.stderr
    actual, expected = result_tree(site), tree_bytes(EXPECTED)
    assert sorted(actual) == sorted(expected)
    for rel in expected:
        assert actual[rel].decode("utf-8", "replace") == expected[rel].decode("utf-8", "replace"), rel
        assert actual[rel] == expected[rel], rel


def test_import_then_check_and_build_pass(tmp_path):
    site = fresh_site(tmp_path / "site")
    assert import_fixture(site).returncode == 0
    check = run_cli("check", "--site", str(site))
    assert check.returncode == 0, check.stderr
    assert check.stdout.startswith("没有问题：8 个栏目共 12 篇文章，")
    build = run_cli("build", "--site", str(site), "--no-search")
    assert build.returncode == 0, build.stderr
    output = site / "output"
    assert (output / "renda-yaowen/2019-11-08-12345/index.html").is_file()
    assert (output / "content/2019-11/08/content_12345.htm").is_file()  # a plain old address: a redirect page
    assert (output / "html/2019/1108/12345.shtml").is_file()  # the duplicate's address too
    assert not list(output.rglob("*\\?*"))  # query addresses get no file: the 404 page redirects them
    redirects = (output / "redirects.json").read_text(encoding="utf-8")
    assert '"/show.asp?id=77": "/daibiao-gongzuo/lvzhi-dongtai/2020-03-05-77/"' in redirects
    assert '"/jsp/article.jsp?articleid=555": "/qita/2020-08-20-555/"' in redirects
    assert '"/list.asp?classid=7": "/jiandu-gongzuo/"' in redirects  # an old list page: to its section
    assert '"/show.asp?id=80\\u0026page=2": "/daibiao-gongzuo/lvzhi-dongtai/2019-12-02-80/"' in redirects
    assert "url=/renda-yaowen/" in (output / "content/2019-11/index.htm").read_text(encoding="utf-8")
    assert "mxrd.gov.cn" not in "".join(p.read_text(encoding="utf-8") for p in (site / "content").rglob("*.md"))


def test_second_run_changes_nothing_and_says_so(tmp_path):
    site = fresh_site(tmp_path / "site")
    assert import_fixture(site).returncode == 0
    first = tree_bytes(site / "content")
    again = import_fixture(site)
    assert again.returncode == 0
    assert "articles imported（导入文章）      12  (new 0, updated 0, unchanged 12, removed 0)" in again.stdout
    assert "文件操作:" not in again.stdout  # nothing to do
    assert tree_bytes(site / "content") == first


def test_an_edited_article_is_kept_unless_forced(tmp_path):
    site = fresh_site(tmp_path / "site")
    assert import_fixture(site).returncode == 0
    edited = (site / ARTICLE).read_text(encoding="utf-8").replace("主持会议", "主持会议并讲话")
    (site / ARTICLE).write_text(edited, encoding="utf-8")
    kept = import_fixture(site)
    assert kept.returncode == 0
    message = f"  {ARTICLE}：导入后被编辑改过，没有覆盖；确实要用旧网站的内容覆盖，请加 --force\n"
    assert message in kept.stdout
    assert (site / ARTICLE).read_text(encoding="utf-8") == edited
    assert message in (site / "import-report.txt").read_text(encoding="utf-8")
    forced = import_fixture(site, "--force")
    assert forced.returncode == 0
    assert (site / ARTICLE).read_bytes() == (EXPECTED / ARTICLE).read_bytes()


def test_an_editors_own_file_with_the_same_name_is_never_replaced(tmp_path):
    site = fresh_site(tmp_path / "site")
    own = "---\ntitle: 编辑自己写的\ndate: 2019-11-08\n---\n\n正文。\n"
    (site / ARTICLE).parent.mkdir(parents=True)
    (site / ARTICLE).write_text(own, encoding="utf-8")
    result = import_fixture(site)
    assert (site / ARTICLE).read_text(encoding="utf-8") == own
    beside = ARTICLE.replace("12345.md", "12345-2.md")  # the old article is imported beside it, under another name
    assert f"  新建 {beside}" in result.stdout
    assert (site / beside).read_bytes() == (EXPECTED / ARTICLE).read_bytes()
    assert import_fixture(site).stdout.count("新建") == 0  # and stays there


def test_dry_run_writes_only_the_mapping_and_prints_the_plan(tmp_path):
    site = fresh_site(tmp_path / "site")
    before = tree_bytes(site)
    result = import_fixture(site, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "dry run: nothing was written" in result.stdout
    assert f"  新建 {ARTICLE}" in result.stdout and "将进行的文件操作（试运行，没有执行）:" in result.stdout
    after = tree_bytes(site)
    assert set(after) - set(before) == {"import-map.yaml"}
    assert all(after[rel] == before[rel] for rel in before)
    again = import_fixture(site, "--dry-run")  # the mapping now exists: nothing at all is written
    assert tree_bytes(site) == after and "wrote import-map.yaml" not in again.stdout


def test_editing_the_mapping_renames_and_merges_sections_and_removes_the_old_files(tmp_path):
    site = fresh_site(tmp_path / "site")
    assert import_fixture(site).returncode == 0
    mapping = (site / "import-map.yaml").read_text(encoding="utf-8")
    mapping = mapping.replace('"监督工作 > 执法检查": jiandu-gongzuo/zhifa-jiancha', '"监督工作 > 执法检查": jiandu')
    mapping = mapping.replace('"监督工作 > 预算监督": jiandu-gongzuo/yusuan-jiandu', '"监督工作 > 预算监督": jiandu')
    mapping = mapping.replace("no_breadcrumb: qita", "no_breadcrumb: tongzhi-gonggao")
    mapping = mapping.replace('titles:\n', 'titles:\n  jiandu: 监督工作\n  tongzhi-gonggao: 通知公告\n')
    (site / "import-map.yaml").write_text(mapping, encoding="utf-8")
    result = import_fixture(site)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (site / "content/jiandu").iterdir()) == [
        "2019-11-09-12346.md", "2020-07-28-79.md", "_index.md"]
    assert (site / "content/jiandu/_index.md").read_text(encoding="utf-8") == (
        '---\ntitle: 监督工作\naliases:\n  - "/list.asp?classid=7"\n---\n')  # the old list page follows its articles
    assert (site / "content/tongzhi-gonggao/2020-08-20-555.md").is_file()
    assert not (site / "content/jiandu-gongzuo").exists() and not (site / "content/qita").exists()
    assert run_cli("check", "--site", str(site)).returncode == 0


def test_a_section_mapped_to_skip_is_not_imported(tmp_path):
    site = fresh_site(tmp_path / "site")
    (site / "import-map.yaml").write_text('no_breadcrumb: skip\nsections:\n  "人大要闻": skip\n', encoding="utf-8")
    result = import_fixture(site)
    assert result.returncode == 0
    assert "skipped by import-map（映射跳过）  5" in result.stdout
    assert not (site / "content/renda-yaowen").exists() and not (site / "content/qita").exists()


def test_a_bad_folder_in_the_mapping_is_an_error_with_its_line(tmp_path):
    site = fresh_site(tmp_path / "site")
    (site / "import-map.yaml").write_text('sections:\n  "人大要闻": Renda Yaowen\n', encoding="utf-8")
    result = import_fixture(site)
    assert result.returncode == 1
    assert result.stderr == ("build.py import：错误：import-map.yaml:2:4: section '人大要闻' -> 'Renda Yaowen': a "
                             "folder is lowercase letters a-z, digits and '-', with '/' between levels (such as "
                             "daibiao-gongzuo/lvzhi-dongtai), or 'skip'\n")
    assert not (site / "content/renda-yaowen").exists()


def test_without_old_base_url_missing_files_are_listed_and_their_links_removed(tmp_path):
    site = fresh_site(tmp_path / "site")
    result = run_cli("import", str(MIRROR), "--site", str(site))
    assert result.returncode == 0
    rel = "content/jiandu-gongzuo/zhifa-jiancha/2019-11-09-12346.md"
    assert (f"  {rel}:23：缺少图片 /uploads/2019/11/missing.jpg（旧页面 www.mxrd.gov.cn/content/2019-11/09/"
            "content_12346.htm）。找到这个文件后放到 assets/legacy/uploads/2019/11/missing.jpg，再把这一行的“（图：检查现场）”"
            "改为 ![检查现场](/legacy/uploads/2019/11/missing.jpg)\n") in result.stdout
    text = (site / rel).read_text(encoding="utf-8")
    assert text.split("\n")[22] == "（图：检查现场）"
    assert "检查情况报告见检查报告，" in text and "另见去年的检查。" in text
    assert (site / rel).read_bytes() == (EXPECTED / rel).read_bytes()  # --old-base-url changes no article
    assert run_cli("check", "--site", str(site)).returncode == 0


def test_errors_before_anything_is_read(tmp_path):
    site = fresh_site(tmp_path / "site")
    missing = run_cli("import", str(tmp_path / "nowhere"), "--site", str(site))
    assert missing.returncode == 1
    assert missing.stderr == (f"build.py import：错误：{tmp_path / 'nowhere'} is not a folder: give the folder of "
                              "the saved copy (what wget --mirror wrote, or a folder of pages saved as text)\n")
    (tmp_path / "empty").mkdir()
    empty = run_cli("import", str(tmp_path / "empty"), "--site", str(site))
    assert empty.stderr == (f"build.py import：错误：{tmp_path / 'empty'} holds no saved pages (.htm, .html, "
                            ".shtml, .asp, .jsp, .php or .txt)\n")
    no_site = run_cli("import", str(MIRROR), "--site", str(tmp_path))
    assert no_site.stderr == (f"build.py import：错误：{tmp_path / 'site.yaml'} not found: run the import in the "
                              "site's folder or pass --site DIR\n")


def test_help_lists_the_import_command():
    result = run_cli("--help")
    assert "import" in result.stdout and "python build.py import old-site/ --dry-run" in result.stdout
    sub = run_cli("import", "--help")
    assert "--old-base-url URL" in sub.stdout and "--dry-run" in sub.stdout and "--force" in sub.stdout
    assert "--prune" in sub.stdout and "文章从不链接到旧网站" in "".join(sub.stdout.split())


def test_an_article_the_site_already_has_is_not_imported_twice(tmp_path):
    site = fresh_site(tmp_path / "site")
    typed = site / "content/daibiao-gongzuo/lvzhi-dongtai/liangge-jiguan.md"
    typed.parent.mkdir(parents=True)
    typed.write_text("---\ntitle: 聚焦“两个机关”建设 开启人大工作新征程\ndate: 2019-11-08 11:25:53\n---\n\n正文。\n",
                     encoding="utf-8")
    result = import_fixture(site)
    assert result.returncode == 0
    assert ("  saved-as-text/000_cc75199f967369d3.txt: content/daibiao-gongzuo/lvzhi-dongtai/liangge-jiguan.md"
            in result.stdout)
    assert not (typed.parent / "2019-11-08-000-cc75199f967369d3.md").exists()


def test_the_host_folder_itself_as_the_copy_links_to_its_own_site_are_recognised(tmp_path):
    site = fresh_site(tmp_path / "site")
    result = run_cli("import", str(MIRROR / "www.mxrd.gov.cn"), "--site", str(site))
    assert result.returncode == 0, result.stderr
    text = (site / "content/daibiao-gongzuo/lvzhi-dongtai/2020-03-05-77.md").read_text(encoding="utf-8")
    assert "详见[常委会会议](/renda-yaowen/2019-11-08-12345/)。" in text  # written as http://www.mxrd.gov.cn/...
    assert "mxrd.gov.cn" not in "".join(p.read_text(encoding="utf-8") for p in (site / "content").rglob("*.md"))
