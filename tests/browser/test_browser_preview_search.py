"""The preview (build.py serve) has a search that follows edits: the page says the index is being updated
until the changed shard is re-indexed in the background, then finds the new words."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import copy_sample_site
from test_serve import Serve, wait_until

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def preview(tmp_path):
    site = copy_sample_site(tmp_path / "site")
    server = Serve(site, "--now", "2026-01-01 00:00")
    server.wait_line(r"^搜索索引已更新：", timeout=120)  # search index updated: ...
    yield site, server
    server.stop()


def test_the_preview_search_finds_an_edit_once_re_indexed(page, preview, search_ui):
    site, server = preview
    page.goto(server.url("/search/?q=两个机关"))
    status = search_ui.wait(page)
    assert status.startswith("找到 1 篇"), status
    # No preview page stays open while the site changes: its live reload would race the next navigation
    # (net::ERR_ABORTED). The test waits for what it means, the rebuild's line and then the re-index's.
    page.goto("about:blank")
    start = len(server.lines)
    article = site / "content" / "renda-yaowen" / "2021-dangshi-xuexi.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n会议强调，要建设好“两个机关”。\n", encoding="utf-8")
    server.wait_line(r"^已更新：", start)  # rebuilt: ...
    # Rebuilt but not yet re-indexed (or just re-indexed): the page either says it is updating, or finds both.
    page.goto(server.url("/search/?q=两个机关"))
    status = search_ui.wait(page)
    assert "正在更新" in status or status.startswith("找到 2 篇"), status
    page.goto("about:blank")
    server.wait_line(r"^搜索索引已更新：\d+ 个分片中重新生成了 1 个$", start, timeout=120)
    page.goto(server.url("/search/?q=两个机关"))
    status = search_ui.wait(page)
    assert status.startswith("找到 2 篇") and "正在更新" not in status, status
    assert "/renda-yaowen/2021-dangshi-xuexi/" in [item["href"] for item in search_ui.items(page)]
