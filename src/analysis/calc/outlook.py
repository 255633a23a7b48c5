"""The forward view: Türkiye's backlog with European allies, the suppliers that broke into Europe,
where Türkiye is strong by weapon category, the market open to it, Europe beyond NATO, and
scenarios for the next window. Pure functions: frames in, frames and numbers out.

Volumes are SIPRI trend-indicator values (TIV, a volume index of major weapons, not money);
money is kept in the currency the source states it in. The two are never divided by one another
or added: where the chapter sets money against money (Türkiye's export dollars against European
allies' equipment spending in dollars) it is a bound, with both definitions named. The scenarios
are this report's estimate, with their method in :data:`SCENARIO_METHOD`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.calc import exports
from analysis.data import countries

# --- the backlog ---------------------------------------------------------------------------

#: a contract value as SIPRI's comments state it: 'EUR2.6 b deal', '$321 m deal',
#: 'RON4.3 b ($940 m) deal'; the amount's currency as written, millions or billions
_MONEY = re.compile(r"(?P<cur>EUR|USD|RON|GBP|\$)\s?(?P<amount>\d+(?:\.\d+)?)\s?(?P<mag>m|b)\b")
_CURRENCY = {"$": "USD", "USD": "USD", "EUR": "EUR", "RON": "RON", "GBP": "GBP"}


def contract_values(comment: str) -> list[tuple[str, float]]:
    """Every amount a comment states, as (currency, millions), in the order written:
    'RON4.3 b ($940 m) deal' -> [('RON', 4300.0), ('USD', 940.0)]. Only a comment that calls
    the amount a deal or a programme counts, and only the amounts written before that word
    ('EUR265 m deal (incl ... EUR45 m for armament)' is 265: the 45 is a part of it)."""
    text = str(comment).split(";")[0]
    found = re.search(r"\b(deal|programme)\b", text)
    if not found:
        return []
    head = text[:found.start()]
    out = []
    for m in _MONEY.finditer(head):
        amount = float(m["amount"]) * (1000.0 if m["mag"] == "b" else 1.0)
        out.append((_CURRENCY[m["cur"]], amount))
    return out


def open_deals(deal_table: pd.DataFrame) -> pd.DataFrame:
    """The deals of :func:`analysis.exports.deals_with` with something still to deliver (ordered,
    or partly delivered), each with its undelivered TIV (order TIV less delivered; missing where
    SIPRI gives the order no TIV yet: a new type it has not valued) and its contract value as
    SIPRI's comment states it: in dollars where the comment gives a dollar amount ('RON4.3 b
    ($940 m) deal'), else the first amount in its own currency; ``value_stated`` keeps every
    amount as written."""
    rows = deal_table[deal_table["status"].isin([exports.ORDERED, exports.PARTLY])].copy()
    valued = rows["tiv_order"].fillna(0.0) > 0
    rows["undelivered_tiv"] = (rows["tiv_order"] - rows["tiv_delivered"].fillna(0.0)).clip(
        lower=0).where(valued)
    values = rows["comments"].map(contract_values)
    chosen = values.map(lambda v: next(((c, a) for c, a in v if c == "USD"), v[0]) if v else None)
    rows["value_currency"] = chosen.map(lambda v: v[0] if v else "").astype("str")
    rows["value_million"] = chosen.map(lambda v: v[1] if v else float("nan")).astype("float64")
    rows["value_stated"] = values.map(
        lambda v: "; ".join(f"{c} {a:,.0f} million" for c, a in v)).astype("str")
    return rows.reset_index(drop=True)


@dataclass(frozen=True)
class Backlog:
    """What the open deals add up to, and what is missing from each sum (so each is a lower
    bound)."""

    deals: int  #: open deals
    tiv: float  #: undelivered TIV over the deals SIPRI has valued
    deals_with_tiv: int
    deals_without_tiv: pd.DataFrame  #: open deals SIPRI has not valued yet
    value_by_currency: dict[str, float]  #: contract values (millions) by currency
    deals_with_value: int
    deals_without_value: pd.DataFrame  #: open deals whose comment states no value


def backlog_summary(open_table: pd.DataFrame) -> Backlog:
    """Sums over :func:`open_deals`: TIV over the deals SIPRI has valued; contract values by
    currency over the deals whose comment gives one (a contract value is the whole deal's,
    delivered part included)."""
    by_currency = (open_table[open_table["value_currency"] != ""]
                   .groupby("value_currency")["value_million"].sum().to_dict())
    return Backlog(
        deals=len(open_table),
        tiv=float(open_table["undelivered_tiv"].sum()),
        deals_with_tiv=int(open_table["undelivered_tiv"].notna().sum()),
        deals_without_tiv=open_table.loc[open_table["undelivered_tiv"].isna()],
        value_by_currency={str(k): float(v) for k, v in sorted(by_currency.items())},
        deals_with_value=int((open_table["value_currency"] != "").sum()),
        deals_without_value=open_table.loc[open_table["value_currency"] == ""],
    )


_UNIT_MONEY = re.compile(r"^(?P<cur>USD|EUR|GBP|RON) (?P<mag>million|billion)\b")


def timeline_money(value: str, unit: str) -> tuple[str, float] | None:
    """A timeline row's value as (currency, millions) when its unit is money ('2.6', 'EUR
    billion' -> ('EUR', 2600.0)); None for counts ('6', 'aircraft') or an empty value."""
    m = _UNIT_MONEY.match(str(unit))
    if not m or str(value).strip() == "":
        return None
    return m["cur"], float(value) * (1000.0 if m["mag"] == "billion" else 1.0)


