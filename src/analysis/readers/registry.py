"""Which parser reads which file, so that `report validate` checks every file it can parse.

Keyed by (source, file name); a new vintage of a known file is parsed by the same reader. Files
with no parser here (the USGS PDF, say) are still checked against their sidecar's checksum.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from analysis import store
from analysis.errors import DataError
from analysis.readers import curated, sipri_transfers
from analysis.sources import CURATED, list_files, verify

Parser = Callable[[Path], pd.DataFrame]

PARSERS: dict[tuple[str, str], Parser] = {
    (sipri_transfers.SOURCE, sipri_transfers.DELIVERIES_FILE): sipri_transfers.parse_deliveries,
    **{(CURATED, name): curated.parse for name in curated.SCHEMAS},
}


def parser_for(source: str, name: str) -> Parser | None:
    return PARSERS.get((source, name))


def validate_all(root: Path | None = None) -> int:
    """Verify every file; parse and validate every file with a parser (warming the cache).

    All problems across all files are collected and raised together.
    """
    problems = []
    files = list_files(root / "data" if root else None)
    for df in files:
        try:
            verify(df)
            parse = parser_for(df.source, df.name)
            if parse is not None:
                store.cached(df, parse)
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError(problems=problems)
    return len(files)
