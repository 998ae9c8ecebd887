"""Desk: paths confined to content/ and assets/, atomic writes, uploads checked by content, the CMS's config."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
import zipfile

import pytest
from PIL import Image

from helpers import REPO, write_site
from sitegen.config import load_config
from sitegen.desk.cmsconfig import cms_config
from sitegen.desk.confine import Refused, confine, write_atomically
from sitegen.desk.uploads import MAX_BYTES, ascii_stem, check_upload, kind_of
from sitegen.messages import language_named

ZH = language_named("zh")


def refusal(call) -> str:
    with pytest.raises(Refused) as refused:
        call()
    return ZH.text(refused.value.message)


def picture(kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 30, 30)).save(out, {"jpg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP"}[kind])
    return out.getvalue()


def office(part: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{part}/document.xml", "<x/>")
    return out.getvalue()


# ---------------------------------------------------------------- paths

@pytest.fixture
def site(tmp_path):
    root = write_site(tmp_path / "site", {"content/news/_index.md": "---\ntitle: 新闻\n---\n",
                                          "content/news/a.md": "---\ntitle: 甲\ndate: 2020-01-02\n---\n正文。\n"},
                      layouts=False, assets=False)
    (root / "assets").mkdir()
    return root


@pytest.mark.parametrize("asked", ["content/news/../../site.yaml", "../etc/passwd", "content/../site.yaml",
                                   "content/./news/a.md", "content//news/a.md", "layouts/base.html", "site.yaml",
                                   "output/index.html", ".git/config", "contentx/a.md"])
def test_paths_outside_content_and_assets_are_refused(site, asked):
    assert refusal(lambda: confine(site, asked)) == \
        f"拒绝访问“{asked}”：编辑台只处理 content/ 和 assets/ 下的文件"


@pytest.mark.parametrize("asked", ["/etc/passwd", "C:/Windows/win.ini", "content\\news\\a.md"])
def test_absolute_paths_and_backslashes_are_refused(site, asked):
    assert refusal(lambda: confine(site, asked)) == \
        f"拒绝访问“{asked}”：编辑台只处理 content/ 和 assets/ 下的文件"


def test_a_symlink_leading_out_is_refused(site, tmp_path):
    (tmp_path / "secret.md").write_text("secret")
    (site / "content" / "news" / "link.md").symlink_to(tmp_path / "secret.md")
    (site / "assets" / "out").symlink_to(tmp_path)
    assert refusal(lambda: confine(site, "content/news/link.md")) == \
        "拒绝访问“content/news/link.md”：它指向网站 content/ 文件夹以外的地方"
    assert refusal(lambda: confine(site, "assets/out/new.jpg")) == \
        "拒绝访问“assets/out/new.jpg”：它指向网站 assets/ 文件夹以外的地方"


def test_paths_inside_are_given(site):
    assert confine(site, "content/news/a.md").file == site / "content" / "news" / "a.md"
    assert confine(site, "assets/images/2024/07/new.jpg").rel == "assets/images/2024/07/new.jpg"
    assert refusal(lambda: confine(site, 7)) == "编辑台没有收到可用的文件名"


CRASHING_WRITER = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from sitegen.desk.confine import write_atomically
print("writing", flush=True)
write_atomically(Path(sys.argv[2]), b"N" * (400 * 1024 * 1024))
"""


def test_a_write_killed_halfway_leaves_the_old_file_whole(tmp_path):
    target = tmp_path / "a.md"
    target.write_bytes(b"old text\n")
    writer = subprocess.Popen([sys.executable, "-c", CRASHING_WRITER, str(REPO), str(target)], stdout=subprocess.PIPE,
                              text=True)
    assert writer.stdout.readline().strip() == "writing"
    time.sleep(0.3)  # the 400 MB are being written
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    data = target.read_bytes()
    assert data == b"old text\n" or data == b"N" * (400 * 1024 * 1024)
    for leftover in tmp_path.glob(".desk-*.tmp"):
        leftover.unlink()


def test_an_atomic_write_replaces_the_file_and_keeps_its_mode(tmp_path):
    target = tmp_path / "a.md"
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new" and (target.stat().st_mode & 0o777) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


# ---------------------------------------------------------------- uploads

@pytest.mark.parametrize("kind", ["jpg", "png", "gif", "webp"])
def test_pictures_are_known_by_their_bytes(kind):
    assert kind_of(picture(kind)) == kind
    assert check_upload(f"会议照片.{kind}", picture(kind)).is_picture


