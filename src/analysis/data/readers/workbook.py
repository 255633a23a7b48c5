"""What the NATO and SIPRI workbook readers share: where a cell is, what its text means.

Both publishers lay their tables out for print (titles, headings, footnotes between the numbers),
so their readers find rows by label. This module holds the rules they have in common: how an
error names its place (the sheet goes in the file part, the Excel row is the line), and which
texts in a number cell mean "missing" rather than a value.
"""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from analysis.data.errors import DataError, Problem, _display

#: Publishers' codes for "no value": SIPRI's '...' and '. .' (unavailable) and 'xxx' (the state did
#: not exist); '..' and 'n.a.' are the same idea in other editions. They become NaN, never zero.
MISSING_CODES: frozenset[str] = frozenset({"...", ". .", "..", "xxx", "n.a.", ""})

#: Excel's error values: a formula that broke in the publisher's copy. Never a number.
EXCEL_ERRORS: frozenset[str] = frozenset({"#REF!", "#N/A", "#VALUE!", "#DIV/0!", "#NAME?",
                                          "#NUM!", "#NULL!"})


def sheet_path(path: Path, sheet: str) -> Path:
    """``file.xlsx [TABLE3]``: how errors name a sheet of a workbook."""
    return Path(f"{path} [{sheet}]")


def sheet_problem(path: Path, sheet: str, row: int | None, column: str | None, rule: str,
                  message: str) -> Problem:
    return Problem(_display(sheet_path(path, sheet)), row, column, rule, message)


def cell_number(value: object, *, path: Path, sheet: str, row: int, column: str,
                cell: str) -> float:
    """A number cell as float: numbers pass, missing-value codes give NaN, anything else fails.

    ``column`` is the header the cell sits under (a year), ``cell`` its address (``M41``).
    """
    if value is None:
        return math.nan
    if isinstance(value, bool):
        raise DataError(sheet_path(path, sheet), row, column, "is-number",
                        f"cell {cell} holds {value!r}, not a number")
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip()
    if text in MISSING_CODES:
        return math.nan
    if text in EXCEL_ERRORS:
        raise DataError(sheet_path(path, sheet), row, column, "is-number",
                        f"cell {cell} holds the Excel error {text!r} (a broken formula), not a number")
    try:
        return float(text.replace(",", ""))
    except ValueError:
        raise DataError(sheet_path(path, sheet), row, column, "is-number",
                        f"cell {cell} holds {text!r}, which is neither a number nor a missing-value "
                        f"code ({', '.join(sorted(repr(c) for c in MISSING_CODES if c))})") from None


def load_workbook(path: Path) -> openpyxl.Workbook:
    """The workbook with cell values (not formulas) and cell styles (SIPRI's colours are flags)."""
    try:
        return openpyxl.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise DataError(path, None, None, "is-xlsx",
                        f"not a readable Excel workbook ({type(exc).__name__}: {exc})") from None
