"""The outlook chapter module, called directly (no papermill) on the real registers: every value
the notebook pastes is produced, and the deciding values agree with the registers read another
way."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import chapter_params, glue_keys_used

from analysis.calc import allocation, exports, prose
from analysis.chapters import outlook as chapter
from analysis.data.readers import curated, sipri_transfers


def _params() -> dict[str, object]:
    return chapter_params("outlook")


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> chapter.OutlookChapter:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REPORT_ASSET_DIR", str(tmp_path_factory.mktemp("assets")))
        mp.setenv("REPORT_CHAPTER", "outlook")
        mp.setenv("REPORT_DEFER_SVG", "1")
        return chapter.run(**_params())


def test_every_value_the_notebook_pastes_is_glued(result: chapter.OutlookChapter) -> None:
    glued = dict(result.glued())
    assert {k for k in glue_keys_used("outlook") if "::" not in k} <= set(glued)
    assert set(result.figures) == {"benchmarks", "categories", "market", "beyond", "scenarios"}


def test_turkiyes_share_of_european_imports_is_not_computed_here(
        result: chapter.OutlookChapter) -> None:
    """Türkiye's share of European allies' imports is the exports chapter's figure, pasted: the
    outlook glues none of its own (it glued it twice, as supplier-share-latest and
    overall-share), and its benchmarks draw the share that chapter's one function computes."""
    glued = dict(result.glued())
    assert not {"supplier-share-latest", "overall-share"} & set(glued)
    pasted = {k for k in glue_keys_used("outlook") if "::" in k}
    assert "exports.ipynb::tr-eu-share-latest:s" in pasted
    assert "south-korea-share-latest" in glued  # the benchmarks' shares stay the outlook's own
    p = _params()
    register = allocation.allocate(sipri_transfers.deals(str(p["deals_vintage"])))
    members = curated.table("nato_members.csv")
    spans = exports.windows(int(p["first_year"]), int(register["delivery_year"].max()),
                            int(p["window_length"]))
    labels = [exports.window_label(s, int(p["window_length"])) for s, _ in spans]
    suppliers = exports.suppliers_of(exports.european_imports(
        register, members, spans, int(p["window_length"]), exclude_recipients=["TUR"]), labels)
    bench = result.benchmarks.set_index(["supplier", "window"])
    for window in labels:
        assert bench.loc[(p["supplier"], window), "share_pct"] == exports.share_of_imports(
            suppliers, window, str(p["supplier"]))


def test_european_allies_imports_are_the_exports_chapters(
        result: chapter.OutlookChapter) -> None:
    """European allies' imports in the latest window are the exports chapter's figure, pasted
    (the outlook glued its own copy, europe-imports-latest): the outlook's scenarios divide by
    the same total, computed by the one function, in the same window as the exports chapter's."""
    glued = dict(result.glued())
    assert "europe-imports-latest" not in glued
    assert "exports.ipynb::eu-imports-latest:s" in {
        k for k in glue_keys_used("outlook") if "::" in k}
    p, e = _params(), chapter_params("exports")
    register = allocation.allocate(sipri_transfers.deals(str(p["deals_vintage"])))
    end = int(register["delivery_year"].max())
    assert p["deals_vintage"] == e["deals_vintage"] and p["window_length"] == e["window_length"]
    latest = [exports.window_label(s, int(p["window_length"])) for s, _ in exports.windows(
        int(e["first_year"]), end, int(p["window_length"]))][-1]
    assert result.values["latest-window"] == latest
    members = curated.table("nato_members.csv")
    spans = exports.windows(int(p["first_year"]), end, int(p["window_length"]))
    labels = [exports.window_label(s, int(p["window_length"])) for s, _ in spans]
    suppliers = exports.suppliers_of(exports.european_imports(
        register, members, spans, int(p["window_length"]), exclude_recipients=["TUR"]), labels)
    total = float(suppliers.loc[suppliers["window"] == latest, "tiv"].sum())
    assert total == exports.imports_total(suppliers, latest) > 0
    market = total * (1 + float(p["market_growth_pct"]) / 100)
    assert list(result.scenarios["market_tiv"]) == pytest.approx([market] * 3)


def test_the_backlog_is_the_register_s_open_deals(result: chapter.OutlookChapter) -> None:
    p = _params()
    deals = sipri_transfers.deals(str(p["deals_vintage"]))
    members = curated.table("nato_members.csv")
    table = exports.deals_with(deals, str(p["supplier"]), members)
    still = table[table["number_delivered"].fillna(0) < table["number_ordered"].fillna(0)]
    assert len(result.backlog) == len(still)
    assert result.values["open-deals"] == prose.count(len(still))
    valued = still[still["tiv_order"] > 0]
    assert result.values["backlog-tiv"] == prose.number(
        (valued["tiv_order"] - valued["tiv_delivered"]).sum())
    # the deals SIPRI has not valued are named, so the reader sees what the lower bound misses
    for row in still[still["tiv_order"].fillna(0) == 0].itertuples():
        assert row.designation in result.values["backlog-without-tiv"]


def test_the_scenarios_span_the_range_drawn(result: chapter.OutlookChapter) -> None:
    s = result.scenarios
    assert set(s["scenario"]) == {"backlog delivered", "recent growth", "optimistic growth"}
    assert result.values["scenario-low"] == prose.percent(s["share_pct"].min(), 1)
    assert result.values["scenario-high"] == prose.percent(s["share_pct"].max(), 1)
    assert (s["low"] == s["share_pct"].min()).all() and (s["high"] == s["share_pct"].max()).all()
    # the optimistic rate is the named benchmark's measured growth into Europe, not typed
    bench = result.benchmarks.set_index(["supplier", "window"])
    rate = bench.loc[(_params()["optimistic_like"], result.values["latest-window"]), "growth_pct"]
    assert s.set_index("scenario").loc["optimistic growth", "growth_pct"] == pytest.approx(rate)


def test_the_market_bound_keeps_dollars_and_volumes_apart(result: chapter.OutlookChapter) -> None:
    m = result.market
    assert {"equipment_usd_million", "exports_usd_million", "bound_pct"} <= set(m.columns)
    assert not any("tiv" in c for c in m.columns)
    assert m["bound_pct"].between(0, 100).all()


def test_categories_cover_sipri_s_list(result: chapter.OutlookChapter) -> None:
    from analysis.data.readers import vocabulary

    assert set(result.categories["category"]) == set(vocabulary.CATEGORIES)
    best = result.categories.dropna(subset=["share_of_imports_pct"]).iloc[0]
    assert result.values["best-category"] == str(best["category"]).lower()
    assert isinstance(result.beyond, pd.DataFrame) and len(result.beyond) >= 2
