"""NATO, Defence Expenditure of NATO Countries: the Excel tables, parsed by label.

The workbook is laid out for print: a title, a unit line, one row of year labels (integers and
texts, the estimates marked ``2023e``), then two blocks per sheet, each opened by a title row
("Current prices and exchange rates", "Share of real GDP (%)", ...), with Allies in one column and
NATO's aggregates in another, stray ``#REF!`` rows, and notes at the foot. Row and column numbers
move between editions, so nothing here relies on them: the year row is found by its labels, blocks
by their titles, countries by their names. A title this module does not know, a label that is not
a country, or a cell that is not a number stops the parse with the sheet, the Excel row and the
year column.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from openpyxl.utils import get_column_letter

from analysis.data import countries, store
from analysis.data.errors import DataError
from analysis.data.readers.workbook import cell_number, load_workbook, sheet_path, sheet_problem
from analysis.data.validate import LINE, check, not_blank

SOURCE = "nato-defence-expenditure"
TABLES_FILE = "*-def-exp-*-TABLES-en.xlsx"  # NATO renames the file each edition

#: NATO's aggregate rows: their values are sums over the Allies of each year (tested).
AGGREGATES: dict[str, str] = {"NATO Europe and Canada": "europe_canada", "NATO Total": "total"}

_YEAR_LABEL = re.compile(r"^(?P<year>(19|20)\d{2})(?P<estimate>e?)$")
_NOTE = re.compile(r"^(Notes?\b|\*|\([a-z]\)\s)")
_PAGE_NUMBER = re.compile(r"^-\s*\d+\s*-$")
_BASE_IN_SUBTITLE = re.compile(r"\b(?P<base>(19|20)\d{2}) prices\b")


@dataclass(frozen=True)
class Block:
    """One titled block of a sheet and what its numbers are."""

    title: re.Pattern[str]
    measure: str
    unit: str
    price_base: str  # "current", "constant" (base year read from the file) or "ratio"
    low: float | None = None  # plausible range, checked cell by cell
    high: float | None = None


def _b(title: str, measure: str, unit: str, price_base: str, low: float | None = None,
       high: float | None = None) -> Block:
    return Block(re.compile(title), measure, unit, price_base, low, high)


_CURRENT = r"^Current prices and exchange rates$"
_CONSTANT = r"^Constant (?P<base>(19|20)\d{2}) prices and exchange rates$"

#: The sheets read and the blocks each must hold. TABLE1 (national currencies), TABLE4 (a summary
#: of TABLE2/3), TABLE6 (per capita) and TABLE7 (personnel) are not used by the report.
SHEETS: dict[str, tuple[Block, ...]] = {
    "TABLE2": (_b(_CURRENT, "defence_expenditure", "USD million", "current", 0),
               _b(_CONSTANT, "defence_expenditure", "USD million", "constant", 0)),
    "TABLE3": (_b(r"^Share of real GDP \(%\)$", "defence_share_gdp", "% of GDP", "constant", 0, 100),
               _b(r"^Annual real change \(%\)$", "defence_real_change", "%", "constant", -100, 1000)),
    "TABLE5": (_b(_CURRENT, "gdp", "USD million", "current", 0),
               _b(_CONSTANT, "gdp", "USD million", "constant", 0)),
    "TABLE8a": (_b(r"^Equipment \(a\)$", "equipment_share", "% of defence expenditure", "ratio", 0, 100),
                _b(r"^Personnel \(b\)$", "personnel_share", "% of defence expenditure", "ratio", 0, 100)),
    "TABLE8b": (_b(r"^Infrastructure \(c\)$", "infrastructure_share", "% of defence expenditure",
                   "ratio", 0, 100),
                _b(r"^Other \(d\)$", "other_share", "% of defence expenditure", "ratio", 0, 100)),
}
MEASURES = sorted({b.measure for blocks in SHEETS.values() for b in blocks})


def sheet_of(measure: str) -> str:
    """The sheet that holds ``measure`` (its notes define it): 'TABLE8a' for 'equipment_share'."""
    found = [s for s, blocks in SHEETS.items() if any(b.measure == measure for b in blocks)]
    if len(found) != 1:
        raise KeyError(f"no single sheet holds {measure!r} (sheets: {found})")
    return found[0]

SCHEMA = pa.DataFrameSchema(
    {
        "sheet": pa.Column("str", pa.Check.isin(list(SHEETS))),
        "block": pa.Column("str", not_blank()),
        "label": pa.Column("str", not_blank()),
        "country": pa.Column("str", not_blank()),
        "iso3": pa.Column("str", pa.Check.str_matches(r"^[A-Z]{3}$"), nullable=True),
        "is_aggregate": pa.Column("bool"),
        "year": pa.Column("int64", pa.Check.in_range(1949, 2100)),
        "is_estimate": pa.Column("bool"),
        "measure": pa.Column("str", pa.Check.isin(MEASURES)),
        "unit": pa.Column("str", not_blank()),
        "price_base": pa.Column("str", pa.Check.str_matches(r"^(current|constant (19|20)\d{2}|ratio)$")),
        "value": pa.Column("float64", nullable=True),
        "cell": pa.Column("str", pa.Check.str_matches(r"^[A-Z]{1,3}\d+$")),
    },
    checks=[pa.Check(lambda df: df["is_aggregate"] == df["iso3"].isna(),
                     name="iso3|aggregate-rows-have-no-iso3", error="aggregate-rows-have-no-iso3")],
    unique=["measure", "price_base", "country", "year"],
    strict=True,
    name="NATO defence expenditure tables (tidy)",
)


@dataclass(frozen=True)
class _YearColumn:
    index: int  # 0-based column index in the sheet
    header: str  # as printed: "2019", "2023e"
    year: int
    is_estimate: bool


def _year_row(rows: list[tuple[object, ...]], path: Path, sheet: str) -> tuple[int, list[_YearColumn]]:
    """The first row with at least five year labels, and its year columns."""
    for r, values in enumerate(rows, start=1):
        cols = []
        for c, v in enumerate(values):
            m = _YEAR_LABEL.match(str(v).strip()) if v is not None else None
            if m:
                cols.append(_YearColumn(c, str(v).strip(), int(m["year"]), m["estimate"] == "e"))
        if len(cols) >= 5:
            years = [yc.year for yc in cols]
            if years != list(range(years[0], years[0] + len(years))):
                raise DataError(sheet_path(path, sheet), r, cols[0].header, "year-columns",
                                f"year labels are not consecutive: {[yc.header for yc in cols]}")
            return r, cols
    raise DataError(sheet_path(path, sheet), None, None, "year-columns",
                    "no row of year labels (2014, 2015, ...) found")


def _label(values: tuple[object, ...], first_year_col: int) -> tuple[str, int] | None:
    """The row's label: the first text left of the year columns (Allies and aggregates sit in
    different columns)."""
    for c in range(first_year_col):
        v = values[c] if c < len(values) else None
        if isinstance(v, str) and v.strip():
            return re.sub(r"\s+", " ", v).strip(), c
    return None


def _price_base(block: Block, match: re.Match[str], subtitle_base: str | None, path: Path,
                sheet: str, row: int) -> str:
    if block.price_base != "constant":
        return block.price_base
    base = match.groupdict().get("base") or subtitle_base
    if not base:
        raise DataError(sheet_path(path, sheet), row, None, "price-base",
                        f"block {match.string!r} is at constant prices but neither its title nor "
                        "the sheet's subtitle names the base year")
    return f"constant {base}"


def _is_artefact(cells: list[object]) -> bool:
    """An unlabelled row of ``#REF!`` or zeros under a block: a leftover total row."""
    return all(v is None or v == 0 or (isinstance(v, str) and v.strip() == "#REF!") for v in cells)


