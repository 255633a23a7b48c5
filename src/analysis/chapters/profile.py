"""One Ally's profile page: where it stands on the pledges, what it buys and from whom, and what
it has bought from Türkiye.

``run(iso3=..., **params)`` reads what the spending and exports chapters read, cuts each of their
measures to one Ally with :mod:`analysis.calc.profiles` and returns every value, table and chart
of the page (:class:`ProfileChapter`). The same notebook runs once per Ally; the parameters come
from the declaration (``chapters/params.yml``) and the NATO members table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.calc import exports, profiles, prose, spending
from analysis.chapters.collect import Collector
from analysis.chapters.result import ChapterResult
from analysis.data.readers import curated, nato, sipri_milex, sipri_transfers
from analysis.publishing import charts, figures

OTHERS = "All other suppliers"


@dataclass(frozen=True, kw_only=True)
class ProfileChapter(ChapterResult):
    """The page's values, tables and charts, and the numbers the index of Allies compares."""

    iso3: str
    country: str
    shares: pd.DataFrame  #: % of GDP by NATO's and SIPRI's definitions, from accession
    suppliers: pd.DataFrame  #: per window: imports, top supplier, Türkiye's place, group shares
    deals_with_turkey: pd.DataFrame
    row: dict[str, object]  #: this Ally's row of the index


def _pct(x: float | None, decimals: int = 1) -> str:
    return "no figure" if x is None or pd.isna(x) else prose.percent(x, decimals)


def _plural(n: int, one: str, many: str) -> str:
    return f"{prose.count(n)} {one if n == 1 else many}"


def _the(name: str) -> str:
    return f"the {name}" if name.startswith(("United ", "Netherlands")) else name


@dataclass(frozen=True)
class Context:
    """What every profile reads and computes alike, loaded once (for one page, or for the index
    of all of them)."""

    members: pd.DataFrame
    nato_table: pd.DataFrame
    milex: pd.DataFrame
    register: pd.DataFrame
    deals: pd.DataFrame
    nato_share: pd.DataFrame
    sipri_share: pd.DataFrame
    shares_all: pd.DataFrame
    latest_year: int
    equipment: pd.DataFrame
    path: profiles.Path
    spans: list[tuple[int, int]]
    order: list[str]


def context(*, nato_vintage: str, milex_vintage: str, deliveries_vintage: str,
            deals_vintage: str, target_year: int, core_pct: float, total_pct: float,
            equipment_pct: float, growth_from_data: bool, growth_years: int, group_regions: Sequence[str],
            group_extra: Sequence[str], window_length: int,
            gdp_growth_pct: float = 0.0) -> Context:
    members = curated.table("nato_members.csv")
    nato_table = nato.table(nato_vintage)
    milex = sipri_milex.table(milex_vintage)
    register = sipri_transfers.deliveries(deliveries_vintage)
    nato_share = spending.series(nato_table, "defence_share_gdp")
    latest_year = int(nato_share["year"].max())  # NATO's latest year, from the edition itself
    # the windows: whole windows of the register's own years
    spans = exports.windows(int(register["delivery_year"].min()),
                            int(register["delivery_year"].max()), window_length)
    return Context(
        members=members,
        nato_table=nato_table, milex=milex, register=register,
        deals=sipri_transfers.deals(deals_vintage), nato_share=nato_share,
        sipri_share=spending.series(milex, "military_share_gdp"),
        shares_all=spending.shares_of_gdp(nato_share, members), latest_year=latest_year,
        equipment=spending.equipment_shares(spending.series(nato_table, "equipment_share"),
                                            members, latest_year, equipment_pct),
        path=profiles.path_to_core(nato_table, members, latest_year=latest_year,
                                   target_year=target_year, core_pct=core_pct,
                                   growth_years=growth_years, group_regions=group_regions,
                                   group_extra=group_extra, growth_from_data=growth_from_data,
                                   gdp_growth_pct=gdp_growth_pct, total_pct=total_pct),
        spans=spans, order=[exports.window_label(s, window_length) for s, _ in spans])


