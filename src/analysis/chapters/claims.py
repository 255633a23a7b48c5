"""The claims chapter: the debate's public claims against the data. :func:`run` takes the
chapter's parameters and returns :class:`ClaimsChapter`.

The checks are :mod:`analysis.calc.claims`'s (one module per claim, listed in
:data:`analysis.calc.claims.registry.CLAIMS`); this module loads the validated tables, runs the checks
on the current and the previous vintage of each file, writes the verdicts for the build
(:data:`VERDICTS_FILE`, read by :func:`read_verdicts`), and publishes the tables, charts and
badges the notebook glues.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.calc import claims, constraints, prose, spending
from analysis.calc.claims import allies, production, us_share
from analysis.calc.claims import base as claims_base
from analysis.chapters.result import ChapterResult
from analysis.data import countries, editions, sources
from analysis.data.readers import curated, nato, sipri_transfers, usgs
from analysis.publishing import charts, figures
from analysis.publishing.figures import Figure, Table
from analysis.publishing.tables import linked_table

#: The file the chapter writes beside its charts, which the build reads (:func:`read_verdicts`).
VERDICTS_FILE = "verdicts.json"
#: Claims whose utterances are listed with the figures judged, not in a table of their own.
LISTED_WITH_FIGURES = ("us_share_60_65", "systems_178_vs_30")


@dataclass(frozen=True, kw_only=True)
class ClaimsChapter(ChapterResult):
    """The chapter's glued values, tables, figures and badges, and the verdicts behind them."""

    verdicts: Mapping[str, claims.Verdict]  #: each claim's verdict on the current vintages
    previous: Mapping[str, claims.Verdict | None]  #: the same on the previous vintage, if held
    summary: pd.DataFrame  #: one row per claim (:func:`analysis.calc.claims.summary`)


def source_checks(rows: pd.DataFrame) -> list[str]:
    """A short word on each row's source for the page, from its note (the full note is in the
    table's CSV): no page found, an attribution the compiler could not verify, or as sourced."""
    return ["no page found" if not s else "attribution unverified" if "unverified" in n.lower()
            else "as sourced" for s, n in zip(rows["sourced"], rows["quality_note"], strict=True)]


def who_said_it(key: str, claims_table: pd.DataFrame, claim_id: str) -> Table:
    """The table of a claim's utterances: who, when, where, and the page (linked)."""
    rows = claims.utterances(claims_table, claim_id)
    shown = rows.assign(
        said=[d if d else "date unknown" for d in rows["claim_date"]],
        source=[t if s else "source not found" for t, s in zip(rows["source_title"],
                                                                rows["sourced"], strict=True)],
        check=source_checks(rows),
    ).rename(columns={"said": "When", "claimant": "Who", "claim": "What was said (paraphrased)",
                      "venue": "Where", "source": "Source", "source_url": "Source address",
                      "check": "Source check", "quality_note": "Note on the source",
                      "line": "Line in claims.csv"})[
        ["When", "Who", "What was said (paraphrased)", "Source", "Source address", "Source check",
         "Where", "Note on the source", "Line in claims.csv"]]
    return linked_table(
        f"{key}-who", shown, links=[("Source", "Source address")],
        hidden=["Where", "Note on the source", "Line in claims.csv"],
        source=f"{claims_table.attrs['source_note']}; each row's source is linked",
        caption="Who made the claim and when, with the page each row rests on")


def evidence_table(key: str, v: claims.Verdict, *, source: str) -> Table:
    """The evidence a claim's verdict weighed under the one standard: grade, date, whether it
    measures the claim's own quantity, announced or not, and whether it may decide (and why
    not)."""
    e = v.evidence
    shown = e.assign(
        like=["yes" if x else "no" for x in e["like_for_like"]],
        ann=["announced" if x else "" for x in e["announced"]],
        ok=["yes" if x else f"no: {w}" for x, w in zip(e["admissible"], e["why_not"],
                                                        strict=True)],
    ).rename(columns={"part": "Part of the claim", "evidence": "Evidence",
                      "grade": "Source grade", "published": "Published",
                      "timing": "Against the claim's date", "like": "Measures the claim's quantity",
                      "ann": "Announced", "caveat": "Caveat", "ok": "May decide"})[
        ["Part of the claim", "Evidence", "Source grade", "Published",
         "Against the claim's date", "Measures the claim's quantity", "Announced", "Caveat",
         "May decide"]]
    return figures.table(key, shown, source=source,
                         caption="The evidence weighed under the report's one evidence standard")


