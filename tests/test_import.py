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
    assert "导入文章          12（新建 0，更新 0，不变 12，删除 0）\n" in again.stdout
    assert "文件操作：" not in again.stdout  # nothing to do
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
    assert import_fixture(site).stdout.count("\n  新建 ") == 0  # and stays there


def test_dry_run_writes_only_the_mapping_and_prints_the_plan(tmp_path):
    site = fresh_site(tmp_path / "site")
    before = tree_bytes(site)
    result = import_fixture(site, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("旧网站导入报告（试运行：没有写入任何文件）\n")
    assert f"  新建 {ARTICLE}" in result.stdout and "将进行的文件操作（试运行，没有执行）：" in result.stdout
    assert "已写出 import-map.yaml：请检查其中的文件夹和栏目名，需要时修改，然后去掉 --dry-run 再运行导入" in result.stdout
    after = tree_bytes(site)
    assert set(after) - set(before) == {"import-map.yaml"}
    assert all(after[rel] == before[rel] for rel in before)
    again = import_fixture(site, "--dry-run")  # the mapping now exists: nothing at all is written
    assert tree_bytes(site) == after and "已写出 import-map.yaml" not in again.stdout


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
    assert "映射跳过          5\n" in result.stdout
    assert not (site / "content/renda-yaowen").exists() and not (site / "content/qita").exists()


def test_a_bad_folder_in_the_mapping_is_an_error_with_its_line(tmp_path):
    site = fresh_site(tmp_path / "site")
    (site / "import-map.yaml").write_text('sections:\n  "人大要闻": Renda Yaowen\n', encoding="utf-8")
    result = import_fixture(site)
    assert result.returncode == 1
    assert result.stderr == ("import-map.yaml:2:4: 栏目“人大要闻”→“Renda Yaowen”：文件夹名只能用小写字母 a-z、数字和“-”，"
                             "上下级之间用“/”分隔（如 daibiao-gongzuo/lvzhi-dongtai），或者写 skip\n"
                             "发现 1 个问题；没有导入任何文章。\n")
    assert not (site / "content/renda-yaowen").exists()
    english = import_fixture(site, "--lang", "en")
    assert english.stderr == ("import-map.yaml:2:4: section '人大要闻' -> 'Renda Yaowen': a folder is lowercase "
                              "letters a-z, digits and '-', with '/' between levels (such as "
                              "daibiao-gongzuo/lvzhi-dongtai), or 'skip'\n1 problem found; nothing was imported.\n")


def test_mistakes_in_the_mapping_name_their_line_in_chinese(tmp_path):
    site = fresh_site(tmp_path / "site")
    for mapping, expected in (
        ('sections:\n  "人大要闻": renda-yaowen\n  "通知公告: tongzhi\n',
         "import-map.yaml:3:3: YAML 格式有误（这里开始的引号没有结束）：请检查这一行的冒号、引号和括号；如果值里有“: ”或“#”，或以引号、方括号开头，请把整个值放进一对英文单引号"),
        ("sectons:\n  通知公告: tongzhi\n", "import-map.yaml:1:1: 不认识的项“sectons”（是不是“sections”？）：只能用 "
                                          "no_breadcrumb、sections、titles"),
        ("titles:\n  renda: \n", "import-map.yaml:2:3: “renda”的栏目名应是文字，如 履职动态"),
        ("- renda\n", "import-map.yaml:1:1: 应是一行一个的“键: 值”，键只能是 no_breadcrumb、sections、titles"),
    ):
        (site / "import-map.yaml").write_text(mapping, encoding="utf-8")
        result = import_fixture(site)
        assert (result.returncode, result.stderr) == (1, expected + "\n发现 1 个问题；没有导入任何文章。\n")
    (site / "import-map.yaml").write_text("titles：\n  renda-yaowen: 人大要闻\n", encoding="utf-8")  # a Chinese colon
    assert import_fixture(site).returncode == 0


def test_the_report_is_chinese_by_default_and_english_on_request(tmp_path):
    site = fresh_site(tmp_path / "site")
    chinese = import_fixture(site)
    assert chinese.stdout.startswith("旧网站导入报告\n\n读取页面          28\n导入文章          12（新建 12，更新 0，不变 0，"
                                     "删除 0）\n跳过列表等        11（文件 2、框架页 1、首页 1、列表页 5、跳转页 1、搜索页 1）\n")
    assert "\n失败页面（没有导入）：\n  www.mxrd.gov.cn/show.asp?id=90：按 utf-8 读出的是乱码（页面声明的编码是 utf-8）；" \
           "请从旧网站重新保存这个页面\n" in chinese.stdout
    assert (site / "import-report.txt").read_text(encoding="utf-8") == chinese.stdout
    english = import_fixture(site, "--lang", "en")
    assert english.stdout.startswith("Import report\n\npages read                          28\narticles imported"
                                     "                   12  (new 0, updated 0, unchanged 12, removed 0)\n")
    assert "\nPages that failed (not imported):\n  www.mxrd.gov.cn/show.asp?id=90: the text is mojibake as utf-8 " \
           "(declared utf-8); save the page again from the old site\n" in english.stdout
    assert "  renda-yaowen 人大要闻: 4 articles\n  tongzhi-gonggao 通知公告: 1 article\n" in english.stdout
    assert not any(word in english.stdout for word in ("旧网站导入报告", "读取页面", "失败页面", "篇", "：请"))
    assert (site / "import-report.txt").read_text(encoding="utf-8") == english.stdout


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
    assert missing.stderr == (f"build.py import：错误：{tmp_path / 'nowhere'} 不是文件夹：请给出旧网站备份所在的文件夹"
                              "（wget --mirror 保存的文件夹，或另存为文本的页面所在的文件夹）\n")
    (tmp_path / "empty").mkdir()
    empty = run_cli("import", str(tmp_path / "empty"), "--site", str(site))
    assert empty.stderr == (f"build.py import：错误：{tmp_path / 'empty'} 里没有保存的网页（.htm、.html、.shtml、"
                            ".asp、.jsp、.php 或 .txt 文件）\n")
    no_site = run_cli("import", str(MIRROR), "--site", str(tmp_path))
    assert no_site.stderr == (f"build.py import：错误：找不到 {tmp_path / 'site.yaml'}：请在网站文件夹中运行导入，或用 "
                              "--site 指定网站文件夹\n")
    english = run_cli("import", str(MIRROR), "--site", str(tmp_path), "--lang", "en")
    assert english.stderr == (f"build.py import: error: {tmp_path / 'site.yaml'} not found: run the import in the "
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
    assert ("\n网站中已有的文章（标题和日期相同），没有导入；要让旧地址跳转到网站中的文章，请把旧地址加到它的 aliases: 中：\n"
            "  saved-as-text/000_cc75199f967369d3.txt：content/daibiao-gongzuo/lvzhi-dongtai/liangge-jiguan.md\n"
            in result.stdout)
    assert not (typed.parent / "2019-11-08-000-cc75199f967369d3.md").exists()


def test_the_host_folder_itself_as_the_copy_links_to_its_own_site_are_recognised(tmp_path):
    site = fresh_site(tmp_path / "site")
    result = run_cli("import", str(MIRROR / "www.mxrd.gov.cn"), "--site", str(site))
    assert result.returncode == 0, result.stderr
    text = (site / "content/daibiao-gongzuo/lvzhi-dongtai/2020-03-05-77.md").read_text(encoding="utf-8")
    assert "详见[常委会会议](/renda-yaowen/2019-11-08-12345/)。" in text  # written as http://www.mxrd.gov.cn/...
    assert "mxrd.gov.cn" not in "".join(p.read_text(encoding="utf-8") for p in (site / "content").rglob("*.md"))
