"""The exports chapter module, called directly (no papermill) on the real registers: every value
the notebook pastes is produced, and the values agree with the registers read another way."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, chapter_params, glue_keys_used, keys_pasted_from

from analysis.calc import allocation, prose
from analysis.chapters import exports as chapter
from analysis.data.readers import sipri_transfers


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> chapter.ExportsChapter:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REPORT_ASSET_DIR", str(tmp_path_factory.mktemp("exports-assets")))
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
                                  "ally-purchases", "reconciliation", "key-results"}
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


def test_key_results_are_recomputed_on_the_previous_deal_register(
        result: chapter.ExportsChapter, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The key results the prose states, on SIPRI's 2026 deal register and again on its 2025
    one (each at its own latest window); the build reads the same comparison from the chapter's
    key_figures.json and prints those that moved."""
    import json

    from analysis.build import pipeline
    from analysis.calc import key_figures

    k = result.key_results.set_index("key")
    # now: exactly what the chapter's prose states
    for key in k.index:
        assert k.loc[key, "now"] == result.values[key], key
    assert set(k["now_period"]) == {result.values["latest-window"],
                                    (f"{result.values['previous-window']} to "
                                     f"{result.values['latest-window']}")}
    # before: the 2025 edition's register, whose windows end in 2024
    assert k.loc["rank-latest", ["before", "before_period"]].tolist() == ["11", "2020-24"]
    assert k.loc["share-latest", "before"] == "1.6%"
    assert k.loc["window-change", "before_period"] == "2015-19 to 2020-24"
    assert not k.loc["rank-latest", "moved"]  # 11th in both editions' latest windows
    assert k.loc["share-latest", "moved"] and k.loc["tr-eu-share-latest", "moved"]
    assert result.values["key-results-n-moved"] == str(int(k["moved"].sum()))
    assert result.values["key-results-before"] == "SIPRI's deal register, 2025 edition"
    shown = result.tables["key-results"].frame
    assert list(shown.columns) == ["Result", "Before: SIPRI's deal register, 2025 edition",
                                   "Now: SIPRI's deal register, 2026 edition", "Moved"]
    assert shown["Moved"].tolist() == ["yes" if m else "no" for m in k["moved"]]

    # the build's lines, from what the chapter wrote
    # this module's own asset folder (another module's spending run writes a key_figures.json too)
    written = next(tmp_path_factory.getbasetemp().glob(
        f"exports-assets*/{key_figures.KEY_FIGURES_FILE}"))
    cache = tmp_path_factory.mktemp("cache")
    (cache / "exports" / "k" / "assets").mkdir(parents=True)
    (cache / "exports" / "k" / "assets" / key_figures.KEY_FIGURES_FILE).write_text(
        written.read_text(encoding="utf-8"), encoding="utf-8")
    lines = pipeline.key_figure_changes(cache, [pipeline.ChapterResult("exports", True, 1.0, "k")])
    assert len(lines) == int(k["moved"].sum()) == len(json.loads(written.read_text())) - 1
    assert (f"exports: Türkiye's share of world arms exports: 1.6% (2020-24, SIPRI's deal "
            f"register, 2025 edition) -> {result.values['share-latest']} (2021-25, SIPRI's deal "
            "register, 2026 edition)") in lines


def _european_allies_imports_in_the_latest_window() -> pd.DataFrame:
    """The deal register's deliveries to European allies in the latest window (each ally from
    its accession year, less Türkiye), read here apart from the chapter's code."""
    from analysis.data import countries
    from analysis.data.readers import curated

    p = chapter_params("exports")
    register = allocation.allocate(sipri_transfers.deals(str(p["deals_vintage"])))
    end = int(register["delivery_year"].max())
    rows = register[register["delivery_year"].between(end - int(p["window_length"]) + 1, end)]
    members = curated.table("nato_members.csv").set_index("iso3")
    europe = members[members["region"] == p["europe_region"]]
    iso3 = countries.to_iso3(rows["recipient"])
    ally = [i in europe.index and i != "TUR" and int(europe.loc[i, "accession_year"]) <= y
            for i, y in zip(iso3, rows["delivery_year"], strict=True)]
    return rows[ally]


def test_turkiyes_share_of_european_imports_is_computed_here_and_pasted_elsewhere(
        result: chapter.ExportsChapter) -> None:
    """The share is computed once, here, and is the deal register's deliveries read another way:
    Türkiye's TIV over all European allies' imports (each ally from its accession year, less
    Türkiye) in the latest window. The outlook, the introduction and the summary paste it; none
    pastes the outlook's former copy."""
    import re

    p = chapter_params("exports")
    allied = _european_allies_imports_in_the_latest_window()
    share = (allied.loc[allied["supplier"] == p["supplier"], "tiv_delivered"].sum()
             / allied["tiv_delivered"].sum() * 100)
    assert result.values["tr-eu-share-latest"] == chapter.share_text(share)
    for page in ("outlook.ipynb", "intro.ipynb", "summary.md"):
        text = (ROOT / "chapters" / page).read_text(encoding="utf-8")
        assert "{glue:text}`exports.ipynb::tr-eu-share-latest:s`" in text, page
        assert not re.search(r"outlook\.ipynb::(supplier-share-latest|overall-share)", text), page


def test_european_allies_imports_are_computed_here_and_pasted_by_the_outlook(
        result: chapter.ExportsChapter) -> None:
    """European allies' imports in the latest window (each ally from its accession year, less
    Türkiye) are the deal register's deliveries read another way; the outlook, which computed
    them a second time (europe-imports-latest), pastes this chapter's figure."""
    total = float(_european_allies_imports_in_the_latest_window()["tiv_delivered"].sum())
    assert total > 0
    assert result.values["eu-imports-latest"] == prose.number(total)
    text = (ROOT / "chapters/outlook.ipynb").read_text(encoding="utf-8")
    assert "{glue:text}`exports.ipynb::eu-imports-latest:s`" in text
    assert "europe-imports-latest" not in text


def test_what_the_changes_page_pastes_from_this_chapter_exists(
        result: chapter.ExportsChapter) -> None:
    pasted = keys_pasted_from("exports")
    assert {"key-results", "key-results-n-moved"} <= pasted <= set(dict(result.glued()))