def read_verdicts(assets: Path) -> list[dict[str, Any]]:
    """The verdicts a run of the chapter wrote into its assets folder (``[]`` when none)."""
    path = assets / VERDICTS_FILE
    if not path.exists():
        return []
    records: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return records


@dataclass(frozen=True)
class _Loader:
    load: Callable[[str], pd.DataFrame]
    source: str
    filename: str


#: The raw files the checks read, by frame of :class:`analysis.calc.claims.Inputs`.
LOADERS: dict[str, _Loader] = {
    "nato": _Loader(nato.table, nato.SOURCE, nato.TABLES_FILE),
    "deals": _Loader(sipri_transfers.deals, sipri_transfers.SOURCE, sipri_transfers.DEALS_FILE),
    "usgs": _Loader(usgs.rare_earths, usgs.SOURCE, usgs.RARE_EARTHS_FILE),
}


def inputs(*, nato_vintage: str, deals_vintage: str, usgs_vintage: str, lead_country: str,
           group_regions: list[str], group_extra: list[str], about_pp: float, supplier: str,
           europe_region: str, engine_country: str, mining_country: str) -> claims.Inputs:
    """The validated frames and parameters the checks read."""
    supplier_iso3 = countries.to_iso3([supplier])[0]
    if supplier_iso3 is None:
        raise ValueError(f"supplier {supplier!r} is not a country of analysis.countries")
    params = claims.Params(
        lead=lead_country, regions=tuple(group_regions), extra=tuple(group_extra),
        about_pp=about_pp, supplier=supplier, supplier_iso3=supplier_iso3,
        europe_region=europe_region, engine_country=engine_country,
        mining_country=mining_country)
    return claims.Inputs(
        claims=curated.table("claims.csv"), claimed=curated.table(claims.FIGURES_FILE),
        claimed_sales=curated.table(claims.SALES_FILE),
        members=curated.table("nato_members.csv"), nato=nato.table(nato_vintage),
        deals=sipri_transfers.deals(deals_vintage),
        timeline=curated.table("constraints_and_europe_timeline.csv"),
        dependencies=curated.table("programme_dependencies.csv"),
        context=curated.table("european_defence_industrial_context.csv"),
        minerals=curated.table("critical_minerals_facts.csv"),
        usgs=usgs.rare_earths(usgs_vintage),
        headlines=curated.table("published_headlines.csv"), params=params)


def _verdict_values(verdicts: Mapping[str, claims.Verdict], summary: pd.DataFrame,
                    values: dict[str, str], inline: dict[str, Any]) -> None:
    by_claim = summary.set_index("claim_id")
    for claim in claims.CLAIMS:
        v, k = verdicts[claim.claim_id], claim.key
        values.update({
            f"{k}-statement": claim.statement, f"{k}-label": claim.label,
            f"{k}-verdict": v.verdict, f"{k}-reason": v.reason, f"{k}-deciding": v.deciding,
            f"{k}-would-change": v.would_change,
            f"{k}-vintage": by_claim.loc[claim.claim_id, "vintages"],
            f"{k}-change": by_claim.loc[claim.claim_id, "change"],
        })
        inline[f"{k}-badge"] = figures.Badge(v.verdict)


def _wales(i: claims.Inputs, v: claims.Verdict, values: dict[str, str],
           tables: dict[str, Table]) -> None:
    pledges = v.numbers.rename(columns={
        "part": "Part of the claim", "nato_text_date": "NATO text dated",
        "nato_text": "NATO's text (paraphrased in claims.csv)", "finding": "What the text shows",
        "outcome": "Outcome", "source_title": "Source", "source_url": "Source address",
        "line": "Line in claims.csv"})[
        ["Part of the claim", "NATO text dated", "NATO's text (paraphrased in claims.csv)",
         "What the text shows", "Outcome", "Source", "Source address", "Line in claims.csv"]]
    tables["wales-parts"] = linked_table(
        "wales-parts", pledges, links=[("Source", "Source address")],
        hidden=["NATO's text (paraphrased in claims.csv)", "Line in claims.csv"],
        source=f"{i.claims.attrs['source_note']}; each row's source is linked",
        caption="Each half of the claim against NATO's own summit texts")
    wales_pct = float(v.figures["wales_pct"])
    # context from the spending chapter's functions: who met 2% in the Wales year and the latest
    shares = spending.shares_of_gdp(spending.series(i.nato, "defence_share_gdp"), i.members)
    first_year, last_year = int(shares["year"].min()), int(shares["year"].max())
    n_first, of_first = spending.count_at_or_above(shares, first_year, wales_pct)
    n_last, of_last = spending.count_at_or_above(shares, last_year, wales_pct)
    values.update({
        "wales-core": prose.percent(float(v.figures["core_pct"]), 1),
        "wales-related": prose.percent(float(v.figures["related_pct"]), 1),
        "wales-total": prose.percent(float(v.figures["hague_pct"]), 0),
        "wales-pct": prose.percent(wales_pct, 0),
        "allies-2pct-first": prose.count(n_first), "allies-first": prose.count(of_first),
        "allies-2pct-last": prose.count(n_last), "allies-last": prose.count(of_last),
        "first-year": str(first_year),
        "last-label": shares.loc[shares["year"] == last_year, "year_label"].iloc[0],
    })


