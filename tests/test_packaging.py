"""The installed package holds every module: `pip install .` (the README's first step) copies only
the packages pyproject.toml lists, so a new subpackage missing there works in an editable install
and fails everywhere else (it happened once: `cnncheck.forms`)."""

from __future__ import annotations

from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

ROOT = Path(__file__).resolve().parent.parent


def test_every_subpackage_is_listed_for_installation():
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "cnncheck").rglob("__init__.py")
    }
    assert found - listed == set(), sorted(found - listed)