def signed_after(timeline: pd.DataFrame, last_year: int,
                 category_prefix: str = "Export to European NATO ally") -> pd.DataFrame:
    """Timeline events of the given category (and its compound categories) dated after
    ``last_year``: deals signed after the last year a register covers."""
    year = timeline["date"].str[:4].astype("int64")
    mask = timeline["category"].str.startswith(category_prefix) & (year > last_year)
    return timeline[mask].sort_values("date")


# --- benchmarks ----------------------------------------------------------------------------

def benchmarks(suppliers: pd.DataFrame, named: Sequence[str],
               window_order: Sequence[str]) -> pd.DataFrame:
    """The named suppliers' TIV, share (%) and rank among the group's suppliers per window, and
    their growth on the previous window (%; missing where the previous window is zero).
    ``suppliers`` is :func:`analysis.exports.suppliers_of`."""
    rows = []
    for name in named:
        prev = float("nan")
        for window in window_order:
            one = suppliers[suppliers["window"] == window]
            own = one[one["supplier"] == name]
            tiv = float(own["tiv"].sum())
            rows.append({
                "supplier": name, "window": window, "tiv": tiv,
                "share_pct": exports.share_of_imports(suppliers, window, name),
                "rank": int(own["rank"].iloc[0]) if len(own) else pd.NA,
                "growth_pct": (tiv - prev) / prev * 100 if prev > 0 else float("nan"),
            })
            prev = tiv
    out = pd.DataFrame(rows)
    out["rank"] = out["rank"].astype("Int64")
    return out


def growth_between(bench: pd.DataFrame, supplier: str, window: str) -> float:
    """A supplier's growth (%) into ``window`` from the window before, from :func:`benchmarks`."""
    row = bench[(bench["supplier"] == supplier) & (bench["window"] == window)]
    return float(row["growth_pct"].iloc[0])


def systems_behind(imports: pd.DataFrame, supplier: str, window: str, n: int) -> pd.DataFrame:
    """The ``n`` systems (designation and description) that carried most of ``supplier``'s
    deliveries to the group in ``window``, with their recipients and share (%) of the supplier's
    TIV there."""
    rows = imports[(imports["supplier"] == supplier) & (imports["window"] == window)]
    total = float(rows["tiv_delivered"].sum())
    by = (rows.groupby(["designation", "description"], as_index=False)
          .agg(tiv=("tiv_delivered", "sum"),
               recipients=("recipient", lambda r: ", ".join(sorted(set(r))))))
    by = by[by["tiv"] > 0]
    by["share_pct"] = by["tiv"] / total * 100 if total else float("nan")
    by.insert(0, "supplier", supplier)
    return by.sort_values(["tiv", "designation"], ascending=[False, True]).head(n).reset_index(
        drop=True)


