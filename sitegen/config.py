"""Stage 1: load and check site.yaml into a frozen Config (stop at the first problem)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .fields import Field, check_mapping
from .messages import Message, say
from .problems import BuildFailed, Problem
from .sources import decode
from .yamlsource import YamlError, YamlText

SCHEMA = {
    "title": Field("str", required=True, label=say("the site's name")),
    "subtitle": Field("str", label=say("the line under the name")),
    "description": Field("str", label=say("what the site is, for search engines")),
    "base_url": Field("str", required=True, label=say("the site's address")),
    "language": Field("str", label=say("language")),
    "timezone": Field("str", label=say("time zone")),
    "per_page": Field("int", label=say("articles per list page")),
    "home_per_section": Field("int", label=say("articles per section on the home page")),
    "default_author": Field("str", label=say("author of new articles")),
    "default_source": Field("str", label=say("source when none is given")),
    "footer": Field("strs", label=say("more lines at the foot of every page")),
    "allow_html": Field("bool", label=say("HTML allowed in articles")),
    # What a Chinese government site carries in its footer (each optional):
    "site_code": Field("str", label=say("site identification code")),
    "icp": Field("str", label=say("ICP filing number")),
    "police_record": Field("str", label=say("public security filing number")),
    "gov_mark": Field("map", label=say("government website mark"),
                      keys=(("image", Field("str")), ("url", Field("str")))),
    "host": Field("str", label=say("office running the site")),
    "contact": Field("map", label=say("contact details"), keys=(
        ("address", Field("str")), ("postcode", Field("str")), ("phone", Field("str")), ("email", Field("str")))),
}


@dataclass(frozen=True, slots=True)
class Config:
    root: Path
    title: str
    base_url: str  # always ends with '/'
    subtitle: str = ""
    description: str = ""
    language: str = "zh-CN"
    timezone: str = "Asia/Shanghai"
    per_page: int = 20
    home_per_section: int = 8
    default_author: str = ""
    default_source: str = "本网"
    footer: tuple[str, ...] = ()
    allow_html: bool = False
    site_code: str = ""
    icp: str = ""
    police_record: str = ""
    gov_mark: tuple[tuple[str, str], ...] = ()  # (('image', '/images/…'), ('url', 'https://…'))
    host: str = ""
    contact: tuple[tuple[str, str], ...] = ()  # address, postcode, phone, email, as given
    output_dir: Path | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def base_path(self) -> str:
        """The URL path the site lives under: '/' or '/repo/'."""
        return urlsplit(self.base_url).path or "/"

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def layouts_dir(self) -> Path:
        return self.root / "layouts"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def assets_dir(self) -> Path:
        return self.root / "assets"

    @property
    def out_dir(self) -> Path:
        return self.output_dir or self.root / "output"


def load_config(path: Path, base_url: str | None = None, output_dir: Path | None = None) -> Config:
    """Read site.yaml; raise BuildFailed with the first problem, named by key and line."""
    name = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BuildFailed([Problem(name, 1, 1, say("{path} not found: run the command in the site's folder, "
                                                   "or create site.yaml with at least 'title:' and 'base_url:'",
                                                   path=str(path)))])
    text, problem = decode(raw, name)
    if problem:
        raise BuildFailed([problem])
    source = YamlText(name, text, lists=frozenset(key for key, field in SCHEMA.items() if field.kind == "strs"))
    try:
        data = source.load()
    except YamlError as err:
        raise BuildFailed([err.problem])
    checked = check_mapping(data, SCHEMA, source, say("site.yaml"))
    if checked.problems:
        raise BuildFailed(checked.problems[:1])
    values = checked.values
    positions = None
    for key, check in (("timezone", _check_timezone), ("base_url", _check_base_url),
                       ("per_page", _check_positive), ("home_per_section", _check_positive),
                       ("gov_mark", _check_gov_mark)):
        if key in values and (message := check(values[key])):
            positions = positions or source.positions()
            line, col = positions[key][1]
            raise BuildFailed([Problem(name, line, col, say("'{key}' {what_is_wrong}", key=key,
                                                            what_is_wrong=message))])
    if "footer" in values:
        values["footer"] = tuple(values["footer"])
    for key in ("gov_mark", "contact"):  # frozen: a Config is hashed into every page's key
        if key in values:
            values[key] = tuple(values[key].items())
    config = Config(root=path.parent.resolve(), output_dir=output_dir, **values)
    if base_url is not None:
        if message := _check_base_url(base_url):
            raise BuildFailed([Problem("--base-url", 1, 1, say("'{key}' {what_is_wrong}", key="--base-url",
                                                               what_is_wrong=message))])
        config = replace(config, base_url=base_url)
    if not config.base_url.endswith("/"):
        config = replace(config, base_url=config.base_url + "/")
    return config


def _check_timezone(value: str) -> Message | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return say("must be a known time zone such as Asia/Shanghai, not '{value}'", value=value)
    return None


def _check_base_url(value: str) -> Message | None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return say("must be a full address such as https://example.github.io/ or https://example.github.io/repo/, "
                   "not '{value}'", value=value)
    return None


def _check_gov_mark(value: dict) -> Message | None:
    image = value.get("image", "")
    if not image.startswith("/") or image.startswith("//"):
        return say("needs 'image:', the picture's address on this site starting with '/', such as "
                   "/images/dangzheng-jiguan.png (the file assets/images/dangzheng-jiguan.png)")
    return None


def _check_positive(value: int) -> Message | None:
    return None if value > 0 else say("must be at least 1, not {value}", value=value)
