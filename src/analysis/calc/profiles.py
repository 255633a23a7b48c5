"""One Ally's profile: the chapters' measures, cut to one country's rows.

Pure functions over the validated frames the chapters read; every measure is the chapters' own
function (:mod:`analysis.spending`, :mod:`analysis.exports`) applied to one Ally, never a second
implementation, so that a profile's number and the chapter's number for the same Ally are the
same number:

* spending: NATO's and SIPRI's shares of GDP (two series, never merged) from the year the Ally
  joined, its rank in the latest year, its equipment share, and its row of the spending chapter's
  straight-line path to the core target (the chapter's growth rate), in the chapter's two price
  bases: the table's constant prices and the latest year's prices (:func:`spending.price_factors`
  and :func:`spending.in_prices_of`, as the chapter converts it);
* arms imports (SIPRI's deliveries register, exact yearly values): TIV by supplier over the
  five-year windows, Türkiye's place among its suppliers and the shares of the United States,
  of the European NATO allies (Türkiye apart) and of South Korea;
* deals with Türkiye (SIPRI's newest deal register: orders, deliveries, status), and, for
  Türkiye itself, its deals as a buyer;
* the curated timeline's events that name the Ally (its name or the words listed in
  :data:`OTHER_NAMES`), and the curated EU defence rules and positions whose actor or statement
  names it (Greece's position on Türkiye in SAFE, its SAFE loan).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.calc import exports, spending
from analysis.data import countries

#: Words besides the name in nato_members.csv by which the curated timeline's events name an Ally
#: (adjectives and the short forms the event texts use). Matched as whole words, case-sensitive.
OTHER_NAMES: dict[str, tuple[str, ...]] = {
    "ALB": ("Albanian",), "BEL": ("Belgian",), "BGR": ("Bulgarian",), "CAN": ("Canadian",),
    "HRV": ("Croatian",), "CZE": ("Czech",), "DNK": ("Danish",), "EST": ("Estonian",),
    "FIN": ("Finnish",), "FRA": ("French",), "DEU": ("German",), "GRC": ("Greek",),
    "HUN": ("Hungarian",), "ISL": ("Icelandic",), "ITA": ("Italian",), "LVA": ("Latvian",),
    "LTU": ("Lithuanian",), "LUX": (), "MNE": ("Montenegrin",), "NLD": ("Dutch",),
    "MKD": ("Macedonian",), "NOR": ("Norwegian",), "POL": ("Polish",), "PRT": ("Portuguese",),
    "ROU": ("Romanian",), "SVK": ("Slovak",), "SVN": ("Slovenian",), "ESP": ("Spanish",),
    "SWE": ("Swedish",), "TUR": ("Turkey", "Turkish", "Turkiye", "Ankara"),
    "GBR": ("UK", "British", "Britain"), "USA": ("US", "U.S.", "American", "Washington"),
}

#: the supplier groups a profile reports beside Türkiye (SIPRI's spellings)
UNITED_STATES = "United States"
SOUTH_KOREA = "South Korea"
EUROPE_LABEL = "European NATO allies (Türkiye apart)"


def sipri_name(register: pd.DataFrame, iso3: str, column: str = "recipient") -> str:
    """The name SIPRI's register spells for ``iso3`` (e.g. TUR -> 'Turkiye')."""
    names = pd.Series(register[column].unique())
    codes = countries.to_iso3(names)
    hits = sorted({n for n, c in zip(names, codes, strict=True) if c == iso3})
    if len(hits) != 1:
        raise ValueError(f"{iso3}: SIPRI's register spells it {hits or 'nowhere'} in '{column}'")
    return hits[0]


# --------------------------------------------------------------------------- spending


def shares_by_definition(nato_share: pd.DataFrame, sipri_share: pd.DataFrame, iso3: str,
                         since: int, last_year: int) -> pd.DataFrame:
    """The Ally's defence expenditure as % of GDP by NATO's and by SIPRI's definition, each from
    ``since`` (its accession year) or the first year its publisher gives, to ``last_year``: long,
    one row per year and definition, never merged into one series."""
    out = []
    for frame, definition in ((nato_share, spending.NATO_DEFINITION),
                              (sipri_share, spending.SIPRI_DEFINITION)):
        rows = frame[(frame["iso3"] == iso3) & frame["year"].between(since, last_year)]
        rows = rows.dropna(subset=["value"])
        for rec in rows.to_dict("records"):
            est = bool(rec.get("is_estimate", False))
            out.append({"year": int(rec["year"]), "year_label": spending.year_label(rec["year"], est),
                        "is_estimate": est, "definition": definition,
                        "share_pct": float(rec["value"])})
    frame = pd.DataFrame(out, columns=["year", "year_label", "is_estimate", "definition",
                                       "share_pct"])
    return frame.sort_values(["definition", "year"]).reset_index(drop=True)


