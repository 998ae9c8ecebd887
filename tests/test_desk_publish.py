"""发布 (build.py publish, and the desk's button, which calls the same code) against a bare repository on this
machine: one commit of the changed articles with their pictures, refusals in Chinese, a rebase when the remote moved
and the changes do not overlap, nothing lost when they do."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from helpers import article, run_cli, write_site
from photos import photo
from sitegen.desk.gitpublish import publish_site
from sitegen.messages import language_named

ZH = language_named("zh")
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
SITE_YAML = "title: 测试人大常委会\nbase_url: https://example.org/\ntimezone: Asia/Shanghai\n"


def git(cwd: Path, *args: str) -> str:
    env_free = ["-c", "user.name=测试", "-c", "user.email=test@localhost", "-c", "init.defaultBranch=main"]
    result = subprocess.run(["git", *env_free, *args], cwd=cwd, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def repos(tmp_path):
    """(the remote: a bare repository, the office's clone holding the site, another clone)."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--bare", "-q", str(remote))
    office = write_site(tmp_path / "office", {
        "content/_index.md": "---\ntitle: 首页\n---\n",
        "content/news/_index.md": "---\ntitle: 新闻\n---\n",
        "content/news/a.md": article("第一篇", "2024-05-01 09:00:00", "第一篇的正文。\n\n第二段。"),
        "content/news/b.md": article("第二篇", "2024-05-02 09:00:00", "第二篇的正文。"),
    }, site_yaml=SITE_YAML)
    git(office, "init", "-q")
    git(office, "add", "-A")
    git(office, "commit", "-qm", "网站")
    git(office, "remote", "add", "origin", str(remote))
    git(office, "push", "-q", "-u", "origin", "main")
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(remote), str(other))
    return remote, office, other


def remote_files(remote: Path, commit: str = "main") -> list[str]:
    """The files the commit changed."""
    return sorted(git(remote, "show", "--name-only", "--format=", commit).split())


def publish(site: Path) -> tuple[bool, str]:
    published = publish_site(site / "site.yaml", ZH, NOW)
    return published.ok, published.text


def test_one_commit_holds_the_article_and_its_picture_and_nothing_else(repos):
    remote, office, _ = repos
    assert run_cli("build", "--site", str(office), "--no-search").returncode == 0  # output/ and .cache/, not ignored
    (office / ".preview").mkdir()
    (office / ".preview" / "index.html").write_text("preview")
    (office / "assets/images/2024/07").mkdir(parents=True)
    (office / "assets/images/2024/07/xianchang.jpg").write_bytes(photo(3, (400, 300)))
    (office / "content/news/c.md").write_text(article("代表视察城关镇", "2024-07-01 05:00:00",
                                                      "![现场](/images/2024/07/xianchang.jpg)"), encoding="utf-8")
    ok, text = publish(office)
    assert ok, text
    sha = git(office, "rev-parse", "--short", "HEAD").strip()
    assert text == f"已发布《代表视察城关镇》到 origin：几分钟后网站上就能看到（提交 {sha}）"
    assert remote_files(remote) == ["assets/images/2024/07/xianchang.jpg", "content/news/c.md"]
    assert git(remote, "log", "-1", "--format=%s", "main").strip() == "发布：《代表视察城关镇》（含 1 个图片或附件）"
    assert git(remote, "rev-parse", "main") == git(office, "rev-parse", "HEAD")
    listed = git(remote, "ls-tree", "-r", "--name-only", "main").split()
    assert not [path for path in listed if path.startswith(("output/", ".cache/", ".preview/"))]


def test_nothing_to_publish_is_said(repos):
    _, office, _ = repos
    assert publish(office) == (False, "没有需要发布的内容：保存过的文章都已经发布了")


def test_a_site_with_problems_is_not_published_and_nothing_is_committed(repos):
    remote, office, _ = repos
    before = git(remote, "rev-parse", "main")
    (office / "content/news/c.md").write_text(article("坏链接", "2024-07-01 05:00:00", "见[这里](/news/no-such/)。"),
                                              encoding="utf-8")
    ok, text = publish(office)
    assert not ok
    lines = text.split("\n")
    assert lines[0] == "没有发布：网站有下列问题。请修改后再发布："
    assert len(lines) == 2 and lines[1].startswith("content/news/c.md:6:") and "/news/no-such/" in lines[1]
    assert git(remote, "rev-parse", "main") == before
    assert git(office, "rev-parse", "HEAD") == before and "?? content/news/c.md" in git(office, "status", "--short")


def test_when_the_remote_moved_without_overlap_the_commit_is_rebased_and_pushed(repos):
    remote, office, other = repos
    (other / "content/news/b.md").write_text(article("第二篇（改）", "2024-05-02 09:00:00", "第二篇的正文。"),
                                             encoding="utf-8")
    git(other, "commit", "-qam", "别人的修改")
    git(other, "push", "-q")
    (office / "content/news/a.md").write_text(article("第一篇（改）", "2024-05-01 09:00:00",
                                                      "第一篇的正文。\n\n第二段。"), encoding="utf-8")
    ok, text = publish(office)
    assert ok, text
    assert git(remote, "log", "--format=%s", "main").split("\n")[:3] == ["发布：《第一篇（改）》", "别人的修改", "网站"]
    assert remote_files(remote) == ["content/news/a.md"]
    assert "第二篇（改）" in (office / "content/news/b.md").read_text(encoding="utf-8")


