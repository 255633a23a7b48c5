"""Türkiye's arms exports from SIPRI's registers: yearly volumes, 5-year windows, rank and
share among exporters, customers, Europe's suppliers, orders, and the official USD series.

SIPRI TIV is a volume index of major weapons delivered (millions of TIV), not money, and
deliveries are lumpy: SIPRI compares 5-year windows, and so does this module. The USD series are
kept apart: they measure money, include parts, services and small arms, and are never added to,
divided by or drawn on the same axis as TIV.

NATO membership follows one rule throughout: an ally counts as an ally for the deliveries of its
accession year and later (a 2020-24 window counts Finland for 2023-24 and Sweden for 2024 only).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import pandas as pd

from analysis.data import countries
from analysis.data.errors import DataError


def yearly_tiv(register: pd.DataFrame, supplier: str, first_year: int, last_year: int) -> pd.DataFrame:
    """TIV delivered by ``supplier`` per year, with zero for years without deliveries."""
    rows = register[register["supplier"] == supplier]
    by_year = rows.groupby("delivery_year")["tiv_delivered"].sum()
    years = pd.RangeIndex(first_year, last_year + 1, name="year")
    out = by_year.reindex(years, fill_value=0.0).rename("tiv").reset_index()
    out["tiv"] = out["tiv"].astype("float64")
    return out


def window_label(start: int, length: int) -> str:
    """SIPRI's style: 2020-24."""
    end = start + length - 1
    return f"{start}-{str(end)[-2:]}" if str(start)[:2] == str(end)[:2] else f"{start}-{end}"


def windows(first_year: int, last_year: int, length: int) -> list[tuple[int, int]]:
    """Consecutive windows of ``length`` years ending at ``last_year`` (only whole windows)."""
    out = []
    end = last_year
    while end - length + 1 >= first_year:
        out.append((end - length + 1, end))
        end -= length
    return sorted(out)


def window_totals(yearly: pd.DataFrame, length: int) -> pd.DataFrame:
    """Sum a yearly series into whole windows; adds the change from the previous window in %."""
    spans = windows(int(yearly["year"].min()), int(yearly["year"].max()), length)
    rows = []
    for start, end in spans:
        mask = yearly["year"].between(start, end)
        rows.append({"window": window_label(start, length), "start": start, "end": end,
                     "tiv": float(yearly.loc[mask, "tiv"].sum())})
    out = pd.DataFrame(rows)
    prev = out["tiv"].shift(1)
    out["change_pct"] = ((out["tiv"] - prev) / prev * 100).where(prev > 0)
    return out


def largest_year(yearly: pd.DataFrame) -> pd.Series:
    return yearly.loc[yearly["tiv"].idxmax()]




# --- windows over the whole register -------------------------------------------------------

def in_windows(register: pd.DataFrame, spans: Sequence[tuple[int, int]], length: int) -> pd.DataFrame:
    """The register's rows delivered inside the given windows, with a ``window`` label column.

    Rows outside every window are dropped (a partial window is never compared with a whole one).
    """
    labels = pd.Series(pd.NA, index=register.index, dtype="str")
    for start, end in spans:
        labels = labels.mask(register["delivery_year"].between(start, end),
                             window_label(start, length))
    out = register.assign(window=labels)
    return out[out["window"].notna()]


def _window_order(spans: Sequence[tuple[int, int]], length: int) -> list[str]:
    return [window_label(start, length) for start, _ in spans]


def exporters_by_window(register: pd.DataFrame, spans: Sequence[tuple[int, int]],
                        length: int) -> pd.DataFrame:
    """Every supplier's TIV, share of world exports (%) and rank in each window.

    Rank 1 is the largest; ties share the better rank. All suppliers in the register count,
    including SIPRI's non-state and unknown suppliers, so that shares add to 100 %.
    """
    rows = in_windows(register, spans, length)
    out = (rows.groupby(["window", "supplier"], as_index=False)["tiv_delivered"].sum()
           .rename(columns={"tiv_delivered": "tiv"}))
    out = out[out["tiv"] > 0]
    world = out.groupby("window")["tiv"].transform("sum")
    out["share_pct"] = out["tiv"] / world * 100
    out["rank"] = out.groupby("window")["tiv"].rank(ascending=False, method="min").astype("int64")
    order = {w: i for i, w in enumerate(_window_order(spans, length))}
    return (out.sort_values(["window", "rank", "supplier"], key=lambda s: s.map(order)
                            if s.name == "window" else s).reset_index(drop=True))