def rank_in_year(shares: pd.DataFrame, iso3: str, year: int) -> tuple[int | None, int]:
    """(the Ally's rank by % of GDP in ``year``, 1 the highest, ties sharing the better rank, None
    when NATO gives it no figure; the number of Allies of that year with a figure). ``shares`` is
    :func:`spending.shares_of_gdp`."""
    rows = shares[(shares["year"] == year) & shares["is_member"] & shares["share_pct"].notna()]
    if iso3 not in set(rows["iso3"]):
        return None, len(rows)
    ranks = rows.set_index("iso3")["share_pct"].rank(ascending=False, method="min")
    return int(ranks[iso3]), len(rows)


def share_in_year(shares: pd.DataFrame, iso3: str, year: int) -> float | None:
    """The Ally's share of GDP in ``year`` (None without a figure); ``shares`` from
    :func:`spending.shares_of_gdp` or :func:`shares_by_definition` filtered to one definition."""
    rows = shares[(shares["year"] == year) & shares["share_pct"].notna()]
    if "iso3" in rows:
        rows = rows[rows["iso3"] == iso3]
    return None if rows.empty else float(rows["share_pct"].iloc[0])


def equipment_row(equipment_latest: pd.DataFrame, iso3: str) -> pd.Series | None:
    """The Ally's row of :func:`spending.equipment_shares` (None when NATO gives no figure)."""
    rows = equipment_latest[equipment_latest["iso3"] == iso3]
    return None if rows.empty else rows.iloc[0]


@dataclass(frozen=True)
class Path:
    """The spending chapter's default path to the core target: every Ally's summary row in the
    table's constant prices (``summary``) and in the latest year's prices (``summary_latest``,
    the same columns), the growth rate it assumes (computed from the group's GDP, as the chapter
    does) and the two price bases."""

    summary: pd.DataFrame
    summary_latest: pd.DataFrame
    path: pd.DataFrame
    path_latest: pd.DataFrame
    factors: pd.Series  #: each Ally's latest-year prices per constant price (:func:`spending.price_factors`)
    #: the variant to the total target, latest year's prices (None when no total was asked for)
    variant_latest: pd.DataFrame | None
    growth_pct: float
    price_base: str  #: the table's, e.g. 'constant 2015'
    latest_price_base: str  #: e.g. '2024 prices'


def path_to_core(nato_table: pd.DataFrame, members: pd.DataFrame, *, latest_year: int,
                 target_year: int, core_pct: float, growth_years: int,
                 group_regions: Sequence[str], group_extra: Sequence[str],
                 growth_from_data: bool = True, gdp_growth_pct: float = 0.0,
                 total_pct: float | None = None) -> Path:
    """The spending chapter's default scenario, computed by its functions: the share's own price
    base, the group's compound real GDP growth over ``growth_years`` (or ``gdp_growth_pct`` when
    ``growth_from_data`` is false), a straight line from each Ally's latest share to
    ``core_pct`` in ``target_year``; and the same path in ``latest_year``'s prices (each Ally's
    money times its own current-over-constant GDP factor from NATO's table). With ``total_pct``,
    the chapter's variant too: the same line to the total target on NATO-definition figures, in
    the latest year's prices (the chapter draws it in those only)."""
    share_series = spending.series(nato_table, "defence_share_gdp")
    price_base = share_series["price_base"].iloc[0]
    gdp_constant = spending.series(nato_table, "gdp", price_base)
    gdp_current = spending.series(nato_table, "gdp", "current")
    factors = spending.price_factors(gdp_current, gdp_constant, latest_year)
    with_figures = set(share_series["iso3"])
    group = [i for i in spending.group_members(members, latest_year, group_regions, group_extra)
             if i in with_figures]
    growth = (spending.compound_growth_pct(gdp_constant, group, latest_year, growth_years)
              if growth_from_data else float(gdp_growth_pct))
    path = spending.path_to_target(share_series, gdp_constant, latest_year=latest_year,
                                   target_year=target_year, target_pct=core_pct, growth_pct=growth)
    path_latest = spending.in_prices_of(path, factors)
    summary = spending.path_summary(path, target_year)
    summary["gap_pp"] = (core_pct - summary["latest_share_pct"]).clip(lower=0)
    summary_latest = spending.path_summary(path_latest, target_year)
    summary_latest["gap_pp"] = (core_pct - summary_latest["latest_share_pct"]).clip(lower=0)
    variant_latest = None
    if total_pct is not None:
        variant = spending.path_to_target(share_series, gdp_constant, latest_year=latest_year,
                                          target_year=target_year, target_pct=total_pct,
                                          growth_pct=growth)
        variant_latest = spending.path_summary(spending.in_prices_of(variant, factors),
                                               target_year)
    return Path(summary=summary, summary_latest=summary_latest, path=path,
                path_latest=path_latest, factors=factors, variant_latest=variant_latest,
                growth_pct=growth, price_base=price_base,
                latest_price_base=str(path_latest.attrs["price_base"]))


