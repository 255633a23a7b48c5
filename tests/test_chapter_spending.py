"""The spending chapter module, called directly (no papermill) on NATO's and SIPRI's real tables:
every value the notebook pastes is produced, and the values agree with the tables read another way."""

from __future__ import annotations

import pytest
from conftest import chapter_params, glue_keys_used, keys_pasted_from

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
                                   "focus-two", "path", "path-whatif"}


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
    at_target = totals[totals["year"] == p["target_year"]].set_index("growth_pct")[
        "extra_latest_prices"]
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


def test_key_results_say_plainly_that_no_earlier_edition_is_held(
        result: chapter.SpendingChapter) -> None:
    """One edition each of NATO's tables and SIPRI's database is held: the key results are
    stated, none can have moved, and the page says why."""
    k = result.key_results.set_index("key")
    for key in ("n-2pct-latest", "us-share-latest", "us-share-sipri-latest",
                "focus-share-latest"):
        assert k.loc[key, "now"].startswith(result.values[key]), key
    assert k.loc["n-2pct-latest", "now"] == (f"{result.values['n-2pct-latest']} of "
                                             f"{result.values['of-latest']}")
    assert not k["moved"].any() and (k["before"] == "").all()
    status = result.values["key-results-status"]
    assert status.startswith("not recomputed: the report holds one edition of each")
    assert "2024" in status and "SIPRI" in status and "NATO" in status


def test_key_results_move_with_an_edition_that_revises_a_figure() -> None:
    """The same results on an edition whose focus country's share of GDP was revised: only
    that one moves."""
    from conftest import chapter_params

    from analysis.calc import key_figures
    from analysis.data.readers import curated, nato, sipri_milex

    p = chapter_params("spending")
    table, milex = nato.table(p["nato_vintage"]), sipri_milex.table(p["milex_vintage"])
    members = curated.table("nato_members.csv")
    kw = {k: p[k] for k in ("first_year", "wales_pct", "core_pct", "lead_country",
                            "focus_country", "group_regions", "group_extra")}
    now = chapter.key_results(table, milex, members, **kw)
    revised = table.copy()
    focus = ((revised["iso3"] == p["focus_country"]) & (revised["measure"] == "defence_share_gdp")
             & (revised["year"] == revised["year"].max()))
    assert focus.sum() == 1
    revised.loc[focus, "value"] = revised.loc[focus, "value"] + 0.25
    moved = key_figures.compare(now, chapter.key_results(revised, milex, members, **kw))
    assert moved.loc[moved["moved"], "key"].tolist() == ["focus-share-latest"]
    assert key_figures.compare(now, now)["moved"].sum() == 0


def test_what_the_changes_page_pastes_from_this_chapter_exists(
        result: chapter.SpendingChapter) -> None:
    pasted = keys_pasted_from("spending")
    assert {"key-results", "key-results-status"} <= pasted <= set(dict(result.glued()))


def test_key_results_are_recomputed_when_an_earlier_nato_edition_is_held(
        scratch, tmp_path, monkeypatch) -> None:
    """With an earlier vintage of NATO's tables held (here the same bytes under an earlier
    date), the chapter recomputes its key results on it and says so; none moved."""
    from conftest import ROOT, chapter_params, store_path

    monkeypatch.setenv("REPORT_ASSET_DIR", str(tmp_path / "assets"))
    monkeypatch.setenv("REPORT_DEFER_SVG", "1")
    monkeypatch.setenv("REPORT_DATA_CACHE", str(ROOT / "_build" / "cache" / "data"))
    p = chapter_params("spending")
    old = f"data/raw/nato-defence-expenditure/{p['nato_vintage']}"
    earlier = old.replace(p["nato_vintage"], "2023-07-07")
    for get in (lambda rel: scratch / rel, lambda rel: store_path(scratch, rel + "/x").parent):
        src, dst = get(old), get(earlier)
        dst.mkdir(parents=True, exist_ok=True)
        for f in src.iterdir():
            (dst / f.name).write_bytes(f.read_bytes())
    r = chapter.run(**p)
    k = r.key_results
    assert not k["moved"].any() and (k["before"] == k["now"]).all()
    assert r.values["key-results-status"] == (
        "recomputed on Defence Expenditure of NATO Countries, 2024 edition and SIPRI Military "
        f"Expenditure Database, 2025 release, 0 of {len(k)} moved")


