#!/usr/bin/env python3
"""Import benchmark: gen_corpus articles rendered through three old-CMS page shapes (TRS content box in UTF-8,
a GBK table layout with and without a charset at show.asp?id=, a .jsp page), plus section list pages, imported
into a fresh site.

    .venv/bin/python bench/import_bench.py --pages 10000      (goal: 10,000 pages in <= 60 s)
    .venv/bin/python bench/import_bench.py --pages 10000 --dir /dev/shm    (the same on tmpfs)
"""

from __future__ import annotations

import argparse
import io
import json
import re
import resource
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from markdown_it import MarkdownIt  # noqa: E402

from bench.corpus import ROOT, busy_cpu_seconds, corpus  # noqa: E402
from sitegen.importer import ImportOptions, run_import  # noqa: E402

HOST = "www.mxrd.gov.cn"
FRONT = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.S)
HEADER = ('<div id="header"><img src="/images/logo.gif"><span>眉县人大常委会</span></div><div id="nav">'
          + " | ".join(f'<a href="/list.asp?classid={n}">栏目{n}</a>' for n in range(8)) + "</div>")
FOOTER = '<div id="footer"><p>主办：眉县人大常委会办公室　地址：眉县首善街道</p><p>陕ICP备00000000号</p></div>'


def field(front: str, key: str) -> str:
    match = re.search(rf"(?m)^{key}: (.*)$", front)
    if not match:
        return ""
    value = match.group(1).strip()
    return json.loads(value) if value.startswith('"') else value.strip("'")


def trs(a: dict) -> tuple[str, bytes]:
    y, m, d = a["date"][:4], a["date"][5:7], a["date"][8:10]
    crumbs = " &gt; ".join(f'<a href="/list.asp?classid={n}">{t}</a>' for n, t in enumerate(a["trail"]))
    sub = f'<h3 class="subtitle">{a["subtitle"]}</h3>' if a["subtitle"] else ""
    html = (f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
            f'<title>{a["title"]}_眉县人大</title><script>var x=1;</script><style>p{{margin:0}}</style></head><body>'
            f'{HEADER}<div class="location">当前位置：<a href="/">首页</a> &gt; {crumbs} &gt; 正文</div>'
            f'<h1>{a["title"]}</h1>{sub}<div class="info">来源：{a["source"]}　作者：{a["author"]}　发布时间：'
            f'{a["date"]}　点击数：12</div><div class="TRS_Editor">{a["html"]}</div>'
            f'<div class="tools">[打印本页] [关闭本页]</div>{FOOTER}</body></html>')
    return f"{HOST}/content/{y}-{m}/{d}/content_{a['n']}.htm", html.encode("utf-8")


def table(a: dict) -> tuple[str, bytes]:
    declared = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">' if a["n"] % 2 else ""
    crumbs = " &gt;&gt; ".join(a["trail"])
    paragraphs = re.sub(r"</p>\s*<p>", "<br>\n&nbsp;&nbsp;&nbsp;&nbsp;", a["html"])
    date = a["date"][:10].replace("-", "年", 1).replace("-", "月", 1) + "日"
    html = (f'<html><head>{declared}<title>{a["title"]}</title></head><body>{HEADER}<table width="980"><tr>'
            f'<td width="200">{"".join(f"<a href=/list.asp?classid={n}>栏目{n}</a><br>" for n in range(6))}</td>'
            f'<td><table><tr><td>您现在的位置： 首页 &gt;&gt; {crumbs} &gt;&gt; 详细内容</td></tr>'
            f'<tr><td align="center"><font size="5"><b>{a["title"]}</b></font></td></tr>'
            f'<tr><td align="center"><font color="#666">撰稿：{a["author"]}　发布日期：{date}　浏览次数：328</font>'
            f'</td></tr><tr><td class="content"><font face="宋体">{paragraphs}</font></td></tr></table></td></tr>'
            f'</table>{FOOTER}</body></html>')
    return f"{HOST}/show.asp?id={a['n']}", html.encode("gbk", errors="xmlcharrefreplace")


def jsp(a: dict) -> tuple[str, bytes]:
    crumbs = " > ".join(a["trail"])
    html = (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="UTF-8"><title>{a["title"]}</title></head>'
            f'<body>{HEADER}<div class="position">当前位置：首页 > {crumbs}</div><div class="article-title">'
            f'<h2>{a["title"]}</h2></div><div class="article-meta">【来源】{a["source"]}　【时间】'
            f'{a["date"][:10].replace("-", "/")}</div><div class="article-content">{a["html"]}</div>'
            f'<div class="pager">上一篇：<a href="/jsp/article.jsp?articleId={a["n"] - 1}">上一篇文章</a></div>'
            f'{FOOTER}</body></html>')
    return f"{HOST}/jsp/article.jsp?articleId={a['n']}", html.encode("utf-8")


SHAPES = (trs, table, jsp)


def words(markdown: str) -> str:
    """The words of a body, whatever its markup: what an import must keep."""
    markdown = re.sub(r"!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)", "", markdown)
    return re.sub(r"[\W_]+", "", markdown)


