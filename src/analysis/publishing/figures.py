"""Publishing figures and tables into the book: offline, with a stable id, a static SVG, a CSV of
exactly what is drawn, and a source line naming the data vintage.

A notebook calls :func:`figure` or :func:`table` and glues the result::

    glue("tiv-by-year", figures.figure("tiv-by-year", chart, source=..., description=...),
         display=False)

The glued object renders as HTML that the shared ``_static/report.js`` draws with the Vega bundle
served from the book's own ``_static/`` (no CDN). Without JavaScript, or when the chart cannot be
drawn, the SVG shows (and only then is it downloaded); in print the drawn chart prints.

Every chart is checked when it is published (:func:`chart_problems`), so that no chapter can
ship a chart a reader cannot use: a title and a subtitle (unit, price base), tooltips whose
quantities name their unit, colours with enough contrast against the background (WCAG 2.1: 3:1
for marks, 4.5:1 for text), a source line naming the data vintage, a description in words for
screen readers, a CSV that is exactly the data drawn, and, for small multiples, a table
alternative (:class:`TableAlternative`). A chart that breaks a rule stops the chapter with
:class:`ChartRuleError`, which names the chart and every rule it breaks.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
import vl_convert as vlc

from analysis.publishing import datapackage

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
    return f"chart-{slug}"


def vl_version() -> str:
    major_minor = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return f"v{major_minor}"


def full_number(value: float) -> str:
    """A float as a CSV writes it for readers: every digit, never scientific notation
    (1474399, not 1.4744e+06), to 15 significant digits so that float noise
    (2.1189800000000002) does not show."""
    return np.format_float_positional(value, precision=15, unique=True, fractional=False,
                                      trim="-")


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """CSV written the same way every time: numbers in full, LF line ends, UTF-8."""
    frame.to_csv(path, index=False, lineterminator="\n", float_format=full_number,
                 encoding="utf-8")


def _json_for_script(spec: dict[str, Any]) -> str:
    """JSON safe to place inside a <script type="application/json"> element."""
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# --------------------------------------------------------------------------- chart rules

#: WCAG 2.1 SC 1.4.11 (non-text contrast): marks against the chart's background
MIN_MARK_CONTRAST = 3.0
#: WCAG 2.1 SC 1.4.3 (contrast, small text): text marks such as labels on reference lines
MIN_TEXT_CONTRAST = 4.5
#: a description shorter than this says too little to stand in for the chart
MIN_DESCRIPTION_WORDS = 6
_COLOUR_CHANNELS = ("color", "fill", "stroke")
_FACET_CHANNELS = ("facet", "row", "column")
_NAMED_COLOURS = {"black": "#000000", "white": "#ffffff", "gray": "#808080", "grey": "#808080",
                  "darkgray": "#a9a9a9", "darkgrey": "#a9a9a9", "dimgray": "#696969",
                  "dimgrey": "#696969", "red": "#ff0000", "blue": "#0000ff", "green": "#008000",
                  "orange": "#ffa500", "steelblue": "#4682b4"}
_NO_COLOUR = ("transparent", "none", "")
#: Vega-Lite's own default mark colour, used when neither the chart nor the theme sets one
_VEGA_DEFAULT_MARK = "#4c78a8"
#: words and signs that name a unit in a tooltip title ("TIV (millions)", "% of GDP", "US$ m")
_UNIT_PATTERN = re.compile(
    r"[(%$€£]|\b(million|billion|thousand|tonnes?|t|tiv|usd|us\$|eur|per ?cent|number|"
    r"count|rank|people|units?|index|ratio|points?|pp|days?|months?|years)\b", re.IGNORECASE)


class ChartRuleError(ValueError):
    """A chart breaks one of the book's chart rules; the message names the chart and each rule."""

    def __init__(self, key: str, problems: list[str]) -> None:
        self.key = key
        self.problems = problems
        super().__init__(f"chart {key!r} breaks the book's chart rules:\n"
                         + "\n".join(f"  - {p}" for p in problems))


