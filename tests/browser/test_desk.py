"""The editor's desk in Chromium, through the real Decap CMS served by `build.py serve`: write an article with a
photo, a list and a table; change a title; see a mistake in Chinese; keep untouched text byte for byte; 发布 to a
bare repository on this machine. No request may leave 127.0.0.1 during any of it."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from helpers import REPO, copy_sample_site
from photos import photo
from sitegen.desk.entrytext import blocks, split
from sitegen.markdown import make_markdown
from test_serve import Serve

pytestmark = pytest.mark.browser
SAVE_S = 60_000  # ms: a save, the rebuild after it and the desk's check of the article
MD = make_markdown(False)


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", "-c", "user.name=测试", "-c", "user.email=t@localhost", "-c",
                             "init.defaultBranch=main", *args], cwd=cwd, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """The sample site in a clone of a bare repository, served with its desk: (site, remote, server)."""
    root = tmp_path_factory.mktemp("desk")
    remote, site = root / "remote.git", root / "office"
    git(root, "init", "--bare", "-q", str(remote))
    site.mkdir()
    copy_sample_site(site)
    (site / ".gitignore").write_text("/output/\n/.cache/\n/.preview/\n")
    git(site, "init", "-q")
    git(site, "add", "-A")
    git(site, "commit", "-qm", "网站")
    git(site, "remote", "add", "origin", str(remote))
    git(site, "push", "-q", "-u", "origin", "main")
    server = Serve(site)
    try:
        server.wait_line(r"http://127\.0\.0\.1:\d+/", timeout=120)
        yield site, remote, server
    finally:
        server.stop()


@pytest.fixture
def desk(office, context):
    """A page of the desk; after the test, no request may have left 127.0.0.1."""
    site, remote, server = office
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    context.set_default_timeout(SAVE_S)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    yield page, site, remote, server
    network = [url for url in requests if not url.startswith(("data:", "blob:", "about:"))]
    assert network, "no request recorded"
    outside = [url for url in network if not url.startswith(f"http://127.0.0.1:{server.port}/")]
    assert outside == [], f"requests leaving 127.0.0.1: {outside}"


def open_entry(page, server, collection: str, slug: str = "", site: Path | None = None) -> None:
    """Open the editor on an article (a new one without `slug`), from a fresh page load."""
    page.goto("about:blank")
    page.goto(f"{server.origin}/admin/#/collections/{collection}/" + (f"entries/{slug}" if slug else "new"))
    page.wait_for_selector("input[id^='title-field']")
    if slug and site is not None:
        front, _ = split((site / "content" / collection.replace("__", "/") / f"{slug}.md").read_text())
        title = str(yaml.safe_load(front)["title"])
        expect(page.locator("input[id^='title-field']").first).to_have_value(title)


def save(page) -> str:
    """Save as she does (保存, then 保存 in its menu); the desk's message after the rebuild."""
    page.locator("#desk-messages").evaluate("box => box.textContent = ''")
    page.get_by_role("button", name="保存", exact=True).first.click()
    page.get_by_role("menuitem", name="保存", exact=True).first.click()
    page.wait_for_selector("#desk-messages [data-kind=done], #desk-messages [data-kind=problem]")
    return page.locator("#desk-messages").inner_text()


def markdown_mode(page) -> None:
    page.locator("xpath=//span[text()='Markdown']/preceding-sibling::button[@role='switch']").click()


def type_lines(page, lines: list[str]) -> None:
    editor = page.locator("div[data-slate-editor='true']").last
    editor.click()
    page.keyboard.press("Control+End")
    for line in lines:
        page.keyboard.insert_text(line)
        page.keyboard.press("Enter")


