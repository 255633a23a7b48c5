"""Claims chapter: each verdict function on the real data (checked against the data by an
independent route) and on small hand-made frames that flip it; verdicts that move with the data
(rerun, summary mark, verdicts.json and the build's log line); badges; the notebooks' labels and
parameters."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml

from analysis.build import pipeline
from analysis.calc import claims, spending
from analysis.calc.claims import CANNOT, NOT_SUPPORTED, PARTLY, SUPPORTED
from analysis.data import editions
from analysis.data.readers import curated, nato, sipri_transfers, usgs
from analysis.publishing import figures

NATO_VINTAGE = "2024-06-17"
DEALS_VINTAGE = "2025-03-13"
USGS_VINTAGE = "2025-01-31"


def _params(**changes: object) -> claims.Params:
    base = claims.Params(lead="USA", regions=("Europe",), extra=("CAN",), about_pp=2.0,
                         supplier="Turkiye", supplier_iso3="TUR", europe_region="Europe",
                         engine_country="United States", mining_country="China",
                         production_year="2024")
    return replace(base, **changes)


@pytest.fixture(scope="module")
def inputs() -> claims.Inputs:
    return claims.Inputs(
        claims=curated.table("claims.csv"), members=curated.table("nato_members.csv"),
        nato=nato.table(NATO_VINTAGE), deals=sipri_transfers.deals(DEALS_VINTAGE),
        timeline=curated.table("constraints_and_europe_timeline.csv"),
        dependencies=curated.table("programme_dependencies.csv"),
        context=curated.table("european_defence_industrial_context.csv"),
        minerals=curated.table("critical_minerals_facts.csv"),
        usgs=usgs.rare_earths(USGS_VINTAGE), params=_params())


@pytest.fixture(scope="module")
def verdicts(inputs: claims.Inputs) -> dict[str, claims.Verdict]:
    return claims.run(inputs)


def _rows(inputs: claims.Inputs, claim_id: str) -> pd.DataFrame:
    return claims.utterances(inputs.claims, claim_id)


# --------------------------------------------------------------------------- claims as data


def test_every_claim_of_the_table_has_a_check_and_a_statement(inputs: claims.Inputs) -> None:
    in_table = list(dict.fromkeys(inputs.claims["claim_id"]))
    assert in_table == claims.ORDER == list(claims.CHECKS) == list(claims.LABELS)
    assert len(inputs.claims) == 28  # the sidecar's coverage: 28 rows, seven claims
    side = yaml.safe_load(Path("data/curated/claims.csv.meta.yml").read_text(encoding="utf-8"))
    assert "28 rows" in side["coverage"] and "seven claims" in side["coverage"]


def test_a_claim_without_a_check_stops_the_chapter(inputs: claims.Inputs) -> None:
    extra = inputs.claims.iloc[[0]].assign(claim_id="a_new_claim")
    with pytest.raises(KeyError, match="a_new_claim"):
        claims.run(replace(inputs, claims=pd.concat([inputs.claims, extra])))


def test_the_unsourced_row_is_marked(inputs: claims.Inputs) -> None:
    rows = claims.utterances(inputs.claims, "systems_178_vs_30")
    unsourced = rows[~rows["sourced"]]
    assert list(unsourced["claimant"].str.split(",").str[0]) == ["Federica Mogherini"]
    assert unsourced["source_url"].iloc[0] == "" and pd.isna(unsourced["year"].iloc[0])
    assert rows["line"].tolist() == list(inputs.claims.index[inputs.claims["claim_id"]
                                                             == "systems_178_vs_30"])


def test_combine_and_share_rules() -> None:
    assert claims.combine([SUPPORTED, SUPPORTED]) == SUPPORTED
    assert claims.combine([CANNOT, CANNOT]) == CANNOT
    assert claims.combine([SUPPORTED, CANNOT]) == PARTLY
    assert claims.combine([PARTLY, PARTLY]) == PARTLY
    assert claims.combine([NOT_SUPPORTED, CANNOT]) == NOT_SUPPORTED
    assert claims.combine([NOT_SUPPORTED, SUPPORTED]) == PARTLY
    assert [claims.share_verdict(s, 60, 65, 2) for s in (60, 65, 66.9, 67.1, 58, 57.9)] == [
        SUPPORTED, SUPPORTED, PARTLY, NOT_SUPPORTED, PARTLY, NOT_SUPPORTED]
    with pytest.raises(ValueError):
        claims.Verdict("x", "true", pd.DataFrame(), {}, "", "", "")


# --------------------------------------------------------------------------- 1. Wales, The Hague


def _pledge_rows(wales: str | None, hague: str | None) -> pd.DataFrame:
    rows = []
    for date, text in (("2014-09-05", wales), ("2025-06-25", hague)):
        if text is not None:
            rows.append({"claim_id": "wales_2pct_hague_5pct", "claim": text,
                         "claimant": claims.OFFICIAL_CLAIMANT, "claim_date": date,
                         "date_precision": "day", "venue": "summit", "source_title": "t",
                         "source_url": "https://example.org/x", "source_date": date,
                         "quality_note": ""})
    rows.append({"claim_id": "wales_2pct_hague_5pct", "claim": "restates it",
                 "claimant": "A journalist", "claim_date": "2025-09", "date_precision": "month",
                 "venue": "article", "source_title": "t", "source_url": "https://example.org/y",
                 "source_date": "2025-09", "quality_note": ""})
    frame = pd.DataFrame(rows, index=range(2, 2 + len(rows)))
    return claims.utterances(frame, "wales_2pct_hague_5pct")


def test_wales_hague_on_nato_texts(verdicts: dict[str, claims.Verdict],
                                   inputs: claims.Inputs) -> None:
    v = verdicts["wales_2pct_hague_5pct"]
    assert v.verdict == PARTLY
    assert v.numbers["outcome"].tolist() == [PARTLY, PARTLY]
    # the figures are read from NATO's own Hague text, and its parts add up to the whole
    hague = inputs.claims[inputs.claims["claimant"].str.startswith(claims.OFFICIAL_CLAIMANT)
                          & inputs.claims["claim_date"].str.startswith("2025-06")]["claim"].iloc[0]
    for key in ("hague_pct", "core_pct", "related_pct"):
        assert f"{v.figures[key]:g}%" in hague
    assert v.figures["core_pct"] + v.figures["related_pct"] == v.figures["hague_pct"]
    assert v.numbers["line"].tolist() == [2, 3]  # NATO's rows, not the journalist's
    assert v.vintages == {"curated/claims.csv": "curated"}


@pytest.mark.parametrize(("wales", "hague", "expected"), [
    ("Allies set a new guideline of spending 2% of GDP on defence within a decade",
     "Allies committed to spend 5% of GDP a year on defence by 2035", SUPPORTED),
    ("Allies set a new guideline of spending 2% of GDP on defence",
     "Allies committed to spend 4% of GDP a year on defence by 2035", PARTLY),
    ("Allies agreed to spend 3% of GDP", "Allies committed to 4% of GDP by 2030", NOT_SUPPORTED),
    (None, None, CANNOT),
])
def test_wales_hague_flips(wales: str | None, hague: str | None, expected: str) -> None:
    v = claims.check_wales_hague(_pledge_rows(wales, hague),
                                 claims.STATEMENTS["wales_2pct_hague_5pct"])
    assert v.verdict == expected


# --------------------------------------------------------------------------- 2. the US share


def test_us_share_on_nato_figures(verdicts: dict[str, claims.Verdict],
                                  inputs: claims.Inputs) -> None:
    v = verdicts["us_share_60_65"]
    # independently: the US row over NATO's own "NATO Total" row, same table, current prices
    allies = spending.series(inputs.nato, "defence_expenditure", "current")
    totals = spending.series(inputs.nato, "defence_expenditure", "current", aggregates=True)
    latest = int(allies["year"].max())
    us = float(allies[(allies["iso3"] == "USA") & (allies["year"] == latest)]["value"].iloc[0])
    total = float(totals[(totals["country"] == "NATO Total")
                         & (totals["year"] == latest)]["value"].iloc[0])
    share = 100 * us / total
    assert v.figures["share_pct"] == pytest.approx(share, abs=0.05)
    assert v.figures["latest_year"] == str(latest) and v.figures["claim_year"] == "2025"
    assert v.figures["claim_year_covered"] == "no"  # 2025 is beyond the 2024 edition
    assert (v.figures["low_pct"], v.figures["high_pct"]) == (60.0, 65.0)  # read from the claim
    assert v.verdict == claims.share_verdict(share, 60, 65, inputs.params.about_pp)
    judged = v.numbers.set_index("claim_date")
    assert judged.loc["2019", "year_judged"] == 2019 and bool(judged.loc["2019", "covered"])
    assert judged.loc["2025-09", "year_label"] == f"{latest}e"
    contrast = v.numbers[v.numbers["kind"] != "utterance"]
    assert len(contrast) == 1 and contrast["verdict"].iloc[0] == ""  # never judged
    assert "22%" in contrast["claim"].iloc[0]
    assert v.vintages["nato-defence-expenditure"] == NATO_VINTAGE


TOY_MEMBERS = pd.DataFrame({"country": ["United States", "Germany"], "iso3": ["USA", "DEU"],
                            "accession_year": ["1949", "1955"],
                            "region": ["North America", "Europe"]})


def _toy_nato(us_share: float, members: pd.DataFrame = TOY_MEMBERS,
              years: tuple[int, ...] = (2019, 2024), vintage: str = "v2") -> pd.DataFrame:
    """A NATO table in which the US spends ``us_share`` of the total and every other Ally of the
    year an equal part of the rest."""
    rows = []
    for year in years:
        allies = [i for i in members["iso3"] if int(members.set_index("iso3").loc[i,
                                                                                 "accession_year"]) <= year]
        for iso3 in allies:
            value = us_share if iso3 == "USA" else (100 - us_share) / (len(allies) - 1)
            rows.append({"country": iso3, "iso3": iso3, "year": year, "is_estimate": False,
                         "value": value, "unit": "USD million", "price_base": "current",
                         "measure": "defence_expenditure", "is_aggregate": False})
    frame = pd.DataFrame(rows)
    frame.attrs["vintage"] = vintage
    return frame


@pytest.mark.parametrize(("share", "expected"), [(62.0, SUPPORTED), (66.5, PARTLY),
                                                 (58.5, PARTLY), (75.0, NOT_SUPPORTED)])
def test_us_share_flips(inputs: claims.Inputs, share: float, expected: str) -> None:
    v = claims.check_us_share(_rows(inputs, "us_share_60_65"), _toy_nato(share), TOY_MEMBERS,
                              claims.STATEMENTS["us_share_60_65"], lead="USA",
                              regions=["Europe"], extra=[], about_pp=2.0)
    assert v.verdict == expected
    assert v.figures["share_pct"] == pytest.approx(share)


# --------------------------------------------------------------------------- 3, 4. production


def test_production_claims_cannot_be_checked(verdicts: dict[str, claims.Verdict],
                                             inputs: claims.Inputs) -> None:
    shells = inputs.context[inputs.context["unit"].str.startswith("shells per")]
    estimates = verdicts["russia_3_months"].numbers
    assert len(estimates) == len(shells) and set(estimates["fact_id"]) == set(shells["fact_id"])
    assert claims.deciding_pair(estimates) is None
    assert verdicts["russia_3_months"].verdict == CANNOT
    assert verdicts["allies_outproduce_russia"].verdict == CANNOT
    # the spread, from the rows themselves (a monthly figure counts twelve times)
    per_year = [float(v) * (12 if u.endswith("month") else 1)
                for v, u in zip(shells["value"], shells["unit"], strict=True)]
    russia = float(shells.set_index("fact_id").loc["russia_artillery_shell_output", "value"])
    west = [p for p, f in zip(per_year, shells["fact_id"], strict=True) if not f.startswith("russia")]
    f = verdicts["russia_3_months"].figures
    assert f["russia_three_months"] == russia / 4
    assert (f["ratio_low"], f["ratio_high"]) == (russia / max(west), russia / min(west))
    assert "would be decided by" in verdicts["russia_3_months"].would_change
    ratios = verdicts["allies_outproduce_russia"].numbers
    assert len(ratios) == len(west)


def _toy_context(russia: float, nato_all: float, quality: str = "primary") -> tuple[
        pd.DataFrame, dict[str, tuple[str, str, str]]]:
    base = {"unit": "shells per year", "period": "2025", "source_title": "t",
            "source_url": "https://example.org", "source_date": "2025",
            "source_quality": quality, "quality_note": ""}
    frame = pd.DataFrame([
        {"fact_id": "ru", "value": str(russia), "description": "Russia's output", **base},
        {"fact_id": "nato", "value": str(nato_all), "description": "NATO's output", **base},
        {"fact_id": "other", "value": "5", "unit": "count", "period": "2016",
         "description": "not a shell figure", **{k: v for k, v in base.items()
                                                 if k not in ("unit", "period")}},
    ], index=[2, 3, 4])
    classes = {"ru": ("Russia", claims.RUSSIA, "output"),
               "nato": ("NATO", claims.ALL_NATO, "output")}
    return frame, classes


@pytest.mark.parametrize(("russia", "nato_all", "three_months", "outproduce"), [
    (4e6, 1e6, SUPPORTED, NOT_SUPPORTED),
    (2e6, 1e6, PARTLY, NOT_SUPPORTED),
    (1e6, 3e6, NOT_SUPPORTED, PARTLY),  # munitions yes; equipment cannot be checked
])
def test_production_claims_flip_with_comparable_output(
        inputs: claims.Inputs, russia: float, nato_all: float, three_months: str,
        outproduce: str) -> None:
    context, classes = _toy_context(russia, nato_all)
    assert claims.check_russia_three_months(
        _rows(inputs, "russia_3_months"), context, classes).verdict == three_months
    assert claims.check_allies_outproduce(
        _rows(inputs, "allies_outproduce_russia"), context, classes).verdict == outproduce


def test_estimates_from_news_reports_never_decide(inputs: claims.Inputs) -> None:
    context, classes = _toy_context(4e6, 1e6, quality="news report")
    v = claims.check_russia_three_months(_rows(inputs, "russia_3_months"), context, classes)
    assert v.verdict == CANNOT


def test_an_unclassified_shell_figure_stops_the_check(inputs: claims.Inputs) -> None:
    context, classes = _toy_context(4e6, 1e6)
    with pytest.raises(KeyError, match="nato"):
        claims.production_estimates(context, {"ru": classes["ru"]})


# --------------------------------------------------------------------------- 5. 178 against 30


def test_systems_supported_only_as_the_report_says(verdicts: dict[str, claims.Verdict],
                                                   inputs: claims.Inputs) -> None:
    v = verdicts["systems_178_vs_30"]
    facts = inputs.context.set_index("fact_id")
    assert v.verdict == SUPPORTED
    assert v.figures["count_eu"] == float(facts.loc["weapon_system_types_europe", "value"])
    assert v.figures["count_us"] == float(facts.loc["weapon_system_types_us", "value"])
    assert v.figures["quality"] == facts.loc["weapon_system_types_europe", "source_quality"]
    assert "(secondary)" in v.deciding and "says so" in v.reason
    status = v.numbers.set_index("claimant")["status"]
    assert status[status.index.str.startswith("Angela Merkel")].iloc[0] == "variant"
    assert status[status.index.str.startswith("Federica Mogherini")].iloc[0] == "unsourced"
    merkel = v.numbers[v.numbers["claimant"].str.startswith("Angela Merkel")]
    assert merkel["us_given"].iloc[0] == "fewer than 50"


@pytest.mark.parametrize(("eu", "us", "expected"), [("178", "30", SUPPORTED),
                                                    ("150", "30", NOT_SUPPORTED),
                                                    (None, None, CANNOT)])
def test_systems_flip(inputs: claims.Inputs, eu: str | None, us: str | None,
                      expected: str) -> None:
    context = inputs.context[~inputs.context["fact_id"].isin(claims.SYSTEM_FACTS.values())]
    if eu is not None:
        extra = pd.DataFrame([
            {"fact_id": claims.SYSTEM_FACTS["eu"], "value": eu, "unit": "count", "period": "2016",
             "description": "d", "source_title": "t", "source_url": "https://example.org",
             "source_date": "2017", "source_quality": "primary", "quality_note": ""},
            {"fact_id": claims.SYSTEM_FACTS["us"], "value": us, "unit": "count", "period": "2016",
             "description": "d", "source_title": "t", "source_url": "https://example.org",
             "source_date": "2017", "source_quality": "primary", "quality_note": ""}])
        context = pd.concat([context, extra], ignore_index=True)
    v = claims.check_systems(_rows(inputs, "systems_178_vs_30"), context,
                             claims.STATEMENTS["systems_178_vs_30"])
    assert v.verdict == expected
    if expected == SUPPORTED:
        assert "secondary" not in v.deciding  # a primary source is not marked


# --------------------------------------------------------------------------- 6. sales


def test_sales_found_in_sipri_and_the_timeline(verdicts: dict[str, claims.Verdict],
                                               inputs: claims.Inputs) -> None:
    v = verdicts["sales_to_european_allies"]
    assert claims.named_sales(claims.STATEMENTS["sales_to_european_allies"]) == [
        ("Poland", "drones"), ("Croatia", "drones"), ("Portugal", "replenishment ships"),
        ("Romania", "armoured land systems"), ("Estonia", "armoured land systems")]
    assert v.verdict == SUPPORTED and v.numbers["found"].all()
    # each buyer's deal is in the register itself with a supplier Turkiye row, and the
    # 'delivered' flag is the register's own number delivered
    deals = inputs.deals[inputs.deals["supplier"] == "Turkiye"]
    for r in v.numbers.itertuples():
        own = deals[deals["recipient"] == r.buyer]
        assert r.in_sipri and not own.empty
        kinds = own[own["description"].str.contains(claims.SALE_KINDS[r.kind]["sipri"])]
        assert r.any_delivered == bool((kinds["number_delivered"] > 0).any())
        assert str(r.order_years) == ", ".join(str(y) for y in sorted(kinds["order_year"].unique()))
    assert v.figures["delivered"] == "Poland"
    line = inputs.timeline.loc[int(v.numbers.set_index("buyer").loc["Portugal", "timeline_line"])]
    assert "Portugal" in line["event"] and line["category"].startswith("Export to European")
    assert v.vintages["sipri-arms-transfers"] == DEALS_VINTAGE


@pytest.mark.parametrize(("dropped", "expected"), [
    ((), SUPPORTED), (("Portugal",), PARTLY), (("Croatia", "Portugal", "Romania"), NOT_SUPPORTED)])
def test_sales_flip_when_sales_are_missing(inputs: claims.Inputs, dropped: tuple[str, ...],
                                           expected: str) -> None:
    deals = inputs.deals[~inputs.deals["recipient"].isin(dropped)]
    pattern = "|".join(dropped) or "^$"
    timeline = inputs.timeline[~inputs.timeline["event"].str.contains(pattern)]
    v = claims.check_sales(_rows(inputs, "sales_to_european_allies"), deals, timeline,
                           inputs.members, claims.STATEMENTS["sales_to_european_allies"],
                           supplier="Turkiye", europe_region="Europe", exclude=["TUR"])
    assert v.verdict == expected
    assert v.figures["missing"] == (", ".join(dropped) or "none")


# --------------------------------------------------------------------------- 7. minerals, engines


def test_minerals_and_engines_partly(verdicts: dict[str, claims.Verdict],
                                     inputs: claims.Inputs) -> None:
    v = verdicts["minerals_and_engines"]
    assert v.verdict == PARTLY
    assert v.figures["engines_part"] == SUPPORTED and v.figures["minerals_part"] == CANNOT
    assert claims.turkiye_import_facts(inputs.minerals).empty
    deps = inputs.dependencies
    for programme in claims.ENGINE_PROGRAMMES.values():
        rows = deps[(deps["programme"] == programme) & (deps["component_kind"] == "engine")
                    & (deps["supplier_country"] == "United States")]
        assert not rows.empty and rows["status"].str.startswith("in use").any()
    world = inputs.usgs[inputs.usgs["row_kind"] == "world total"]["production_2024_t"].iloc[0]
    china = inputs.usgs[inputs.usgs["country"] == "China"]["production_2024_t"].iloc[0]
    assert v.figures["mining_share_pct"] == pytest.approx(100 * china / world)
    assert "not in the staged data" in v.reason


def _with_import_fact(minerals: pd.DataFrame, value: str) -> pd.DataFrame:
    fact = pd.DataFrame([{"fact_id": "turkey_ree_imports_from_china", "value": value,
                          "unit": "percent of Türkiye's imports", "period": "2024",
                          "description": "Share of Türkiye's rare-earth imports from China",
                          "source_title": "t", "source_url": "https://example.org",
                          "source_date": "2025", "quality_note": ""}])
    return pd.concat([minerals, fact], ignore_index=True)


@pytest.mark.parametrize(("import_share", "drop_us_engines", "expected"), [
    ("80", False, SUPPORTED), ("30", False, PARTLY), (None, True, NOT_SUPPORTED),
    ("80", True, PARTLY)])
def test_minerals_and_engines_flip(inputs: claims.Inputs, import_share: str | None,
                                   drop_us_engines: bool, expected: str) -> None:
    minerals = inputs.minerals if import_share is None else _with_import_fact(inputs.minerals,
                                                                               import_share)
    deps = inputs.dependencies
    if drop_us_engines:
        deps = deps[~((deps["component_kind"] == "engine")
                      & (deps["supplier_country"] == "United States"))]
    v = claims.check_minerals_engines(_rows(inputs, "minerals_and_engines"), deps, minerals,
                                      inputs.usgs, engine_country="United States",
                                      mining_country="China", production_column="production_2024_t")
    assert v.verdict == expected


# --------------------------------------------------------------------------- moving with the data


def test_no_previous_vintage_of_any_file_is_held_today(verdicts: dict[str, claims.Verdict],
                                                        inputs: claims.Inputs, root: Path) -> None:
    for source, vintage, name in [(nato.SOURCE, NATO_VINTAGE, nato.TABLES_FILE),
                                  (sipri_transfers.SOURCE, DEALS_VINTAGE,
                                   sipri_transfers.DEALS_FILE),
                                  (usgs.SOURCE, USGS_VINTAGE, usgs.RARE_EARTHS_FILE)]:
        assert editions.previous_vintage(root, source, vintage, name) is None
    previous = claims.rerun(inputs, {})
    table = claims.summary(verdicts, previous)
    assert not table["changed"].any()
    assert set(table["change"]) == {"no previous vintage held"}


def test_a_new_vintage_that_changes_a_verdict_is_marked_and_printed(
        inputs: claims.Inputs, tmp_path: Path) -> None:
    members = inputs.members
    toy = replace(inputs, nato=_toy_nato(62.0, members, vintage="2026-06-01"))
    older = _toy_nato(71.0, members, vintage="2025-06-01")
    current = claims.run(toy)
    previous = claims.rerun(toy, {"nato": older})
    assert current["us_share_60_65"].verdict == SUPPORTED
    assert previous["us_share_60_65"].verdict == NOT_SUPPORTED
    assert previous["wales_2pct_hague_5pct"] is None  # reads no NATO table
    table = claims.summary(current, previous).set_index("claim_id")
    assert bool(table.loc["us_share_60_65", "changed"])
    assert table.loc["us_share_60_65", "change"] == (
        "changed since vintage nato-defence-expenditure 2025-06-01 (was not supported)")
    assert table["changed"].sum() == 1
    unchanged = claims.rerun(toy, {"nato": _toy_nato(63.0, members, vintage="2025-06-01")})
    assert claims.summary(current, unchanged).set_index("claim_id").loc[
        "us_share_60_65", "change"] == "unchanged since vintage nato-defence-expenditure 2025-06-01"

    # the chapter writes verdicts.json; the build prints each change from it
    key = "k1"
    assets = tmp_path / "claims" / key / "assets"
    assets.mkdir(parents=True)
    (assets / "verdicts.json").write_text(claims.verdicts_json(current, previous), encoding="utf-8")
    records = json.loads((assets / "verdicts.json").read_text(encoding="utf-8"))
    assert {r["claim_id"] for r in records} == set(claims.ORDER)
    results = [pipeline.ChapterResult("claims", True, 1.0, key)]
    assert pipeline.verdict_changes(tmp_path, results) == [
        "claim us_share_60_65: not supported -> supported"]
    assert pipeline.verdict_changes(tmp_path, [pipeline.ChapterResult("exports", True, 1.0, key)]) == []
    (assets / "verdicts.json").write_text(claims.verdicts_json(current, unchanged), encoding="utf-8")
    assert pipeline.verdict_changes(tmp_path, results) == []


def test_rerun_only_replaces_raw_sources(inputs: claims.Inputs) -> None:
    with pytest.raises(KeyError, match="claims"):
        claims.rerun(inputs, {"claims": inputs.claims})


# --------------------------------------------------------------------------- badges


def _css_colours(root: Path) -> dict[str, str]:
    css = (root / "book_static/report.css").read_text(encoding="utf-8")
    return dict(re.findall(r"\.(report-badge-[a-z]+) \{ background: (#[0-9A-Fa-f]{6}); \}", css))


def test_every_verdict_has_a_badge_colour_with_contrast(root: Path) -> None:
    colours = _css_colours(root)
    assert set(figures.VERDICT_CLASSES) == set(claims.VERDICTS)
    for verdict, css_class in figures.VERDICT_CLASSES.items():
        assert css_class in colours, verdict
        assert figures.contrast_ratio("#ffffff", colours[css_class]) >= 4.5, verdict
    assert len(set(colours.values())) == len(claims.VERDICTS)  # four distinct colours


def test_badges_print_the_word_and_escape(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(figures.ASSET_DIR_ENV, str(tmp_path))
    assert figures.badge_html(PARTLY) == (
        "<span class='report-badge report-badge-partly'>partly supported</span>")
    with pytest.raises(ValueError):
        figures.badge_html("<b>true</b>")
    frame = pd.DataFrame({"Claim": ["<script>x</script>"], "Section": ["#claim-x"],
                          "Verdict": [CANNOT]})
    out = figures.badge_table("t", frame, source="s", caption="c", badges=("Verdict",),
                              links=(("Claim", "Section"),)).html()
    assert "<script>x" not in out and "&lt;script&gt;x&lt;/script&gt;" in out
    assert '<a href="#claim-x">' in out and "report-badge-unchecked" in out
    assert "Section" not in out  # the link target column is in the CSV only
    assert "Section" in (tmp_path / "table-scratch-t.csv").read_text(encoding="utf-8")
    bad = frame.assign(Section=["https://example.org/"])
    with pytest.raises(ValueError, match="within the book"):
        figures.badge_table("t", bad, source="s", caption="c", badges=("Verdict",),
                            links=(("Claim", "Section"),)).html()


# --------------------------------------------------------------------------- the notebooks


def _markdown(root: Path, name: str) -> str:
    nb = nbformat.read(root / f"chapters/{name}.ipynb", as_version=4)
    for cell in nb.cells:
        assert not cell.get("outputs"), f"{name}.ipynb is committed with outputs"
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_each_claim_has_its_section_and_the_intro_its_label(root: Path) -> None:
    text = _markdown(root, "claims")
    assert text.startswith("(chapter-claims)=\n# ")
    for claim_id in claims.ORDER:
        assert f"({claims.anchor(claim_id)})=\n## " in text, claim_id
    assert _markdown(root, "intro").startswith("(intro)=\n# ")
    assert not (root / "chapters/intro.md").exists()
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = [c["file"] for c in toc["chapters"]]
    assert toc["root"] == "chapters/intro"
    assert files.index("chapters/claims") == files.index("chapters/constraints") + 1


#: Parameters of the claims chapter and the introduction that must equal another chapter's.
SHARED = {
    "claims": {"nato_vintage": ("spending", "nato_vintage"),
               "deals_vintage": ("exports", "deals_vintage"),
               "usgs_vintage": ("constraints", "usgs_vintage"),
               "lead_country": ("spending", "lead_country"),
               "group_regions": ("spending", "group_regions"),
               "group_extra": ("spending", "group_extra"),
               "europe_region": ("exports", "europe_region"),
               "production_year": ("constraints", "production_year"),
               "mining_country": ("constraints", "mining_country")},
    "intro": {"nato_vintage": ("spending", "nato_vintage"),
              "lead_country": ("spending", "lead_country"),
              "group_regions": ("spending", "group_regions"),
              "group_extra": ("spending", "group_extra"),
              "deliveries_vintage": ("exports", "deliveries_vintage"),
              "deals_vintage": ("exports", "deals_vintage"),
              "exports_first_year": ("exports", "first_year"),
              "exports_last_year": ("exports", "last_year"),
              "window_length": ("exports", "window_length"),
              "europe_region": ("exports", "europe_region"),
              "usgs_vintage": ("constraints", "usgs_vintage"),
              "production_year": ("constraints", "production_year"),
              "mining_country": ("constraints", "mining_country"),
              "about_pp": ("claims", "about_pp"),
              "engine_country": ("claims", "engine_country")},
}


def test_parameters_agree_with_the_chapters_they_reproduce(root: Path) -> None:
    params = pipeline.load_params(root)
    for chapter, shared in SHARED.items():
        for key, (other, other_key) in shared.items():
            assert params[chapter][key] == params[other][other_key], (chapter, key)
    assert {c.name for c in pipeline.chapters(root)} >= {"claims", "intro"}  # checked on load