def parse_colour(value: str) -> tuple[float, float, float] | None:
    """``#rgb``, ``#rrggbb``, ``rgb(r, g, b)`` or a common CSS name as sRGB in 0..1; None for
    "no colour" (transparent). Anything else is an error: the book's charts use hex colours."""
    text = value.strip().lower()
    if text in _NO_COLOUR:
        return None
    text = _NAMED_COLOURS.get(text, text)
    if m := re.fullmatch(r"#([0-9a-f]{3})", text):
        text = "#" + "".join(c * 2 for c in m.group(1))
    if m := re.fullmatch(r"#([0-9a-f]{6})([0-9a-f]{2})?", text):
        h = m.group(1)
        return tuple(int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]
    if m := re.fullmatch(r"rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*[\d.]+\s*)?\)", text):
        return tuple(int(g) / 255 for g in m.groups())  # type: ignore[return-value]
    raise ValueError(f"colour {value!r} is not a hex colour (use charts.PALETTE)")


def relative_luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2.1's relative luminance of an sRGB colour."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(colour: str, background: str = "#ffffff") -> float:
    """WCAG 2.1's contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    fg, bg = parse_colour(colour), parse_colour(background)
    if fg is None or bg is None:
        raise ValueError("contrast needs two visible colours")
    hi, lo = sorted((relative_luminance(fg), relative_luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _units(spec: dict[str, Any], data_name: str | None = None
           ) -> Iterator[tuple[dict[str, Any], str | None]]:
    """Every single-view spec (one with a ``mark``) of a chart, with the name of its dataset."""
    own = spec.get("data", {})
    name = own.get("name", data_name) if isinstance(own, dict) else data_name
    if "mark" in spec:
        yield spec, name
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for sub in spec.get(key, []) or []:
            yield from _units(sub, name)
    if isinstance(spec.get("spec"), dict):
        yield from _units(spec["spec"], name)


def _mark_type(unit: dict[str, Any]) -> str:
    mark = unit["mark"]
    return str(mark if isinstance(mark, str) else mark.get("type", ""))


def _rows(spec: dict[str, Any], name: str | None) -> list[dict[str, Any]]:
    values = (spec.get("datasets") or {}).get(name or "", [])
    return values if isinstance(values, list) else []


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def is_small_multiples(spec: dict[str, Any]) -> bool:
    """Faceted, repeated or concatenated views: a reader compares panels, so a table helps."""
    if any(k in spec for k in ("facet", "repeat", "hconcat", "vconcat", "concat")):
        return True
    return any(ch in (u.get("encoding") or {}) for u, _ in _units(spec) for ch in _FACET_CHANNELS)


def _colours_used(spec: dict[str, Any]) -> list[tuple[str, float, str]]:
    """(colour, minimum contrast, where) for every colour a chart draws its marks in."""
    config = spec.get("config") or {}
    category = (config.get("range") or {}).get("category")
    palette = [c for c in category if isinstance(c, str)] if isinstance(category, list) else []
    theme_mark = (config.get("mark") or {}).get("color") or _VEGA_DEFAULT_MARK
    out: list[tuple[str, float, str]] = []
    for unit, data_name in _units(spec):
        mtype = _mark_type(unit)
        need = MIN_TEXT_CONTRAST if mtype == "text" else MIN_MARK_CONTRAST
        where = f"{mtype} mark"
        mark = unit["mark"] if isinstance(unit["mark"], dict) else {}
        enc = unit.get("encoding") or {}
        explicit = False
        for key in _COLOUR_CHANNELS:
            if isinstance(mark.get(key), str):
                out.append((mark[key], need, f"{where} {key}"))
                explicit = True
        for ch in _COLOUR_CHANNELS:
            e = enc.get(ch)
            if not isinstance(e, dict):
                continue
            explicit = True
            for cond in [e, *_as_list(e.get("condition"))]:
                if isinstance(cond, dict) and isinstance(cond.get("value"), str):
                    out.append((cond["value"], need, f"{where} {ch} value"))
            field, kind = e.get("field"), e.get("type")
            if not field or kind != "nominal":
                continue  # sequential ramps (quantitative, ordinal) are read with their legend
            scale = e.get("scale") or {}
            domain = scale.get("domain") if isinstance(scale.get("domain"), list) else None
            n = len(domain) if domain else len({str(r.get(field)) for r in _rows(spec, data_name)})
            rng = scale.get("range") if isinstance(scale.get("range"), list) else palette
            for colour in rng[:n] if n else rng:
                if isinstance(colour, str):
                    out.append((colour, need, f"{where} {ch} category"))
        if not explicit and mtype not in ("text", "rule"):
            out.append((theme_mark, need, f"{where} default colour"))
    return out


def _background(spec: dict[str, Any]) -> str:
    return str(spec.get("background") or (spec.get("config") or {}).get("background") or "#ffffff")


def _tooltips(unit: dict[str, Any]) -> list[dict[str, Any]]:
    enc = unit.get("encoding") or {}
    tips = [t for t in _as_list(enc.get("tooltip")) if isinstance(t, dict)]
    mark = unit["mark"] if isinstance(unit["mark"], dict) else {}
    if mark.get("tooltip") in (True, {"content": "encoding"}):
        tips += [dict(v, title=v.get("title") or (v.get("axis") or {}).get("title"))
                 for k, v in enc.items() if isinstance(v, dict) and k != "tooltip"]
    return tips


def _names_unit(tip: dict[str, Any]) -> bool:
    title = str(tip.get("title") or tip.get("field") or "")
    field = str(tip.get("field") or "")
    if tip.get("type") != "quantitative" or "year" in (title + field).lower():
        return True
    return bool(_UNIT_PATTERN.search(title)) or "%" in str(tip.get("format") or "")


def _title_problems(spec: dict[str, Any]) -> list[str]:
    heading = spec.get("title")
    if not isinstance(heading, dict) or not str(heading.get("text") or "").strip():
        if "mark" not in spec and any("title" in u for u, _ in _units(spec)):
            return [("title: the title is on a panel, not on the whole chart; set it on the "
                     "composed chart (.facet(...).properties(title=charts.title(...)))")]
        return ["title: the chart has no title (use charts.title(text, subtitle))"]
    subtitle = heading.get("subtitle")
    if not subtitle or not "".join(_as_list(subtitle)).strip():
        return ["subtitle: the chart has no subtitle; state the unit and price base there"]
    return []


def _data_problems(spec: dict[str, Any], data: pd.DataFrame) -> list[str]:
    """The CSV must be exactly what is drawn: the rows and columns of one of the chart's
    datasets (a layered chart may draw more, e.g. reference lines, from small side tables)."""
    datasets = {k: v for k, v in (spec.get("datasets") or {}).items() if isinstance(v, list)}
    if not datasets:
        return []
    want = (len(data), set(map(str, data.columns)))
    shapes = {(len(rows), frozenset(k for r in rows for k in r)) for rows in datasets.values()}
    if any(n == want[0] and cols == want[1] for n, cols in shapes):
        return []
    drawn = "; ".join(f"{n} rows x [{', '.join(sorted(c))}]" for n, c in sorted(
        shapes, key=lambda s: -s[0]))
    return [(f"data: the CSV would hold {want[0]} rows x [{', '.join(sorted(want[1]))}] but "
             f"the chart draws {drawn}; pass data= the frame given to the chart")]


def chart_problems(spec: dict[str, Any], *, source: str, description: str,
                   data: pd.DataFrame | None = None, has_table: bool = False) -> list[str]:
    """Every chart rule the spec breaks, in words (empty when the chart is fine).

    Used when a chart is published and again by the tests on every chart of the built book.
    """
    problems = _title_problems(spec)
    units = [u for u, _ in _units(spec)]
    tips = [t for u in units for t in _tooltips(u)]
    if not tips:
        problems.append("tooltip: no mark shows a tooltip; add tooltips with units")
    for tip in tips:
        if not _names_unit(tip):
            problems.append(f"tooltip: {tip.get('title') or tip.get('field')!r} shows a quantity "
                            "without its unit; name it in the title, e.g. 'TIV (millions)', "
                            "'Share of GDP (%)'")
    background = _background(spec)
    for colour, need, where in _colours_used(spec):
        try:
            if parse_colour(colour) is None:
                continue
            ratio = contrast_ratio(colour, background)
        except ValueError as exc:
            problems.append(f"colour: {where}: {exc}")
            continue
        if ratio < need:
            problems.append(f"colour: {where} {colour} has a contrast of {ratio:.2f}:1 against "
                            f"the background {background}; needs {need:g}:1 (charts.PALETTE)")
    if "vintage" not in source.lower():
        problems.append("source: the source line names no data vintage "
                        "(use the frame's attrs['source_note'])")
    if len(description.split()) < MIN_DESCRIPTION_WORDS:
        problems.append("description: say in words what the chart shows, for screen readers "
                        f"(at least {MIN_DESCRIPTION_WORDS} words)")
    if is_small_multiples(spec) and not has_table:
        problems.append("table: small multiples need a table alternative "
                        "(figure(..., table=TableAlternative(rows=, columns=, values=)))")
    if data is not None:
        problems += _data_problems(spec, data)
    return list(dict.fromkeys(problems))


# --------------------------------------------------------------------------- table alternative


def _cell(value: Any, fmt: str) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if isinstance(value, (int, float)) and fmt:
        return format(value, fmt).replace("-", "\u2212")
    return str(value)


@dataclass(frozen=True)
class TableAlternative:
    """The data of a small-multiples chart as a table, for readers who cannot compare panels by
    eye (screen readers, keyboard users): one row per panel (``rows``), one column per position
    along the shared axis (``columns``), the value drawn (``values``) in each cell.

    Any chapter can attach one to any chart: ``figure(..., table=TableAlternative(rows="country",
    columns="year", values="share", value_format=",.1f", caption="Share of GDP (%)"))``. For a
    faceted chart with one value per panel and position, :func:`infer_table` finds it alone.
    """

    rows: str
    columns: str
    values: str
    value_format: str = ",.1f"
    caption: str = ""

    def frame(self, data: pd.DataFrame) -> pd.DataFrame:
        """Panels down, axis positions across, in the order they come in ``data``."""
        missing = [c for c in (self.rows, self.columns, self.values) if c not in data.columns]
        if missing:
            raise ValueError(f"table alternative: no column(s) {', '.join(missing)} in the data "
                             f"(has {', '.join(map(str, data.columns))})")
        if data.duplicated([self.rows, self.columns]).any():
            raise ValueError(f"table alternative: more than one value per ({self.rows}, "
                             f"{self.columns}); name the columns explicitly or aggregate first")
        wide = data.pivot(index=self.rows, columns=self.columns, values=self.values)
        return wide.reindex(index=list(dict.fromkeys(data[self.rows])),
                            columns=list(dict.fromkeys(data[self.columns])))

    def html(self, data: pd.DataFrame) -> str:
        wide = self.frame(data)
        caption = self.caption or self.values
        esc = html.escape
        head = "".join(f"<th scope='col'>{esc(str(c))}</th>" for c in wide.columns)
        body = "".join(
            f"<tr><th scope='row'>{esc(str(idx))}</th>"
            + "".join(f"<td>{esc(_cell(v, self.value_format))}</td>" for v in row)
            + "</tr>"
            for idx, row in zip(wide.index, wide.itertuples(index=False), strict=True))
        return (
            "<details class='report-table-alt'><summary>Show the data as a table</summary>"
            f"<div class='report-table-wrap' role='region' aria-label='{esc(caption, quote=True)}'"
            " tabindex='0'><table class='report-table'>"
            f"<caption>{esc(caption)}</caption>"
            f"<thead><tr><th scope='col'>{esc(self.rows)}</th>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table></div></details>"
        )


def infer_table(spec: dict[str, Any]) -> TableAlternative | None:
    """The table alternative of a faceted chart, read from its encodings: panels from the facet
    field, columns from the non-quantitative axis, values from the quantitative one."""
    facet = spec.get("facet")
    units = list(_units(spec))
    panel = None
    if isinstance(facet, dict):
        panel = facet.get("field") or next(
            (facet[k].get("field") for k in ("row", "column") if isinstance(facet.get(k), dict)),
            None)
    for unit, _ in units:
        for ch in _FACET_CHANNELS:
            e = (unit.get("encoding") or {}).get(ch)
            if panel is None and isinstance(e, dict):
                panel = e.get("field")
    if not panel or not units:
        return None
    enc = units[0][0].get("encoding") or {}
    x, y = enc.get("x") or {}, enc.get("y") or {}
    if x.get("type") == "quantitative" and y.get("type") != "quantitative":
        value, across = x, y
    elif y.get("type") == "quantitative":
        value, across = y, x
    else:
        return None
    if not value.get("field") or not across.get("field") or value.get("aggregate"):
        return None
    axis = value.get("axis") or {}
    fmt = str(axis.get("format") or ",.1f")
    return TableAlternative(rows=str(panel), columns=str(across["field"]),
                            values=str(value["field"]), value_format=fmt,
                            caption=str(value.get("title") or value["field"]))


#: room above and below a chart's plot for its title, subtitle, axis and legend (pixels)
CHART_FRAME_PX = 110


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
    table_html: str = ""
    #: the key of the table published next to the chart with the same rows (no table under it)
    table_beside: str = ""

    def _source_html(self) -> str:
        parts = [f"<span class='report-source-label'>Source:</span> {html.escape(self.source)}."]
        if self.notes:
            parts.append(f" <span class='report-notes'>{html.escape(self.notes)}</span>")
        parts.append(
            f" <a class='report-csv' href='{ASSET_URL_PREFIX}{self.csv_name}' download>"
            "Download the data drawn (CSV)</a>"
            # the separator goes with the links in print (paper has nothing to click)
            f"<span class='report-link-sep'> · </span>"
            f"<a class='report-svg' href='{ASSET_URL_PREFIX}{self.svg_name}'>image (SVG)</a>"
        )
        return "".join(parts)

    def reserved_height(self) -> int | None:
        """The height, in pixels, the page keeps for the chart until it is drawn, so the text
        below does not jump when it appears: the plot's height in the spec plus room for the
        title, axis and legend (a layout estimate, not a figure). None for a chart of several
        panels, whose height the spec does not give."""
        spec = self.spec
        if any(k in spec for k in ("facet", "hconcat", "vconcat", "concat", "repeat")):
            return None
        height = spec.get("height")
        if not isinstance(height, int | float):
            height = spec.get("config", {}).get("view", {}).get("continuousHeight")
        return int(height) + CHART_FRAME_PX if isinstance(height, int | float) else None

    def html(self) -> str:
        desc = html.escape(self.description, quote=True)
        reserve = self.reserved_height()
        return (
            f"<div class='report-chart' id='{self.element_id}'"
            + (f" style='--report-chart-h: {reserve}px'" if reserve else "") + ">"
            f"<div class='report-chart-vega' role='img' aria-label='{desc}'></div>"
            # loaded lazily: hidden while scripting is on (report.css), it is never downloaded
            # once the chart is drawn; without scripting a browser loads it at once
            f"<img class='report-chart-static' loading='lazy' src='{ASSET_URL_PREFIX}{self.svg_name}'"
            f" alt='{desc}'>"
            f"<p class='report-chart-source'>{self._source_html()}</p>"
            f"{self.table_html}"
            + (f"<span class='report-table-beside' data-table='{html.escape(self.table_beside)}'"
               " hidden></span>" if self.table_beside else "")
            + f"<script type='application/json' class='report-chart-spec'>{_json_for_script(self.spec)}"
            "</script></div>"
        )

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        # no image/svg+xml here: the static SVG is a file the HTML links (no-JS and print), and
        # leaving it out of the notebook keeps the render light
        return {"text/html": self.html(),
                "text/plain": f"<Figure {self.element_id}: {self.description}>"}


def chart_spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The Vega-Lite spec with data inlined (the chart must have been given aggregated data)."""
    with alt.data_transformers.enable("default", max_rows=5000):
        return chart.to_dict()


