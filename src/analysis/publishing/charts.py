"""One theme and the chart builders, grouped by kind of chart (lines, bars, dots, grids and
lanes), not by chapter. Builders encode a tidy frame they are given; they never compute (aggregate
in the analysis modules first), so that the CSV published beside a chart is exactly the data it
draws.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

#: Okabe-Ito, kept to the colours with at least 3:1 contrast on white (WCAG 2.1 SC 1.4.11): its
#: orange (2.2:1) and yellow (1.3:1) are left out, sky blue and grey are darkened to pass. Every
#: pair stays distinct under simulated protanopia, deuteranopia and tritanopia; both properties
#: are tested (tests/test_book.py), and figures.figure() refuses a chart drawn in a colour below.
PALETTE: list[str] = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000", "#1D99E0",
                      "#767676"]
HIGHLIGHT = "#D55E00"  # Türkiye wherever it is picked out
MUTED = "#8C8C8C"  # context beside the highlight; 3.4:1 on white
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
            # a narrow chart (report.js draws each at its column's width) drops every other
            # label along x rather than letting years run into each other
            "axisX": {"labelOverlap": "parity", "labelSeparation": 4},
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom", "labelLimit": 0},
            "line": {"strokeWidth": 2},
            "background": "white",
        }
    }


alt.theme.register("report", enable=True)(_theme)


def title(text: str, subtitle: str | Sequence[str]) -> alt.Title:
    """Every chart states what it shows and its unit and price base in the subtitle."""
    return alt.Title(text, subtitle=list(subtitle) if not isinstance(subtitle, str) else subtitle)


# --------------------------------------------------------------------------- helpers


def _js(value: str | None) -> str:
    """A string literal for a Vega expression."""
    import json

    return json.dumps(value)


def _bold_if(value: str | None) -> alt.ExprRef | str:
    """An axis label weight: bold for the one label equal to ``value``."""
    import json

    return alt.ExprRef(f"datum.value === {json.dumps(value)} ? 'bold' : 'normal'") if value else "normal"


#: How every reference line looks (a pledge, a guideline, a claimed value): one style, one helper.
REFERENCE_DASH = [5, 3]
REFERENCE_COLOUR = "#444444"
REFERENCE_TEXT = "#222222"


def reference_lines(rules: pd.DataFrame, *, across: str = "y",
                    outside_at: int | None = None) -> list[alt.Chart]:
    """Dashed reference lines at ``rules["value"]``, each labelled with ``rules["label"]``:
    horizontal lines (``across="y"``) or vertical ones (``across="x"``). Labels sit at the start of
    the line inside the plot, or, with ``outside_at`` (the plot's width in pixels), just outside
    its right edge, where no data line can run over them."""
    along = "x" if across == "y" else "y"
    rule = alt.Chart(rules).mark_rule(strokeDash=REFERENCE_DASH, color=REFERENCE_COLOUR).encode(
        **{across: "value:Q"}, tooltip=[alt.Tooltip("label:N", title="Reference line")])
    if outside_at is not None:
        text = alt.Chart(rules).mark_text(align="left", baseline="middle", dx=6,
                                          color=REFERENCE_TEXT, fontSize=11)
        return [rule, text.encode(**{across: "value:Q"}, text="label:N",
                                  **{along: alt.value(outside_at)})]
    text = alt.Chart(rules).mark_text(align="left", dx=4, dy=-6, color=REFERENCE_TEXT)
    return [rule, text.encode(**{across: "value:Q"}, text="label:N", **{along: alt.value(0)})]


# --------------------------------------------------------------------------- lines


def line_by_year(data: pd.DataFrame, *, x: str, y: str, series: str | None, x_title: str,
                 y_title: str, heading: alt.Title, y_format: str = ",.1f",
                 dashed_if: str | None = None) -> alt.Chart:
    """Lines over years, with dashed segments for estimates (``dashed_if``)."""
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
    return base.properties(title=heading)


def lines_with_gaps(data: pd.DataFrame, *, x: str, y: str, series: str, segment: str,
                    series_order: Sequence[str], x_title: str, y_title: str, heading: alt.Title,
                    y_format: str = ",.0f", tooltip_unit: str = "",
                    extra_tooltips: Sequence[tuple[str, str]] = ()) -> alt.Chart:
    """One line per series, broken where a series has no value (``segment`` numbers each run of
    consecutive years), with a point on every value so that single years show."""
    tips = [alt.Tooltip(f"{series}:N", title="Series"), alt.Tooltip(f"{x}:O", title=x_title),
            alt.Tooltip(f"{y}:Q", title=f"{y_title}{tooltip_unit}", format=y_format)]
    tips += [alt.Tooltip(f"{f}:N", title=t) for f, t in extra_tooltips]
    years = list(range(int(data[x].min()), int(data[x].max()) + 1))
    return (
        alt.Chart(data, title=heading, width=WIDTH, height=HEIGHT)
        .mark_line(point=alt.OverlayMarkDef(size=40, filled=True))
        .encode(
            x=alt.X(f"{x}:O", title=x_title, scale=alt.Scale(domain=years),
                    axis=alt.Axis(labelAngle=0, labelOverlap="parity")),
            y=alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=y_format)),
            color=alt.Color(f"{series}:N", title=None, sort=list(series_order),
                            scale=alt.Scale(domain=list(series_order),
                                            range=PALETTE[:len(series_order)])),
            detail=alt.Detail(f"{segment}:N"),
            tooltip=tips,
        )
    )


def lines_in_panels(data: pd.DataFrame, *, x: str, y: str, series: str, series_order: Sequence[str],
                    panel: str, panel_order: Sequence[str], x_title: str, y_title: str,
                    heading: alt.Title, y_format: str = ",.1f", tooltip_unit: str = "",
                    independent_y: bool = False, zero_rule: bool = False) -> alt.FacetChart:
    """Small multiples: one panel per ``panel`` value, one coloured line per ``series``; series
    never share a line, so two definitions or sources stay two series."""
    tips = [alt.Tooltip(f"{panel}:N", title="Panel"), alt.Tooltip(f"{series}:N", title="Series"),
            alt.Tooltip(f"{x}:O", title=x_title),
            alt.Tooltip(f"{y}:Q", title=f"{y_title}{tooltip_unit}", format=y_format)]
    lines = alt.Chart().mark_line(point=True).encode(
        x=alt.X(f"{x}:O", title=x_title, axis=alt.Axis(labelAngle=-45)),
        y=alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=y_format)),
        color=alt.Color(f"{series}:N", title=None, sort=list(series_order),
                        scale=alt.Scale(domain=list(series_order),
                                        range=[PALETTE[0], PALETTE[2], PALETTE[3], PALETTE[4]][
                                            :len(series_order)])),
        tooltip=tips,
    )
    layers: list[alt.Chart] = [lines]
    if zero_rule:
        layers.insert(0, alt.Chart().mark_rule(color="#777777").encode(y=alt.datum(0)))
    chart = alt.layer(*layers, data=data).properties(width=(WIDTH - 60) // len(panel_order),
                                                     height=HEIGHT - 40)
    out = chart.facet(column=alt.Column(f"{panel}:N", title=None, sort=list(panel_order),
                                        header=alt.Header(labelFontSize=12, labelFontWeight="bold")),
                      title=heading)
    return out.resolve_scale(y="independent") if independent_y else out


def shares_against_lines(data: pd.DataFrame, *, x: str, y: str, series: str, highlight: Sequence[str],
                         rules: pd.DataFrame, x_title: str, y_title: str, heading: alt.Title,
                         y_format: str = ",.1f", tooltip_unit: str = "",
                         series_title: str = "Country") -> alt.LayerChart:
    """Every series as a thin grey line, the ``highlight`` series in colour, and labelled
    reference lines (``rules``: columns ``value`` and ``label``) drawn separately."""
    tips = [alt.Tooltip(f"{series}:N", title=series_title), alt.Tooltip(f"{x}:O", title=x_title),
            alt.Tooltip(f"{y}:Q", title=f"{y_title}{tooltip_unit}", format=y_format)]
    x_enc = alt.X(f"{x}:O", title=x_title, axis=alt.Axis(labelAngle=0))
    y_enc = alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=y_format),
                  scale=alt.Scale(domain=[0, max(float(data[y].max()), float(rules["value"].max())) * 1.05]))
    base = alt.Chart(data)
    everyone = base.mark_line(strokeWidth=1, color=MUTED, opacity=0.6).encode(
        x=x_enc, y=y_enc, detail=alt.Detail(f"{series}:N"), tooltip=tips)
    dots = base.mark_circle(size=18, color=MUTED, opacity=0.6).encode(x=x_enc, y=y_enc,
                                                                          tooltip=tips)
    picked = base.transform_filter(alt.FieldOneOfPredicate(field=series, oneOf=list(highlight)))
    colours = [HIGHLIGHT, PALETTE[0], PALETTE[2], PALETTE[3]][:len(highlight)]
    lines = picked.mark_line(point=True, strokeWidth=2.5).encode(
        x=x_enc, y=y_enc, tooltip=tips,
        color=alt.Color(f"{series}:N", title=None, sort=list(highlight),
                        scale=alt.Scale(domain=list(highlight), range=colours)))
    plot_width = WIDTH - 150  # room for the reference-line labels on the right
    return alt.layer(everyone, dots, lines, *reference_lines(rules, outside_at=plot_width),
                     title=heading).properties(width=plot_width, height=HEIGHT + 60)


def shares_in_panels(data: pd.DataFrame, *, x: str, y: str, series: str,
                     series_order: Sequence[str], highlight: Sequence[str], rules: pd.DataFrame,
                     x_labels: Sequence[str], x_title: str, y_title: str, heading: alt.Title,
                     y_format: str = ",.1f", tooltip_unit: str = "", series_title: str = "Country",
                     columns: int = 4) -> alt.FacetChart:
    """Small multiples: one small panel per series (``series_order``: the panels' reading order),
    each with its own line, so that every series can be read and named (``highlight``: the
    series whose line is drawn in the highlight colour). The reference values
    (``rules``: columns ``value`` and ``label``) are dashed lines in every panel and the y axis's
    only labels, so each line is named where it is drawn; the x axis labels only ``x_labels``
    (the first and last years, say). report.js lowers ``columns`` to what a narrow screen holds."""
    tips = [alt.Tooltip(f"{series}:N", title=series_title), alt.Tooltip(f"{x}:O", title=x_title),
            alt.Tooltip(f"{y}:Q", title=f"{y_title}{tooltip_unit}", format=y_format)]
    top = max(float(data[y].max()), float(rules["value"].max())) * 1.08
    x_enc = alt.X(f"{x}:O", title=None, axis=alt.Axis(values=list(x_labels), labelAngle=0,
                                                         labelOverlap=False, ticks=False,
                                                         labelFlush=True))
    y_enc = alt.Y(f"{y}:Q", title=None, scale=alt.Scale(domain=[0, top]),
                  axis=alt.Axis(values=[float(v) for v in rules["value"]], format=y_format,
                                grid=False, ticks=False, domain=False, labelOverlap=False,
                                tickCount=10))  # Vega thins given values to its tick count
    picked = alt.FieldOneOfPredicate(field=series, oneOf=list(highlight))
    line = alt.Chart().mark_line(point=alt.OverlayMarkDef(size=14, filled=True), strokeWidth=1.8
                                 ).encode(
        x=x_enc, y=y_enc, tooltip=tips,
        color=alt.condition(picked, alt.value(HIGHLIGHT), alt.value(PALETTE[0])))
    # one rule per panel and value (the first x label's row carries it), labelled by the y axis
    guides = [alt.Chart().mark_rule(strokeDash=REFERENCE_DASH, color=REFERENCE_COLOUR,
                                    strokeWidth=0.8)
              .transform_filter(alt.datum[x] == x_labels[0]).encode(y=alt.datum(float(v)))
              for v in rules["value"]]
    header = alt.Header(labelFontSize=11, labelAnchor="start", labelPadding=2,
                        labelColor="#222222")
    return (alt.layer(line, *guides, data=data)
            .properties(width=110, height=72)
            .facet(facet=alt.Facet(f"{series}:N", title=None, sort=list(series_order), header=header),
                   columns=columns, spacing={"row": 8, "column": 18}, title=heading)
            .properties(title=heading))


def share_against_claim(data: pd.DataFrame, *, x: str, y: str, x_title: str, y_title: str,
                        heading: alt.Title, rules: pd.DataFrame, y_format: str = ",.1f") -> alt.LayerChart:
    """A share over years (line with points) against the claimed values as labelled dashed
    horizontal lines (``rules``: columns ``value`` and ``label``). The axis starts near the data,
    not at zero, so that a few points' distance from the claim can be read; its title says %."""
    lowest = min(float(data[y].min()), float(rules["value"].min()))
    highest = max(float(data[y].max()), float(rules["value"].max()))
    scale = alt.Scale(domain=[5 * (lowest // 5) - 5, 5 * (highest // 5) + 5], zero=False)
    line = alt.Chart(data).mark_line(point=True, color=PALETTE[0]).encode(
        x=alt.X(f"{x}:O", title=x_title, axis=alt.Axis(labelAngle=0), sort=list(data[x])),
        y=alt.Y(f"{y}:Q", title=y_title, scale=scale, axis=alt.Axis(format=y_format)),
        tooltip=[alt.Tooltip(f"{x}:O", title=x_title),
                 alt.Tooltip(f"{y}:Q", title=y_title, format=y_format)],
    )
    return alt.layer(line, *reference_lines(rules), title=heading).properties(width=WIDTH - 80, height=HEIGHT - 60)


# --------------------------------------------------------------------------- bars


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


def ranked_bars(data: pd.DataFrame, *, x: str, y: str, x_title: str, y_title: str,
                heading: alt.Title, highlight: str | None = None, x_format: str = ",.1f",
                tooltip_unit: str = "", extra_tooltips: Sequence[tuple[str, str, str]] = ()
                ) -> alt.Chart:
    """Horizontal bars in the order of the rows given (largest first), one highlighted.

    ``extra_tooltips`` adds (field, title, format) triples, for example the TIV behind a share.
    """
    colour = (alt.condition(alt.datum[y] == highlight, alt.value(HIGHLIGHT), alt.value(PALETTE[0]))
              if highlight else alt.value(PALETTE[0]))
    tips = [alt.Tooltip(f"{y}:N", title=y_title),
            alt.Tooltip(f"{x}:Q", title=f"{x_title}{tooltip_unit}", format=x_format)]
    tips += [alt.Tooltip(f"{f}:Q", title=t, format=fmt) for f, t, fmt in extra_tooltips]
    return (
        alt.Chart(data, title=heading, width=WIDTH - 120, height=max(16 * len(data), 120))
        .mark_bar()
        .encode(
            y=alt.Y(f"{y}:N", title=None, sort=list(data[y])),
            x=alt.X(f"{x}:Q", title=x_title, axis=alt.Axis(format=x_format)),
            color=colour,
            tooltip=tips,
        )
    )


def stacked_bars_by_period(data: pd.DataFrame, *, x: str, y: str, colour: str,
                           colour_order: Sequence[str], x_title: str, y_title: str,
                           heading: alt.Title, y_format: str = ",.0f", tooltip_unit: str = "",
                           share: str | None = None) -> alt.Chart:
    """Vertical bars per period, stacked by a category in a fixed order (``colour_order``);
    ``share`` names a column of per-cent shares shown in the tooltip."""
    tips = [alt.Tooltip(f"{x}:O", title=x_title), alt.Tooltip(f"{colour}:N", title="Group"),
            alt.Tooltip(f"{y}:Q", title=f"{y_title}{tooltip_unit}", format=y_format)]
    if share:
        tips.append(alt.Tooltip(f"{share}:Q", title="Share of the period (%)", format=",.1f"))
    return (
        alt.Chart(data, title=heading, width=WIDTH, height=HEIGHT)
        .mark_bar()
        .encode(
            x=alt.X(f"{x}:O", title=x_title, axis=alt.Axis(labelAngle=0)),
            y=alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=y_format)),
            color=alt.Color(f"{colour}:N", title=None, sort=list(colour_order),
                            scale=alt.Scale(domain=list(colour_order),
                                            range=[HIGHLIGHT, PALETTE[0], MUTED][:len(colour_order)]
                                            if len(colour_order) <= 3 else PALETTE)),
            tooltip=tips,
        )
    )


def grouped_bars(data: pd.DataFrame, *, x: str, y: str, group: str, group_order: Sequence[str],
                 x_title: str, heading: alt.Title, highlight: str | None = None,
                 x_format: str = ",.1f", tooltip_format: str = ",.2f", tooltip_unit: str = "",
                 extra_tooltips: Sequence[tuple[str, str, str]] = ()) -> alt.Chart:
    """Horizontal bars, one per row category (``y``, in the order given) and period (``group``,
    side by side); the highlighted category's label is bold. Tooltips show ``x`` more precisely
    (``tooltip_format``) than the axis, so that a small share does not read as zero."""
    tips = [alt.Tooltip(f"{y}:N", title="Supplier"), alt.Tooltip(f"{group}:N", title="Period"),
            alt.Tooltip(f"{x}:Q", title=f"{x_title}{tooltip_unit}", format=tooltip_format)]
    tips += [alt.Tooltip(f"{f}:Q", title=t, format=fmt) for f, t, fmt in extra_tooltips]
    order = list(dict.fromkeys(data[y]))
    axis = alt.Axis(labelFontWeight=alt.ExprRef(
        f"datum.value === {_js(highlight)} ? 'bold' : 'normal'") if highlight else "normal")
    return (
        alt.Chart(data, title=heading, width=WIDTH - 120)
        .mark_bar()
        .encode(
            y=alt.Y(f"{y}:N", title=None, sort=order, axis=axis),
            yOffset=alt.YOffset(f"{group}:N", sort=list(group_order)),
            x=alt.X(f"{x}:Q", title=x_title, axis=alt.Axis(format=x_format)),
            color=alt.Color(f"{group}:N", title=None, sort=list(group_order),
                            scale=alt.Scale(domain=list(group_order),
                                            range=[MUTED, PALETTE[0]] if len(group_order) == 2
                                            else PALETTE)),
            tooltip=tips,
        )
        .properties(height=alt.Step(12))
    )


def bar_by_category(data: pd.DataFrame, *, category: str, value: str, value_title: str,
                    heading: alt.Title, highlight: str, value_format: str = ",.0f",
                    extra_tooltips: Sequence[tuple[str, str, str]] = (),
                    category_title: str = "Country") -> alt.Chart:
    """Horizontal bars, one per category in the frame's order; the row whose ``highlight`` column
    is true is picked out in the highlight colour. ``extra_tooltips``: (field, title, format) of
    further numbers to show on hover; ``category_title`` names the categories in the tooltip."""
    return (
        alt.Chart(data, title=heading, width=WIDTH - 140)
        .mark_bar()
        .encode(
            y=alt.Y(f"{category}:N", title=None, sort=list(data[category])),
            x=alt.X(f"{value}:Q", title=value_title,
                    axis=alt.Axis(format=value_format, tickCount=5, labelOverlap=True)),
            color=alt.condition(alt.datum[highlight], alt.value(HIGHLIGHT), alt.value(PALETTE[0])),
            tooltip=[alt.Tooltip(f"{category}:N", title=category_title),
                     alt.Tooltip(f"{value}:Q", title=value_title, format=value_format),
                     *[alt.Tooltip(f"{f}:Q", title=t, format=fmt) for f, t, fmt in extra_tooltips]],
        )
    )


def bars_against_guideline(data: pd.DataFrame, *, category: str, value: str, meets: str,
                           guideline: float, guideline_label: str, value_title: str,
                           heading: alt.Title, highlight: str | None = None,
                           value_format: str = ",.1f") -> alt.LayerChart:
    """Horizontal bars in the frame's order, coloured by whether each meets a guideline (boolean
    column ``meets``), with the guideline as a labelled vertical line."""
    bars = alt.Chart(data).mark_bar().encode(
        y=alt.Y(f"{category}:N", title=None, sort=list(data[category]),
                axis=alt.Axis(labelFontWeight=_bold_if(highlight))),
        x=alt.X(f"{value}:Q", title=value_title, axis=alt.Axis(format=value_format)),
        color=alt.Color(f"{meets}:N", title=None,
                        scale=alt.Scale(domain=[True, False], range=[PALETTE[0], MUTED]),
                        legend=alt.Legend(labelExpr=(f"datum.value ? 'at or above {guideline:g}%'"
                                                     f" : 'below {guideline:g}%'"))),
        tooltip=[alt.Tooltip(f"{category}:N", title="Country"),
                 alt.Tooltip(f"{value}:Q", title=value_title, format=value_format)],
    )
    line = pd.DataFrame({"value": [guideline], "label": [guideline_label]})
    return alt.layer(bars, *reference_lines(line, across="x"), title=heading).properties(width=WIDTH - 160,
                                                                  height=alt.Step(15))


# --------------------------------------------------------------------------- dots


def estimate_dots(data: pd.DataFrame, *, x: str, y: str, colour: str, colour_order: Sequence[str],
                  x_title: str, heading: alt.Title, tooltips: Sequence[tuple[str, str, str]],
                  reference: pd.DataFrame | None = None, x_format: str = ",.1f") -> alt.Chart | alt.LayerChart:
    """One dot per estimate (row), never joined: the estimates measure different things. Colour
    and shape both mark ``colour`` (so colour is not the only cue); ``reference`` (columns
    ``value`` and ``label``) adds labelled vertical lines. ``tooltips``: (field, title, format),
    format "" for text."""
    scale = alt.Scale(domain=list(colour_order), range=PALETTE[:len(colour_order)])
    dots = alt.Chart(data).mark_point(size=110, filled=True, opacity=0.9).encode(
        x=alt.X(f"{x}:Q", title=x_title, axis=alt.Axis(format=x_format),
                scale=alt.Scale(zero=True)),
        y=alt.Y(f"{y}:N", title=None, sort=list(data[y]), axis=alt.Axis(labelLimit=330)),
        color=alt.Color(f"{colour}:N", title=None, scale=scale),
        shape=alt.Shape(f"{colour}:N", title=None, scale=alt.Scale(domain=list(colour_order))),
        tooltip=[alt.Tooltip(f"{f}:{'Q' if fmt else 'N'}", title=t, **({"format": fmt} if fmt else {}))
                 for f, t, fmt in tooltips],
    )
    if reference is None:
        return dots.properties(title=heading, width=WIDTH - 300, height=alt.Step(28))
    return alt.layer(dots, *reference_lines(reference, across="x"), title=heading).properties(width=WIDTH - 300,
                                                                  height=alt.Step(28))



def range_of_estimates(data: pd.DataFrame, *, x: str, y: str, low: str, high: str,
                       x_title: str, heading: alt.Title, tooltips: Sequence[tuple[str, str, str]],
                       reference: pd.DataFrame | None = None,
                       x_format: str = ",.1f") -> alt.LayerChart:
    """A range drawn as a band from ``low`` to ``high`` (the same on every row: the range the
    estimates span), one dot per estimate (row) on it, and ``reference`` (columns ``value`` and
    ``label``) as labelled vertical lines, e.g. the latest measured value. ``tooltips``: (field,
    title, format), format "" for text."""
    x_enc = alt.X(f"{x}:Q", title=x_title, axis=alt.Axis(format=x_format),
                  scale=alt.Scale(zero=True))
    y_enc = alt.Y(f"{y}:N", title=None, sort=list(data[y]), axis=alt.Axis(labelLimit=330))
    tips = [alt.Tooltip(f"{f}:{'Q' if fmt else 'N'}", title=t, **({"format": fmt} if fmt else {}))
            for f, t, fmt in tooltips]
    band = alt.Chart(data).mark_bar(color=PALETTE[5], opacity=0.25, height=14).encode(
        x=alt.X(f"{low}:Q"), x2=alt.X2(f"{high}:Q"), y=y_enc, tooltip=tips)
    dots = alt.Chart(data).mark_point(size=120, filled=True, color=HIGHLIGHT).encode(
        x=x_enc, y=y_enc, tooltip=tips)
    lines = reference_lines(reference, across="x") if reference is not None else []
    return alt.layer(band, dots, *lines, title=heading).properties(width=WIDTH - 260,
                                                                   height=alt.Step(34))


# --------------------------------------------------------------------------- grids and lanes


def heatmap(data: pd.DataFrame, *, x: str, y: str, colour: str, colour_order: Sequence[str],
            colour_range: Sequence[str], text: str, y_order: Sequence[str], x_title: str,
            heading: alt.Title, value: str, value_title: str, value_format: str = ",.2f",
            highlight: str | None = None) -> alt.LayerChart:
    """Rows of cells (``y`` down, ``x`` across) coloured by a category, each with its value as
    dark text (so ``colour_range`` must be mid-tones: 3:1 on white and readable under black
    text); the row ``highlight`` is bold. Gaps between cells come from band padding."""
    tips = [alt.Tooltip(f"{y}:N", title="Country"), alt.Tooltip(f"{x}:O", title=x_title),
            alt.Tooltip(f"{value}:Q", title=value_title, format=value_format),
            alt.Tooltip(f"{colour}:N", title="Band")]
    base = alt.Chart(data).encode(
        x=alt.X(f"{x}:O", title=x_title, scale=alt.Scale(paddingInner=0.08),
                axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y(f"{y}:N", title=None, sort=list(y_order), scale=alt.Scale(paddingInner=0.08),
                axis=alt.Axis(labelFontWeight=_bold_if(highlight))),
        tooltip=tips,
    )
    cells = base.mark_rect().encode(
        color=alt.Color(f"{colour}:N", title=None, sort=list(colour_order),
                        scale=alt.Scale(domain=list(colour_order), range=list(colour_range))))
    labels = base.mark_text(fontSize=11, color="#111111").encode(text=alt.Text(f"{text}:N"))
    return alt.layer(cells, labels, title=heading).properties(width=WIDTH - 120,
                                                              height=alt.Step(17))


def timeline_lanes(data: pd.DataFrame, *, lanes: Sequence[str], heading: alt.Title,
                   width: int = WIDTH - 340, label: str = "label") -> alt.VConcatChart:
    """Dated events, annotated and laned: one band per lane (``lane``, in the order of ``lanes``,
    its name written above it from the left edge), one row per event inside it, named by
    ``label`` (its date and what happened, cut to the room left of the plot: the whole text is in
    the tooltip and the table beside the chart). Each event is drawn at the precision its source
    gives: a dot for a day (``date_precision`` 'day'), a bar across the month or year otherwise
    (``start`` to ``end``). Tooltips carry the event, its value with unit and its source; a click
    opens the source (``source_url``). The years are written above the first band only; every
    band keeps their grid."""
    precision_scale = alt.Scale(domain=["day", "month", "year"], range=PALETTE[:3])
    y = alt.Y(f"{label}:N", title=None, sort=alt.EncodingSortField("start", order="ascending"),
              axis=alt.Axis(labelLimit=300, labelFontSize=11, ticks=False, domain=False,
                            labelPadding=6))
    tooltip = [
        alt.Tooltip("date:N", title="Date"),
        alt.Tooltip("date_precision:N", title="Date known to the"),
        alt.Tooltip("event:N", title="Event"),
        alt.Tooltip("value_label:N", title="Value (unit)"),
        alt.Tooltip("category:N", title="Category"),
        alt.Tooltip("source_title:N", title="Source"),
        alt.Tooltip("source_date:N", title="Source dated"),
        alt.Tooltip("source_url:N", title="Address (click the mark to open)"),
    ]
    colour = alt.Color("date_precision:N", title="Date known to the", scale=precision_scale)

    def band(lane: str, first: bool) -> alt.LayerChart:
        axis = (alt.Axis(format="%Y", tickCount="year", orient="top", grid=True,
                         labelOverlap="parity", labelFlush=False) if first else
                alt.Axis(format="%Y", tickCount="year", grid=True, labels=False, ticks=False,
                         domain=False))
        x = alt.X("start:T", title=None, scale=alt.Scale(nice="year"), axis=axis)
        base = alt.Chart(data).transform_filter(alt.datum.lane == lane).encode(
            y=y, color=colour, tooltip=tooltip, href="source_url:N")
        spans = base.transform_filter(alt.datum.date_precision != "day").mark_bar(
            height=9, opacity=0.8, cursor="pointer").encode(x=x, x2="end:T")
        dots = base.transform_filter(alt.datum.date_precision == "day").mark_circle(
            size=60, opacity=0.9, cursor="pointer").encode(x=x)
        return alt.layer(spans, dots).properties(
            width=width, height=alt.Step(17),
            title=alt.Title(lane, anchor="start", frame="bounds", fontSize=12, fontWeight="bold",
                            color="#222222", offset=4, subtitle=""))

    return (alt.vconcat(*[band(lane, i == 0) for i, lane in enumerate(lanes)], spacing=12,
                        title=heading)
            .resolve_scale(x="shared", y="independent"))


# --------------------------------------------------------------------------- what-if


def path_whatif(rows: pd.DataFrame, *, latest_year: int, growth_pct: float, growth_step: float,
                growth_below: int, growth_above: int, targets: Sequence[tuple[float, str]],
                target_year: int, target_year_range: tuple[int, int], group_order: Sequence[str],
                y_title: str, heading: alt.Title, scale: float = 1000.0) -> alt.LayerChart:
    """A path to a target share of GDP that the reader recomputes in the page: Vega-Lite
    parameters bound to inputs (real GDP growth, the target share, the target year) drive
    transforms of the embedded rows, one per country (``latest_share_pct``, ``gdp_latest``,
    ``group``). This is drawing from parameters, not analysis: the transforms are the straight
    line of :func:`analysis.calc.spending.path_to_target` written as Vega expressions, and at the
    default parameters the chart draws what the calculation computed (tested by rendering it).

    For each country and year from ``latest_year + 1`` to the target year: share = latest +
    (max(latest, target) - latest) x elapsed / span; extra = (share - latest) / 100 x GDP x
    (1 + growth / 100) ^ elapsed, divided by ``scale`` (US$ million to billion). Bars stack the
    groups; the text above them states the target year's extra, the sum over the path and the
    chosen target and growth (the inputs' own values are not shown: Vega prints them unrounded).

    The growth slider's grid is anchored on ``growth_pct`` (``growth_below`` steps below it,
    ``growth_above`` above), so that the default sits exactly on it."""
    growth = alt.param(name="growth", value=growth_pct, bind=alt.binding_range(
        min=growth_pct - growth_below * growth_step, max=growth_pct + growth_above * growth_step,
        step=growth_step, name="Real GDP growth (% a year) "))
    target = alt.param(name="target", value=targets[0][0], bind=alt.binding_radio(
        options=[t for t, _ in targets], labels=[label for _, label in targets],
        name="Target share of GDP "))
    year = alt.param(name="target_year", value=target_year, bind=alt.binding_range(
        min=target_year_range[0], max=target_year_range[1], step=1, name="Target year "))
    first = latest_year + 1
    base = (
        alt.Chart(rows)
        .transform_calculate(year=f"sequence({first}, target_year + 1)")
        .transform_flatten(["year"])
        .transform_calculate(
            share=(f"datum.latest_share_pct + (max(datum.latest_share_pct, target) - "
                   f"datum.latest_share_pct) * (datum.year - {latest_year}) / "
                   f"(target_year - {latest_year})"))
        .transform_calculate(
            extra=(f"(datum.share - datum.latest_share_pct) / 100 * datum.gdp_latest * "
                   f"pow(1 + growth / 100, datum.year - {latest_year}) / {scale!r}"))
    )
    colours = [PALETTE[0], PALETTE[2], PALETTE[3], PALETTE[4]][:len(group_order)]  # not HIGHLIGHT (Türkiye)
    bars = base.transform_aggregate(extra="sum(extra)", groupby=["year", "group"]).mark_bar().encode(
        x=alt.X("year:O", title="Year", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("extra:Q", title=y_title, axis=alt.Axis(format=",.0f"), stack="zero"),
        color=alt.Color("group:N", title=None, sort=list(group_order),
                        scale=alt.Scale(domain=list(group_order), range=colours)),
        order=alt.Order("group_rank:Q"),
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("group:N", title="Allies"),
                 alt.Tooltip("extra:Q", title=y_title, format=",.1f")],
    ).transform_calculate(group_rank=f"indexof({_js_list(group_order)}, datum.group)")
    label = (
        "['Extra in ' + target_year + ': US$ ' + format(datum.at_target, ',.0f') + ' billion', "
        f"'{first}-' + target_year + ' in all: US$ ' + format(datum.total, ',.0f') + ' billion', "
        "'(target ' + format(target, '.1f') + '% of GDP, growth ' + format(growth, '.2f') + "
        "'% a year)']")
    total = (
        base.transform_calculate(at="datum.year === target_year ? datum.extra : 0")
        .transform_aggregate(total="sum(extra)", at_target="sum(at)")
        .transform_calculate(label=label)
        .mark_text(align="left", baseline="top", fontSize=12, color=REFERENCE_TEXT, lineHeight=16)
        .encode(x=alt.value(6), y=alt.value(4), text=alt.Text("label:N"),
                tooltip=[alt.Tooltip("total:Q", title=f"{y_title}, sum over the path",
                                     format=",.0f")])
    )
    # room above the tallest bar for the text: an invisible point at 1.3 times it
    room = (base.transform_aggregate(extra="sum(extra)", groupby=["year"])
            .transform_joinaggregate(top="max(extra)")
            .transform_calculate(room="datum.top * 1.3")
            .mark_point(opacity=0, color=PALETTE[0])
            .encode(x=alt.X("year:O", title="Year"), y=alt.Y("room:Q", title=y_title)))
    return (alt.layer(bars, room, total, title=heading)
            .add_params(growth, target, year)
            .properties(width=WIDTH - 40, height=HEIGHT))


def _js_list(values: Sequence[str]) -> str:
    """A list of strings as a Vega expression array literal."""
    import json

    return json.dumps(list(values))
