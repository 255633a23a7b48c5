"""One theme and the chart builders. Builders encode a tidy frame they are given; they never
compute (aggregate in the analysis modules first), so that the CSV published beside a chart is
exactly the data it draws.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

#: Okabe-Ito: distinguishable with the common colour-vision deficiencies, dark enough on white.
PALETTE: list[str] = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
                      "#000000", "#999999"]
HIGHLIGHT = "#D55E00"  # Türkiye wherever it is picked out
MUTED = "#9a9a9a"
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
WIDTH = 620
HEIGHT = 320


def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            "view": {"stroke": None, "continuousWidth": WIDTH, "continuousHeight": HEIGHT},
            "range": {"category": PALETTE},
            "title": {"anchor": "start", "fontSize": 15, "subtitleFontSize": 12,
                      "subtitleColor": "#444444", "offset": 10},
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "gridColor": "#e6e6e6",
                     "labelColor": "#333333", "titleColor": "#333333"},
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom", "labelLimit": 0},
            "line": {"strokeWidth": 2},
            "background": "white",
        }
    }


alt.theme.register("report", enable=True)(_theme)


def title(text: str, subtitle: str | Sequence[str]) -> alt.Title:
    """Every chart states what it shows and its unit and price base in the subtitle."""
    return alt.Title(text, subtitle=list(subtitle) if not isinstance(subtitle, str) else subtitle)


def bar_by_period(data: pd.DataFrame, *, x: str, y: str, x_title: str, y_title: str,
                  heading: alt.Title, highlight: str | None = None, y_format: str = ",.0f",
                  tooltip_unit: str = "") -> alt.Chart:
    """Vertical bars, one per period (years or windows), with value tooltips."""
    colour = (alt.condition(alt.datum[x] == highlight, alt.value(HIGHLIGHT), alt.value(PALETTE[0]))
              if highlight else alt.value(PALETTE[0]))
    return (
        alt.Chart(data, title=heading, width=WIDTH, height=HEIGHT)
        .mark_bar()
        .encode(
            x=alt.X(f"{x}:O", title=x_title, axis=alt.Axis(labelAngle=0, labelOverlap="parity")),
            y=alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=y_format)),
            color=colour,
            tooltip=[alt.Tooltip(f"{x}:O", title=x_title),
                     alt.Tooltip(f"{y}:Q", title=f"{y_title}{tooltip_unit}", format=y_format)],
        )
    )


def line_by_year(data: pd.DataFrame, *, x: str, y: str, series: str | None, x_title: str,
                 y_title: str, heading: alt.Title, y_format: str = ",.1f",
                 rules: pd.DataFrame | None = None, dashed_if: str | None = None) -> alt.Chart:
    """Lines over years, optionally with labelled horizontal reference lines (``rules`` has
    columns ``value`` and ``label``) and dashed segments for estimates (``dashed_if``)."""
    enc: dict = {
        "x": alt.X(f"{x}:O", title=x_title, axis=alt.Axis(labelAngle=0)),
        "y": alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=y_format)),
        "tooltip": [alt.Tooltip(f"{x}:O", title=x_title),
                    alt.Tooltip(f"{y}:Q", title=y_title, format=y_format)],
    }
    if series:
        enc["color"] = alt.Color(f"{series}:N", title=None)
        enc["tooltip"].insert(0, alt.Tooltip(f"{series}:N"))
    if dashed_if:
        enc["strokeDash"] = alt.StrokeDash(f"{dashed_if}:N", title=None)
    base = alt.Chart(data, width=WIDTH, height=HEIGHT).mark_line(point=True).encode(**enc)
    if rules is None:
        return base.properties(title=heading)
    rule = alt.Chart(rules).mark_rule(strokeDash=[4, 3], color="#555555").encode(y="value:Q")
    label = alt.Chart(rules).mark_text(align="left", dx=4, dy=-6, color="#333333").encode(
        y="value:Q", text="label:N", x=alt.value(0))
    return alt.layer(base, rule, label, title=heading)
