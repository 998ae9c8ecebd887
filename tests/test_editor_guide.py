"""The editor's guide (docs/编辑指南.md) tells the truth: its sample article builds as it says, and every message it
quotes is one the build really says."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po

from helpers import REPO, run_cli, write_site

GUIDE = REPO / "docs" / "编辑指南.md"
PO = REPO / "sitegen" / "locale" / "zh_Hans" / "LC_MESSAGES" / "sitegen.po"


def sample_article() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    block = text.split("编辑指南示例开始", 1)[1].split("编辑指南示例结束", 1)[0]
    return block.split("```markdown\n", 1)[1].rsplit("```", 1)[0]


def test_the_sample_article_builds_into_the_page_the_guide_describes(tmp_path):
    site = write_site(tmp_path / "site", {
        "content/renda-yaowen/_index.md": "---\ntitle: 人大要闻\n---\n",
        "content/renda-yaowen/2024-changweihui-di-ershi-ci.md": sample_article(),
    })
    result = run_cli("build", "--no-search", "--site", str(site))
    assert result.returncode == 0, result.stderr
    assert "提醒" not in result.stderr
    page = (site / "output/renda-yaowen/2024-changweihui-di-ershi-ci/index.html").read_text(encoding="utf-8")
    assert "<h1>县人大常委会召开第二十次会议</h1>" in page or ">县人大常委会召开第二十次会议</h1>" in page
    assert "——审议县人民政府关于民生实事项目进展情况的报告" in page
    assert "2024-05-03 09:30" in page
    assert page.count('rel="tag"') == 2 or ("常委会会议" in page and "民生实事" in page)
    assert "<p>5月3日上午，县人大常委会召开第二十次会议。会议由常委会主任主持。</p>" in page
    assert "<p>会议听取和审议了县人民政府关于2024年民生实事项目进展情况的报告。</p>" in page
    assert re.search(r"<figure>.*alt=\"主席台上的常委会组成人员\".*<figcaption>县人大常委会第二十次会议现场</figcaption>"
                     r"</figure>", page, re.S)
    assert "<ol>" in page and "<table>" in page and "<td>城区道路改造</td>" in page


def quoted_messages() -> list[str]:
    """The message fragments quoted in the guide's table of common messages."""
    table = GUIDE.read_text(encoding="utf-8").split("## 五、", 1)[1].split("## 六、", 1)[0]
    fragments = []
    for row in table.splitlines():
        if row.startswith("| `"):
            for quoted in re.findall(r"`([^`]+)`", row.split("|")[1]):
                fragments += [part.strip() for part in re.split(r"……|…| / ", quoted)]
    return [f for f in fragments if len(f) >= 4 and not re.fullmatch(r"“[^”]*”", f)]


def test_every_message_the_guide_quotes_is_one_the_build_says():
    """Each fragment is in a message of the catalog, or in a problem an invalid site really gives."""
    with PO.open("rb") as handle:
        said = [re.sub(r"\{[^}]*\}", "X", m.string if isinstance(m.string, str) else m.string[0])
                for m in read_po(handle) if m.id]
    said += [path.read_text(encoding="utf-8") for path in (REPO / "tests" / "invalid").glob("*/expected.txt")]
    fragments = quoted_messages()
    assert len(fragments) >= 15
    for fragment in fragments:  # a value the guide shows in quotes stands for any value
        pattern = re.sub(r"“[^”]*”", "“[^”]*”", re.escape(fragment))
        assert any(re.search(pattern, text) for text in said), fragment
