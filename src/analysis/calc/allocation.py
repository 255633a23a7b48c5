"""This report's estimate of yearly deliveries from SIPRI's deal register.

SIPRI's 2026 edition came as a deal register: one row per deal, its delivered TIV summed over
all its delivery years. Windowed totals need that TIV split by year. The split used here is
the simplest one the file supports: **each deal's delivered TIV is spread evenly over the
delivery years SIPRI lists for it** (a deal delivered in 2023 and 2025 puts half in each).
SIPRI's own yearly split weighs years by the units delivered in each, which the deal register
does not give; the estimate is therefore checked twice: against SIPRI's exact yearly values of
the same edition where both exist (the 2025 edition's deliveries register against its deal
register), and against the figures SIPRI published for its 2026 edition.

The result has the deliveries register's columns that the exports analysis reads (supplier,
recipient, designation, description, delivery_year, tiv_delivered), so that every windowed
measure is computed the same way on either edition; the two editions are never mixed.
"""

from __future__ import annotations

import pandas as pd

from analysis.data.readers.sipri_transfers import delivery_years

METHOD = ("each deal's delivered TIV spread evenly over the delivery years SIPRI lists for it "
          "(this report's estimate; SIPRI weighs years by the units delivered in each)")


def allocate(deals: pd.DataFrame) -> pd.DataFrame:
    """One row per deal and delivery year, ``tiv_delivered`` the deal's share for that year;
    ``deal_id`` is the deal's line in the register (the deal register has no SIPRI deal id).
    Deals with nothing delivered drop out."""
    years = deals["delivery_years"].map(delivery_years)
    n = years.map(len)
    d = deals.assign(delivery_year=years, n_years=n, deal_id=deals.index)
    d = d[d["n_years"] > 0].explode("delivery_year")
    d["delivery_year"] = d["delivery_year"].astype("int64")
    d["tiv_delivered"] = d["tiv_delivered"].fillna(0.0) / d["n_years"]
    cols = ["deal_id", "supplier", "recipient", "designation", "description", "order_year",
            "delivery_year", "tiv_delivered", "status"]
    return d[cols].reset_index(drop=True)


def compare_yearly(exact: pd.DataFrame, estimate: pd.DataFrame, supplier: str,
                   first_year: int, last_year: int) -> pd.DataFrame:
    """A supplier's yearly deliveries by SIPRI's exact split beside this report's estimate."""
    def by_year(frame: pd.DataFrame) -> pd.Series:
        rows = frame[(frame["supplier"] == supplier)
                     & frame["delivery_year"].between(first_year, last_year)]
        return rows.groupby("delivery_year")["tiv_delivered"].sum()

    years = pd.RangeIndex(first_year, last_year + 1, name="year")
    out = pd.DataFrame({"exact": by_year(exact).reindex(years, fill_value=0.0),
                        "estimate": by_year(estimate).reindex(years, fill_value=0.0)})
    out["difference"] = out["estimate"] - out["exact"]
    return out.reset_index()
