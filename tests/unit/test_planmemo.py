"""The plan memo: pages that read no changed article keep their key; whatever the edit, the keys equal a fresh plan's."""

from __future__ import annotations

import dataclasses
import datetime as dt

from test_kinds import LINKS, ZONE, tiny_site

from sitegen import kinds
from sitegen.pages import plan_pages
from sitegen.planmemo import Seen, plan_pages_inputs, remembered_pages
from sitegen.recording import Recording
from sitegen.site import assemble

EPOCH = b"epoch"


def plan(site, memo=None):
    pages, problems = plan_pages(site, LINKS.per_page)
    assert not problems
    return pages, plan_pages_inputs(EPOCH, Seen(site, pages, kinds.lookups(site, pages), LINKS), memo)


def edited(site, index: int, **changes):
    """The site with one article changed (and its digest, as the parser would give it)."""
    articles = list(site.articles)
    articles[index] = dataclasses.replace(articles[index], digest=articles[index].digest + "'", **changes)
    return assemble(dict(site.sections), articles, site.standalones, site.data)


def test_recording_notes_every_index_read():
    seen: set[int] = set()
    items = Recording(("a", "b", "c", "d"), seen)
    assert items[1] == "b" and items[-1] == "d"
    assert seen == {1, 3}
    assert items[0:2] == ("a", "b") and seen == {0, 1, 3}
    seen.clear()
    assert list(items) == ["a", "b", "c", "d"] and seen == {0, 1, 2, 3}


def test_a_text_edit_recomputes_only_the_pages_that_read_the_article_and_keys_equal_a_fresh_plan():
    site = tiny_site()
    _, first = plan(site)
    assert first.recomputed == len(first.keys)
    changed = edited(site, 2, title="改过的标题", body_html="<p>新的正文</p>")
    pages, warm = plan(changed, first.memo)
    _, fresh = plan(changed)
    assert warm.keys == fresh.keys
    assert 0 < warm.recomputed < len(pages)
    differ = {pages[n].kind for n, (a, b) in enumerate(zip(first.keys, warm.keys)) if a != b}
    assert {"article", "print"} <= differ
    # a page whose key was kept got no inputs; its inputs are made again only if it must be rendered
    assert any(value is None for value in warm.inputs)


def test_every_kind_that_reads_an_article_is_recomputed_when_it_changes():
    site = tiny_site()
    _, first = plan(site)
    for index in range(len(site.articles)):
        changed = edited(site, index, title=f"标题{index}", aliases=site.articles[index].aliases)
        _, warm = plan(changed, first.memo)
        _, fresh = plan(changed)
        assert warm.keys == fresh.keys, index


def test_a_change_of_shape_plans_every_page_again():
    site = tiny_site()
    _, first = plan(site)
    later = edited(site, 0, date=dt.datetime(2021, 5, 1, 9, tzinfo=ZONE))
    _, warm = plan(later, first.memo)
    _, fresh = plan(later)
    assert warm.recomputed == len(warm.keys)
    assert warm.keys == fresh.keys


def test_remembered_pages_are_kept_for_a_text_edit_and_made_again_for_a_new_alias():
    site = tiny_site()
    pages, problems, memo = remembered_pages(plan_pages, site, LINKS.per_page, (), None)
    assert {"url", "aliases"} <= set(memo.names) and "title" not in memo.names  # what the planner read
    same, _, _ = remembered_pages(plan_pages, edited(site, 1, title="新标题"), LINKS.per_page, (), memo)
    assert same is pages
    aliased = edited(site, 1, aliases=("/old/new.htm",))
    again, _, _ = remembered_pages(plan_pages, aliased, LINKS.per_page, (), memo)
    assert again is not pages and again == plan_pages(aliased, LINKS.per_page)[0]


def test_remembered_shape_is_kept_only_for_the_very_same_tables():
    from sitegen.planmemo import digest_of_pages, remembered_shape, shape_of
    site = tiny_site()
    pages, _ = plan_pages(site, LINKS.per_page)
    lookups = kinds.lookups(site, pages)
    digest = digest_of_pages(pages)
    shape, memo = remembered_shape(EPOCH, site, pages, lookups, digest, None)
    assert shape == shape_of(EPOCH, site, pages, lookups, digest)
    kept = dataclasses.replace(site, articles=tuple(site.articles))  # the same tables: an edit of a text
    assert remembered_shape(EPOCH, kept, pages, lookups, bytes(digest), memo)[1] is memo
    moved = edited(site, 0, date=site.articles[0].date - dt.timedelta(days=400))  # new tables
    moved_pages, _ = plan_pages(moved, LINKS.per_page)
    moved_lookups = kinds.lookups(moved, moved_pages)
    again, memo2 = remembered_shape(EPOCH, moved, moved_pages, moved_lookups, digest_of_pages(moved_pages), memo)
    assert memo2 is not memo and again == shape_of(EPOCH, moved, moved_pages, moved_lookups)
    assert remembered_shape(b"other epoch", site, pages, lookups, digest, memo)[0] != shape