def path_row(path: Path, iso3: str, *, latest_prices: bool = False,
             variant: bool = False) -> pd.Series | None:
    """The Ally's row of the path, in the table's constant prices or (``latest_prices``) in the
    latest year's; ``variant``: of the variant to the total target, latest year's prices (None
    when NATO gives it no share or no GDP)."""
    summary = path.summary_latest if latest_prices else path.summary
    if variant:
        if path.variant_latest is None:
            raise ValueError("the path was computed without the variant (total_pct)")
        summary = path.variant_latest
    rows = summary[summary["iso3"] == iso3]
    return None if rows.empty else rows.iloc[0]


# --------------------------------------------------------------------------- arms imports


def imports_by_supplier(register: pd.DataFrame, recipient: str,
                        spans: Sequence[tuple[int, int]], length: int) -> pd.DataFrame:
    """The recipient's imports (SIPRI TIV) by supplier and window: TIV, share of its imports (%)
    and rank among its suppliers (:func:`exports.suppliers_of` on its deliveries)."""
    rows = exports.in_windows(register[register["recipient"] == recipient], spans, length)
    order = [exports.window_label(start, length) for start, _ in spans]
    if rows.empty:
        return pd.DataFrame(columns=["window", "supplier", "tiv", "share_pct", "rank"])
    return exports.suppliers_of(rows, order)


def supplier_summary(by_supplier: pd.DataFrame, window_order: Sequence[str], members: pd.DataFrame,
                     *, turkey: str, recipient_iso3: str, europe: str = "Europe") -> pd.DataFrame:
    """Per window: the recipient's total imports, its top supplier, Türkiye's TIV, share and rank
    among its suppliers (no rank when Türkiye delivered nothing), and the shares (%) of the
    United States, of the European NATO allies (today's, Türkiye and the recipient itself apart)
    and of South Korea. A window without imports has no shares."""
    european = set(members.loc[members["region"] == europe, "iso3"]) - {"TUR", recipient_iso3}
    rows = []
    for window in window_order:
        one = by_supplier[by_supplier["window"] == window]
        total = float(one["tiv"].sum())
        iso3 = pd.Series(countries.to_iso3(one["supplier"]), index=one.index, dtype="str")
        t = one[one["supplier"] == turkey]

        def share(mask: pd.Series, one: pd.DataFrame = one, total: float = total) -> float:
            return float(one.loc[mask, "tiv"].sum()) / total * 100 if total else float("nan")

        top = one.sort_values(["rank", "supplier"]).iloc[0] if total else None
        rows.append({
            "window": window, "imports_tiv": total, "n_suppliers": len(one),
            "top_supplier": None if top is None else str(top["supplier"]),
            "top_share_pct": float("nan") if top is None else float(top["share_pct"]),
            "turkey_tiv": float(t["tiv"].sum()),
            "turkey_share_pct": share(one["supplier"] == turkey),
            "turkey_rank": None if t.empty else int(t["rank"].iloc[0]),
            "us_share_pct": share(one["supplier"] == UNITED_STATES),
            "europe_share_pct": share(iso3.isin(list(european))),
            "korea_share_pct": share(one["supplier"] == SOUTH_KOREA),
        })
    out = pd.DataFrame(rows)
    out["turkey_rank"] = out["turkey_rank"].astype("Int64")
    return out