@dataclass(frozen=True)
class Facts:
    """One Ally's numbers, before any is written: what its page and its index row show."""

    iso3: str
    country: str
    joined: int
    shares: pd.DataFrame
    latest_nato: float | None
    latest_sipri: float | None
    rank: int | None
    of: int
    equipment_pct: float | None
    path_row: pd.Series | None  #: the spending chapter's path, the table's constant prices
    path_row_latest: pd.Series | None  #: the same path in the latest year's prices
    variant_row: pd.Series | None  #: the variant to the total target, latest year's prices
    suppliers: pd.DataFrame
    by_supplier: pd.DataFrame
    deals: pd.DataFrame  #: with Türkiye; for Türkiye, its own purchases
    events: pd.DataFrame  #: the timeline's events and the EU rules' entries naming it

    def row(self) -> dict[str, object]:
        """The Ally's row of the index."""
        last = self.suppliers.iloc[-1]
        p, q = self.path_row, self.path_row_latest
        return {"iso3": self.iso3, "country": self.country, "share_latest_pct": self.latest_nato,
                "gap_pp": None if p is None else float(p["gap_pp"]),
                "extra_mean_usd_m": None if p is None else float(p["mean_extra_per_year"]),
                "extra_mean_latest_usd_m": None if q is None else float(q["mean_extra_per_year"]),
                "equipment_pct": self.equipment_pct,
                "top_supplier": None if pd.isna(last["top_supplier"]) else str(last["top_supplier"]),
                "turkey_share_pct": (None if pd.isna(last["turkey_share_pct"])
                                     else float(last["turkey_share_pct"])),
                "n_turkish_deals": 0 if self.iso3 == TURKIYE else len(self.deals)}


TURKIYE = "TUR"


TIMELINE = "constraints_and_europe_timeline.csv"
RULES = "eu_defence_rules.csv"