def make_mirror(source: Path, mirror: Path, pages: int, originals: dict) -> dict:
    """Write the mirror; returns counts by shape and encoding; `originals` gets address -> (title, words)."""
    shutil.rmtree(mirror, ignore_errors=True)
    titles = {s["path"]: s["title"] for s in json.loads((source / "sections.json").read_text(encoding="utf-8"))}
    md = MarkdownIt("commonmark").enable("table")
    files = sorted(p for p in (source / "content").rglob("*.md") if p.name != "_index.md")
    counts: dict[str, int] = {}
    lists = max(1, pages // 50)  # one page in fifty is a section list
    for n, path in enumerate(files[: pages - lists]):
        front, body = FRONT.match(path.read_text(encoding="utf-8")).groups()
        folder = path.parent.relative_to(source / "content").as_posix()
        parts = folder.split("/")
        trail = [titles["/".join(parts[:i + 1])] for i in range(len(parts))]
        article = {"n": n + 1, "title": field(front, "title"), "subtitle": field(front, "subtitle"),
                   "author": field(front, "author") or "县人大办", "source": field(front, "source") or "本网",
                   "date": field(front, "date"), "trail": trail, "html": md.render(body)}
        shape = SHAPES[n % len(SHAPES)]
        rel, data = shape(article)
        originals["/" + rel.partition("/")[2]] = (article["title"], words(body))
        target = mirror / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        key = f"{shape.__name__} ({'gbk' if shape is table else 'utf-8'})"
        counts[key] = counts.get(key, 0) + 1
    items = "".join(f'<li><a href="/show.asp?id={i}">县人大常委会第{i}期工作简报</a> 2019-11-0{i % 9 + 1}</li>'
                    for i in range(1, 21))
    for n in range(lists):
        page = (f'<html><head><meta charset="utf-8"><title>栏目</title></head><body>{HEADER}<div>当前位置：首页 > '
                f'栏目{n}</div><ul>{items}</ul>{FOOTER}</body></html>')
        (mirror / HOST / f"list.asp?classid={n}").write_text(page, encoding="utf-8")
    counts["list pages"] = lists
    images = source / "assets" / "images"
    if images.is_dir():
        shutil.copytree(images, mirror / HOST / "images", dirs_exist_ok=True)
    return counts


def fresh_site(site: Path) -> Path:
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    shutil.copy(ROOT / "site.yaml", site / "site.yaml")
    shutil.copytree(ROOT / "layouts", site / "layouts")
    shutil.copytree(ROOT / "assets", site / "assets")
    (site / "content").mkdir()
    return site


def _own_cpu() -> float:
    """CPU seconds of this process and its finished workers."""
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usage)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=0)
    parser.add_argument("--dir", type=Path, default=Path("/tmp"), help="where the mirror and the site are written "
                                                                        "(default /tmp; /dev/shm for tmpfs)")
    args = parser.parse_args()
    source = corpus(args.pages)
    mirror = args.dir / f"sitegen-import-mirror-{args.pages}"
    started = time.perf_counter()
    originals: dict = {}
    counts = make_mirror(source, mirror, args.pages, originals)
    print(f"mirror: {sum(counts.values())} pages ({', '.join(f'{k} {v}' for k, v in counts.items())}) in "
          f"{time.perf_counter() - started:.1f} s", flush=True)
    site = fresh_site(args.dir / f"sitegen-import-site-{args.pages}")
    log = io.StringIO()
    machine_before, own_before = busy_cpu_seconds(), _own_cpu()
    started = time.perf_counter()
    report = run_import(ImportOptions(mirror, site, jobs=args.jobs), err=log)
    seconds = time.perf_counter() - started
    own, machine = _own_cpu() - own_before, busy_cpu_seconds() - machine_before
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    print(f"import: {report.pages} pages read, {report.articles} articles, {sum(report.skipped.values())} lists "
          f"skipped, {len(report.failed)} failed, {report.images} images copied, in {seconds:.1f} s "
          f"({report.pages / seconds:.0f} pages/s), peak RSS {peak / 1024:.0f} MiB (goal: 10,000 pages <= 60 s)")
    print(f"cpu: the import used {own:.1f} CPU s ({1000 * own / report.pages:.1f} ms per page); the machine was busy "
          f"{machine:.1f} CPU s in those {seconds:.1f} s, so other work took {max(0.0, machine - own):.1f} CPU s "
          "of the cores (2 cores give 2 CPU s per second)")
    same_title = same_words = 0
    for path in (site / "content").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        alias = re.search(r'(?m)^  - "(.*)"$', text)
        if path.name == "_index.md" or not alias or alias.group(1) not in originals:
            continue
        title, original = originals[alias.group(1)]
        same_title += re.search(r"(?m)^title: (.*)$", text).group(1).strip('"') == title
        same_words += words(text.split("\n---\n", 1)[1]) == original
    print(f"fidelity: title exact {same_title}/{report.articles}, body words exact {same_words}/{report.articles}")
    for page, reason in report.failed[:5]:
        print(f"  failed: {page}: {reason}")


if __name__ == "__main__":
    main()
