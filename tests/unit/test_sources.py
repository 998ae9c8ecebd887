"""discover_sources and decode: content/ read in sorted order, text normalised, bad bytes named by line."""

from __future__ import annotations

from sitegen.messages import language_named
from sitegen.sources import SourceFile, decode, discover_sources

ENGLISH = language_named("en")

BOM = b"\xef\xbb\xbf"


def make(root, files: dict[str, bytes | str]):
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return root


# --- decode -----------------------------------------------------------------------------------------

def test_decode_plain_utf8_unchanged():
    assert decode("第一行\n第二行\n".encode(), "p") == ("第一行\n第二行\n", None)


def test_decode_drops_bom_and_folds_line_endings():
    assert decode(BOM + "a\r\nb\r\n".encode(), "p") == ("a\nb\n", None)
    assert decode(b"a\rb\r\nc\n", "p") == ("a\nb\nc\n", None)


def test_decode_keeps_a_bom_like_character_later_in_the_text():
    assert decode("a\ufeffb".encode(), "p") == ("a\ufeffb", None)


def test_decode_names_the_line_and_column_of_a_gbk_byte():
    raw = b"---\ntitle: ok\ndate: 2020-01-02\n" + "author: 张三\n".encode("gbk")
    text, problem = decode(raw, "content/news/a.md")
    assert text is None
    assert (problem.path, problem.line, problem.col) == ("content/news/a.md", 4, 9)
    assert problem.message.said() == "文件不是 UTF-8 编码（字节 0xd5）：请用 UTF-8 编码保存（记事本：另存为 > 编码 选 UTF-8）"
    assert problem.message.said(ENGLISH) == ("file is not UTF-8 (byte 0xd5); save it with UTF-8 encoding (in Notepad: "
                                             "Save As > Encoding UTF-8)")


def test_decode_with_bom_counts_lines_of_the_whole_file():
    text, problem = decode(BOM + b"---\ntitle: \xff\n", "p")
    assert (problem.line, problem.col) == (2, 8)


def test_decode_on_the_first_line_after_a_bom():
    """The BOM is invisible in an editor: 'ab' are the only characters before the bad byte."""
    _, problem = decode(BOM + b"ab\xffc\n", "p")
    assert (problem.line, problem.col) == (1, 3)


def test_decode_column_counts_characters_not_bytes():
    """An editor's column counts characters: 'title: 会议' is 9 characters before the bad byte (33 bytes later)."""
    raw = "---\ntitle: 会议".encode("utf-8") + "张三".encode("gbk") + b"\n"
    _, problem = decode(raw, "p")
    assert (problem.line, problem.col) == (2, 10)


def test_decode_crlf_file_line_number():
    _, problem = decode(b"a\r\nb\r\nc \xc3\x28\r\n", "p")
    assert (problem.line, problem.col) == (3, 3)


# --- discover_sources --------------------------------------------------------------------------------

def test_discover_reads_markdown_in_sorted_order(tmp_path):
    content = make(tmp_path / "content", {
        "b/_index.md": "b", "a/z.md": "z", "a/_index.md": "a", "a/sub/_index.md": "s", "a/sub/m.md": "m",
        "_index.md": "home", "a/c.md": BOM + b"c\r\n",
    })
    found = discover_sources(content)
    assert [f.rel for f in found.files] == ["_index.md", "a/_index.md", "a/c.md", "a/z.md", "a/sub/_index.md",
                                           "a/sub/m.md", "b/_index.md"]
    assert found.folders == ("", "a", "a/sub", "b")
    assert found.problems == ()
    c = found.files[2]
    assert (c.path, c.text, c.folder, c.is_index) == ("content/a/c.md", "c\n", "a", False)
    assert c.size == len(BOM) + 3 and c.mtime_ns > 0
    assert found.files[4].is_index and found.files[4].folder == "a/sub"
    assert found.files[0].folder == ""


def test_dot_files_and_dot_folders_are_skipped(tmp_path):
    content = make(tmp_path / "content", {"a/_index.md": "a", "a/.draft.md.swp": b"\x00", ".git/x.md": "x",
                                          "a/.hidden/b.md": "b", ".DS_Store": b"\x00"})
    found = discover_sources(content)
    assert [f.rel for f in found.files] == ["a/_index.md"]
    assert found.folders == ("", "a")
    assert found.problems == ()


def test_other_files_are_problems_and_bad_files_do_not_stop_the_rest(tmp_path):
    content = make(tmp_path / "content", {"a/_index.md": "a", "a/photo.jpg": b"\xff\xd8",
                                          "a/gbk.md": "标题".encode("gbk"), "a/ok.md": "ok"})
    found = discover_sources(content)
    assert [f.rel for f in found.files] == ["a/_index.md", "a/ok.md"]
    shown = [(p.path, p.line, p.col, p.message.said()) for p in found.problems]
    assert shown == [
        ("content/a/gbk.md", 1, 1, "文件不是 UTF-8 编码（字节 0xb1）：请用 UTF-8 编码保存（记事本：另存为 > 编码 选 UTF-8）"),
        ("content/a/photo.jpg", 1, 1, "content/ 里只能放 Markdown 文件（.md）；图片和附件请放在 assets/ 里"
                                      "（assets/images/a.jpg 的地址是 /images/a.jpg）"),
    ]


