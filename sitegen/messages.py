"""Words for editors: each message is its English text with named fields, said in Chinese (the default) or English.

A message is data (`say("broken link: {target} does not exist", target=...)`), not yet words: stages return
it inside their problems, the cache keeps it, and only the command line, the preview or the desk turn it into
words, in the reader's language, through the gettext catalog `sitegen/locale/zh_Hans/LC_MESSAGES/sitegen.po`
(extracted and compiled with Babel: `make messages`). A translation is a catalog entry, never an edit of code.
"""

from __future__ import annotations

import functools
import gettext
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "sitegen"
LANGUAGES = ("zh", "en")  # Chinese first: it is the default, whatever the machine's locale says
CATALOGS = {"zh": "zh_Hans", "en": None}  # English is the messages' own text


@dataclass(frozen=True, slots=True, order=True)
class Message:
    """English text with `{name}` fields; `plural` (with the field `count`) for English's two forms."""

    text: str
    fields: tuple[tuple[str, object], ...] = ()
    plural: str = ""

    def said(self, language: Language | None = None) -> str:
        """The message in `language` (Chinese by default), its fields filled in, messages among them said too."""
        return (language or language_named("zh")).text(self)

    def __str__(self) -> str:
        return self.said()


def say(text: str, **fields) -> Message:
    """A message to be said later in the reader's language; Babel extracts `text` into the catalog."""
    return Message(text, tuple(sorted(fields.items())))


def say_plural(singular: str, plural: str, count: int, **fields) -> Message:
    """A message with a count: English picks `singular` or `plural`; Chinese has one form."""
    return Message(singular, tuple(sorted({**fields, "count": count}.items())), plural)


def listing(items) -> Message:
    """Items (text or messages) joined as a list in the reader's language: a, b, c or a、b、c."""
    items = list(items)
    text = "{sep}".join("{item%d}" % n for n in range(len(items)))
    fields = {"sep": say(", "), **{f"item{n}": item for n, item in enumerate(items)}}
    return Message(text, tuple(sorted(fields.items())))


@dataclass(frozen=True, slots=True)
class Language:
    """One language's catalog: turns messages into words."""

    code: str
    catalog: gettext.NullTranslations

    def text(self, message: Message | str) -> str:
        if isinstance(message, str):
            return message
        values = {name: self.text(value) if isinstance(value, Message) else value for name, value in message.fields}
        if message.plural:
            text = self.catalog.ngettext(message.text, message.plural, int(values["count"]))
        else:
            text = self.catalog.gettext(message.text)
        return text.format(**values)

    def __call__(self, text: str, **fields) -> str:
        """Words for a message made and said at once (the command line's own lines)."""
        return self.text(say(text, **fields))


@functools.cache
def language_named(code: str) -> Language:
    """The language `code` ('zh' or 'en'); its catalog is read once per process."""
    catalog_name = CATALOGS[code]
    if catalog_name is None:
        return Language(code, gettext.NullTranslations())
    return Language(code, gettext.translation(DOMAIN, LOCALE_DIR, languages=[catalog_name]))


def choose_language(asked: str | None, environ: Mapping[str, str] = os.environ) -> Language:
    """`--lang` when given; else English only when the locale asks for it (LANGUAGE, LC_ALL, LC_MESSAGES, LANG:
    the first one set, as gettext reads them); else Chinese, so a machine with LANG=C still speaks Chinese."""
    if asked:
        return language_named(asked)
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return language_named("en" if value.split(":")[0].lower().startswith("en") else "zh")
    return language_named("zh")