@cache
def _svg(spec_json: str, version: str) -> str:
    return vlc.vegalite_to_svg(json.loads(spec_json), vl_version=version)


#: set by the pipeline: write each chart's spec and draw the SVGs after the notebook ran, in
#: the worker process (vl-convert starts its JavaScript engine once per worker, not per kernel)
DEFER_SVG_ENV = "REPORT_DEFER_SVG"
PENDING_SUFFIX = ".vl.json"


def render_pending_svgs(folder: Path) -> int:
    """Draw every deferred chart spec in ``folder`` to its SVG file; returns how many."""
    pending = sorted(folder.glob(f"*{PENDING_SUFFIX}"))
    for spec_file in pending:
        svg = _svg(spec_file.read_text(encoding="utf-8"), vl_version())
        spec_file.with_name(spec_file.name.removesuffix(PENDING_SUFFIX) + ".svg").write_text(
            svg, encoding="utf-8")
        spec_file.unlink()
    return len(pending)


def figure(key: str, chart: alt.TopLevelMixin, *, data: pd.DataFrame, source: str,
           description: str, notes: str = "", table: TableAlternative | None = None,
           table_beside: str = "") -> Figure:
    """Publish a chart: check it against the book's chart rules, then write the CSV of ``data``
    (what the chart draws) and a static SVG.

    ``source`` is the credit line with its vintage; ``description`` says in words what the chart
    shows, for screen readers and for the no-JavaScript reader. ``table`` shows the data as a
    table under the chart; small multiples need one (found alone for a simple facet), unless
    ``table_beside`` names the table published next to the chart with the same rows (its key).
    Raises :class:`ChartRuleError` listing every rule the chart breaks.
    """
    eid = stable_id(key)
    spec = chart_spec(chart)
    spec.setdefault("usermeta", {})["embedOptions"] = {"actions": False, "renderer": "svg"}
    spec.setdefault("description", description)  # Vega's aria-label for the drawn SVG
    if table is None and not table_beside and is_small_multiples(spec):
        table = infer_table(spec)
    problems = chart_problems(spec, source=source, description=description, data=data,
                              has_table=table is not None or bool(table_beside))
    table_html = ""
    if table is not None:
        try:
            table_html = table.html(data)
        except ValueError as exc:
            problems.append(str(exc))
    if problems:
        raise ChartRuleError(key, problems)
    out = asset_dir()
    csv_name, svg_name = f"{eid}.csv", f"{eid}.svg"
    write_csv(data, out / csv_name)
    heading, subtitle = datapackage.chart_title(spec)
    datapackage.write_resource(out, datapackage.resource(
        data, csv_name=csv_name, title=heading, source=source,
        description=" ".join(p for p in (subtitle, description) if p),
        field_titles=datapackage.chart_field_titles(spec), chapter=chapter_name()))
    spec_json = json.dumps(spec, sort_keys=True)
    if os.environ.get(DEFER_SVG_ENV):
        (out / f"{eid}{PENDING_SUFFIX}").write_text(spec_json, encoding="utf-8")
        svg = ""
    else:
        svg = _svg(spec_json, vl_version())
        (out / svg_name).write_text(svg, encoding="utf-8")
    return Figure(eid, spec, svg, csv_name, svg_name, f"{source}. {OWN_CALCULATIONS}",
                  description, notes, table_html, table_beside)


