"""The spending chapter module, called directly (no papermill) on NATO's and SIPRI's real tables:
every value the notebook pastes is produced, and the values agree with the tables read another way."""

from __future__ import annotations

import pytest
from conftest import chapter_params, glue_keys_used

from analysis.calc import prose
from analysis.calc import spending as calc
from analysis.chapters import spending as chapter
from analysis.data.readers import curated, nato


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> chapter.SpendingChapter:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REPORT_ASSET_DIR", str(tmp_path_factory.mktemp("assets")))
        mp.setenv("REPORT_CHAPTER", "spending")
        mp.setenv("REPORT_DEFER_SVG", "1")
        return chapter.run(**chapter_params("spending"))


def test_every_value_the_notebook_pastes_is_glued(result: chapter.SpendingChapter) -> None:
    glued = dict(result.glued())
    assert glue_keys_used("spending") <= set(glued)
    assert all(isinstance(v, str) for v in result.values.values())
    assert set(result.figures) == {"shares-lines", "shares-heatmap", "burden", "equipment",
                                   "focus-two", "path"}


def test_counts_agree_with_natos_table(result: chapter.SpendingChapter) -> None:
    p = chapter_params("spending")
    members = curated.table("nato_members.csv")
    share = nato.table(p["nato_vintage"])
    share = share[share["measure"] == "defence_share_gdp"]
    # the chapter's latest year is the edition's own: the last year of its share table
    assert result.values["latest-year"] == str(share["year"].max())
    latest = share[share["year"] == share["year"].max()]
    allies = set(members["iso3"])
    at_two = latest[latest["iso3"].isin(allies) & (latest["value"] >= p["wales_pct"])]
    assert result.values["n-2pct-latest"] == prose.count(at_two["iso3"].nunique())
    assert result.values["of-latest"] == prose.count(latest[latest["iso3"].isin(allies)]["iso3"].nunique())
    focus = latest[latest["iso3"] == p["focus_country"]]["value"].iloc[0]
    assert result.values["focus-share-latest"] == prose.percent(focus, 2)


def test_heatmap_bands_are_the_calculations_own(result: chapter.SpendingChapter) -> None:
    """The heatmap's colour order is threshold_bands', so no band label is retyped."""
    p = chapter_params("spending")
    bands = calc.threshold_bands([p["wales_pct"], p["core_pct"]])
    spec = result.figures["shares-heatmap"].spec
    domains = [s.get("domain") for s in _scales(spec)]
    assert bands in domains
    assert {calc.threshold_band(v, [p["wales_pct"], p["core_pct"]])
            for v in result.shares["share_pct"]} <= set(bands)


def _scales(spec: object) -> list[dict]:
    found = []
    if isinstance(spec, dict):
        if "scale" in spec and isinstance(spec["scale"], dict):
            found.append(spec["scale"])
        for v in spec.values():
            found += _scales(v)
    elif isinstance(spec, list):
        for v in spec:
            found += _scales(v)
    return found


def test_scenarios_are_picked_by_name_not_by_rate(result: chapter.SpendingChapter) -> None:
    """The lower and higher scenarios' totals are the ones computed at growth -/+ the spread."""
    totals = result.path_totals
    p = chapter_params("spending")
    rates = sorted(totals["growth_pct"].unique())
    assert len(rates) == 3
    assert rates[2] - rates[1] == pytest.approx(p["growth_spread_pp"])
    at_target = totals[totals["year"] == p["target_year"]].set_index("growth_pct")["extra"]
    assert result.values["extra-low-bn"] == prose.number(at_target[rates[0]] / 1000, 0)
    assert result.values["extra-high-bn"] == prose.number(at_target[rates[2]] / 1000, 0)
    # more growth, more GDP, more to spend to reach the same share
    assert at_target[rates[0]] < at_target[rates[1]] < at_target[rates[2]]


def test_equipment_definition_is_natos_note(result: chapter.SpendingChapter) -> None:
    p = chapter_params("spending")
    notes = nato.notes(p["nato_vintage"])
    sheet = nato.sheet_of("equipment_share")
    texts = notes[notes["sheet"] == sheet]["text"].tolist()
    assert any(t.endswith(result.values["eq-definition"]) for t in texts)
    with pytest.raises(KeyError):
        nato.sheet_of("no such measure")


def test_a_float_cannot_be_glued() -> None:
    from analysis.chapters.collect import Collector

    out = Collector()
    out.add("a", "1")
    with pytest.raises(ValueError, match="twice"):
        out.add("a", "2")
    with pytest.raises(TypeError, match="float"):
        out.add("b", 1.5)
