"""Every labelled reference line (pledges, guidelines, claimed values) is drawn by one helper, so
all charts show them alike: the same dash, the same colour, a tooltip naming the line."""

from __future__ import annotations

import pandas as pd

from analysis.publishing import charts

RULES = pd.DataFrame({"value": [2.0, 3.5], "label": ["2% Wales", "3.5% core"]})


def _rules(spec: dict) -> list[dict]:
    return [layer for layer in spec.get("layer", []) if isinstance(layer.get("mark"), dict)
            and layer["mark"].get("type") == "rule"]


def _specs() -> dict[str, dict]:
    years = pd.DataFrame({"year": [2014, 2015, 2014, 2015], "country": ["A", "A", "B", "B"],
                          "share": [1.0, 2.5, 3.0, 4.0]})
    heading = charts.title("t", "s")
    bars = pd.DataFrame({"country": ["A", "B"], "pct": [25.0, 10.0], "meets": [True, False]})
    dots = pd.DataFrame({"what": ["x", "y"], "value": [1.0, 3.0], "kind": ["a", "b"]})
    return {
        "shares": charts.shares_against_lines(
            years, x="year", y="share", series="country", highlight=["A"], rules=RULES,
            x_title="Year", y_title="%", heading=heading).to_dict(),
        "guideline": charts.bars_against_guideline(
            bars, category="country", value="pct", meets="meets", guideline=20.0,
            guideline_label="20% guideline", value_title="%", heading=heading).to_dict(),
        "estimates": charts.estimate_dots(
            dots, x="value", y="what", colour="kind", colour_order=["a", "b"], x_title="v",
            heading=heading, tooltips=[("value", "Value", ",.1f")], reference=RULES).to_dict(),
        "claim": charts.share_against_claim(
            years[years["country"] == "A"], x="year", y="share", x_title="Year", y_title="%",
            heading=heading, rules=RULES).to_dict(),
    }


def test_every_reference_line_has_the_one_style() -> None:
    for name, spec in _specs().items():
        rules = _rules(spec)
        assert rules, name
        for rule in rules:
            assert rule["mark"]["strokeDash"] == charts.REFERENCE_DASH, name
            assert rule["mark"]["color"] == charts.REFERENCE_COLOUR, name
            assert rule["encoding"]["tooltip"][0]["title"] == "Reference line", name


def test_lines_run_across_the_right_axis() -> None:
    specs = _specs()
    assert "y" in _rules(specs["shares"])[0]["encoding"]  # horizontal pledges
    assert "x" in _rules(specs["guideline"])[0]["encoding"]  # a vertical guideline
    assert "x" in _rules(specs["estimates"])[0]["encoding"]
    assert "y" in _rules(specs["claim"])[0]["encoding"]
