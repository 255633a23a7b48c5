"""The constraints chapter module, called directly (no papermill) on the real curated tables and
USGS's rare-earth table: every value the notebook pastes is produced, and the values agree with
the files read another way."""

from __future__ import annotations

import csv

import pytest
from conftest import ROOT, chapter_params, glue_keys_used

from analysis.calc import prose
from analysis.chapters import constraints as chapter
from analysis.data.readers import usgs


def _run(**changes: object) -> chapter.ConstraintsChapter:
    return chapter.run(**(chapter_params("constraints") | changes))


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> chapter.ConstraintsChapter:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REPORT_ASSET_DIR", str(tmp_path_factory.mktemp("assets")))
        mp.setenv("REPORT_CHAPTER", "constraints")
        mp.setenv("REPORT_DEFER_SVG", "1")
        return _run()


def _rows(name: str) -> list[dict[str, str]]:
    with (ROOT / "data/curated" / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_every_value_the_notebook_pastes_is_glued(result: chapter.ConstraintsChapter) -> None:
    assert glue_keys_used("constraints") <= {k for k, _ in result.glued()}


def test_timeline_counts_are_the_curated_rows(result: chapter.ConstraintsChapter) -> None:
    rows = _rows("constraints_and_europe_timeline.csv")
    assert result.values["n-events"] == prose.count(len(rows)) == prose.count(len(result.events))
    day = sum(r["date_precision"] == "day" for r in rows)
    assert result.values["n-day"] == prose.count(day)
    assert result.values["n-coarse"] == prose.count(len(rows) - day)
    assert result.values["first-event-year"] == min(r["date"] for r in rows)[:4]


def test_engine_summaries_name_their_curated_lines(result: chapter.ConstraintsChapter) -> None:
    rows = _rows("programme_dependencies.csv")
    for key, programme in [("kaan-engines", "KAAN fighter"), ("hurjet-engines", "Hürjet trainer")]:
        engines = [(n, r) for n, r in enumerate(rows, start=2)
                   if r["programme"] == programme and r["component_kind"] == "engine"]
        assert engines
        for line, r in engines:
            assert f"{r['dependency']} ({r['supplier_country']})" in result.values[key]
            assert f"[line {line}]" in result.values[key]


def test_mining_share_is_usgs_country_over_world(result: chapter.ConstraintsChapter) -> None:
    table = usgs.rare_earths(chapter_params("constraints")["usgs_vintage"])
    world = float(table.loc[table["row_kind"] == "world total", "production_2024e_t"].iloc[0])
    china = float(table.loc[table["country"] == "China", "production_2024e_t"].iloc[0])
    assert result.values["china-share"] == prose.percent(100 * china / world)
    assert result.values["china-production"] == prose.number(china)
    assert result.values["world-production"] == prose.number(world)
    assert result.values["earlier-year"] == "2023"
    # the CRMA table covers every critical raw material of the regulation
    assert result.values["n-crma"] == "34" and len(result.crma["material"].unique()) == 34


def test_the_mining_country_is_a_parameter(chapter_assets: object,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORT_CHAPTER", "constraints")
    monkeypatch.setenv("REPORT_DEFER_SVG", "1")
    other = _run(mining_country="United States")
    table = usgs.rare_earths(chapter_params("constraints")["usgs_vintage"])
    world = float(table.loc[table["row_kind"] == "world total", "production_2024e_t"].iloc[0])
    us = float(table.loc[table["country"] == "United States", "production_2024e_t"].iloc[0])
    assert other.values["mining-country"] == "United States"
    assert other.share.pct_of_world == pytest.approx(100 * us / world)
    assert other.values["production-year"] == "2024"  # the latest year of USGS's header
    assert other.values["production-basis"] == "USGS estimates"  # printed '2024e'
