"""The constraints chapter: what limits Türkiye's reach as a supplier to Europe. :func:`run`
takes the chapter's parameters and returns :class:`ConstraintsChapter`.

The calculations are :mod:`analysis.calc.constraints`'s; this module loads the curated tables and
USGS's rare-earth table, calls them, and publishes the figures and tables the notebook glues.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from analysis.calc import constraints, exports, prose
from analysis.chapters.result import ChapterResult
from analysis.data import countries
from analysis.data.readers import curated, sipri_transfers, usgs
from analysis.publishing import charts, figures
from analysis.publishing.figures import Figure, Table
from analysis.publishing.tables import linked_table

#: The flagships whose engine rows the prose lists, by glue key (the matrix's row names).
ENGINE_SUMMARIES: dict[str, str] = {"kaan-engines": "KAAN fighter",
                                    "hurjet-engines": "Hürjet trainer"}
#: The facts of the critical-minerals table the prose quotes, by role.
REFINING_FACT = "ree_refining_share_china"
CONTROL_FACTS: dict[str, str] = {"gage-control-date": "china_export_controls_ga_ge",
                                 "ree-control-date": "china_export_controls_7_hree"}
DEPOSIT_FACT = "turkey_beylikova_ree_deposit"
#: The facts of the industrial-context table the prose quotes.
CONTEXT_FACTS: dict[str, str] = {"types_eu": "weapon_system_types_europe",
                                 "types_us": "weapon_system_types_us",
                                 "shells_ru": "russia_artillery_shell_output",
                                 "shells_west": "us_europe_shells_for_ukraine"}


#: The US-content licence cases the prose sets beside the engine rows: (programme, buyer named in
#: the dependency) of the export-licence rows of programme_dependencies.csv.
LICENCE_CASES: dict[str, tuple[str, str]] = {"t129-pakistan": ("T129 ATAK helicopter", "Pakistan"),
                                             "hurjet-spain": ("Hürjet trainer", "Spain")}
#: The rows of eu_defence_rules.csv the prose quotes, by glue key.
RULES_QUOTED: dict[str, str] = {
    "safe-act": "safe_legal_act", "edip-act": "edip_legal_act",
    "safe-components": "safe_component_rule", "edip-components": "edip_component_rule",
    "safe-agreement": "safe_third_country_agreement", "safe-unanimity": "safe_unanimity_sources",
    "safe-safeguard": "safe_security_safeguard", "greece-costa": "greece_condition_costa",
    "greece-condition": "greece_condition", "greece-veto": "greece_veto",
    "cyprus-position": "cyprus_position", "turkiye-application": "turkiye_application",
    "open-35": "third_countries_35_open", "piaggio": "piaggio_route", "cobra": "cobra_ii_route",
}


def licence_case(dependencies: pd.DataFrame, programme: str, buyer: str) -> str:
    """The export-licence rows of one programme that name a buyer, in words, each with its
    line (KeyError when there is none)."""
    rows = dependencies[(dependencies["programme"] == programme)
                        & (dependencies["component_kind"] == "export licence")
                        & dependencies["dependency"].str.contains(buyer, regex=False)]
    if rows.empty:
        raise KeyError(f"programme_dependencies.csv has no export-licence row of {programme!r} "
                       f"naming {buyer!r}")
    return "; ".join(f"{r['dependency']}: {r['status']} as of {prose.date(r['status_date'])} "
                     f"[line {line}]" for line, r in rows.iterrows())


@dataclass(frozen=True, kw_only=True)
class ConstraintsChapter(ChapterResult):
    """The chapter's glued values, tables and figures, and the frames behind them."""

    events: pd.DataFrame  #: the dated events of the timeline, with lanes and periods
    matrix: pd.DataFrame  #: flagship programmes against the kinds of foreign input
    share: constraints.Share  #: the mining country's share of world mine production
    crma: pd.DataFrame  #: the EU's critical raw materials and what the data say about China


