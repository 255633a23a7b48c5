"""SIPRI's TIV table of one supplier's exports, recipient by year (the 2022 web export).

An older product than the trade register: useful to show how SIPRI revised the same series
between editions, never to splice with newer data.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.data import store
from analysis.data.errors import DataError
from analysis.data.validate import LINE, check, not_blank, read_csv_table, to_number

SOURCE = "sipri-arms-transfers"
TURKEY_FILE = "tiv-exports-from-turkey.csv"
TOTAL = "Total"

SCHEMA = pa.DataFrameSchema(
    {
        "recipient": pa.Column("str", not_blank()),
        "year": pa.Column("int64", pa.Check.in_range(1950, 2100)),
        "tiv": pa.Column("float64", pa.Check.ge(0)),
        "is_total": pa.Column("bool"),
    },
    unique=["recipient", "year"],
    strict=True,
    name="SIPRI TIV table",
)


def _header_line(path: Path) -> int:
    for i, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines()):
        if line.startswith((",19", ",20")):
            return i
    raise DataError(path, None, None, "header", "no header row of years (',1950,1951,...')")


def parse_tiv_table(path: Path) -> pd.DataFrame:
    """Long format: one row per recipient and year; SIPRI's own 'Total' row kept, flagged."""
    skip = _header_line(path)
    wide = read_csv_table(path, ["", TOTAL], skip_lines=skip, allow_extra=True)
    wide = wide.rename(columns={"": "recipient"})
    years = [c for c in wide.columns if c.isdigit()]
    if not years:
        raise DataError(path, skip + 1, None, "header", "no year columns in the header")
    wide = to_number(wide, years, path)
    long = wide.reset_index().melt(id_vars=[LINE, "recipient"], value_vars=years,
                                   var_name="year", value_name="tiv")
    long["year"] = long["year"].astype("int64")
    long["tiv"] = long["tiv"].fillna(0.0)  # an empty cell: no deliveries that year
    long["is_total"] = long["recipient"] == TOTAL
    long = long.set_index(LINE).sort_values(["recipient", "year"], kind="stable")
    return check(long, SCHEMA, path)


def turkey_exports(vintage: str) -> pd.DataFrame:
    return store.load(SOURCE, vintage, TURKEY_FILE, parse_tiv_table)