_SAFE_URL = re.compile(r"^https?://[^\s\"'<>]+$")
_IN_BOOK_LINK = re.compile(r"^([a-z0-9_-]+\.html)?#[a-z0-9-]+$")


def link_html(text: str, url: str) -> str:
    """An escaped link; text alone (escaped) when the address is not a plain http(s) URL."""
    if not url or not _SAFE_URL.match(url):
        return html.escape(text)
    return (f"<a href=\"{html.escape(url, quote=True)}\" rel=\"noopener\">"
            f"{html.escape(text)}</a>")


def in_book_link_html(text: str, target: str) -> str:
    """A link within the book (``#anchor`` or ``page.html#anchor``); anything else is refused."""
    if not _IN_BOOK_LINK.match(target):
        raise ValueError(f"{target!r} is not a link within the book")
    return f"<a href=\"{html.escape(target, quote=True)}\">{html.escape(text)}</a>"


@dataclass(frozen=True)
class _Markup:
    """A cell that renders itself as HTML from escaped parts (Styler escapes only text cells)."""

    markup: str


@dataclass(frozen=True)
class Table:
    """A table for the page, sortable by column, with its CSV and source line; one way to draw
    every table of the book, on pandas' Styler (``format(escape="html")``: every text cell is
    escaped; links, badges and line breaks are built from escaped parts).

    ``formats`` maps a column to a format spec (``",.0f"``); ``links`` pairs a text column with
    its address column (http(s) links open the source; ``in_book`` ones link to a section and
    must be ``#anchor`` or ``page.html#anchor``); the address column is dropped from the page and
    kept in the CSV. ``pages`` maps a text column to ``{cell text: page.html#anchor}``: those
    cells link to a page of the book (an Ally's name to its profile), the others stay text, and
    the CSV keeps the text alone. ``badges`` columns show verdicts as badges; in ``breaks``
    columns each ``separator`` starts a new bulleted line; ``hidden`` columns are in the CSV
    only."""

    element_id: str
    frame: pd.DataFrame
    csv_name: str
    source: str
    caption: str
    sortable: bool = True
    formats: tuple[tuple[str, str], ...] = ()
    links: tuple[tuple[str, str], ...] = ()
    in_book: bool = False
    badges: tuple[str, ...] = ()
    breaks: tuple[str, ...] = ()
    separator: str = "; "
    hidden: tuple[str, ...] = ()
    pages: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()

    def _shown(self) -> pd.DataFrame:
        shown = self.frame.copy()
        for col, targets in self.pages:
            where = dict(targets)
            shown[col] = [_Markup(in_book_link_html(str(v), where[str(v)])) if str(v) in where
                          else v for v in shown[col]]
        for col in self.breaks:
            shown[col] = [_Markup("\u2022 " + "<br>\u2022 ".join(
                html.escape(part) for part in str(v).split(self.separator)))
                if self.separator in str(v) else v for v in shown[col]]
        for col in self.badges:
            shown[col] = [_Markup(badge_html(str(v))) for v in shown[col]]
        make = in_book_link_html if self.in_book else link_html
        for text_col, url_col in self.links:
            shown[text_col] = [_Markup(make(str(text), str(url)))
                               for text, url in zip(shown[text_col], shown[url_col], strict=True)]
        return shown.drop(columns=[u for _, u in self.links] + list(self.hidden))

    def html(self) -> str:
        shown = self._shown()
        fmts = dict(self.formats)

        def cell(fmt: str | None, is_float: bool):
            def render(v: Any) -> str:
                if isinstance(v, _Markup):
                    return v.markup
                if fmt and isinstance(v, (int, float)) and not isinstance(v, bool):
                    return format(v, fmt).replace("-", "\u2212")
                if is_float and isinstance(v, float):
                    return f"{v:,.2f}"
                return str(v)  # text arrives here escaped by the Styler
            return render

        formatter = {c: cell(fmts.get(c), pd.api.types.is_float_dtype(shown[c]))
                     for c in shown.columns}
        styler = (shown.style.hide(axis="index")
                  .format(formatter, escape="html", na_rep="–")
                  .format_index(escape="html", axis=1))
        classes = " ".join(["dataframe", "report-table"]
                           + (["report-sortable"] if self.sortable else []))
        body = styler.to_html(exclude_styles=True).replace(
            "<table>", f"<table id=\"{html.escape(self.element_id, quote=True)}\" "
                       f"class=\"{classes}\">", 1)
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
          sortable: bool = True, formats: dict[str, str] | None = None,
          pages: dict[str, dict[str, str]] | None = None, **options: Any) -> Table:
    """Publish a table and the CSV of exactly its rows and columns (unformatted numbers).

    ``formats`` maps a column to a format spec for the page (``",.0f"``, ``"+.0f"``); ``pages``
    maps a text column to the pages of the book its cells link to (``{"Ally": {"Poland":
    "ally-pol.html#chapter-ally-pol"}}``; see :class:`Table`).
    """
    unknown = sorted(set(pages or {}) - set(frame.columns))
    if unknown:
        raise KeyError(f"table {key!r}: no column {', '.join(unknown)} to link to pages")
    linked = tuple((col, tuple(sorted(t.items()))) for col, t in sorted((pages or {}).items()))
    eid = stable_id(key).replace("chart-", "table-", 1)
    csv_name = f"{eid}.csv"
    write_csv(frame, asset_dir() / csv_name)
    datapackage.write_resource(asset_dir(), datapackage.resource(
        frame, csv_name=csv_name, title=caption, source=source, chapter=chapter_name()))
    return Table(eid, frame.reset_index(drop=True), csv_name, f"{source}. {OWN_CALCULATIONS}",
                 caption, sortable, tuple(sorted((formats or {}).items())), pages=linked,
                 **options)