def engine_summary(entries: pd.DataFrame, flagship: str) -> str:
    """The engine and engine-licence entries of one flagship, in words, each with its line."""
    rows = entries[(entries["flagship"] == flagship)
                   & entries["component_kind"].isin(["engine", "export licence"])]
    if rows.empty:
        raise KeyError(f"the dependency table has no engine or licence row for {flagship!r}")
    return "; ".join(f"{r['dependency']} ({r['supplier_country']}): {r['status']} as of "
                     f"{r['status_date']} [line {r['line']}]" for _, r in rows.iterrows())


def _timeline(timeline_table: pd.DataFrame, values: dict[str, str], tables: dict[str, Table],
              figs: dict[str, Figure]) -> pd.DataFrame:
    events = constraints.timeline_events(timeline_table)
    events = events.assign(label=[  # what the chart writes beside each mark
        f"{constraints.date_with_precision(d, p)}: {e}"
        for d, p, e in zip(events["date"], events["date_precision"], events["event"], strict=True)])
    curated_note = timeline_table.attrs["source_note"]
    lanes_used = [lane for lane in constraints.LANE_ORDER if lane in set(events["lane"])]
    precision_counts = events["date_precision"].value_counts()
    first, last = events["start"].min()[:4], events["start"].max()[:4]
    values.update({
        "n-events": prose.count(len(events)), "n-lanes": prose.count(len(lanes_used)),
        "first-event-year": first, "last-event-year": last,
        "n-day": prose.count(precision_counts.get("day", 0)),
        "n-coarse": prose.count(len(events) - precision_counts.get("day", 0)),
    })
    # the rows the audit corrected, as their notes say (not a count typed into the prose)
    corrected = [str(n) for n in constraints.audit_corrections(timeline_table)["line"]]
    if not corrected:
        raise KeyError("no timeline row's note records a correction made in the audit")
    values.update({
        "n-audit-corrected": prose.count(len(corrected)),
        "audit-corrected-lines": ("line " if len(corrected) == 1 else "lines ") + (
            corrected[0] if len(corrected) == 1
            else ", ".join(corrected[:-1]) + " and " + corrected[-1]),
    })
    # the policy choice specific to Türkiye: the S-400 deliveries and the sanctions that followed
    for key, category in (("s400-date", "S-400"), ("caatsa-date", "CAATSA")):
        rows = events[events["category"] == category]
        if rows.empty:
            raise KeyError(f"the timeline has no {category!r} event")
        values[key] = prose.date(str(rows["date"].iloc[0]))
    deliveries = events[(events["category"] == "S-400")
                        & events["event"].str.contains("delivered", case=False)]
    values["s400-delivered-date"] = (prose.date(str(deliveries["date"].iloc[0]))
                                     if not deliveries.empty else values["s400-date"])
    timeline_chart = charts.timeline_lanes(
        events, lanes=lanes_used,
        heading=charts.title(
            "Sanctions, permits and deals that shaped Türkiye's defence trade with Europe",
            [(f"Dated events {first}-{last}, one lane per theme, each named beside its mark; "
             "a dot is known to the day, a bar spans the month or year its source gives"),
             ("Hover for the whole event, its value and unit and its source; click a mark to "
             "open the source; every event is also in the table below")]),
    )
    figs["timeline"] = figures.figure(
        "timeline", timeline_chart, data=events,
        source=f"{curated_note}; sources named on each event and linked in the table below",
        description=(f"Timeline of {len(events)} dated events from {first} to {last} in "
                     f"{len(lanes_used)} lanes: " + ", ".join(lanes_used) + ". Each event, its "
                     "value and its source are listed in the table that follows."),
        table_beside="timeline-table")
    timeline_rows = events.assign(
        shown_date=[constraints.date_with_precision(d, p)
                    for d, p in zip(events["date"], events["date_precision"], strict=True)]
    ).rename(columns={
        "shown_date": "Date", "date_precision": "Known to the", "lane": "Lane", "event": "Event",
        "value_label": "Value (unit)", "source_title": "Source", "source_url": "Source address",
        "source_date": "Source dated", "quality_note": "Note", "line": "Line in the curated file"})[
        ["Date", "Lane", "Event", "Value (unit)", "Source", "Source address", "Known to the",
         "Source dated", "Note", "Line in the curated file"]]
    tables["timeline-table"] = linked_table(
        "timeline-table", timeline_rows, links=[("Source", "Source address")],
        hidden=["Known to the", "Source dated", "Note", "Line in the curated file"],
        source=f"{curated_note}; each row's source is linked",
        caption="Every dated event of the timeline with its source")
    return events