def test_she_writes_an_article_with_a_photo_a_list_and_a_table_sees_it_and_publishes_it(desk, tmp_path):
    page, site, remote, server = desk
    picture = tmp_path / "会议 照片.jpg"
    picture.write_bytes(photo(7))  # 4000 × 3000, as a camera makes it
    open_entry(page, server, "daibiao-gongzuo__lvzhi-dongtai")
    assert page.locator("#desk-publish").inner_text() == "发布"
    page.locator("input[id^='title-field']").first.fill("城关镇人大代表视察安全生产")
    page.locator("input[type='datetime-local']").fill("2024-07-01T05:00")  # Beijing time: 06-30 21:00 UTC
    page.locator("input[id^='author-field']").fill("王明")
    page.locator("input[id^='tags-field']").fill("人大代表, 视察")
    page.locator("button[title='添加组件']").click()
    assert page.get_by_role("menuitem").all_inner_texts() == ["图片", "附件（Word、Excel、PDF）"]  # no "Code Block"
    page.get_by_role("menuitem", name="图片").click()
    labels = page.locator("[class*=ControlContainer] label").all_inner_texts()
    assert {"图片文件", "图片内容说明（读给看不见图片的读者听）", "图片下方的说明文字（图注）"} <= set(labels), labels
    page.get_by_role("button", name="选择图片").first.click()
    page.locator("input[type=file]").first.set_input_files(str(picture))
    page.get_by_role("button", name="选用已选中项目").click()
    page.get_by_label("图片内容说明", exact=False).fill("代表们在建筑工地察看安全设施")
    markdown_mode(page)
    type_lines(page, ["城关镇人大代表视察了辖区安全生产工作。", "", "- 察看建筑工地", "- 听取工作汇报", "",
                      "| 项目 | 数量 |", "| --- | --- |", "| 企业 | 12 |", ""])
    message = save(page)
    assert message.strip().endswith("已保存。预览里显示的就是文章在网站上的样子。"), message
    written = site / "content/daibiao-gongzuo/lvzhi-dongtai/20240701-0500.md"
    text = written.read_text(encoding="utf-8")
    front, body = split(text)
    assert front == ('title: "城关镇人大代表视察安全生产"\ndate: 2024-07-01 05:00:00\nauthor: "王明"\nsource: "本网"\n'
                     'tags: ["人大代表", "视察"]\n')
    photos = sorted((site / "assets/images").rglob("*.jpg"))
    placed = site / "assets/images/2024/07/huiyi-zhaopian.jpg"
    assert placed in photos and placed.read_bytes() == picture.read_bytes()
    assert "![代表们在建筑工地察看安全设施](/images/2024/07/huiyi-zhaopian.jpg)" in body
    html = "".join(part for _, _, part in blocks(body, MD))
    assert "<li>察看建筑工地</li>" in html and "<td>企业</td>" in html
    # the preview is the site's own page, with its layouts and style sheet
    preview = page.frame_locator("#preview-pane").frame_locator("iframe")
    assert preview.locator("h1").inner_text() == "城关镇人大代表视察安全生产"
    assert preview.locator("table td").first.inner_text() == "企业"
    assert preview.locator(".site-header").evaluate("h => getComputedStyle(h).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert preview.locator("article img, main img").first.evaluate("img => img.naturalWidth") > 0
    # 发布: one commit with the article and the photo, pushed to the bare repository
    page.locator("#desk-publish").click(force=True)
    page.wait_for_selector("#desk-messages [data-kind=done], #desk-messages [data-kind=problem]", timeout=120_000)
    answer = page.locator("#desk-messages").inner_text()
    assert "已发布《城关镇人大代表视察安全生产》到 origin" in answer, answer
    committed = sorted(git(remote, "show", "--name-only", "--format=", "main").split())
    assert committed == ["assets/images/2024/07/huiyi-zhaopian.jpg",
                         "content/daibiao-gongzuo/lvzhi-dongtai/20240701-0500.md"]
    assert git(remote, "log", "-1", "--format=%s", "main").strip() == \
        "发布：《城关镇人大代表视察安全生产》（含 1 个图片或附件）"


def test_changing_a_title_changes_only_that_line(desk):
    page, site, _, server = desk
    path = site / "content/daibiao-gongzuo/lvzhi-dongtai/liangge-jiguan.md"
    before = path.read_text(encoding="utf-8")
    try:
        open_entry(page, server, "daibiao-gongzuo__lvzhi-dongtai", "liangge-jiguan", site)
        page.locator("input[id^='title-field']").first.fill("聚焦“两个机关”建设 开创人大工作新局面")
        assert save(page).strip().endswith("已保存。预览里显示的就是文章在网站上的样子。")
        after = path.read_text(encoding="utf-8")
        changed = [(old, new) for old, new in zip(before.split("\n"), after.split("\n")) if old != new]
        assert before.count("\n") == after.count("\n")
        assert changed == [("title: 聚焦“两个机关”建设 开启人大工作新征程", 'title: "聚焦“两个机关”建设 开创人大工作新局面"')]
    finally:
        path.write_text(before, encoding="utf-8")


def test_a_mistake_shows_its_chinese_message_where_she_is(desk):
    page, site, _, server = desk
    path = site / "content/renda-yaowen/2021-dangshi-xuexi.md"
    before = path.read_text(encoding="utf-8")
    try:
        open_entry(page, server, "renda-yaowen", "2021-dangshi-xuexi", site)
        page.locator("input[id^='tags-field']").fill("常委会 会议")
        message = save(page)
        assert "这篇文章有问题，网站没有更新。请按下面的提示修改后再保存：" in message
        line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").split("\n"), 1)
                    if text.startswith("tags:"))
        assert re.search(rf"content/renda-yaowen/2021-dangshi-xuexi\.md:{line}:\d+: .*标签“常委会 会议”.*、", message), \
            message
    finally:
        path.write_text(before, encoding="utf-8")


