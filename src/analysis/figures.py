"""Publishing figures and tables into the book: offline, with a stable id, a static SVG, a CSV of
exactly what is drawn, and a source line naming the data vintage.

A notebook calls :func:`figure` or :func:`table` and glues the result::

    glue("tiv-by-year", figures.figure("tiv-by-year", chart, source=..., description=...),
         display=False)

The glued object renders as HTML that the shared ``_static/report.js`` draws with the Vega bundle
served from the book's own ``_static/`` (no CDN). Without JavaScript, or in print, the SVG shows.
"""

from __future__ import annotations

import html
import json
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import vl_convert as vlc

#: where figures' CSV and SVG go while a chapter executes (set by the pipeline per chapter)
ASSET_DIR_ENV = "REPORT_ASSET_DIR"
#: how a chapter page reaches those files once the book is built
ASSET_URL_PREFIX = "../_static/report/"
OWN_CALCULATIONS = "Chart and calculations: this report"


def asset_dir() -> Path:
    d = Path(os.environ.get(ASSET_DIR_ENV, Path.cwd() / "_assets"))
    d.mkdir(parents=True, exist_ok=True)
    return d


def chapter_name() -> str:
    return os.environ.get("REPORT_CHAPTER", "scratch")


def stable_id(key: str) -> str:
    """A deterministic element id: the chapter and glue key, never a random uuid."""
    slug = re.sub(r"[^a-z0-9-]+", "-", f"{chapter_name()}-{key}".lower()).strip("-")
    return f"fig-{slug}"


def vl_version() -> str:
    major_minor = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return f"v{major_minor}"


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """CSV written the same way every time: fixed float format, LF line ends, UTF-8."""
    frame.to_csv(path, index=False, lineterminator="\n", float_format="%.6g", encoding="utf-8")


def _json_for_script(spec: dict[str, Any]) -> str:
    """JSON safe to place inside a <script type="application/json"> element."""
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@dataclass(frozen=True)
class Figure:
    """A chart ready for the page: spec, static SVG, the drawn data and its source line."""

    element_id: str
    spec: dict[str, Any]
    svg: str
    csv_name: str
    svg_name: str
    source: str
    description: str
    notes: str = ""

    def _source_html(self) -> str:
        parts = [f"<span class='report-source-label'>Source:</span> {html.escape(self.source)}."]
        if self.notes:
            parts.append(f" <span class='report-notes'>{html.escape(self.notes)}</span>")
        parts.append(
            f" <a class='report-csv' href='{ASSET_URL_PREFIX}{self.csv_name}' download>"
            "Download the data drawn (CSV)</a>"
            f" · <a class='report-svg' href='{ASSET_URL_PREFIX}{self.svg_name}'>image (SVG)</a>"
        )
        return "".join(parts)

    def html(self) -> str:
        desc = html.escape(self.description, quote=True)
        return (
            f"<div class='report-chart' id='{self.element_id}'>"
            f"<div class='report-chart-vega' role='img' aria-label='{desc}'></div>"
            f"<img class='report-chart-static' src='{ASSET_URL_PREFIX}{self.svg_name}' alt='{desc}'>"
            f"<p class='report-chart-source'>{self._source_html()}</p>"
            f"<script type='application/json' class='report-chart-spec'>{_json_for_script(self.spec)}"
            "</script></div>"
        )

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": self.html(), "image/svg+xml": self.svg,
                "text/plain": f"<Figure {self.element_id}: {self.description}>"}


def chart_spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The Vega-Lite spec with data inlined (the chart must have been given aggregated data)."""
    with alt.data_transformers.enable("default", max_rows=5000):
        return chart.to_dict()


@cache
def _svg(spec_json: str, version: str) -> str:
    return vlc.vegalite_to_svg(json.loads(spec_json), vl_version=version)


def figure(key: str, chart: alt.TopLevelMixin, *, data: pd.DataFrame, source: str,
           description: str, notes: str = "") -> Figure:
    """Publish a chart: write the CSV of ``data`` (what the chart draws) and a static SVG.

    ``source`` is the credit line with its vintage; ``description`` says in words what the chart
    shows, for screen readers and for the no-JavaScript reader.
    """
    eid = stable_id(key)
    spec = chart_spec(chart)
    spec.setdefault("usermeta", {})["embedOptions"] = {"actions": False, "renderer": "svg"}
    svg = _svg(json.dumps(spec, sort_keys=True), vl_version())
    out = asset_dir()
    csv_name, svg_name = f"{eid}.csv", f"{eid}.svg"
    write_csv(data, out / csv_name)
    (out / svg_name).write_text(svg, encoding="utf-8")
    return Figure(eid, spec, svg, csv_name, svg_name, f"{source}. {OWN_CALCULATIONS}",
                  description, notes)


@dataclass(frozen=True)
class Table:
    """A table for the page: escaped HTML, sortable by column, with its CSV and source line."""

    element_id: str
    frame: pd.DataFrame
    csv_name: str
    source: str
    caption: str
    sortable: bool = True
    formats: tuple[tuple[str, str], ...] = ()

    def html(self) -> str:
        classes = ["report-table"] + (["report-sortable"] if self.sortable else [])
        fmts = dict(self.formats)
        shown = self.frame.copy()
        for col in shown.columns:
            if col in fmts:
                shown[col] = [("–" if pd.isna(v) else format(v, fmts[col]).replace("-", "\u2212"))
                              for v in shown[col]]
        body = shown.to_html(index=False, escape=True, na_rep="–", border=0,
                             classes=classes, table_id=self.element_id,
                             float_format=lambda v: f"{v:,.2f}")
        return (
            f"<div class='report-table-wrap' role='region' aria-label='{html.escape(self.caption, quote=True)}' tabindex='0'>"
            f"{body}</div>"
            f"<p class='report-chart-source'><span class='report-source-label'>Source:</span> "
            f"{html.escape(self.source)}. <a class='report-csv' href='{ASSET_URL_PREFIX}{self.csv_name}' download>"
            "Download the table (CSV)</a></p>"
        )

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": self.html(), "text/plain": f"<Table {self.element_id}: {self.caption}>"}


def table(key: str, frame: pd.DataFrame, *, source: str, caption: str,
          sortable: bool = True, formats: dict[str, str] | None = None) -> Table:
    """Publish a table and the CSV of exactly its rows and columns (unformatted numbers).

    ``formats`` maps a column to a format spec for the page (``",.0f"``, ``"+.0f"``).
    """
    eid = stable_id(key).replace("fig-", "tbl-", 1)
    csv_name = f"{eid}.csv"
    write_csv(frame, asset_dir() / csv_name)
    return Table(eid, frame.reset_index(drop=True), csv_name, f"{source}. {OWN_CALCULATIONS}",
                 caption, sortable, tuple(sorted((formats or {}).items())))