def _dependencies(dependencies: pd.DataFrame, values: dict[str, str],
                  tables: dict[str, Table]) -> pd.DataFrame:
    matrix = constraints.dependency_matrix(dependencies)
    entries = constraints.matrix_entries(dependencies)
    outside = constraints.programmes_outside_matrix(dependencies)
    values.update({
        "n-dep-rows": prose.count(len(dependencies)),
        "n-dep-programmes": prose.count(dependencies["programme"].nunique()),
        "n-flagships": prose.count(len(matrix)),
        "n-matrix-cells": prose.count(len(matrix) * len(constraints.COLUMN_ORDER)),
        "n-empty-cells": prose.count(constraints.empty_cells(matrix)),
        "n-matrix-entries": prose.count(len(entries)),
        "n-outside": prose.count(len(outside)),
        "outside-list": ", ".join(outside),
    })
    values.update({key: engine_summary(entries, flagship)
                   for key, flagship in ENGINE_SUMMARIES.items()})
    # the rows added for this chapter, as their notes say (the method counted them in a word)
    added = constraints.rows_added_for_chapter(dependencies)
    if added.empty:
        raise KeyError("no row's note in programme_dependencies.csv records that it was added for "
                       "the constraints chapter")
    values.update({
        "n-dep-added": prose.count_words(len(added), capital=True),
        "dep-added-list": "; ".join(f"{r.programme}: {r.dependency} [line {r.line}]"
                                    for r in added.itertuples()),
    })
    tables["dependency-matrix"] = linked_table(
        "dependency-matrix", matrix, breaks=constraints.COLUMN_ORDER,
        source=(f"{dependencies.attrs['source_note']}; each entry names its line in "
                "programme_dependencies.csv, whose source is linked in the next table"),
        caption="Flagship programmes against the foreign inputs and restrictions that touch them")
    dependency_rows = entries.assign(
        status_at=[f"{st}, {constraints.date_with_precision(d, p)}" for st, d, p in
                   zip(entries["status"], entries["status_date"], entries["date_precision"],
                       strict=True)]
    ).rename(columns={
        "line": "Line", "flagship": "Flagship", "matrix_column": "Matrix column",
        "programme": "Programme", "dependency": "Dependency", "foreign_supplier": "Supplier",
        "supplier_country": "Supplier country", "status_at": "Status at its date",
        "effect": "Effect", "source_title": "Source", "source_url": "Source address",
        "source_date": "Source dated", "quality_note": "Source quality and doubts"})[
        ["Line", "Flagship", "Dependency", "Status at its date", "Source", "Source address",
         "Source quality and doubts", "Matrix column", "Programme", "Supplier", "Supplier country",
         "Effect", "Source dated"]]
    tables["dependency-rows"] = linked_table(
        "dependency-rows", dependency_rows, links=[("Source", "Source address")],
        hidden=["Matrix column", "Programme", "Supplier", "Supplier country", "Effect",
                "Source dated"],
        source=f"{dependencies.attrs['source_note']}; each row's source is linked",
        caption="The curated rows behind the matrix, with status date and source")
    return matrix