def supplier_standing(exporters: pd.DataFrame, supplier: str) -> pd.DataFrame:
    """One supplier's TIV, world TIV, share (%) and rank per window, from :func:`exporters_by_window`.

    A window in which the supplier delivered nothing has TIV 0, share 0 and no rank.
    """
    windows_seen = list(dict.fromkeys(exporters["window"]))
    world = exporters.groupby("window", sort=False)["tiv"].sum().reindex(windows_seen)
    suppliers = exporters.groupby("window", sort=False)["supplier"].nunique().reindex(windows_seen)
    own = exporters[exporters["supplier"] == supplier].set_index("window").reindex(windows_seen)
    return pd.DataFrame({
        "window": windows_seen,
        "tiv": own["tiv"].fillna(0.0).to_numpy(),
        "world_tiv": world.to_numpy(),
        "share_pct": own["share_pct"].fillna(0.0).to_numpy(),
        "rank": own["rank"].astype("Int64").to_numpy(),
        "suppliers": suppliers.astype("int64").to_numpy(),
    })


def top_exporters(exporters: pd.DataFrame, window: str, n: int, keep: str) -> pd.DataFrame:
    """The ``n`` largest suppliers of one window, plus ``keep`` if it is not among them."""
    rows = exporters[exporters["window"] == window]
    top = rows[(rows["rank"] <= n) | (rows["supplier"] == keep)]
    return top.sort_values(["rank", "supplier"]).reset_index(drop=True)


# --- NATO groups ---------------------------------------------------------------------------

EUROPEAN_NATO = "European NATO allies"
OTHER_NATO = "NATO allies in North America"
REST = "Rest of the world"
GROUPS: list[str] = [EUROPEAN_NATO, OTHER_NATO, REST]


def accession_years(members: pd.DataFrame) -> pd.Series:
    """ISO3 -> accession year, from ``curated.table("nato_members.csv")``."""
    return members.set_index("iso3")["accession_year"].astype("int64")


def alliance_group(register: pd.DataFrame, members: pd.DataFrame,
                   europe: str = "Europe") -> pd.Series:
    """Each row's recipient group in its delivery year: European NATO ally, NATO ally in North
    America, or rest of the world. An ally counts from its accession year on; SIPRI's
    organisations ('NATO**') and non-state recipients are not allies."""
    iso3 = pd.Series(countries.to_iso3(register["recipient"]), index=register.index, dtype="str")
    joined = iso3.map(accession_years(members))
    region = iso3.map(members.set_index("iso3")["region"])
    is_ally = joined.notna() & (joined <= register["delivery_year"])
    return pd.Series(REST, index=register.index, dtype="str").mask(
        is_ally & (region == europe), EUROPEAN_NATO).mask(is_ally & (region != europe), OTHER_NATO)


def recipients_by_window(register: pd.DataFrame, supplier: str, members: pd.DataFrame,
                         spans: Sequence[tuple[int, int]], length: int) -> pd.DataFrame:
    """TIV delivered by ``supplier`` to each recipient and window, with the recipient's group.

    A recipient that joined NATO inside a window appears twice in it: once for the years before
    accession (rest of the world) and once as an ally.
    """
    rows = in_windows(register[register["supplier"] == supplier], spans, length)
    rows = rows.assign(group=alliance_group(rows, members))
    out = (rows.groupby(["window", "recipient", "group"], as_index=False)["tiv_delivered"].sum()
           .rename(columns={"tiv_delivered": "tiv"}))
    order = {w: i for i, w in enumerate(_window_order(spans, length))}
    return out.sort_values(["window", "tiv"], ascending=[True, False],
                           key=lambda s: s.map(order) if s.name == "window" else s
                           ).reset_index(drop=True)


def group_shares(recipients: pd.DataFrame, window_order: Sequence[str]) -> pd.DataFrame:
    """TIV and share (%) of each group in each window; every group appears, with 0 if none."""
    full = pd.MultiIndex.from_product([list(window_order), GROUPS], names=["window", "group"])
    tiv = recipients.groupby(["window", "group"])["tiv"].sum().reindex(full, fill_value=0.0)
    out = tiv.rename("tiv").reset_index()
    total = out.groupby("window")["tiv"].transform("sum")
    out["share_pct"] = (out["tiv"] / total * 100).where(total > 0)
    return out


