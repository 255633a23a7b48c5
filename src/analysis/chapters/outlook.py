"""The outlook chapter: what lies ahead of Türkiye as a supplier to European allies.

``run(**params)`` reads SIPRI's deal register (its newest edition: orders and deliveries to the
end of its last year), NATO's defence-expenditure tables and the curated timeline and USD
series, computes with :mod:`analysis.calc.outlook` and returns every value, table and chart the
page shows (:class:`OutlookChapter`). Windowed volumes come from this report's yearly estimate
of the deal register (:mod:`analysis.calc.allocation`), labelled so; the editions of SIPRI's
registers are never mixed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.calc import allocation, exports, outlook, prose, spending
from analysis.chapters import pages
from analysis.chapters.collect import Collector
from analysis.chapters.result import ChapterResult
from analysis.data import countries
from analysis.data.readers import curated, nato, sipri_transfers, vocabulary
from analysis.publishing import charts, figures

TIMELINE_FILE = "constraints_and_europe_timeline.csv"


@dataclass(frozen=True, kw_only=True)
class OutlookChapter(ChapterResult):
    """The page's values, tables and charts, and the frames behind the main ones."""

    backlog: pd.DataFrame  #: the open deals with European allies, undelivered TIV and values
    benchmarks: pd.DataFrame  #: the named suppliers to European allies by window
    categories: pd.DataFrame  #: shares by SIPRI armament category, latest window
    market: pd.DataFrame  #: equipment spending against the USD exports, by year
    beyond: pd.DataFrame  #: the supplier's deliveries to European states outside NATO
    scenarios: pd.DataFrame  #: the next window's share in the three scenarios


def _names(frame: pd.DataFrame) -> str:
    """'Hurjet (Spain), Hisar (Romania)': the deals of a frame, for prose."""
    items = [f"{r.designation} ({r.recipient})" for r in frame.itertuples()]
    return ", ".join(items) if items else "none"


def _share(x: float, decimals: int = 1) -> str:
    return "0%" if x == 0 else prose.percent(x, decimals)