SAMPLES = sorted(p.relative_to(REPO / "content").as_posix() for p in (REPO / "content").rglob("*.md")
                 if p.name != "_index.md"  # the sample's articles; its pages of their own (layout:) are not in the desk
                 and "layout" not in yaml.safe_load(split(p.read_text(encoding="utf-8"))[0]))


def test_resaving_and_editing_keep_what_she_did_not_touch(desk):
    """Every sample article: saved untouched, its bytes stay; with its last paragraph edited in the CMS's rich
    text editor, every other block keeps its text and its HTML."""
    page, site, _, server = desk
    for rel in SAMPLES:
        path = site / "content" / rel
        original = path.read_bytes()
        folder, _, name = rel.rpartition("/")
        try:
            open_entry(page, server, folder.replace("/", "__"), name[:-3], site)
            title = page.locator("input[id^='title-field']").first
            title.fill(title.input_value() + "（改）")  # the CMS saves only a changed entry: her change is the title
            save(page)
            old_front, old_body = split(original.decode("utf-8"))
            new_front, new_body = split(path.read_text(encoding="utf-8"))
            assert new_body == old_body, f"{rel}: the body she did not touch changed"
            changed = [(a, b) for a, b in zip(old_front.split("\n"), new_front.split("\n")) if a != b]
            assert len(changed) == 1 and changed[0][0].startswith("title:") and old_front.count("\n") == \
                new_front.count("\n"), (rel, changed)
            editor = page.locator("div[data-slate-editor='true']").last
            editor.locator(":scope > p").last.click()
            page.keyboard.press("End")
            page.keyboard.insert_text("【补】")
            save(page)
            _, old_body = split(original.decode("utf-8"))
            _, new_body = split(path.read_text(encoding="utf-8"))
            old, new = blocks(old_body, MD), blocks(new_body, MD)
            assert len(old) == len(new), rel
            edited = [n for n, (a, b) in enumerate(zip(old, new)) if a[2] != b[2]]
            assert len(edited) == 1 and "【补】" in new[edited[0]][2], (rel, edited)
            old_lines, new_lines = old_body.split("\n"), new_body.split("\n")
            for number, ((start, end, _), (new_start, new_end, _)) in enumerate(zip(old, new)):
                if number != edited[0]:
                    assert new_lines[new_start:new_end] == old_lines[start:end], (rel, number)
        finally:
            path.write_bytes(original)
            time.sleep(0.2)