def _us_share(i: claims.Inputs, v: claims.Verdict, values: dict[str, str],
              tables: dict[str, Table], figs: dict[str, Figure]) -> None:
    p = i.params
    nato_source = i.nato.attrs["source_note"]
    by_year = claims.us_share_by_year(i.nato, i.members, lead=p.lead, regions=p.regions,
                                      extra=p.extra)
    drawn = by_year[["year", "year_label", "is_estimate", "share_pct"]]
    low, high = float(v.figures["low_pct"]), float(v.figures["high_pct"])
    rules = pd.DataFrame({"value": [low, high],
                          "label": [f"claimed {low:g}%", f"claimed {high:g}%"]})
    lead_name = i.members.set_index("iso3").loc[p.lead, "country"]
    first, last = drawn["year_label"].iloc[0], drawn["year_label"].iloc[-1]
    chart = charts.share_against_claim(
        drawn, x="year_label", y="share_pct", x_title="Year (e = NATO estimate)",
        y_title="US share of all Allies' defence expenditure (%)", rules=rules,
        heading=charts.title("The US share of all Allies' defence spending against the claim",
                             [(f"% of the Allies' total, current US dollars, NATO's figures, "
                              f"{first}-{last}"),
                              f"Dashed lines: the claimed {low:g} to {high:g}%"]))
    figs["us-chart"] = figures.figure(
        "us-chart", chart, data=drawn, source=nato_source,
        description=(f"Line of {lead_name}'s share of all Allies' defence expenditure by year, "
                     f"{first} to {last}, with dashed lines at the claimed {low:g}% and "
                     f"{high:g}%; the latest share is "
                     f"{prose.percent(float(v.figures['share_pct']), 1)}."))
    n = v.numbers
    judged = n.rename(columns={
        "claim_date": "Said", "claimant": "Who", "claim": "What was said (paraphrased)",
        "kind": "What the row is", "compared_with": "Compared with",
        "us_share_pct": "US share by NATO's figures (%)", "verdict": "Label",
        "timing": "Figure's timing", "source_title": "Source",
        "source_url": "Source address", "line": "Line in claims.csv"})[
        ["Said", "Who", "What was said (paraphrased)", "What the row is", "Compared with",
         "US share by NATO's figures (%)", "Label", "Source", "Source address",
         "Figure's timing", "Line in claims.csv"]]
    tables["us-judged"] = linked_table(
        "us-judged", judged, links=[("Source", "Source address")],
        hidden=["Figure's timing", "Line in claims.csv"],
        source=(f"{nato_source}; {i.headlines.attrs['source_note']}; "
                f"{i.claims.attrs['source_note']}"),
        caption="Each row of the claim, what it is and what it is compared with",
        formats={"US share by NATO's figures (%)": ",.1f"})
    contrast = n[n["kind"] == us_share.KIND_CONTRAST]
    f = v.figures
    values.update({
        "us-share": prose.percent(float(v.figures["share_pct"]), 1),
        "us-basis": ("NATO's announced figures" if f.get("basis") == "announced"
                     else "NATO's tables"),
        "us-basis-caveat": str(f.get("basis_caveat", "")) or "none",
        "us-basis-published": prose.date(str(f.get("basis_published", ""))[:10])
        if claims_base.date_prefix(f.get("basis_published", "")) else "",
        "us-file-share": prose.percent(float(f["file_share_pct"]), 1),
        "us-file-year": str(f["file_year_label"]),
        "us-n-reports": prose.count(int(f["n_reports"])),
        "us-n-reports-consistent": prose.count(int(f["n_reports_consistent"])),
        "us-year": str(v.figures["year_label"]),
        "us-claim-year": str(v.figures["claim_year"]),
        "us-latest-year": str(v.figures["latest_year"]),
        "us-first-year": str(v.figures["first_year"]),
        "us-first-share": prose.percent(float(v.figures["first_share_pct"]), 1),
        "us-peak-share": prose.percent(float(v.figures["peak_share_pct"]), 1),
        "us-peak-year": str(v.figures["peak_year"]),
        "us-low": prose.percent(low, 0), "us-high": prose.percent(high, 0),
        "us-about": prose.number(p.about_pp, 1),
        "us-contrast": "; ".join(contrast["claim"].str.removeprefix("Contrast: ")) or "none",
    })