def recipient_table(recipients: pd.DataFrame, window_order: Sequence[str]) -> pd.DataFrame:
    """Recipients as rows, windows as columns (TIV), largest in the last window first."""
    wide = (recipients.groupby(["recipient", "window"])["tiv"].sum().unstack("window")
            .reindex(columns=list(window_order)).fillna(0.0))
    wide["total"] = wide.sum(axis=1)
    last = list(window_order)[-1]
    wide = wide.sort_values([last, "total"], ascending=False)
    return wide.reset_index().rename_axis(columns=None)


# --- Europe's suppliers --------------------------------------------------------------------

OTHER_SUPPLIERS = "All other suppliers"


def european_imports(register: pd.DataFrame, members: pd.DataFrame,
                     spans: Sequence[tuple[int, int]], length: int,
                     exclude_recipients: Collection[str] = ()) -> pd.DataFrame:
    """The register's deliveries to European NATO allies (each from its accession year on),
    inside the windows, less the recipients in ``exclude_recipients`` (ISO3)."""
    rows = in_windows(register, spans, length)
    rows = rows[alliance_group(rows, members) == EUROPEAN_NATO]
    iso3 = pd.Series(countries.to_iso3(rows["recipient"]), index=rows.index, dtype="str")
    return rows[~iso3.isin(list(exclude_recipients))].assign(recipient_iso3=iso3)


def suppliers_of(imports: pd.DataFrame, window_order: Sequence[str]) -> pd.DataFrame:
    """Every supplier's TIV, share (%) and rank in the group's imports, per window."""
    out = (imports.groupby(["window", "supplier"], as_index=False)["tiv_delivered"].sum()
           .rename(columns={"tiv_delivered": "tiv"}))
    out = out[out["tiv"] > 0]
    out["share_pct"] = out["tiv"] / out.groupby("window")["tiv"].transform("sum") * 100
    out["rank"] = out.groupby("window")["tiv"].rank(ascending=False, method="min").astype("int64")
    order = {w: i for i, w in enumerate(window_order)}
    return out.sort_values(["window", "rank"], key=lambda s: s.map(order)
                           if s.name == "window" else s).reset_index(drop=True)


def imports_total(suppliers: pd.DataFrame, window: str) -> float:
    """The group's imports (TIV, millions) in a window, all suppliers together, from
    :func:`suppliers_of`. The one computation of European allies' imports in a window (the
    exports chapter glues it, the outlook's scenarios and :func:`share_of_imports` divide by
    it)."""
    return float(suppliers.loc[suppliers["window"] == window, "tiv"].sum())


def share_of_imports(suppliers: pd.DataFrame, window: str, supplier: str) -> float:
    """A supplier's share (%) of the group's imports in a window, from :func:`suppliers_of`: 0
    when it supplied none, NaN when the group imported nothing. The one computation of a
    supplier's share of European allies' imports (the exports chapter's figures and the outlook's
    benchmarks both use it)."""
    one = suppliers[suppliers["window"] == window]
    total = imports_total(suppliers, window)
    if not total:
        return float("nan")
    return float(one.loc[one["supplier"] == supplier, "tiv"].sum()) / total * 100


def compare_suppliers(suppliers: pd.DataFrame, named: Sequence[str],
                      window_order: Sequence[str]) -> pd.DataFrame:
    """The named suppliers' TIV and share per window (0 if none) and the rest as one row."""
    rows = []
    for window in window_order:
        one = suppliers[suppliers["window"] == window].set_index("supplier")
        total = float(one["tiv"].sum())
        for name in named:
            tiv = float(one["tiv"].get(name, 0.0))
            rows.append({"window": window, "supplier": name, "tiv": tiv,
                         "share_pct": tiv / total * 100 if total else float("nan")})
        rest = total - sum(float(one["tiv"].get(n, 0.0)) for n in named)
        rows.append({"window": window, "supplier": OTHER_SUPPLIERS, "tiv": rest,
                     "share_pct": rest / total * 100 if total else float("nan")})
    return pd.DataFrame(rows)