# --------------------------------------------------------------------------- deals


def deals_between(deals: pd.DataFrame, *, supplier: str | None = None,
                  recipient: str | None = None) -> pd.DataFrame:
    """Every deal of the register between ``supplier`` and ``recipient`` (either may be None for
    any), orders not yet delivered included, with SIPRI's status, the delivery status
    (:func:`exports.delivery_status`) and the TIV ordered and delivered; newest order first."""
    rows = deals
    if supplier is not None:
        rows = rows[rows["supplier"] == supplier]
    if recipient is not None:
        rows = rows[rows["recipient"] == recipient]
    out = pd.DataFrame({
        "supplier": rows["supplier"], "recipient": rows["recipient"],
        "designation": rows["designation"], "description": rows["description"],
        "order_year": rows["order_year"].astype("int64"),
        "number_ordered": rows["number_ordered"], "number_delivered": rows["number_delivered"],
        "delivery_years": rows["delivery_years"].str.replace("; ", ", "),
        "sipri_status": rows["status"],
        "status": [exports.delivery_status(o, d) for o, d in
                   zip(rows["number_ordered"], rows["number_delivered"], strict=True)],
        "tiv_order": rows["tiv_order"], "tiv_delivered": rows["tiv_delivered"],
        "comments": rows["comments"],
    })
    return out.sort_values(["order_year", "supplier", "recipient", "designation"],
                           ascending=[False, True, True, True]).reset_index(drop=True)


# --------------------------------------------------------------------------- events


def name_pattern(country: str, iso3: str) -> re.Pattern[str]:
    """Whole-word, case-sensitive: the Ally's name or one of its :data:`OTHER_NAMES`."""
    if iso3 not in OTHER_NAMES:
        raise KeyError(f"{iso3} ({country}) has no entry in analysis.calc.profiles.OTHER_NAMES")
    words = sorted({country, *OTHER_NAMES[iso3]}, key=len, reverse=True)
    return re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w])")


def events_naming(timeline: pd.DataFrame, country: str, iso3: str) -> pd.DataFrame:
    """The curated timeline's rows whose event text names the Ally, in date order."""
    pattern = name_pattern(country, iso3)
    names_it = pd.Series([bool(pattern.search(str(t))) for t in timeline["event"]],
                         index=timeline.index, dtype="bool")
    rows = timeline[names_it]
    return rows.sort_values("date", kind="stable").reset_index(drop=True)


def rules_naming(rules: pd.DataFrame, country: str, iso3: str) -> pd.DataFrame:
    """The curated EU defence rules and positions (eu_defence_rules.csv) whose actor or statement
    names the Ally, in date order."""
    pattern = name_pattern(country, iso3)
    names_it = pd.Series([bool(pattern.search(str(a)) or pattern.search(str(s)))
                          for a, s in zip(rules["actor"], rules["statement"], strict=True)],
                         index=rules.index, dtype="bool")
    rows = rules[names_it].drop_duplicates(subset=["rule_id"])
    return rows.sort_values(["date", "rule_id"], kind="stable").reset_index(drop=True)


#: the columns of :func:`events_and_positions`
ENTRY_COLUMNS = ["date", "category", "event", "source_title", "source_url", "source_grade"]


def events_and_positions(events: pd.DataFrame, rules: pd.DataFrame) -> pd.DataFrame:
    """The timeline's events and the rules' entries in one list, in date order: a rule reads
    '<actor>: <statement>' under the topic '<instrument> (<topic>)'; each keeps its source."""
    as_entries = pd.DataFrame({
        "date": rules["date"], "category": rules["instrument"] + " (" + rules["topic"] + ")",
        "event": rules["actor"] + ": " + rules["statement"],
        "source_title": rules["source_title"], "source_url": rules["source_url"],
        "source_grade": rules["source_grade"]}, columns=ENTRY_COLUMNS)
    both = pd.concat([events.reindex(columns=ENTRY_COLUMNS), as_entries], ignore_index=True)
    return both.sort_values("date", kind="stable").reset_index(drop=True)