def test_path_in_latest_prices_and_the_variant(result: chapter.SpendingChapter) -> None:
    """The glued path figures are the calculation's, recomputed here from NATO's table: each
    Ally's path at the share's price base, times its own current-over-constant GDP factor."""
    p = chapter_params("spending")
    table = nato.table(p["nato_vintage"])
    members = curated.table("nato_members.csv")
    share = calc.series(table, "defence_share_gdp")
    base = share["price_base"].iloc[0]
    gdp_k, gdp_c = calc.series(table, "gdp", base), calc.series(table, "gdp", "current")
    latest = int(result.values["latest-year"])
    assert result.values["latest-prices"] == f"{latest} prices"
    factors = calc.price_factors(gdp_c, gdp_k, latest)
    growth = float(result.path_totals["growth_pct"].iloc[0])
    from analysis.data import countries
    allies = [i for i in countries.members_in(members, latest) if i in set(share["iso3"])]
    group = [i for i in calc.group_members(members, latest, p["group_regions"], p["group_extra"])
             if i in set(share["iso3"])]
    for target, key in ((p["core_pct"], "core"), (p["total_pct"], "total")):
        path = calc.in_prices_of(calc.path_to_target(
            share, gdp_k, latest_year=latest, target_year=p["target_year"], target_pct=target,
            growth_pct=growth), factors)
        at = path[path["year"] == p["target_year"]].set_index("iso3")["extra"]
        assert result.values[f"{key}-all-target-bn"] == prose.number(at[allies].sum() / 1000, 0)
        assert result.values[f"{key}-group-target-bn"] == prose.number(at[group].sum() / 1000, 0)
        total = calc.path_extra_total(path, allies, latest + 1, p["target_year"])
        assert result.values[f"{key}-all-sum-bn"] == prose.number(total / 1000, 0)
    # the variant is drawn apart: its own dashed line, named as a variant, in the drawn CSV
    drawn = result.figures["path"].spec
    names = {r["target"] for rows in drawn["datasets"].values() for r in rows}
    assert len(names) == 2 and any("variant" in n for n in names)
    # latest prices are more dollars than 2015 prices for the group (factor above 1)
    assert float(result.values["group-price-factor"]) > 1
    assert (float(result.values["core-group-target-bn"].replace(",", ""))
            > float(result.values["extra-target-bn"].replace(",", "")))


def test_published_estimates_sit_beside_ours(result: chapter.SpendingChapter) -> None:
    estimates = curated.table("defence_cost_estimates.csv")
    beside = result.tables["path-estimates"].frame
    ours = beside[beside["Who"] == "this report's own estimate"]
    assert len(ours) == 3 and len(beside) == len(ours) + len(estimates)
    assert set(ours["Value"]) == {result.values["core-group-target-bn"],
                                  result.values["core-group-gap-now-bn"],
                                  result.values["total-group-target-bn"]}
    assert list(beside["url"].iloc[3:]) == list(estimates["source_url"])


def _whatif_text(spec: dict, **values: float) -> str:
    """The what-if chart drawn by vl-convert (Vega's own engine) with its parameters set to
    ``values`` (the defaults when none): the text of its total."""
    import copy
    import re

    import vl_convert as vlc

    from analysis.publishing import figures

    spec = copy.deepcopy(spec)
    for param in spec["params"]:
        if param["name"] in values:
            param["value"] = values[param["name"]]
    svg = vlc.vegalite_to_svg(spec, vl_version=figures.vl_version())
    found = re.findall(r"<text[^>]*>(Extra in [^<]*)</tspan>|<tspan[^>]*>(Extra in [^<]*)</tspan>|"
                       r">([^<>]*in all: [^<]*)<", svg)
    return " ".join(p for m in found for p in m if p)


def test_whatif_at_its_defaults_draws_the_glued_totals(result: chapter.SpendingChapter) -> None:
    p = chapter_params("spending")
    spec = result.figures["path-whatif"].spec
    params = {q["name"]: q for q in spec["params"]}
    assert set(params) == {"growth", "target", "target_year"}
    assert all("bind" in q for q in params.values())
    assert params["target"]["value"] == p["core_pct"] and params["target_year"]["value"] == p["target_year"]
    assert params["target"]["bind"]["options"] == [p["core_pct"], p["total_pct"]]
    assert params["growth"]["value"] == float(result.path_totals["growth_pct"].iloc[0])
    text = _whatif_text(spec)
    assert f"Extra in {p['target_year']}: US$ {result.values['core-all-target-bn']} billion" in text
    assert f"in all: US$ {result.values['core-all-sum-bn']} billion" in text


def test_whatif_transforms_are_the_calculation(result: chapter.SpendingChapter) -> None:
    """Moved away from its defaults, the chart's transforms still give what the Python path
    gives for the same inputs: the straight line written twice agrees."""
    p = chapter_params("spending")
    table = nato.table(p["nato_vintage"])
    share = calc.series(table, "defence_share_gdp")
    base = share["price_base"].iloc[0]
    gdp_k, gdp_c = calc.series(table, "gdp", base), calc.series(table, "gdp", "current")
    latest = int(result.values["latest-year"])
    factors = calc.price_factors(gdp_c, gdp_k, latest)
    rows = result.figures["path-whatif"].spec
    allies = {r["iso3"] for d in rows["datasets"].values() for r in d}
    for growth, target, year in ((0.5, p["total_pct"], 2040), (3.0, p["core_pct"], 2030)):
        path = calc.in_prices_of(calc.path_to_target(
            share, gdp_k, latest_year=latest, target_year=year, target_pct=target,
            growth_pct=growth), factors)
        at = path[(path["year"] == year) & path["iso3"].isin(allies)]["extra"].sum()
        total = calc.path_extra_total(path, sorted(allies), latest + 1, year)
        text = _whatif_text(result.figures["path-whatif"].spec, growth=growth, target=target,
                            target_year=year)
        assert f"Extra in {year}: US$ {prose.number(at / 1000, 0)} billion" in text
        assert f"in all: US$ {prose.number(total / 1000, 0)} billion" in text
