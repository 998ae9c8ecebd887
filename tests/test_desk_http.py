"""The desk at the HTTP level, as `build.py serve` answers it: every refusal of the security list, the CMS's
calls, and pictures filed by the article's date in the site's zone. Real serve, real HTTP on 127.0.0.1."""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import subprocess
import time

import pytest

from helpers import REPO, article, run_cli, write_site
from photos import photo
from test_serve import Serve, site_files

STARTUP_S = 60
ADDRESS = r"http://127\.0\.0\.1:\d+/"  # the line serve prints when it serves, in either language


@contextlib.contextmanager
def desk_serving(site, *args, **kwargs):
    server = Serve(site, *args, **kwargs)
    try:
        server.wait_line(ADDRESS if not kwargs.get("host") else r"http://", timeout=STARTUP_S)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    site = write_site(tmp_path_factory.mktemp("desk-http") / "site", site_files(), site_yaml=None)
    with desk_serving(site) as server:
        server.site = site
        yield server


def request(server, method: str, path: str, body: bytes = b"", headers: dict | None = None):
    """(status, headers, body) of one request, with exactly the headers given (Host included)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    sent = {"Host": f"127.0.0.1:{server.port}", **(headers or {})}
    connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    for name, value in sent.items():
        if value is not None:
            connection.putheader(name, value)
    if method == "POST":
        connection.putheader("Content-Length", str(len(body)))
    connection.endheaders(body)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, dict(response.headers), data


def api(server, action: str, params: dict | None = None, **headers):
    body = json.dumps({"action": action, "params": params or {}}).encode()
    sent = {"Origin": server.origin, "Content-Type": "application/json", **headers}
    status, _, data = request(server, "POST", "/api/v1", body, sent)
    return status, json.loads(data)


# ---------------------------------------------------------------- the desk is there, and nowhere else

def test_the_desk_is_served_from_the_pinned_cms_and_never_written(served):
    status, headers, page = request(served, "GET", "/admin/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert b'<script src="/admin/cms/decap-cms.js"></script>' in page
    status, _, script = request(served, "GET", "/admin/cms/decap-cms.js")
    assert status == 200 and script == (REPO / "tools/decap/node_modules/decap-cms/dist/decap-cms.js").read_bytes()
    status, _, config = request(served, "GET", "/admin/config.yml")
    labels = [c["label"] for c in json.loads(config)["collections"]]
    assert status == 200 and labels == ["工作", "新闻"]
    assert request(served, "GET", "/admin/cms/decap-cms.js.map")[0] == 404
    assert request(served, "GET", "/admin/cms/../../../site.yaml")[0] == 404
    preview = served.site / ".preview"
    assert preview.is_dir() and not list(preview.rglob("*decap*")) and not (preview / "admin").exists()


def test_a_build_for_publishing_holds_no_desk(tmp_path):
    site = write_site(tmp_path / "site", site_files(), site_yaml=None)
    assert run_cli("build", "--site", str(site), "--no-search").returncode == 0
    written = [p.relative_to(site / "output").as_posix() for p in (site / "output").rglob("*")]
    assert written and not [p for p in written if p.startswith("admin") or "decap" in p or "desk" in p]


def test_the_sections_index_files_are_not_listed_as_articles(served):
    status, entries = api(served, "entriesByFolder", {"folder": "content/news", "extension": "md", "depth": 1})
    assert status == 200
    assert sorted(e["file"]["path"] for e in entries) == ["content/news/a.md", "content/news/b.md",
                                                         "content/news/c.md"]
    assert entries[0]["data"].startswith("---\ntitle: 原来的标题")


# ---------------------------------------------------------------- Host and Origin

@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "127.0.0.1:1", None])
def test_a_request_naming_another_host_is_refused(served, host):
    status, _, body = request(served, "GET", "/admin/", headers={"Host": host if host else None})
    assert status == 403
    assert body.decode().startswith("已拒绝：这个请求使用的地址是")
    status, answer = api(served, "getEntry", {"path": "content/news/a.md"}, Host=host)
    assert status == 403 and answer["error"].startswith("已拒绝：这个请求使用的地址是")


def test_localhost_is_the_same_address(served):
    assert request(served, "GET", "/admin/", headers={"Host": f"localhost:{served.port}"})[0] == 200


@pytest.mark.parametrize("origin", ["http://evil.example", "null", f"http://127.0.0.1:1", None])
def test_a_write_from_another_origin_is_refused_and_changes_nothing(served, origin):
    before = (served.site / "content/news/a.md").read_bytes()
    raw = article("被改了", "2020-01-02 03:04:05", "坏人的正文。")
    status, answer = api(served, "persistEntry", {"dataFiles": [{"path": "content/news/a.md", "slug": "a", "raw": raw}],
                                                  "assets": []}, Origin=origin)
    assert status == 403
    assert answer["error"].startswith(f"已拒绝：只有编辑台自己的页面（{served.origin}/admin/）可以修改文件")
    assert (served.site / "content/news/a.md").read_bytes() == before


def test_a_request_that_is_not_json_is_refused(served):
    status, _, body = request(served, "POST", "/api/v1", b"action=deleteFile&path=content/news/a.md",
                              {"Origin": served.origin, "Content-Type": "application/x-www-form-urlencoded"})
    assert status == 415 and json.loads(body)["error"] == "已拒绝：编辑台只接受 JSON 请求"
    assert (served.site / "content/news/a.md").is_file()


def test_the_desk_is_not_offered_on_another_address(tmp_path):
    site = write_site(tmp_path / "site", site_files(), site_yaml=None)
    with desk_serving(site, host="0.0.0.0") as server:
        status, _, body = request(server, "GET", "/admin/", headers={"Host": f"0.0.0.0:{server.port}"})
        assert status == 403 and body.decode().startswith("编辑台只在本机地址上提供")
        status, answer = api(server, "getEntry", {"path": "content/news/a.md"}, Host=f"0.0.0.0:{server.port}",
                             Origin=f"http://0.0.0.0:{server.port}")
        assert status == 403 and answer["error"].startswith("编辑台只在本机地址上提供")


# ---------------------------------------------------------------- paths

@pytest.mark.parametrize("path", ["content/news/../../site.yaml", "../outside.md", "/etc/passwd", "layouts/base.html",
                                  "content\\news\\x.md", ".git/config"])
def test_paths_outside_content_and_assets_are_refused(served, path):
    status, answer = api(served, "getEntry", {"path": path})
    assert status == 403 and answer["error"] == f"拒绝访问“{path}”：编辑台只处理 content/ 和 assets/ 下的文件"
    raw = article("标题", "2020-01-02 03:04:05", "正文。")
    status, answer = api(served, "persistEntry", {"dataFiles": [{"path": path, "slug": "x", "raw": raw}], "assets": []})
    assert status == 403 and "编辑台只处理 content/ 和 assets/ 下的文件" in answer["error"]
    status, answer = api(served, "deleteFile", {"path": path})
    assert status == 403
    assert (served.site / "site.yaml").is_file()


def test_a_symlink_leading_out_of_the_site_is_refused(served, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: 机密\n---\n")
    link = served.site / "content/news/link.md"
    link.symlink_to(secret)
    try:
        status, answer = api(served, "getEntry", {"path": "content/news/link.md"})
        assert status == 403 and answer["error"] == "拒绝访问“content/news/link.md”：它指向网站 content/ 文件夹以外的地方"
        raw = article("改", "2020-01-02 03:04:05", "正文。")
        status, _ = api(served, "persistEntry", {"dataFiles": [{"path": "content/news/link.md", "raw": raw}],
                                                 "assets": []})
        assert status == 403 and secret.read_text() == "---\ntitle: 机密\n---\n"
    finally:
        link.unlink()


def test_a_sections_index_is_neither_written_nor_deleted(served):
    status, answer = api(served, "deleteFile", {"path": "content/news/_index.md"})
    assert status == 403 and answer["error"] == "拒绝删除“content/news/_index.md”：编辑台只删除文章和上传的文件，不删除栏目"
    status, answer = api(served, "persistEntry", {"dataFiles": [{"path": "content/news/_index.md", "raw": "x"}],
                                                  "assets": []})
    assert status == 403 and answer["error"].startswith("拒绝写入“content/news/_index.md”")


# ---------------------------------------------------------------- uploads

def upload_entry(path: str, asset_path: str, data: bytes, date: str = "2024-07-01 05:00:00", body: str = ""):
    name = asset_path.rpartition("/")[2]
    raw = article("代表视察", date, body or f"![现场](/{asset_path.removeprefix('assets/')})", author="县人大办公室")
    return {"dataFiles": [{"path": path, "slug": path.rpartition("/")[2][:-3], "raw": raw}],
            "assets": [{"path": asset_path, "content": base64.b64encode(data).decode(), "encoding": "base64"}],
            "name": name}


def test_an_upload_that_is_not_what_its_name_says_is_refused_and_nothing_is_written(served):
    params = upload_entry("content/work/x.md", "assets/images/2024/07/照片.jpg", b"<html><script>x</script></html>")
    status, answer = api(served, "persistEntry", params)
    assert status == 415 and answer["error"].startswith("文章没有保存：拒绝上传“照片.jpg”：它的内容不是网站能发布的图片或办公文档")
    assert answer["error"].endswith("。请从文章里删掉这个文件（或换一个），再保存")
    assert not (served.site / "content/work/x.md").exists()
    assert not (served.site / "assets/images/2024/07").exists()


def test_an_upload_over_the_limit_is_refused(served):
    data = photo(1, (400, 300)) + bytes(31 * 1024 * 1024)
    status, answer = api(served, "persistEntry", upload_entry("content/work/big.md", "assets/images/2024/07/大.jpg",
                                                              data))
    assert status == 413 and answer["error"] == \
        (f"文章没有保存：“大.jpg”有 {len(data) / 1048576:.1f} MB，超过编辑台接受的 30 MB：请把图片缩小（或把文档缩短）后重新上传。"
         "请从文章里删掉这个文件（或换一个），再保存")
    assert not (served.site / "content/work/big.md").exists()


def test_a_request_over_the_limit_is_refused_before_it_is_read(served):
    status, _, body = request(served, "POST", "/api/v1", b"", {"Origin": served.origin,
                                                              "Content-Type": "application/json",
                                                              "Content-Length": str(130 * 1024 * 1024)})
    assert status == 413 and json.loads(body)["error"] == (
        "没有保存：文章和其中的图片一共超过 128 MB；请把图片缩小，或者这次少放几张图片、保存后再加其余的")


def test_a_photo_goes_under_the_articles_month_in_the_sites_zone_with_an_ascii_name(served):
    # 2024-07-01 05:00 in Beijing is 2024-06-30 21:00 UTC: the CMS's {{year}}/{{month}} filed it under 06.
    data = photo(2, (400, 300))
    params = upload_entry("content/work/20240701-0500.md", "assets/images/2024/06/会议 照片.jpg", data)
    status, answer = api(served, "persistEntry", params)
    assert status == 200, answer
    placed = served.site / "assets/images/2024/07/huiyi-zhaopian.jpg"
    assert placed.read_bytes() == data and not (served.site / "assets/images/2024/06").exists()
    text = (served.site / "content/work/20240701-0500.md").read_text(encoding="utf-8")
    assert "![现场](/images/2024/07/huiyi-zhaopian.jpg)" in text and "date: 2024-07-01 05:00:00" in text
    status, answer = api(served, "deskProblems", {"path": "content/work/20240701-0500.md"})
    assert status == 200 and answer["settled"] and answer["problems"] == [] and answer["others"] == 0
    status, headers, _ = request(served, "GET", "/admin/page?path=content/work/20240701-0500.md")
    assert status == 302 and headers["Location"] == "/work/20240701-0500/"
    status, _, page = request(served, "GET", "/work/20240701-0500/")
    assert status == 200 and "代表视察" in page.decode() and "/images/2024/07/" in page.decode()


def test_the_problems_of_a_saved_article_come_back_in_chinese(served):
    raw = article("有问题的文章", "2024-07-02 10:00:00", "见[不存在的文章](/news/no-such/)。")
    status, _ = api(served, "persistEntry", {"dataFiles": [{"path": "content/news/bad.md", "raw": raw}], "assets": []})
    assert status == 200
    try:
        status, answer = api(served, "deskProblems", {"path": "content/news/bad.md"})
        assert answer["heading"] == "这篇文章有问题，网站没有更新。请按下面的提示修改后再保存："
        assert len(answer["problems"]) == 1 and answer["problems"][0].startswith("content/news/bad.md:6:")
        assert "/news/no-such/" in answer["problems"][0]
        good = article("没有问题的文章", "2024-07-03 10:00:00", "正文。")
        status, _ = api(served, "persistEntry", {"dataFiles": [{"path": "content/news/good.md", "raw": good}],
                                                 "assets": []})
        status, answer = api(served, "deskProblems", {"path": "content/news/good.md"})
        assert answer["heading"] == "其他文章有问题，所以网站没有更新："  # and which, where: not a mere count
        assert len(answer["problems"]) == 1 and answer["problems"][0].startswith("content/news/bad.md:6:")
        assert answer["others"] == 0
    finally:
        api(served, "deleteFile", {"path": "content/news/good.md"})
        status, _ = api(served, "deleteFile", {"path": "content/news/bad.md"})
        assert status == 200 and not (served.site / "content/news/bad.md").exists()


def test_the_collections_follow_the_section_tree_while_serving(served):
    section = served.site / "content/work/reports"
    section.mkdir()
    (section / "_index.md").write_text("---\ntitle: 工作报告\nweight: 3\n---\n", encoding="utf-8")
    try:
        status, _, config = request(served, "GET", "/admin/config.yml")
        collections = {c["name"]: c["label"] for c in json.loads(config)["collections"]}
        assert status == 200 and collections["work__reports"] == "工作 · 工作报告"
    finally:
        (section / "_index.md").unlink()
        section.rmdir()
    status, _, config = request(served, "GET", "/admin/config.yml")
    assert "work__reports" not in {c["name"] for c in json.loads(config)["collections"]}


def test_a_picture_uploaded_to_the_media_library_goes_under_this_month(served):
    import datetime as dt
    from zoneinfo import ZoneInfo
    data = photo(4, (400, 300))
    asset = {"path": "assets/images/图 片.jpg", "content": base64.b64encode(data).decode(), "encoding": "base64"}
    before = dt.datetime.now(ZoneInfo("Asia/Shanghai"))
    status, answer = api(served, "persistMedia", {"asset": asset})
    assert status == 200, answer
    month = f"{before:%Y/%m}"
    assert answer["path"] in (f"assets/images/{month}/tu-pian.jpg",
                              f"assets/images/{dt.datetime.now(ZoneInfo('Asia/Shanghai')):%Y/%m}/tu-pian.jpg")
    assert base64.b64decode(answer["content"]) == data and answer["name"] == "tu-pian.jpg"
    status, listed = api(served, "getMedia", {"mediaFolder": "assets/images"})
    assert status == 200 and answer["path"] in [item["path"] for item in listed]
    status, answer = api(served, "deleteFile", {"path": answer["path"]})
    assert status == 200


def word_document() -> bytes:
    import io
    import zipfile
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<x/>")
    return out.getvalue()


def test_an_attached_document_stays_listed_and_a_copied_path_becomes_its_address(served):
    """Documents go under assets/files/, and the media library still lists them (it listed pictures only, so an
    uploaded document could never be found or deleted again); an address written as the file's path in the site's
    folder (what 复制路径 gives) is saved as the address readers reach."""
    asset = {"path": "assets/images/会议纪要.docx", "content": base64.b64encode(word_document()).decode(),
             "encoding": "base64"}
    status, answer = api(served, "persistMedia", {"asset": asset})
    assert status == 200 and answer["path"].startswith("assets/files/") and answer["name"] == "huiyi-jiyao.docx"
    try:
        status, listed = api(served, "getMedia", {"mediaFolder": "assets/images"})
        assert status == 200 and answer["path"] in [item["path"] for item in listed]
        body = f"见[会议纪要]({answer['path']})和![现场](assets/images/2024/08/x.jpg)。"
        raw = article("附件的路径", "2024-08-02 09:00:00", body)
        path = "content/news/fujian.md"
        assert api(served, "persistEntry", {"dataFiles": [{"path": path, "raw": raw}], "assets": []})[0] == 200
        text = (served.site / path).read_text(encoding="utf-8")
        assert f"[会议纪要](/{answer['path'].removeprefix('assets/')})" in text and "](/images/2024/08/x.jpg)" in text
        api(served, "deleteFile", {"path": path})
    finally:
        assert api(served, "deleteFile", {"path": answer["path"]})[0] == 200


def test_two_uploads_of_one_name_get_two_files_and_a_later_save_keeps_them_apart(served):
    first, second = photo(5, (400, 300)), photo(6, (400, 300))
    body = "![一](/images/2024/08/现场.jpg)\n\n![二](/images/2024/08/现场%202.jpg)"
    params = upload_entry("content/work/20240801-0900.md", "assets/images/2024/08/现场.jpg", first,
                          date="2024-08-01 09:00:00", body=body)
    params["assets"].append({"path": "assets/images/2024/08/现场 2.jpg", "content": base64.b64encode(second).decode(),
                             "encoding": "base64"})
    status, answer = api(served, "persistEntry", params)
    assert status == 200, answer
    folder = served.site / "assets/images/2024/08"
    assert (folder / "xianchang.jpg").read_bytes() == first and (folder / "xianchang-2.jpg").read_bytes() == second
    article_file = served.site / "content/work/20240801-0900.md"
    assert "![一](/images/2024/08/xianchang.jpg)\n\n![二](/images/2024/08/xianchang-2.jpg)" in article_file.read_text()
    # The CMS still holds its own addresses until the article is opened again, and sends them with the next save.
    params = upload_entry("content/work/20240801-0900.md", "assets/images/2024/08/现场.jpg", first,
                          date="2024-08-01 09:00:00", body=body + "\n\n补一段。")
    params["assets"] = []
    status, answer = api(served, "persistEntry", params)
    assert status == 200, answer
    text = article_file.read_text()
    assert "![一](/images/2024/08/xianchang.jpg)\n\n![二](/images/2024/08/xianchang-2.jpg)\n\n补一段。" in text


# ---------------------------------------------------------------- saves that would lose or break something

def test_a_save_never_overwrites_another_article_nor_writes_where_the_build_cannot_read(served):
    a = served.site / "content/news/a.md"
    before = a.read_bytes()
    raw = article("新写的文章", "2024-07-05 10:00:00", "新的正文。")
    for params in ({"dataFiles": [{"path": "content/news/a.md", "raw": raw}], "assets": [],
                    "options": {"newEntry": True}},
                   {"dataFiles": [{"path": "content/news/b.md", "raw": raw, "newPath": "content/news/a.md"}],
                    "assets": []}):
        status, answer = api(served, "persistEntry", params)
        assert status == 409 and answer["error"] == ("没有保存：content/news/a.md 已经是另一篇文章，没有覆盖它。请复制您的文字，"
                                                     "新建一篇文章后粘贴进去")
    assert a.read_bytes() == before and (served.site / "content/news/b.md").is_file()
    for path in ("content/xinlanmu/x.md", "content/news/.hidden.md"):
        status, answer = api(served, "persistEntry", {"dataFiles": [{"path": path, "raw": raw}], "assets": []})
        assert status == 403 and answer["error"] == f"拒绝写入“{path}”：编辑台只写文章，即 content/ 下栏目文件夹里以 .md 结尾的文件"
        assert not (served.site / path).exists() and not (served.site / "content/xinlanmu").exists()


def test_a_save_whose_details_cannot_be_read_is_refused_and_the_article_keeps_them(served):
    a = served.site / "content/news/a.md"
    before = a.read_bytes()
    raw = "---\ntitle: [未闭合\ndate: 2024-01-01 10:00:00\n---\n\n第一篇的正文。\n"
    status, answer = api(served, "persistEntry", {"dataFiles": [{"path": "content/news/a.md", "raw": raw}],
                                                  "assets": []})
    assert status == 422 and answer["error"] == (
        "没有保存：页面发来的 content/news/a.md 的文章信息（标题、日期等）无法读取；请刷新页面后再保存")
    assert a.read_bytes() == before


@pytest.mark.parametrize("body", [b'{"action": [], "params": {}}', b'{"action": {"a": 1}}', b"[" * 100000 + b"]" * 100000])
def test_a_request_of_the_wrong_shape_is_refused_in_chinese(served, body):
    status, _, data = request(served, "POST", "/api/v1", body, {"Origin": served.origin,
                                                                "Content-Type": "application/json"})
    assert status == 400 and json.loads(data)["error"] == "编辑台收到的请求无法读取"


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_refused_in_chinese(served, method):
    status, _, data = request(served, method, "/api/v1")
    assert status == 405 and data.decode() == f"预览只用来看网页：不接受这种请求（{method}）"


def test_a_deletion_that_breaks_a_link_is_told_at_once(served):
    raw = article("被引用的文章", "2024-07-06 10:00:00", "正文。")
    citing = article("引用它的文章", "2024-07-06 11:00:00", "见[被引用的文章](/news/cited/)。")
    for path, text in (("content/news/cited.md", raw), ("content/news/citing.md", citing)):
        assert api(served, "persistEntry", {"dataFiles": [{"path": path, "raw": text}], "assets": []})[0] == 200
    try:
        assert api(served, "deskProblems", {"path": "content/news/citing.md"})[1]["problems"] == []
        assert api(served, "deleteFile", {"path": "content/news/cited.md"})[0] == 200
        status, answer = api(served, "deskProblems", {"deleted": True})  # as desk.js asks after a deletion
        assert status == 200 and answer["settled"] and answer["heading"] == "其他文章有问题，所以网站没有更新："
        assert len(answer["problems"]) == 1 and answer["problems"][0].startswith("content/news/citing.md:6:")
    finally:
        api(served, "deleteFile", {"path": "content/news/citing.md"})
        api(served, "deleteFile", {"path": "content/news/cited.md"})


def test_a_broken_site_yaml_is_said_where_the_desk_starts(tmp_path):
    files = site_files()
    files["site.yaml"] = files["site.yaml"].replace("per_page: 3", "per_page: six")
    site = write_site(tmp_path / "site", files, site_yaml=None)
    with desk_serving(site) as server:
        status, _, text = request(server, "GET", "/admin/config.yml")
        assert status == 500 and text.decode().startswith("site.yaml:3：") and "“per_page”应该是整数" in text.decode()


def test_a_saved_article_that_will_not_show_yet_is_said_so(served):
    raw = article("明年的通知", "2099-01-01 09:00:00", "正文。")
    assert api(served, "persistEntry", {"dataFiles": [{"path": "content/news/later.md", "raw": raw}],
                                        "assets": []})[0] == 200
    try:
        status, answer = api(served, "deskProblems", {"path": "content/news/later.md"})
        assert status == 200 and answer["problems"] == []
        assert answer["heading"] == "已保存。这篇文章是草稿，或日期晚于现在：网站上暂时不会出现，预览里会说明原因。"
    finally:
        api(served, "deleteFile", {"path": "content/news/later.md"})


def test_a_save_from_a_page_opened_before_another_save_is_refused(served):
    path = "content/news/b.md"
    status, opened = api(served, "getEntry", {"path": path})
    first = opened["data"].replace("第二篇的正文。", "第二篇的正文（甲改）。")
    status, answer = api(served, "persistEntry", {"dataFiles": [{"path": path, "raw": first}], "assets": [],
                                                  "versions": {path: opened["file"]["id"]}})
    assert status == 200 and answer["versions"][path] == api(served, "getEntry", {"path": path})[1]["file"]["id"]
    second = opened["data"].replace("第二篇的正文。", "第二篇的正文（乙改）。")  # the other tab, opened before
    status, answer = api(served, "persistEntry", {"dataFiles": [{"path": path, "raw": second}], "assets": [],
                                                  "versions": {path: opened["file"]["id"]}})
    assert status == 409 and answer["error"] == ("没有保存：content/news/b.md 在您打开之后被改过（也许是在另一个标签页里保存的），"
                                                 "没有覆盖它。请复制您改的文字，刷新页面后再改一次")
    assert "甲改" in (served.site / path).read_text(encoding="utf-8")
    status, _ = api(served, "persistEntry", {"dataFiles": [{"path": path, "raw": opened["data"]}], "assets": [],
                                             "versions": {path: answer_version(served, path)}})
    assert status == 200 and "甲改" not in (served.site / path).read_text(encoding="utf-8")


def test_a_save_from_a_page_opened_before_a_deletion_is_refused(served):
    """Another tab deleted the article: saving this page's copy would bring it back, and 发布 would publish it."""
    raw = article("要删除的文章", "2024-07-08 10:00:00", "正文。")
    path = "content/news/gone.md"
    assert api(served, "persistEntry", {"dataFiles": [{"path": path, "raw": raw}], "assets": []})[0] == 200
    version = answer_version(served, path)
    assert api(served, "deleteFile", {"path": path})[0] == 200
    status, answer = api(served, "deskProblems", {"deleted": True})
    assert status == 200 and answer["heading"] == "已删除。点“发布”后，网站上也会删除。"
    status, answer = api(served, "persistEntry", {"dataFiles": [{"path": path, "raw": raw.replace("正文", "改过的正文")}],
                                                  "assets": [], "versions": {path: version}})
    assert status == 409 and answer["error"] == ("没有保存：content/news/gone.md 在您打开之后已被删除（也许是在另一个标签页里），"
                                                 "保存会让它回来。要保留它，请复制您的文字，新建一篇文章，粘贴进去")
    assert not (served.site / path).exists()


