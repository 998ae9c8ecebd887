"""The message catalog: every message of the code has Chinese, the compiled catalog is current, and the language
is chosen as documented (Chinese by default, English on request)."""

from __future__ import annotations

import io
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from helpers import REPO, run_cli, write_site
from sitegen.messages import Message, choose_language, language_named, listing, say, say_plural

LOCALE = REPO / "sitegen" / "locale"
PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "sitegen.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"say": None, "say_plural": (1, 2), "_": None, "language": None}  # as 'make messages' extracts them


def code_messages() -> set[str]:
    """Every message text the code says (singular forms), found as Babel finds them."""
    found = set()
    method_map = [("build.py", "python"), ("sitegen/**.py", "python")]
    for _, _, text, _, _ in extract_from_dir(str(REPO), method_map, keywords=KEYWORDS):
        found.add(text[0] if isinstance(text, tuple) else text)
    return found


def catalog():
    with PO.open("rb") as handle:
        return read_po(handle, locale="zh_Hans")


def fields_of(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_of_the_code_has_a_chinese_translation():
    translated = {m.id[0] if isinstance(m.id, tuple) else m.id: m for m in catalog() if m.id}
    missing = sorted(text for text in code_messages()
                     if text not in translated or translated[text].fuzzy or not any(translated[text].string))
    assert not missing, "untranslated (run 'make messages', then translate in sitegen.po):\n" + "\n".join(missing)


def test_the_catalog_holds_no_message_the_code_no_longer_says():
    said = code_messages()
    stale = sorted(m.id if isinstance(m.id, str) else m.id[0] for m in catalog()
                   if m.id and (m.id if isinstance(m.id, str) else m.id[0]) not in said)
    assert not stale, "obsolete entries (run 'make messages'):\n" + "\n".join(stale)


def test_every_translation_fills_the_same_fields_as_its_english():
    for entry in catalog():
        if not entry.id:
            continue
        english = entry.id if isinstance(entry.id, str) else entry.id[0]
        chinese = entry.string if isinstance(entry.string, str) else entry.string[0]
        assert fields_of(chinese) <= fields_of(english), (english, chinese)
        assert "{" not in chinese.replace("{{", "") or fields_of(chinese), chinese


def test_the_compiled_catalog_is_the_catalog():
    compiled = io.BytesIO()
    write_mo(compiled, catalog())
    assert MO.read_bytes() == compiled.getvalue(), "sitegen.mo is stale: run 'make messages'"


def test_a_message_is_said_in_chinese_by_default_and_in_english_on_request():
    message = say("broken link: {target} does not exist", target="/a/")
    assert str(message) == "链接失效：/a/ 不存在"
    assert message.said(language_named("en")) == "broken link: /a/ does not exist"


def test_messages_inside_messages_are_said_in_the_same_language():
    message = say("'{key}' {what_is_wrong}", key="per_page", what_is_wrong=say("must be at least 1, not {value}",
                                                                                 value=0))
    assert message.said(language_named("zh")) == "“per_page”至少要是 1，不能是 0"
    assert message.said(language_named("en")) == "'per_page' must be at least 1, not 0"


def test_plural_forms_in_english_and_one_form_in_chinese():
    one, two = (say_plural("{count} problem found; {tail}.", "{count} problems found; {tail}.", n,
                           tail=say("nothing was written")) for n in (1, 2))
    assert one.said(language_named("en")) == "1 problem found; nothing was written."
    assert two.said(language_named("en")) == "2 problems found; nothing was written."
    assert two.said(language_named("zh")) == "发现 2 个问题；没有写入任何文件。"


def test_a_listing_uses_each_language_s_separator():
    items = listing(["title", say("none"), "date"])
    assert items.said(language_named("zh")) == "title、无、date"
    assert items.said(language_named("en")) == "title, none, date"
    assert isinstance(items, Message) and hash(items) == hash(listing(["title", say("none"), "date"]))


@pytest.mark.parametrize("environ, code", [
    ({}, "zh"), ({"LANG": "C"}, "zh"), ({"LANG": "C.UTF-8"}, "zh"), ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "en_US.UTF-8"}, "en"), ({"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
    ({"LANGUAGE": "zh_CN:en", "LANG": "en_US.UTF-8"}, "zh"), ({"LANGUAGE": "", "LANG": "en_US"}, "en"),
])
def test_the_language_follows_the_locale_only_when_it_asks_for_english(environ, code):
    assert choose_language(None, environ).code == code


def test_the_lang_option_wins_over_the_locale():
    assert choose_language("en", {"LANG": "zh_CN.UTF-8"}).code == "en"
    assert choose_language("zh", {"LANG": "en_US.UTF-8"}).code == "zh"


def broken_site(root: Path) -> Path:
    return write_site(root, {"content/news/_index.md": "---\ntitle: 新闻\n---\n",
                             "content/news/a.md": "---\ntitle: 会议\ndate: 2020-02-30\n---\n正文。\n"})


def test_a_machine_with_lang_c_prints_chinese(tmp_path):
    result = run_cli("check", "--site", str(broken_site(tmp_path)), env={"LANG": "C", "LC_ALL": "", "LANGUAGE": ""})
    assert "content/news/a.md:3:7: “date”应该是日期，例如 2019-11-08 11:25:53；“2020-02-30”这个日期不存在：2020 年 2 月没有 30 日" \
        in result.stderr
    assert result.stderr.rstrip().endswith("发现 1 个问题；没有写入任何文件。")


def test_lang_en_prints_english(tmp_path):
    result = run_cli("check", "--site", str(broken_site(tmp_path)), "--lang", "en", env={"LANG": "C"})
    assert ("content/news/a.md:3:7: 'date' must be a date such as 2019-11-08 11:25:53, not '2020-02-30', which does "
            "not exist: 2020-02 has no day 30") in result.stderr
    assert result.stderr.rstrip().endswith("1 problem found; nothing was written.")


def test_help_is_chinese_by_default_and_english_on_request():
    chinese = run_cli("--help", env={"LANG": "C"})
    assert chinese.stdout.startswith("用法：build.py") and "示例：" in chinese.stdout and "命令" in chinese.stdout
    english = run_cli("build", "--help", "--lang", "en", env={"LANG": "C"})
    assert english.stdout.startswith("usage: build.py build") and "examples:" in english.stdout


def test_argparse_s_own_errors_are_said_in_chinese(tmp_path):
    result = run_cli("build", "--jobs", env={"LANG": "C"})
    assert result.returncode == 2
    assert "build.py build：错误：参数 --jobs：后面需要跟一个值" in result.stderr
