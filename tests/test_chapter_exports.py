"""The exports chapter module, called directly (no papermill) on the real registers: every value
the notebook pastes is produced, and the values agree with the registers read another way."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, chapter_params, glue_keys_used

from analysis.calc import allocation, prose
from analysis.chapters import exports as chapter
from analysis.data.readers import sipri_transfers


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> chapter.ExportsChapter:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REPORT_ASSET_DIR", str(tmp_path_factory.mktemp("assets")))
        mp.setenv("REPORT_CHAPTER", "exports")
        mp.setenv("REPORT_DEFER_SVG", "1")
        return chapter.run(**chapter_params("exports"))


def test_every_value_the_notebook_pastes_is_glued(result: chapter.ExportsChapter) -> None:
    glued = dict(result.glued())
    assert glue_keys_used("exports") <= set(glued)
    assert all(isinstance(v, str) for v in result.values.values())
    # the two dollar values are named for what they hold, not for one year
    assert not any(k.endswith("-2024") for k in glued)


def test_windows_come_from_the_newest_edition_and_years_from_its_coverage(
        result: chapter.ExportsChapter) -> None:
    params = chapter_params("exports")
    deals = sipri_transfers.deals(params["deals_vintage"])
    estimate = allocation.allocate(deals)
    assert result.values["last-year"] == str(estimate["delivery_year"].max()) == "2025"
    assert result.values["latest-window"] == "2021-25"
    assert result.values["previous-window"] == "2016-20"
    own = estimate[(estimate["supplier"] == "Turkiye") & (estimate["delivery_year"] >= 2021)]
    assert result.values["latest-window-tiv"] == prose.number(own["tiv_delivered"].sum())
    # the yearly chart keeps SIPRI's exact yearly values of the older edition, to its own last year
    exact = sipri_transfers.deliveries(params["deliveries_vintage"])
    assert result.values["exact-last-year"] == str(exact["delivery_year"].max()) == "2024"
    mine = exact[(exact["supplier"] == "Turkiye")
                 & exact["delivery_year"].between(params["first_year"], 2024)]
    assert result.values["total-tiv"] == prose.number(mine["tiv_delivered"].sum())
    assert result.yearly["year"].max() == 2024
    assert result.values["supplier-name"] == "Türkiye"


def test_the_estimate_reproduces_sipri_s_published_figures(result: chapter.ExportsChapter) -> None:
    recon = result.reconciliation.set_index("measure")
    rank = recon.loc[chapter.PUBLISHED["rank"]]
    assert rank["this_report"] == rank["sipri"] == 11
    for key in ("share", "share-previous", "change"):
        row = recon.loc[chapter.PUBLISHED[key]]
        assert abs(row["difference"]) < 0.5, (key, row.to_dict())  # within SIPRI's rounding
    # on the edition SIPRI published both ways, the estimate is within 5% of the exact values
    gap = float(result.values["check-gap"].replace("−", "-").rstrip("%"))
    assert abs(gap) < 5 and result.values["check-window"] == "2020-24"


def test_what_was_signed_and_delivered_in_the_last_year(result: chapter.ExportsChapter) -> None:
    assert "Hurjet for Spain" in result.values["signed-last-year-list"]
    delivered = result.values["delivered-last-year-list"]
    assert "Bayraktar TB-2 to Croatia" in delivered and "NMS to Estonia" in delivered


def test_dollar_values_are_the_curated_rows_of_the_compared_year(result: chapter.ExportsChapter) -> None:
    year = result.values["usd-compare-year"]
    assert year == result.values["exact-last-year"]
    with (ROOT / "data/curated/turkey_defence_aerospace_exports_usd.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["year"] == year]
    ssb = [float(r["value"]) for r in rows if r["series"].startswith("SSB")]
    tim = [float(r["value"]) for r in rows if r["series"].startswith("TIM")]
    assert len(ssb) == 1 and len(tim) == 1
    assert result.values["usd-ssb-in-last-year"] == prose.number(ssb[0])
    assert result.values["usd-tim-in-last-year"] == prose.number(tim[0])
    assert result.values["usd-ssb-last-year"] >= year


def test_published_files_are_what_the_result_holds(result: chapter.ExportsChapter) -> None:
    drawn = result.figures["tiv-by-year"]
    assert drawn.element_id == "chart-exports-tiv-by-year"
    assert set(result.tables) == {"tiv-by-window", "standing", "recipients", "european-deals",
                                  "ally-purchases", "reconciliation"}
    # the deals table lists exactly the register's deals with today's European allies
    assert set(result.deals["recipient"]) >= {"Poland", "Romania", "Portugal", "Croatia", "Estonia"}
    assert result.values["deals-count"] == str(len(result.deals)) == "18"  # 2026 edition


def test_parameters_move_the_result(chapter_assets: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORT_CHAPTER", "exports")
    monkeypatch.setenv("REPORT_DEFER_SVG", "1")
    params = chapter_params("exports") | {"window_length": 3}
    short = chapter.run(**params)
    assert short.values["latest-window"] == "2023-25"
    assert list(short.by_window["window"])[-2:] == ["2020-22", "2023-25"]
    written = pd.read_csv(chapter_assets / "chart-exports-tiv-by-year.csv")
    assert written["tiv"].sum() == pytest.approx(short.yearly["tiv"].sum())
