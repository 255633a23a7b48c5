"""The spending chapter: who meets 2%, 3.5% and 5%, who pays, and what the path to 2035 costs.

``run(**params)`` reads NATO's defence-expenditure tables and SIPRI's Military Expenditure
Database, computes with :mod:`analysis.calc.spending` and returns every value, table and chart
the page shows (:class:`SpendingChapter`). The parameters come from the declaration
(``chapters/params.yml``); nothing here names an edition.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.calc import key_figures, prose, spending
from analysis.calc.key_figures import KeyFigure
from analysis.chapters import as_of, pages
from analysis.chapters.collect import Collector
from analysis.chapters.result import ChapterResult
from analysis.data import countries, editions, sources
from analysis.data.readers import curated, nato, sipri_milex
from analysis.publishing import charts, figures


@dataclass(frozen=True, kw_only=True)
class SpendingChapter(ChapterResult):
    """The page's values, tables and charts, and the frames behind the main ones."""

    shares: pd.DataFrame  #: every Ally's % of GDP by year (first_year to latest_year)
    burden: pd.DataFrame  #: shares of all Allies' spending, NATO's and SIPRI's figures
    path_totals: pd.DataFrame  #: the group's extra spending a year in the three growth scenarios
    key_results: pd.DataFrame  #: the key results now and on the previous editions held


def _share_of(frame: pd.DataFrame, year: int, group: str) -> float:
    return float(frame[(frame["year"] == year) & (frame["group"] == group)]["share_pct"].iloc[0])


def key_results(nato_table: pd.DataFrame, milex: pd.DataFrame, members: pd.DataFrame, *,
                first_year: int, wales_pct: float, core_pct: float, lead_country: str,
                focus_country: str, group_regions: Sequence[str],
                group_extra: Sequence[str]) -> list[KeyFigure]:
    """The chapter's key results from one edition of NATO's tables and of SIPRI's database,
    each at the edition's own latest year: Allies at 2% and at 3.5%, the lead country's share
    of all Allies' spending by NATO's and by SIPRI's figures, the focus country's % of GDP.
    The build compares them with the same results on the previous editions held."""
    lead_name = members.set_index("iso3").loc[lead_country, "country"]
    focus_name = members.set_index("iso3").loc[focus_country, "country"]
    group_name = "European Allies and Canada"
    share_series = spending.series(nato_table, "defence_share_gdp")
    latest_year = int(share_series["year"].max())
    shares = spending.shares_of_gdp(share_series, members)
    shares = shares[shares["year"].between(first_year, latest_year)]
    label = shares.loc[shares["year"] == latest_year, "year_label"].iloc[0]
    n_wales, of_latest = spending.count_at_or_above(shares, latest_year, wales_pct)
    n_core, _ = spending.count_at_or_above(shares, latest_year, core_pct)
    focus = float(shares[(shares["iso3"] == focus_country)
                         & (shares["year"] == latest_year)]["share_pct"].iloc[0])
    burden = {}
    for name, table, measure in (("NATO", nato_table, "defence_expenditure"),
                                 ("SIPRI", milex, "military_expenditure")):
        current = spending.series(table, measure, "current")
        current = current[current["year"].between(first_year, latest_year)]
        burden[name] = _share_of(spending.burden_shares(
            current, members, lead=lead_country, regions=group_regions, extra=group_extra,
            lead_name=lead_name, group_name=group_name, source=name), latest_year, lead_name)
    lead = f"the {lead_name}" if lead_name.startswith(("United ", "Netherlands")) else lead_name
    return [
        KeyFigure("n-2pct-latest", f"Allies at or above {wales_pct:g}% of GDP",
                  f"{prose.count(n_wales)} of {prose.count(of_latest)}", label),
        KeyFigure("n-core-latest", f"Allies at or above {core_pct:g}% of GDP",
                  prose.count(n_core), label),
        KeyFigure("us-share-latest", f"Share of all Allies' defence spending paid by {lead} "
                  "(NATO's figures)", prose.percent(burden["NATO"], 1), label),
        KeyFigure("us-share-sipri-latest", f"Share of all Allies' military spending paid by "
                  f"{lead} (SIPRI's figures)", prose.percent(burden["SIPRI"], 1), label),
        KeyFigure("focus-share-latest", f"{focus_name}'s defence spending, % of GDP (NATO)",
                  prose.percent(focus, 2), label),
    ]


