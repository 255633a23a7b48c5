"""Which parser reads which file, so that `report validate` checks every file it can parse.

Keyed by (source, file name); a new vintage of a known file is parsed by the same reader. Files
with no parser here (the USGS PDF, say) are still checked against their sidecar's checksum.
"""

from __future__ import annotations

import fnmatch
import inspect
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

import pandas as pd

from analysis.data import store
from analysis.data.errors import DataError, Problem
from analysis.data.readers import (
    curated,
    nato,
    sipri_milex,
    sipri_tiv_table,
    sipri_transfers,
    usgs,
    vocabulary,
)
from analysis.data.sources import CURATED, DataFile, list_files, verify

Parser = Callable[[Path], pd.DataFrame]

PARSERS: dict[tuple[str, str], Parser] = {
    (sipri_transfers.SOURCE, sipri_transfers.DELIVERIES_FILE): sipri_transfers.parse_deliveries,
    (nato.SOURCE, nato.TABLES_FILE): nato.parse,
    (sipri_milex.SOURCE, sipri_milex.MILEX_FILE): sipri_milex.parse,
    (sipri_transfers.SOURCE, sipri_transfers.DEALS_FILE): sipri_transfers.parse_deals,
    (sipri_tiv_table.SOURCE, sipri_tiv_table.TURKEY_FILE): sipri_tiv_table.parse_tiv_table,
    (usgs.SOURCE, usgs.RARE_EARTHS_FILE): usgs.parse_rare_earths,
    **{(CURATED, name): curated.parse for name in curated.SCHEMAS},
}


#: What a file says about itself, for the sidecar add-vintage writes: (path, frame) -> fields
DESCRIBERS: dict[tuple[str, str], Callable[[Path, pd.DataFrame], dict[str, str]]] = {
    (sipri_transfers.SOURCE, sipri_transfers.DEALS_FILE): sipri_transfers.describe_deals,
}


def describer_for(source: str, name: str) -> Callable[[Path, pd.DataFrame], dict[str, str]] | None:
    key = rule_key(source, name)
    return DESCRIBERS.get(key) if key else None


#: How two vintages of a file are compared: key columns and value column of a keyed series,
#: or "deals" for the deal register (matched on a documented key: analysis.calc.revisions).
DIFF_RULES: dict[tuple[str, str], tuple[list[str], str] | str] = {
    (sipri_transfers.SOURCE, sipri_transfers.DELIVERIES_FILE): (
        ["deal_id", "supplier", "recipient", "designation", "delivery_year"], "tiv_delivered"),
    (sipri_tiv_table.SOURCE, sipri_tiv_table.TURKEY_FILE): (["recipient", "year"], "tiv"),
    (sipri_transfers.SOURCE, sipri_transfers.DEALS_FILE): "deals",
    # values revised by country (or aggregate) and year, for every measure and price base
    (nato.SOURCE, nato.TABLES_FILE): (["measure", "unit", "price_base", "country", "year"],
                                      "value"),
    (sipri_milex.SOURCE, sipri_milex.MILEX_FILE): (
        ["measure", "unit", "price_base", "country", "year"], "value"),
}


def rule_key(source: str, name: str) -> tuple[str, str] | None:
    """The registry key (source, file name or pattern) that a stored file falls under."""
    for src, pattern in PARSERS:
        if src == source and fnmatch.fnmatchcase(name, pattern):
            return (src, pattern)
    return None


def parser_for(source: str, name: str) -> Parser | None:
    key = rule_key(source, name)
    return PARSERS[key] if key else None


def parser_of(df: DataFile) -> Parser | None:
    """The parser of one held file, given its sidecar when the parser reads one (the USGS
    footnotes): the sidecar is in the repository, the bytes in the data store."""
    parse = parser_for(df.source, df.name)
    if parse is not None and "sidecar" in inspect.signature(parse).parameters:
        return partial(parse, sidecar=df.sidecar)
    return parse


def _warm(df: DataFile, target: Path | None = None) -> list[Problem]:
    """Parse, validate and cache one file (in a worker process); problems come back as data."""
    parse = parser_of(df)
    try:
        if parse is not None:
            store.cached(df, parse, target=target)
    except DataError as exc:
        return exc.problems
    return []


def validate_all(root: Path | None = None, jobs: int | None = None) -> int:
    """Verify every file; parse and validate every file with a parser (warming the cache), the
    slow spreadsheets in parallel. All problems across all files are raised together."""
    problems: list[Problem] = []
    files = list_files(root / "data" if root else None)
    todo = []
    for df in files:
        try:
            verify(df)
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        if parser_for(df.source, df.name) is not None and not store.is_cached(df):
            todo.append(df)
    workers = min(jobs or os.cpu_count() or 1, len(todo))
    if workers > 1:
        from analysis.data.store import worker_context

        with ProcessPoolExecutor(max_workers=workers, mp_context=worker_context()) as pool:
            # the cache files are named here: a worker's environment may be another build's
            for found in pool.map(_warm, todo, [store.cache_path(df) for df in todo]):
                problems.extend(found)
    else:
        for df in todo:
            problems.extend(_warm(df))
    if not problems:  # every word the analysis depends on is one the vocabulary documents
        problems += vocabulary_problems(files)
    if problems:
        raise DataError(problems=problems)
    return len(files)


def vocabulary_problems(files: list[DataFile]) -> list[Problem]:
    vocab_file = next((df for df in files if df.source == CURATED
                       and df.name == vocabulary.VOCABULARY_FILE), None)
    if vocab_file is None:
        return []
    vocab = store.cached(vocab_file, vocabulary.parse)
    out: list[Problem] = []
    for df in files:
        key = rule_key(df.source, df.name)
        columns = vocabulary.CHECKED.get(key) if key else None
        if columns:
            out += vocabulary.unknown_words(store.cached(df, parser_of(df)), vocab, df.path, columns)
    return out