def _production(i: claims.Inputs, russia: claims.Verdict, allied: claims.Verdict,
                values: dict[str, str], tables: dict[str, Table],
                figs: dict[str, Figure]) -> None:
    context_source = i.context.attrs["source_note"]
    estimates, spread = russia.numbers, russia.figures
    order = [production.RUSSIA, production.PART_OF_NATO, production.ALL_NATO]
    dots = estimates.assign(
        estimate=estimates["who"] + ": " + estimates["measure"] + " (" + estimates["period"] + ")",
        shells_m=estimates["shells_per_year"] / 1e6,
    )[["estimate", "who", "side", "measure", "period", "shells_m", "source_title",
       "source_quality"]]
    reference = pd.DataFrame({"value": [float(spread["russia_three_months"]) / 1e6],
                              "label": ["Russia's estimate, three months"]})
    chart = charts.estimate_dots(
        dots, x="shells_m", y="estimate", colour="side",
        colour_order=[s for s in order if s in set(dots["side"])],
        x_title="Artillery shells a year (millions)",
        heading=charts.title("Estimates of artillery-shell production: Russia and parts of NATO",
                             [("Shells a year (millions), as reported; each dot a different measure "
                              "(output, capacity, goal, supply to Ukraine) and period"),
                              "Dashed line: a quarter of Russia's estimated yearly output"]),
        tooltips=[("estimate", "Estimate", ""), ("shells_m", "Shells a year (millions)", ",.2f"),
                  ("source_title", "Source", ""), ("source_quality", "Source quality", "")],
        reference=reference)
    figs["russia-chart"] = figures.figure(
        "russia-chart", chart, data=dots, source=context_source,
        description=(f"Dot chart of {len(dots)} estimates of artillery-shell production in "
                     "millions a year: Russia's estimated output and figures for parts of NATO "
                     "that measure capacity, goals or supply to Ukraine, with a dashed line at a "
                     "quarter of Russia's yearly estimate."))
    estimate_rows = estimates.rename(columns={
        "who": "Who", "measure": "What the figure measures", "period": "Period",
        "shells_per_year": "Shells a year", "description": "Description in the source",
        "source_quality": "Source quality", "source_title": "Source",
        "source_url": "Source address", "source_date": "Source dated", "side": "Side",
        "line": "Line in the curated file"})[
        ["Who", "What the figure measures", "Period", "Shells a year", "Source quality", "Source",
         "Source address", "Description in the source", "Side", "Source dated",
         "Line in the curated file"]]
    tables["russia-estimates"] = linked_table(
        "russia-estimates", estimate_rows, links=[("Source", "Source address")],
        hidden=["Description in the source", "Side", "Source dated", "Line in the curated file"],
        source=f"{context_source}; each row's source is linked",
        caption="Every shell-production estimate the report's data hold, with its source",
        formats={"Shells a year": ",.0f"})
    said = claims.utterances(i.claims, russia.claim_id)["claim_date"].sort_values()
    n_primary = int((estimates["source_quality"] == claims.DECIDING_QUALITY).sum())
    values.update({
        "russia-n": prose.count(int(spread["n_estimates"])),
        "russia-per-year": prose.number(float(spread["russia_per_year"]) / 1e6, 1),
        "russia-quarter": prose.number(float(spread["russia_three_months"]) / 1e6, 2),
        "russia-period": str(spread["russia_period"]),
        "russia-quality": str(spread["russia_quality"]),
        "west-low": prose.number(float(spread["west_low"]) / 1e6, 1),
        "west-high": prose.number(float(spread["west_high"]) / 1e6, 1),
        "ratio-low": prose.number(float(spread["ratio_low"]), 1),
        "ratio-high": prose.number(float(spread["ratio_high"]), 1),
        "russia-first-said": said.iloc[0], "russia-last-said": said.iloc[-1],
        "russia-n-primary": prose.count(n_primary),
    })
    ratio_rows = allied.numbers.rename(columns={
        "who": "Western figure: who", "measure": "What it measures", "period": "Period",
        "shells_per_year": "Shells a year", "russia_per_year": "Russia, shells a year",
        "russia_period": "Russia's period", "russia_over_west": "Russia's year over it",
        "quarter_over_west": "Russia's three months over it",
        "source_quality": "Source quality"})[
        ["Western figure: who", "What it measures", "Period", "Shells a year",
         "Russia's year over it", "Russia's three months over it"]]
    tables["allies-ratios"] = figures.table(
        "allies-ratios", ratio_rows, source=f"{context_source}; ratios are ours",
        caption="Russia's estimate against each Western figure: none is like for like",
        formats={"Shells a year": ",.0f",
                 "Russia's year over it": ",.2f", "Russia's three months over it": ",.2f"})
    reversal = allies.reversal(i.claims)
    values["allies-reversal-date"] = reversal["claim_date"]
    values["allies-reversal-venue"] = reversal["venue"]


