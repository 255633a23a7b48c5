"""SIPRI Arms Transfers Database: the trade registers.

Two exports of the same database: the deliveries register (one row per deal and delivery year,
only what was delivered) and the deals register (one row per deal, with orders not yet
delivered). Each has its own parser, schema and loader.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.data import countries, store
from analysis.data.errors import DataError
from analysis.data.readers import vocabulary
from analysis.data.sources import resolve
from analysis.data.validate import LINE, check, not_blank, read_csv_table, row_check, to_number

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
            raise DataError(path, line, next(k for k, v in _DELIVERY_COLUMNS.items() if v == col),
                            "not-empty", "value is missing (empty)")
        frame[col] = frame[col].astype("int64")
    frame = check(frame, DELIVERIES_SCHEMA, path)
    countries.check_known(frame, ["supplier", "recipient"], path)
    return frame


def _register(file: str, vintage: str, parse: Callable[[Path], pd.DataFrame]) -> pd.DataFrame:
    """One register of one vintage: parsed once (then read from the cache), its words checked
    against the closed vocabulary, and its edition carried for the source lines."""
    df = resolve(SOURCE, vintage, file)
    frame = store.cached(df, parse)
    vocabulary.check_words(frame, df, vocabulary.CHECKED[(SOURCE, file)])
    frame.attrs["source_note"] = df.source_note()
    frame.attrs["vintage"] = vintage
    frame.attrs["edition"] = df.edition
    return frame


def deliveries(vintage: str) -> pd.DataFrame:
    """The validated deliveries register of one vintage (parsed once, then read from the cache)."""
    return _register(DELIVERIES_FILE, vintage, parse_deliveries)




# --- the deals register (one row per deal, orders not yet delivered included) -----------------

DEALS_FILE = "trade-register-deals.csv"
#: lines of SIPRI's preamble (title, notes, source, date generated) before the header
DEALS_PREAMBLE_LINES = 11
#: The header exactly as SIPRI writes it. Three columns have a blank name (a space): each holds
#: the '?' uncertainty flag of the column before it (order year, number ordered, number delivered).
_DEALS_HEADER = [
    "Recipient", "Supplier", "Year of order", " ", "Number ordered", " ", "Weapon designation",
    "Weapon description", "Number delivered", " ", "Year(s) of delivery", "status", "Comments",
    "SIPRI TIV per unit", "SIPRI TIV for total order", "SIPRI TIV of delivered weapons",
]
_DEALS_NAMES = [
    "recipient", "supplier", "order_year", "order_year_is_uncertain", "number_ordered",
    "number_ordered_is_uncertain", "designation", "description", "number_delivered",
    "number_delivered_is_uncertain", "delivery_years", "status", "comments", "tiv_per_unit",
    "tiv_order", "tiv_delivered",
]
_FLAG = ["?", ""]
_STATUSES = ["New", "Second hand", "Second hand but modernized"]
_DELIVERY_YEARS = r"^(\d{4}(; \d{4})*)?$"


def _delivery_year_bounds(df: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    years = df["delivery_years"].astype("str")
    first = pd.to_numeric(years.str[:4].where(years != ""), errors="coerce")
    last = pd.to_numeric(years.str[-4:].where(years != ""), errors="coerce")
    return first, last


def _years_in_order(df: pd.DataFrame) -> pd.Series:
    """'2010; 2012' must be ascending years, none before the order year."""
    out = []
    for years, ordered in zip(df["delivery_years"], df["order_year"], strict=True):
        ys = [int(y) for y in str(years).split("; ") if y]
        out.append(ys == sorted(set(ys)) and all(y >= ordered for y in ys))
    return pd.Series(out, index=df.index)


DEALS_SCHEMA = pa.DataFrameSchema(
    {
        "recipient": pa.Column("str", not_blank()),
        "supplier": pa.Column("str", not_blank()),
        "order_year": pa.Column("int64", pa.Check.in_range(1900, 2100)),
        "order_year_is_uncertain": pa.Column("str", pa.Check.isin(_FLAG)),
        # empty: "data is not yet available" (SIPRI's preamble)
        "number_ordered": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "number_ordered_is_uncertain": pa.Column("str", pa.Check.isin(_FLAG)),
        "designation": pa.Column("str", not_blank()),
        "description": pa.Column("str", not_blank()),
        "number_delivered": pa.Column("float64", pa.Check.ge(0)),
        "number_delivered_is_uncertain": pa.Column("str", pa.Check.isin(_FLAG)),
        "delivery_years": pa.Column("str", pa.Check.str_matches(_DELIVERY_YEARS)),
        "status": pa.Column("str", pa.Check.isin(_STATUSES)),
        "comments": pa.Column("str"),
        "tiv_per_unit": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "tiv_order": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "tiv_delivered": pa.Column("float64", pa.Check.ge(0), nullable=True),
    },
    checks=[
        row_check("number_delivered", "not-more-than-ordered",
                  lambda df: df["number_ordered"].isna()
                  | (df["number_delivered"] <= df["number_ordered"])),
        row_check("delivery_years", "years-iff-delivered",
                  lambda df: (df["delivery_years"] != "") == (df["number_delivered"] > 0)),
        row_check("delivery_years", "ascending-and-after-order", _years_in_order),
    ],
    strict=True,
    name="SIPRI trade register (deals)",
)


def _split_records(path: Path, text: str) -> tuple[list[list[str]], list[int]]:
    """The data rows, each with the line it starts on.

    SIPRI's export does not quote fields, and a few comments hold a line break: such a deal is
    written over two lines, the first short of fields, the second starting with the rest of the
    comment. Two consecutive lines whose fields add up to one row (less the shared comment field)
    are joined with a space; any other row with the wrong number of fields is an error.
    """
    lines = re.split(r"\r?\n", text)
    if lines and lines[-1] == "":
        lines.pop()
    width = len(_DEALS_HEADER)
    rows: list[list[str]] = []
    index: list[int] = []
    i = DEALS_PREAMBLE_LINES + 1  # 0-based position of the first data line
    while i < len(lines):
        line_no = i + 1
        if not lines[i].strip():
            i += 1
            continue
        try:
            row = next(csv.reader([lines[i]], strict=True))
            if len(row) < width and i + 1 < len(lines):
                rest = next(csv.reader([lines[i + 1]], strict=True))
                if len(row) + len(rest) - 1 == width:
                    row = [*row[:-1], f"{row[-1]} {rest[0]}".strip(), *rest[1:]]
                    i += 1
        except csv.Error as exc:
            raise DataError(path, line_no, None, "csv-syntax", f"not valid CSV: {exc}") from None
        if len(row) != width:
            raise DataError(path, line_no, None, "field-count",
                            f"row has {len(row)} fields, the header has {width} (a truncated row, "
                            "an unquoted comma or a wrong delimiter)")
        rows.append(row)
        index.append(line_no)
        i += 1
    return rows, index


def _deals_text(path: Path) -> str:
    """The file as text: SIPRI exports the deals register in latin-1. A copy re-saved as UTF-8
    would decode to garbled names ('TÃ¼rkiye'), so it is refused, as are the usual bad files."""
    raw = path.read_bytes()
    if not raw.strip():
        raise DataError(path, None, None, "not-empty", "file is empty")
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise DataError(path, 1, None, "is-csv",
                        "file is a spreadsheet (xlsx/xls), not a CSV text file")
    if raw.startswith(b"\xef\xbb\xbf"):
        raise DataError(path, 1, None, "no-bom", "file starts with a UTF-8 byte-order mark")
    if any(b > 0x7F for b in raw):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            first = next(i for i, b in enumerate(raw) if b > 0x7F)
            raise DataError(path, raw[:first].count(b"\n") + 1, None, "encoding",
                            "file is UTF-8, but SIPRI's deals export is latin-1: use the file "
                            "as downloaded")
    return raw.decode("latin-1")


def parse_deals(path: Path) -> pd.DataFrame:
    """Parse the deals register as SIPRI exports it (latin-1, 11 preamble lines, unquoted fields,
    three unnamed '?' flag columns); index = the line each deal starts on."""
    text = _deals_text(path)
    head = re.split(r"\r?\n", text, maxsplit=DEALS_PREAMBLE_LINES + 1)
    if not head[0].startswith("Transfers of major conventional arms"):
        raise DataError(path, 1, None, "preamble",
                        "line 1 is not SIPRI's title line 'Transfers of major conventional arms "
                        "...': not a SIPRI trade-register export")
    if len(head) <= DEALS_PREAMBLE_LINES:
        raise DataError(path, len(head), None, "header", "no header row after the preamble")
    header_line = DEALS_PREAMBLE_LINES + 1
    header = next(csv.reader([head[DEALS_PREAMBLE_LINES]]))
    for pos, expected in enumerate(_DEALS_HEADER):
        found = header[pos] if pos < len(header) else None
        if found != expected:
            raise DataError(path, header_line, expected.strip() or f"(unnamed column {pos + 1})",
                            "columns", f"column {pos + 1} is {found!r}, expected {expected!r}; "
                            f"header has {header}")
    if len(header) != len(_DEALS_HEADER):
        raise DataError(path, header_line, header[len(_DEALS_HEADER)], "columns",
                        f"unexpected column {header[len(_DEALS_HEADER)]!r}")
    rows, index = _split_records(path, text)
    if not rows:
        raise DataError(path, header_line, None, "has-rows", "file has a header but no data rows")
    raw = pd.DataFrame(rows, columns=_DEALS_NAMES, index=pd.Index(index, name=LINE), dtype="str")
    raw = raw.apply(lambda s: s.str.strip())
    numeric = ["order_year", "number_ordered", "number_delivered", "tiv_per_unit", "tiv_order",
               "tiv_delivered"]
    frame = to_number(raw, numeric, path)
    for col in ("order_year", "number_delivered"):
        if frame[col].isna().any():
            raise DataError(path, int(frame.index[frame[col].isna()][0]), col, "not-empty",
                            "value is missing (empty)")
    frame["order_year"] = frame["order_year"].astype("int64")
    frame = check(frame, DEALS_SCHEMA, path)
    countries.check_known(frame, ["supplier", "recipient"], path)
    return frame


def deals(vintage: str) -> pd.DataFrame:
    """The validated deals register of one vintage: every deal, including orders with nothing
    delivered yet (the deliveries register holds only delivered items)."""
    return _register(DEALS_FILE, vintage, parse_deals)


def delivery_years(deal_years: str) -> list[int]:
    """'2022; 2023; 2024' -> [2022, 2023, 2024]; '' (nothing delivered yet) -> []."""
    return [int(y) for y in str(deal_years).split("; ") if y.strip()]


# --- what a new edition says about itself (for add-vintage's sidecar) -------------------------

_GENERATED = re.compile(r"^Data generated: (\d{1,2} \w{3,9} \d{4})")


def describe_deals(path: Path, frame: pd.DataFrame) -> dict[str, str]:
    """The sidecar fields a deals register states itself: when SIPRI generated it (its
    preamble) and what it covers (row counts and year ranges), so that add-vintage never
    copies the previous edition's."""
    import datetime as dt

    head = _deals_text(path).splitlines()[:DEALS_PREAMBLE_LINES]
    out: dict[str, str] = {}
    for line in head:
        m = _GENERATED.match(line.strip())
        if m:
            for fmt in ("%d %b %Y", "%d %B %Y"):
                try:
                    out["date_generated"] = dt.datetime.strptime(m.group(1), fmt).date().isoformat()
                    break
                except ValueError:
                    continue
    years = [y for ys in frame["delivery_years"] for y in delivery_years(ys)]
    delivered = frame["delivery_years"] != ""
    last = max(years) if years else None
    in_last = sum(1 for ys in frame["delivery_years"] if last in delivery_years(ys)) if last else 0
    tr = frame[frame["supplier"] == "Turkiye"]
    out["coverage"] = (
        f"{len(frame):,} deals, orders {frame['order_year'].min()}-{frame['order_year'].max()}, "
        f"deliveries up to and including {last} ({in_last:,} deals with a {last} delivery); "
        f"{len(tr):,} with supplier Turkiye, {int((tr['delivery_years'] == '').sum()):,} of them "
        f"with no delivery yet; {int((~delivered).sum()):,} deals in all with no delivery yet."
    )
    return out


__all__ = [
    "DEALS_SCHEMA",
    "DELIVERIES_SCHEMA",
    "LINE",
    "deals",
    "deliveries",
    "delivery_years",
    "describe_deals",
    "parse_deals",
    "parse_deliveries",
]
