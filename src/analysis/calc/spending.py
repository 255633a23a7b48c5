"""Defence spending of the Allies: the pledges, burden sharing, equipment, Türkiye by two
definitions, and what a straight-line path to 3.5 % of GDP by 2035 costs.

Pure functions over the tidy frames of :mod:`analysis.data.readers.nato` and
:mod:`analysis.data.readers.sipri_milex`. Three rules run through the module:

* membership is by year (:func:`analysis.data.countries.members_in`): Finland's 2014 figure is in NATO's
  table but Finland was not an Ally in 2014, so it counts from 2023;
* NATO's and SIPRI's figures are never merged into one series, and constant-price series of
  different price bases (editions) are never combined: functions that take two series check that
  their price bases agree;
* the Hague commitment's "up to 1.5 % related spending" is not in NATO-definition data and is never
  added to it; the 5 % line is a reference, not a target these data can be measured against.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from analysis.data import countries

NATO_DEFINITION = "NATO definition"
SIPRI_DEFINITION = "SIPRI definition"


# --------------------------------------------------------------------------- selection


def series(table: pd.DataFrame, measure: str, price_base: str | None = None, *,
           aggregates: bool = False) -> pd.DataFrame:
    """One measure of a tidy table (NATO's or SIPRI's): one row per country and year.

    ``price_base`` must be given when the measure exists at more than one price base, so that a
    caller never picks up current and constant values together.
    """
    rows = table[table["measure"] == measure]
    if rows.empty:
        raise KeyError(f"measure {measure!r} is not in the table")
    bases = sorted(rows["price_base"].unique())
    if price_base is None:
        if len(bases) > 1:
            raise ValueError(f"{measure!r} exists at price bases {bases}: name one")
        price_base = bases[0]
    rows = rows[rows["price_base"] == price_base]
    if rows.empty:
        raise KeyError(f"{measure!r} has no values at price base {price_base!r} (held: {bases})")
    if "is_aggregate" in rows:
        rows = rows[rows["is_aggregate"] == aggregates]
    cols = ["country", "iso3", "year", "is_estimate", "value", "unit", "price_base"]
    return rows[cols].reset_index(drop=True)


def ally_years(members: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """One row per Ally and year it was an Ally (iso3, year, region)."""
    out = []
    for year in years:
        for iso3 in countries.members_in(members, int(year)):
            out.append({"iso3": iso3, "year": int(year)})
    frame = pd.DataFrame(out, columns=["iso3", "year"])
    return frame.merge(members[["iso3", "region"]], on="iso3", how="left")


def group_members(members: pd.DataFrame, year: int, regions: Sequence[str],
                  extra: Sequence[str] = ()) -> list[str]:
    """The Allies of ``year`` in ``regions`` plus the ``extra`` ISO3 codes that were Allies then
    (e.g. regions ["Europe"] plus ["CAN"]: NATO's 'Europe and Canada')."""
    in_year = set(countries.members_in(members, year))
    chosen = {i for r in regions for i in countries.members_in(members, year, r)}
    chosen |= {i for i in extra if i in in_year}
    return sorted(chosen)


def year_label(year: int, is_estimate: bool) -> str:
    """NATO's own style: 2023e for an estimate."""
    return f"{int(year)}e" if is_estimate else str(int(year))


# --------------------------------------------------------------------------- the pledges


def shares_of_gdp(share_series: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """Each Ally's defence expenditure as % of GDP, with whether it was an Ally that year.

    Keeps the Allies that joined after 2014 (their earlier years are in NATO's table), flagged
    with ``is_member`` so that counts can leave them out.
    """
    current = set(members["iso3"])
    out = share_series[share_series["iso3"].isin(current)].copy()
    joined = members.set_index("iso3")["accession_year"].astype(int)
    out["accession_year"] = out["iso3"].map(joined).astype("int64")
    out["is_member"] = out["year"] >= out["accession_year"]
    out["region"] = out["iso3"].map(members.set_index("iso3")["region"])
    out["year_label"] = [year_label(y, e) for y, e in zip(out["year"], out["is_estimate"], strict=True)]
    out = out.rename(columns={"value": "share_pct"})
    return out[["country", "iso3", "region", "year", "year_label", "is_estimate", "is_member",
                "share_pct"]].sort_values(["country", "year"]).reset_index(drop=True)


def count_at_or_above(shares: pd.DataFrame, year: int, threshold: float) -> tuple[int, int]:
    """(Allies at or above ``threshold`` % of GDP in ``year``, Allies with a figure that year).

    Only countries that were Allies in ``year`` count; "at or above" is inclusive, so an Ally
    entered at exactly 2 (NATO's figure for Slovakia in 2024) meets 2 %.
    """
    rows = shares[(shares["year"] == year) & shares["is_member"] & shares["share_pct"].notna()]
    if rows.empty:
        raise ValueError(f"no Ally has a figure for {year}")
    return int((rows["share_pct"] >= threshold).sum()), len(rows)


def counts_by_year(shares: pd.DataFrame, thresholds: Sequence[float]) -> pd.DataFrame:
    """For each year and threshold: how many Allies were at or above it, of how many."""
    out = []
    for (year, label), _ in shares.groupby(["year", "year_label"]):
        for t in thresholds:
            n, of = count_at_or_above(shares, int(year), float(t))
            out.append({"year": int(year), "year_label": label, "threshold_pct": float(t),
                        "allies_at_or_above": n, "allies_with_data": of})
    return pd.DataFrame(out)


def threshold_bands(thresholds: Sequence[float]) -> list[str]:
    """The bands, lowest first: ['below 2%', '2% to under 3.5%', '3.5% or more'] for (2, 3.5)."""
    ts = sorted(float(t) for t in thresholds)
    return ([f"below {ts[0]:g}%"] + [f"{lo:g}% to under {hi:g}%" for lo, hi in itertools.pairwise(ts)]
            + [f"{ts[-1]:g}% or more"])


def threshold_band(share_pct: float, thresholds: Sequence[float]) -> str:
    """The band of :func:`threshold_bands` that ``share_pct`` falls in ('no figure' if missing)."""
    if pd.isna(share_pct):
        return "no figure"
    ts = sorted(float(t) for t in thresholds)
    bands = threshold_bands(ts)
    return next((b for b, hi in zip(bands, ts, strict=False) if share_pct < hi), bands[-1])


def entered_shares(share: pd.DataFrame, spend_constant: pd.DataFrame, gdp_constant: pd.DataFrame,
                   tolerance: float = 1e-6) -> pd.DataFrame:
    """Shares of GDP that are not spending over GDP: the cells where NATO entered a figure.

    NATO's share of real GDP is otherwise exactly constant-price spending over constant-price GDP
    (TABLE2 over TABLE5); where it is not (an Ally recorded at 2.00 because it met 2% with the GDP
    data of the time, as NATO's note explains), the published figure and the ratio are both shown.
    """
    for frame in (share, spend_constant, gdp_constant):
        if frame["price_base"].nunique() != 1:
            raise ValueError("one price base per series")
    if not (set(share["price_base"]) == set(spend_constant["price_base"])
            == set(gdp_constant["price_base"])):
        raise ValueError("share, spending and GDP must share one price base")
    keys = ["iso3", "year"]
    m = share[["country", *keys, "value"]].rename(columns={"value": "published"}).merge(
        spend_constant[[*keys, "value"]].rename(columns={"value": "spend"}), on=keys).merge(
        gdp_constant[[*keys, "value"]].rename(columns={"value": "gdp"}), on=keys)
    m["computed"] = 100 * m["spend"] / m["gdp"]
    odd = m[(m["published"] - m["computed"]).abs() > tolerance]
    return odd[["country", "iso3", "year", "published", "computed"]].reset_index(drop=True)


# --------------------------------------------------------------------------- aggregates


def reconcile_aggregates(table: pd.DataFrame, members: pd.DataFrame, measure: str,
                         price_base: str, lead: str = "USA") -> pd.DataFrame:
    """NATO's aggregate rows beside the sum of the Allies of each year (both aggregates).

    NATO's 'NATO Total' is all Allies of the year, 'NATO Europe and Canada' all but ``lead``.
    """
    allies = series(table, measure, price_base)
    published = series(table, measure, price_base, aggregates=True)
    out = []
    for (name, year), row in published.set_index(["country", "year"])["value"].items():
        in_year = countries.members_in(members, int(year))
        if name == "NATO Europe and Canada":
            in_year = [i for i in in_year if i != lead]
        part = allies[(allies["year"] == year) & allies["iso3"].isin(in_year)]
        out.append({"aggregate": name, "year": int(year), "published": float(row),
                    "sum_of_allies": float(part["value"].sum()), "allies_summed": len(part)})
    frame = pd.DataFrame(out)
    frame["difference"] = frame["sum_of_allies"] - frame["published"]
    return frame


# --------------------------------------------------------------------------- burden sharing


def burden_shares(values: pd.DataFrame, members: pd.DataFrame, *, lead: str, regions: Sequence[str],
                  extra: Sequence[str], lead_name: str, group_name: str, source: str) -> pd.DataFrame:
    """Each year's share of all Allies' spending carried by ``lead`` and by the group.

    ``values``: one row per country and year (iso3, year, value), in current USD. Every Ally of the
    year must have a figure (Iceland, with no armed forces, may be absent or zero): a missing Ally
    would shrink the total and inflate the shares, so it raises instead.
    """
    out = []
    by_year = values.dropna(subset=["value"]).groupby("year")
    for year, rows in by_year:
        allies = countries.members_in(members, int(year))
        have = set(rows["iso3"])
        lacking = [i for i in allies if i not in have and i != "ISL"]
        if lacking:
            raise ValueError(f"{source} {year}: no figure for Allies {lacking}")
        rows = rows[rows["iso3"].isin(allies)]
        total = float(rows["value"].sum())
        group = group_members(members, int(year), regions, extra)
        is_est = bool(rows["is_estimate"].any()) if "is_estimate" in rows else False
        for name, codes in ((lead_name, [lead]), (group_name, group)):
            part = float(rows[rows["iso3"].isin(codes)]["value"].sum())
            out.append({"year": int(year), "year_label": year_label(int(year), is_est),
                        "is_estimate": is_est, "source": source, "group": name,
                        "spending_usd_m": part, "all_allies_usd_m": total,
                        "share_pct": 100 * part / total})
    return pd.DataFrame(out)


# --------------------------------------------------------------------------- equipment


def equipment_shares(equipment: pd.DataFrame, members: pd.DataFrame, year: int,
                     guideline_pct: float) -> pd.DataFrame:
    """Each Ally's equipment share of defence expenditure in ``year`` against the guideline."""
    rows = equipment[(equipment["year"] == year) & equipment["iso3"].isin(
        countries.members_in(members, year))].dropna(subset=["value"])
    out = rows[["country", "iso3", "year", "is_estimate", "value"]].rename(
        columns={"value": "equipment_pct"})
    out["meets_guideline"] = out["equipment_pct"] >= guideline_pct
    out["year_label"] = [year_label(y, e) for y, e in zip(out["year"], out["is_estimate"], strict=True)]
    return out.sort_values("equipment_pct", ascending=False).reset_index(drop=True)


def wide_by_year(frame: pd.DataFrame, value: str, index: str = "country",
                 columns: str = "year_label") -> pd.DataFrame:
    """Countries down, years across (for sortable tables)."""
    wide = frame.pivot(index=index, columns=columns, values=value)
    order = (frame[["year", columns]].drop_duplicates().sort_values("year")[columns]).tolist()
    out = wide[order].reset_index()
    out.columns.name = None
    return out


# --------------------------------------------------------------------------- two definitions


def growth_pct(values: pd.DataFrame) -> pd.DataFrame:
    """Year-on-year change in % of a constant-price series (one country): real growth."""
    s = values.sort_values("year").set_index("year")["value"].astype("float64")
    prev = s.shift(1)
    change = ((s - prev) / prev * 100).where(prev > 0)
    # only consecutive years
    years = pd.Series(s.index, index=s.index)
    change = change.where(years.diff() == 1)
    return change.rename("value").reset_index()


def two_definitions(nato_share: pd.DataFrame, nato_growth: pd.DataFrame,
                    sipri_share: pd.DataFrame, sipri_constant: pd.DataFrame, iso3: str,
                    first_year: int, last_year: int) -> pd.DataFrame:
    """One country's defence burden (% of GDP) and real growth (%) by NATO's and by SIPRI's
    definition, long (one row per year, definition and measure): two series, never one.

    NATO's real change is NATO's own (2015 prices); SIPRI's is computed here from SIPRI's
    constant-dollar series.
    """
    def pick(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[(frame["iso3"] == iso3)]

    sipri_growth = growth_pct(pick(sipri_constant))
    parts = [
        (pick(nato_share), NATO_DEFINITION, "Defence burden (% of GDP)"),
        (pick(nato_growth), NATO_DEFINITION, "Real change (%)"),
        (pick(sipri_share), SIPRI_DEFINITION, "Defence burden (% of GDP)"),
        (sipri_growth, SIPRI_DEFINITION, "Real change (%)"),
    ]
    out = []
    for frame, definition, measure in parts:
        f = frame[frame["year"].between(first_year, last_year)]
        for rec in f.to_dict("records"):
            est = bool(rec.get("is_estimate", False))
            out.append({"year": int(rec["year"]), "year_label": year_label(int(rec["year"]), est),
                        "is_estimate": est, "definition": definition, "measure": measure,
                        "value": float(rec["value"])})
    frame = pd.DataFrame(out)
    counts = frame.groupby(["definition", "measure"]).size()
    if len(counts) != 4 or counts.nunique() != 1:
        raise ValueError(f"{iso3}: the two definitions do not cover the same years: {counts.to_dict()}")
    return frame.sort_values(["measure", "definition", "year"]).reset_index(drop=True)


def definition_gaps(long: pd.DataFrame) -> pd.DataFrame:
    """Per year: each measure by both definitions and the gap (SIPRI minus NATO)."""
    wide = long.pivot_table(index=["year"], columns=["measure", "definition"], values="value")
    out = pd.DataFrame(index=wide.index)
    labels = long.drop_duplicates("year").set_index("year")["year_label"]
    nato_labels = long[long["definition"] == NATO_DEFINITION].drop_duplicates("year").set_index(
        "year")["year_label"]
    out["year_label"] = nato_labels.reindex(out.index).fillna(labels)
    for measure, short in (("Defence burden (% of GDP)", "burden"), ("Real change (%)", "growth")):
        out[f"{short}_nato"] = wide[(measure, NATO_DEFINITION)]
        out[f"{short}_sipri"] = wide[(measure, SIPRI_DEFINITION)]
        out[f"{short}_gap"] = out[f"{short}_sipri"] - out[f"{short}_nato"]
    return out.reset_index()


# --------------------------------------------------------------------------- path to 2035


def compound_growth_pct(gdp_constant: pd.DataFrame, iso3s: Sequence[str], last_year: int,
                        n_years: int) -> float:
    """Mean annual real growth (compound, %) of the summed constant-price GDP of ``iso3s`` over
    the ``n_years`` ending in ``last_year``: the same countries at both ends."""
    if gdp_constant["price_base"].nunique() != 1 or not str(
            gdp_constant["price_base"].iloc[0]).startswith("constant"):
        raise ValueError("GDP growth needs one constant-price series")
    first_year = last_year - n_years
    rows = gdp_constant[gdp_constant["iso3"].isin(iso3s)]
    ends = rows[rows["year"].isin([first_year, last_year])].pivot(index="iso3", columns="year",
                                                                  values="value")
    missing = sorted(set(iso3s) - set(ends.dropna().index))
    if missing:
        raise ValueError(f"no constant-price GDP in {first_year} or {last_year} for {missing}")
    start, end = float(ends[first_year].sum()), float(ends[last_year].sum())
    return 100 * ((end / start) ** (1 / n_years) - 1)


def path_to_target(share_pct: pd.DataFrame, gdp_constant: pd.DataFrame, *, latest_year: int,
                   target_year: int, target_pct: float, growth_pct: float) -> pd.DataFrame:
    """Each country's straight-line path from its latest share of GDP to ``target_pct`` in
    ``target_year``, with GDP growing at ``growth_pct`` a year in real terms.

    Returns one row per country and year (latest_year..target_year): the share on the path, GDP,
    spending on the path and the **extra** spending: what the path costs beyond keeping the latest
    share of a growing GDP, ``(path share - latest share) x GDP``, in the GDP series' unit and price
    base. A country already at or above the target keeps its share (extra zero). Only the core
    target is modelled: nothing is added for 'related' spending.
    """
    if latest_year >= target_year:
        raise ValueError("the target year must come after the latest year")
    bases = set(gdp_constant["price_base"])
    if len(bases) != 1 or not next(iter(bases)).startswith("constant"):
        raise ValueError(f"GDP must be one constant-price series, got {sorted(bases)}")
    if "price_base" in share_pct and set(share_pct["price_base"]) != bases:
        raise ValueError(f"share of GDP ({sorted(set(share_pct['price_base']))}) and GDP "
                         f"({sorted(bases)}) are not on the same price base")
    s0 = share_pct[share_pct["year"] == latest_year].set_index("iso3")
    g0 = gdp_constant[gdp_constant["year"] == latest_year].set_index("iso3")
    both = s0.index.intersection(g0.index)
    years = np.arange(latest_year, target_year + 1)
    steps = (years - latest_year) / (target_year - latest_year)
    factor = (1 + growth_pct / 100) ** (years - latest_year)
    out = []
    for iso3 in both:
        start = float(s0.loc[iso3, "value"])
        if np.isnan(start):
            continue
        goal = max(start, target_pct)
        path = start + (goal - start) * steps
        gdp = float(g0.loc[iso3, "value"]) * factor
        for y, p, g in zip(years, path, gdp, strict=True):
            out.append({"iso3": iso3, "country": s0.loc[iso3, "country"], "year": int(y),
                        "latest_share_pct": start, "path_share_pct": float(p), "gdp": float(g),
                        "spending": float(p * g / 100), "extra": float((p - start) * g / 100)})
    frame = pd.DataFrame(out)
    frame.attrs["price_base"] = next(iter(bases))
    return frame


def path_summary(path: pd.DataFrame, target_year: int) -> pd.DataFrame:
    """Per country: latest share, gap to the target, the extra in the target year and the mean
    extra per year over the path (the latest year itself excluded: it costs nothing extra)."""
    after = path[path["year"] > path["year"].min()]
    mean_extra = after.groupby("iso3")["extra"].mean()
    last = path[path["year"] == target_year].set_index("iso3")
    out = pd.DataFrame({
        "country": last["country"],
        "latest_share_pct": last["latest_share_pct"],
        "extra_in_target_year": last["extra"],
        "mean_extra_per_year": mean_extra.reindex(last.index),
        "spending_in_target_year": last["spending"],
    })
    return out.reset_index().sort_values("extra_in_target_year", ascending=False).reset_index(drop=True)


def path_totals(path: pd.DataFrame, iso3s: Sequence[str], scenario: str) -> pd.DataFrame:
    """The group's total extra spending per year on the path (one scenario)."""
    rows = path[path["iso3"].isin(iso3s)]
    missing = sorted(set(iso3s) - set(rows["iso3"]))
    if missing:
        raise ValueError(f"no path for {missing}")
    out = rows.groupby("year", as_index=False)["extra"].sum()
    out["scenario"] = scenario
    return out


def price_factors(gdp_current: pd.DataFrame, gdp_constant: pd.DataFrame, year: int) -> pd.Series:
    """Each country's factor from the constant-price base to the prices and exchange rates of
    ``year``: its GDP at current prices over its GDP at constant prices in ``year``, the implied
    deflator of the publisher's own GDP table (in US dollars, so exchange-rate moves since the base
    year are in it). Indexed by iso3; a country without both figures is left out."""
    for frame, kind in ((gdp_current, "current"), (gdp_constant, "constant")):
        bases = set(frame["price_base"])
        if len(bases) != 1 or not next(iter(bases)).startswith(kind):
            raise ValueError(f"price factors need one {kind}-price GDP series, got {sorted(bases)}")
    cur = gdp_current[gdp_current["year"] == year].set_index("iso3")["value"]
    con = gdp_constant[gdp_constant["year"] == year].set_index("iso3")["value"]
    both = cur.index.intersection(con.index)
    if both.empty:
        raise ValueError(f"no country has GDP at current and constant prices in {year}")
    ratio = (cur[both] / con[both]).astype("float64")
    ratio = ratio[ratio.notna() & (con[both] > 0)]
    ratio.name = "factor"
    ratio.attrs["price_base"] = f"{year} prices"
    return ratio.sort_index()


PATH_MONEY = ("gdp", "spending", "extra")


def in_prices_of(path: pd.DataFrame, factors: pd.Series) -> pd.DataFrame:
    """A path of :func:`path_to_target` with its money columns (GDP, spending, extra) in the
    prices of ``factors`` (:func:`price_factors`): each country's columns times its own factor.
    Shares are unchanged. A country on the path without a factor is an error, not a zero."""
    lacking = sorted(set(path["iso3"]) - set(factors.index))
    if lacking:
        raise ValueError(f"no price factor for {lacking}")
    out = path.copy()
    f = out["iso3"].map(factors).astype("float64")
    for col in PATH_MONEY:
        out[col] = out[col] * f
    out.attrs["price_base"] = factors.attrs.get("price_base", "converted")
    return out


def path_extra_total(path: pd.DataFrame, iso3s: Sequence[str], first_year: int,
                     last_year: int) -> float:
    """The group's extra spending summed over ``first_year..last_year`` of a path."""
    rows = path[path["iso3"].isin(iso3s) & path["year"].between(first_year, last_year)]
    missing = sorted(set(iso3s) - set(rows["iso3"]))
    if missing:
        raise ValueError(f"no path for {missing}")
    return float(rows["extra"].sum())


def whatif_rows(share_pct: pd.DataFrame, gdp: pd.DataFrame, *, latest_year: int,
                groups: dict[str, Sequence[str]]) -> pd.DataFrame:
    """The rows a reader's what-if recomputes the path from: one per country with a share and a
    GDP in ``latest_year`` (iso3, country, group, latest share %, GDP in the unit of ``gdp``).

    ``groups`` maps a group's name to its countries; every country must be in exactly one, so
    that the groups' totals add up to the whole."""
    s0 = share_pct[share_pct["year"] == latest_year].set_index("iso3")
    g0 = gdp[gdp["year"] == latest_year].set_index("iso3")["value"]
    owner: dict[str, str] = {}
    for name, codes in groups.items():
        for code in codes:
            if code in owner:
                raise ValueError(f"{code} is in two groups ({owner[code]}, {name})")
            owner[code] = name
    out = []
    for iso3 in s0.index.intersection(g0.index):
        start, g = float(s0.loc[iso3, "value"]), float(g0.loc[iso3])
        if np.isnan(start) or np.isnan(g):
            continue
        if iso3 not in owner:
            raise ValueError(f"{iso3} is in no group")
        out.append({"iso3": iso3, "country": s0.loc[iso3, "country"], "group": owner[iso3],
                    "latest_share_pct": start, "gdp_latest": g})
    return pd.DataFrame(out).sort_values("iso3").reset_index(drop=True)
