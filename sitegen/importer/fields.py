"""Import stage: the meta line (作者, 来源, 发布时间 and their variants) and dates in every form, full-width digits too."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

# label -> field; the longest labels first so 内容来源 wins over 来源 and 责任编辑 over 编辑.
LABELS = {
    "作者": "author", "撰稿": "author", "撰文": "author", "文/图": "author", "文／图": "author", "图/文": "author",
    "记者": "author", "通讯员": "author", "供稿": "author", "发布人": "author", "发布者": "author", "录入": "editor",
    "撰稿人": "author", "文字": "author", "图片": "author", "摄影": "author", "稿源": "source",
    "来源": "source", "内容来源": "source", "信息来源": "source", "稿件来源": "source", "文章来源": "source",
    "新闻来源": "source", "出处": "source",
    "发布时间": "date", "发表时间": "date", "发布日期": "date", "更新时间": "date", "日期": "date", "时间": "date",
    "录入时间": "date", "添加时间": "date", "上传时间": "date", "发文日期": "date",
    "编辑": "editor", "责任编辑": "editor", "编审": "editor", "审核": "reviewer", "审稿": "reviewer",
    "浏览次数": "views", "点击数": "views", "点击": "views", "浏览": "views", "阅读": "views", "访问次数": "views",
    "阅读次数": "views", "点击率": "views", "人气": "views", "评论": "views", "评论数": "views", "跟帖": "views",
    "访问量": "views", "浏览量": "views", "阅读量": "views",
}
_LABEL_ALTERNATIVES = "|".join(re.escape(label) for label in sorted(LABELS, key=len, reverse=True))
# A label is followed by ':' or '：' (or stands in brackets: 【来源】); '文' and '图' alone need the colon.
LABEL = re.compile(rf"[【\[]?(?P<label>{_LABEL_ALTERNATIVES}|文|图)[】\]]?\s*[:：]\s*|[【\[](?P<bare>"
                   rf"{_LABEL_ALTERNATIVES})[】\]]\s*")
DATE = re.compile(r"(?P<y>(?:19|20)\d\d)\s*(?:[-/.]|年)\s*(?P<m>[01]?\d)\s*(?:[-/.]|月)\s*(?P<d>[0-3]?\d)\s*日?"
                  r"(?:(?:\s*|T)(?:星期.|周.)?\s*(?P<half>上午|下午|晚上|中午|凌晨)?\s*(?P<H>[0-2]?\d)\s*[:：时]\s*(?P<M>[0-5]\d)"
                  r"(?:\s*[:：分]\s*(?P<S>[0-5]\d))?\s*秒?(?:\s*(?P<ampm>[AaPp])\.?[Mm]\.?)?)?")
SHORT_DATE = re.compile(r"(?:发布时间|发表时间|发布日期|更新时间|录入时间|添加时间|发文日期|日期|时间)\s*[:：]\s*(?P<date>"
                        r"(?P<yy>\d\d)[-/.](?P<m>[01]?\d)[-/.](?P<d>[0-3]?\d)|(?P<y>(?:19|20)\d\d)(?P<m2>[01]\d)(?P<d2>[0-3]\d))(?!\d)")
AFTERNOON = ("下午", "晚上", "中午")  # with an hour before 12 (中午1:00 is 13:00; 中午12:30 stays)
# A counter ending a value: 点击：12次; the ones that are also parts of words (县人大评论员) only after a space.
VIEWS_TAIL = re.compile(r"(?:浏览次数|点击数|点击率|阅读次数|访问次数|点击|浏览|阅读|人气|(?<!\S)(?:访问量|浏览量|阅读量|评论数?|跟帖))"
                        r"\s*[:：]?\s*\d*\s*[次条]?")
VALUE_END = re.compile(r"[【\[(（]?(?:我要|字体|字号|打印|关闭|分享|收藏|默认|大\s*中\s*小)")  # page furniture in a meta line
NO_AUTHOR = {"佚名", "未知", "匿名", "不详", "无", "admin", "administrator", "管理员", "系统管理员"}  # CMS defaults
COUNTER_JUNK = re.compile(r"^[\d\s次人]*$")
EVENT_WORDS = ("会议", "活动", "开会", "举办", "召开", "截止", "报名", "培训", "考试")  # before 时间/日期: not the page's date


HALFWIDTH = str.maketrans({chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0xFF01, 0xFF5F)})


@dataclass(frozen=True, slots=True)
class Meta:
    date: str = ""  # '2019-11-08 11:25:53', '2019-11-08 11:25' or '2019-11-08'
    author: str = ""
    source: str = ""
    editors: tuple[str, ...] = ()  # '责任编辑：张三', '审核：李四', kept for the end of the body


def to_halfwidth(text: str) -> str:
    """Full-width digits, colons and letters to ASCII (２０１９年１１月８日 → 2019年11月8日)."""
    return text.translate(HALFWIDTH)


CHINESE_DATE = re.compile(r"([〇零○一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
DIGITS = {c: str(n) for n, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0"}


def _chinese_number(text: str) -> str:
    """十一 -> 11, 二十九 -> 29, 三十 -> 30, 九 -> 9 (months and days)."""
    if "十" not in text:
        return "".join(DIGITS[c] for c in text)
    tens, _, ones = text.partition("十")
    return str(int(DIGITS[tens] if tens else "1") * 10 + (int(DIGITS[ones]) if ones else 0))


def _arabic_dates(text: str) -> str:
    """二〇一九年十一月九日 (an official document's date) as 2019年11月9日, the same length kept so spans still fit."""
    def arabic(match: re.Match) -> str:
        year = "".join(DIGITS[c] for c in match[1])
        written = f"{year}年{_chinese_number(match[2])}月{_chinese_number(match[3])}日"
        return written + " " * (len(match[0]) - len(written))
    return CHINESE_DATE.sub(arabic, text)


def find_date(text: str) -> tuple[str, int, int]:
    """The first valid date in text as 'YYYY-MM-DD[ HH:MM[:SS]]', with its span; ('', -1, -1) if none."""
    plain = _arabic_dates(to_halfwidth(text))
    for match in DATE.finditer(plain):
        year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
        try:
            dt.date(year, month, day)  # 2019-02-30 is not a date: the build would refuse the article
        except ValueError:
            continue
        value = f"{year:04d}-{month:02d}-{day:02d}"
        hour = int(match["H"]) if match["H"] is not None else 99
        later = match["half"] in AFTERNOON or (match["ampm"] or "").lower() == "p"
        if hour < 12 and later:
            hour += 12
        elif hour == 12 and (match["half"] in ("上午", "凌晨") or (match["ampm"] or "").lower() == "a"):
            hour = 0
        if hour < 24:
            value += f" {hour:02d}:{match['M']}"
            if match["S"] is not None:
                value += f":{match['S']}"
        return value, match.start(), match.end()
    short = SHORT_DATE.search(plain)  # 发布日期：19-11-08, 发布时间：20191108, only after a date label
    if short:
        year = int(short["yy"]) + (1900 if int(short["yy"]) >= 90 else 2000) if short["yy"] else int(short["y"])
        try:
            month, day = int(short["m"] or short["m2"]), int(short["d"] or short["d2"])
            return dt.date(year, month, day).isoformat(), short.start("date"), short.end()
        except ValueError:
            pass
    return "", -1, -1


def has_label(text: str) -> bool:
    return LABEL.search(to_halfwidth(text)) is not None


def parse_meta(text: str) -> Meta:
    """Split a meta line at its labels: 作者：朱季林  内容来源：本网  发表时间：2019-11-08 11:25:53 浏览次数：12."""
    plain = " ".join(to_halfwidth(text).replace("\u3000", " ").replace("\xa0", " ").split())
    found = list(LABEL.finditer(plain))
    values: dict[str, str] = {}
    editors, event_dates = [], []
    for number, match in enumerate(found):
        label = match["label"] or match["bare"]
        end = found[number + 1].start() if number + 1 < len(found) else len(plain)
        value = plain[match.end():end]
        furniture = VALUE_END.search(value)
        value = (value[:furniture.start()] if furniture else value).strip(" |｜/,，;；【】[]")
        field = LABELS.get(label, "author")
        if field == "views" or not value:
            continue
        if field == "date":
            value = find_date(value)[0]
            if not value:
                continue
            before = plain[max(0, match.start() - 4):match.start()]
            if before.endswith(EVENT_WORDS):  # 会议时间：… is when the meeting was, not when the page was published
                event_dates.append(value)
                continue
        if field in ("editor", "reviewer"):
            editors.append(f"{label}：{value}")
            continue
        if field in ("author", "source"):
            value = VIEWS_TAIL.sub("", value).strip()
            start = find_date(value)[1]
            if start >= 0:  # 来源：本网 2019-11-08: an unlabelled date ends the value
                value = value[:start].strip()
            if not value or COUNTER_JUNK.match(value):
                continue
            if field == "author" and label in ("图", "图片", "摄影", "记者", "通讯员") and "author" in values:
                values["author"] += " " + value  # 文：张三 图：李四 -> both names
                continue
        values.setdefault(field, value)
    if values.get("author", "").lower() in NO_AUTHOR:
        del values["author"]
    date = values.get("date") or (event_dates[0] if event_dates else find_date(plain)[0])
    return Meta(date=date, author=values.get("author", ""), source=values.get("source", ""), editors=tuple(editors))


def looks_like_meta(text: str) -> bool:
    """A meta line: short, with a date, and labels (or nothing much besides the date)."""
    plain = " ".join(to_halfwidth(text).split())
    if not plain or len(plain) > 200:
        return False
    date, start, end = find_date(plain)
    if not date:
        return False
    if has_label(plain):
        return True
    rest = (plain[:start] + plain[end:]).strip(" ()（）[]【】|")
    return len(rest) <= 12