def _parse_sheet(ws, path: Path, sheet: str, blocks: tuple[Block, ...]) -> tuple[list[dict], list[dict]]:
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    header_row, year_cols = _year_row(rows, path, sheet)
    first_col = year_cols[0].index
    subtitle_base = None
    for values in rows[:header_row - 1]:
        for v in values:
            m = _BASE_IN_SUBTITLE.search(str(v)) if isinstance(v, str) else None
            if m:
                subtitle_base = m["base"]
    records: list[dict] = []
    notes: list[dict] = []
    current: tuple[Block, str, str] | None = None  # block, its title, its price base
    seen_blocks: list[Block] = []
    labels_in_block: set[str] = set()
    in_notes = False
    for r in range(header_row + 1, len(rows) + 1):
        values = rows[r - 1]
        cells = [values[yc.index] if yc.index < len(values) else None for yc in year_cols]
        found = _label(values, first_col)
        has_values = any(v is not None for v in cells)
        if found is None:
            if not has_values or _is_artefact(cells):
                continue
            raise DataError(sheet_path(path, sheet), r, year_cols[0].header, "row-label",
                            "row has values but no country label")
        label, label_col = found
        if _PAGE_NUMBER.match(label):
            continue
        if _NOTE.match(label):
            in_notes = True
            notes.append({"sheet": sheet, "row": r, "text": label})
            continue
        if not has_values:
            block_match = next(((b, m) for b in blocks if (m := b.title.match(label))), None)
            if block_match is None:
                raise DataError(sheet_path(path, sheet), r, get_column_letter(label_col + 1),
                                "block-title",
                                f"{label!r} is neither a known block title of {sheet} "
                                f"({', '.join(b.title.pattern for b in blocks)}) nor a row with values")
            block, m = block_match
            current = (block, label, _price_base(block, m, subtitle_base, path, sheet, r))
            seen_blocks.append(block)
            labels_in_block = set()
            continue
        if in_notes:
            raise DataError(sheet_path(path, sheet), r, get_column_letter(label_col + 1), "layout",
                            f"row {label!r} has values below the notes")
        if current is None:
            raise DataError(sheet_path(path, sheet), r, get_column_letter(label_col + 1), "layout",
                            f"row {label!r} has values before any block title")
        block, title, base = current
        country = countries.clean_label(label)
        if country in labels_in_block:
            raise DataError(sheet_path(path, sheet), r, get_column_letter(label_col + 1), "unique",
                            f"{country!r} appears twice in block {title!r}")
        labels_in_block.add(country)
        is_aggregate = country in AGGREGATES
        iso3 = None if is_aggregate else countries.to_iso3([country])[0]
        if iso3 is None and not is_aggregate:
            raise DataError(sheet_path(path, sheet), r, get_column_letter(label_col + 1),
                            "country-known", f"{label!r} is not a country (country_converter) nor "
                            f"one of NATO's aggregates {sorted(AGGREGATES)}")
        for yc, raw in zip(year_cols, cells, strict=True):
            address = f"{get_column_letter(yc.index + 1)}{r}"
            records.append({
                LINE: r, "sheet": sheet, "block": title, "label": label, "country": country,
                "iso3": iso3, "is_aggregate": is_aggregate, "year": yc.year,
                "is_estimate": yc.is_estimate, "measure": block.measure, "unit": block.unit,
                "price_base": base, "header": yc.header, "cell": address,
                "value": cell_number(raw, path=path, sheet=sheet, row=r, column=yc.header,
                                     cell=address),
                "low": block.low, "high": block.high,
            })
    missing = [b.title.pattern for b in blocks if b not in seen_blocks]
    if missing:
        raise DataError(sheet_path(path, sheet), None, None, "blocks-present",
                        f"block(s) {missing} not found in {sheet}")
    return records, notes