def _rare_earths(rare_earths: pd.DataFrame, minerals: pd.DataFrame, *, usgs_vintage: str,
                 mining_country: str, values: dict[str, str],
                 tables: dict[str, Table], figs: dict[str, Figure]) -> constraints.Share:
    usgs_source = rare_earths.attrs["source_note"]
    before, latest = constraints.production_years(rare_earths)
    column, production_year, earlier_year = latest.column, latest.year, before.year
    share = constraints.share_of_world(rare_earths, mining_country, column)
    earlier = constraints.share_of_world(rare_earths, mining_country, before.column)
    reconciled = constraints.reconcile_world_total(rare_earths).set_index("column")
    reserves = constraints.share_of_world(rare_earths, mining_country, "reserves_t")
    if not reconciled["consistent"].all():
        raise ValueError(f"USGS country sums do not reconcile with the world totals:\n{reconciled}")
    refining = constraints.fact_row(minerals, REFINING_FACT)
    beylikova = constraints.fact_row(minerals, DEPOSIT_FACT)
    values.update({
        "vintage": usgs_vintage, "production-year": production_year,
        "earlier-year": earlier_year, "mining-country": mining_country,
        "production-basis": "USGS estimates" if latest.estimated else "USGS figures",
        "china-share": prose.percent(share.pct_of_world),
        "china-share-1dp": prose.percent(share.pct_of_world, 1),
        "china-share-of-sum": prose.percent(share.pct_of_sum, 1),
        "china-production": prose.number(share.value),
        "world-production": prose.number(share.world_total),
        "country-sum": prose.number(share.country_sum),
        "china-share-earlier": prose.percent(earlier.pct_of_world),
        "world-production-earlier": prose.number(earlier.world_total),
        "country-sum-earlier": prose.number(earlier.country_sum),
        "rounding-unit": prose.number(reconciled.loc[column, "rounding_unit"]),
        "china-reserves": prose.number(reserves.value),
        "world-reserves-bound": prose.number(reserves.world_total),
        # an upper bound (the world's reserves are a lower bound): rounded up, never down
        "china-reserves-share-max": prose.percent(math.ceil(reserves.pct_of_world * 10) / 10, 1),
        "n-reserves-na": prose.count(reconciled.loc["reserves_t", "countries_not_available"]),
        "refining-share": prose.percent(float(refining["value"])),
        "refining-source": refining["source_title"],
        **{key: constraints.fact_row(minerals, fact)["value"]
           for key, fact in CONTROL_FACTS.items()},
        "n-ree-controlled": prose.count_words(len(constraints.rare_earths_named(
            constraints.fact_row(minerals, CONTROL_FACTS["ree-control-date"])["description"]))),
        "beylikova-ore": prose.number(float(beylikova["value"])),
    })

    by_country = constraints.production_by_country(rare_earths, mining_country)
    drawn = by_country[by_country[column] > 0][["country", column, "share_latest_pct", "highlight"]]
    ree_chart = charts.bar_by_category(
        drawn, category="country", value=column,
        value_title=f"Mine production {production_year} (t REO)", highlight="highlight",
        heading=charts.title(
            f"World rare-earth mine production by country, {production_year}",
            [("Tonnes of rare-earth-oxide (REO) equivalent; "
              + (f"{production_year} values are USGS estimates; " if latest.estimated else "")
              + "countries with none are left out"),
             (f"{mining_country} picked out; its share of the world total is this report's "
             "calculation")]),
        extra_tooltips=[("share_latest_pct", "Share of USGS world total (%)", ".1f")],
    )
    figs["ree-production"] = figures.figure(
        "ree-production", ree_chart, data=drawn, source=usgs_source,
        description=(f"Bar chart of rare-earth mine production in {production_year} by country, "
                     f"in tonnes REO; {mining_country} mined {prose.number(share.value)} t of a "
                     f"world total of {prose.number(share.world_total)} t "
                     f"({prose.percent(share.pct_of_world)})."))
    earlier_title = f"Mine production {before.label} (t REO)"
    latest_title = f"Mine production {latest.label} (t REO)"
    share_title = f"Share of world {production_year} (%)"
    ree_rows = by_country.rename(columns={
        "country": "Country", before.column: earlier_title, column: latest_title,
        "reserves_t": "Reserves (t REO)", "share_latest_pct": share_title})[
        ["Country", earlier_title, latest_title, share_title, "Reserves (t REO)"]]
    tables["ree-table"] = figures.table(
        "ree-table", ree_rows, source=f"{usgs_source}; shares are this report's calculation",
        caption="Rare-earth mine production and reserves by country (USGS)",
        formats={earlier_title: ",.0f", latest_title: ",.0f", share_title: ",.1f",
                 "Reserves (t REO)": ",.0f"})
    reconcile_rows = constraints.reconcile_world_total(rare_earths).rename(columns={
        "column": "USGS column", "country_sum": "Sum of the rows (t)",
        "usgs_world_total": "USGS world total (t)", "difference": "Difference (t)",
        "rounding_unit": "Rounded to (t)", "world_total_is_lower_bound": "Total is a lower bound",
        "countries_not_available": "Rows 'NA'", "consistent": "Consistent"})
    tables["ree-reconcile"] = figures.table(
        "ree-reconcile", reconcile_rows, source=f"{usgs_source}; reconciliation is ours",
        caption="Country sums against USGS's rounded world totals",
        formats={"Sum of the rows (t)": ",.0f", "USGS world total (t)": ",.0f",
                 "Difference (t)": "+,.0f", "Rounded to (t)": ",.0f"})
    return share