def test_an_article_saved_as_md_in_capitals_or_as_txt_is_told_its_new_name(tmp_path):
    content = make(tmp_path / "content", {"a/_index.md": "a", "a/huiyi.MD": "x", "a/tongzhi.txt": "x"})
    found = discover_sources(content)
    assert [(p.path, p.message.said()) for p in found.problems] == [
        ("content/a/huiyi.MD", "文章文件名要以小写的 .md 结尾：请改名为 huiyi.md"),
        ("content/a/tongzhi.txt", "文章文件名要以小写的 .md 结尾：请改名为 tongzhi.md")]


def test_links_as_os_walk_treats_them_and_serve_sees_what_changed(tmp_path):
    """A linked file is read, a dangling link is a problem, a linked folder is not entered (os.walk's rules);
    with serve's last files, an unchanged file is the very same object and an edited one is read again."""
    import os
    content = make(tmp_path / "content", {"a/_index.md": "a", "a/b.md": "b", "elsewhere/x.md": "x"})
    outside = make(tmp_path / "outside", {"y.md": "y", "sub/z.md": "z"})
    os.symlink(outside / "y.md", content / "a" / "linked.md")
    os.symlink(outside / "sub", content / "a" / "folder")
    os.symlink(tmp_path / "gone.md", content / "a" / "dangling.md")
    found = discover_sources(content)
    assert [(f.rel, f.text) for f in found.files] == [("a/_index.md", "a"), ("a/b.md", "b"), ("a/linked.md", "y"),
                                                     ("elsewhere/x.md", "x")]
    assert found.folders == ("", "a", "elsewhere")
    assert [(p.path, p.message.said()) for p in found.problems] == [
        ("content/a/dangling.md", "无法读取这个文件（找不到它：它被移走或删除了，或者是指向已不存在文件的链接）：请检查它是否存在、能否打开")]
    assert [p.message.said(ENGLISH) for p in found.problems] == [
        "cannot read this file (it is not there: moved or deleted, or a link to a file that is gone); check that it "
        "exists and can be opened"]
    (content / "a" / "b.md").write_text("edited, and longer")
    again = discover_sources(content, known={f.rel: f for f in found.files})
    assert [f.text for f in again.files] == ["a", "edited, and longer", "y", "x"]
    assert again.files[0] is found.files[0] and again.files[1] is not found.files[1]
    assert again.problems == found.problems


def test_missing_content_folder_is_one_problem(tmp_path):
    found = discover_sources(tmp_path / "content")
    assert found.files == () and found.folders == ()
    assert len(found.problems) == 1
    assert found.problems[0].path == "content"
    assert found.problems[0].message.said() == f"找不到文件夹 {tmp_path / 'content'}：文章应放在 content/栏目/文件名.md"
    assert found.problems[0].message.said(ENGLISH) == \
        f"folder {tmp_path / 'content'} not found: articles live in content/<section>/<name>.md"


def test_empty_folders_are_still_listed(tmp_path):
    (tmp_path / "content" / "empty").mkdir(parents=True)
    assert discover_sources(tmp_path / "content").folders == ("", "empty")


def test_source_file_properties():
    source = SourceFile("daibiao-gongzuo/lvzhi-dongtai/x.md", "content/daibiao-gongzuo/lvzhi-dongtai/x.md", "")
    assert source.folder == "daibiao-gongzuo/lvzhi-dongtai" and not source.is_index
    assert SourceFile("_index.md", "content/_index.md", "").folder == ""


# --- links that lead outside the site ----------------------------------------------------------------

def test_a_linked_file_leading_outside_the_site_is_a_problem_and_one_inside_is_read(tmp_path):
    outside = make(tmp_path / "elsewhere", {"secret.md": "---\ntitle: 机密\n---\n"})
    site = make(tmp_path / "site", {"content/news/_index.md": "---\ntitle: 要闻\n---\n", "notes/a.md": "---\n---\n"})
    (site / "content/news/secret.md").symlink_to(outside / "secret.md")
    (site / "content/news/shared.md").symlink_to(site / "notes/a.md")
    (site / "content/linked-folder").symlink_to(outside, target_is_directory=True)  # folders: never entered
    found = discover_sources(site / "content")
    assert [f.rel for f in found.files] == ["news/_index.md", "news/shared.md"]
    assert [(p.path, p.line, p.message.said(ENGLISH)) for p in found.problems] == [
        ("content/news/secret.md", 1, f"this file is a link to {outside / 'secret.md'}, outside the site's folder: the "
                                      "site publishes only files inside its folder; copy the file itself here")]


def test_assets_layouts_and_data_linked_outside_the_site_stop_the_build(tmp_path):
    from helpers import article, run_cli, write_site

    secret = tmp_path / "secret.txt"
    secret.write_text("key\n")
    site = write_site(tmp_path / "site", {"content/news/_index.md": "---\ntitle: 要闻\n---\n",
                                          "content/news/a.md": article()})
    for rel in ("assets/files/key.txt", "layouts/partials/key.html", "data/key.yaml"):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).symlink_to(secret)
    result = run_cli("build", "--no-search", "--site", str(site))
    said = f"这个文件是一个链接（快捷方式），指向网站文件夹以外的 {secret}：网站只发布网站文件夹里的文件，请把文件本身复制到这里"
    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if "链接（快捷方式）" in line] == [
        f"assets/files/key.txt: {said}", f"data/key.yaml: {said}", f"layouts/partials/key.html: {said}"]
    assert not (site / "output").exists()