def run(*, deals_vintage: str, nato_vintage: str, supplier: str, europe_region: str,
        window_length: int, first_year: int, benchmark_suppliers: Sequence[str],
        optimistic_like: str, market_growth_pct: float, focus_recipient: str,
        usd_series: str, systems_shown: int) -> OutlookChapter:
    """Compute the chapter. Windows end at the deal register's last delivery year and go back
    in whole windows to ``first_year``; the next window follows the last. ``optimistic_like``
    names the benchmark supplier whose growth into Europe is the optimistic scenario's rate;
    ``usd_series`` is a key of :data:`analysis.calc.exports.USD_SERIES`."""
    out = Collector()
    deals = sipri_transfers.deals(deals_vintage)
    members = curated.table("nato_members.csv")
    timeline = curated.table(TIMELINE_FILE)
    usd_table = curated.table(exports.USD_FILE)
    usd = exports.usd_series(usd_table)
    USD_SOURCE = usd_table.attrs["source_note"]
    vocab = vocabulary.vocabulary()
    nato_table = nato.table(nato_vintage)
    SIPRI = deals.attrs["source_note"]
    NATO = nato_table.attrs["source_note"]
    ESTIMATE = f"{SIPRI}; yearly split: {allocation.METHOD}"
    supplier_iso3 = str(countries.to_iso3([supplier])[0])
    name = members.set_index("iso3").loc[supplier_iso3, "country"]  # "Türkiye"
    register = allocation.allocate(deals)
    last_year = int(register["delivery_year"].max())
    spans = exports.windows(first_year, last_year, window_length)
    order = [exports.window_label(s, window_length) for s, _ in spans]
    latest, previous = order[-1], order[-2]
    next_window = exports.window_label(last_year + 1, window_length)
    shown_names = {supplier: name}

    out.add("supplier-name", name)
    out.add("deals-vintage", deals_vintage)
    out.add("nato-vintage", nato_vintage)
    out.add("last-year", str(last_year))
    out.add("latest-window", latest)
    out.add("previous-window", previous)
    out.add("next-window", next_window)
    out.add("window-length", str(window_length))
    out.add("allocation-method", allocation.METHOD)
    out.add("sipri-source", SIPRI)

    # 1. The backlog with European allies --------------------------------------------------
    table = exports.deals_with(deals, supplier, members, europe_region, exclude=[supplier_iso3])
    open_table = outlook.open_deals(table)
    summary = outlook.backlog_summary(open_table)
    no_tiv, no_value = summary.deals_without_tiv, summary.deals_without_value
    values = summary.value_by_currency
    out.add("open-deals", prose.count(summary.deals))
    out.add("backlog-tiv", prose.number(summary.tiv))
    out.add("backlog-deals-with-tiv", prose.count(summary.deals_with_tiv))
    out.add("backlog-without-tiv-n", prose.count(len(no_tiv)))
    out.add("backlog-without-tiv", _names(no_tiv))
    out.add("backlog-value", " and ".join(f"{cur} {prose.number(v)} million"
                                          for cur, v in values.items()) or "no value")
    out.add("backlog-deals-with-value", prose.count(summary.deals_with_value))
    out.add("backlog-without-value-n", prose.count(len(no_value)))
    out.add("backlog-without-value", _names(no_value))
    shown = open_table[["recipient", "designation", "description", "order_year", "number_ordered",
                        "number_delivered", "status", "tiv_order", "tiv_delivered",
                        "undelivered_tiv", "value_stated", "comments"]].rename(columns={
        "recipient": "Ally", "designation": "System", "description": "Description",
        "order_year": "Ordered", "number_ordered": "Number ordered",
        "number_delivered": "Delivered by end-" + str(last_year), "status": "Status",
        "tiv_order": "Order TIV (m)", "tiv_delivered": "Delivered TIV (m)",
        "undelivered_tiv": "Still to deliver, TIV (m)",
        "value_stated": "Contract value (SIPRI's comment)", "comments": "SIPRI's comment"})
    out.add("backlog-table", figures.table(
        "backlog-table", shown, source=SIPRI,
        caption=(f"{name}'s deals with European allies with deliveries outstanding at the end of "
                 f"{last_year}: TIV still to deliver and the contract value SIPRI states"),
        formats={"Number ordered": ",.0f", f"Delivered by end-{last_year}": ",.0f",
                 "Order TIV (m)": ",.1f", "Delivered TIV (m)": ",.1f",
                 "Still to deliver, TIV (m)": ",.1f"},
        pages={"Ally": pages.ally_pages(shown["Ally"], members)}))
    later = outlook.signed_after(timeline, last_year)
    out.add("later-deals", (
        f"records no deal with a European ally signed after {last_year}" if later.empty else
        f"records {prose.count(len(later))} signed after {last_year}: "
        + "; ".join(f"{r.date}, {r.event}" + (
            f" (value in the timeline: {money[0]} {prose.number(money[1])} million)"
            if (money := outlook.timeline_money(r.value, r.unit)) else "")
            for r in later.itertuples())))

    # 2. Benchmarks: the suppliers that broke into Europe ----------------------------------
    imports = exports.european_imports(register, members, spans, window_length,
                                       exclude_recipients=[supplier_iso3])
    suppliers = exports.suppliers_of(imports, order)
    named = [supplier, *[s for s in benchmark_suppliers if s != supplier]]
    bench = outlook.benchmarks(suppliers, named, order)
    bench_drawn = bench.assign(supplier=bench["supplier"].replace(shown_names))
    chart = charts.grouped_bars(
        bench_drawn, x="share_pct", y="supplier", group="window", group_order=order,
        x_title="Share of European allies' arms imports (%)",
        heading=charts.title(f"{name} beside the non-EU suppliers that broke into Europe",
                             [(f"Share of European NATO allies' imports of major arms (%), SIPRI "
                              f"TIV volumes by {window_length}-year window, {order[0]} to "
                              f"{latest}"), ("Yearly split of SIPRI's deals: this report's "
                              "estimate")]),
        highlight=name, tooltip_unit="",
        extra_tooltips=[("tiv", "TIV (millions)", ",.0f"),
                        ("growth_pct", "Growth on previous window (%)", "+,.0f")])
    out.add("benchmarks", figures.figure(
        "benchmarks", chart, data=bench_drawn, source=ESTIMATE,
        description=(f"Grouped horizontal bars of the shares of European NATO allies' arms "
                     f"imports supplied by {', '.join(bench_drawn['supplier'].unique())} in each "
                     f"window from {order[0]} to {latest}.")))
    now = bench[bench["window"] == latest].set_index("supplier")
    for s in named:
        key = "supplier" if s == supplier else s.lower().replace(" ", "-")
        out.add(f"{key}-tiv-latest", prose.number(now.loc[s, "tiv"]))
        if s != supplier:  # the supplier's own share is the exports chapter's, pasted from it
            out.add(f"{key}-share-latest", _share(now.loc[s, "share_pct"]))
        growth = now.loc[s, "growth_pct"]
        out.add(f"{key}-growth-latest", f"not measurable: nothing was delivered in {previous}"
                if pd.isna(growth) else prose.percent(growth, signed=True))
    systems = pd.concat([outlook.systems_behind(imports, s, latest, systems_shown) for s in named])
    systems = systems.assign(supplier=systems["supplier"].replace(shown_names))
    out.add("systems-table", figures.table(
        "systems-table", systems.rename(columns={
            "supplier": "Supplier", "designation": "System", "description": "Description",
            "tiv": "TIV (m)", "recipients": "European allies", "share_pct":
            "Share of the supplier's TIV to them (%)"}), source=ESTIMATE,
        caption=f"The systems behind each supplier's deliveries to European allies, {latest}",
        formats={"TIV (m)": ",.0f", "Share of the supplier's TIV to them (%)": ",.0f"}))
    for s in named:
        key = "supplier" if s == supplier else s.lower().replace(" ", "-")
        top = systems[systems["supplier"] == shown_names.get(s, s)].iloc[0]
        out.add(f"{key}-top-system", f"{top['designation']} ({top['description']})")
        out.add(f"{key}-top-system-share", prose.percent(top["share_pct"]))
    # European allies' imports in the latest window: the exports chapter's figure, pasted (the
    # scenarios' market is the same computation)
    europe_latest = exports.imports_total(suppliers, latest)

    # 3. Shares by SIPRI armament category -------------------------------------------------
    in_latest = imports[imports["window"] == latest]
    in_latest = in_latest.assign(category=vocabulary.category_of(in_latest["description"], vocab))
    exported = exports.in_windows(register, spans[-1:], window_length)
    exported = exported.assign(category=vocabulary.category_of(exported["description"], vocab))
    cats = outlook.category_shares(in_latest, exported, supplier, vocabulary.CATEGORIES)
    best = outlook.largest_category(cats)
    overall = float(now.loc[supplier, "share_pct"])
    own_top = cats.loc[cats["share_of_exports_pct"].idxmax()]
    out.add("best-category", str(best["category"]).lower())
    out.add("best-category-share", _share(best["share_of_imports_pct"]))
    out.add("best-category-tiv", prose.number(best["from_supplier_tiv"]))
    out.add("best-category-imports", prose.number(best["imports_tiv"]))
    out.add("own-top-category", str(own_top["category"]).lower())
    out.add("own-top-category-share", _share(own_top["share_of_exports_pct"], 0))
    zero_share = cats[(cats["imports_tiv"] > 0) & (cats["from_supplier_tiv"] == 0)]
    out.add("categories-none", prose.count(len(zero_share)))
    cats_drawn = cats.dropna(subset=["share_of_imports_pct"]).assign(
        is_best=lambda f: f["category"] == best["category"])
    chart = charts.bar_by_category(
        cats_drawn, category="category", value="share_of_imports_pct",
        value_title=f"{name}'s share of the category's imports (%)", highlight="is_best",
        value_format=",.1f", category_title="SIPRI armament category",
        heading=charts.title(f"Where {name} supplies most of what European allies import",
                             [(f"{name}'s share of European NATO allies' imports of major arms by "
                              f"SIPRI armament category (%), TIV volumes, {latest}"),
                              ("Categories from SIPRI's descriptions; yearly split: this "
                              "report's estimate")]),
        extra_tooltips=[("imports_tiv", "European allies' imports, TIV (millions)", ",.0f"),
                        ("from_supplier_tiv", f"From {name}, TIV (millions)", ",.1f"),
                        ("share_of_exports_pct", f"Share of {name}'s own exports (%)", ",.1f")])
    out.add("categories", figures.figure(
        "categories", chart, data=cats_drawn, source=ESTIMATE,
        description=(f"Horizontal bars of {name}'s share of European NATO allies' arms imports "
                     f"in each SIPRI armament category in {latest}; the largest is "
                     f"{str(best['category']).lower()} with "
                     f"{_share(best['share_of_imports_pct'])}.")))
    out.add("categories-table", figures.table(
        "categories-table", cats.rename(columns={
            "category": "SIPRI armament category", "imports_tiv": "European allies' imports (TIV m)",
            "from_supplier_tiv": f"From {name} (TIV m)", "exports_tiv": f"{name}'s exports, all "
            "recipients (TIV m)", "share_of_imports_pct": f"{name}'s share of the imports (%)",
            "share_of_exports_pct": f"Share of {name}'s exports (%)"}), source=ESTIMATE,
        caption=f"{name}'s exports and European allies' imports by armament category, {latest}",
        formats={"European allies' imports (TIV m)": ",.0f", f"From {name} (TIV m)": ",.1f",
                 f"{name}'s exports, all recipients (TIV m)": ",.0f",
                 f"{name}'s share of the imports (%)": ",.1f",
                 f"Share of {name}'s exports (%)": ",.1f"}))

    # 4. The market open to it, in dollars (never against TIV) -----------------------------
    spend = spending.series(nato_table, "defence_expenditure", "current")
    equipment_share = spending.series(nato_table, "equipment_share")
    years = sorted(spend["year"].unique())
    allies = spending.ally_years(members, years)
    allies = allies[(allies["region"] == europe_region) & (allies["iso3"] != supplier_iso3)]
    equipment = outlook.equipment_spending(spend, equipment_share, allies)
    if usd_series not in exports.USD_SERIES:
        raise KeyError(f"usd_series {usd_series!r} is none of {sorted(exports.USD_SERIES)}")
    series_label = exports.USD_SERIES[usd_series]
    market = outlook.market_bound(equipment, usd[usd["series"] == series_label])
    m_last = market.iloc[-1]
    out.add("market-year", str(int(m_last["year"])) + ("e" if m_last["is_estimate"] else ""))
    out.add("market-equipment", prose.number(m_last["equipment_usd_million"] / 1000, 0))
    out.add("market-exports", prose.number(m_last["exports_usd_million"] / 1000, 1))
    out.add("market-bound", prose.percent(m_last["bound_pct"], 1))
    out.add("market-series", series_label)
    m_year = int(m_last["year"])
    with_share = set(equipment_share.loc[equipment_share["year"] == m_year, "iso3"])
    lacking = allies[(allies["year"] == m_year) & ~allies["iso3"].isin(with_share)]
    lacking_names = members.set_index("iso3").loc[list(lacking["iso3"]), "country"].tolist()
    out.add("market-missing", ", ".join(lacking_names) + (
        ", for which NATO's table gives no equipment share, is" if len(lacking_names) == 1 else
        ", for which NATO's table gives no equipment share, are") if lacking_names
        else "every ally has an equipment share;")
    drawn = market.assign(year_label=[spending.year_label(int(y), bool(e)) for y, e in
                                      zip(market["year"], market["is_estimate"], strict=True)])
    chart = charts.bar_by_period(
        drawn, x="year_label", y="bound_pct", x_title="Year (e = NATO estimate)",
        y_title="Exports as % of equipment spending", y_format=",.1f", tooltip_unit=" (%)",
        heading=charts.title(f"An upper bound: {name}'s arms exports against European allies' "
                             "equipment spending",
                             [(f"{name}'s exports ({series_label}, all customers, USD) as % of "
                              "European NATO allies' equipment spending (NATO, current USD)"),
                              "Two definitions in the same currency; not a market share"]))
    out.add("market", figures.figure(
        "market", chart, data=drawn, source=f"{NATO}; {series_label}: {USD_SOURCE}",
        description=(f"Bars by year of {name}'s defence and aerospace exports in US dollars as a "
                     f"percentage of European NATO allies' spending on major equipment in US "
                     f"dollars; {prose.percent(m_last['bound_pct'], 1)} in "
                     f"{int(m_last['year'])}."),
        notes=(f"NATO's equipment expenditure covers major equipment and its research and "
               f"development; {series_label} counts every sale abroad, services and civil "
               "aerospace included, to every customer. The share is therefore a ceiling on the "
               "part of European allies' equipment budgets that went to "
               f"{name}, not an estimate of it.")))
    out.add("market-table", figures.table(
        "market-table", drawn[["year_label", "equipment_usd_million", "exports_usd_million",
                               "bound_pct"]].rename(columns={
            "year_label": "Year", "equipment_usd_million":
            "European allies' equipment spending (USD m, NATO)",
            "exports_usd_million": f"{name}'s exports (USD m, {series_label})",
            "bound_pct": "Exports as % of equipment spending"}),
        source=f"{NATO}; {series_label}: {USD_SOURCE}",
        caption="The two dollar series behind the bound, by year",
        formats={"European allies' equipment spending (USD m, NATO)": ",.0f",
                 f"{name}'s exports (USD m, {series_label})": ",.0f",
                 "Exports as % of equipment spending": ",.1f"}))

    # 5. Europe beyond NATO ----------------------------------------------------------------
    recipients = exports.recipients_by_window(register, supplier, members, spans, window_length)
    european = outlook.european_iso3(countries.to_iso3(recipients["recipient"]))
    beyond = outlook.beyond_nato(recipients, european, focus_recipient, order)
    b_now = beyond.iloc[-1]
    b_before = beyond.iloc[-2]
    out.add("beyond-share-latest", _share(b_now["non_nato_europe_pct"]))
    out.add("beyond-tiv-latest", prose.number(b_now["non_nato_europe_tiv"]))
    out.add("beyond-share-previous", _share(b_before["non_nato_europe_pct"]))
    out.add("focus-recipient", focus_recipient)
    out.add("focus-share-latest", _share(b_now["focus_pct"]))
    out.add("focus-tiv-latest", prose.number(b_now["focus_tiv"]))
    others = recipients[(recipients["window"] == latest) & (recipients["group"] == exports.REST)
                        & recipients["recipient"].map(
                            lambda r: countries.to_iso3([r])[0] in european)
                        & (recipients["recipient"] != focus_recipient)]
    out.add("beyond-others", ", ".join(others["recipient"]) or "none")
    groups = exports.group_shares(recipients, order)
    stack = []
    for window in order:
        g = groups[groups["window"] == window].set_index("group")
        b = beyond[beyond["window"] == window].iloc[0]
        total = b["total_tiv"]
        parts = [(exports.EUROPEAN_NATO, g.loc[exports.EUROPEAN_NATO, "tiv"]),
                 (outlook.NON_NATO_EUROPE, b["non_nato_europe_tiv"]),
                 ("Rest of the world", total - g.loc[exports.EUROPEAN_NATO, "tiv"]
                  - b["non_nato_europe_tiv"])]
        stack += [{"window": window, "group": k, "tiv": float(v),
                   "share_pct": float(v) / total * 100 if total else float("nan")}
                  for k, v in parts]
    stack_frame = pd.DataFrame(stack)
    chart = charts.stacked_bars_by_period(
        stack_frame, x="window", y="tiv", colour="group",
        colour_order=[exports.EUROPEAN_NATO, outlook.NON_NATO_EUROPE, "Rest of the world"],
        x_title=f"{window_length}-year window", y_title="TIV (millions)", tooltip_unit="",
        share="share_pct",
        heading=charts.title(f"Who receives {name}'s arms: Europe inside and outside NATO",
                             [(f"SIPRI TIV, millions (a volume index, not money), by "
                              f"{window_length}-year window; European states: UN geoscheme "
                              "Europe and EU members"), ("NATO allies from their accession "
                              "year; yearly split: this report's estimate")]))
    out.add("beyond", figures.figure(
        "beyond", chart, data=stack_frame, source=ESTIMATE,
        description=(f"Stacked bars of {name}'s arms deliveries by window from {order[0]} to "
                     f"{latest}, split into European NATO allies, European states outside NATO "
                     f"and the rest of the world; in {latest} European states outside NATO "
                     f"received {_share(b_now['non_nato_europe_pct'])}."),
        notes=("North American allies are counted with the rest of the world here; "
               f"{name} delivered them nothing in these windows." if float(
                   groups.loc[groups["group"] == exports.OTHER_NATO, "tiv"].sum()) == 0 else
               "North American allies are counted with the rest of the world here.")))

    # 6. Scenarios for the next window (this report's estimate) ----------------------------
    backlog_tiv = float(summary.tiv)
    totals = beyond.set_index("window")["total_tiv"]
    recent_growth = (totals[latest] - totals[previous]) / totals[previous] * 100
    optimistic_growth = outlook.growth_between(bench, optimistic_like, latest)
    scen = outlook.scenarios(latest_tiv=float(now.loc[supplier, "tiv"]), backlog_tiv=backlog_tiv,
                             market_tiv=europe_latest, recent_growth_pct=recent_growth,
                             optimistic_growth_pct=optimistic_growth,
                             market_growth_pct=market_growth_pct)
    labels = {
        "backlog delivered": "Known backlog delivered",
        "recent growth": f"Recent growth ({prose.percent(recent_growth, signed=True)})",
        "optimistic growth": (f"{optimistic_like}'s rate "
                              f"({prose.percent(optimistic_growth, signed=True)})"),
    }
    basis = {
        "backlog delivered": (f"the undelivered TIV SIPRI has valued; {_names(no_tiv)} not "
                              "valued yet"),
        "recent growth": f"{name}'s total exports, {previous} to {latest}",
        "optimistic growth": f"{optimistic_like}'s deliveries to European allies, {previous} to "
                             f"{latest}",
    }
    scen = scen.assign(label=scen["scenario"].map(labels), basis=scen["scenario"].map(basis),
                       low=scen["share_pct"].min(),
                       high=scen["share_pct"].max())
    by = scen.set_index("scenario")
    out.add("scenario-low", prose.percent(scen["share_pct"].min(), 1))
    out.add("scenario-high", prose.percent(scen["share_pct"].max(), 1))
    out.add("scenario-backlog", prose.percent(by.loc["backlog delivered", "share_pct"], 1))
    out.add("scenario-recent", prose.percent(by.loc["recent growth", "share_pct"], 1))
    out.add("scenario-optimistic", prose.percent(by.loc["optimistic growth", "share_pct"], 1))
    out.add("recent-growth", prose.percent(recent_growth, signed=True))
    out.add("optimistic-growth", prose.percent(optimistic_growth, signed=True))
    out.add("optimistic-like", optimistic_like)
    out.add("market-growth", prose.percent(market_growth_pct, 0))
    out.add("scenario-method", outlook.SCENARIO_METHOD)
    others_now = now.drop(index=supplier)
    smaller = others_now["share_pct"].idxmin()
    highest = float(scen["share_pct"].max())
    out.add("smaller-benchmark", str(smaller))
    out.add("smaller-benchmark-share", _share(others_now.loc[smaller, "share_pct"]))
    out.add("optimistic-vs-benchmarks", "below" if highest < others_now.loc[smaller, "share_pct"]
            else "at or above")
    reference = pd.DataFrame({"value": [overall], "label": [f"{latest}: {_share(overall)}"]})
    range_chart = charts.range_of_estimates(
        scen, x="share_pct", y="label", low="low", high="high",
        x_title=f"{name}'s share of European allies' imports (%)",
        heading=charts.title(f"{name}'s share of European allies' arms imports in "
                             f"{next_window}: three scenarios",
                             [f"This report's estimate, not a forecast: share of TIV volumes "
                              f"(%); the allies' imports held at their {latest} volume"
                              + (f" grown {prose.percent(market_growth_pct, 0)}"
                                 if market_growth_pct else ""),
                              f"Dashed line: the measured share in {latest}"]),
        tooltips=[("label", "Scenario", ""), ("basis", "Growth measured on", ""), ("share_pct", "Share of imports (%)", ",.2f"),
                  ("supplier_tiv", f"{name}'s deliveries, TIV (millions)", ",.0f"),
                  ("market_tiv", "European allies' imports, TIV (millions)", ",.0f")],
        reference=reference, x_format=",.1f")
    out.add("scenarios", figures.figure(
        "scenarios", range_chart, data=scen, source=ESTIMATE,
        description=(f"Three dots on a shaded range for {name}'s share of European NATO allies' "
                     f"arms imports in {next_window}: backlog delivered, recent growth and "
                     f"optimistic growth, from {prose.percent(scen['share_pct'].min(), 1)} to "
                     f"{prose.percent(scen['share_pct'].max(), 1)}, against a dashed line at "
                     f"the {latest} share."),
        notes=f"Method, {outlook.SCENARIO_METHOD}."))

    return OutlookChapter(**out.parts(), backlog=open_table, benchmarks=bench, categories=cats,
                          market=market, beyond=beyond, scenarios=scen)