def test_deleting_an_article_another_links_to_is_told_at_once(desk):
    page, site, _, server = desk
    cited, citing = site / "content/renda-yaowen/bei-yinyong.md", site / "content/renda-yaowen/yinyong-ta.md"
    cited.write_text("---\ntitle: 被引用的文章\ndate: 2024-07-06 10:00:00\n---\n\n正文。\n", encoding="utf-8")
    citing.write_text("---\ntitle: 引用它的文章\ndate: 2024-07-06 11:00:00\n---\n\n见[被引用的文章](/renda-yaowen/bei-yinyong/)。\n",
                      encoding="utf-8")
    try:
        open_entry(page, server, "renda-yaowen", "bei-yinyong", site)
        page.locator("#desk-messages").evaluate("box => box.textContent = ''")
        asked = []
        page.on("dialog", lambda dialog: asked.append(dialog.message))
        page.get_by_role("button", name="删除文章").first.click()
        page.wait_for_selector("#desk-messages [data-kind=problem]")
        message = page.locator("#desk-messages").inner_text()
        assert not cited.exists() and "其他文章有问题，所以网站没有更新：" in message
        assert "content/renda-yaowen/yinyong-ta.md:6:" in message and "/renda-yaowen/bei-yinyong/" in message
        assert asked == ["删除这篇文章吗？点“发布”后，网站上也会删除。"], asked  # not 已经发布的内容: it may never have been
    finally:
        citing.unlink()
        cited.unlink(missing_ok=True)


def test_a_save_from_a_tab_opened_before_another_save_is_refused_and_loses_nothing(desk, context):
    page, site, _, server = desk
    path = site / "content/renda-yaowen/2021-dangshi-xuexi.md"
    before = path.read_text(encoding="utf-8")
    other = context.new_page()
    other.on("dialog", lambda dialog: dialog.accept())
    try:
        open_entry(page, server, "renda-yaowen", "2021-dangshi-xuexi", site)
        open_entry(other, server, "renda-yaowen", "2021-dangshi-xuexi", site)
        title = page.locator("input[id^='title-field']").first
        title.fill(title.input_value() + "（甲）")
        save(page)
        assert "（甲）" in path.read_text(encoding="utf-8")
        title = other.locator("input[id^='title-field']").first
        title.fill(title.input_value() + "（乙）")
        other.get_by_role("button", name="保存", exact=True).first.click()
        other.get_by_role("menuitem", name="保存", exact=True).first.click()
        other.wait_for_selector("text=在您打开之后被改过")
        shown = other.evaluate("document.body.innerText")
        assert "API_ERROR" not in shown and "没有保存：content/renda-yaowen/2021-dangshi-xuexi.md 在您打开之后被改过" in shown
        text = path.read_text(encoding="utf-8")
        assert "（甲）" in text and "（乙）" not in text
        title = page.locator("input[id^='title-field']").first  # the first tab saves again: its own save is no bar
        title.fill(title.input_value() + "再改")
        save(page)
        assert "（甲）再改" in path.read_text(encoding="utf-8")
    finally:
        other.close()
        path.write_text(before, encoding="utf-8")


