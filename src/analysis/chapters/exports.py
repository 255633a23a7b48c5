"""The exports chapter: Türkiye as a supplier to Europe, from SIPRI's registers and the official
USD series. :func:`run` takes the chapter's parameters and returns :class:`ExportsChapter`.

Two SIPRI editions, never spliced: every windowed figure (windows, ranks, shares, customers,
Europe's suppliers, orders) comes from SIPRI's newest edition, the 2026 deal register, split into
years by this report's allocation (:mod:`analysis.calc.allocation`) and reconciled with SIPRI's
published 2021-25 figures; the yearly chart keeps SIPRI's exact yearly values of the 2025
edition, labelled as such. The years reported come from the registers' own coverage.

The calculations are :mod:`analysis.calc.exports`'s; this module loads the validated tables, calls
them, and publishes the figures and tables the notebook glues.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.calc import allocation, exports, key_figures, prose
from analysis.calc.key_figures import KeyFigure
from analysis.chapters import pages
from analysis.chapters.result import ChapterResult
from analysis.data import countries, editions, sources
from analysis.data.readers import curated, sipri_transfers
from analysis.publishing import charts, figures
from analysis.publishing.figures import Figure, Table

SIDE_FACTS_FILE = "turkey_export_side_facts.csv"
#: The side fact the dollars section sets beside SIPRI's North American deliveries.
USA_FACT = "exports_to_USA_2020"


@dataclass(frozen=True, kw_only=True)
class ExportsChapter(ChapterResult):
    """The chapter's glued values, tables and figures, and the frames behind them."""

    yearly: pd.DataFrame  #: TIV delivered per year (year, tiv)
    by_window: pd.DataFrame  #: TIV per window with the change on the previous one
    standing: pd.DataFrame  #: rank and share of world exports per window
    groups: pd.DataFrame  #: deliveries per window and recipient group
    deals: pd.DataFrame  #: every deal with a European NATO ally (deals register)
    europe_suppliers: pd.DataFrame  #: European allies' imports per window and supplier
    usd: pd.DataFrame  #: the three USD series as drawn
    reconciliation: pd.DataFrame  #: this report's estimate beside SIPRI's published figures
    key_results: pd.DataFrame  #: the key results now and on the previous deal register


def share_text(x: float) -> str:
    """A share for prose: one decimal, and a plain zero when there is nothing."""
    return "0%" if x == 0 else prose.percent(x, 1)


def usd_value(usd_drawn: pd.DataFrame, series_key: str, year: int) -> float:
    """One value of a USD series (``series_key`` of :data:`analysis.exports.USD_SERIES`)."""
    rows = usd_drawn[(usd_drawn["series"] == exports.USD_SERIES[series_key])
                     & (usd_drawn["year"] == year)]
    if rows.empty:
        raise KeyError(f"the {series_key} USD series has no value for {year}")
    return float(rows["usd_million"].iloc[0])


def values_edition(vintage: str) -> str:
    return edition(vintage, sipri_transfers.DELIVERIES_FILE)


def edition(vintage: str, filename: str) -> str:
    """The edition a SIPRI file's sidecar names, without its bracketed note."""
    return sources.resolve(sipri_transfers.SOURCE, vintage, filename).meta["edition"].split("(")[0].strip()


#: SIPRI's published figures for its newest edition (published_headlines.csv, by their fact)
PUBLISHED = {
    "rank": "Türkiye rank among the world's arms exporters, 2021-25",
    "share": "Türkiye share of global arms exports, 2021-25",
    "share-previous": "Türkiye share of global arms exports, 2016-20",
    "change": "Change in Türkiye arms exports, 2016-20 to 2021-25",
    "world-change": ("Change in the global volume of international transfers of major arms, "
                     "2016-20 to 2021-25"),
}


def published(headlines: pd.DataFrame, key: str) -> float:
    rows = headlines[headlines["fact"] == PUBLISHED[key]]
    if len(rows) != 1:
        raise KeyError(f"published_headlines.csv has {len(rows)} rows for {PUBLISHED[key]!r}")
    return float(rows["value"].iloc[0])