def ally_purchases(imports: pd.DataFrame, members: pd.DataFrame, window: str, supplier: str,
                   europe: str = "Europe", exclude: Collection[str] = ()) -> pd.DataFrame:
    """Per European ally (all current ones, less ``exclude``): its imports in ``window`` and the
    part from ``supplier``, in TIV and as a share (%)."""
    allies = members[(members["region"] == europe) & ~members["iso3"].isin(list(exclude))]
    rows = imports[imports["window"] == window]
    total = rows.groupby("recipient_iso3")["tiv_delivered"].sum()
    own = rows[rows["supplier"] == supplier].groupby("recipient_iso3")["tiv_delivered"].sum()
    out = pd.DataFrame({
        "ally": allies["country"].to_numpy(),
        "iso3": allies["iso3"].to_numpy(),
        "member_since": allies["accession_year"].astype("int64").to_numpy(),
    })
    out["imports_tiv"] = out["iso3"].map(total).fillna(0.0).astype("float64")
    out["from_supplier_tiv"] = out["iso3"].map(own).fillna(0.0).astype("float64")
    out["share_pct"] = (out["from_supplier_tiv"] / out["imports_tiv"] * 100).where(
        out["imports_tiv"] > 0)
    return out.sort_values(["from_supplier_tiv", "imports_tiv"], ascending=False
                           ).reset_index(drop=True)


# --- deals (orders included) ---------------------------------------------------------------

DELIVERED = "Delivered"
PARTLY = "Partly delivered"
ORDERED = "Ordered, nothing delivered yet"
DELIVERED_NUMBER_UNKNOWN = "Delivered (number ordered not given)"


def delivery_status(number_ordered: float, number_delivered: float) -> str:
    """Where a deal stands at the end of the register's data year, from SIPRI's numbers."""
    if number_delivered == 0:
        return ORDERED
    if pd.isna(number_ordered):
        return DELIVERED_NUMBER_UNKNOWN
    return DELIVERED if number_delivered >= number_ordered else PARTLY


def deals_with(deals: pd.DataFrame, supplier: str, members: pd.DataFrame, europe: str = "Europe",
               exclude: Collection[str] = ()) -> pd.DataFrame:
    """Every deal of ``supplier`` with a European ally of today (less ``exclude``), orders not
    yet delivered included, with its delivery status and the ally's accession year (a deal from
    before accession is listed, but the shares count it outside NATO)."""
    allies = members[(members["region"] == europe) & ~members["iso3"].isin(list(exclude))]
    rows = deals[deals["supplier"] == supplier]
    iso3 = pd.Series(countries.to_iso3(rows["recipient"]), index=rows.index, dtype="str")
    rows = rows[iso3.isin(allies["iso3"])].assign(iso3=iso3)
    out = pd.DataFrame({
        "recipient": rows["recipient"],
        "member_since": rows["iso3"].map(accession_years(members)).astype("int64"),
        "designation": rows["designation"],
        "description": rows["description"],
        "order_year": rows["order_year"].astype("int64"),
        "number_ordered": rows["number_ordered"],
        "number_delivered": rows["number_delivered"],
        "delivery_years": rows["delivery_years"].str.replace("; ", ", "),
        "status": [delivery_status(o, d) for o, d in
                   zip(rows["number_ordered"], rows["number_delivered"], strict=True)],
        "tiv_order": rows["tiv_order"],
        "tiv_delivered": rows["tiv_delivered"],
        "comments": rows["comments"],
    })
    return out.sort_values(["order_year", "recipient", "designation"], ascending=[False, True, True]
                           ).reset_index(drop=True)


def undelivered_tiv(deal_table: pd.DataFrame) -> float:
    """TIV still to be delivered on the listed deals: order value less delivered value, over the
    deals whose order value SIPRI gives."""
    known = deal_table[deal_table["tiv_order"].notna()]
    return float((known["tiv_order"] - known["tiv_delivered"].fillna(0.0)).clip(lower=0).sum())