def _range_problems(frame: pd.DataFrame, path: Path) -> list:
    """Each cell outside its block's plausible range, named by sheet, row and year column."""
    problems = []
    low = frame["low"].astype("float64")
    high = frame["high"].astype("float64")
    bad = frame["value"].notna() & ((low.notna() & (frame["value"] < low))
                                     | (high.notna() & (frame["value"] > high)))
    for line, rec in frame[bad].iterrows():
        lo = "" if math.isnan(rec["low"]) else f"{rec['low']:g}"
        hi = "" if math.isnan(rec["high"]) else f"{rec['high']:g}"
        problems.append(sheet_problem(path, rec["sheet"], int(line), rec["header"], "in-range",
                                      f"cell {rec['cell']} holds {rec['value']:g} {rec['unit']}, "
                                      f"outside [{lo}, {hi}]"))
    return problems


def _read(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    wb = load_workbook(path)
    records: list[dict] = []
    notes: list[dict] = []
    for sheet, blocks in SHEETS.items():
        if sheet not in wb.sheetnames:
            raise DataError(path, None, None, "sheets-present",
                            f"sheet {sheet!r} is missing; the workbook has {wb.sheetnames}")
        recs, sheet_notes = _parse_sheet(wb[sheet], path, sheet, blocks)
        records.extend(recs)
        notes.extend(sheet_notes)
    frame = pd.DataFrame.from_records(records).set_index(LINE)
    problems = _range_problems(frame, path)
    if problems:
        raise DataError(problems=problems[:50])
    frame = frame.drop(columns=["low", "high", "header"])
    frame["year"] = frame["year"].astype("int64")
    frame["is_aggregate"] = frame["is_aggregate"].astype("bool")
    frame["is_estimate"] = frame["is_estimate"].astype("bool")
    frame["value"] = frame["value"].astype("float64")
    return frame, pd.DataFrame.from_records(notes)


def parse(path: Path) -> pd.DataFrame:
    """The tidy frame: one row per country (or aggregate), year, measure and price base; the index
    is the Excel row, ``cell`` the address the value came from."""
    frame, _notes = _read(path)
    for sheet, part in frame.groupby("sheet", sort=False):
        check(part, SCHEMA, sheet_path(path, sheet))
    return frame


def parse_notes(path: Path) -> pd.DataFrame:
    """NATO's notes at the foot of each sheet (what 'equipment' and 'personnel' include, which
    years are estimates), as printed; the index is the Excel row."""
    _frame, notes = _read(path)
    return notes.set_index("row").rename_axis(LINE)


def table(vintage: str) -> pd.DataFrame:
    """The validated tables of one edition, with ``source`` and ``vintage`` on every row."""
    return store.load(SOURCE, vintage, TABLES_FILE, parse, with_provenance=True)


def notes(vintage: str) -> pd.DataFrame:
    """The notes printed under NATO's tables (sheet, Excel row, text)."""
    return store.load(SOURCE, vintage, TABLES_FILE, parse_notes, tag="notes")


__all__ = ["AGGREGATES", "MEASURES", "SCHEMA", "SHEETS", "notes", "parse", "parse_notes", "table"]
