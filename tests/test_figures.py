"""Figures and tables: data strings are escaped wherever they enter HTML or a Vega spec; ids are
stable; the CSV written is exactly the frame drawn."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.publishing import charts, figures

HOSTILE = "<script>alert('x')</script> **bold** {glue:text}`k` </script><img src=x onerror=alert(1)>"


@pytest.fixture(autouse=True)
def assets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(figures.ASSET_DIR_ENV, str(tmp_path))
    monkeypatch.setenv("REPORT_CHAPTER", "test")
    return tmp_path


def test_table_escapes_text_from_data(assets: Path) -> None:
    frame = pd.DataFrame({"event": [HOSTILE], "value": [1.5]})
    html = figures.table("t", frame, source=HOSTILE, caption=HOSTILE).html()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html or "&lt;script&gt;" in html
    assert pd.read_csv(assets / "table-test-t.csv")["event"].tolist() == [HOSTILE]


def test_figure_spec_cannot_close_its_script_element(assets: Path) -> None:
    frame = pd.DataFrame({"year": [2020, 2021], "tiv": [1.0, 2.0], "label": [HOSTILE, "ok"]})
    chart = charts.bar_by_period(frame, x="year", y="tiv", x_title="Year", y_title="TIV",
                                 heading=charts.title(HOSTILE, "sub"))
    fig = figures.figure("f", chart, data=frame, source=f"{HOSTILE} (vintage 2026-02-12)",
                         description=HOSTILE)
    html = fig.html()
    body = html.split("<script type='application/json' class='report-chart-spec'>", 1)[1]
    spec_text = body[: body.index("</script>")]
    assert "<" not in spec_text and ">" not in spec_text  # \u003c in JSON
    assert html.count("<script") == 1 and "<img src=x" not in html
    assert "aria-label='&lt;script&gt;" in html
    assert fig.element_id == "chart-test-f"  # stable, no uuid
    pd.testing.assert_frame_equal(pd.read_csv(assets / "chart-test-f.csv"), frame, check_dtype=False)
    assert (assets / "chart-test-f.svg").read_text().startswith("<svg")


def test_chart_ids_do_not_depend_on_the_run(assets: Path) -> None:
    frame = pd.DataFrame({"year": [2020], "tiv": [1.0]})
    chart = charts.bar_by_period(frame, x="year", y="tiv", x_title="Year", y_title="TIV",
                                 heading=charts.title("A title", "TIV, millions"))
    kw = {"data": frame, "source": "SIPRI (vintage 2026-02-12)",
          "description": "Bars of one year of made-up volumes for this test"}
    one = figures.figure("same", chart, **kw).html()
    two = figures.figure("same", chart, **kw).html()
    assert one == two


def test_a_column_links_its_allies_to_their_pages_and_the_csv_keeps_the_names(
        assets: Path) -> None:
    frame = pd.DataFrame({"Ally": ["Poland", "Pakistan", HOSTILE], "value": [1.0, 2.0, 3.0]})
    table = figures.table("t", frame, source="s", caption="c",
                          pages={"Ally": {"Poland": "ally-pol.html#chapter-ally-pol"}})
    html = table.html()
    assert '<a href="ally-pol.html#chapter-ally-pol">Poland</a>' in html
    assert ">Pakistan<" in html and 'href="ally-pak' not in html  # not an Ally: text
    assert "<script>alert" not in html
    assert pd.read_csv(assets / "table-test-t.csv")["Ally"].tolist() == list(frame["Ally"])
    with pytest.raises(KeyError, match="no column Country"):
        figures.table("u", frame, source="s", caption="c", pages={"Country": {}})
    with pytest.raises(ValueError, match="not a link within the book"):
        figures.table("v", frame, source="s", caption="c",
                      pages={"Ally": {"Poland": "https://example.org/"}}).html()


def test_linked_prose_escapes_its_text_and_links_within_the_book() -> None:
    linked = figures.Linked((("Poland", "ally-pol.html#chapter-ally-pol"), (", ", ""),
                             (HOSTILE, "")))
    assert linked.text() == "Poland, " + HOSTILE
    bundle = linked._repr_mimebundle_()
    assert bundle["text/plain"] == linked.text()
    assert bundle["text/html"].startswith('<a href="ally-pol.html#chapter-ally-pol">Poland</a>, ')
    assert "<script>" not in bundle["text/html"] and "&lt;script&gt;" in bundle["text/html"]
    with pytest.raises(ValueError, match="not a link within the book"):
        figures.Linked((("Poland", "https://example.org/"),)).html()


def test_a_chart_keeps_its_place_until_it_is_drawn(assets: Path) -> None:
    """The page keeps a one-panel chart's height (from its spec) until Vega draws it, so the
    text below does not jump; the drawn SVG is within that estimate's reach."""
    import re

    frame = pd.DataFrame({"year": [2020, 2021], "tiv": [1.0, 2.0]})
    chart = charts.bar_by_period(frame, x="year", y="tiv", x_title="Year", y_title="TIV",
                                 heading=charts.title("A title", "TIV, millions"))
    fig = figures.figure("kept", chart, data=frame, source="SIPRI (vintage 2026-02-12)",
                         description="Bars of two years of made-up volumes for this test")
    reserve = fig.reserved_height()
    assert reserve is not None
    assert f"style='--report-chart-h: {reserve}px'" in fig.html()
    drawn = (assets / "chart-test-kept.svg").read_text()
    height = float(re.search(r'<svg[^>]*\bheight="([\d.]+)"', drawn).group(1))  # type: ignore[union-attr]
    assert 0.6 * height <= reserve <= 1.4 * height, (reserve, height)
    # several panels: the spec gives no height of the whole, nothing is reserved
    import dataclasses

    two = dataclasses.replace(fig, spec={"hconcat": [fig.spec, fig.spec]})
    assert two.reserved_height() is None and "--report-chart-h" not in two.html()
