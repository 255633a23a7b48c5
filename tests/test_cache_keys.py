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


# --- the previous vintage a chapter recomputes its results on -----------------------------------

DEALS = "data/raw/sipri-arms-transfers/{}/trade-register-deals.csv"
USGS = "data/raw/usgs-mcs/{}/rare-earths-world-production-reserves.csv"


def _run_recorded(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Run a chapter module as a build's worker does, and return the inputs it logged."""
    import importlib

    from conftest import chapter_params

    log = tmp_path / f"{name}-inputs.txt"
    with monkeypatch.context() as mp:
        mp.setenv("REPORT_INPUT_LOG", str(log))
        mp.setenv("REPORT_ASSET_DIR", str(tmp_path / f"{name}-assets"))
        mp.setenv("REPORT_CHAPTER", name)
        mp.setenv("REPORT_DEFER_SVG", "1")
        importlib.import_module(f"analysis.chapters.{name}").run(**chapter_params(name))
    return [ln.split("\t") for ln in log.read_text(encoding="utf-8").splitlines() if ln]


def _key(project: Path, name: str, recorded: list[list[str]]) -> str | None:
    """The chapter's cache key as the next build computes it from what it recorded."""
    from analysis.build import pipeline

    chapter = pipeline.Chapter(name, project / "chapters" / f"{name}.ipynb",
                               pipeline.load_params(project)[name])
    inputs = pipeline._current_inputs(project, recorded)
    return None if inputs is None else pipeline.chapter_key(chapter, inputs)


def _declare(project: Path, rel: str, vintage: str) -> list[Path]:
    """Hold a copy of a file (its sidecar in data/raw, its bytes in the store) as ``vintage``."""
    from conftest import store_path

    old_vintage = rel.split("/")[3]
    new = rel.replace(old_vintage, vintage)
    made = []
    for a, b in ((project / (rel + ".meta.yml"), project / (new + ".meta.yml")),
                 (store_path(project, rel), store_path(project, new))):
        b.parent.mkdir(parents=True, exist_ok=True)
        b.write_bytes(a.read_bytes())
        made.append(b)
    return made


def test_the_previous_vintage_a_chapter_compares_with_is_an_input(
        scratch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The exports chapter recomputes its key results, and the claims chapter its verdicts, on
    the previous vintage of the files they read. Which vintage that is keys them: a vintage added
    between the current and the previous one, or before a current one that had none, re-executes
    them; one older than the previous one, or a file they do not compare, does not; a change to
    the previous vintage's sidecar does."""
    recorded = {n: _run_recorded(n, tmp_path, monkeypatch) for n in ("exports", "claims")}

    def keys() -> dict[str, str | None]:
        return {n: _key(scratch, n, r) for n, r in recorded.items()}

    start = keys()
    assert None not in start.values() and keys() == start

    # a deal register between SIPRI's 2025 one (2025-03-13) and the current one (2026-05-18)
    between = _declare(scratch, DEALS.format("2025-03-13"), "2025-11-01")
    moved = keys()
    assert moved["exports"] != start["exports"] and moved["claims"] != start["claims"]
    for p in between:
        p.unlink()
    assert keys() == start  # the key follows which vintage is the previous one, nothing else

    # an older deal register than the previous one changes nothing either chapter computes
    older = _declare(scratch, DEALS.format("2025-03-13"), "2020-01-01")
    assert keys() == start
    for p in older:
        p.unlink()

    # USGS held in one vintage: the claims have no previous one to recompute on, until one is held
    earlier_usgs = _declare(scratch, USGS.format("2025-01-31"), "2024-01-31")
    moved = keys()
    assert moved["claims"] != start["claims"] and moved["exports"] == start["exports"]
    for p in earlier_usgs:
        p.unlink()
    assert keys() == start

    # the previous deal register's sidecar edited (its edition, say)
    side = scratch / (DEALS.format("2025-03-13") + ".meta.yml")
    side.write_text(side.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    moved = keys()
    assert moved["exports"] != start["exports"] and moved["claims"] != start["claims"]