def events_of(country: str, iso3: str, timeline: pd.DataFrame | None = None,
              rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """The timeline's events and the EU defence rules' entries naming the Ally
    (:func:`profiles.events_and_positions`): from ``timeline`` and ``rules`` when given (the
    index reads them whole), else reading only the rows that name it (so that a change to
    another Ally's row leaves this page's execution current)."""
    pattern = profiles.name_pattern(country, iso3).pattern
    if timeline is None:
        timeline = curated.rows_matching(TIMELINE, "event", pattern)
    if rules is None:
        rules = pd.concat([curated.rows_matching(RULES, "actor", pattern),
                           curated.rows_matching(RULES, "statement", pattern)])
    return profiles.events_and_positions(profiles.events_naming(timeline, country, iso3),
                                         profiles.rules_naming(rules, country, iso3))


def facts(ctx: Context, iso3: str, *, supplier: str, europe_region: str,
          window_length: int, timeline: pd.DataFrame | None = None,
          rules: pd.DataFrame | None = None) -> Facts:
    """The Ally's numbers by the chapters' functions (:mod:`analysis.calc.profiles`)."""
    if iso3 not in set(ctx.members["iso3"]):
        raise ValueError(f"{iso3!r} is not an Ally in nato_members.csv")
    me = ctx.members.set_index("iso3").loc[iso3]
    country, joined = str(me["country"]), int(me["accession_year"])
    shares = profiles.shares_by_definition(ctx.nato_share, ctx.sipri_share, iso3, joined,
                                           ctx.latest_year)
    sipri_rows = shares[shares["definition"] == spending.SIPRI_DEFINITION]
    rank, of = profiles.rank_in_year(ctx.shares_all, iso3, ctx.latest_year)
    eq = profiles.equipment_row(ctx.equipment, iso3)
    by_supplier = profiles.imports_by_supplier(ctx.register, profiles.sipri_name(ctx.register, iso3),
                                               ctx.spans, window_length)
    summary = profiles.supplier_summary(by_supplier, ctx.order, ctx.members, turkey=supplier,
                                        recipient_iso3=iso3, europe=europe_region)
    deal_name = profiles.sipri_name(ctx.deals, iso3)
    if iso3 == TURKIYE:  # as a buyer: its orders from the first window on
        deals = profiles.deals_between(ctx.deals, recipient=deal_name)
        deals = deals[deals["order_year"] >= ctx.spans[0][0]].reset_index(drop=True)
    else:
        deals = profiles.deals_between(ctx.deals, supplier=supplier, recipient=deal_name)
    return Facts(
        iso3=iso3, country=country, joined=joined, shares=shares,
        latest_nato=profiles.share_in_year(ctx.shares_all, iso3, ctx.latest_year),
        latest_sipri=profiles.share_in_year(sipri_rows, iso3, ctx.latest_year),
        rank=rank, of=of, equipment_pct=None if eq is None else float(eq["equipment_pct"]),
        path_row=profiles.path_row(ctx.path, iso3),
        path_row_latest=profiles.path_row(ctx.path, iso3, latest_prices=True),
        variant_row=profiles.path_row(ctx.path, iso3, variant=True), suppliers=summary, by_supplier=by_supplier,
        deals=deals, events=events_of(country, iso3, timeline, rules))


def run(*, iso3: str, nato_vintage: str, milex_vintage: str, deliveries_vintage: str,
        deals_vintage: str, target_year: int, wales_pct: float,
        core_pct: float, total_pct: float, equipment_pct: float, growth_from_data: bool,
        growth_years: int, group_regions: Sequence[str], group_extra: Sequence[str],
        supplier: str, europe_region: str, window_length: int,
        gdp_growth_pct: float) -> ProfileChapter:
    """The profile of the Ally ``iso3`` (a code of nato_members.csv)."""
    out = Collector()
    ctx = context(nato_vintage=nato_vintage, milex_vintage=milex_vintage,
                  deliveries_vintage=deliveries_vintage,
                  deals_vintage=deals_vintage, target_year=target_year,
                  core_pct=core_pct, total_pct=total_pct, equipment_pct=equipment_pct,
                  growth_from_data=growth_from_data, growth_years=growth_years,
                  group_regions=group_regions, group_extra=group_extra,
                  window_length=window_length, gdp_growth_pct=gdp_growth_pct)
    f = facts(ctx, iso3, supplier=supplier, europe_region=europe_region,
              window_length=window_length)
    members, nato_table, milex, register, deals = (ctx.members, ctx.nato_table, ctx.milex,
                                                   ctx.register, ctx.deals)
    country, joined = f.country, f.joined
    NATO_SOURCE = nato_table.attrs["source_note"]
    MILEX_SOURCE = milex.attrs["source_note"]
    SIPRI_SOURCE = register.attrs["source_note"]
    DEALS_SOURCE = deals.attrs["source_note"]
    turkey_name = members.set_index("iso3").loc[TURKIYE, "country"]
    is_turkey = iso3 == TURKIYE

    out.add("country", country)
    out.add("country-the", _the(country))
    out.add("iso3", iso3)
    out.add("joined", str(joined))
    out.add("turkey-name", turkey_name)
    out.add("nato-source", NATO_SOURCE)
    out.add("milex-source", MILEX_SOURCE)
    out.add("sipri-source", SIPRI_SOURCE)
    out.add("deals-source", DEALS_SOURCE)
    out.add("wales-pct", prose.percent(wales_pct, 0))
    out.add("core-pct", prose.percent(core_pct, 1))
    out.add("total-pct", prose.percent(total_pct, 0))
    out.add("equipment-pct", prose.percent(equipment_pct, 0))
    out.add("target-year", str(target_year))

    # 1. % of GDP by both definitions, from the year it joined
    nato_share, latest_year, shares = ctx.nato_share, ctx.latest_year, f.shares
    nato_rows = shares[shares["definition"] == spending.NATO_DEFINITION]
    sipri_rows = shares[shares["definition"] == spending.SIPRI_DEFINITION]
    latest_nato, latest_sipri = f.latest_nato, f.latest_sipri
    latest_label = spending.year_label(latest_year, bool(
        nato_share.loc[nato_share["year"] == latest_year, "is_estimate"].any()))
    rank, of = f.rank, f.of
    out.add("latest-year", str(latest_year))
    out.add("latest-label", latest_label)
    out.add("share-nato-latest", _pct(latest_nato, 2))
    out.add("share-sipri-latest", _pct(latest_sipri, 2))
    out.add("rank", "no rank (NATO gives no figure)" if rank is None else prose.count(rank))
    out.add("rank-of", prose.count(of))
    out.add("nato-first-year", str(int(nato_rows["year"].min())) if len(nato_rows) else "none")
    out.add("sipri-first-year", str(int(sipri_rows["year"].min())) if len(sipri_rows) else "none")
    met = (f"at or above {wales_pct:g}%" if latest_nato is not None and latest_nato >= wales_pct
           else f"below {wales_pct:g}%")
    if latest_nato is not None and latest_nato >= core_pct:
        met = f"at or above the {core_pct:g}% core target already"
    out.add("pledge-standing", "without a NATO figure" if latest_nato is None else met)
    the = _the(country)
    nato_text = (f"NATO's tables give {the} no share of GDP for {latest_label}"
                 if latest_nato is None else
                 f"By NATO's definition {the} spent {_pct(latest_nato, 2)} of GDP on defence in "
                 f"{latest_label} ({met})")
    sipri_text = (f"SIPRI gives no figure for {latest_year} either" if latest_sipri is None
                  and latest_nato is None else
                  f"SIPRI gives no figure for {latest_year}" if latest_sipri is None else
                  f"by SIPRI's, {_pct(latest_sipri, 2)} in {latest_year}")
    rank_text = ("" if rank is None else
                 f": it ranks {prose.count(rank)} of the {prose.count(of)} Allies with a NATO "
                 "figure that year")
    n_first = int(nato_rows["year"].min()) if len(nato_rows) else None
    s_first = int(sipri_rows["year"].min()) if len(sipri_rows) else None
    since = f"It joined NATO in {joined}; " + (
        f"NATO's figures start in {n_first} and SIPRI's, counted from accession, in {s_first}"
        if n_first and s_first else
        f"NATO's figures start in {n_first}; SIPRI gives none" if n_first else
        f"SIPRI's figures, counted from accession, start in {s_first}; NATO gives none"
        if s_first else "neither gives it a figure for any year")
    out.add("pledges-text", f"{nato_text}, {sipri_text}{rank_text}. {since}.")
    if len(shares):
        rules = pd.DataFrame({"value": [wales_pct, core_pct, total_pct],
                              "label": [f"{wales_pct:g}% Wales", f"{core_pct:g}% core",
                                        f"{total_pct:g}% total"]})
        drawn = shares[["year", "year_label", "is_estimate", "definition", "share_pct"]]
        chart = charts.shares_against_lines(
            drawn, x="year", y="share_pct", series="definition",
            highlight=[d for d in (spending.NATO_DEFINITION, spending.SIPRI_DEFINITION)
                       if d in set(drawn["definition"])],
            rules=rules, x_title="Year", y_title="Defence expenditure, % of GDP",
            series_title="Definition",
            heading=charts.title(f"{country}: defence expenditure against the pledges",
                                 [(f"% of GDP by NATO's definition and by SIPRI's, from {joined} "
                                   "or the first year each gives"),
                                  (f"{wales_pct:g}%, {core_pct:g}% core and {total_pct:g}% in "
                                   "total drawn separately")]))
        out.add("shares", figures.figure(
            "shares", chart, data=drawn, source=f"{NATO_SOURCE}; {MILEX_SOURCE}",
            description=(f"Lines of {country}'s defence expenditure as a share of GDP by NATO's "
                         f"and by SIPRI's definition, with reference lines at {wales_pct:g}%, "
                         f"{core_pct:g}% and {total_pct:g}%."),
            notes=(f"The {total_pct:g}% line includes up to {total_pct - core_pct:g}% of GDP of "
                   "related spending that neither definition contains.")))
    else:
        out.add("shares", figures.table(
            "shares", pd.DataFrame({"Note": [(f"Neither NATO nor SIPRI gives {country} a "
                                              "share of GDP")]}),
            source=f"{NATO_SOURCE}; {MILEX_SOURCE}", caption="No figures", sortable=False))

    # 2. Equipment against the guideline
    eq_pct = f.equipment_pct
    out.add("equipment-latest", _pct(eq_pct, 1))
    out.add("equipment-standing", "no NATO figure" if eq_pct is None else
            ("meets" if eq_pct >= equipment_pct else "falls short of"))
    out.add("equipment-text", (
        f"NATO's tables give {the} no equipment share for {latest_label}, so it cannot be set "
        f"against NATO's {equipment_pct:g}% guideline" if eq_pct is None else
        f"Equipment was {_pct(eq_pct, 1)} of its defence expenditure in {latest_label}, which "
        f"{out.values['equipment-standing']} NATO's {equipment_pct:g}% guideline"))

    # 3. The spending chapter's path to the core target, this Ally's row, in the chapter's two
    # price bases: the latest year's prices first (as the chapter leads), the table's beside them
    path, prow, prow_latest = ctx.path, f.path_row, f.path_row_latest
    price_year = path.price_base[-4:]
    latest_prices = path.latest_price_base
    out.add("price-year", price_year)
    out.add("latest-prices", latest_prices)
    out.add("growth-pct", prose.percent(path.growth_pct, 2))
    out.add("path-years", f"{latest_year + 1}-{target_year}")
    vrow = f.variant_row
    out.add("variant-target-m-latest", "no figure" if vrow is None else
            prose.number(float(vrow["extra_in_target_year"]), 0))
    factor = path.factors.get(iso3)
    out.add("price-factor", "no figure" if factor is None else prose.number(float(factor), 3))
    out.add("gap-pp", "no figure" if prow is None else prose.number(float(prow["gap_pp"]), 2))
    for key, row in (("", prow), ("-latest", prow_latest)):
        out.add(f"extra-mean-m{key}", "no figure" if row is None else
                prose.number(float(row["mean_extra_per_year"]), 0))
        out.add(f"extra-target-m{key}", "no figure" if row is None else
                prose.number(float(row["extra_in_target_year"]), 0))
    if prow is None:
        path_text = (f"NATO's tables give {_the(country)} no "
                     + ("share of GDP" if latest_nato is None else "GDP")
                     + ", so the spending chapter draws no path for it")
    elif float(prow["gap_pp"]) == 0:
        path_text = (f"{_the(country)} already spends {core_pct:g}% of GDP or more, so the path "
                     f"costs it nothing extra in either price base")
    else:
        path_text = (
            f"{_the(country)} is {out.values['gap-pp']} percentage points short, and closing the "
            f"gap costs US$ {out.values['extra-mean-m-latest']} million a year more on average "
            f"over {out.values['path-years']} and US$ {out.values['extra-target-m-latest']} "
            f"million in {target_year}, at {latest_prices} and exchange rates (US$ "
            f"{out.values['extra-mean-m']} million and US$ {out.values['extra-target-m']} "
            f"million at {price_year} prices)")
    if vrow is not None:
        path_text += (f". Drawn to {total_pct:g}% in total instead, with all of it on "
                      "NATO-definition figures (an upper bound: NATO publishes no series of the "
                      "related spending by Ally), the path would cost it "
                      + ("nothing extra either" if float(vrow["extra_in_target_year"]) == 0
                         else f"US$ {out.values['variant-target-m-latest']} million more in "
                              f"{target_year}, at {latest_prices}"))
    if prow is not None and factor is not None:
        path_text += (f". A figure at {latest_prices} is the one at {price_year} prices times "
                      f"the ratio of its GDP at current prices to its GDP at {price_year} prices "
                      f"in {latest_year}, from NATO's tables ({out.values['price-factor']} for "
                      f"{_the(country)}; the ratio carries the exchange rate's moves as well as "
                      "prices)")
    out.add("path-text", path_text[0].upper() + path_text[1:])

    # 4. Arms imports by supplier over the windows
    order, summary = ctx.order, f.suppliers
    last = summary.iloc[-1]
    out.add("window-length", str(window_length))
    out.add("latest-window", str(last["window"]))
    out.add("first-window", order[0])
    out.add("imports-latest", prose.number(float(last["imports_tiv"]), 0))
    out.add("top-supplier", "none" if pd.isna(last["top_supplier"]) else str(last["top_supplier"]))
    out.add("top-share", _pct(last["top_share_pct"]))
    out.add("us-share", _pct(last["us_share_pct"]))
    out.add("europe-share", _pct(last["europe_share_pct"]))
    out.add("korea-share", _pct(last["korea_share_pct"]))
    out.add("turkey-share", _pct(last["turkey_share_pct"]))
    out.add("turkey-place", ("not among its suppliers" if pd.isna(last["turkey_rank"]) else
                             f"supplier number {int(last['turkey_rank'])} of "
                             f"{int(last['n_suppliers'])}"))
    if not last["imports_tiv"]:
        imports_sentence = (f"In {last['window']}, SIPRI records no imports of major arms by "
                            f"{the}")
    else:
        imports_sentence = (
            f"In {last['window']}, {the} imported major arms worth "
            f"{out.values['imports-latest']} million TIV. Its largest supplier was "
            f"{_the(out.values['top-supplier'])} ({out.values['top-share']}); the United States "
            f"supplied {out.values['us-share']}, the European NATO allies ({turkey_name} apart) "
            f"{out.values['europe-share']}, South Korea {out.values['korea-share']} and "
            f"{turkey_name} {out.values['turkey-share']} ({out.values['turkey-place']})")
    out.add("imports-text", imports_sentence)
    groups = []
    for rec in summary.to_dict("records"):
        parts = {turkey_name: rec["turkey_share_pct"], profiles.UNITED_STATES: rec["us_share_pct"],
                 profiles.EUROPE_LABEL: rec["europe_share_pct"],
                 profiles.SOUTH_KOREA: rec["korea_share_pct"]}
        total = rec["imports_tiv"]
        rest = 100 - sum(v for v in parts.values() if not pd.isna(v)) if total else float("nan")
        for group, share in [*parts.items(), (OTHERS, rest)]:
            groups.append({"window": rec["window"], "group": group,
                           "share_pct": share, "tiv": (share / 100 * total) if total else 0.0})
    group_frame = pd.DataFrame(groups)
    group_order = [turkey_name, profiles.UNITED_STATES, profiles.EUROPE_LABEL,
                   profiles.SOUTH_KOREA, OTHERS]
    bars = charts.stacked_bars_by_period(
        group_frame, x="window", y="tiv", colour="group", colour_order=group_order,
        x_title="Window", y_title="TIV (millions)", share="share_pct", tooltip_unit=", millions",
        heading=charts.title(f"{country}'s arms imports by supplier",
                             f"SIPRI TIV, millions, by {window_length}-year window; the European "
                             "NATO allies are today's, Türkiye apart"))
    out.add("imports", figures.figure(
        "imports", bars, data=group_frame, source=SIPRI_SOURCE,
        description=(f"Stacked bars of {country}'s imports of major arms per window from "
                     f"{order[0]} to {order[-1]}: {turkey_name}, the United States, the European "
                     "NATO allies, South Korea and all other suppliers.")))
    table = summary.assign(turkey_rank=summary["turkey_rank"].astype("object").where(
        summary["turkey_rank"].notna(), "–")).rename(columns={
            "window": "Window", "imports_tiv": "Imports (TIV m)", "n_suppliers": "Suppliers",
            "top_supplier": "Top supplier", "top_share_pct": "Top supplier's share (%)",
            "turkey_tiv": f"From {turkey_name} (TIV m)",
            "turkey_share_pct": f"{turkey_name}'s share (%)",
            "turkey_rank": f"{turkey_name}'s place", "us_share_pct": "United States (%)",
            "europe_share_pct": "European NATO allies (%)", "korea_share_pct": "South Korea (%)"})
    out.add("imports-table", figures.table(
        "imports-table", table, source=SIPRI_SOURCE,
        caption=f"{country}'s imports by window: the top supplier, {turkey_name}'s place and "
                "the groups' shares", sortable=False,
        formats={c: ",.1f" for c in table.columns if c.endswith(("(%)", "(TIV m)"))}))

    # 5. Deals with Türkiye (and, for Türkiye, its own purchases), from the newest register
    with_turkey = f.deals
    out.add("n-deals", prose.count(len(with_turkey)))
    out.add("deals-vintage", deals_vintage)
    if len(with_turkey):
        shown = with_turkey.drop(columns=["recipient", "comments"]).rename(columns={
            "supplier": "Supplier", "designation": "Weapon", "description": "Description",
            "order_year": "Ordered", "number_ordered": "Number ordered",
            "number_delivered": "Number delivered", "delivery_years": "Delivered in",
            "sipri_status": "SIPRI status", "status": "Delivery status",
            "tiv_order": "TIV of the order", "tiv_delivered": "TIV delivered"})
        if not is_turkey:
            shown = shown.drop(columns=["Supplier"])
        out.add("deals", figures.table(
            "deals", shown, source=DEALS_SOURCE,
            caption=(f"{turkey_name}'s orders of major arms from {ctx.spans[0][0]}, every "
                     "supplier" if is_turkey
                     else f"{country}'s deals with {turkey_name}: orders, deliveries and status"),
            formats={"Number ordered": ",.0f", "Number delivered": ",.0f",
                     "TIV of the order": ",.1f", "TIV delivered": ",.1f"}))
        delivered = int((with_turkey["status"] == exports.DELIVERED).sum())
        out.add("deals-sentence", (
            "SIPRI's register lists "
            + (_plural(len(with_turkey), "purchase", "purchases") if is_turkey else
               _plural(len(with_turkey), f"deal with {turkey_name}", f"deals with {turkey_name}"))
            + f" ({prose.count(delivered)} delivered in full)"))
    else:
        out.add("deals", figures.table(
            "deals", pd.DataFrame({"Note": [(f"SIPRI's register lists no deal of {country} "
                                             f"with {turkey_name}")]}),
            source=DEALS_SOURCE, caption=f"{country}'s deals with {turkey_name}", sortable=False))
        out.add("deals-sentence", f"SIPRI's register lists no deal with {turkey_name}")

    # 6. The curated timeline's events and the EU defence rules' entries that name the Ally
    events = f.events
    out.add("n-events", prose.count(len(events)))
    out.add("events-clause", f"name no event or position of {_the(country)}" if events.empty else
            f"name {_the(country)} in {_plural(len(events), 'entry', 'entries')}, each with its "
            "source")
    ev = events[["date", "category", "event", "source_title", "source_url",
                 "source_grade"]].rename(columns={
        "date": "Date", "category": "Topic", "event": "Event or position",
        "source_title": "Source", "source_url": "Address", "source_grade": "Source quality"})
    if ev.empty:
        ev = pd.DataFrame({"Date": ["–"], "Topic": ["–"],
                           "Event or position": [(f"The report's tables name no event or "
                                                  f"position of {country}")],
                           "Source": ["–"], "Address": ["#"], "Source quality": ["–"]})
    out.add("events", figures.table(
        "events", ev, source=("Curated tables constraints_and_europe_timeline.csv and "
                              "eu_defence_rules.csv (each row's source linked)"),
        caption=f"Events and positions in the report's tables that name {country}",
        sortable=False, links=(("Source", "Address"),)))

    # 7. The paragraph
    share_text = ("NATO gives it no share of GDP" if latest_nato is None else
                  f"it spent {_pct(latest_nato, 2)} of GDP on defence in {latest_label} by NATO's "
                  f"definition ({_pct(latest_sipri, 2)} by SIPRI's), {met}, ranking "
                  f"{rank} of {of} Allies")
    gap_text = ("" if prow is None else
                (f"; reaching {core_pct:g}% by {target_year} costs nothing extra"
                 if float(prow["gap_pp"]) == 0 else
                 f"; a straight path to {core_pct:g}% by {target_year} costs US$ "
                 f"{out.values['extra-mean-m-latest']} million a year more on average in "
                 f"{latest_prices} (US$ {out.values['extra-mean-m']} million in {price_year} "
                 "prices)"))
    imports_text = ("SIPRI records no imports in " + str(last["window"]) if not last["imports_tiv"]
                    else f"In {last['window']} its main supplier was {_the(str(last['top_supplier']))} "
                    f"({_pct(last['top_share_pct'])} of its imports); {turkey_name}'s share was "
                    f"{_pct(last['turkey_share_pct'])}")
    if is_turkey:
        imports_text = (f"As a buyer, in {last['window']} it imported most from "
                        f"{_the(str(last['top_supplier']))} ({_pct(last['top_share_pct'])})")
    out.add("paragraph", f"{_the(country)[0].upper()}{_the(country)[1:]} joined NATO in "
            f"{joined}; {share_text}{gap_text}. {imports_text}. "
            f"{out.values['deals-sentence']}, and the report's timeline and table of EU defence "
            "rules "
            + ("name no event or position of it." if events.empty else
               f"name it in {_plural(len(events), 'entry', 'entries')}."))

    return ProfileChapter(**out.parts(), iso3=iso3, country=country, shares=shares,
                          suppliers=summary, deals_with_turkey=with_turkey, row=f.row())