def _systems(i: claims.Inputs, v: claims.Verdict, values: dict[str, str],
             tables: dict[str, Table]) -> None:
    system_rows = v.numbers.assign(
        source=[t if t else "source not found" for t in v.numbers["source_title"]],
        said=[d if d else "date unknown" for d in v.numbers["claim_date"]],
    ).rename(columns={
        "said": "When", "claimant": "Who", "claim": "What was said (paraphrased)",
        "europe_given": "Europe's figure given", "us_given": "US figure given", "status": "Status",
        "source": "Source", "source_url": "Source address", "line": "Line in claims.csv"})[
        ["When", "Who", "What was said (paraphrased)", "Europe's figure given", "US figure given",
         "Status", "Source", "Source address", "Line in claims.csv"]]
    tables["systems-rows"] = linked_table(
        "systems-rows", system_rows, links=[("Source", "Source address")],
        hidden=["Line in claims.csv"],
        source=f"{i.claims.attrs['source_note']}; each row's source is linked",
        caption="Each utterance of the comparison and the figures it gives")
    f = v.figures
    first_said = claims.utterances(i.claims, v.claim_id).iloc[0]
    values.update({
        "systems-eu": prose.count(int(f["count_eu"])),
        "systems-us": prose.count(int(f["count_us"])),
        "systems-period": str(f["period"]), "systems-quality": str(f["quality"]),
        "systems-source": str(f["source_title"]),
        "systems-n-variants": prose.count(int(f["n_variants"])),
        "systems-n-unsourced": prose.count(int(f["n_unsourced"])),
        "systems-n": prose.count(int(f["n_utterances"])),
        "systems-report-year": first_said["claim_date"][:4],
    })


def _sales(i: claims.Inputs, v: claims.Verdict, deals_vintage: str, values: dict[str, str],
           tables: dict[str, Table]) -> None:
    n = v.numbers
    sale_rows = n.assign(
        sipri=["yes" if s else "no" for s in n["in_sipri"]],
        in_timeline=["yes" if s else "no" for s in n["in_timeline"]],
        delivered=["yes" if s else "not yet" for s in n["any_delivered"]],
    ).rename(columns={
        "buyer": "Buyer", "kind": "Named in the claim", "sipri": "In SIPRI's deals register",
        "sipri_deals": "SIPRI deal(s)", "delivered": "Deliveries begun (SIPRI)",
        "in_timeline": "In the timeline", "timeline_date": "Signed (timeline)",
        "timeline_event": "Timeline event", "source_title": "Source",
        "source_url": "Source address", "timeline_line": "Line in the timeline"})[
        ["Buyer", "Named in the claim", "In SIPRI's deals register", "SIPRI deal(s)",
         "Deliveries begun (SIPRI)", "In the timeline", "Signed (timeline)", "Timeline event",
         "Source", "Source address", "Line in the timeline"]]
    tables["sales-rows"] = linked_table(
        "sales-rows", sale_rows, links=[("Source", "Source address")],
        hidden=["Timeline event", "Line in the timeline"],
        source=(f"{i.deals.attrs['source_note']}; {i.timeline.attrs['source_note']}; each "
                "event's source is linked"),
        caption="Each sale the claim names, in SIPRI's deals register and in the timeline")
    f = v.figures
    values.update({
        "sales-n": prose.count(int(f["n_named"])), "sales-found": prose.count(int(f["n_found"])),
        "sales-sipri": prose.count(int(f["n_in_sipri"])),
        "sales-timeline": prose.count(int(f["n_in_timeline"])),
        "sales-delivered": str(f["delivered"]), "sales-first-order": str(f["first_order"]),
        "sales-last-order": str(f["last_order"]),
        "supplier-name": i.members.set_index("iso3").loc[i.params.supplier_iso3, "country"],
        "deals-edition": sources.resolve(sipri_transfers.SOURCE, deals_vintage,
                                         sipri_transfers.DEALS_FILE).meta["edition"],
    })


