"""The exports chapter module, called directly (no papermill) on the real registers: every value
the notebook pastes is produced, and the values agree with the registers read another way."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, chapter_params, glue_keys_used

from analysis.calc import prose
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


def test_totals_agree_with_the_register(result: chapter.ExportsChapter) -> None:
    params = chapter_params("exports")
    register = sipri_transfers.deliveries(params["deliveries_vintage"])
    own = register[(register["supplier"] == "Turkiye")
                   & register["delivery_year"].between(params["first_year"], params["last_year"])]
    assert result.values["total-tiv"] == prose.number(own["tiv_delivered"].sum())
    assert result.values["latest-window"] == "2020-24"
    assert result.values["previous-window"] == "2015-19"
    latest = own[own["delivery_year"] >= 2020]["tiv_delivered"].sum()
    assert result.values["latest-window-tiv"] == prose.number(latest)
    assert result.values["supplier-name"] == "Türkiye"
    # the deals register's deliveries and the deliveries register agree (a check of two vintages)
    assert result.values["vintage-agreement"] == "the same"


def test_dollar_values_are_the_curated_rows_of_the_last_year(result: chapter.ExportsChapter) -> None:
    last_year = str(chapter_params("exports")["last_year"])
    with (ROOT / "data/curated/turkey_defence_aerospace_exports_usd.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["year"] == last_year]
    ssb = [float(r["value"]) for r in rows if r["series"].startswith("SSB")]
    tim = [float(r["value"]) for r in rows if r["series"].startswith("TIM")]
    assert len(ssb) == 1 and len(tim) == 1
    assert result.values["usd-ssb-in-last-year"] == prose.number(ssb[0])
    assert result.values["usd-tim-in-last-year"] == prose.number(tim[0])
    assert result.values["usd-ssb-last-year"] >= last_year


def test_published_files_are_what_the_result_holds(result: chapter.ExportsChapter) -> None:
    drawn = result.figures["tiv-by-year"]
    assert drawn.element_id == "chart-exports-tiv-by-year"
    assert set(result.tables) == {"tiv-by-window", "standing", "recipients", "european-deals",
                                  "ally-purchases"}
    # the deals table lists exactly the register's deals with today's European allies
    assert set(result.deals["recipient"]) >= {"Poland", "Romania", "Portugal", "Croatia", "Estonia"}
    assert result.values["deals-count"] == str(len(result.deals)) == "15"


def test_parameters_move_the_result(chapter_assets: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORT_CHAPTER", "exports")
    monkeypatch.setenv("REPORT_DEFER_SVG", "1")
    params = chapter_params("exports") | {"window_length": 3}
    short = chapter.run(**params)
    assert short.values["latest-window"] == "2022-24"
    assert list(short.by_window["window"])[-2:] == ["2019-21", "2022-24"]
    written = pd.read_csv(chapter_assets / "chart-exports-tiv-by-year.csv")
    assert written["tiv"].sum() == pytest.approx(short.yearly["tiv"].sum())
    with pytest.raises(KeyError, match="no value for 2023"):
        chapter.run(**(chapter_params("exports") | {"last_year": 2023}))
