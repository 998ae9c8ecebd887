"""Shared by the import tests and tests/import/regenerate.py: the fixture mirror imported into a fresh site."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from helpers import REPO, run_cli

HERE = Path(__file__).resolve().parent / "import"
MIRROR = HERE / "mirror"
EXPECTED = HERE / "expected"
SITE_YAML = """title: 眉县人大常委会
base_url: https://example.org/
per_page: 5
"""
OLD_BASE_URL = "http://www.mxrd.gov.cn/"
TIME_LINE = re.compile(r"(用时\s+)[\d.]+ 秒")


def fresh_site(root: Path, site_yaml: str = SITE_YAML) -> Path:
    """An empty site: site.yaml, the repo's layouts and assets, an empty content/."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(site_yaml, encoding="utf-8")
    shutil.copytree(REPO / "layouts", root / "layouts")
    shutil.copytree(REPO / "assets", root / "assets")
    (root / "content").mkdir()
    return root


def import_fixture(site: Path, *extra: str):
    return run_cli("import", str(MIRROR), "--site", str(site), "--old-base-url", OLD_BASE_URL, *extra)


def result_tree(site: Path, sources: dict | None = None) -> dict[str, bytes]:
    """What an import writes: content/, assets/legacy/, import-map.yaml, import-report.txt (time masked) and
    import-record.json (the saved copies' folders, which differ from machine to machine, as names: `sources`
    maps a folder to its name; the fixture mirror is 'MIRROR')."""
    names = {str(MIRROR.resolve()): "MIRROR", **{str(Path(k).resolve()): v for k, v in (sources or {}).items()}}
    found = {}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if not path.is_file() or not (rel.startswith(("content/", "assets/legacy/")) or "/" not in rel
                                      and rel.startswith("import-")):
            continue
        data = path.read_bytes()
        if rel == "import-report.txt":
            data = TIME_LINE.sub(r"\g<1>0.00 秒", data.decode("utf-8")).encode("utf-8")
        if rel in ("import-record.json", "import-report.txt"):
            for folder, name in names.items():
                data = data.replace(json.dumps(folder)[1:-1].encode("utf-8"), name.encode("utf-8"))
        found[rel] = data
    return found