def run(*, nato_vintage: str, milex_vintage: str, first_year: int,
        target_year: int, wales_pct: float, core_pct: float, total_pct: float,
        equipment_pct: float, growth_from_data: bool, growth_years: int,
        growth_spread_pp: float, lead_country: str, focus_country: str,
        group_regions: Sequence[str], group_extra: Sequence[str],
        gdp_growth_pct: float) -> SpendingChapter:
    """Compute the chapter from ``first_year`` to the latest year NATO's edition covers.
    ``gdp_growth_pct`` is used only when ``growth_from_data`` is false."""
    out = Collector()
    nato_table = nato.table(nato_vintage)
    milex = sipri_milex.table(milex_vintage)
    members = curated.table("nato_members.csv")
    claims = curated.table("claims.csv")
    definitions = curated.table("spending_definitions.csv")
    nato_notes = nato.notes(nato_vintage)
    milex_notes = sipri_milex.footnotes(milex_vintage)
    NATO_SOURCE = nato_table.attrs["source_note"]
    MILEX_SOURCE = milex.attrs["source_note"]
    BOTH_SOURCES = f"{NATO_SOURCE}; {MILEX_SOURCE}"
    lead_name = members.set_index("iso3").loc[lead_country, "country"]
    focus_name = members.set_index("iso3").loc[focus_country, "country"]
    group_name = "European Allies and Canada"

    share_series = spending.series(nato_table, "defence_share_gdp")
    latest_year = int(share_series["year"].max())  # NATO's latest year, from the edition itself
    shares = spending.shares_of_gdp(share_series, members)
    shares = shares[shares["year"].between(first_year, latest_year)]
    latest_label = shares.loc[shares["year"] == latest_year, "year_label"].iloc[0]
    latest_is_estimate = bool(shares.loc[shares["year"] == latest_year, "is_estimate"].iloc[0])
    estimate_labels = sorted(shares.loc[shares["is_estimate"], "year_label"].unique())
    allies_without_figures = sorted(set(members["iso3"]) - set(shares["iso3"]))
    without_names = members.set_index("iso3").loc[allies_without_figures, "country"].tolist()

    out.add("target-year", str(target_year))
    out.add("first-year", str(first_year))
    out.add("latest-year", str(latest_year))
    out.add("latest-label", latest_label)
    out.add("latest-status", "a NATO estimate" if latest_is_estimate else "NATO's reported figure")
    out.add("estimate-years", " and ".join(estimate_labels))
    out.add("nato-vintage", nato_vintage)
    out.add("milex-vintage", milex_vintage)

    # how current these figures are: newer editions announced but not held as files
    current = as_of.editions().set_index("source")
    for key, src in (("nato", nato.SOURCE), ("milex", sipri_milex.SOURCE)):
        row = current.loc[src]
        newer = row["newer"]
        out.add(f"{key}-newer", (
            f"{row['publisher']} has since released "
            + " and ".join(f"{n['title']} on {prose.date(n['released'])}" for n in newer)
            + ", which this report does not hold as files; the figures it announced are listed "
              "on the first page as announced, not recomputed") if newer else
            f"this is {row['publisher']}'s newest edition")
        out.add(f"{key}-held-edition", f"{row['held_title']}, "
                                       f"{as_of.short_edition(row['held_edition'])} "
                                       f"(published {prose.date(row['held_published'])})")
    out.add("wales-pct", prose.percent(wales_pct, 0))
    out.add("core-pct", prose.percent(core_pct, 1))
    out.add("total-pct", prose.percent(total_pct, 0))
    out.add("equipment-pct", prose.percent(equipment_pct, 0))
    out.add("related-pct", prose.percent(total_pct - core_pct, 1))
    out.add("without-figures", ", ".join(without_names) or "no Ally")
    # why they are absent, in SIPRI's words: the numbered footnotes of their SIPRI rows
    without_notes = []
    for iso3 in allies_without_figures:
        marks = milex.loc[milex["iso3"] == iso3, "notes"].iloc[0]
        numbered = "".join(ch for ch in marks if ch.isdigit())
        without_notes += sipri_milex.country_notes(numbered, milex_notes) if numbered else []
    out.add("without-figures-note", " ".join(without_notes) or "no note")
    # "the United States", "the Netherlands": the article that a plural or descriptive name takes
    lead_in_text = f"the {lead_name}" if lead_name.startswith(("United ", "Netherlands")) else lead_name
    out.add("lead-name", lead_in_text)
    out.add("focus-name", focus_name)
    out.add("group-name", group_name)
    out.add("nato-source", NATO_SOURCE)
    out.add("milex-source", MILEX_SOURCE)
    share_base = share_series["price_base"].iloc[0]  # "constant 2015": NATO's share of real GDP
    out.add("share-price-year", share_base.removeprefix("constant "))

    # The pledges, cited from the curated claims table (never typed here)
    pledge_rows = claims[(claims["claim_id"] == "wales_2pct_hague_5pct")
                         & claims["claimant"].str.startswith("NATO Heads of State")]
    if len(pledge_rows) != 2:
        raise ValueError("claims.csv should hold NATO's Wales and Hague rows for wales_2pct_hague_5pct")
    wales_row = pledge_rows[pledge_rows["claim_date"].str.startswith("2014")].iloc[0]
    hague_row = pledge_rows[pledge_rows["claim_date"].str.startswith("2025")].iloc[0]
    out.add("wales-text", wales_row["claim"])
    out.add("wales-date", wales_row["claim_date"])
    out.add("hague-text", hague_row["claim"])
    out.add("hague-date", hague_row["claim_date"])
    pledge_table = pledge_rows[["claim_date", "venue", "source_title", "source_url"]].rename(
        columns={"claim_date": "Date", "venue": "Summit", "source_title": "Source",
                 "source_url": "Address"})
    out.add("pledges", figures.table(
        "pledges", pledge_table, source="Curated table claims.csv (rows wales_2pct_hague_5pct), "
        "paraphrasing the pages named in each row", caption="The pledges the chapter measures against",
        sortable=False))

    # 1. The pledges: every Ally's share of GDP against three separate reference lines
    line_data = shares[["country", "iso3", "year", "year_label", "is_estimate", "is_member",
                        "share_pct"]]
    rules = pd.DataFrame({
        "value": [wales_pct, core_pct, total_pct],
        "label": [f"{wales_pct:g}% Wales {wales_row['claim_date'][:4]}",
                  f"{core_pct:g}% core, The Hague {hague_row['claim_date'][:4]}",
                  f"{total_pct:g}% total, The Hague {hague_row['claim_date'][:4]}"],
    })
    order = (shares[shares["year"] == latest_year].sort_values("share_pct", ascending=False)["country"])
    ends = [shares.loc[shares["year"] == yr, "year_label"].iloc[0] for yr in (first_year, latest_year)]
    chart = charts.shares_in_panels(
        line_data, x="year_label", y="share_pct", series="country", series_order=list(order),
        highlight=[focus_name], rules=rules, x_labels=ends,
        x_title="Year (e = NATO estimate)", y_title="Defence expenditure, % of GDP",
        heading=charts.title("Defence expenditure of each Ally against the pledges",
                             [(f"% of GDP, NATO definition, based on {share_base[-4:]} prices; "
                              f"{first_year}-{latest_label}; sorted by {latest_label}; {focus_name} in orange"),
                              (f"Dashed lines: {wales_pct:g}% (Wales), {core_pct:g}% core and "
                               f"{total_pct:g}% in total (The Hague)")]),
        )
    out.add("shares-lines", figures.figure(
        "shares-lines", chart, data=line_data, source=NATO_SOURCE,
        description=(f"Small multiples, one panel per Ally sorted by its {latest_label} share: "
                     f"defence expenditure as a share of GDP, {first_year} to {latest_label}, "
                     f"{focus_name} in the highlight colour, with dashed "
                     f"reference lines at {wales_pct:g}%, {core_pct:g}% and {total_pct:g}%."),
        notes=(f"The {total_pct:g}% line includes up to {total_pct - core_pct:g}% of GDP of defence- "
               "and security-related spending, which NATO's defence-expenditure figures do not "
               f"contain: no Ally's figure here can be compared with {total_pct:g}% directly.")))

    joined_late = shares[~shares["is_member"]].drop_duplicates("country")
    late_joiners = " and ".join(
        f"{r.country} ({members.set_index('iso3').loc[r.iso3, 'accession_year']})"
        for r in joined_late.itertuples()) + (" are" if len(joined_late) > 1 else " is")
    bands = spending.threshold_bands([wales_pct, core_pct])
    heat = shares.assign(
        band=[spending.threshold_band(v, [wales_pct, core_pct]) for v in shares["share_pct"]],
        value_text=[f"{v:.1f}" for v in shares["share_pct"]],
        member=["yes" if m else "not yet an Ally" for m in shares["is_member"]],
    )[["country", "year", "year_label", "is_estimate", "member", "share_pct", "band", "value_text"]]
    chart = charts.heatmap(
        heat, x="year_label", y="country", colour="band", colour_order=bands,
        colour_range=[charts.MUTED, "#4a90c8", charts.PALETTE[2]], text="value_text",
        y_order=list(order), x_title="Year (e = NATO estimate)",
        heading=charts.title(f"Every Ally, every year: the {wales_pct:g}% and {core_pct:g}% bands",
                             [(f"Defence expenditure, % of GDP (NATO definition, {share_base[-4:]} "
                              f"prices); sorted by {latest_label}"),
                              f"{late_joiners} shown before they joined but counted only from then"]),
        value="share_pct", value_title="% of GDP", highlight=focus_name)
    out.add("shares-heatmap", figures.figure(
        "shares-heatmap", chart, data=heat, source=NATO_SOURCE,
        description=(f"Heatmap of defence expenditure as % of GDP, one row per Ally and one column per "
                     f"year from {first_year} to {latest_label}, coloured below {wales_pct:g}%, "
                     f"{wales_pct:g} to {core_pct:g}% and {core_pct:g}% or more.")))

    wide = spending.wide_by_year(shares, "share_pct")
    region = shares.drop_duplicates("country").set_index("country")["region"]
    wide.insert(1, "Region", wide["country"].map(region))
    wide = wide.rename(columns={"country": "Ally"}).sort_values(latest_label, ascending=False)
    out.add("shares-table", figures.table(
        "shares-table", wide, source=NATO_SOURCE,
        caption="Defence expenditure as % of GDP, every Ally and year (click a heading to sort)",
        formats={c: ",.2f" for c in wide.columns if c not in ("Ally", "Region")},
        pages={"Ally": pages.ally_pages(wide["Ally"], members)}))

    counts = spending.counts_by_year(shares, [wales_pct, core_pct])
    n14, of14 = spending.count_at_or_above(shares, first_year, wales_pct)
    n_latest, of_latest = spending.count_at_or_above(shares, latest_year, wales_pct)
    n_core, _ = spending.count_at_or_above(shares, latest_year, core_pct)
    n_total, _ = spending.count_at_or_above(shares, latest_year, total_pct)
    met_2014 = shares[(shares["year"] == first_year) & shares["is_member"]
                      & (shares["share_pct"] >= wales_pct)]["country"].tolist()
    met_core = shares[(shares["year"] == latest_year) & shares["is_member"]
                      & (shares["share_pct"] >= core_pct)]["country"].tolist()
    out.add("n-2pct-first", prose.count(n14))
    out.add("of-first", prose.count(of14))
    out.add("names-2pct-first", ", ".join(met_2014))
    out.add("names-2pct-first-linked", pages.linked_list(met_2014, members))
    out.add("n-2pct-latest", prose.count(n_latest))
    out.add("of-latest", prose.count(of_latest))
    out.add("n-core-latest", f"{prose.count(n_core)} " + ("Ally was" if n_core == 1 else "Allies were"))
    out.add("names-core-latest", ", ".join(met_core) or "none")
    out.add("names-core-latest-linked", pages.linked_list(met_core, members))
    out.add("n-total-latest", prose.count(n_total))
    entered = spending.entered_shares(
        share_series, spending.series(nato_table, "defence_expenditure", share_series["price_base"].iloc[0]),
        spending.series(nato_table, "gdp", share_series["price_base"].iloc[0]))
    entered = entered[entered["year"].between(first_year, latest_year)]
    entered_labels = shares.set_index(["iso3", "year"])["year_label"]
    out.add("entered-shares", "; ".join(
        f"{r.country} in {entered_labels[(r.iso3, r.year)]}: {prose.number(r.published, 2)} entered, "
        f"{prose.number(r.computed, 3)} computed" for r in entered.itertuples()) or "none")
    focus_latest = float(shares[(shares["iso3"] == focus_country)
                                & (shares["year"] == latest_year)]["share_pct"].iloc[0])
    out.add("focus-share-latest", prose.percent(focus_latest, 2))
    counts_table = counts.pivot(index=["year", "year_label"], columns="threshold_pct",
                                values="allies_at_or_above").reset_index()
    counts_table.columns = ["year", "Year", f"At or above {wales_pct:g}%",
                            f"At or above {core_pct:g}%"]
    counts_table["Allies with a figure"] = counts.drop_duplicates("year")["allies_with_data"].to_numpy()
    counts_table = counts_table.drop(columns="year")
    out.add("counts-table", figures.table(
        "counts-table", counts_table, source=NATO_SOURCE,
        caption="How many Allies were at or above each line, year by year (Allies of that year only)"))

    # 2. Burden sharing, by NATO's and by SIPRI's figures (current US dollars), never merged
    nato_current = spending.series(nato_table, "defence_expenditure", "current")
    nato_current = nato_current[nato_current["year"].between(first_year, latest_year)]
    milex_current = spending.series(milex, "military_expenditure", "current")
    milex_current = milex_current[milex_current["year"].between(first_year, latest_year)]
    burden_nato = spending.burden_shares(
        nato_current, members, lead=lead_country, regions=group_regions, extra=group_extra,
        lead_name=lead_name, group_name=group_name, source="NATO")
    burden_sipri = spending.burden_shares(
        milex_current, members, lead=lead_country, regions=group_regions, extra=group_extra,
        lead_name=lead_name, group_name=group_name, source="SIPRI")
    burden = pd.concat([burden_nato, burden_sipri], ignore_index=True)
    burden["series"] = burden["source"] + ": " + burden["group"]
    chart = charts.lines_in_panels(
        burden, x="year", y="share_pct", series="group", series_order=[lead_name, group_name],
        panel="source", panel_order=["NATO", "SIPRI"], x_title="Year",
        y_title="Share of all Allies' spending (%)",
        heading=charts.title("Who pays: shares of all Allies' defence spending",
                             [(f"% of the Allies' total in current US dollars, {first_year}-{latest_year}; "
                              "left NATO's figures (NATO definition), right SIPRI's (SIPRI definition)"),
                              f"NATO's {', '.join(estimate_labels)} are estimates"]))
    out.add("burden", figures.figure(
        "burden", chart, data=burden, source=BOTH_SOURCES,
        table=figures.TableAlternative(rows="series", columns="year", values="share_pct",
                                       caption="Share of all Allies' spending (%)"),
        description=(f"Two panels of lines: the share of all Allies' defence spending carried by "
                     f"{lead_name} and by the {group_name}, {first_year} to {latest_year}, by NATO's "
                     "figures and by SIPRI's.")))

    us_nato_latest = _share_of(burden_nato, latest_year, lead_name)
    us_nato_first = _share_of(burden_nato, first_year, lead_name)
    us_sipri_latest = _share_of(burden_sipri, latest_year, lead_name)
    us_peak = burden_nato[burden_nato["group"] == lead_name].sort_values("share_pct").iloc[-1]
    out.add("us-share-latest", prose.percent(us_nato_latest, 1))
    out.add("us-share-first", prose.percent(us_nato_first, 1))
    out.add("us-share-sipri-latest", prose.percent(us_sipri_latest, 1))
    out.add("us-share-peak", prose.percent(float(us_peak["share_pct"]), 1))
    out.add("us-share-peak-year", str(int(us_peak["year"])))
    out.add("group-share-latest", prose.percent(_share_of(burden_nato, latest_year, group_name), 1))
    total_latest = float(burden_nato[burden_nato["year"] == latest_year]["all_allies_usd_m"].iloc[0])
    out.add("all-allies-latest", prose.number(total_latest / 1000, 0))
    us_claim = claims[claims["claim_id"] == "us_share_60_65"].iloc[0]
    out.add("us-claim", us_claim["claim"])

    # 3. Equipment: share of defence expenditure against NATO's 20% guideline
    equipment = spending.series(nato_table, "equipment_share")
    eq_latest = spending.equipment_shares(equipment, members, latest_year, equipment_pct)
    eq_first = spending.equipment_shares(equipment, members, first_year, equipment_pct)
    eq_drawn = eq_latest[["country", "iso3", "year_label", "equipment_pct", "meets_guideline"]]
    chart = charts.bars_against_guideline(
        eq_drawn, category="country", value="equipment_pct", meets="meets_guideline",
        guideline=equipment_pct, guideline_label=f"{equipment_pct:g}% guideline",
        value_title="Equipment, % of defence expenditure",
        heading=charts.title(f"Equipment spending against the {equipment_pct:g}% guideline, "
                             f"{latest_label}",
                             "Major equipment and its R&D, % of each Ally's defence expenditure "
                             "(NATO definition)" + ("; an estimate" if latest_is_estimate else "")),
        highlight=focus_name)
    out.add("equipment", figures.figure(
        "equipment", chart, data=eq_drawn, source=NATO_SOURCE,
        description=(f"Horizontal bars of equipment expenditure as a share of defence expenditure for "
                     f"each Ally in {latest_label}, with a line at the {equipment_pct:g}% guideline.")))
    eq_series = equipment[equipment["iso3"].isin(members["iso3"])
                          & equipment["year"].between(first_year, latest_year)].copy()
    eq_series["year_label"] = [spending.year_label(y, e) for y, e in
                               zip(eq_series["year"], eq_series["is_estimate"], strict=True)]
    eq_wide = spending.wide_by_year(eq_series, "value").rename(columns={"country": "Ally"})
    eq_wide = eq_wide.sort_values(latest_label, ascending=False)
    out.add("equipment-table", figures.table(
        "equipment-table", eq_wide, source=NATO_SOURCE,
        caption="Equipment expenditure as % of defence expenditure, every Ally and year",
        formats={c: ",.1f" for c in eq_wide.columns if c != "Ally"},
        pages={"Ally": pages.ally_pages(eq_wide["Ally"], members)}))
    out.add("eq-n-latest", prose.count(int(eq_latest["meets_guideline"].sum())))
    out.add("eq-of-latest", prose.count(len(eq_latest)))
    out.add("eq-n-first", prose.count(int(eq_first["meets_guideline"].sum())))
    out.add("eq-of-first", prose.count(len(eq_first)))
    out.add("eq-below-latest", ", ".join(eq_latest[~eq_latest["meets_guideline"]]["country"]) or "none")
    out.add("eq-focus-latest", prose.percent(float(eq_latest.set_index("iso3").loc[focus_country,
                                                                                 "equipment_pct"]), 1))
    equipment_sheet = nato.sheet_of("equipment_share")  # the sheet whose notes define it
    eq_note = nato_notes[(nato_notes["sheet"] == equipment_sheet)
                         & nato_notes["text"].str.startswith("(a)")]
    out.add("eq-definition", eq_note["text"].iloc[0].removeprefix("(a)").strip())
    pers_note = nato_notes[(nato_notes["sheet"] == equipment_sheet)
                           & nato_notes["text"].str.startswith("(b)")]
    out.add("personnel-definition", pers_note["text"].iloc[0].removeprefix("(b)").strip())

    # 4. Türkiye by two definitions, side by side, never merged
    nato_growth = spending.series(nato_table, "defence_real_change")
    milex_share = spending.series(milex, "military_share_gdp")
    milex_constant_base = [b for b in milex.loc[milex["measure"] == "military_expenditure",
                                                "price_base"].unique() if b.startswith("constant")]
    milex_constant = spending.series(milex, "military_expenditure", milex_constant_base[0])
    two = spending.two_definitions(share_series, nato_growth, milex_share, milex_constant,
                                   focus_country, first_year, latest_year)
    two["series"] = two["measure"] + ", " + two["definition"]
    chart = charts.lines_in_panels(
        two, x="year", y="value", series="definition",
        series_order=[spending.NATO_DEFINITION, spending.SIPRI_DEFINITION], panel="measure",
        panel_order=["Defence burden (% of GDP)", "Real change (%)"], x_title="Year",
        y_title="Per cent (%)",
        heading=charts.title(f"{focus_name} by two definitions",
                             [(f"Left: spending as % of GDP; right: real change on the previous year (%), "
                              f"{first_year}-{latest_year}"),
                              (f"NATO: {share_base[-4:]} prices, {', '.join(estimate_labels)} "
                              "estimates; SIPRI: "
                              f"{milex_constant_base[0]} US dollars (real change computed here)")]),
        independent_y=True, zero_rule=True)
    out.add("focus-two", figures.figure(
        "focus-two", chart, data=two, source=BOTH_SOURCES,
        table=figures.TableAlternative(rows="series", columns="year", values="value", value_format=",.2f",
                                       caption="Per cent"),
        description=(f"Two panels: {focus_name}'s defence burden and its real change by NATO's and by "
                     f"SIPRI's definition, {first_year} to {latest_year}, two separate lines each.")))
    gaps = spending.definition_gaps(two)
    gap_table = gaps.rename(columns={
        "year_label": "Year", "burden_nato": "Burden, NATO (% of GDP)",
        "burden_sipri": "Burden, SIPRI (% of GDP)", "burden_gap": "Burden gap, SIPRI − NATO (points)",
        "growth_nato": "Real change, NATO (%)", "growth_sipri": "Real change, SIPRI (%)",
        "growth_gap": "Real-change gap, SIPRI − NATO (points)"}).drop(columns="year")
    out.add("focus-gaps", figures.table(
        "focus-gaps", gap_table, source=BOTH_SOURCES,
        caption=f"{focus_name}: NATO's and SIPRI's figures and the gap between them, per year",
        sortable=False, formats={c: ",.2f" for c in gap_table.columns if c != "Year"}))
    g_latest = gaps.set_index("year").loc[latest_year]
    out.add("focus-burden-nato", prose.percent(g_latest["burden_nato"], 2))
    out.add("focus-burden-sipri", prose.percent(g_latest["burden_sipri"], 2))
    out.add("focus-burden-gap", prose.number(g_latest["burden_gap"], 2))
    out.add("focus-growth-nato", prose.percent(g_latest["growth_nato"], 1))
    out.add("focus-growth-sipri", prose.percent(g_latest["growth_sipri"], 1))
    out.add("focus-gap-mean", prose.number(gaps["burden_gap"].abs().mean(), 2))
    out.add("focus-gap-max", prose.number(gaps["burden_gap"].abs().max(), 2))
    out.add("focus-gap-max-year", str(int(gaps.loc[gaps["burden_gap"].abs().idxmax(), "year"])))
    n_sipri_higher = int((gaps["burden_gap"] > 0).sum())
    out.add("focus-sipri-higher", prose.count(n_sipri_higher))
    out.add("focus-years", prose.count(len(gaps)))

    focus_marks = milex[(milex["iso3"] == focus_country)]["notes"].iloc[0]
    exclusion_marks = {m: t for m, t in zip(milex_notes["mark"], milex_notes["text"], strict=True)
                       if not m.isdigit() and t.lower().startswith("figures for these countries")}
    flagged = [t for m, t in exclusion_marks.items() if m in focus_marks]
    out.add("focus-sipri-marks", focus_marks)
    out.add("focus-sipri-mark-text", "; ".join(sipri_milex.country_notes(focus_marks, milex_notes)))
    out.add("focus-sipri-exclusions",
         (f"none of the marks ({' '.join(exclusion_marks)}) that SIPRI puts on figures that leave "
          "something out or are budgets") if not flagged else "; ".join(flagged))
    out.add("focus-personnel-definition", pers_note["text"].iloc[0].removeprefix("(b)").strip())
    def_table = definitions[["publisher", "topic", "text", "source_title", "source_date"]].rename(
        columns={"publisher": "Who", "topic": "Topic", "text": "What the source says",
                 "source_title": "Source", "source_date": "Dated"})
    sipri_marks = pd.DataFrame({
        "Who": "SIPRI", "Topic": [f"workbook mark {m}" for m in exclusion_marks],
        "What the source says": list(exclusion_marks.values()),
        "Source": f"{MILEX_SOURCE}, sheet Footnotes", "Dated": milex_vintage})
    def_table = pd.concat([def_table, sipri_marks], ignore_index=True)
    out.add("definitions", figures.table(
        "definitions", def_table, source=("Curated table spending_definitions.csv (paraphrasing the "
                                          f"pages named in each row; addresses in its CSV); {MILEX_SOURCE}"),
        caption="NATO's and SIPRI's definitions", sortable=False))

    # 5. The path to 2035: a straight line from the latest share to the core target (and, as a
    # variant drawn apart, to the total), in the table's price base and in the latest year's prices
    gdp_constant = spending.series(nato_table, "gdp", share_base)  # the share's own price base
    gdp_current = spending.series(nato_table, "gdp", "current")
    price_base = gdp_constant["price_base"].iloc[0]
    factors = spending.price_factors(gdp_current, gdp_constant, latest_year)
    with_figures = set(share_series["iso3"])
    allies_now = [i for i in countries.members_in(members, latest_year) if i in with_figures]
    group = [i for i in spending.group_members(members, latest_year, group_regions, group_extra)
             if i in with_figures]
    rest = [i for i in allies_now if i not in group]  # the lead country (NATO's table's split)
    growth_in_data = spending.compound_growth_pct(gdp_constant, group, latest_year, growth_years)
    growth = growth_in_data if growth_from_data else float(gdp_growth_pct)
    growth_source = "computed from the data" if growth_from_data else "set as a parameter"
    scenarios = [(growth, "default"), (growth - growth_spread_pp, "lower"),
                 (growth + growth_spread_pp, "higher")]
    latest_prices = f"{latest_year} prices"
    core_label = f"{core_pct:g}% core (NATO definition)"
    total_label = f"{total_pct:g}% in total (variant: all of it on NATO-definition figures)"

    def a_path(target: float, rate: float) -> tuple[pd.DataFrame, pd.DataFrame]:
        p = spending.path_to_target(share_series, gdp_constant, latest_year=latest_year,
                                    target_year=target_year, target_pct=target, growth_pct=rate)
        return p, spending.in_prices_of(p, factors)

    paths, paths_latest = {}, {}
    totals = []
    totals_by_name = {}
    for rate, name in scenarios:
        p, p_latest = a_path(core_pct, rate)
        paths[name], paths_latest[name] = p, p_latest
        label = f"GDP {rate:+.2f}% a year" + (" (default)" if name == "default" else "")
        t = spending.path_totals(p, group, label)
        t["growth_pct"] = rate
        t["extra_latest_prices"] = spending.path_totals(p_latest, group, label)["extra"].to_numpy()
        totals.append(t)
        totals_by_name[name] = t
    path_totals = pd.concat(totals, ignore_index=True)
    _variant, variant_latest = a_path(total_pct, growth)
    core_latest = paths_latest["default"]

    # the drawn figure: every Ally's total extra a year, latest prices, the two targets apart
    drawn = []
    for label, frame in ((core_label, core_latest), (total_label, variant_latest)):
        for scope, codes in (("All Allies", allies_now), (group_name, group)):
            t = spending.path_totals(frame, codes, label)
            drawn.append(t.assign(scope=scope))
    path_drawn = pd.concat(drawn, ignore_index=True)
    path_drawn["extra_usd_bn"] = path_drawn["extra"] / 1000
    path_drawn = path_drawn[path_drawn["scope"] == "All Allies"][
        ["year", "scenario", "extra_usd_bn"]].rename(columns={"scenario": "target"}).reset_index(
        drop=True)
    chart = charts.line_by_year(
        path_drawn, x="year", y="extra_usd_bn", series="target", x_title="Year",
        y_title=f"Extra spending (US$ billion, {latest_year} prices)",
        heading=charts.title(f"What straight-line paths to {target_year} cost all Allies",
                             [(f"Extra defence spending a year beyond keeping each Ally's "
                               f"{latest_label} share of GDP; US$ billion at {latest_year} prices "
                               "and exchange rates"),
                              (f"Real GDP growth {growth:.2f}% a year. Dashed: the {total_pct:g}% "
                               f"variant; NATO publishes no series of the {total_pct - core_pct:g}% "
                               "'related' spending by Ally")]),
        y_format=",.0f", dashed_if="target")
    out.add("path", figures.figure(
        "path", chart, data=path_drawn, source=NATO_SOURCE,
        description=(f"Two lines of all Allies' total extra defence spending per year from "
                     f"{latest_year} to {target_year}, in US dollars at {latest_year} prices: a "
                     f"straight-line path to {core_pct:g}% of GDP (core) and, dashed, a variant "
                     f"to {total_pct:g}% of GDP in total."),
        notes=(f"This report's estimate. The {total_pct:g}% variant counts all of the "
               f"{total_pct:g}% against NATO-definition figures, as if no Ally spent anything "
               f"today on the up to {total_pct - core_pct:g}% of GDP of defence- and "
               "security-related spending that The Hague allows: NATO publishes no such series "
               "by Ally, so the variant is an upper bound of the extra.")))

    # the what-if: the same path recomputed in the page from the Allies' rows (latest prices)
    whatif = spending.whatif_rows(share_series, gdp_current, latest_year=latest_year,
                                  groups={group_name: group, lead_name: rest})
    whatif = whatif[whatif["iso3"].isin(allies_now)].reset_index(drop=True)
    chart = charts.path_whatif(
        whatif, latest_year=latest_year, growth_pct=growth, growth_step=0.05, growth_below=40,
        growth_above=60, targets=[(core_pct, f"{core_pct:g}% core"),
                                  (total_pct, f"{total_pct:g}% in total (variant)")],
        target_year=target_year, target_year_range=(latest_year + 2, target_year + 10),
        group_order=[group_name, lead_name],
        y_title=f"Extra spending (US$ billion, {latest_year} prices)",
        heading=charts.title(f"What if: the path to {target_year}, recomputed as you choose",
                             [(f"All Allies' extra defence spending a year, US$ billion at "
                               f"{latest_year} prices and exchange rates; straight line from "
                               f"each Ally's {latest_label} share"),
                              (f"Move growth, target and year below; the {total_pct:g}% variant "
                               "counts all of it on NATO-definition figures (no related-spending "
                               "series exists by Ally)")]))
    out.add("path-whatif", figures.figure(
        "path-whatif", chart, data=whatif, source=NATO_SOURCE,
        description=(f"Stacked bars of the extra defence spending a year of the {group_name} and "
                     f"of {lead_in_text} on a straight-line path from {latest_label} to a target "
                     "share of GDP, with the total written above; inputs under the chart set "
                     "the growth rate, the target share and the target year."),
        notes=(f"This report's estimate, drawn in the page from each Ally's {latest_label} share "
               f"of GDP and GDP at current prices (the data drawn); at the starting values it is "
               f"the calculation in the text ({core_pct:g}%, {target_year}, growth "
               f"{growth:.2f}% a year).")))

    default_path = paths["default"]
    summary = spending.path_summary(default_path, target_year)
    summary_latest = spending.path_summary(core_latest, target_year).set_index("iso3")
    variant_summary = spending.path_summary(variant_latest, target_year).set_index("iso3")
    summary["gap_pp"] = (core_pct - summary["latest_share_pct"]).clip(lower=0)
    summary["In the group"] = ["yes" if i in group else "no" for i in summary["iso3"]]
    summary["factor"] = summary["iso3"].map(factors)
    summary["mean_latest"] = summary["iso3"].map(summary_latest["mean_extra_per_year"])
    summary["target_latest"] = summary["iso3"].map(summary_latest["extra_in_target_year"])
    summary["variant_latest"] = summary["iso3"].map(variant_summary["extra_in_target_year"])
    path_table = summary[["country", "In the group", "latest_share_pct", "gap_pp",
                          "mean_extra_per_year", "extra_in_target_year", "factor",
                          "mean_latest", "target_latest", "variant_latest"]].rename(columns={
        "country": "Ally", "latest_share_pct": f"Share of GDP {latest_label} (%)",
        "gap_pp": f"Gap to {core_pct:g}% (points)",
        "mean_extra_per_year": (f"Mean extra a year {latest_year + 1}-{target_year} "
                                f"(US$ m, {price_base[-4:]} prices)"),
        "extra_in_target_year": f"Extra in {target_year} (US$ m, {price_base[-4:]} prices)",
        "factor": f"{latest_year} prices per {price_base[-4:]} price (GDP, NATO)",
        "mean_latest": (f"Mean extra a year {latest_year + 1}-{target_year} "
                        f"(US$ m, {latest_year} prices)"),
        "target_latest": f"Extra in {target_year} (US$ m, {latest_year} prices)",
        "variant_latest": (f"Extra in {target_year}, {total_pct:g}% variant "
                           f"(US$ m, {latest_year} prices)")})
    out.add("path-table", figures.table(
        "path-table", path_table, source=NATO_SOURCE,
        caption=(f"Each Ally's path to {core_pct:g}% of GDP by {target_year} and the "
                 f"{total_pct:g}% variant (US$ million at {price_base[-4:]} prices and at "
                 f"{latest_year} prices; GDP growth {growth:.2f}% a year)"),
        formats={c: (",.2f" if i in (2, 3) else ",.3f" if i == 6 else ",.0f")
                 for i, c in enumerate(path_table.columns) if i >= 2},
        pages={"Ally": pages.ally_pages(path_table["Ally"], members)}))

    default_totals = path_totals[path_totals["scenario"].str.endswith("(default)")].set_index("year")
    after = default_totals.index > latest_year
    extra_target = float(default_totals.loc[target_year, "extra"])
    extra_mean = float(default_totals.loc[after, "extra"].mean())
    extra_sum = float(default_totals.loc[after, "extra"].sum())
    low_target = float(totals_by_name["lower"].set_index("year").loc[target_year,
                                                                      "extra_latest_prices"])
    high_target = float(totals_by_name["higher"].set_index("year").loc[target_year,
                                                                        "extra_latest_prices"])
    out.add("growth-pct", prose.percent(growth, 2))
    out.add("growth-source", growth_source)
    out.add("growth-from-data", prose.percent(growth_in_data, 2))
    out.add("growth-window", f"{latest_year - growth_years}-{latest_label}")
    out.add("growth-low", prose.percent(growth - growth_spread_pp, 2))
    out.add("growth-high", prose.percent(growth + growth_spread_pp, 2))
    out.add("group-n", prose.count(len(group)))
    out.add("allies-n", prose.count(len(allies_now)))
    out.add("price-year", price_base[-4:])
    out.add("latest-prices", latest_prices)
    out.add("extra-target-bn", prose.number(extra_target / 1000, 0))
    out.add("extra-mean-bn", prose.number(extra_mean / 1000, 0))
    out.add("extra-sum-bn", prose.number(extra_sum / 1000, 0))
    out.add("extra-low-bn", prose.number(low_target / 1000, 0))
    out.add("extra-high-bn", prose.number(high_target / 1000, 0))
    # the same in the latest year's prices, for the group, for all Allies and for the variant
    first_path_year = latest_year + 1
    for key, frame, codes in (("core-group", core_latest, group), ("core-all", core_latest, allies_now),
                              ("core-rest", core_latest, rest),
                              ("total-group", variant_latest, group),
                              ("total-all", variant_latest, allies_now)):
        per_year = spending.path_totals(frame, codes, key).set_index("year")["extra"]
        out.add(f"{key}-target-bn", prose.number(float(per_year[target_year]) / 1000, 0))
        out.add(f"{key}-mean-bn", prose.number(float(per_year[per_year.index > latest_year].mean())
                                               / 1000, 0))
        out.add(f"{key}-sum-bn", prose.number(spending.path_extra_total(
            frame, codes, first_path_year, target_year) / 1000, 0))
    out.add("path-years", f"{first_path_year}-{target_year}")
    group_factor = float(gdp_current[(gdp_current["year"] == latest_year)
                                     & gdp_current["iso3"].isin(group)]["value"].sum()
                         / gdp_constant[(gdp_constant["year"] == latest_year)
                                        & gdp_constant["iso3"].isin(group)]["value"].sum())
    out.add("group-price-factor", prose.number(group_factor, 3))
    # closing each gap at once, at the latest year's GDP: the path's last year without growth
    _, now_latest = a_path(core_pct, 0.0)
    gap_now = float(spending.path_totals(now_latest, group, "now").set_index("year").loc[
        target_year, "extra"])
    out.add("core-group-gap-now-bn", prose.number(gap_now / 1000, 0))
    group_gdp_target = float(core_latest[(core_latest["year"] == target_year)
                                         & core_latest["iso3"].isin(group)]["gdp"].sum())
    core_group_target = float(spending.path_totals(core_latest, group, "g").set_index("year").loc[
        target_year, "extra"])
    out.add("core-group-target-gdp-pct", prose.percent(100 * core_group_target / group_gdp_target, 2))
    above = summary[summary["gap_pp"] == 0]["country"].tolist()
    out.add("already-at-core", ", ".join(above) or "none")
    focus_extra = float(summary_latest.loc[focus_country, "extra_in_target_year"])
    out.add("focus-extra-target-bn", prose.number(focus_extra / 1000, 1))
    lead_extra = float(summary_latest.loc[lead_country, "extra_in_target_year"])
    out.add("lead-extra-target-bn", prose.number(lead_extra / 1000, 0))

    # published estimates of the cost, beside this report's own (each row names its source)
    estimates = curated.table("defence_cost_estimates.csv")
    ours = pd.DataFrame([
        {"Estimate": f"{core_label}, straight line from {latest_label}",
         "Who": "this report's own estimate", "Published": "",
         "Value": prose.number(core_group_target / 1000, 0),
         "Unit": f"US$ billion in {target_year} (additional), {latest_year} prices",
         "Scope": f"{group_name} ({len(group)} with NATO figures)",
         "Horizon": f"{target_year}, real GDP growth {growth:.2f}% a year",
         "Source grade": "own calculation (method in the text)", "Source": NATO_SOURCE, "url": ""},
        {"Estimate": f"{core_label}, each gap closed at {latest_label} GDP",
         "Who": "this report's own estimate", "Published": "",
         "Value": prose.number(gap_now / 1000, 0),
         "Unit": f"US$ billion a year (additional), {latest_year} prices",
         "Scope": f"{group_name} ({len(group)} with NATO figures)",
         "Horizon": "at once, no GDP growth",
         "Source grade": "own calculation (method in the text)", "Source": NATO_SOURCE, "url": ""},
        {"Estimate": f"{total_pct:g}% in total, variant, straight line from {latest_label}",
         "Who": "this report's own estimate", "Published": "",
         "Value": out.values["total-group-target-bn"],
         "Unit": f"US$ billion in {target_year} (additional), {latest_year} prices",
         "Scope": f"{group_name} ({len(group)} with NATO figures)",
         "Horizon": f"{target_year}, real GDP growth {growth:.2f}% a year",
         "Source grade": "own calculation (an upper bound: no related spending counted today)",
         "Source": NATO_SOURCE, "url": ""},
    ])
    published = pd.DataFrame({
        "Estimate": estimates["description"], "Who": estimates["publisher"],
        "Published": estimates["published"], "Value": estimates["value"],
        "Unit": estimates["unit"], "Scope": estimates["scope"], "Horizon": estimates["horizon"],
        "Source grade": estimates["source_grade"], "Source": estimates["source_title"],
        "url": estimates["source_url"]})
    beside = pd.concat([ours, published], ignore_index=True)
    out.add("path-estimates", figures.table(
        "path-estimates", beside, source=(f"{NATO_SOURCE} (this report's rows); curated table "
                                          "defence_cost_estimates.csv (published rows, each with "
                                          "its source)"),
        caption="This report's path beside published estimates of what rearmament costs",
        sortable=False, links=(("Source", "url"),)))
    kiel = estimates.set_index("estimate_id").loc["kiel_bruegel_2025_increase"]
    currency, _, rest_of_unit = str(kiel["unit"]).partition(" ")  # "EUR billion per year ..."
    out.add("kiel-value", f"{currency} {kiel['value']} {rest_of_unit}")
    out.add("kiel-scope", str(kiel["scope"]))
    out.add("kiel-horizon", str(kiel["horizon"]))
    out.add("estimates-n", prose.count(len(estimates)))

    # Key results on the previous editions held, as the claims' verdicts are recomputed
    def recompute(nato_frame: pd.DataFrame, milex_frame: pd.DataFrame) -> list[KeyFigure]:
        return key_results(nato_frame, milex_frame, members, first_year=first_year,
                           wales_pct=wales_pct, core_pct=core_pct, lead_country=lead_country,
                           focus_country=focus_country, group_regions=group_regions,
                           group_extra=group_extra)

    root = sources.project_root()
    before = {"nato": editions.previous_vintage(root, nato.SOURCE, nato_vintage, nato.TABLES_FILE),
              "milex": editions.previous_vintage(root, sipri_milex.SOURCE, milex_vintage,
                                                 sipri_milex.MILEX_FILE)}
    held_now = current.loc[[nato.SOURCE, sipri_milex.SOURCE]]
    def named(title: str, edition: str) -> str:  # "Defence Expenditure of NATO Countries, 2024 edition"
        return (f"{title.split(' - ')[0].split(' (')[0].strip()}, "
                f"{as_of.short_edition(edition).split(' (')[0].strip()}")

    now_edition = " and ".join(named(r["held_title"], r["held_edition"])
                               for _, r in held_now.iterrows())
    if before["nato"] or before["milex"]:
        before_nato = nato.table(before["nato"]) if before["nato"] else nato_table
        before_milex = sipri_milex.table(before["milex"]) if before["milex"] else milex
        before_results: list[KeyFigure] | None = recompute(before_nato, before_milex)
        before_edition: str | None = " and ".join(
            named(*(sources.resolve(src, f.attrs["vintage"], pattern).meta.get(k, "")
                    for k in ("title", "edition")))
            for f, src, pattern in ((before_nato, nato.SOURCE, nato.TABLES_FILE),
                                    (before_milex, sipri_milex.SOURCE, sipri_milex.MILEX_FILE)))
    else:
        before_results, before_edition = None, None
    compared = key_figures.compare(recompute(nato_table, milex), before_results)
    (figures.asset_dir() / key_figures.KEY_FIGURES_FILE).write_text(key_figures.to_json(
        "spending", compared, now_edition=now_edition, before_edition=before_edition),
        encoding="utf-8")
    out.add("key-results-n", prose.count(len(compared)))
    out.add("key-results-n-moved", prose.count(int(compared["moved"].sum())))
    out.add("key-results-status", (
        f"recomputed on {before_edition}, {prose.count(int(compared['moved'].sum()))} of "
        f"{prose.count(len(compared))} moved" if before_edition else
        f"not recomputed: the report holds one edition of each of the two sources they rest on "
        f"({now_edition}), so there is no earlier edition to compare them with"))
    out.add("key-results", figures.table(
        "key-results", key_figures.published(compared, before_edition=before_edition,
                                             now_edition=now_edition),
        source=BOTH_SOURCES, caption="The spending chapter's key results", sortable=False))
    return SpendingChapter(**out.parts(), shares=shares, burden=burden, path_totals=path_totals,
                           key_results=compared)