def _crma(crma: pd.DataFrame, minerals: pd.DataFrame, rare_earths: pd.DataFrame,
          share: constraints.Share, values: dict[str, str],
          tables: dict[str, Table]) -> pd.DataFrame:
    usgs_source = rare_earths.attrs["source_note"]
    china = constraints.crma_china(crma, minerals, share, usgs_title=usgs_source,
                                   usgs_url=rare_earths.attrs["url"])
    summary = constraints.crma_summary(china)
    values.update({
        "n-crma": prose.count(len(crma)),
        "n-strategic": prose.count(
            crma.loc[crma["crma_annex_i_strategic_entry"].str.strip() != "",
                     "crma_annex_i_strategic_entry"].nunique()),
        "n-crma-facts": prose.count(china.loc[china["kind"] != "none", "material"].nunique()),
        "n-crma-silent": prose.count(len(summary["silent"])),
        "crma-above-half": ", ".join(summary["share_above_half"]),
        "crma-at-most-half": ", ".join(summary["share_at_most_half"]),
        "crma-controlled": ", ".join(summary["export_controlled"]),
    })
    crma_rows = china.assign(
        value_unit=[constraints.value_with_unit(v, u) for v, u in
                    zip(china["value"], china["unit"], strict=True)],
        strategic=["yes" if e.strip() else "no" for e in china["strategic_entry"]],
    ).rename(columns={
        "strategic": "Strategic (Annex I)",
        "material": "Material (CRMA Annex II)", "strategic_entry": "Strategic entry (Annex I)",
        "what": "What the report's data say about China", "value_unit": "Value (unit)",
        "period": "Period", "source_title": "Source", "source_url": "Source address",
        "source_note": "Note on the source", "crma_line": "Line in the CRMA table"})[
        ["Material (CRMA Annex II)", "Strategic (Annex I)", "What the report's data say about China",
         "Value (unit)", "Period", "Source", "Source address", "Strategic entry (Annex I)",
         "Note on the source", "Line in the CRMA table"]]
    tables["crma-china"] = linked_table(
        "crma-china", crma_rows, links=[("Source", "Source address")],
        hidden=["Strategic entry (Annex I)", "Note on the source", "Line in the CRMA table"],
        source=(f"{crma.attrs['source_note']}; {minerals.attrs['source_note']}; {usgs_source}; "
                "each fact's source is linked"),
        caption="The EU's critical raw materials and what the report's data say about China")
    return china


def _industrial_context(context: pd.DataFrame, values: dict[str, str],
                        tables: dict[str, Table]) -> None:
    facts = {role: constraints.fact_row(context, fact) for role, fact in CONTEXT_FACTS.items()}
    n_primary = int((context["source_quality"] == "primary").sum())
    values.update({
        "types-eu": prose.count(int(float(facts["types_eu"]["value"]))),
        "types-us": prose.count(int(float(facts["types_us"]["value"]))),
        "types-period": facts["types_eu"]["period"],
        "types-quality": facts["types_eu"]["source_quality"],
        "shells-ru": prose.number(float(facts["shells_ru"]["value"])),
        "shells-west": prose.number(float(facts["shells_west"]["value"])),
        "shells-period": facts["shells_ru"]["period"],
        "shells-quality": facts["shells_ru"]["source_quality"],
        "n-context": prose.count(len(context)),
        "n-context-primary": ("none rests" if n_primary == 0 else
                              f"{prose.count(n_primary)} {'rests' if n_primary == 1 else 'rest'}"),
    })
    context_rows = context.reset_index().assign(
        value_unit=[constraints.value_with_unit(v, u) for v, u in
                    zip(context["value"], context["unit"], strict=True)]
    ).rename(columns={
        "description": "Fact", "value_unit": "Value (unit)", "period": "Period",
        "source_quality": "Source quality", "source_title": "Source",
        "source_url": "Source address", "source_date": "Source dated", "quality_note": "Note",
        "_line": "Line in the curated file"})[
        ["Fact", "Value (unit)", "Period", "Source quality", "Source", "Source address",
         "Source dated", "Note", "Line in the curated file"]]
    tables["industrial-context"] = linked_table(
        "industrial-context", context_rows, links=[("Source", "Source address")],
        hidden=["Source dated", "Note", "Line in the curated file"],
        source=f"{context.attrs['source_note']}; each row's source is linked",
        caption="Europe's defence-industrial base: facts and the quality of their sources")