def _engines(i: claims.Inputs, v: claims.Verdict, values: dict[str, str],
             tables: dict[str, Table]) -> None:
    deps_source = i.dependencies.attrs["source_note"]
    parts = v.numbers.rename(columns={"part": "Part of the claim", "outcome": "Outcome",
                                      "evidence": "What the report's data show"})
    tables["engines-parts"] = figures.table(
        "engines-parts", parts, source=f"{deps_source}; {i.minerals.attrs['source_note']}",
        caption="The two parts of the claim", sortable=False)
    rows = claims.engine_dependencies(i.dependencies, i.params.engine_country)
    shown = rows.assign(
        status_at=[f"{s}, {constraints.date_with_precision(d, p)}" for s, d, p in
                   zip(rows["status"], rows["status_date"], rows["date_precision"], strict=True)],
        depends=["yes" if d else "no" for d in rows["depends"]],
    ).rename(columns={
        "flagship": "Programme", "dependency": "Engine or licence", "supplier_country": "From",
        "status_at": "Status at its date", "depends": "Counted as an engine it depends on",
        "effect": "Effect", "source_title": "Source", "source_url": "Source address",
        "line": "Line in the dependency table"})[
        ["Programme", "Engine or licence", "From", "Status at its date",
         "Counted as an engine it depends on", "Source", "Source address", "Effect",
         "Line in the dependency table"]]
    tables["engines-rows"] = linked_table(
        "engines-rows", shown, links=[("Source", "Source address")],
        hidden=["Effect", "Line in the dependency table"],
        source=f"{deps_source}; each row's source is linked",
        caption="Engines and engine licences of the fighter and the jet trainer")
    f = v.figures
    values.update({
        "engines-mining-share": prose.percent(float(f["mining_share_pct"])),
        "engines-mining-year": str(f["mining_year"]),
        "engines-mining-country": i.params.mining_country,
        "engines-n": prose.count(int(f["n_programmes"])),
        "engines-n-depending": prose.count(int(f["n_depending"])),
        "engines-n-import-facts": prose.count(int(f["n_import_facts"])),
        "engines-part": str(f["engines_part"]), "minerals-part": str(f["minerals_part"]),
    })


