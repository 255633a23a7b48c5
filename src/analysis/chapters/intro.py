"""The introduction: the answer, the claims' verdicts, how current the data are.

Its numbers and its claims table are pasted from the chapters that compute them (``{glue:text}``
and ``{glue:figure}`` with ``spending.ipynb::key``, ``exports.ipynb::key``,
``constraints.ipynb::key``, ``outlook.ipynb::key``, ``claims.ipynb::key``), so a figure is computed once and cannot
disagree between pages. ``run`` computes only what no chapter does: how current the data are.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.calc import prose
from analysis.chapters import as_of
from analysis.chapters.collect import Collector
from analysis.chapters.result import ChapterResult


def build_date() -> str:
    """The book's date: the commit's (SOURCE_DATE_EPOCH, as "last updated"), so that two
    builds of one commit agree."""
    import datetime as dt
    import os

    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or 0)
    return dt.datetime.fromtimestamp(epoch, tz=dt.UTC).date().isoformat()


@dataclass(frozen=True, kw_only=True)
class IntroChapter(ChapterResult):
    """The page's own values: the "Data as of" table and its counts."""


def run() -> IntroChapter:
    """What the introduction words itself: how current the data are. Everything else on the
    page is pasted from the chapter that computes it."""
    out = Collector()
    # How current the book is: the newest edition held per source, the newer ones announced
    current = as_of.editions()
    out.add("data-as-of", as_of.as_of_table(current, build_date()))
    out.add("build-date", prose.date(build_date()))
    stale = current[current["newer"].map(len) > 0]
    out.add("n-sources-stale", prose.count(len(stale)))
    out.add("n-sources", prose.count(len(current)))
    return IntroChapter(**out.parts())