def _rules(rules: pd.DataFrame, dependencies: pd.DataFrame, customers: list[str],
           values: dict[str, str], tables: dict[str, Table]) -> pd.DataFrame:
    """The EU rules that bind Türkiye (SAFE, EDIP), the positions of Greece and Cyprus with their
    dates, the routes still open, the SAFE loans of Türkiye's European customers, and the
    US-content licence cases."""
    note = rules.attrs["source_note"]
    for key, rule_id in RULES_QUOTED.items():
        r = constraints.rule_row(rules, rule_id)
        values[f"{key}-statement"] = r["statement"]
        values[f"{key}-date"] = prose.date(r["date"])  # '2025-10' -> 'October 2025'
        values[f"{key}-grade"] = r["source_grade"]
    for key, rule_id in (("safe-components", "safe_component_rule"),
                         ("edip-components", "edip_component_rule")):
        values[f"{key}-pct"] = prose.percent(float(constraints.rule_row(rules, rule_id)["value"]))
    ceiling = constraints.rule_row(rules, constraints.LOAN_CEILING)
    values["safe-ceiling"] = f"EUR {prose.number(float(ceiling['value']))} billion"
    loans = constraints.safe_loans(rules)
    tentative = loans[loans["kind"] == constraints.TENTATIVE]
    mine = constraints.customer_loans(loans, customers, constraints.TENTATIVE)
    if mine.empty:
        raise ValueError("none of Türkiye's European customers has a tentative SAFE allocation "
                         "in eu_defence_rules.csv")
    top = mine.iloc[0]
    values.update({
        "n-safe-borrowers": prose.count(len(tentative)),
        "n-customers": prose.count(len(customers)),
        "n-customers-borrowing": prose.count(len(mine)),
        "customers-not-borrowing": ", ".join(c for c in customers
                                             if c not in set(mine["country"])) or "none",
        "top-borrower": str(top["country"]),
        "top-borrower-eur": f"EUR {prose.number(float(top['eur_bn']), 1)} billion",
        "top-borrower-share": prose.percent(float(top["share_of_all_pct"])),
        "customers-share": prose.percent(float(mine["share_of_all_pct"].sum())),
        "customers-eur": f"EUR {prose.number(float(mine['eur_bn'].sum()), 1)} billion",
        "customers-borrowing-list": "; ".join(
            f"{r.country} EUR {prose.number(float(r.eur_bn), 2)} billion"
            for r in mine.itertuples()),
        "greece-eur": f"EUR {prose.number(float(tentative.set_index('country').loc['Greece', 'eur_bn']), 2)} billion",
        "cyprus-eur": f"EUR {prose.number(float(tentative.set_index('country').loc['Cyprus', 'eur_bn']), 2)} billion",
        "safe-allocation-date": prose.date(str(tentative["date"].iloc[0])),
    })
    values.update({key: licence_case(dependencies, programme, buyer)
                   for key, (programme, buyer) in LICENCE_CASES.items()})
    # the routes beyond the capped share: counted, and each one quoted in the prose
    routes = constraints.routes_beyond_the_cap(rules)
    unquoted = routes[~routes["rule_id"].isin(list(RULES_QUOTED.values()))]
    if not unquoted.empty:
        raise KeyError("eu_defence_rules.csv has routes still open that the chapter does not quote "
                       "(add them to RULES_QUOTED and the prose): " + ", ".join(
                           f"line {r.line} {r.rule_id!r}" for r in unquoted.itertuples()))
    values["n-routes-beyond-cap"] = prose.count_words(len(routes), capital=True)
    shown = loans.assign(
        customer=["yes" if c in set(customers) else "no" for c in loans["country"]],
    ).rename(columns={"country": "Member state", "kind": "Kind", "eur_bn": "EUR billion",
                      "customer": "Buys from Türkiye (SIPRI)", "date": "Dated",
                      "source_title": "Source", "source_url": "Source address",
                      "source_grade": "Source grade", "line": "Line in the curated file"})[
        ["Member state", "Kind", "EUR billion", "Buys from Türkiye (SIPRI)", "Dated", "Source",
         "Source address", "Source grade", "Line in the curated file"]]
    tables["safe-loans"] = linked_table(
        "safe-loans", shown.sort_values(["Kind", "EUR billion"], ascending=[False, False]),
        links=[("Source", "Source address")], hidden=["Line in the curated file"],
        source=f"{note}; customers from SIPRI's deal register; each row's source is linked",
        caption="SAFE loans by member state: the Commission's tentative allocation and the "
                "Council's maximum loans",
        formats={"EUR billion": ",.2f"})
    rule_rows = rules[rules["topic"] != "loan amount"].reset_index().assign(
        shown_date=lambda f: [constraints.date_with_precision(d, p) for d, p in
                              zip(f["date"], f["date_precision"], strict=True)],
    ).rename(columns={"instrument": "Instrument", "topic": "Topic", "actor": "Who",
                      "statement": "Rule or position", "shown_date": "Dated",
                      "source_title": "Source", "source_url": "Source address",
                      "source_grade": "Source grade", "quality_note": "Note",
                      "_line": "Line in the curated file"})[
        ["Topic", "Instrument", "Rule or position", "Who", "Dated", "Source", "Source address",
         "Source grade", "Note", "Line in the curated file"]]
    tables["eu-rules"] = linked_table(
        "eu-rules", rule_rows, links=[("Source", "Source address")],
        hidden=["Note", "Line in the curated file"],
        source=f"{note}; each row's source is linked",
        caption="The EU rules that bind Türkiye and the positions taken on them, with dates")
    return mine