# --- shares by armament category -----------------------------------------------------------

def category_shares(imports: pd.DataFrame, exported: pd.DataFrame, supplier: str,
                    categories: Sequence[str]) -> pd.DataFrame:
    """Per SIPRI armament category: the group's imports (TIV), the part from ``supplier``
    and its share of them (%), and the category's share (%) of the supplier's own exports
    (``exported``: all its deliveries, every recipient). Both frames carry a ``category``
    column; every category appears, with 0 where nothing was delivered."""
    if imports["category"].isna().any() or exported["category"].isna().any():
        raise ValueError("every row needs an armament category before shares are taken")
    group = imports.groupby("category")["tiv_delivered"].sum().reindex(categories, fill_value=0.0)
    own = (imports[imports["supplier"] == supplier].groupby("category")["tiv_delivered"].sum()
           .reindex(categories, fill_value=0.0))
    out_own = (exported[exported["supplier"] == supplier].groupby("category")["tiv_delivered"]
               .sum().reindex(categories, fill_value=0.0))
    total_own = float(out_own.sum())
    out = pd.DataFrame({
        "category": list(categories),
        "imports_tiv": group.to_numpy(dtype="float64"),
        "from_supplier_tiv": own.to_numpy(dtype="float64"),
        "exports_tiv": out_own.to_numpy(dtype="float64"),
    })
    out["share_of_imports_pct"] = (out["from_supplier_tiv"] / out["imports_tiv"] * 100).where(
        out["imports_tiv"] > 0)
    out["share_of_exports_pct"] = (out["exports_tiv"] / total_own * 100) if total_own else float(
        "nan")
    return out.sort_values(["share_of_imports_pct", "imports_tiv"], ascending=False,
                           na_position="last").reset_index(drop=True)


def largest_category(shares: pd.DataFrame) -> pd.Series:
    """The category where the supplier's share of the group's imports is largest."""
    known = shares.dropna(subset=["share_of_imports_pct"])
    return known.loc[known["share_of_imports_pct"].idxmax()]


# --- the market open to it (money, kept apart from TIV) ------------------------------------

def equipment_spending(defence_usd: pd.DataFrame, equipment_share: pd.DataFrame,
                       iso3s_by_year: pd.DataFrame) -> pd.DataFrame:
    """Per year, the group's spending on major equipment (USD million, the price base of
    ``defence_usd``): each member's defence expenditure times its equipment share (% of defence
    expenditure, NATO's table 8), summed over the members of that year. ``iso3s_by_year`` has
    one row per member and year (iso3, year); a member without an equipment share that year is
    counted in ``missing``."""
    spend = defence_usd[["iso3", "year", "value", "is_estimate"]].rename(columns={"value": "usd"})
    share = equipment_share[["iso3", "year", "value"]].rename(columns={"value": "share"})
    rows = iso3s_by_year[["iso3", "year"]].merge(spend, on=["iso3", "year"], how="left").merge(
        share, on=["iso3", "year"], how="left")
    rows["equipment_usd"] = rows["usd"] * rows["share"] / 100
    out = rows.groupby("year").agg(
        equipment_usd_million=("equipment_usd", "sum"),
        members=("iso3", "nunique"),
        missing=("equipment_usd", lambda s: int(s.isna().sum())),
        is_estimate=("is_estimate", lambda s: bool(s.fillna(False).astype(bool).any())),
    ).reset_index()
    return out


def market_bound(equipment: pd.DataFrame, usd: pd.DataFrame) -> pd.DataFrame:
    """Per year both series exist: the group's equipment spending and Türkiye's exports (both
    USD million), and the exports as a % of that spending: an upper bound on the part of the
    market Türkiye could hold in that year if every dollar it exported went to the group (its
    exports also go elsewhere and include services and civil aerospace, which equipment spending
    does not buy from it)."""
    exp = usd[["year", "usd_million"]].rename(columns={"usd_million": "exports_usd_million"})
    out = equipment[["year", "equipment_usd_million", "is_estimate"]].merge(exp, on="year")
    out["bound_pct"] = out["exports_usd_million"] / out["equipment_usd_million"] * 100
    return out.sort_values("year").reset_index(drop=True)