def test_office_documents_are_known_by_their_bytes():
    assert check_upload("报告.pdf", b"%PDF-1.7\n...").kind == "pdf"
    assert check_upload("通知.docx", office("word")).kind == "docx"
    assert check_upload("统计表.xlsx", office("xl")).kind == "xlsx"
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    assert check_upload("旧通知.doc", ole).kind == "doc" and check_upload("旧表.xls", ole).kind == "xls"


def test_a_script_named_as_a_picture_is_refused():
    assert refusal(lambda: check_upload("照片.jpg", b"<script>alert(1)</script>")) == \
        "拒绝上传“照片.jpg”：它的内容不是网站能发布的图片或办公文档（JPEG, PNG, WebP, GIF, PDF, Word (DOC, DOCX), " \
        "Excel (XLS, XLSX)）"


def test_a_picture_named_as_another_kind_is_refused():
    assert refusal(lambda: check_upload("照片.png", picture("jpg"))) == \
        "拒绝上传“照片.png”：文件名是 .png，内容却是 JPG 文件；请用正确的类型重新保存后再上传"


def test_an_html_page_named_as_a_document_and_a_plain_zip_are_refused():
    assert "拒绝上传“通知.pdf”" in refusal(lambda: check_upload("通知.pdf", b"<html><body>x</body></html>"))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("evil.exe", "MZ")
    assert "拒绝上传“资料.docx”" in refusal(lambda: check_upload("资料.docx", out.getvalue()))


def test_an_upload_over_the_limit_is_refused():
    big = picture("jpg") + bytes(MAX_BYTES)
    assert refusal(lambda: check_upload("大照片.jpg", big)) == \
        f"“大照片.jpg”有 {len(big) / 1048576:.1f} MB，超过编辑台接受的 30 MB：请把图片缩小（或把文档缩短）后重新上传"


def test_file_names_become_lowercase_ascii():
    assert ascii_stem("会议照片") == "huiyi-zhaopian"
    assert ascii_stem("照片-会议 (2)") == "zhaopian-huiyi-2"
    assert ascii_stem("IMG_2031") == "img-2031"
    assert ascii_stem("！！") == ""


# ---------------------------------------------------------------- the CMS's configuration

def test_one_collection_per_section_titled_from_its_index(tmp_path):
    root = write_site(tmp_path / "s", {
        "site.yaml": "title: 测试\nbase_url: https://example.org/\ndefault_author: 县人大办公室\ndefault_source: 本网\n",
        "content/_index.md": "---\ntitle: 首页\n---\n",
        "content/daibiao-gongzuo/_index.md": "---\ntitle: 代表工作\n---\n",
        "content/daibiao-gongzuo/lvzhi-dongtai/_index.md": "---\ntitle: 履职动态\n---\n"}, site_yaml=None,
        layouts=False, assets=False)
    config = cms_config(load_config(root / "site.yaml"), ZH, "http://127.0.0.1:8000/")
    assert config["locale"] == "zh_Hans" and config["backend"] == {"name": "proxy", "proxy_url": "/api/v1",
                                                                   "branch": "main"}
    assert [(c["name"], c["label"], c["folder"]) for c in config["collections"]] == [
        ("daibiao-gongzuo", "代表工作", "content/daibiao-gongzuo"),
        ("daibiao-gongzuo__lvzhi-dongtai", "代表工作 · 履职动态", "content/daibiao-gongzuo/lvzhi-dongtai")]
    fields = {f["name"]: f for f in config["collections"][1]["fields"]}
    assert list(fields) == ["title", "subtitle", "date", "author", "source", "tags", "summary", "pinned", "draft",
                            "body"]
    assert [fields[name]["label"] for name in fields] == ["标题", "副标题", "发布时间", "作者", "来源", "标签", "摘要",
                                                          "置顶", "草稿", "正文"]
    assert fields["date"]["format"] == "YYYY-MM-DD HH:mm:ss" and "required" not in fields["title"]
    assert fields["date"]["default"] == "{{now}}"  # Decap leaves a new article's date empty unless told
    assert fields["author"]["default"] == "县人大办公室" and fields["source"]["default"] == "本网"
    english = cms_config(load_config(root / "site.yaml"), language_named("en"), "http://127.0.0.1:8000/")
    assert english["locale"] == "en" and english["collections"][1]["fields"][0]["label"] == "the headline"