def run(*, usgs_vintage: str, mining_country: str, deals_vintage: str, supplier: str,
        europe_region: str) -> ConstraintsChapter:
    """Compute and publish the chapter for these parameters (see ``chapters/params.yml``)."""
    timeline_table = curated.table("constraints_and_europe_timeline.csv")
    dependencies = curated.table("programme_dependencies.csv")
    minerals = curated.table("critical_minerals_facts.csv")
    crma = curated.table("eu_critical_raw_materials_crma_2024.csv")
    context = curated.table("european_defence_industrial_context.csv")
    rare_earths = usgs.rare_earths(usgs_vintage)

    values: dict[str, str] = {}
    tables: dict[str, Table] = {}
    figs: dict[str, Figure] = {}
    events = _timeline(timeline_table, values, tables, figs)
    matrix = _dependencies(dependencies, values, tables)
    share = _rare_earths(rare_earths, minerals, usgs_vintage=usgs_vintage,
                         mining_country=mining_country,
                         values=values, tables=tables, figs=figs)
    china = _crma(crma, minerals, rare_earths, share, values, tables)
    _industrial_context(context, values, tables)
    members = curated.table("nato_members.csv")
    supplier_iso3 = countries.to_iso3([supplier])[0]
    customers = sorted(set(exports.deals_with(sipri_transfers.deals(deals_vintage), supplier,
                                              members, europe_region,
                                              exclude=[supplier_iso3] if supplier_iso3 else [])
                           ["recipient"]))
    _rules(curated.table("eu_defence_rules.csv"), dependencies, customers, values, tables)
    return ConstraintsChapter(values=values, tables=tables, figures=figs, events=events,
                              matrix=matrix, share=share, crma=china)
