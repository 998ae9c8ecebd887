"""The preview's own pages (never part of the built site): why an address shows no page."""

from __future__ import annotations

import html
from urllib.parse import quote

from .desk.cmsconfig import collection_name
from .messages import Language, say
from .site import LeftOut


def left_out_page(item: LeftOut, language: Language) -> str:
    """A page saying that the article at this address is a draft, or scheduled for a later time, and how to
    publish it; in place of 'not found'."""
    if item.scheduled is None:
        heading = say("Draft: this article is not on the site")
        text = say("The article '{title}' is a draft, so it is left out of the site. To publish it, switch off 草稿 "
                   "in the desk and save (in its file: delete the line 'draft: true').", title=item.title)
    else:
        heading = say("Scheduled: this article is published at {date}", date=f"{item.scheduled:%Y-%m-%d %H:%M}")
        text = say("The article '{title}' is dated {date}, after now, so it appears on the site from then on (when "
                   "the site is built after that time). To publish it now, change its 'date:' to now or earlier; "
                   "to preview it, run 'build.py serve --future'.", title=item.title,
                   date=f"{item.scheduled:%Y-%m-%d %H:%M}")
    file = say("File: {path}", path=item.path)
    words = [html.escape(language.text(m)) for m in (heading, text, file, say("Open it in the desk"))]
    return _page(language, words[0], f'<p>{words[1]}</p>\n<p><code>{words[2]}</code></p>\n'
                                     f'<p><a href="{html.escape(desk_address(item.path))}">{words[3]}</a></p>\n')


def unbuilt_page(problems: list[str], language: Language) -> str:
    """In place of 'not found' while the last build failed: the page may be one that build would have made (a new
    article's), so the problems come first, not 'the page does not exist'."""
    heading = html.escape(language.text(say("This page is not built yet: the site was not rebuilt")))
    text = html.escape(language.text(say("Correct the problems below and save again; this page then shows "
                                         "itself.")))
    items = "".join(f"<li>{html.escape(line)}</li>\n" for line in problems)
    return _page(language, heading, f"<p>{text}</p>\n<ul>\n{items}</ul>\n")


def _page(language: Language, heading: str, inner: str) -> str:
    lang = "zh-CN" if language.code == "zh" else "en"
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{heading}</title>\n'
            f'<link rel="stylesheet" href="/css/site.css">\n</head>\n<body>\n<main id="main" class="page">\n'
            f'<h1>{heading}</h1>\n{inner}</main>\n</body>\n</html>\n')


def desk_address(path: str) -> str:
    """Where the desk opens the article at `path` ('content/<section>/<name>.md')."""
    section, _, name = path.removeprefix("content/").rpartition("/")
    return f"/admin/#/collections/{quote(collection_name(section))}/entries/{quote(name.removesuffix('.md'))}"
