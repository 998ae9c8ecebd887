"""bodies: articles' bodies put aside in a file and read back, in this process and in forked workers."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from sitegen.bodies import BodyFile, PutAside, brought_back
from sitegen.messages import language_named
from sitegen.model import Article
from sitegen.parallel import map_shares
from sitegen.parse import Parsed
from sitegen.problems import BuildFailed, Problem

WHEN = dt.datetime(2019, 11, 8, 11, 25, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def parsed(number: int, body: str) -> Parsed:
    return Parsed(article=Article(id=f"a{number}.md", path=f"content/a{number}.md", section="", slug=f"a{number}",
                                  title=f"第{number}篇", date=WHEN, body_html=body, summary=""))


def test_bodies_are_read_back_as_they_were(tmp_path):
    bodies = BodyFile(tmp_path / "aside", tmp_path / "output")
    texts = ["<p>县人大常委会召开第二十三次会议</p>", "", "<p>ＩＣＰ 2019年 😀</p>" * 100]
    first = bodies.put_aside([parsed(n, t) for n, t in enumerate(texts)])
    more = bodies.put_aside([parsed(9, "<p>监督法</p>"), Parsed(problems=(Problem("content/b.md", 1, 1, "x"),))])
    assert all(isinstance(r.article.body_html, PutAside) for r in [*first, more[0]])
    assert [r.article.body for r in first] == texts and more[0].article.body == "<p>监督法</p>"
    assert more[1].article is None
    assert brought_back(first[2]) == parsed(2, texts[2])
    assert bodies.put_aside(first) == first  # already aside: left as they are
    assert list(os.scandir(tmp_path / "aside")) == []  # the file has no name: nothing is left behind
    bodies.close()


def test_forked_workers_read_the_same_bodies(tmp_path):
    bodies = BodyFile(tmp_path, tmp_path / "output")
    results = bodies.put_aside([parsed(n, f"<p>第{n}条</p>" * n) for n in range(40)])
    read = map_shares(lambda share: [r.article.body for r in share], results, jobs=2, minimum=1)
    assert read == [f"<p>第{n}条</p>" * n for n in range(40)]
    bodies.close()


def test_a_folder_that_cannot_be_made_is_a_problem_naming_it(tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(BuildFailed) as caught:
        BodyFile(tmp_path / "file" / "aside", tmp_path / "output")
    assert str(tmp_path / "file" / "aside") in str(caught.value.problems[0])


def stored_pack(tmp_path, results: dict):
    from sitegen.bodies import dump_pack, seal_pack
    from sitegen.cache import Cache
    cache = Cache(tmp_path / "cache", "v1")
    pickled, bodies = dump_pack(results, Article)
    cache.put("parse", "pack", seal_pack(pickled, bodies, cache.put("parse", "bodies", bodies)))
    return cache


def test_a_pack_keeps_only_where_each_body_is_and_reads_it_when_asked(tmp_path):
    from sitegen.bodies import Packed, load_pack
    from sitegen.model import Section
    section = Parsed(section=Section(key="news", path="content/news/_index.md", title="新闻", body_html="<p>栏目</p>"))
    results = {f"k{n}": parsed(n, f"<p>第{n}条：依法履职。</p>" * (n + 1)) for n in range(30)} | {"s": section}
    cache = stored_pack(tmp_path, results)
    pack_bytes = cache.get("parse", "pack")
    assert "依法履职".encode() not in pack_bytes  # the bodies are in the other entry only
    folder = str(tmp_path / "cache" / "parse")
    loaded, entry = load_pack(pack_bytes, cache.open_data("parse", "bodies"), cache.path("parse", "bodies"), folder)
    try:
        assert all(isinstance(r.article.body_html, Packed) for k, r in loaded.items() if k != "s")
        assert loaded["s"] == section  # a section's short text stays in the pack
        assert [loaded[f"k{n}"].article.body for n in (29, 0, 7)] == [results[f"k{n}"].article.body for n in (29, 0, 7)]
        assert map_shares(lambda share: [loaded[k].article.body for k in share], [f"k{n}" for n in range(30)], 2,
                          minimum=1) == [results[f"k{n}"].article.body for n in range(30)]  # forked workers too
        assert brought_back(loaded["k3"]) == results["k3"]
    finally:
        entry.close()


def test_a_loaded_pack_leaves_nothing_of_its_unpickling_behind_with_gc_off(tmp_path):
    """A build runs with gc off: a cycle through the unpickler kept each pack's memo and bytes alive."""
    import gc
    from sitegen.bodies import _PackUnpickler, load_pack
    cache = stored_pack(tmp_path, {f"k{n}": parsed(n, "<p>正文</p>") for n in range(5)})
    folder = str(tmp_path / "cache" / "parse")
    collecting = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        loaded, entry = load_pack(cache.get("parse", "pack"), cache.open_data("parse", "bodies"),
                                  cache.path("parse", "bodies"), folder)
        left = [o for o in gc.get_objects() if isinstance(o, _PackUnpickler)]
    finally:
        if collecting:
            gc.enable()
    try:
        assert loaded["k4"].article.body == "<p>正文</p>"
    finally:
        entry.close()
    assert left == []


def test_a_pack_and_bodies_that_do_not_belong_together_are_not_loaded(tmp_path):
    from sitegen.bodies import dump_pack, load_pack
    cache = stored_pack(tmp_path, {"k": parsed(1, "<p>一</p>")})
    folder = str(tmp_path / "cache" / "parse")
    _, same_size = dump_pack({"k": parsed(1, "<p>二</p>")}, Article)  # another site's: the same size
    for other in (same_size, dump_pack({"k": parsed(1, "<p>二十</p>")}, Article)[1]):
        cache.put("parse", "bodies", other)
        assert load_pack(cache.get("parse", "pack"), cache.open_data("parse", "bodies"), "", folder) is None
    assert load_pack(b"not a pickle", cache.open_data("parse", "bodies"), "", folder) is None
    assert cache.open_data("parse", "absent") is None


def test_a_body_changed_after_its_pack_was_loaded_is_a_problem_and_clears_the_parse_cache(tmp_path):
    from sitegen.bodies import load_pack
    cache = stored_pack(tmp_path, {"k": parsed(1, "<p>监督法</p>")})
    loaded, entry = load_pack(cache.get("parse", "pack"), cache.open_data("parse", "bodies"),
                              cache.path("parse", "bodies"), str(tmp_path / "cache" / "parse"))
    path = cache.path("parse", "bodies")
    with open(path, "r+b") as handle:  # in place: the open entry sees it
        data = handle.read()
        handle.seek(data.index("监".encode()))
        handle.write("临".encode())  # the same number of bytes
    with pytest.raises(BuildFailed) as failed:
        loaded["k"].article.body
    assert [str(p) for p in failed.value.problems] == [f"{path}: 构建过程中缓存文件被改动（解析缓存已清空）；请再构建一次"]
    assert [p.said(language_named("en")) for p in failed.value.problems] == [
        f"{path}: this entry of the parse cache changed during the build (the parse cache has been cleared); build again"]
    assert not (tmp_path / "cache" / "parse").exists()
    entry.close()