def run(*, nato_vintage: str, deals_vintage: str, usgs_vintage: str, lead_country: str,
        group_regions: list[str], group_extra: list[str], about_pp: float, supplier: str,
        europe_region: str, engine_country: str, mining_country: str) -> ClaimsChapter:
    """Check every claim on the current and the previous vintages, write the verdicts for the
    build and publish the chapter for these parameters (see ``chapters/params.yml``)."""
    i = inputs(nato_vintage=nato_vintage, deals_vintage=deals_vintage, usgs_vintage=usgs_vintage,
               lead_country=lead_country, group_regions=group_regions, group_extra=group_extra,
               about_pp=about_pp, supplier=supplier, europe_region=europe_region,
               engine_country=engine_country, mining_country=mining_country)
    verdicts = claims.run(i)
    # the same verdicts on the previous vintage of each file, where one is held
    root = sources.project_root()
    current = {"nato": nato_vintage, "deals": deals_vintage, "usgs": usgs_vintage}
    previous_vintages = {name: editions.previous_vintage(root, loader.source, current[name],
                                                         loader.filename)
                         for name, loader in LOADERS.items()}
    previous_frames = {name: LOADERS[name].load(v) for name, v in previous_vintages.items() if v}
    previous = claims.rerun(i, previous_frames)
    summary = claims.summary(verdicts, previous)
    (figures.asset_dir() / VERDICTS_FILE).write_text(claims.verdicts_json(verdicts, previous),
                                                     encoding="utf-8")

    values: dict[str, str] = {}
    tables: dict[str, Table] = {}
    figs: dict[str, Figure] = {}
    inline: dict[str, Any] = {}
    _verdict_values(verdicts, summary, values, inline)
    counts = summary["verdict"].value_counts()
    held_previous = [f"{LOADERS[n].source} {v}" for n, v in previous_vintages.items() if v]
    unsourced = i.claims[i.claims["quality_note"].str.lower().str.startswith(claims.UNSOURCED)]
    values.update({
        "n-claims": prose.count(len(summary)),
        "n-claims-words": prose.count_words(len(summary)),
        **{key: prose.count(int(counts.get(verdict, 0))) for verdict, key in [
            (claims.SUPPORTED, "n-supported"), (claims.PARTLY, "n-partly"),
            (claims.NOT_SUPPORTED, "n-not"), (claims.CANNOT, "n-cannot")]},
        "n-changed": prose.count(int(summary["changed"].sum())),
        "previous-held": (("the previous vintage of " + ", ".join(held_previous)) if held_previous
                          else "no previous vintage of any file the checks read (each source is "
                               "held in one vintage of each file today), so no verdict can be "
                               "marked as changed yet"),
        "n-utterances": prose.count(len(i.claims)),
        "n-unsourced": prose.count(len(unsourced)),
    })
    # the introduction pastes this table, the engine sentence and the count of decidable claims
    engines = verdicts["minerals_and_engines"].figures
    n_programmes, n_depending = int(engines["n_programmes"]), int(engines["n_depending"])
    which = ("both" if n_depending == n_programmes == 2 else
             f"all {prose.count(n_programmes)}" if n_depending == n_programmes else
             f"{prose.count(n_depending)} of the {prose.count(n_programmes)}")
    values["engine-programmes"] = (f"{which} of its flagship aircraft programmes, the "
                                   f"{' and the '.join(claims.ENGINE_PROGRAMMES.values())},")
    values["n-claims-checkable"] = prose.count(int((summary["verdict"] != claims.CANNOT).sum()))
    tables["summary"] = figures.badge_table(
        "summary", claims.summary_table(summary, page="claims.html"),
        source=(f"Verdicts: this report's checks; {i.claims.attrs['source_note']}; "
                f"{i.nato.attrs['source_note']}; {i.deals.attrs['source_note']}; "
                f"{i.usgs.attrs['source_note']}; curated tables as named in each row"),
        caption=(f"The {prose.count_words(len(summary))} claims and their verdicts (click a claim "
                 "for its section)"),
        badges=claims.SUMMARY_BADGES, links=claims.SUMMARY_LINKS, sortable=False)
    for claim in claims.CLAIMS:
        tables[f"{claim.key}-evidence"] = evidence_table(
            f"{claim.key}-evidence", verdicts[claim.claim_id],
            source="the sources named in the claim's tables; grades and admissibility are this "
                   "report's, by its one evidence standard")
    tables["standard"] = figures.table(
        "standard", claims.standard_table(), sortable=False,
        source="this report's evidence standard (analysis.calc.claims.base.STANDARD)",
        caption="One evidence standard for every claim: what each verdict needs")
    for claim in claims.CLAIMS:
        if claim.claim_id not in LISTED_WITH_FIGURES:
            tables[f"{claim.key}-who"] = who_said_it(claim.key, i.claims, claim.claim_id)
    values.update({"nato-vintage": nato_vintage, "deals-vintage": deals_vintage,
                   "usgs-vintage": usgs_vintage})

    _wales(i, verdicts["wales_2pct_hague_5pct"], values, tables)
    _us_share(i, verdicts["us_share_60_65"], values, tables, figs)
    _production(i, verdicts["russia_3_months"], verdicts["allies_outproduce_russia"], values,
                tables, figs)
    _systems(i, verdicts["systems_178_vs_30"], values, tables)
    _sales(i, verdicts["sales_to_european_allies"], deals_vintage, values, tables)
    _engines(i, verdicts["minerals_and_engines"], values, tables)
    return ClaimsChapter(values=values, tables=tables, figures=figs, inline=inline,
                         verdicts=verdicts, previous=previous, summary=summary)