def paste(page, html: str, text: str) -> None:
    """Put Word's kind of clipboard (HTML and plain text) on the clipboard and press Ctrl+V in the body."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=page.url.split("/admin/")[0])
    page.evaluate("""async ([html, text]) => navigator.clipboard.write([new ClipboardItem({
        'text/html': new Blob([html], {type: 'text/html'}), 'text/plain': new Blob([text], {type: 'text/plain'})})])""",
                  [html, text])
    page.locator("div[data-slate-editor='true']").last.click()
    page.keyboard.press("Control+V")


WORD_PICTURE = ('<p class=MsoNormal>会议现场：</p><p class=MsoNormal><img width=553 height=369 '
                'src="file:///C:/Users/ADMINI~1/AppData/Local/Temp/msohtmlclip1/01/clip_image002.jpg"></p>'
                '<p class=MsoNormal>会议结束。</p>')
WORD_TABLE = ('<p class=MsoNormal>办理情况如下：</p><table class=MsoTableGrid><tr><td><p>项目</p></td><td><p>数量</p></td></tr>'
              '<tr><td><p>议题</p></td><td><p>3</p></td></tr></table>')


def test_a_picture_pasted_from_word_is_said_not_dropped_in_silence(desk):
    page, site, _, server = desk
    open_entry(page, server, "renda-yaowen")
    paste(page, WORD_PICTURE, "会议现场：\n\n会议结束。")
    message = page.locator("#desk-messages [data-kind=problem]")
    expect(message).to_contain_text("粘贴的内容有一部分没有带过来：")
    expect(message).to_contain_text("1 张图片：粘贴带不过来图片。请用正文上方的“＋”→“图片”")
    expect(page.locator("div[data-slate-editor='true']").last).to_contain_text("会议结束。")


def test_a_table_pasted_from_word_is_kept_as_a_table_in_markdown_mode(desk):
    page, site, _, server = desk
    open_entry(page, server, "renda-yaowen")
    page.locator("input[id^='title-field']").first.fill("粘贴表格的文章")
    page.locator("input[type='datetime-local']").fill("2024-07-02T09:00")
    paste(page, WORD_TABLE, "办理情况如下：\n项目\t数量\n议题\t3")
    expect(page.locator("#desk-messages [data-kind=problem]")).to_contain_text("表格：这种编辑方式保存不了表格")
    assert "项目数量" not in page.locator("div[data-slate-editor='true']").last.inner_text()  # nothing run together
    markdown_mode(page)
    paste(page, WORD_TABLE, "办理情况如下：\n项目\t数量\n议题\t3")
    written = site / "content/renda-yaowen/20240702-0900.md"
    try:
        assert save(page).strip().endswith("已保存。预览里显示的就是文章在网站上的样子。")
        html = "".join(part for _, _, part in blocks(split(written.read_text(encoding="utf-8"))[1], MD))
        assert "<p>办理情况如下：</p>" in html and "<td>议题</td>" in html and "<th>项目</th>" in html, html
    finally:
        written.unlink(missing_ok=True)


def test_a_refused_upload_is_said_in_the_desks_words_alone(desk, tmp_path):
    page, site, _, server = desk
    fake = tmp_path / "假图片.jpg"
    fake.write_bytes("这不是照片".encode() * 50)
    page.goto(f"{server.origin}/admin/")
    page.get_by_text("图片和附件").first.click()
    page.locator("input[type=file]").first.set_input_files(str(fake))
    page.wait_for_selector("text=拒绝上传")
    shown = page.evaluate("document.body.innerText")
    assert "Failed to persist media" not in shown and "API_ERROR" not in shown, shown
    assert not list((site / "assets").rglob("*假图片*")) and not list((site / "assets").rglob("jia-tupian*"))


def test_she_attaches_a_word_document_to_an_article(desk, tmp_path):
    page, site, _, server = desk
    document = tmp_path / "会议纪要.docx"
    from test_desk_http import word_document
    document.write_bytes(word_document())
    open_entry(page, server, "renda-yaowen")
    page.locator("input[id^='title-field']").first.fill("带附件的通知")
    page.locator("input[type='datetime-local']").fill("2024-07-03T09:00")
    page.locator("button[title='添加组件']").click()
    page.get_by_role("menuitem", name="附件（Word、Excel、PDF）").click()
    page.get_by_role("button", name="选择文件").first.click()
    page.locator("input[type=file]").first.set_input_files(str(document))
    page.get_by_role("button", name="选用已选中项目").click()
    page.get_by_label("文章里显示的名称", exact=False).fill("会议议程")
    written = site / "content/renda-yaowen/20240703-0900.md"
    try:
        assert save(page).strip().endswith("已保存。预览里显示的就是文章在网站上的样子。")
        placed = site / "assets/files/2024/07/huiyi-jiyao.docx"
        assert placed.read_bytes() == document.read_bytes()
        assert "[会议议程](/files/2024/07/huiyi-jiyao.docx)" in written.read_text(encoding="utf-8")
    finally:
        written.unlink(missing_ok=True)
        (site / "assets/files/2024/07/huiyi-jiyao.docx").unlink(missing_ok=True)


def move_open_article(page, label: str, collection: str, slug: str) -> None:
    page.locator("#desk-move").click()
    page.locator("#desk-move-to").select_option(label=label)
    page.wait_for_function(f"location.hash.includes('/collections/{collection}/entries/{slug}')")
    page.wait_for_selector("#desk-messages [data-kind=done]")


def test_she_moves_an_article_to_another_section(desk):
    page, site, _, server = desk
    open_entry(page, server, "renda-yaowen")
    page.locator("input[id^='title-field']").first.fill("发错栏目的通知")
    page.locator("input[type='datetime-local']").fill("2024-07-04T09:00")
    type_lines(page, ["这篇应当在通知公告里。"])
    old, new = site / "content/renda-yaowen/20240704-0900.md", site / "content/tongzhi-gonggao/20240704-0900.md"
    try:
        save(page)
        open_entry(page, server, "renda-yaowen", "20240704-0900", site)
        page.locator("input[id^='title-field']").first.fill("发错栏目的通知（改）")  # not saved yet
        page.locator("#desk-move").click()
        page.locator("#desk-move-to").select_option(label="通知公告")
        expect(page.locator("#desk-messages [data-kind=problem]")).to_contain_text("请先保存这篇文章，再移动")
        assert old.is_file() and not new.exists()
        open_entry(page, server, "renda-yaowen", "20240704-0900", site)
        move_open_article(page, "通知公告", "tongzhi-gonggao", "20240704-0900")
        assert new.is_file() and not old.exists()
        assert "aliases" not in new.read_text(encoding="utf-8"), "never published: its address needs no redirect"
        expect(page.locator("input[id^='title-field']").first).to_have_value("发错栏目的通知")
    finally:
        old.unlink(missing_ok=True)
        new.unlink(missing_ok=True)


def test_a_published_article_moved_keeps_its_address_and_moved_back_is_as_it_was(desk):
    page, site, _, server = desk
    home, away = site / "content/renda-yaowen/2021-dangshi-xuexi.md", site / "content/tongzhi-gonggao/2021-dangshi-xuexi.md"
    before = home.read_bytes()
    try:
        open_entry(page, server, "renda-yaowen", "2021-dangshi-xuexi", site)
        move_open_article(page, "通知公告", "tongzhi-gonggao", "2021-dangshi-xuexi")
        assert 'aliases: ["/renda-yaowen/2021-dangshi-xuexi/"]' in away.read_text(encoding="utf-8")
        move_open_article(page, "人大要闻", "renda-yaowen", "2021-dangshi-xuexi")
        assert home.read_bytes() == before and not away.exists()
    finally:
        if away.exists():
            away.unlink()
        home.write_bytes(before)


WEB_PAGE = ('<div class="article"><p>一、会议议程如下：</p><table><tr><th>时间</th><th>内容</th><th>地点</th></tr>'
            '<tr><td rowspan="2">上午</td><td><p>开幕</p><p>全体会议</p></td><td>一楼</td></tr>'
            '<tr><td>分组讨论</td><td>二楼</td></tr></table><ol><li>准时到会</li><li>携带材料</li></ol>'
            '<p>二、请各位代表准时参加。</p></div>')


def test_a_web_page_pasted_in_markdown_mode_keeps_all_its_text_in_order(desk):
    page, site, _, server = desk
    open_entry(page, server, "renda-yaowen")
    markdown_mode(page)
    paste(page, WEB_PAGE, "一、会议议程如下：")
    text = page.locator("div[data-slate-editor='true']").last.inner_text()
    lines = [line.strip() for line in text.replace("\ufeff", "").splitlines() if line.strip()]
    assert lines == ["一、会议议程如下：", "| 时间 | 内容 | 地点 |", "| --- | --- | --- |", "| 上午 | 开幕 全体会议 | 一楼 |",
                     "|  | 分组讨论 | 二楼 |", "1. 准时到会", "2. 携带材料", "二、请各位代表准时参加。"], lines


def test_a_screenshot_pasted_is_said(desk):
    page, site, _, server = desk
    open_entry(page, server, "renda-yaowen")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.origin)
    page.evaluate("""async () => {
        const canvas = document.createElement('canvas'); canvas.width = canvas.height = 8;
        const blob = await new Promise(resolve => canvas.toBlob(resolve, 'image/png'));
        await navigator.clipboard.write([new ClipboardItem({'image/png': blob})]); }""")
    page.locator("div[data-slate-editor='true']").last.click()
    page.keyboard.press("Control+V")
    expect(page.locator("#desk-messages [data-kind=problem]")).to_contain_text("1 张图片：粘贴带不过来图片")
