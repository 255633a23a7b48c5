"""A chapter's key results on two vintages of its data: which moved.

A chapter's prose states a few results (a rank, a share, a change, a count). A new edition of
the data they rest on gives them anew, so the chapter computes them once more on the previous
vintage held, as the claims chapter recomputes its verdicts: the build prints those that moved
(``<chapter>: <figure>: <before> -> <now>``) and the What-changed page lists them all. A result
moved when the text the prose states changed (its year or window may differ between editions:
each edition is compared at its own latest year or window).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

#: the file a chapter writes its key results into (in its assets folder), for the build
KEY_FIGURES_FILE = "key_figures.json"


@dataclass(frozen=True)
class KeyFigure:
    key: str  #: its glue key in the chapter's prose ("rank-latest")
    label: str  #: what it is, for a reader
    text: str  #: as the prose states it ("11", "5.3%")
    period: str  #: the year or window it is for ("2021-25")


def compare(now: Sequence[KeyFigure], before: Sequence[KeyFigure] | None) -> pd.DataFrame:
    """One row per key result: before and now, with their periods, and whether it moved
    (``before`` None: no previous vintage is held, nothing can have moved)."""
    old = {f.key: f for f in before or ()}
    rows = []
    for f in now:
        b = old.get(f.key)
        rows.append({"key": f.key, "figure": f.label,
                     "before": b.text if b else "", "before_period": b.period if b else "",
                     "now": f.text, "now_period": f.period,
                     "moved": bool(b is not None and b.text != f.text)})
    return pd.DataFrame(rows, columns=["key", "figure", "before", "before_period", "now",
                                       "now_period", "moved"])


def to_json(chapter: str, table: pd.DataFrame, *, now_edition: str,
            before_edition: str | None) -> str:
    """The comparison as the build reads it (``key_figures.json``)."""
    records = [{**r, "chapter": chapter, "now_edition": now_edition,
                "before_edition": before_edition} for r in table.to_dict("records")]
    return json.dumps(records, indent=1, ensure_ascii=False, sort_keys=True)


def moved_lines(records: Sequence[dict[str, Any]]) -> list[str]:
    """'<chapter>: <figure>: <before> (<period>, <edition>) -> <now> (<period>, <edition>)'."""
    return [f"{r['chapter']}: {r['figure']}: {r['before']} ({r['before_period']}, "
            f"{r['before_edition']}) -> {r['now']} ({r['now_period']}, {r['now_edition']})"
            for r in records if r["moved"]]


def published(table: pd.DataFrame, *, before_edition: str | None, now_edition: str) -> pd.DataFrame:
    """The comparison as a reader's table: figure, before, now, moved (yes/no)."""
    def at(text: str, period: str) -> str:
        return f"{text} ({period})" if text else ""

    return pd.DataFrame({
        "Result": table["figure"],
        f"Before: {before_edition or 'no earlier edition held'}": [
            at(t, p) for t, p in zip(table["before"], table["before_period"], strict=True)],
        f"Now: {now_edition}": [at(t, p) for t, p in zip(table["now"], table["now_period"],
                                                          strict=True)],
        "Moved": ["yes" if m else "no" if before_edition else "" for m in table["moved"]],
    })
