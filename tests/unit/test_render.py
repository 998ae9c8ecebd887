"""Renderer on a tiny site: pages rendered with the repo's layouts, and template errors named by file and line."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import pytest
from markupsafe import Markup

from helpers import REPO
from sitegen.config import load_config
from sitegen.markdown import make_markdown
from sitegen.messages import language_named
from sitegen.pages import plan_pages
from sitegen.parse import ParseOptions, parse_source
from sitegen.kinds import BY_NAME, TEMPLATES, lookups
from sitegen.render import Renderer, TemplateFailed, ViewEnvironment, make_environment, page_links, unknown_blocks
from sitegen.site import build_site
from sitegen.sources import SourceFile

ENGLISH = language_named("en")

FILES = {
    "news/_index.md": "---\ntitle: 人大要闻\nweight: 1\n---\n栏目说明。\n",
    "work/_index.md": "---\ntitle: 代表工作\nweight: 2\n---\n",
    "work/daibiao/_index.md": "---\ntitle: 代表风采\n---\n",
    "news/a-first.md": "---\ntitle: 第一篇 <旧>\ndate: 2020-01-01 08:00\nauthor: 张三\n---\n第一篇正文。\n",
    "news/b-second.md": "---\ntitle: 第二篇\ndate: 2020-01-02 09:30\nsubtitle: 副题\n---\n[要闻](/news/)\n",
    "news/c-third.md": "---\ntitle: 第三篇\ndate: 2020-01-03T01:00:00Z\n---\n第三篇正文。\n",
    "work/daibiao/d-rep.md": "---\ntitle: 代表文章\ndate: 2020-01-04\n---\n代表正文。\n",
}


def make_renderer(tmp_path: Path, layouts: Path = REPO / "layouts", base_url: str | None = None, per_page=2):
    (tmp_path / "site.yaml").write_text(f"title: 测试人大\nbase_url: https://example.org/\nper_page: {per_page}\n"
                                        "footer: [地址：测试县]\n", encoding="utf-8")
    config = load_config(tmp_path / "site.yaml", base_url=base_url)
    options = ParseOptions(config.timezone, config.base_path, config.allow_html, config.default_source)
    md = make_markdown(False)
    parsed = [parse_source(SourceFile(rel, f"content/{rel}", text), options, md) for rel, text in sorted(FILES.items())]
    folders = ("", "news", "work", "work/daibiao")
    site, _, _ = build_site(config.title, folders, parsed)
    pages, problems = plan_pages(site, config.per_page)
    assert problems == ()
    return Rendering(config, site, make_environment(layouts), pages), pages


class Rendering:
    """A page's text from its kind's inputs and view, as the build makes it."""

    def __init__(self, config, site, env, pages):
        self.site, self.renderer = site, Renderer(config, site, env)
        self.lookups, self.links = lookups(site, pages), page_links(config)

    def render(self, page):
        return self.renderer.render(page, BY_NAME[page.kind].inputs(self.site, page, self.lookups, self.links))


def page_of(pages, kind, **match):
    return next(p for p in pages if p.kind == kind and all(getattr(p, k) == v for k, v in match.items()))


def article_page(renderer, pages, slug):
    index = next(i for i, a in enumerate(renderer.site.articles) if a.slug == slug)
    return renderer.render(page_of(pages, "article", index=index))


def test_article_page(tmp_path):
    renderer, pages = make_renderer(tmp_path)
    html = article_page(renderer, pages, "b-second")
    assert '<h1>第二篇</h1>' in html
    assert '<p class="subtitle">副题</p>' in html
    assert '<time datetime="2020-01-02T09:30:00+08:00">2020-01-02 09:30</time>' in html
    assert '<link rel="canonical" href="https://example.org/news/b-second/">' in html
    assert '<a href="/news/">人大要闻</a>' in html  # breadcrumb
    assert '<a href="/news/c-third/" rel="prev">第三篇</a>' in html  # newer
    assert '<a href="/news/a-first/" rel="next">第一篇 &lt;旧&gt;</a>' in html  # older, escaped
    assert "地址：测试县" in html


def test_article_titles_are_escaped_everywhere(tmp_path):
    renderer, pages = make_renderer(tmp_path)
    html = article_page(renderer, pages, "a-first")
    assert "<旧>" not in html
    assert "第一篇 &lt;旧&gt;" in html


def test_utc_date_is_shown_in_the_site_zone(tmp_path):
    renderer, pages = make_renderer(tmp_path)
    assert "2020-01-03 09:00" in article_page(renderer, pages, "c-third")


def test_section_lists_subsections_and_paginates(tmp_path):
    renderer, pages = make_renderer(tmp_path)
    first = renderer.render(page_of(pages, "section", key="news", number=1))
    second = renderer.render(page_of(pages, "section", key="news", number=2))
    assert first.index("第三篇") < first.index("第二篇")
    assert "第一篇" not in first and "第一篇 &lt;旧&gt;" in second
    assert '<a href="/news/page/2/" rel="next">' in first
    assert '<a href="/news/" rel="prev">' in second
    assert "栏目说明。" in first and "栏目说明。" not in second
    work = renderer.render(page_of(pages, "section", key="work"))
    assert '<a href="/work/daibiao/">代表风采</a>' in work
    assert "代表文章" in work  # a parent lists its subsection's articles


def test_home_page_blocks(tmp_path):
    renderer, pages = make_renderer(tmp_path)
    html = renderer.render(page_of(pages, "home"))
    assert "<title>测试人大</title>" in html
    assert html.index("人大要闻") < html.index("代表工作")
    for title in ("代表文章", "第三篇", "第二篇"):
        assert title in html


def test_base_path_everywhere(tmp_path):
    renderer, pages = make_renderer(tmp_path, base_url="https://example.github.io/repo/")
    html = article_page(renderer, pages, "b-second")
    assert '<a href="/repo/news/">要闻</a>' in html
    assert 'href="/repo/css/site.css"' in html
    assert '<link rel="canonical" href="https://example.github.io/repo/news/b-second/">' in html
    assert not re.findall(r'(?:href|src)="/(?!/|repo/)', html)


def test_every_planned_page_renders(tmp_path):
    renderer, pages = make_renderer(tmp_path)
    for page in pages:
        assert renderer.render(page).strip(), page.out


# --- template problems ------------------------------------------------------------------------------

def tiny_layouts(folder: Path, **overrides: str) -> Path:
    """Every template the renderer needs, each a one-liner, with some replaced."""
    folder.mkdir(exist_ok=True)
    for name in TEMPLATES:
        (folder / name).write_text("{{ page.kind }}\n", encoding="utf-8")
    for name, text in overrides.items():
        (folder / name.replace("_html", ".html")).write_text(text, encoding="utf-8")
    return folder


def test_syntax_error_names_file_and_line(tmp_path):
    layouts = tiny_layouts(tmp_path / "layouts", section_html="<h1>{{ title }}</h1>\n\n<p>{{ intro }</p>\n<p>\n")
    with pytest.raises(TemplateFailed) as caught:
        make_environment(layouts)
    assert str(caught.value.problem) == "layouts/section.html:3:1: 模板错误：unexpected '}'"
    assert caught.value.problem.said(ENGLISH) == "layouts/section.html:3:1: template error: unexpected '}'"


def test_syntax_error_in_an_imported_template_is_found_when_rendering(tmp_path):
    layouts = tiny_layouts(tmp_path / "layouts", article_html='{% from "_m.html" import m %}\n{{ m() }}\n')
    (layouts / "_m.html").write_text("{% macro m() %}\n{{ oops( }}\n{% endmacro %}\n", encoding="utf-8")
    renderer, pages = make_renderer(tmp_path, layouts)
    with pytest.raises(TemplateFailed) as caught:
        renderer.render(page_of(pages, "article"))
    assert (caught.value.problem.path, caught.value.problem.line) == ("layouts/_m.html", 2)


def test_missing_template(tmp_path):
    layouts = tiny_layouts(tmp_path / "layouts")
    (layouts / "print.html").unlink()
    with pytest.raises(TemplateFailed) as caught:
        make_environment(layouts)
    every = ("404.html, alias.html, archive.html, article.html, feed.xml, home.html, map.html, month.html, print.html, "
             "redirects.json, robots.txt, search.html, section.html, sitemap.xml, tag.html, tags.html, year.html")
    assert str(caught.value.problem) == f"layouts/print.html:1:1: 找不到模板 print.html；每个网站的 layouts/ 里都要有 {every}"
    assert caught.value.problem.said(ENGLISH) == \
        f"layouts/print.html:1:1: template not found: print.html; every site needs {every} in layouts/"


def test_undefined_variable_names_file_and_line(tmp_path):
    layouts = tiny_layouts(tmp_path / "layouts", base_html="<title>{{ site.title }}</title>\n{% block main %}{% endblock %}\n",
                           article_html='{% extends "base.html" %}\n{% block main %}\n<h1>{{ article.title }}</h1>\n'
                                        "<p>{{ editor }}</p>\n{% endblock %}\n")
    renderer, pages = make_renderer(tmp_path, layouts)
    with pytest.raises(TemplateFailed) as caught:
        renderer.render(page_of(pages, "article"))
    assert str(caught.value.problem) == "layouts/article.html:4:1: 模板错误：'editor' is undefined"


def test_undefined_attribute_in_a_macro_names_the_macro_file(tmp_path):
    layouts = tiny_layouts(tmp_path / "layouts", section_html='{% import "_m.html" as m %}\n{{ m.show(entries) }}\n')
    (layouts / "_m.html").write_text("{% macro show(items) %}\n{% for i in items %}\n{{ i.titel }}\n"
                                     "{% endfor %}\n{% endmacro %}\n", encoding="utf-8")
    renderer, pages = make_renderer(tmp_path, layouts)
    with pytest.raises(TemplateFailed) as caught:
        renderer.render(page_of(pages, "section", key="news"))
    problem = caught.value.problem
    assert (problem.path, problem.line) == ("layouts/_m.html", 3)
    assert problem.said() == "layouts/_m.html:3:1: 模板错误：'dict object' has no attribute 'titel'"


def test_template_failed_survives_pickling(tmp_path):
    import pickle
    layouts = tiny_layouts(tmp_path / "layouts", home_html="{{ nope }}\n")
    renderer, pages = make_renderer(tmp_path, layouts)
    with pytest.raises(TemplateFailed) as caught:
        renderer.render(page_of(pages, "home"))
    again = pickle.loads(pickle.dumps(caught.value))
    assert again.problem == caught.value.problem


@pytest.mark.parametrize("source", [
    "{{ d.title }}|{{ d.items is callable }}|{{ d.get('title') }}|{{ d['items'] }}",
    "{{ o.real }}|{{ n.title }}|{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}",
    "{{ d.missing }}", "{{ d.missing.deeper }}", "{{ d.missing is defined }}", "{{ o.missing }}",
    "{{ t }}{{ m }}{{ o }}{{ n.title }}{{ t ~ m }}{{ t|e }}{{ m|safe }}{{ t|safe }}{{ [t, m] }}",
    "{% macro box(x) %}<b>{{ x }}</b>{{ caller() if caller }}{% endmacro %}{{ box(t) }}{% call box(m) %}{{ t }}"
    "{% endcall %}{% set block %}{{ t }}<i>{% endset %}{{ block }}{{ block|length }}{% filter upper %}{{ t }}"
    "{% endfilter %}",
    "{% autoescape false %}{{ t }}{% endautoescape %}{% autoescape o > 1 %}{{ t }}{% endautoescape %}{{ t }}",
])
def test_dict_fields_and_values_are_written_as_jinja2_writes_them(source):
    values = {"d": {"title": "标题 <b>", "items": "条目"}, "o": 3, "n": {"title": None},
              "t": "A&B <\"q\"> 'x'", "m": Markup("<em>已转义 &amp;</em>")}
    results = []
    for environment in (jinja2.Environment, ViewEnvironment):
        env = environment(autoescape=True, undefined=jinja2.StrictUndefined)
        try:
            results.append(env.from_string(source).render(values))
        except jinja2.UndefinedError as err:
            results.append(("undefined", str(err)))
    assert results[0] == results[1]


def test_a_block_its_parent_lacks_is_a_problem_at_its_line_and_nested_or_inherited_blocks_are_not(tmp_path):
    loader = jinja2.DictLoader({
        "base.html": "{% block title %}{% endblock %}{% block main %}{% block body %}{% endblock %}{% endblock %}",
        "page.html": '{% extends "base.html" %}{% block main %}{% block after %}{% endblock %}{% endblock %}',
        "good.html": '{% extends "page.html" %}\n{% block title %}t{% block inner %}{% endblock %}{% endblock %}'
                     '\n{% block after %}a{% endblock %}',
        "bad.html": '{% extends "page.html" %}\n\n{% block content %}lost{% endblock %}\n{% block body %}b{% endblock %}',
        "alone.html": "{% block anything %}{% endblock %}",
    })
    env = ViewEnvironment(loader=loader)
    assert unknown_blocks(env, "good.html") == []
    assert unknown_blocks(env, "alone.html") == []
    (problem,) = unknown_blocks(env, "bad.html")
    assert (problem.path, problem.line) == ("layouts/bad.html", 3)
    assert problem.said(language_named("en")) == (
        "layouts/bad.html:3:1: block 'content' is not in page.html, so what it holds is never shown: use one of its "
        "blocks (after, body, main, title)")
