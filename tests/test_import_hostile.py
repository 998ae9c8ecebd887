"""Hostile and unusual saved pages: the import never publishes a file from outside its copy, never writes what the
build refuses, and says in Chinese what it left out."""

from __future__ import annotations

from pathlib import Path

from helpers import run_cli
from importkit import fresh_site

HOST = "www.mxrd.gov.cn"
BODY = "<p>　　县人大常委会组织代表开展视察活动，听取工作汇报，实地察看项目进展情况，提出了意见和建议。</p>"


def page(title: str, date: str, body: str = BODY, crumbs: str = "<a href='/'>首页</a> > 人大要闻 > 正文") -> str:
    return (f"<html><head><meta charset='utf-8'><title>{title}</title></head><body><div class='position'>当前位置："
            f"{crumbs}</div><h1>{title}</h1><div class='info'>发布时间：{date}</div><div class='content'>{body}</div>"
            "</body></html>")


def imported(tmp_path: Path, pages: dict[str, str | bytes], *extra: str):
    """Import a mirror of `pages` (name -> HTML) into a fresh site, then build it; both results, and the site."""
    mirror = tmp_path / "mirror" / HOST
    mirror.mkdir(parents=True, exist_ok=True)
    for name, data in pages.items():
        (mirror / name).parent.mkdir(parents=True, exist_ok=True)
        (mirror / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    site = fresh_site(tmp_path / "site")
    done = run_cli("import", str(tmp_path / "mirror"), "--site", str(site), *extra)
    built = run_cli("build", "--no-search", "--site", str(site))
    return done, built, site


def articles(site: Path) -> dict[str, str]:
    return {p.relative_to(site / "content").as_posix(): p.read_text(encoding="utf-8")
            for p in (site / "content").rglob("*.md") if p.name != "_index.md"}


def test_a_link_out_of_the_copy_is_not_imported_nor_published(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0\n")
    mirror = tmp_path / "mirror" / HOST
    (mirror / "files").mkdir(parents=True)
    (mirror / "files" / "notes.txt").symlink_to(secret)
    (mirror / "outside.htm").symlink_to(tmp_path / "nowhere.htm")
    done, built, site = imported(tmp_path, {"show.asp?id=1": page("县人大常委会召开会议", "2019-11-08", BODY +
                                                                   "<p><a href='/files/notes.txt'>会议材料</a></p>")})
    assert done.returncode == 0 and built.returncode == 0, done.stderr + built.stderr
    assert not list(site.rglob("notes.txt")) and b"root:x" not in b"".join(
        p.read_bytes() for p in (site / "output").rglob("*") if p.is_file())
    report = (site / "import-report.txt").read_text(encoding="utf-8")
    for name in ("files/notes.txt", "outside.htm"):
        assert f"{HOST}/{name}：是指向保存的网站副本以外（或指向不存在的文件）的链接" in report


def test_what_the_build_would_refuse_is_never_written(tmp_path):
    done, built, site = imported(tmp_path, {
        "show.asp?id=1": page("不存在的日期", "2019-02-30"),
        "show.asp?id=2": page("二〇一九年", "2019-11-08", crumbs="<a href='/'>首頁</a> > 2019 > 正文"),
        "show.asp?id=3": page("旧网站的归档栏目", "2019-11-09", crumbs="<a href='/'>首页</a> > Archive > 正文"),
        "a#b.htm": page("文件名里有井号", "2019-11-10"),
        "show.asp?id=4": page("一行波浪线", "2019-11-11", "<p>　　第一段文字比较长，说明会议的主要内容和议程安排。</p>"
                                                        "<p>~~~~~~~~~~</p><p>---</p><p>　　波浪线后面的文字也要保留下来。</p>"),
        "utf16.htm": "\ufeff".encode("utf-16-le") + page("用UTF-16保存的网页", "2019-11-12").encode("utf-16-le"),
        "empty.htm": b"",
    })
    assert done.returncode == 0 and built.returncode == 0, done.stdout + done.stderr + built.stderr
    found = articles(site)
    assert not any("不存在的日期" in text for text in found.values())
    titles = {text.split("title: ", 1)[1].split("\n", 1)[0].strip('"'): rel for rel, text in found.items()}
    assert titles["二〇一九年"].startswith("2019/") and titles["旧网站的归档栏目"].startswith("archive-lanmu/")
    assert "aliases:\n  - \"/a%23b.htm\"" in found[titles["文件名里有井号"]]
    assert "用UTF-16保存的网页" in titles
    wavy = found[titles["一行波浪线"]]
    assert "\\~~~~~~~~~~" in wavy and "\\---" in wavy and "波浪线后面的文字也要保留下来" in wavy
    page_html = (site / "output" / titles["一行波浪线"].removesuffix(".md") / "index.html").read_text(encoding="utf-8")
    assert "<pre>" not in page_html and "<p>~~~~~~~~~~</p>" in page_html and "<p>---</p>" in page_html
    report = (site / "import-report.txt").read_text(encoding="utf-8")
    assert f"{HOST}/empty.htm：文件是空的" in report
    again = run_cli("import", str(tmp_path / "mirror"), "--site", str(site))  # its own import-map.yaml reads back
    assert again.returncode == 0, again.stderr


def test_an_old_base_url_that_is_not_a_web_address_is_refused_in_chinese(tmp_path):
    for url in ("http://[::1", "mxrd.gov.cn", "http://www.mxrd.gov.cn:80x/"):
        done, _, _ = imported(tmp_path / url.replace("/", "_"), {"show.asp?id=1": page("会议", "2019-11-08")},
                              "--old-base-url", url)
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert f"--old-base-url {url} 不是网址" in done.stderr


def test_an_attachment_opened_by_a_script_link_is_brought_over(tmp_path):
    done, built, site = imported(tmp_path, {
        "show.asp?id=1": page("会议日程安排", "2019-11-08", BODY + "<p>附件：<a href=\"javascript:downFile("
                                                                "'/uploads/files/richeng.doc')\">会议日程</a></p>"),
        "uploads/files/richeng.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
    })
    assert done.returncode == 0 and built.returncode == 0, done.stdout + done.stderr + built.stderr
    (text,) = articles(site).values()
    assert "[会议日程](/legacy/uploads/files/richeng.doc)" in text
    assert (site / "assets/legacy/uploads/files/richeng.doc").is_file()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64  # the start of a .doc or .xls


def test_attachments_after_the_text_behind_download_scripts_and_videos_are_brought_over(tmp_path):
    trs = ("<html><head><meta charset='utf-8'><title>审议意见</title></head><body><div>当前位置：<a href='/'>首页</a> > "
           "信息公开</div><h1>关于公布审议意见的通知</h1><div>发布时间：2019-06-14 10:00</div>"
           f"<div class='TRS_Editor'>{BODY * 2}</div><div class='fujian'>附件：<a href='/xxgk/P020190614.doc'>审议意见.doc"
           "</a></div><div>上一篇：<a href='/xxgk/old.doc'>旧文件.doc</a></div><div class='foot'>主办：眉县人大常委会办公室"
           "</div></body></html>")
    done, built, site = imported(tmp_path, {
        "xxgk/d.htm": trs, "xxgk/P020190614.doc": OLE, "xxgk/old.doc": OLE,
        "show.asp?id=1": page("监督议题征集", "2019-12-10", BODY + "<p>附件：<a href='/module/download/downfile.jsp?"
                              "classid=0&filename=1912101130.xls'>征集表.xls</a>　<a href='/Common/ShowDownloadUrl.aspx?"
                              "id=457'>活动安排表</a></p>"),
        "module/download/downfile.jsp?classid=0&filename=1912101130.xls": OLE,
        "Common/ShowDownloadUrl.aspx?id=457": OLE,
        "show.asp?id=2": page("会议视频", "2019-05-10", BODY + "<p align='center'><video controls src='/uploads/hy20.mp4'>"
                              "</video></p><p><object><param name='movie' value='/player/flvplayer.swf?file=/uploads/"
                              "hy20.flv'><embed src='/player/flvplayer.swf?file=/uploads/hy20.flv'></object></p>"
                              "<iframe src='https://v.example.com/player?id=3'></iframe>"),
        "uploads/hy20.mp4": b"\x00\x00\x00\x18ftypmp42", "uploads/hy20.flv": b"FLV\x01",
    })
    assert done.returncode == 0 and built.returncode == 0, done.stdout + done.stderr + built.stderr
    texts = articles(site)
    notice = next(text for text in texts.values() if "审议意见" in text)
    assert notice.rstrip().endswith("附件：[审议意见.doc](/legacy/xxgk/P020190614.doc)")  # not the 上一篇 link
    scripts = next(text for text in texts.values() if "征集" in text)
    assert "[征集表.xls](/legacy/module/download/downfile-classid-0-filename-1912101130-xls-" in scripts
    assert "[活动安排表](/legacy/Common/ShowDownloadUrl-id-457-" in scripts
    video = next(text for text in texts.values() if "会议视频" in text)
    assert "[视频：hy20.mp4](/legacy/uploads/hy20.mp4)" in video and "[视频：hy20.flv](/legacy/uploads/hy20.flv)" in video
    assert "example.com" not in video
    copied = {p.name for p in (site / "assets/legacy").rglob("*") if p.is_file()}
    assert {"P020190614.doc", "hy20.mp4", "hy20.flv"} <= copied and "old.doc" not in copied
    assert any(name.endswith(".xls") and "1912101130" in name for name in copied)
    assert any(name.startswith("ShowDownloadUrl") and name.endswith(".doc") for name in copied)
    assert "旧页面" not in (site / "import-report.txt").read_text(encoding="utf-8")


def test_a_text_article_in_the_mirror_that_fails_is_named_and_utf16_without_its_bom_is_read(tmp_path):
    article = "当前位置：首页 > 人大要闻\n县人大常委会召开专题询问会\n发布时间：2019-11-08\n\n" + "　　县人大常委会组织代表开展视察活动。\n" * 8
    failing = "县人大常委会关于开展代表活动的安排\n" + "　　县人大常委会组织代表开展视察活动，听取工作汇报。\n" * 8
    done, built, site = imported(tmp_path, {"a.txt": article.encode("utf-16-le"), "b.txt": failing, "robots.txt": "User-agent: *\n"})
    assert done.returncode == 0 and built.returncode == 0, done.stdout + done.stderr + built.stderr
    assert any("专题询问会" in text for text in articles(site).values())
    report = (site / "import-report.txt").read_text(encoding="utf-8")
    assert f"{HOST}/b.txt：" in report and "robots.txt：" not in report
