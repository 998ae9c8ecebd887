"""The CMS's configuration, made from the site: one collection per section, fields from the front-matter schema."""

from __future__ import annotations

import json

from ..config import Config
from ..messages import Language, say
from ..parse import ARTICLE_SCHEMA
from ..scaffold import section_titles

# The file name made for her: the article's date and time as the site writes it (as `build.py new` names files),
# and -1, -2 when taken. The CMS's {{year}}/{{month}} are in UTC; its date() filter reads the date as written.
FILE_NAME = "{{fields.date | date('YYYYMMDD-HHmm')}}"
MONTH = "{{fields.date | date('YYYY')}}/{{fields.date | date('MM')}}"
BODY_LABEL = say("article text")
ARTICLE_LABEL = say("article")


def collection_name(section: str) -> str:
    """A section's folder as a collection name the CMS puts in its addresses: daibiao-gongzuo__lvzhi-dongtai."""
    return section.replace("/", "__")


def trail(section: str, titles: dict[str, str]) -> str:
    """代表工作 · 履职动态: the titles of a section and the sections above it."""
    parts = section.split("/")
    return " · ".join(titles.get("/".join(parts[:depth]), parts[depth - 1]) for depth in range(1, len(parts) + 1))


def fields(config: Config, language: Language) -> list[dict]:
    """The desk's fields: the front-matter schema's keys she writes, with their labels and the build's rules."""
    label = {key: language.text(field.label) for key, field in ARTICLE_SCHEMA.items()}
    return [
        {"name": "title", "label": label["title"], "widget": "string"},
        {"name": "subtitle", "label": label["subtitle"], "widget": "string", "required": False},
        {"name": "date", "label": label["date"], "widget": "datetime", "format": "YYYY-MM-DD HH:mm:ss",
         "date_format": "YYYY-MM-DD", "time_format": "HH:mm:ss", "picker_utc": False,
         "default": "{{now}}"},  # a new article is dated now (the browser's clock; Decap 3.2.2 on leaves it empty)
        {"name": "author", "label": label["author"], "widget": "string", "required": False,
         "default": config.default_author},
        {"name": "source", "label": label["source"], "widget": "string", "required": False,
         "default": config.default_source},
        {"name": "tags", "label": label["tags"], "widget": "list", "required": False, "default": []},
        {"name": "summary", "label": label["summary"], "widget": "text", "required": False},
        {"name": "pinned", "label": label["pinned"], "widget": "boolean", "required": False, "default": False},
        {"name": "draft", "label": label["draft"], "widget": "boolean", "required": False, "default": False},
        {"name": "body", "label": language.text(BODY_LABEL), "widget": "markdown",
         "editor_components": ["image", "attachment"]},  # no 'Code Block': the articles hold no program code
    ]


def cms_config(config: Config, language: Language, site_url: str) -> dict:
    """Decap CMS's configuration for the site as it is now (made again whenever the section tree changes)."""
    titles = section_titles(config.content_dir)
    article_fields = fields(config, language)
    collections = []
    for section in sorted(titles, key=lambda key: trail(key, titles)):
        collections.append({
            "name": collection_name(section), "label": trail(section, titles),
            "label_singular": language.text(ARTICLE_LABEL), "folder": f"content/{section}", "extension": "md",
            "format": "frontmatter", "create": True, "delete": True, "slug": FILE_NAME, "identifier_field": "title",
            "summary": "{{title}}　{{fields.date | date('YYYY-MM-DD HH:mm')}}", "sortable_fields": [{"field": "date", "default_sort": "desc"}, "title"],
            "media_folder": f"/assets/images/{MONTH}", "public_folder": f"/images/{MONTH}",
            "editor": {"preview": True}, "fields": article_fields,
        })
    return {
        "backend": {"name": "proxy", "proxy_url": "/api/v1", "branch": "main"},
        "locale": "zh_Hans" if language.code == "zh" else "en",
        "site_url": site_url, "display_url": site_url,
        "media_folder": "assets/images", "public_folder": "/images",
        "slug": {"encoding": "unicode", "clean_accents": False, "sanitize_replacement": "-"},
        "collections": collections,
    }


def config_text(config: Config, language: Language, site_url: str) -> bytes:
    """The configuration as the CMS reads it (JSON is YAML)."""
    return json.dumps(cms_config(config, language, site_url), ensure_ascii=False, indent=1).encode()