def reconcile(standing: pd.DataFrame, exporters: pd.DataFrame, headlines: pd.DataFrame,
              latest: str, previous: str) -> pd.DataFrame:
    """This report's estimate from the deal register beside what SIPRI published."""
    now = standing.set_index("window").loc[latest]
    before = standing.set_index("window").loc[previous]
    world = exporters.groupby("window")["tiv"].sum()
    ours = {
        "rank": float(now["rank"]), "share": float(now["share_pct"]),
        "share-previous": float(before["share_pct"]),
        "change": (float(now["tiv"]) / float(before["tiv"]) - 1) * 100,
        "world-change": (float(world[latest]) / float(world[previous]) - 1) * 100,
    }
    rows = [{"measure": PUBLISHED[k], "this_report": ours[k], "sipri": published(headlines, k)}
            for k in PUBLISHED]
    out = pd.DataFrame(rows)
    out["difference"] = out["this_report"] - out["sipri"]
    return out


def key_results(deals: pd.DataFrame, members: pd.DataFrame, *, supplier: str,
                supplier_name: str, first_year: int, window_length: int) -> list[KeyFigure]:
    """The chapter's key results from one deal register (its allocation into years, windows
    ending in its own last year): the supplier's rank and share among the world's exporters,
    the change on the previous window, and its share of European NATO allies' imports. The
    build compares them with the same results on the previous edition's register."""
    supplier_iso3 = countries.to_iso3([supplier])[0]
    register = allocation.allocate(deals)
    last_year = int(register["delivery_year"].max())
    spans = exports.windows(first_year, last_year, window_length)
    labels = [exports.window_label(start, window_length) for start, _ in spans]
    latest_window = labels[-1]
    by_window = exports.window_totals(
        exports.yearly_tiv(register, supplier, spans[0][0], last_year), window_length)
    latest = by_window.iloc[-1]
    standing = exports.supplier_standing(
        exports.exporters_by_window(register, spans, window_length), supplier)
    now = standing.iloc[-1]
    by_supplier = exports.suppliers_of(
        exports.european_imports(register, members, spans, window_length,
                                 exclude_recipients=[supplier_iso3]), labels)
    change = f"{labels[-2]} to {latest_window}"
    return [
        KeyFigure("rank-latest", f"{supplier_name}'s rank among the world's arms exporters",
                  prose.count(now["rank"]), latest_window),
        KeyFigure("share-latest", f"{supplier_name}'s share of world arms exports",
                  share_text(now["share_pct"]), latest_window),
        KeyFigure("latest-window-tiv", f"{supplier_name}'s arms exports (TIV, millions)",
                  prose.number(latest["tiv"]), latest_window),
        KeyFigure("window-change", f"Change in {supplier_name}'s arms exports on the previous "
                  "window", prose.percent(latest["change_pct"], signed=True), change),
        KeyFigure("tr-eu-share-latest", f"{supplier_name}'s share of European NATO allies' "
                  "arms imports",
                  share_text(exports.share_of_imports(by_supplier, latest_window, supplier)),
                  latest_window),
    ]


