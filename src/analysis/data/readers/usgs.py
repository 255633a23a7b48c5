"""USGS Mineral Commodity Summaries: the rare-earths table "World Mine Production and Reserves".

The CSV is a hand transcription of the table in the MCS PDF (both are in the vintage folder). The
transcription keeps USGS's conventions, which a plain ``read_csv`` would get wrong:

* ``NA`` means *not available*: it becomes a missing value, never zero;
* a USGS dash (zero) was transcribed as ``0``;
* the last row, ``World total (rounded)``, is USGS's own rounded total, not a country: it is kept,
  marked as such, so that the country sum can be reconciled with it;
* the world's reserves are printed as ``>90,000,000``: a lower bound, kept as the number plus a flag;
* footnote numbers sit in ``usgs_footnotes``; each must be one that the sidecar documents;
* the two production columns carry their years in the header (``mine_production_2024e_t_REO``:
  2024, an estimate); they become ``production_2024e_t`` and the years a chapter reports are read
  from them (:func:`production_columns`), so a new edition moves them without a parameter.
"""

from __future__ import annotations

import csv
import io
import re
from functools import partial
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.data import store
from analysis.data.errors import DataError, Problem, _display
from analysis.data.sources import read_sidecar, resolve
from analysis.data.validate import check, not_blank, read_csv_table, row_check, to_number

SOURCE = "usgs-mcs"
RARE_EARTHS_FILE = "rare-earths-world-production-reserves.csv"
WORLD_TOTAL = "World total (rounded)"
OTHER = "Other"
ROW_KINDS = ["country", "other", "world total"]

_COLUMNS = {
    "country": "country",
    "reserves_t_REO": "reserves_t",
    "usgs_footnotes": "footnotes",
    "source": "source",
}
#: a production column of the transcription: its year, and "e" when USGS marks it an estimate
_PRODUCTION_HEADER = re.compile(r"^mine_production_(\d{4})(e?)_t_REO$")
#: the same column once parsed
PRODUCTION_COLUMN = re.compile(r"^production_(\d{4})(e?)_t$")
#: one footnote entry: a number, optionally followed by the transcriber's gloss in brackets
_FOOTNOTE = re.compile(r"^(\d+)( \(.+\))?$")


def _one_world_total(df: pd.DataFrame) -> bool:
    return int((df["row_kind"] == "world total").sum()) == 1


def _world_total_last(df: pd.DataFrame) -> pd.Series:
    last = df.index.max()
    return (df["row_kind"] != "world total") | (df.index == last)


def _bound_only_on_world_total(df: pd.DataFrame) -> pd.Series:
    return ~df["reserves_is_lower_bound"] | (df["row_kind"] == "world total")


def _schema(production: list[str]) -> pa.DataFrameSchema:
    """The parsed table's schema, with the production columns this edition's header names."""
    previous, latest = production
    return pa.DataFrameSchema(
        {
            "country": pa.Column("str", not_blank(), unique=True),
            "row_kind": pa.Column("str", pa.Check.isin(ROW_KINDS)),
            **{c: pa.Column("float64", pa.Check.ge(0), nullable=True) for c in production},
            "reserves_t": pa.Column("float64", pa.Check.ge(0), nullable=True),
            "reserves_is_lower_bound": pa.Column("bool"),
            "footnotes": pa.Column("str"),
            "source": pa.Column("str", not_blank()),
        },
        checks=[
            row_check("country", "exactly one 'World total (rounded)' row", _one_world_total),
            row_check("country", "world total is the last row", _world_total_last),
            row_check("reserves_t", "'>' bound only on the world total", _bound_only_on_world_total),
            row_check(latest, "world total has production",
                      lambda df: (df["row_kind"] != "world total")
                      | (df[previous].notna() & df[latest].notna())),
        ],
        strict=True,
        name="USGS MCS rare earths, world mine production and reserves",
    )


