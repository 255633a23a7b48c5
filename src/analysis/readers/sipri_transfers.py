"""SIPRI Arms Transfers Database: the trade register, one row per deal and delivery year."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from analysis import store
from analysis.errors import DataError
from analysis.sources import resolve
from analysis.validate import LINE, check, not_blank, read_csv_table, to_number

SOURCE = "sipri-arms-transfers"
DELIVERIES_FILE = "trade-register-deliveries.csv"

_DELIVERY_COLUMNS = {
    "SIPRI AT Database ID": "deal_id",
    "Supplier": "supplier",
    "Recipient": "recipient",
    "Designation": "designation",
    "Description": "description",
    "Armament category": "category",
    "Order date": "order_year",
    "Order date is estimate": "order_year_is_estimate",
    "Numbers delivered": "number_delivered",
    "Numbers delivered is estimate": "number_delivered_is_estimate",
    "Delivery year": "delivery_year",
    "Delivery year is estimate": "delivery_year_is_estimate",
    "Status": "status",
    "SIPRI estimate": "sipri_estimate",
    "TIV deal unit": "tiv_per_unit",
    "TIV delivery values": "tiv_delivered",
    "Local production": "local_production",
}
_YES_NO = ["Yes", "No", ""]

DELIVERIES_SCHEMA = pa.DataFrameSchema(
    {
        "deal_id": pa.Column("int64", pa.Check.gt(0)),
        "supplier": pa.Column("str", not_blank()),
        "recipient": pa.Column("str", not_blank()),
        "designation": pa.Column("str", not_blank()),
        "description": pa.Column("str"),
        "category": pa.Column("str", not_blank()),
        "order_year": pa.Column("Int64", pa.Check.in_range(1900, 2100), nullable=True),
        "order_year_is_estimate": pa.Column("str", pa.Check.isin(_YES_NO)),
        "number_delivered": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "number_delivered_is_estimate": pa.Column("str", pa.Check.isin(_YES_NO)),
        "delivery_year": pa.Column("int64", pa.Check.in_range(1950, 2100)),
        "delivery_year_is_estimate": pa.Column("str", pa.Check.isin(_YES_NO)),
        "status": pa.Column("str", not_blank()),
        "sipri_estimate": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "tiv_per_unit": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "tiv_delivered": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "local_production": pa.Column("str", pa.Check.isin(_YES_NO)),
    },
    checks=[
        pa.Check(lambda df: df["order_year"].isna() | (df["order_year"] <= df["delivery_year"]),
                 name="order_year|order-before-delivery", error="order-before-delivery"),
    ],
    unique=["deal_id", "delivery_year"],
    strict=True,
    name="SIPRI trade register (deliveries)",
)


def parse_deliveries(path) -> pd.DataFrame:
    """Parse the register as exported by SIPRI (preamble, trailing ';' on every line)."""
    text_head = path.read_bytes()[:4096].decode("ascii", errors="replace").splitlines()
    skip = next((i for i, ln in enumerate(text_head) if ln.startswith("SIPRI AT Database ID")), 0)
    raw = read_csv_table(path, _DELIVERY_COLUMNS, encoding="ascii", skip_lines=skip,
                         strip_trailing=";", require_final_newline=False)
    raw = raw.rename(columns=_DELIVERY_COLUMNS)
    numeric = ["deal_id", "order_year", "number_delivered", "delivery_year", "sipri_estimate",
               "tiv_per_unit", "tiv_delivered"]
    frame = to_number(raw, numeric, path)
    frame = frame.astype({"order_year": "Int64"})
    for col in ("deal_id", "delivery_year"):
        if frame[col].isna().any():
            line = int(frame.index[frame[col].isna()][0])
            raise DataError(path, line, [k for k, v in _DELIVERY_COLUMNS.items() if v == col][0],
                            "not-empty", "value is missing (empty)")
        frame[col] = frame[col].astype("int64")
    return check(frame, DELIVERIES_SCHEMA, path)


def deliveries(vintage: str) -> pd.DataFrame:
    """The validated deliveries register of one vintage (parsed once, then read from the cache)."""
    df = resolve(SOURCE, vintage, DELIVERIES_FILE)
    frame = store.cached(df, parse_deliveries)
    frame.attrs["source_note"] = df.source_note()
    frame.attrs["vintage"] = vintage
    return frame


__all__ = ["deliveries", "parse_deliveries", "DELIVERIES_SCHEMA", "LINE"]
