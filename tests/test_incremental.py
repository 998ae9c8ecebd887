"""Incremental rebuilds (serve): after any sequence of edits, output/ is byte-identical to a clean build."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from helpers import SITE_YAML, article, tree_bytes, write_site
from sitegen import BuildFailed, BuildOptions
from sitegen.pipeline import Builder

SECTIONS = ["news", "work", "work/deputies", "work/laws"]


def initial_files() -> dict[str, str]:
    files = {"content/_index.md": "---\ntitle: 首页\n---\n"}
    for number, key in enumerate(SECTIONS):
        files[f"content/{key}/_index.md"] = f"---\ntitle: 栏目{number}\nweight: {number}\n---\n"
    rng = random.Random(0)
    for number in range(24):
        key = rng.choice(SECTIONS)
        files[f"content/{key}/a{number:02d}.md"] = article(
            f"文章{number}", f"20{10 + number % 12}-0{1 + number % 9}-1{number % 10} 10:00",
            f"第{number}篇的正文，关于人大代表和监督工作。", tags=f"[标签{number % 4}, 代表]")
    files["content/jigou.md"] = "---\ntitle: 机构设置\nlayout: page\nslug: jigou\nmenu: footer\n---\n\n内设办公室。\n"
    files["content/work/minglu.md"] = "---\ntitle: 代表名录\nlayout: daibiao-minglu\nslug: minglu\nmenu: main\n---\n\n名单。\n"
    files["data/daibiao.csv"] = "姓名,选区\n汪应成,第一选区\n"
    return files


def clean_build(site: Path, target: Path) -> dict[str, bytes]:
    Builder(site / "site.yaml", BuildOptions(output_dir=target, search=False, jobs=1)).build()
    return tree_bytes(target)


FOOTER_KEYS = ["site_code: \"61032600{step:02d}\"", "icp: 陕ICP备{step}号-1", "police_record: 陕公网安备 {step}号",
               "host: 测试县人大常委会办公室{step}"]


def random_edit(rng: random.Random, site: Path, step: int) -> str:
    """Apply one editor-like change; returns a description for failure messages."""
    articles = sorted(p for p in (site / "content").rglob("*.md")
                      if p.name != "_index.md" and "layout:" not in p.read_text(encoding="utf-8"))
    choice = rng.choice(["body", "title", "date", "add", "remove", "rename", "tags", "pinned", "draft",
                         "layout", "config", "asset", "section", "standalone", "data", "footer"])
    target = rng.choice(articles)
    text = target.read_text(encoding="utf-8")
    if choice == "body":
        target.write_text(text + f"\n新增段落{step}。\n", encoding="utf-8")
    elif choice == "title":
        target.write_text(text.replace("title: ", f"title: 改{step}", 1), encoding="utf-8")
    elif choice == "date":
        new = f"date: 20{rng.randint(10, 25)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} 0{rng.randint(0, 9)}:00"
        lines = [new if line.startswith("date:") else line for line in text.split("\n")]
        target.write_text("\n".join(lines), encoding="utf-8")
    elif choice == "add":
        key = rng.choice(SECTIONS)
        (site / "content" / key / f"n{step}.md").write_text(
            article(f"新文章{step}", f"2024-0{rng.randint(1, 9)}-0{rng.randint(1, 9)}", "新的正文。",
                    tags=f"[新标签{step % 3}]"), encoding="utf-8")
    elif choice == "remove" and len(articles) > 3:
        target.unlink()
    elif choice == "rename":
        key = rng.choice(SECTIONS)
        target.rename(site / "content" / key / f"r{step}.md")
    elif choice == "tags":
        target.write_text(text.replace("---\n\n", f"---\n\n标签变化{step}\n", 1).replace(
            "tags: [", f"tags: [换{step % 2}, ", 1), encoding="utf-8")
    elif choice == "pinned":
        target.write_text(text.replace("---\n", "---\npinned: true\n", 1) if "pinned" not in text
                          else text.replace("pinned: true\n", ""), encoding="utf-8")
    elif choice == "draft" and "draft" not in text:
        target.write_text(text.replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8")
    elif choice == "layout":
        layout = site / "layouts" / "article.html"
        layout.write_text(layout.read_text(encoding="utf-8").replace("</article>", f"<!-- {step} --></article>", 1),
                          encoding="utf-8")
    elif choice == "config":
        (site / "site.yaml").write_text(SITE_YAML.replace("per_page: 3", f"per_page: {rng.randint(2, 5)}"),
                                        encoding="utf-8")
    elif choice == "asset":
        css = site / "assets" / "css" / "site.css"
        css.write_text(css.read_text(encoding="utf-8") + f"\n/* {step} */\n", encoding="utf-8")
    elif choice == "section":
        folder = site / "content" / "work" / f"s{step}"
        folder.mkdir()
        (folder / "_index.md").write_text(f"---\ntitle: 新栏目{step}\n---\n", encoding="utf-8")
    elif choice == "standalone":  # a page of its own: its text, its title (in the menus and the site map)
        page = site / "content" / "jigou.md"
        text = page.read_text(encoding="utf-8").replace("title: 机构设置", f"title: 机构设置{step}", 1)
        page.write_text(text + f"\n第{step}段。\n", encoding="utf-8")
    elif choice == "data":
        with (site / "data" / "daibiao.csv").open("a", encoding="utf-8") as rows:
            rows.write(f"代表{step},第{step}选区\n")
    elif choice == "footer":
        keys = rng.sample(FOOTER_KEYS, rng.randint(0, len(FOOTER_KEYS)))
        (site / "site.yaml").write_text(SITE_YAML + "".join(key.format(step=step) + "\n" for key in keys),
                                        encoding="utf-8")
    return f"step {step}: {choice} {target.relative_to(site)}"


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_random_edit_sequences_match_clean_builds(tmp_path, seed):
    site = write_site(tmp_path / "site", initial_files())
    builder = Builder(site / "site.yaml", BuildOptions(search=False, jobs=1, preview=True))
    builder.build()
    rng = random.Random(seed)
    history = []
    for step in range(20):
        history.append(random_edit(rng, site, step))
        builder.build()
        expected = clean_build(site, tmp_path / f"clean{step}")
        actual = tree_bytes(site / "output")
        assert sorted(actual) == sorted(expected), history
        different = [name for name in expected if actual[name] != expected[name]]
        assert not different, (different[:5], history)
        shutil.rmtree(tmp_path / f"clean{step}")


def test_one_article_edit_renders_few_pages_and_failed_rebuild_keeps_site(tmp_path):
    site = write_site(tmp_path / "site", initial_files())
    builder = Builder(site / "site.yaml", BuildOptions(search=False, jobs=1, preview=True))
    first = builder.build()
    before = tree_bytes(site / "output")
    path = site / "content" / "news" / sorted(p.name for p in (site / "content" / "news").glob("a*.md"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "\n补充一段正文。\n", encoding="utf-8")
    report = builder.build()
    assert report.pages < first.pages / 4, (report.pages, first.pages)
    after = tree_bytes(site / "output")
    changed = {name for name in after if after[name] != before.get(name)}
    assert any(name.endswith("/index.html") for name in changed)
    assert len(changed) <= report.pages
    # A broken file: the build fails and output/ stays exactly as the last good build.
    path.write_text("---\ntitle: [坏的\n---\n", encoding="utf-8")
    with pytest.raises(BuildFailed):
        builder.build()
    assert tree_bytes(site / "output") == after