def _production_headers(path: Path) -> dict[str, str]:
    """The header's production columns, renamed: USGS prints two consecutive years (the later
    one usually an estimate). Anything else is a layout no chapter was written for."""
    header = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8").split("\n", 1)[0])), [])
    found = {h: _PRODUCTION_HEADER.match(h) for h in header}
    columns = {h: f"production_{m.group(1)}{m.group(2)}_t" for h, m in found.items() if m}
    years = [int(m.group(1)) for m in found.values() if m]
    if len(years) != 2 or years[1] != years[0] + 1:
        stray = [h for h in header if h.startswith("mine_production")]
        raise DataError(_display(path), 1, stray[0] if stray else None, "production-years",
                        f"the header's production columns are {stray or 'none'}: expected two, "
                        "for consecutive years, named like 'mine_production_2024e_t_REO'")
    return columns


def production_columns(frame: pd.DataFrame) -> list[str]:
    """The parsed table's production columns, earlier year first."""
    return sorted((c for c in frame.columns if PRODUCTION_COLUMN.match(c)),
                  key=lambda c: PRODUCTION_COLUMN.match(c).group(1))


def _footnote_problems(frame: pd.DataFrame, documented: set[str], path: Path) -> list[Problem]:
    """Every numbered note in a row must be one the sidecar explains (a typo'd '41' is caught)."""
    problems = []
    for line, text in frame["footnotes"].items():
        if not text.strip():
            continue
        for entry in (e.strip() for e in re.split(r";\s*(?=\d)", text)):
            m = _FOOTNOTE.match(entry)
            if m is None:
                problems.append(Problem(_display(path), int(line), "usgs_footnotes", "footnote-format",
                                        f"value {entry!r} is not 'N' or 'N (gloss)'"))
            elif m.group(1) not in documented:
                problems.append(Problem(
                    _display(path), int(line), "usgs_footnotes", "footnote-documented",
                    f"footnote {m.group(1)!r} is not documented under 'footnotes' in the sidecar"))
    return problems


def parse_rare_earths(path: Path, sidecar: Path | None = None) -> pd.DataFrame:
    """Parse the transcribed table; numbers in tonnes of rare-earth-oxide (REO) equivalent.
    Its footnotes are documented in the sidecar (``sidecar``, or the one beside ``path``)."""
    columns = {**_COLUMNS, **_production_headers(path)}
    production = sorted(c for c in columns.values() if PRODUCTION_COLUMN.match(c))
    numbers = [*production, "reserves_t"]
    raw = read_csv_table(path, columns).rename(columns=columns)
    reserves = raw["reserves_t"].str.strip()
    raw["reserves_is_lower_bound"] = reserves.str.startswith(">")
    raw["reserves_t"] = reserves.str.removeprefix(">")
    frame = to_number(raw, numbers, path, missing=("NA",))
    frame["row_kind"] = [
        "world total" if c == WORLD_TOTAL else "other" if c == OTHER else "country"
        for c in frame["country"].str.strip()
    ]
    documented = {str(k) for k in (read_sidecar(path, sidecar).get("footnotes") or {})}
    problems = _footnote_problems(frame, documented, path)
    if problems:
        raise DataError(problems=problems)
    frame = frame[["country", "row_kind", *numbers, "reserves_is_lower_bound", "footnotes",
                   "source"]]
    return check(frame, _schema(production), path)


def rare_earths(vintage: str) -> pd.DataFrame:
    """The validated rare-earths table of one MCS vintage (parsed once, then from the cache)."""
    df = resolve(SOURCE, vintage, RARE_EARTHS_FILE)
    frame = store.cached(df, partial(parse_rare_earths, sidecar=df.sidecar))
    frame.attrs["source_note"] = df.source_note()
    frame.attrs["vintage"] = vintage
    frame.attrs["edition"] = df.edition
    frame.attrs["url"] = str(df.meta["url"]).split()[0]
    frame.attrs["footnotes"] = {str(k): str(v) for k, v in (df.meta.get("footnotes") or {}).items()}
    return frame