def run(*, deliveries_vintage: str, deals_vintage: str, same_edition_deals_vintage: str,
        supplier: str, first_year: int, window_length: int, europe_region: str,
        comparison_suppliers: Sequence[str], top_exporters_shown: int) -> ExportsChapter:
    """Compute and publish the chapter for these parameters (see ``chapters/params.yml``)."""
    exact = sipri_transfers.deliveries(deliveries_vintage)  # SIPRI's yearly values, older edition
    deals = sipri_transfers.deals(deals_vintage)  # SIPRI's newest edition, deal level
    register = allocation.allocate(deals)  # this report's yearly split of it
    last_year = int(register["delivery_year"].max())  # the newest edition's last year of data
    exact_last = int(exact["delivery_year"].max())
    headlines = curated.table("published_headlines.csv")
    members = curated.table("nato_members.csv")
    usd = curated.table(exports.USD_FILE)
    side_facts = curated.table(SIDE_FACTS_FILE).set_index("fact_id")
    comparison_suppliers = list(comparison_suppliers)

    values: dict[str, str] = {}
    tables: dict[str, Table] = {}
    figs: dict[str, Figure] = {}

    exact_source = exact.attrs["source_note"]
    deals_source = deals.attrs["source_note"]
    source = f"{deals_source}; yearly split and windows: this report's estimate"
    supplier_iso3 = countries.to_iso3([supplier])[0]
    if supplier_iso3 is None:
        raise ValueError(f"supplier {supplier!r} is not a country of analysis.countries")
    supplier_name = members.set_index("iso3").loc[supplier_iso3, "country"]  # "Türkiye"
    spans = exports.windows(first_year, last_year, window_length)
    window_order = [exports.window_label(start, window_length) for start, _ in spans]
    latest_window, previous_window = window_order[-1], window_order[-2]
    values.update({
        "supplier-name": supplier_name, "window-length": str(window_length),
        "vintage": deliveries_vintage, "deals-vintage": deals_vintage,
        "first-year": str(first_year), "last-year": str(last_year),
        "exact-last-year": str(exact_last), "windows-first-year": str(spans[0][0]),
        "latest-window": latest_window, "previous-window": previous_window,
        "allocation-method": allocation.METHOD,
    })

    # 1. Trend: SIPRI's exact yearly values (older edition); windows from the newest edition
    yearly = exports.yearly_tiv(exact, supplier, first_year, exact_last)
    by_window = exports.window_totals(
        exports.yearly_tiv(register, supplier, spans[0][0], last_year), window_length)
    latest, previous = by_window.iloc[-1], by_window.iloc[-2]
    peak = exports.largest_year(yearly)
    swing = exports.largest_swing(yearly)
    big_deal = exports.largest_deal(register, supplier, int(latest["start"]), int(latest["end"]))
    values.update({
        "total-tiv": prose.number(yearly["tiv"].sum()),
        "latest-window-tiv": prose.number(latest["tiv"]),
        "previous-window-tiv": prose.number(previous["tiv"]),
        "window-change": prose.percent(latest["change_pct"], signed=True),
        "window-change-words": (("grew by " if latest["change_pct"] >= 0 else "fell by ")
                                + prose.percent(abs(latest["change_pct"]))),
        "previous-window-change": prose.percent(previous["change_pct"], signed=True),
        "peak-year": str(int(peak["year"])), "peak-tiv": prose.number(peak["tiv"]),
        "swing-year": str(int(swing["year"])), "swing-from": prose.number(swing["from"]),
        "swing-to": prose.number(swing["to"]),
        "big-deal": (f"{big_deal['designation'].rstrip(' -')} ({big_deal['description']}) for "
                     f"{big_deal['recipient']}"),
        "big-deal-tiv": prose.number(big_deal["tiv_delivered"]),
        "big-deal-share": prose.percent(big_deal["share_pct"]),
    })
    chart = charts.bar_by_period(
        yearly, x="year", y="tiv", x_title="Year of delivery", y_title="TIV (millions)",
        heading=charts.title(f"{supplier_name}'s arms exports by year",
                             f"SIPRI trend-indicator values, millions (a volume index, not money); "
                             f"deliveries {first_year}-{exact_last}, SIPRI's exact yearly values "
                             f"({values_edition(deliveries_vintage)})"),
        tooltip_unit=", millions",
    )
    figs["tiv-by-year"] = figures.figure(
        "tiv-by-year", chart, data=yearly, source=exact_source,
        description=(f"Bar chart of {supplier_name}'s arms exports in SIPRI TIV by year, {first_year} "
                     f"to {exact_last}; the largest year is {int(peak['year'])} with "
                     f"{prose.number(peak['tiv'])} million TIV."))
    window_table = by_window.rename(columns={"window": "Window", "tiv": "TIV (millions)",
                                             "change_pct": "Change on previous window (%)"})[
        ["Window", "TIV (millions)", "Change on previous window (%)"]]
    tables["tiv-by-window"] = figures.table(
        "tiv-by-window", window_table, source=source,
        caption=f"{supplier_name}'s arms exports by {window_length}-year window",
        formats={"TIV (millions)": ",.0f", "Change on previous window (%)": "+,.0f"})

    # 2. Rank and share among the world's exporters, computed from the register
    exporters = exports.exporters_by_window(register, spans, window_length)
    standing = exports.supplier_standing(exporters, supplier)
    now, before = standing.iloc[-1], standing.iloc[-2]
    first_ranked = standing.dropna(subset=["rank"]).iloc[0]
    values.update({
        "rank-latest": prose.count(now["rank"]), "rank-previous": prose.count(before["rank"]),
        "rank-first": prose.count(first_ranked["rank"]),
        "rank-first-window": first_ranked["window"],
        "suppliers-latest": prose.count(now["suppliers"]),
        "share-latest": share_text(now["share_pct"]),
        "share-previous": share_text(before["share_pct"]),
        "world-latest-tiv": prose.number(now["world_tiv"]),
    })
    standing_table = standing.rename(columns={
        "window": "Window", "tiv": f"{supplier_name} (TIV m)", "world_tiv": "World (TIV m)",
        "share_pct": "Share of world (%)", "rank": "Rank", "suppliers": "Exporters"})
    tables["standing"] = figures.table(
        "standing", standing_table, source=source,
        caption=f"{supplier_name}'s rank and share of world arms exports by window",
        formats={f"{supplier_name} (TIV m)": ",.0f", "World (TIV m)": ",.0f",
                 "Share of world (%)": ",.2f"})

    # the estimate beside SIPRI's published figures, and beside SIPRI's exact yearly values
    # of one edition that SIPRI published both ways
    reconciliation = reconcile(standing, exporters, headlines, latest_window, previous_window)
    recon_shown = reconciliation.rename(columns={
        "measure": "Figure", "this_report": "This report (estimate)",
        "sipri": "SIPRI, published", "difference": "Difference"})
    tables["reconciliation"] = figures.table(
        "reconciliation", recon_shown,
        source=f"{source}; {headlines.attrs['source_note']}",
        caption=f"This report's estimate from SIPRI's deal register beside the figures SIPRI "
                f"published for {latest_window}",
        formats={"This report (estimate)": ",.1f", "SIPRI, published": ",.1f",
                 "Difference": "+,.1f"})
    check_deals = allocation.allocate(sipri_transfers.deals(same_edition_deals_vintage))
    check_last = min(exact_last, int(check_deals["delivery_year"].max()))
    check_span = exports.windows(first_year, check_last, window_length)[-1]
    exact_w = exports.yearly_tiv(exact, supplier, *check_span)["tiv"].sum()
    est_w = exports.yearly_tiv(check_deals, supplier, *check_span)["tiv"].sum()
    r = reconciliation.set_index("measure")["difference"]
    values.update({
        "recon-rank-ours": prose.count(reconciliation["this_report"].iloc[0]),
        "recon-rank-sipri": prose.count(reconciliation["sipri"].iloc[0]),
        "recon-share-sipri": prose.percent(published(headlines, "share"), 1),
        "recon-change-sipri": prose.percent(published(headlines, "change"), signed=True),
        "recon-world-gap": prose.number(abs(r[PUBLISHED["world-change"]]), 1),
        "recon-largest-gap": prose.number(r.drop(PUBLISHED["rank"]).abs().max(), 1),
        "check-window": exports.window_label(check_span[0], window_length),
        "check-exact": prose.number(exact_w), "check-estimate": prose.number(est_w),
        "check-gap": prose.percent((est_w / exact_w - 1) * 100, 1, signed=True),
        "check-edition": values_edition(deliveries_vintage),
    })
    top = exports.top_exporters(exporters, latest_window, top_exporters_shown, supplier)
    top_drawn = top[["supplier", "rank", "tiv", "share_pct"]].replace(
        {"supplier": {supplier: supplier_name}})
    chart = charts.ranked_bars(
        top_drawn, x="share_pct", y="supplier", x_title="Share of world arms exports (%)",
        y_title="Exporter", highlight=supplier_name, x_format=",.1f",
        extra_tooltips=[("tiv", "TIV (millions)", ",.0f"), ("rank", "Rank", "d")],
        heading=charts.title(f"The largest arms exporters, {latest_window}",
                             f"Share of world exports of major arms (%), from SIPRI TIV volumes; "
                             f"the top {top_exporters_shown} and {supplier_name}"),
    )
    figs["top-exporters"] = figures.figure(
        "top-exporters", chart, data=top_drawn, source=source,
        description=(f"Horizontal bars of the {top_exporters_shown} largest arms exporters' shares "
                     f"of world exports in {latest_window}; {supplier_name} ranks "
                     f"{int(now['rank'])} with {share_text(now['share_pct'])}."))

    # 3. Customers: recipients by window and by NATO group; deals with European allies
    recipients = exports.recipients_by_window(register, supplier, members, spans, window_length)
    groups = exports.group_shares(recipients, window_order)
    g_now = groups[groups["window"] == latest_window].set_index("group")
    g_before = groups[groups["window"] == previous_window].set_index("group")
    values.update({
        "eu-share-latest": share_text(g_now.loc[exports.EUROPEAN_NATO, "share_pct"]),
        "eu-tiv-latest": prose.number(g_now.loc[exports.EUROPEAN_NATO, "tiv"]),
        "eu-share-previous": share_text(g_before.loc[exports.EUROPEAN_NATO, "share_pct"]),
        "na-share-latest": share_text(g_now.loc[exports.OTHER_NATO, "share_pct"]),
        "rest-share-latest": share_text(g_now.loc[exports.REST, "share_pct"]),
        "recipients-latest": prose.count(
            recipients.loc[(recipients["window"] == latest_window) & (recipients["tiv"] > 0),
                           "recipient"].nunique()),
    })
    chart = charts.stacked_bars_by_period(
        groups, x="window", y="tiv", colour="group", colour_order=exports.GROUPS, x_title="Window",
        y_title="TIV (millions)", share="share_pct", tooltip_unit=", millions",
        heading=charts.title(f"Who receives {supplier_name}'s arms exports",
                             "SIPRI TIV, millions, by window and recipient group; an ally counts "
                             "from its NATO accession year on"),
    )
    figs["customer-groups"] = figures.figure(
        "customer-groups", chart, data=groups, source=source,
        description=(f"Stacked bars of {supplier_name}'s arms exports by window, split into European "
                     f"NATO allies, NATO allies in North America and the rest of the world; in "
                     f"{latest_window} European allies received "
                     f"{share_text(g_now.loc[exports.EUROPEAN_NATO, 'share_pct'])}."))
    recipient_wide = exports.recipient_table(recipients, window_order).rename(
        columns={"recipient": "Recipient", "total": "All windows"})
    tables["recipients"] = figures.table(
        "recipients", recipient_wide, source=source,
        caption=f"Recipients of {supplier_name}'s arms exports by window, SIPRI TIV (millions)",
        formats={c: ",.1f" for c in [*window_order, "All windows"]},
        pages={"Recipient": pages.ally_pages(recipient_wide["Recipient"], members)})

    deal_table = exports.deals_with(deals, supplier, members, europe_region, exclude=[supplier_iso3])
    pending = deal_table[deal_table["status"] == exports.ORDERED]
    buyers_latest = sorted(recipients.loc[(recipients["window"] == latest_window)
                                          & (recipients["group"] == exports.EUROPEAN_NATO),
                                          "recipient"].unique())
    signed_last = deal_table[deal_table["order_year"] == last_year]
    delivered_last = deal_table[deal_table["delivery_years"].str.contains(str(last_year))]
    values.update({
        "signed-last-year": prose.count(len(signed_last)),
        "signed-last-year-list": (", ".join(f"{d} for {r}" for d, r in
                                            zip(signed_last["designation"], signed_last["recipient"],
                                                strict=True)) or "none"),
        "delivered-last-year": prose.count(len(delivered_last)),
        "delivered-last-year-list": (", ".join(sorted({
            f"{d} to {r}" for d, r in zip(delivered_last["designation"],
                                          delivered_last["recipient"], strict=True)})) or "none"),
        "deals-count": prose.count(len(deal_table)),
        "deal-allies-count": prose.count(deal_table["recipient"].nunique()),
        "pending-count": prose.count(len(pending)),
        "pending-allies": ", ".join(sorted(pending["recipient"].unique())),
        "backlog-tiv": prose.number(exports.undelivered_tiv(deal_table)),
        "buyers-latest": ", ".join(buyers_latest),
        "buyers-latest-count": prose.count(len(buyers_latest)),
    })
    inline = {"buyers-latest-linked": pages.linked_list(buyers_latest, members),
              "pending-allies-linked": pages.linked_list(sorted(pending["recipient"].unique()),
                                                         members)}
    deal_shown = deal_table.assign(
        system=deal_table["designation"] + " (" + deal_table["description"] + ")")[
        ["recipient", "member_since", "system", "order_year", "number_ordered", "number_delivered",
         "delivery_years", "status", "tiv_order", "tiv_delivered", "comments"]].rename(columns={
            "recipient": "Recipient", "member_since": "In NATO since", "system": "System",
            "order_year": "Ordered", "number_ordered": "No. ordered",
            "number_delivered": "No. delivered", "delivery_years": "Delivered in",
            "status": "Status", "tiv_order": "Order (TIV m)", "tiv_delivered": "Delivered (TIV m)",
            "comments": "SIPRI comment"})
    tables["european-deals"] = figures.table(
        "european-deals", deal_shown, source=deals_source,
        caption=f"Every deal of {supplier_name} with a European NATO ally in SIPRI's deals register",
        formats={"No. ordered": ",.0f", "No. delivered": ",.0f", "Order (TIV m)": ",.2f",
                 "Delivered (TIV m)": ",.2f"},
        pages={"Recipient": pages.ally_pages(deal_shown["Recipient"], members)})

    # 4. Europe's suppliers: European NATO allies' imports by supplier
    compared_windows = window_order[-2:]
    imports = exports.european_imports(register, members, spans, window_length,
                                       exclude_recipients=[supplier_iso3])
    imports_with_self = exports.european_imports(register, members, spans, window_length)
    by_supplier = exports.suppliers_of(imports, window_order)
    by_supplier_with_self = exports.suppliers_of(imports_with_self, window_order)
    named = [supplier, *comparison_suppliers]
    compared = exports.compare_suppliers(by_supplier, named, compared_windows).replace(
        {"supplier": {supplier: supplier_name}})
    eu_total = {w: exports.imports_total(by_supplier, w) for w in (latest_window, previous_window)}
    tr_rank = by_supplier[(by_supplier["window"] == latest_window)
                          & (by_supplier["supplier"] == supplier)]["rank"]
    values.update({
        "eu-imports-latest": prose.number(eu_total[latest_window]),
        "eu-imports-previous": prose.number(eu_total[previous_window]),
        "eu-imports-change": prose.percent(
            (eu_total[latest_window] / eu_total[previous_window] - 1) * 100, signed=True),
        "tr-eu-share-latest": share_text(
            exports.share_of_imports(by_supplier, latest_window, supplier)),
        "tr-eu-share-previous": share_text(
            exports.share_of_imports(by_supplier, previous_window, supplier)),
        "tr-eu-share-with-self": share_text(
            exports.share_of_imports(by_supplier_with_self, latest_window, supplier)),
        "tr-eu-rank": prose.count(tr_rank.iloc[0]) if len(tr_rank) else "none",
        "eu-suppliers-latest": prose.count((by_supplier["window"] == latest_window).sum()),
        "us-eu-share-latest": share_text(
            exports.share_of_imports(by_supplier, latest_window, "United States")),
        "us-eu-share-previous": share_text(
            exports.share_of_imports(by_supplier, previous_window, "United States")),
        "comparison-suppliers": ", ".join(comparison_suppliers),
    })
    chart = charts.grouped_bars(
        compared, x="share_pct", y="supplier", group="window", group_order=compared_windows,
        x_title="Share of European NATO allies' arms imports (%)", highlight=supplier_name,
        x_format=",.0f",
        extra_tooltips=[("tiv", "TIV (millions)", ",.0f")],
        heading=charts.title("Who supplies Europe's NATO allies",
                             f"Share of European NATO allies' (less {supplier_name}) imports of major "
                             f"arms (%), from SIPRI TIV volumes, {' and '.join(compared_windows)}"),
    )
    figs["europe-suppliers"] = figures.figure(
        "europe-suppliers", chart, data=compared, source=source,
        description=(f"Horizontal bars of the shares of {supplier_name}, "
                     f"{', '.join(comparison_suppliers)} and all other suppliers in European NATO "
                     f"allies' arms imports, {' and '.join(compared_windows)}; {supplier_name}'s "
                     f"share in {latest_window} is {values['tr-eu-share-latest']}."))
    allies = exports.ally_purchases(imports, members, latest_window, supplier, europe_region,
                                    exclude=[supplier_iso3])
    values["allies-count"] = prose.count(len(allies))
    values["allies-buying-count"] = prose.count((allies["from_supplier_tiv"] > 0).sum())
    ally_shown = allies.drop(columns=["iso3"]).rename(columns={
        "ally": "Ally", "member_since": "In NATO since", "imports_tiv": "Imports (TIV m)",
        "from_supplier_tiv": f"From {supplier_name} (TIV m)", "share_pct": "Share (%)"})
    tables["ally-purchases"] = figures.table(
        "ally-purchases", ally_shown, source=source,
        caption=f"European NATO allies' arms imports in {latest_window} and the part from "
                f"{supplier_name}",
        formats={"Imports (TIV m)": ",.1f", f"From {supplier_name} (TIV m)": ",.1f",
                 "Share (%)": ",.1f"},
        pages={"Ally": pages.ally_pages(ally_shown["Ally"], members)})

    # 5. Dollars beside volumes: the official USD series, each its own line, on their own axis
    usd_drawn = exports.usd_series(usd)[["series", "year", "usd_million", "segment",
                                         "label_in_source", "source_title"]]
    series_order = list(exports.USD_SERIES.values())
    usd_source = usd.attrs["source_note"]
    ssb_last_year = int(usd_drawn.loc[usd_drawn["series"] == exports.USD_SERIES["SSB"],
                                      "year"].max())
    usa_fact = side_facts.loc[USA_FACT]
    na_tiv = float(g_now.loc[exports.OTHER_NATO, "tiv"])
    values.update({
        "usd-ssb-last-year": str(ssb_last_year),
        "usd-ssb-last": prose.number(usd_value(usd_drawn, "SSB", ssb_last_year)),
        # the SSB headline and TİM's goods exports in the last year of SIPRI's exact values
        "usd-compare-year": str(exact_last),
        "usd-ssb-in-last-year": prose.number(usd_value(usd_drawn, "SSB", exact_last)),
        "usd-tim-in-last-year": prose.number(usd_value(usd_drawn, "TIM", exact_last)),
        "tiv-last-year": prose.number(yearly.set_index("year").loc[exact_last, "tiv"]),
        "usd-years": f"{int(usd_drawn['year'].min())}-{int(usd_drawn['year'].max())}",
        "usd-usa-2020": prose.number(float(usa_fact["value"]), 1),
        "usd-usa-period": str(usa_fact["period"]),
        "usd-usa-2020-source": f"{usa_fact['source_title']}, {usa_fact['source_date']}",
        "tiv-usa-canada-latest": ("no major arms" if na_tiv == 0 else
                                  f"{prose.number(na_tiv)} million TIV of major arms"),
    })
    chart = charts.lines_with_gaps(
        usd_drawn, x="year", y="usd_million", series="series", segment="segment",
        series_order=series_order, x_title="Year", y_title="USD million (current)",
        tooltip_unit="", extra_tooltips=[("label_in_source", "Label in source"),
                                         ("source_title", "Source page")],
        heading=charts.title(f"{supplier_name}'s defence and aerospace exports in US dollars",
                             "USD million, current prices, as published; three series with three "
                             "definitions, never joined into one line"),
    )
    figs["usd-series"] = figures.figure(
        "usd-series", chart, data=usd_drawn, source=usd_source,
        notes="Each point's source page is in the CSV. Not comparable with SIPRI TIV.",
        description=(f"Lines of {supplier_name}'s defence and aerospace exports in USD million from "
                     f"{int(usd_drawn['year'].min())} to {int(usd_drawn['year'].max())}, three "
                     "series drawn separately (SSB headline, TİM goods exports, SaSaD survey), "
                     "broken where a series has no value."))

    # Vintages: the deals register against the deliveries register; the membership rule
    values["deliveries-edition"] = edition(deliveries_vintage, sipri_transfers.DELIVERIES_FILE)
    values["deals-edition"] = edition(deals_vintage, sipri_transfers.DEALS_FILE)
    joined_late = members[(members["region"] == europe_region)
                          & (members["accession_year"].astype(int) > spans[-2][0])
                          ].sort_values("accession_year")
    values.update({
        "late-joiners": ", ".join(f"{c} from {y}" for c, y in
                                  zip(joined_late["country"], joined_late["accession_year"],
                                      strict=True)),
        "same-edition-deals-vintage": same_edition_deals_vintage,
    })
    # Key results on the previous deal register held, as the claims' verdicts are recomputed
    now_edition = f"SIPRI's deal register, {edition(deals_vintage, sipri_transfers.DEALS_FILE)}"
    now_results = key_results(deals, members, supplier=supplier, supplier_name=supplier_name,
                              first_year=first_year, window_length=window_length)
    before_vintage = editions.previous_vintage(sources.project_root(), sipri_transfers.SOURCE,
                                               deals_vintage, sipri_transfers.DEALS_FILE)
    before_edition = (None if before_vintage is None else "SIPRI's deal register, "
                      + edition(before_vintage, sipri_transfers.DEALS_FILE))
    before_deals = None if before_vintage is None else sipri_transfers.deals(before_vintage)
    before_results = None if before_deals is None else key_results(
        before_deals, members, supplier=supplier,
        supplier_name=supplier_name, first_year=first_year, window_length=window_length)
    compared_results = key_figures.compare(now_results, before_results)
    (figures.asset_dir() / key_figures.KEY_FIGURES_FILE).write_text(key_figures.to_json(
        "exports", compared_results, now_edition=now_edition, before_edition=before_edition),
        encoding="utf-8")
    n_moved = int(compared_results["moved"].sum())
    values.update({
        "key-results-n": prose.count(len(compared_results)),
        "key-results-n-moved": prose.count(n_moved),
        "key-results-before": before_edition or "no earlier deal register",
        "key-results-now": now_edition,
    })
    tables["key-results"] = figures.table(
        "key-results", key_figures.published(compared_results, before_edition=before_edition,
                                             now_edition=now_edition),
        source=(deals_source + (f"; {before_deals.attrs['source_note']}"
                                if before_deals is not None else "")
                + "; yearly split, windows, ranks and shares: this report's estimate"),
        caption="The exports chapter's key results on SIPRI's two latest deal registers",
        sortable=False)
    return ExportsChapter(values=values, tables=tables, figures=figs, inline=inline, yearly=yearly,
                          by_window=by_window, standing=standing, groups=groups,
                          deals=deal_table, europe_suppliers=by_supplier, usd=usd_drawn,
                          reconciliation=reconciliation, key_results=compared_results)
