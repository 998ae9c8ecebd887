"""bodies: articles' bodies put aside in a file and read back, in this process and in forked workers."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from sitegen.bodies import BodyFile, PutAside, brought_back
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
