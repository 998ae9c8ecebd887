"""build_site and assemble: sections and articles to one Site, newest first, drafts and future left out."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


from sitegen.messages import language_named, say
from sitegen.model import Article, Section
from sitegen.parse import Parsed
from sitegen.problems import BuildFailed, Problem
from sitegen.site import Selection, assemble, build_site

ZONE = ZoneInfo("Asia/Shanghai")
ENGLISH = language_named("en")
FOLDERS = ("", "news", "work", "work/daibiao", "work/jiandu")


def when(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2020, 1, day, hour, tzinfo=ZONE)


def art(name: str, section: str, day: int, hour: int = 9, **extra) -> Article:
    return Article(id=f"{section}/{name}.md", path=f"content/{section}/{name}.md", section=section, slug=name,
                   title=name, date=when(day, hour), body_html="", summary="", **extra)


def sections(**weights) -> list[Parsed]:
    found = []
    for key in FOLDERS[1:]:
        found.append(Parsed(section=Section(key=key, path=f"content/{key}/_index.md", title=key.upper(),
                                            weight=weights.get(key.replace("/", "_"), 0))))
    return found


def site_of(*articles: Article, selection: Selection = Selection(), **weights):
    site, left_out, problems = build_site("首页", FOLDERS, sections(**weights) + [Parsed(article=a) for a in articles],
                                          selection)
    assert problems == []
    return site, left_out


def ids(site, indices) -> list[str]:
    return [site.articles[i].slug for i in indices]


def test_articles_are_newest_first_with_ties_by_file():
    site, left_out = site_of(art("b", "news", 2), art("a", "news", 2), art("old", "news", 1), art("new", "news", 3))
    assert [a.slug for a in site.articles] == ["new", "a", "b", "old"]
    assert left_out == ()


def test_order_does_not_depend_on_input_order():
    articles = [art(f"n{i}", "news", 1 + i % 5, hour=i % 24) for i in range(30)]
    first, _ = site_of(*articles)
    second, _ = site_of(*reversed(articles))
    assert first.articles == second.articles


def test_same_instant_in_other_offsets_sorts_as_equal():
    utc = Article(id="news/z.md", path="content/news/z.md", section="news", slug="z", title="z",
                  date=dt.datetime(2020, 1, 2, 1, tzinfo=dt.timezone.utc), body_html="", summary="")
    site, _ = site_of(utc, art("a", "news", 2, hour=9), art("later", "news", 2, hour=10))
    assert [a.slug for a in site.articles] == ["later", "a", "z"]


def test_sections_list_their_subsections_articles():
    site, _ = site_of(art("n1", "news", 1), art("d1", "work/daibiao", 2), art("j1", "work/jiandu", 3),
                      art("w1", "work", 4))
    assert ids(site, site.by_section["work"]) == ["w1", "j1", "d1"]
    assert ids(site, site.own["work"]) == ["w1"]
    assert ids(site, site.by_section["work/daibiao"]) == ["d1"]
    assert ids(site, site.by_section[""]) == ["w1", "j1", "d1", "n1"]
    assert ids(site, site.own[""]) == []


def test_children_by_weight_then_key_and_trail():
    site, _ = site_of(work_jiandu=-1, news=5)
    assert site.children[""] == ("work", "news")
    assert site.children["work"] == ("work/jiandu", "work/daibiao")
    assert [s.key for s in site.top_sections] == ["work", "news"]
    assert [s.key for s in site.trail("work/daibiao")] == ["work", "work/daibiao"]
    assert site.trail("") == ()
    assert site.sections[""].title == "首页"


def test_home_section_from_content_index_wins():
    home = Parsed(section=Section(key="", path="content/_index.md", title="眉县人大首页"))
    site, _, _ = build_site("配置标题", FOLDERS, sections() + [home])
    assert site.sections[""].title == "眉县人大首页"


def test_neighbours_are_within_the_own_section():
    site, _ = site_of(art("n1", "news", 1), art("n2", "news", 3), art("n3", "news", 5), art("d1", "work/daibiao", 4))
    by_slug = {a.slug: i for i, a in enumerate(site.articles)}

    def neighbours(slug):
        newer, older = site.neighbours[by_slug[slug]]
        return (site.articles[newer].slug if newer is not None else None,
                site.articles[older].slug if older is not None else None)

    assert neighbours("n3") == (None, "n2")
    assert neighbours("n2") == ("n3", "n1")
    assert neighbours("n1") == ("n2", None)
    assert neighbours("d1") == (None, None)


def test_drafts_are_left_out_unless_asked():
    site, left_out = site_of(art("d", "news", 1, draft=True), art("p", "news", 2))
    assert [a.slug for a in site.articles] == ["p"]
    assert [(x.path, x.reason.said(), x.url, x.scheduled, x.title) for x in left_out] == [
        ("content/news/d.md", "草稿（加 --drafts 可以包括草稿）", "news/d/", None, "d")]
    assert left_out[0].reason.said(ENGLISH) == "draft (use --drafts to include it)"
    site, left_out = site_of(art("d", "news", 1, draft=True), art("p", "news", 2), selection=Selection(drafts=True))
    assert [a.slug for a in site.articles] == ["p", "d"] and left_out == ()


def test_future_articles_are_left_out_unless_asked():
    now = dt.datetime(2020, 1, 3, 1, tzinfo=dt.timezone.utc)  # 09:00 in Shanghai
    articles = (art("past", "news", 2), art("now", "news", 3, hour=9), art("soon", "news", 3, hour=10))
    site, left_out = site_of(*articles, selection=Selection(now=now))
    assert [a.slug for a in site.articles] == ["now", "past"]
    assert [(x.path, x.reason.said(), x.url, x.scheduled, x.title) for x in left_out] == [
        ("content/news/soon.md", "日期 2020-01-03 10:00 晚于现在（定时发布；加 --future 可以包括）", "news/soon/",
         dt.datetime(2020, 1, 3, 10, tzinfo=ZoneInfo("Asia/Shanghai")), "soon")]
    assert left_out[0].reason.said(ENGLISH) == "dated 2020-01-03 10:00, after now (use --future to include it)"
    site, left_out = site_of(*articles, selection=Selection(now=now, future=True))
    assert [a.slug for a in site.articles] == ["soon", "now", "past"] and left_out == ()


def test_without_now_nothing_is_future():
    site, left_out = site_of(art("far", "news", 30), selection=Selection(now=None))
    assert [a.slug for a in site.articles] == ["far"] and left_out == ()


def test_left_out_articles_are_not_listed_or_neighbours():
    site, _ = site_of(art("a", "news", 1), art("d", "news", 2, draft=True), art("c", "news", 3))
    assert ids(site, site.by_section["news"]) == ["c", "a"]
    assert site.neighbours[0] == (None, 1)


def test_every_problem_and_missing_index_are_returned_together():
    parsed = sections() + [Parsed(problems=(Problem("content/news/x.md", 3, 1, say("none")),)),
                           Parsed(problems=(Problem("content/news/a.md", 1, 1, say("empty")),))]
    site, _, problems = build_site("首页", FOLDERS + ("extra", "work/daibiao/old"), parsed)
    problems = BuildFailed(problems).problems  # sorted as they are printed
    assert [(p.path, p.line) for p in problems] == [
        ("content/extra/_index.md", 1), ("content/news/a.md", 1), ("content/news/x.md", 3),
        ("content/work/daibiao/old/_index.md", 1)]
    assert str(problems[0]) == ("content/extra/_index.md:1:1: 文件夹“content/extra”里没有 _index.md：请新建这个文件，"
                                "写上“---”、“title: 栏目名称”、“weight: 1”、“---”四行，它就成为一个栏目")
    assert "extra" in site.sections  # a stand-in section, so later checks can still run


def test_assemble_directly():
    secs = {"": Section("", "content/_index.md", "首页"), "a": Section("a", "content/a/_index.md", "甲")}
    site = assemble(secs, [art("x", "a", 1), art("y", "a", 2)])
    assert [a.slug for a in site.articles] == ["y", "x"]
    assert site.by_section == {"": (0, 1), "a": (0, 1)}
    assert site.children == {"": ("a",), "a": ()}


def test_pinned_articles_lead_section_lists_but_keep_their_place_in_time():
    site, _ = site_of(art("old", "news", 1, pinned=True), art("mid", "news", 2), art("new", "news", 3),
                      art("d", "work/daibiao", 4))
    assert [a.slug for a in site.articles] == ["d", "new", "mid", "old"]
    assert ids(site, site.by_section["news"]) == ["old", "new", "mid"]
    assert ids(site, site.by_section[""]) == ["old", "d", "new", "mid"]
    assert ids(site, site.own["news"]) == ["new", "mid", "old"]


def test_tags_and_months_index_articles_newest_first():
    site, _ = site_of(art("a", "news", 1, tags=("会议", "监督")), art("b", "news", 2, tags=("会议",)),
                      Article(id="news/c.md", path="content/news/c.md", section="news", slug="c", title="c",
                              date=dt.datetime(2019, 12, 31, 23, tzinfo=ZONE), body_html="", summary=""))
    assert {tag: ids(site, v) for tag, v in site.tags.items()} == {"会议": ["b", "a"], "监督": ["a"]}
    assert {month: ids(site, v) for month, v in site.months.items()} == {"2020/01": ["b", "a"], "2019/12": ["c"]}
    assert list(site.months) == ["2020/01", "2019/12"]
    assert {year: ids(site, v) for year, v in site.years.items()} == {"2020": ["b", "a"], "2019": ["c"]}


def test_the_remembered_site_is_the_site_build_site_makes_after_any_edit():
    """serve keeps the last site's tables while no article moves; each step's site equals a fresh build_site."""
    import dataclasses
    import random

    from sitegen.site import remembered_site
    rng = random.Random(7)
    articles = [art(f"a{n}", rng.choice(FOLDERS[1:]), rng.randint(1, 28), tags=("监督",) if n % 3 else ())
                for n in range(40)]
    memo, kept = None, 0
    for step in range(60):
        number = rng.randrange(len(articles))
        change = rng.choice(["title", "body", "date", "pinned", "tags", "section", "draft", "none"])
        old = articles[number]
        articles[number] = {
            "title": lambda a: dataclasses.replace(a, title=f"改{step}"),
            "body": lambda a: dataclasses.replace(a, body_html=f"<p>{step}</p>"),
            "date": lambda a: dataclasses.replace(a, date=when(rng.randint(1, 28))),
            "pinned": lambda a: dataclasses.replace(a, pinned=not a.pinned),
            "tags": lambda a: dataclasses.replace(a, tags=() if a.tags else ("代表",)),
            "section": lambda a: dataclasses.replace(a, section=rng.choice(FOLDERS[1:])),
            "draft": lambda a: dataclasses.replace(a, draft=not a.draft),
            "none": lambda a: a,
        }[change](old)
        parsed = sections() + [Parsed(article=a) for a in articles]
        last = memo
        site, left_out, problems, memo = remembered_site("首页", FOLDERS, parsed, Selection(), memo)
        assert (site, left_out, problems) == build_site("首页", FOLDERS, parsed, Selection()), (step, change)
        kept += last is not None and site.by_section is last.site.by_section
    assert 10 < kept < 60  # the tables were kept for the edits that moved nothing, and only for them


def test_later_than_is_the_exact_comparison_across_zones_and_clock_changes():
    """The quick 'after now' gives exactly date > now, for dates in several zones, near a change of clocks
    (New York and London in November) and on both sides of an ambiguous hour (fold)."""
    import datetime as dt
    import random
    from zoneinfo import ZoneInfo

    from sitegen.site import _later_than
    zones = [ZoneInfo("Asia/Shanghai"), ZoneInfo("America/New_York"), ZoneInfo("Europe/London"),
             dt.timezone(dt.timedelta(hours=8)), dt.timezone.utc]
    pick = random.Random(11)
    for _ in range(200):
        now = dt.datetime(2024, 11, 3, 5, 30, tzinfo=dt.timezone.utc) + dt.timedelta(minutes=pick.randint(-5000, 5000))
        later = _later_than(now)
        for _ in range(200):
            date = (now + dt.timedelta(minutes=pick.randint(-3000, 3000))).astimezone(pick.choice(zones))
            date = date.replace(fold=1 - date.fold) if pick.random() < 0.3 else date
            assert later(date) == (date > now), (date, now)


def test_an_articles_day_and_month_are_what_strftime_writes():
    import datetime as dt
    import types
    from zoneinfo import ZoneInfo

    from sitegen.model import Article
    for year in (1, 99, 999, 1000, 1949, 2024, 9999):
        date = dt.datetime(year, 3, 4, 5, 6, tzinfo=ZoneInfo("Asia/Shanghai"))
        article = types.SimpleNamespace(date=date)
        assert Article.day.fget(article) == date.strftime("%Y-%m-%d")
        assert Article.month.fget(article) == date.strftime("%Y/%m")
