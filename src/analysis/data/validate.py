"""Validation: read a table keeping each row's line number, check it with pandera, and turn
every failure into one :class:`~analysis.data.errors.Problem` naming file, line, column and rule.

The schemas themselves live beside their parsers in :mod:`analysis.data.readers`; this module holds
what they share: the CSV reader that rejects malformed files early, the reusable checks, and the
translation of pandera's failure cases into messages a person can act on.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from analysis.data.errors import DataError, Problem, _display

LINE = "_line"  # name of the index: the 1-based line number in the source file

_SPREADSHEET_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
MAX_PROBLEMS = 50


def _fail(path: Path, line: int | None, column: str | None, rule: str, msg: str) -> DataError:
    return DataError(path, line, column, rule, msg)


def read_csv_table(
    path: Path,
    columns: Iterable[str],
    *,
    encoding: str = "utf-8",
    skip_lines: int = 0,
    strip_trailing: str = "",
    allow_extra: bool = False,
    require_final_newline: bool = True,
) -> pd.DataFrame:
    """Read a delimited file to a frame of strings indexed by line number.

    Rejects, with file and line, what pandas would silently accept: an empty or truncated file,
    a spreadsheet saved as .csv, a byte-order mark, a byte that is not in the file's encoding, a
    header without the expected columns (often a wrong delimiter), a row with the wrong number
    of fields.
    """
    expected = list(columns)
    raw = path.read_bytes()
    if not raw.strip():
        raise _fail(path, None, None, "not-empty", "file is empty")
    if raw.startswith(_SPREADSHEET_MAGIC):
        raise _fail(path, 1, None, "is-csv", "file is a spreadsheet (xlsx/xls), not a CSV text file")
    if raw.startswith(b"\xef\xbb\xbf"):
        raise _fail(path, 1, None, "no-bom",
                    "file starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM")
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _fail(path, line, None, "encoding",
                    f"byte 0x{raw[exc.start]:02x} is not valid {encoding}; save the file as {encoding}") from None
    lines = text.splitlines(keepends=True)
    if require_final_newline and not text.endswith(("\n", "\r")):
        raise _fail(path, len(lines), None, "complete",
                    "the last line has no line end: the file looks truncated")
    body = "".join(lines[skip_lines:])
    if strip_trailing:
        for i, ln in enumerate(lines[skip_lines:], start=skip_lines + 1):
            if ln.strip() and not ln.rstrip("\r\n").endswith(strip_trailing):
                raise _fail(path, i, None, "complete",
                            f"line does not end with {strip_trailing!r} as every line of this "
                            "export does: the file looks truncated or edited")
        body = "".join(
            ln.rstrip("\r\n").removesuffix(strip_trailing) + "\n" for ln in body.splitlines()
        )
    reader = csv.reader(io.StringIO(body, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise _fail(path, skip_lines + 1, None, "header", "no header row") from None
    header_line = skip_lines + reader.line_num
    missing = [c for c in expected if c not in header]
    if missing:
        hint = ""
        if len(header) == 1 and any(d in header[0] for d in ";\t|"):
            hint = " (the header is one field: is the delimiter a comma?)"
        raise _fail(path, header_line, missing[0], "columns",
                    f"expected column {missing[0]!r} is missing; header has {header}{hint}")
    extra = [c for c in header if c not in expected]
    if extra and not allow_extra:
        raise _fail(path, header_line, extra[0], "columns",
                    f"unexpected column {extra[0]!r}; expected exactly {expected}")
    rows: list[list[str]] = []
    index: list[int] = []
    prev = reader.line_num
    try:
        for row in reader:
            line = skip_lines + prev + 1
            prev = reader.line_num
            if not row or all(not f.strip() for f in row):
                continue
            if len(row) != len(header):
                raise _fail(path, line, None, "field-count",
                            f"row has {len(row)} fields, the header has {len(header)} "
                            "(a truncated row, an unquoted comma or a wrong delimiter)")
            rows.append(row)
            index.append(line)
    except csv.Error as exc:
        raise _fail(path, skip_lines + reader.line_num, None, "csv-syntax",
                    f"not valid CSV: {exc} (truncated file or unbalanced quote)") from None
    if not rows:
        raise _fail(path, header_line, None, "has-rows", "file has a header but no data rows")
    frame = pd.DataFrame(rows, columns=header, index=pd.Index(index, name=LINE), dtype="str")
    return frame[[c for c in header if c in expected or allow_extra]]


def row_check(column: str, rule: str, fn: Callable[[pd.DataFrame], pd.Series]) -> pa.Check:
    """A check over several columns whose failures are reported against ``column``."""
    return pa.Check(fn, name=f"{column}|{rule}", error=rule)


def not_blank() -> pa.Check:
    return pa.Check(lambda s: s.astype("str").str.strip().str.len() > 0, name="not blank",
                    element_wise=False)


def iso_date_at_precision(value: str, precision: str) -> bool:
    pattern = {"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}", "year": r"\d{4}"}.get(precision)
    if pattern is None or not re.fullmatch(pattern, value or ""):
        return False
    try:
        pd.Timestamp(value if precision != "year" else f"{value}-01-01")
    except ValueError:
        return False
    return True


def _problems(exc: SchemaErrors | SchemaError, path: Path) -> list[Problem]:
    cases = exc.failure_cases
    out: list[Problem] = []
    if cases is None or len(cases) == 0:
        return [Problem(_display(path), None, None, "schema", str(exc).splitlines()[0])]
    for rec in cases.to_dict("records"):
        check = str(rec.get("check"))
        column = rec.get("column")
        rule = check
        if "|" in check:
            column, rule = check.split("|", 1)
        line = rec.get("index")
        line = int(line) if line is not None and not pd.isna(line) else None
        value = rec.get("failure_case")
        if rule == "column_in_dataframe":
            msg = f"required column {value!r} is missing"
            column = value
        elif rule.startswith(("dtype(", "coerce_dtype")):
            msg = f"value {value!r} is not of type {rule.split('(')[-1].rstrip(')')}"
        elif rule == "not_nullable":
            msg = "value is missing (empty)"
        elif rule == "field_uniqueness" or rule.startswith("multiple_fields_uniqueness"):
            msg = f"duplicate key {value!r}"
        else:
            msg = f"value {value!r} fails the rule"
        out.append(Problem(_display(path), line, None if pd.isna(column) else str(column), rule, msg))
    out.sort(key=lambda p: (p.line or 0, p.column or ""))
    return out[:MAX_PROBLEMS]


def _merge_duplicates(problems: list[Problem], frame: pd.DataFrame, schema: pa.DataFrameSchema,
                      path: Path) -> list[Problem]:
    """pandera reports a duplicate key once per key column and also on its first occurrence;
    a reader wants one message per repeated row, naming the line it repeats."""
    dup = [p for p in problems if p.rule.startswith("multiple_fields_uniqueness")]
    if not dup or not schema.unique:
        return problems
    keys = list(schema.unique)
    rest = [p for p in problems if not p.rule.startswith("multiple_fields_uniqueness")]
    first_line = frame.reset_index().drop_duplicates(keys).set_index(keys)[frame.index.name or "index"]
    repeated = frame[frame.duplicated(keys, keep="first")]
    for line, row in repeated.iterrows():
        key = tuple(row[k] for k in keys)
        shown = ", ".join(f"{k}={v!r}" for k, v in zip(keys, key, strict=True))
        first = first_line.loc[key if len(keys) > 1 else key[0]]
        rest.append(Problem(_display(path), int(line), "+".join(keys), "unique-key",
                            f"duplicate key ({shown}), first on line {int(first)}"))
    return sorted(rest, key=lambda p: (p.line or 0, p.column or ""))


def check(frame: pd.DataFrame, schema: pa.DataFrameSchema, path: Path) -> pd.DataFrame:
    """Validate lazily, so that one run reports every bad cell, not only the first."""
    try:
        return schema.validate(frame, lazy=True)
    except (SchemaErrors, SchemaError) as exc:
        problems = _merge_duplicates(_problems(exc, path), frame, schema, path)
        raise DataError(problems=problems[:MAX_PROBLEMS]) from None


def to_number(frame: pd.DataFrame, columns: Iterable[str], path: Path,
              missing: Iterable[str] = ("",)) -> pd.DataFrame:
    """Parse number columns, naming the line and column of the first text that is not a number."""
    out = frame.copy()
    na = set(missing)
    problems: list[Problem] = []
    for col in columns:
        s = out[col].astype("str").str.strip()
        is_na = s.isin(na)
        num = pd.to_numeric(s.where(~is_na), errors="coerce")
        bad = num.isna() & ~is_na
        for line, value in s[bad].items():
            problems.append(Problem(_display(path), int(line), col, "is-number",
                                    f"value {value!r} is not a number"))
        out[col] = num.astype("float64")
    if problems:
        raise DataError(problems=problems[:MAX_PROBLEMS])
    return out