# --- Europe beyond NATO --------------------------------------------------------------------

def european_iso3(iso3s: Iterable[str | None], eu_members: Collection[str] = ()) -> set[str]:
    """Which of the codes are European states: continent Europe in the UN geoscheme (as
    country_converter classifies it) or a member of the EU (Cyprus, in Western Asia)."""
    return {code for code in {c for c in iso3s if c}
            if countries.continent(code) == "Europe" or countries.is_eu_member(code)
            or code in eu_members}


NON_NATO_EUROPE = "European states outside NATO"


def beyond_nato(recipients: pd.DataFrame, european: Collection[str], focus: str,
                window_order: Sequence[str]) -> pd.DataFrame:
    """Per window: the supplier's total TIV, the TIV to European states outside NATO (at the
    delivery year), the part to ``focus`` (a recipient name, e.g. Ukraine) and their shares (%).
    ``recipients`` is :func:`analysis.exports.recipients_by_window`."""
    iso3 = pd.Series(countries.to_iso3(recipients["recipient"]), index=recipients.index)
    outside = (recipients["group"] == exports.REST) & iso3.isin(list(european))
    rows = []
    for window in window_order:
        w = recipients["window"] == window
        total = float(recipients.loc[w, "tiv"].sum())
        non_nato = float(recipients.loc[w & outside, "tiv"].sum())
        one = float(recipients.loc[w & outside & (recipients["recipient"] == focus), "tiv"].sum())
        rows.append({"window": window, "total_tiv": total, "non_nato_europe_tiv": non_nato,
                     "focus_tiv": one,
                     "non_nato_europe_pct": non_nato / total * 100 if total else float("nan"),
                     "focus_pct": one / total * 100 if total else float("nan")})
    return pd.DataFrame(rows)


# --- scenarios -----------------------------------------------------------------------------

SCENARIO_METHOD = (
    "the supplier's deliveries to European allies in the next window "
    "divided by the allies' imports then, taken as their latest window's volume grown at the "
    "market growth rate given. Three ways to the supplier's deliveries: its known backlog with "
    "them delivered in full and nothing more; its latest window's deliveries to them grown at "
    "its recent growth rate; and the same grown at the optimistic rate given")


def scenarios(*, latest_tiv: float, backlog_tiv: float, market_tiv: float,
              recent_growth_pct: float, optimistic_growth_pct: float,
              market_growth_pct: float = 0.0) -> pd.DataFrame:
    """The three scenarios of :data:`SCENARIO_METHOD`: per scenario the supplier's TIV in the
    next window, the market's, and the share (%), lowest share first."""
    market = market_tiv * (1 + market_growth_pct / 100)
    if market <= 0:
        raise ValueError("the market's volume in the next window must be positive")
    rows = [
        ("backlog delivered", backlog_tiv, float("nan")),
        ("recent growth", latest_tiv * (1 + recent_growth_pct / 100), recent_growth_pct),
        ("optimistic growth", latest_tiv * (1 + optimistic_growth_pct / 100),
         optimistic_growth_pct),
    ]
    out = pd.DataFrame(rows, columns=["scenario", "supplier_tiv", "growth_pct"])
    out["market_tiv"] = market
    out["share_pct"] = out["supplier_tiv"] / market * 100
    return out.sort_values("share_pct").reset_index(drop=True)


__all__: Sequence[str] = [
    "NON_NATO_EUROPE",
    "SCENARIO_METHOD",
    "Backlog",
    "backlog_summary",
    "benchmarks",
    "beyond_nato",
    "category_shares",
    "contract_values",
    "equipment_spending",
    "european_iso3",
    "growth_between",
    "largest_category",
    "market_bound",
    "open_deals",
    "scenarios",
    "signed_after",
    "systems_behind",
    "timeline_money",
]