def answer_version(server, path: str) -> str:
    return api(server, "getEntry", {"path": path})[1]["file"]["id"]


def test_an_article_titled_like_another_of_its_section_is_pointed_out(served):
    """The same news entered twice is an office's common mistake: after the save she hears of the other article
    (a note: a recurring title such as 县人大常委会召开主任会议 is no error)."""
    first = served.site / "content/news/a.md"
    title = api(served, "getEntry", {"path": "content/news/a.md"})[1]["data"].split("title:", 1)[1].split("\n")[0]
    raw = article(title.strip().strip('"'), "2024-08-03 09:00:00", "又录了一遍。")
    path = "content/news/twice.md"
    assert first.is_file()
    assert api(served, "persistEntry", {"dataFiles": [{"path": path, "raw": raw}], "assets": []})[0] == 200
    try:
        status, answer = api(served, "deskProblems", {"path": path})
        assert status == 200 and answer["problems"] == []
        assert answer["notes"] == ["本栏目已有同名文章：content/news/a.md。如果是重复录入，请删除其中一篇"]
        other = article("另一个标题", "2024-08-03 09:00:00", "不同的文章。")
        assert api(served, "persistEntry", {"dataFiles": [{"path": path, "raw": other}], "assets": []})[0] == 200
        assert api(served, "deskProblems", {"path": path})[1]["notes"] == []
    finally:
        api(served, "deleteFile", {"path": path})


