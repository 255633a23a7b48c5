"""Caches per layer: the parquet cache is keyed on the data layer's code only, a chapter's
execution on the code that chapter runs. A chart-theme change re-executes the chapters and parses
no workbook; a change to one chapter's module re-executes that chapter only."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis.data import store


@pytest.fixture()
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "analysis"
    shutil.copytree(store.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(store, "PACKAGE", copy)
    yield copy
    store.code_hash.cache_clear()
    store.chapter_code_hash.cache_clear()


def _keys() -> dict[str, str]:
    store.code_hash.cache_clear()
    store.chapter_code_hash.cache_clear()
    return {"data": store.data_code_hash(), "spending": store.chapter_code_hash("spending"),
            "changes": store.chapter_code_hash("changes")}


def _edit(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")


def test_each_cache_follows_its_own_code(package: Path) -> None:
    before = _keys()
    _edit(package / "publishing" / "charts.py")  # the chart theme
    theme = _keys()
    assert theme["data"] == before["data"]  # no workbook is parsed again
    assert theme["spending"] != before["spending"] and theme["changes"] != before["changes"]

    _edit(package / "chapters" / "spending.py")
    one = _keys()
    assert one["spending"] != theme["spending"] and one["changes"] == theme["changes"]
    assert one["data"] == theme["data"]

    _edit(package / "data" / "readers" / "nato.py")  # how a file is read
    reader = _keys()
    assert reader["data"] != one["data"] and reader["spending"] != one["spending"]

    _edit(package / "build" / "pipeline.py")  # the build itself re-executes nothing
    assert _keys() == reader


def test_a_chapter_follows_the_chapter_modules_it_imports(package: Path) -> None:
    """The index of Allies runs the profile's module and every Ally's page is the notebook
    ``profile``: a change to profile.py re-executes them, not the spending chapter; a change to
    as_of.py re-executes the chapters that import it (introduction, spending)."""
    assert store.chapter_modules("allies") == ["__init__.py", "allies.py", "collect.py",
                                               "pages.py", "profile.py", "result.py"]

    def keys() -> dict[str, str]:
        store.code_hash.cache_clear()
        store.chapter_code_hash.cache_clear()
        return {n: store.chapter_code_hash(n)
                for n in ("profile", "allies", "spending", "intro", "exports")}

    before = keys()
    _edit(package / "chapters" / "profile.py")
    after = keys()
    assert [n for n in before if before[n] != after[n]] == ["profile", "allies"]
    _edit(package / "chapters" / "as_of.py")
    again = keys()
    assert [n for n in after if after[n] != again[n]] == ["spending", "intro"]