# --------------------------------------------------------------------------- claims chapter
# Verdicts as badges: the word is always printed (colour is never the only cue) and each verdict's
# colour (book_static/report.css) has at least 4.5:1 contrast against the badge's white text.

#: The CSS class of each verdict's badge (the verdicts of analysis.calc.claims.VERDICTS).
VERDICT_CLASSES: dict[str, str] = {
    "supported": "report-badge-supported",
    "partly supported": "report-badge-partly",
    "not supported": "report-badge-not",
    "cannot be checked with open data": "report-badge-unchecked",
}


def badge_html(verdict: str) -> str:
    """A verdict as a badge: ``<span class='report-badge ...'>verdict</span>``."""
    if verdict not in VERDICT_CLASSES:
        raise ValueError(f"{verdict!r} is not a verdict ({', '.join(VERDICT_CLASSES)})")
    return f"<span class='report-badge {VERDICT_CLASSES[verdict]}'>{html.escape(verdict)}</span>"


@dataclass(frozen=True)
class Badge:
    """A verdict to glue and paste inline with ``{glue}`key```."""

    verdict: str

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": badge_html(self.verdict), "text/plain": self.verdict}


@dataclass(frozen=True)
class Linked:
    """Prose naming pages of the book: ``parts`` are (text, address) pairs, the address of a page
    of the book (``ally-pol.html#chapter-ally-pol``, as :func:`in_book_link_html` takes it) or ""
    for plain text. Glued, it pastes with ``{glue}`key``` as escaped text and links."""

    parts: tuple[tuple[str, str], ...]

    def text(self) -> str:
        return "".join(t for t, _ in self.parts)

    def html(self) -> str:
        return "".join(in_book_link_html(t, a) if a else html.escape(t) for t, a in self.parts)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": self.html(), "text/plain": self.text()}


def badge_table(key: str, frame: pd.DataFrame, *, source: str, caption: str,
                badges: tuple[str, ...], links: tuple[tuple[str, str], ...] = (),
                sortable: bool = True, formats: dict[str, str] | None = None) -> Table:
    """Publish a table (CSV of every column) with verdict badges and links within the book."""
    return table(key, frame, source=source, caption=caption, sortable=sortable, formats=formats,
                 badges=tuple(badges), links=tuple(links), in_book=True)
