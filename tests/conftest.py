"""Fixtures shared by every test module (helpers to import live in helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import write_site


@pytest.fixture
def make_site(tmp_path):
    """make_site(files, site_yaml=..., layouts=True, assets=True) -> the site's folder."""
    counter = iter(range(1000))

    def make(files: dict[str, str | bytes], **kwargs) -> Path:
        return write_site(tmp_path / f"site{next(counter)}", files, **kwargs)
    return make
