"""Türkiye's arms exports from SIPRI's register: yearly volumes and 5-year windows.

SIPRI TIV is a volume index of major weapons delivered (millions of TIV), not money, and
deliveries are lumpy: SIPRI compares 5-year windows, and so does this module.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


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


__all__: Sequence[str] = ["yearly_tiv", "window_totals", "windows", "window_label"]
