"""Tables whose source column is a link, and cells holding several entries broken into lines:
a :class:`analysis.publishing.figures.Table` with ``links``, ``breaks`` and ``hidden`` columns."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis.calc.constraints import ENTRY_SEPARATOR
from analysis.publishing.figures import Table, link_html, table

__all__ = ["link_html", "linked_table"]


def linked_table(key: str, frame: pd.DataFrame, *, source: str, caption: str,
                 links: Iterable[tuple[str, str]] = (), breaks: Iterable[str] = (),
                 hidden: Iterable[str] = (), formats: dict[str, str] | None = None) -> Table:
    """Publish a table (CSV of every column, addresses included) with linked source titles and
    multi-entry cells broken into lines; ``hidden`` columns go to the CSV only."""
    return table(key, frame, source=source, caption=caption, formats=formats,
                 links=tuple(links), breaks=tuple(breaks), separator=ENTRY_SEPARATOR,
                 hidden=tuple(hidden))
