"""SIPRI Military Expenditure Database: the Excel release, parsed by label.

Each data sheet has a few lines of preamble, a header row that starts with ``Country``, then
countries grouped under region and subregion headings that carry no values. Missing values are
written as text codes ('...' unavailable, 'xxx' the state did not exist) and become NaN, never
zero. SIPRI marks its own estimates in blue and highly uncertain figures in red; those colours are
read from the cells' fonts (with the workbook's own colour palette) into ``is_estimate`` and
``is_uncertain``, which a reader through pandas would lose.

'Share of GDP' is published as a fraction (0.0192); the tidy frame holds per cent (1.92), the
unit NATO uses, so that the two can sit side by side without a silent factor of 100.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from openpyxl.styles.colors import COLOR_INDEX
from openpyxl.utils import get_column_letter

from analysis.data import countries, store
from analysis.data.errors import DataError
from analysis.data.readers.workbook import cell_number, load_workbook, sheet_path
from analysis.data.validate import LINE, check, not_blank

SOURCE = "sipri-milex"
MILEX_FILE = "SIPRI-Milex-data-1949-*.xlsx"  # SIPRI renames the file each edition

_CONSTANT_SHEET = re.compile(r"^Constant \((?P<base>(19|20)\d{2})\) US\$$")
CURRENT_SHEET = "Current US$"
SHARE_SHEET = "Share of GDP"
FOOTNOTE_SHEET = "Footnotes"

#: Milex spellings that country_converter cannot place or would place on a living state: a
#: documented mapping, so that no two rows share a code. None = not a state, or a historical
#: state folded elsewhere (North Yemen's figures would otherwise collide with Yemen's).
MILEX_NAMES: dict[str, str | None] = {
    "European Union": None,
    "German Democratic Republic": "DDR",
    "USSR": "SUN",
    "Yemen, North": None,
}

#: Font colours SIPRI uses as flags (RGB without alpha).
BLUE_ESTIMATE = "0000FF"
RED_UNCERTAIN = "FF0000"

SCHEMA = pa.DataFrameSchema(
    {
        "sheet": pa.Column("str", not_blank()),
        "country": pa.Column("str", not_blank()),
        "iso3": pa.Column("str", pa.Check.str_matches(r"^[A-Z]{3}$"), nullable=True),
        "region": pa.Column("str", not_blank()),
        "notes": pa.Column("str"),
        "year": pa.Column("int64", pa.Check.in_range(1949, 2100)),
        "measure": pa.Column("str", pa.Check.isin(["military_expenditure", "military_share_gdp"])),
        "unit": pa.Column("str", pa.Check.isin(["USD million", "% of GDP"])),
        "price_base": pa.Column("str", pa.Check.str_matches(r"^(current|constant (19|20)\d{2})$")),
        "value": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "is_estimate": pa.Column("bool"),
        "is_uncertain": pa.Column("bool"),
        "cell": pa.Column("str", pa.Check.str_matches(r"^[A-Z]{1,3}\d+$")),
    },
    unique=["measure", "price_base", "country", "year"],
    strict=True,
    name="SIPRI military expenditure (tidy)",
)


def _palette(wb) -> list[str]:  # type: ignore[no-untyped-def]
    # openpyxl keeps a workbook's custom indexed palette in a private attribute; SIPRI's file has
    # one (its index 10 is red and 12 blue, as in Excel's default palette, the fallback).
    custom = getattr(wb, "_colors", None)
    return list(custom) if custom else list(COLOR_INDEX)


def _font_rgb(cell, palette: list[str]) -> str | None:  # type: ignore[no-untyped-def]
    colour = cell.font.color if cell.font is not None else None
    if colour is None:
        return None
    if colour.type == "rgb" and isinstance(colour.rgb, str):
        return colour.rgb[-6:].upper()
    if colour.type == "indexed" and isinstance(colour.indexed, int) and colour.indexed < len(palette):
        return palette[colour.indexed][-6:].upper()
    return None  # theme colours: SIPRI does not use them for flags


def _sheets(wb, path: Path) -> list[tuple[str, str, str, str]]:  # type: ignore[no-untyped-def]
    """(sheet, measure, unit, price base) of the sheets read."""
    constant = [s for s in wb.sheetnames if _CONSTANT_SHEET.match(s)]
    for name, present in ((r"Constant (YYYY) US$", constant),
                          (CURRENT_SHEET, [s for s in wb.sheetnames if s == CURRENT_SHEET]),
                          (SHARE_SHEET, [s for s in wb.sheetnames if s == SHARE_SHEET])):
        if len(present) != 1:
            raise DataError(path, None, None, "sheets-present",
                            f"expected one sheet named {name!r}; the workbook has {wb.sheetnames}")
    base = _CONSTANT_SHEET.match(constant[0])["base"]  # type: ignore[index]
    return [(constant[0], "military_expenditure", "USD million", f"constant {base}"),
            (CURRENT_SHEET, "military_expenditure", "USD million", "current"),
            (SHARE_SHEET, "military_share_gdp", "% of GDP", "current")]


def _iso3(name: str) -> str | None:
    if name in MILEX_NAMES:
        return MILEX_NAMES[name]
    return countries.to_iso3([name])[0]


def _parse_sheet(ws, path: Path, sheet: str, measure: str, unit: str, price_base: str,  # type: ignore[no-untyped-def]
                 palette: list[str]) -> list[dict]:
    rows = list(ws.iter_rows())
    header_row = next((i for i, r in enumerate(rows, start=1)
                       if r and isinstance(r[0].value, str) and r[0].value.strip() == "Country"), None)
    if header_row is None:
        raise DataError(sheet_path(path, sheet), None, "Country", "header",
                        "no header row starting with 'Country'")
    header = [c.value for c in rows[header_row - 1]]
    year_cols = [(i, int(v)) for i, v in enumerate(header)
                 if isinstance(v, (int, float)) or (isinstance(v, str) and v.strip().isdigit())]
    notes_col = next((i for i, v in enumerate(header) if isinstance(v, str) and v.strip() == "Notes"),
                     None)
    if len(year_cols) < 2 or notes_col is None:
        raise DataError(sheet_path(path, sheet), header_row, None, "header",
                        f"header needs 'Notes' and year columns; it reads {header[:6]}...")
    years = [y for _, y in year_cols]
    if years != list(range(years[0], years[0] + len(years))):
        raise DataError(sheet_path(path, sheet), header_row, str(years[0]), "year-columns",
                        "year columns are not consecutive")
    scale = 100.0 if measure == "military_share_gdp" else 1.0
    region = ""
    seen: set[str] = set()
    records: list[dict] = []
    for r in range(header_row + 1, len(rows) + 1):
        row = rows[r - 1]
        label = row[0].value if row else None
        cells = [row[i] if i < len(row) else None for i, _ in year_cols]
        has_values = any(c is not None and c.value is not None for c in cells)
        if label is None or not str(label).strip():
            if has_values:
                raise DataError(sheet_path(path, sheet), r, "Country", "row-label",
                                "row has values but no country name")
            continue
        name = re.sub(r"\s+", " ", str(label)).strip()
        if not has_values:
            region = name  # a region or subregion heading
            continue
        if name in seen:
            raise DataError(sheet_path(path, sheet), r, "Country", "unique",
                            f"{name!r} appears twice in the sheet")
        seen.add(name)
        iso3 = _iso3(name)
        if iso3 is None and name not in MILEX_NAMES:
            raise DataError(sheet_path(path, sheet), r, "Country", "country-known",
                            f"{name!r} is not a country (country_converter) and not in the "
                            "documented MILEX_NAMES")
        note = row[notes_col].value if notes_col < len(row) else None
        for (i, year), cell in zip(year_cols, cells, strict=True):
            address = f"{get_column_letter(i + 1)}{r}"
            value = cell_number(cell.value if cell is not None else None, path=path, sheet=sheet,
                                row=r, column=str(year), cell=address)
            rgb = _font_rgb(cell, palette) if cell is not None and not math.isnan(value) else None
            records.append({
                LINE: r, "sheet": sheet, "country": name, "iso3": iso3, "region": region,
                "notes": "" if note is None else str(note).strip(), "year": year,
                "measure": measure, "unit": unit, "price_base": price_base,
                "value": value, "is_estimate": rgb == BLUE_ESTIMATE,
                "is_uncertain": rgb == RED_UNCERTAIN, "cell": address,
            })
    if measure == "military_share_gdp":
        # Published as fractions (Kuwait's 1991 burden, 1.17, is a real value above 1); a sheet
        # whose typical value is above 0.5 has been switched to per cent, and x100 would be wrong.
        shares = pd.Series([rec["value"] for rec in records], dtype="float64").dropna()
        if len(shares) and shares.median() > 0.5:
            raise DataError(sheet_path(path, sheet), None, None, "fraction",
                            f"the median share is {shares.median():g}: this sheet should hold "
                            "fractions of GDP (0.0192 = 1.92 per cent), not per cent")
        for rec in records:
            rec["value"] *= scale
    return records


def parse(path: Path) -> pd.DataFrame:
    """The tidy frame: one row per country, year, measure and price base (index: Excel row)."""
    wb = load_workbook(path)
    palette = _palette(wb)
    parts = []
    for sheet, measure, unit, base in _sheets(wb, path):
        records = _parse_sheet(wb[sheet], path, sheet, measure, unit, base, palette)
        part = pd.DataFrame.from_records(records).set_index(LINE)
        part = part.astype({"year": "int64", "value": "float64", "is_estimate": "bool",
                            "is_uncertain": "bool"})
        parts.append(check(part, SCHEMA, sheet_path(path, sheet)))
    return pd.concat(parts)


def parse_footnotes(path: Path) -> pd.DataFrame:
    """SIPRI's 'Footnotes' sheet: the special signs (†, ‡, §, ¶, ‖) and the numbered country notes,
    as printed (``mark``, ``text``; index: Excel row)."""
    wb = load_workbook(path)
    if FOOTNOTE_SHEET not in wb.sheetnames:
        raise DataError(path, None, None, "sheets-present", f"no sheet {FOOTNOTE_SHEET!r}")
    out = []
    for r, row in enumerate(wb[FOOTNOTE_SHEET].iter_rows(values_only=True), start=1):
        vals = [v for v in row if v is not None and str(v).strip()]
        if len(vals) >= 2 and len(str(vals[0]).strip()) <= 3:
            out.append({LINE: r, "mark": str(vals[0]).strip(), "text": str(vals[1]).strip()})
    if not out:
        raise DataError(sheet_path(path, FOOTNOTE_SHEET), None, None, "has-rows", "no footnotes found")
    return pd.DataFrame.from_records(out).set_index(LINE)


def table(vintage: str) -> pd.DataFrame:
    """The validated database of one release, with ``source`` and ``vintage`` on every row."""
    return store.load(SOURCE, vintage, MILEX_FILE, parse, with_provenance=True)


def footnotes(vintage: str) -> pd.DataFrame:
    return store.load(SOURCE, vintage, MILEX_FILE, parse_footnotes, tag="footnotes")


def country_notes(notes: str, footnote_table: pd.DataFrame) -> list[str]:
    """The footnote texts a country's ``notes`` cell points to ('§¶3' -> the § and ¶ signs and
    note 3)."""
    marks = [ch for ch in notes if not ch.isdigit() and not ch.isspace()]
    numbers = re.findall(r"\d+", notes)
    lookup = dict(zip(footnote_table["mark"], footnote_table["text"], strict=True))
    out = []
    for key in [*marks, *numbers]:
        if key not in lookup:
            raise KeyError(f"footnote {key!r} is not in SIPRI's Footnotes sheet")
        out.append(lookup[key])
    return out


__all__ = ["SCHEMA", "country_notes", "footnotes", "parse", "parse_footnotes", "table"]