def test_when_the_remote_changed_the_same_lines_nothing_is_lost(repos):
    remote, office, other = repos
    (other / "content/news/a.md").write_text(article("别人的标题", "2024-05-01 09:00:00", "第一篇的正文。\n\n第二段。"),
                                             encoding="utf-8")
    git(other, "commit", "-qam", "别人的修改")
    git(other, "push", "-q")
    theirs = git(remote, "rev-parse", "main")
    mine = article("我的标题", "2024-05-01 09:00:00", "第一篇的正文。\n\n第二段。")
    (office / "content/news/a.md").write_text(mine, encoding="utf-8")
    ok, text = publish(office)
    sha = git(office, "rev-parse", "--short", "HEAD").strip()
    assert not ok and text == ("没有发布：在这期间，别人在 origin 上修改了同样的文件（content/news/a.md）。您的文章已在本机提交"
                               f"（提交 {sha}），没有丢失；请负责网站的同事把两边的修改合并")
    assert git(remote, "rev-parse", "main") == theirs
    assert (office / "content/news/a.md").read_text(encoding="utf-8") == mine
    assert git(office, "log", "-1", "--format=%s").strip() == "发布：《我的标题》"
    assert not (office / ".git" / "rebase-merge").exists() and git(office, "status", "--porcelain", "--", "content", "assets") == ""


def test_a_failed_push_loses_nothing_and_the_next_publish_sends_it(repos):
    remote, office, _ = repos
    moved = remote.with_name("moved.git")
    remote.rename(moved)
    (office / "content/news/c.md").write_text(article("断网时写的", "2024-07-01 05:00:00", "正文。"), encoding="utf-8")
    ok, text = publish(office)
    sha = git(office, "rev-parse", "--short", "HEAD").strip()
    assert not ok and text.startswith("没有上传成功：") and text.endswith(
        f"。文章已在本机提交（提交 {sha}），没有丢失；网络恢复后请再点“发布”")
    moved.rename(remote)
    ok, text = publish(office)
    assert ok and text == f"已发布保存的改动到 origin：几分钟后网站上就能看到（提交 {sha}）"
    assert remote_files(remote) == ["content/news/c.md"]


def test_build_py_publish_answers_in_chinese(repos):
    _, office, _ = repos
    result = run_cli("publish", "--site", str(office))
    assert result.returncode == 1 and result.stderr.strip() == "没有需要发布的内容：保存过的文章都已经发布了"
    (office / "content/news/c.md").write_text(article("命令行发布", "2024-07-01 05:00:00", "正文。"), encoding="utf-8")
    result = run_cli("publish", "--site", str(office))
    assert result.returncode == 0 and result.stdout.startswith("已发布《命令行发布》到 origin")
    result = run_cli("publish", "--site", str(office), "--lang", "en")
    assert result.returncode == 1 and result.stderr.strip() == "Nothing to publish: every saved article is already " \
                                                               "published"


def test_a_folder_outside_git_is_refused(tmp_path):
    site = write_site(tmp_path / "site", {"content/news/_index.md": "---\ntitle: 新闻\n---\n"}, site_yaml=SITE_YAML)
    ok, text = publish(site)
    assert not ok and text == f"没有发布：网站文件夹 {site.resolve()} 不在 git 仓库里"


def test_a_removal_is_named_by_its_title_and_a_draft_or_future_article_is_said_not_to_show(repos):
    remote, office, _ = repos
    (office / "content/news/b.md").unlink()
    (office / "content/news/draft.md").write_text(article("还在写的草稿", "2024-06-01 09:00:00", "正文。",
                                                          draft="true"), encoding="utf-8")
    (office / "content/news/later.md").write_text(article("明年的通知", "2027-01-01 09:00:00", "正文。"),
                                                  encoding="utf-8")
    ok, text = publish(office)
    sha = git(office, "rev-parse", "--short", "HEAD").strip()
    assert ok, text
    assert text == (f"已发布删除《第二篇》、《还在写的草稿》、《明年的通知》到 origin：几分钟后网站上就能看到（提交 {sha}）\n"
                    "暂时不会出现在网站上：《还在写的草稿》、《明年的通知》：是草稿，或日期晚于现在（到了那个时间后的第一次生成才会出现）")
    assert git(office, "log", "-1", "--format=%s").strip() == "发布：删除《第二篇》、《还在写的草稿》、《明年的通知》"


def test_a_remote_that_is_not_there_is_said_in_chinese_without_gits_english(repos):
    _, office, _ = repos
    git(office, "remote", "set-url", "origin", str(office.parent / "no-such.git"))
    (office / "content/news/c.md").write_text(article("第三篇", "2024-07-01 05:00:00", "正文。"), encoding="utf-8")
    ok, text = publish(office)
    assert not ok and text.startswith("没有上传成功：在网站设定的地址找不到仓库（请找负责网站的人）。文章已在本机提交")


def test_a_moved_article_is_named_once_as_moved(repos):
    """移到其他栏目 leaves one file removed and one added under the same name and title: one article, moved."""
    remote, office, _ = repos
    (office / "content/work").mkdir()
    (office / "content/work/_index.md").write_text("---\ntitle: 工作\n---\n", encoding="utf-8")
    assert publish(office)[0]  # the new section first
    (office / "content/news/b.md").rename(office / "content/work/b.md")
    ok, text = publish(office)
    assert ok and text.startswith("已发布《第二篇》（移到了其他栏目）到 origin"), text
    listed = git(remote, "ls-tree", "-r", "--name-only", "main").split()
    assert "content/work/b.md" in listed and "content/news/b.md" not in listed
    assert git(office, "log", "-1", "--format=%s").strip() == "发布：《第二篇》（移到了其他栏目）"
