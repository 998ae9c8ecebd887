"""Write the catalog as a Markdown table, each message's Chinese beside its English: docs/消息对照表.md.

    .venv/bin/python sitegen/locale/table.py    (run by 'make messages')
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

HERE = Path(__file__).resolve().parent
CATALOG = HERE / "zh_Hans" / "LC_MESSAGES" / "sitegen.po"
TABLE = HERE.parents[1] / "docs" / "消息对照表.md"


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def first(text: str | tuple[str, ...]) -> str:
    """A message's text; of a plural one, its first form."""
    return text if isinstance(text, str) else text[0]


def main() -> None:
    with CATALOG.open("rb") as file:
        catalog = read_po(file)
    rows = [(first(message.string), first(message.id)) for message in catalog if message.id]
    lines = ["# 消息对照表：每条提示的中文和英文", "",
             f"程序对编辑说的每一句话（共 {len(rows)} 条），左边是默认的中文，右边是 `--lang en` 的英文。"
             "由 `make messages` 从 `sitegen/locale/zh_Hans/LC_MESSAGES/sitegen.po` 生成，请勿手改。", "",
             "| 中文（默认） | English (`--lang en`) |", "|---|---|"]
    lines += [f"| {cell(chinese)} | {cell(english)} |" for chinese, english in rows]
    TABLE.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