def test_a_moved_article_keeps_its_old_address_as_an_alias(served):
    """移到其他栏目: the file goes to the other section, its name kept, and its old address redirects to the new one;
    moved back, it is no redirect to itself."""
    raw = article("走错栏目的文章", "2024-08-04 09:00:00", "正文。")
    path, moved = "content/news/wrong.md", "content/work/wrong.md"
    assert api(served, "persistEntry", {"dataFiles": [{"path": path, "raw": raw}], "assets": []})[0] == 200
    try:
        status, answer = api(served, "deskMove", {"path": path, "section": "work"})
        assert status == 200 and answer == {"path": moved, "collection": "work", "slug": "wrong"}, answer
        assert not (served.site / path).exists()
        text = (served.site / moved).read_text(encoding="utf-8")
        assert 'aliases: ["/news/wrong/"]' in text and "title: 走错栏目的文章" in text.replace('"', "")
        status, answer = api(served, "deskProblems", {"path": moved})
        assert status == 200 and answer["problems"] == [], answer
        status, _, page = request(served, "GET", "/news/wrong/")
        assert status == 200 and "/work/wrong/" in page.decode(), "the old address sends readers on"
        status, answer = api(served, "deskMove", {"path": moved, "section": "news"})
        assert status == 200 and 'aliases: ["/work/wrong/"]' in (served.site / path).read_text(encoding="utf-8")
        assert api(served, "deskProblems", {"path": path})[1]["problems"] == []
        status, answer = api(served, "deskMove", {"path": path, "section": "no-such-section"})
        assert status == 403 and (served.site / path).is_file()
    finally:
        api(served, "deleteFile", {"path": path})
        api(served, "deleteFile", {"path": moved})


def test_pictures_without_a_description_are_pointed_out(served):
    raw = article("有图片的文章", "2024-08-05 09:00:00", "会场。\n\n![](/images/a.jpg)\n\n![主任讲话](/images/b.jpg)\n\n![ ](/images/c.jpg)")
    path = "content/news/tupian.md"
    assert api(served, "persistEntry", {"dataFiles": [{"path": path, "raw": raw}], "assets": []})[0] == 200
    try:
        notes = api(served, "deskProblems", {"path": path})[1]["notes"]
        assert notes == ["有 2 张图片没有写说明：看不见图片的读者（用读屏软件的盲人）不知道图片上是什么。请点开每张图片，填写“图片内容说明”"]
    finally:
        api(served, "deleteFile", {"path": path})