def deals_delivered_tiv(deals: pd.DataFrame, supplier: str, first_year: int,
                        last_year: int) -> tuple[float, int]:
    """TIV delivered on ``supplier``'s deals whose deliveries all fall in the years, and the
    number of deals with deliveries partly outside them (which the sum cannot split by year).

    Used to compare the deals register of one vintage with the deliveries register of another.
    """
    rows = deals[(deals["supplier"] == supplier) & (deals["delivery_years"] != "")]
    first = rows["delivery_years"].str[:4].astype("int64")
    last = rows["delivery_years"].str[-4:].astype("int64")
    inside = first.ge(first_year) & last.le(last_year)
    straddle = (first.lt(first_year) & last.ge(first_year)) | (first.le(last_year)
                                                              & last.gt(last_year))
    return float(rows.loc[inside, "tiv_delivered"].fillna(0.0).sum()), int(straddle.sum())


# --- lumpiness -----------------------------------------------------------------------------

def largest_deal(register: pd.DataFrame, supplier: str, start: int, end: int) -> pd.Series:
    """The deal with the most TIV delivered by ``supplier`` in the years, and its share (%) of
    the supplier's deliveries then: one deal's weight is what makes yearly series lumpy."""
    rows = register[(register["supplier"] == supplier)
                    & register["delivery_year"].between(start, end)]
    by_deal = rows.groupby(["deal_id", "recipient", "designation", "description"],
                           as_index=False)["tiv_delivered"].sum()
    top = by_deal.loc[by_deal["tiv_delivered"].idxmax()].copy()
    top["share_pct"] = top["tiv_delivered"] / rows["tiv_delivered"].sum() * 100
    return top


def largest_swing(yearly: pd.DataFrame) -> pd.Series:
    """The largest change from one year to the next (TIV), in either direction."""
    diff = yearly.set_index("year")["tiv"].diff()
    year = int(diff.abs().idxmax())
    return pd.Series({"year": year, "change": float(diff.loc[year]),
                      "from": float(yearly.set_index("year").loc[year - 1, "tiv"]),
                      "to": float(yearly.set_index("year").loc[year, "tiv"])})


# --- the official USD series ---------------------------------------------------------------

USD_FILE = "turkey_defence_aerospace_exports_usd.csv"
#: How the curated table's ``series`` labels are grouped into the three publishers' series: by
#: the label's first word. 'SSB/SaSaD headline' (2018) is the figure SSB announced, so SSB.
USD_SERIES: dict[str, str] = {
    "SSB": "SSB headline (incl. services)",
    "TIM": "TİM registered goods exports",
    "SaSaD": "SaSaD company survey",
}


def usd_series(usd: pd.DataFrame) -> pd.DataFrame:
    """The curated USD table as three separate series, with ``segment`` numbering each run of
    consecutive years, so that a line is never drawn across a gap in a series."""
    rows = []
    for line, rec in usd.iterrows():
        label = str(rec["series"])
        key = next((k for k in USD_SERIES if label.split("/")[0].split(" ")[0] == k), None)
        if key is None:
            raise DataError(USD_FILE, int(line), "series", "known-series",
                            f"series {label!r} is none of {sorted(USD_SERIES)}: say in "
                            "analysis.calc.exports.USD_SERIES which series it belongs to")
        rows.append({"year": int(rec["year"]), "usd_million": float(rec["value"]),
                     "series": USD_SERIES[key], "label_in_source": label,
                     "source_title": rec["source_title"]})
    out = pd.DataFrame(rows).sort_values(["series", "year"]).reset_index(drop=True)
    dup = out.duplicated(["series", "year"])
    if dup.any():
        first = out[dup].iloc[0]
        raise DataError(USD_FILE, None, "series", "one-value-per-series-and-year",
                        f"two values for {first['series']!r} in {first['year']}")
    gap = out.groupby("series")["year"].diff().ne(1)
    out["segment"] = gap.cumsum().astype("int64")
    return out


__all__: Sequence[str] = [
    "EUROPEAN_NATO",
    "GROUPS",
    "OTHER_NATO",
    "OTHER_SUPPLIERS",
    "REST",
    "USD_SERIES",
    "alliance_group",
    "ally_purchases",
    "compare_suppliers",
    "deals_delivered_tiv",
    "deals_with",
    "delivery_status",
    "european_imports",
    "exporters_by_window",
    "group_shares",
    "in_windows",
    "largest_deal",
    "largest_swing",
    "largest_year",
    "recipient_table",
    "recipients_by_window",
    "supplier_standing",
    "suppliers_of",
    "top_exporters",
    "undelivered_tiv",
    "usd_series",
    "window_label",
    "window_totals",
    "windows",
    "yearly_tiv",
]
