"""Import stage: breadcrumb trail to section (terminal crumbs dropped) and Chinese section names to pinyin folders."""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

from .. import urls
from ..pictures import FOLDER as PICTURES
from ..search import BUNDLE
from .extract import HOME_CRUMBS

# Top-level folders the site writes itself: tags, archive, search, the 网站地图, the home list's pages, the pictures'
# phone-sized versions and the search index. An old section is never given one of them.
BUILT_FOLDERS = tuple(url.partition("/")[0] for url in (urls.tags(), urls.archive(), urls.search(), urls.site_map(),
                                                        urls.list_page("", 2))) + (PICTURES, BUNDLE)

TERMINAL_CRUMBS = {"正文", "新闻内容", "详细内容", "内容", "文章内容", "浏览文章", "查看内容", "信息内容", "详情",
                   "正文内容", "阅读文章", "内容详情", "新闻详情", "文章详情", "详细信息", "查看文章", "阅读全文",
                   "信息详情", "详细", "浏览内容", "文章正文", "新闻正文", "文章阅读", "内容页", "阅读", "浏览",
                   "正文阅读", "信息浏览", "文章", "新闻", "查看", "显示文章", "文章显示", "内容显示"}
# A first crumb that every page shares and that names the site (眉县人大, 县人大常委会, …) is no section.
# The channel a CMS puts every article under (动易's 文章中心): no section of the office's own.
CHANNEL_NAMES = ("文章中心", "新闻中心", "信息中心", "资讯中心")
SITE_NAME_ENDINGS = ("人大", "常委会", "人大网", "网", "网站", "政府", "门户", "门户网站", "人民代表大会")
# Three-character words that pairing syllables would split wrongly (常委|会会|议): kept whole.
THREE_CHARACTER_WORDS = ("常委会", "委员会", "办公室", "代表团", "代表大会", "人民法院", "检察院", "工作室", "联络站",
                         "代表之家", "政府")


def section_trail(crumbs: tuple[str, ...], title: str) -> tuple[str, ...]:
    """('首页', '代表工作', '履职动态', '新闻内容') -> ('代表工作', '履职动态'): home, terminal crumbs and the
    article's own title dropped."""
    trail = [c.strip() for c in crumbs if c.strip()]
    while trail and (trail[0].replace(" ", "").lower() in HOME_CRUMBS or trail[0].endswith("首页")):
        trail.pop(0)
    while trail and (trail[-1].replace(" ", "") in TERMINAL_CRUMBS or title and (trail[-1] == title or
                     len(trail[-1]) >= 8 and title.startswith(trail[-1].rstrip("…. ")))):
        trail.pop()
    return tuple(trail)


def _words(text: str) -> list[str]:
    """Chinese text cut into words of two characters (three for a few known words), other text kept."""
    words, start = [], 0
    while start < len(text):
        for word in THREE_CHARACTER_WORDS:
            if text.startswith(word, start):
                words.append(word)
                start += len(word)
                break
        else:
            size = 3 if len(text) - start == 3 else 2
            words.append(text[start:start + size])
            start += size
    return words


def folder_name(title: str) -> str:
    """'履职动态' -> 'lvzhi-dongtai', '常委会会议' -> 'changweihui-huiyi', 'ABC 新闻' -> 'abc-xinwen'."""
    parts = []
    for run in re.findall(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+", title):
        if run[0].isascii():
            parts.append(run.lower())
        else:
            parts += ["".join(lazy_pinyin(word, style=Style.NORMAL, v_to_u=False)) for word in _words(run)]
    name = "-".join(p for p in ("".join(c for c in part if c.isascii() and c.isalnum()) for part in parts) if p)
    return name or "lanmu"


def trail_folder(trail: tuple[str, ...]) -> str:
    """The folder of an old section: its crumbs' names; an old section called Archive or Tags is not given the
    folder of the site's own pages (archive/, tags/)."""
    folder = "/".join(folder_name(crumb) for crumb in trail)
    top = folder.partition("/")[0]
    return folder.replace(top, f"{top}-lanmu", 1) if top in BUILT_FOLDERS else folder


def drop_site_name(trails: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Trails without a first crumb that is the site's name or a CMS's channel (眉县人大 > 代表工作 > … ->
    代表工作 > …). A first crumb ending like a site name, or a channel, is one when some pages only carry it: a
    section under it is, on the other pages, a first or second crumb. Then, one that every trail starts with
    is one when the sections under it differ."""
    def sections_under(first, of):
        return {t[1] for t in of if t[0] == first and len(t) > 1}

    def whole(first, of):  # every trail starting with it has a section under it
        return all(len(t) > 1 for t in of if t[0] == first)

    present = [t for t in trails if t]
    names = {first for first in {t[0] for t in present}
             if (first.endswith(SITE_NAME_ENDINGS) or first in CHANNEL_NAMES) and whole(first, present)
             and sections_under(first, present) & {c for t in present if t[0] != first for c in t[:2]}}
    trails = [t[1:] if t and t[0] in names else t for t in trails]
    present = [t for t in trails if t]
    firsts = {t[0] for t in present}
    if len(firsts) == 1:
        first = next(iter(firsts))
        if (first.endswith(SITE_NAME_ENDINGS) or first in CHANNEL_NAMES) and whole(first, present) \
                and len(sections_under(first, present)) >= 2:
            trails = [t[1:] if t else t for t in trails]
    return trails
