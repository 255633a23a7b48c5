"""The spending chapter's what-if in a real browser (Debian's chromium, driven by playwright):
at a desktop's width and a phone's, in light and dark mode, the chart starts from the values the
text states (its drawn total is the static SVG's, which vl-convert drew at the defaults), each
of its three inputs (growth, target share, target year) changes the drawn total, the inputs and
the chart's text are at least 10 px, and nothing is requested from outside 127.0.0.1.
Screenshots of the chart go to <build dir>/screenshots/whatif-<width>-<mode>.png."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest import watch_page

pytestmark = [pytest.mark.book, pytest.mark.browser]
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
MIN_TEXT_PX = 10.0
CHART = "#chart-spending-path-whatif"
PAGE = "chapters/spending.html"


def _static_total(book: Path) -> str:
    """The total the static SVG (drawn by vl-convert at the default parameters) states."""
    svg = (book / "_static" / "report" / "chart-spending-path-whatif.svg").read_text(encoding="utf-8")
    lines = [t.strip() for t in re.findall(r">([^<>]*(?:Extra in|in all:)[^<>]*)<", svg)]
    assert len(lines) == 2, lines
    return " | ".join(lines)


#: the lines of the drawn total (Vega writes each line of a text mark as a tspan)
LINES = """sel => Array.from(document.querySelectorAll(sel + ' .report-chart-vega svg text tspan, '
                                                + sel + ' .report-chart-vega svg text'))
  .filter(t => !t.querySelector('tspan')).map(t => t.textContent.trim())
  .filter(t => t.startsWith('Extra in') || t.includes(' in all:')).join(' | ')"""


def _drawn_total(chart: Any) -> str:
    return chart.page.evaluate(LINES, CHART)


def _wait_change(page: Any, before: str) -> str:
    page.wait_for_function(
        f"""([sel, before]) => {{ const now = ({LINES})(sel);
              return now.split(' | ').length === 2 && now !== before; }}""",
        arg=[CHART, before], timeout=10000)
    return _drawn_total(page.locator(CHART))


def _slide_to_max(slider: Any) -> None:
    """Move a range input to its maximum as a reader's drag does: set it, then fire 'input'."""
    slider.evaluate("el => { el.value = el.max; el.dispatchEvent(new Event('input', {bubbles: true}));"
                    " el.dispatchEvent(new Event('change', {bubbles: true})); }")


TEXT_SIZES = """
sel => {
  const chart = document.querySelector(sel);
  const out = [];
  chart.querySelectorAll('.report-chart-vega svg text').forEach(t => {
    if (!t.textContent.trim() || !t.getClientRects().length) return;
    const m = t.getScreenCTM();
    out.push([parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b), t.textContent.trim().slice(0, 30)]);
  });
  chart.querySelectorAll('.vega-bindings *').forEach(el => {
    if (!Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim())) return;
    if (!el.getClientRects().length) return;
    out.push([parseFloat(getComputedStyle(el).fontSize), 'input ' + el.textContent.trim().slice(0, 30)]);
  });
  return out;
}
"""


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("width", list(WIDTHS))
def test_each_input_changes_the_drawn_total(book: Path, server: str, browser, root: Path,
                                            width: str, mode: str) -> None:
    from analysis.build.pipeline import build_dir

    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h}, color_scheme=mode)
    context.add_init_script(f"localStorage.setItem('mode', '{mode}');"
                            f"localStorage.setItem('theme', '{mode}');")
    page = context.new_page()
    errors, outside = watch_page(page)
    page.goto(f"{server}/{PAGE}", wait_until="load")
    chart = page.locator(CHART)
    page.wait_for_function("sel => document.querySelector(sel).classList.contains('report-drawn')",
                           arg=CHART, timeout=30000)
    assert page.evaluate("document.documentElement.dataset.theme") == mode
    chart.scroll_into_view_if_needed()

    # it starts from the defaults: the total the static figure (and the text) states
    start = _drawn_total(chart)
    assert start == _static_total(book), (width, mode, start)
    year_default = re.search(r"Extra in (\d{4})", start).group(1)  # type: ignore[union-attr]

    sizes = page.evaluate(TEXT_SIZES, CHART)
    assert any(s[1].startswith("input ") for s in sizes), sizes
    smallest = min(sizes)
    assert smallest[0] >= MIN_TEXT_PX, (width, mode, smallest)
    # the chart fits the column: no sideways scroll inside the card on a phone either
    assert page.evaluate(f"""() => {{ const v = document.querySelector('{CHART} .report-chart-vega');
                            return v.scrollWidth <= v.clientWidth + 1; }}""")

    shots = build_dir(root) / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    chart.screenshot(path=str(shots / f"whatif-{w}-{mode}.png"))

    # 1. growth: a faster-growing GDP costs more at the same share
    growth = chart.locator(".vega-bind input[type='range']").nth(0)
    assert "growth" in chart.locator(".vega-bind").nth(0).inner_text().lower()
    _slide_to_max(growth)
    after_growth = _wait_change(page, start)
    total = lambda text: float(re.search(r"in all: US\$ ([\d,]+)", text).group(1).replace(",", ""))
    assert total(after_growth) > total(start), (start, after_growth)

    # 2. the target share: the 5% variant costs more than 3.5%
    radios = chart.locator(".vega-bind input[type='radio']")
    assert radios.count() == 2
    radios.nth(1).check()
    after_target = _wait_change(page, after_growth)
    assert total(after_target) > total(after_growth), (after_growth, after_target)
    drawn = page.evaluate(f"document.querySelector('{CHART} .report-chart-vega svg').textContent")
    assert "(target 5.0% of GDP" in drawn, drawn

    # 3. the target year: a later year, a longer path
    year = chart.locator(".vega-bind input[type='range']").nth(1)
    assert "year" in chart.locator(".vega-bind").nth(2).inner_text().lower()
    later = str(int(float(year.get_attribute("max") or 0)))
    _slide_to_max(year)
    after_year = _wait_change(page, after_target)
    assert f"Extra in {later}" in after_year and f"Extra in {year_default}" in start
    shot = shots / f"whatif-{w}-{mode}-moved.png"
    chart.screenshot(path=str(shot))
    assert errors == [], errors
    assert outside == [], outside
    context.close()


def test_a_redraw_at_another_width_keeps_the_readers_inputs(book: Path, server: str,
                                                            browser) -> None:
    """Turning a phone or resizing the window draws the chart again at the new width; the values
    the reader set stay, and so does the total they give."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{server}/{PAGE}", wait_until="load")
    chart = page.locator(CHART)
    page.wait_for_function("sel => document.querySelector(sel).classList.contains('report-drawn')",
                           arg=CHART, timeout=30000)
    chart.scroll_into_view_if_needed()
    start = _drawn_total(chart)
    growth = chart.locator(".vega-bind input[type='range']").nth(0)
    _slide_to_max(growth)
    moved = _wait_change(page, start)
    set_to = growth.input_value()
    # a new view replaces the old one when the chart is drawn again
    page.evaluate("sel => { document.querySelector(sel)._reportViewBefore = "
                  "document.querySelector(sel)._reportView; }", CHART)
    page.set_viewport_size({"width": 900, "height": 900})
    page.wait_for_function(
        "sel => { const el = document.querySelector(sel); "
        "return el._reportView && el._reportView !== el._reportViewBefore; }",
        arg=CHART, timeout=10000)
    page.wait_for_function(f"([sel, want]) => ({LINES})(sel) === want", arg=[CHART, moved],
                           timeout=10000)
    assert chart.locator(".vega-bind input[type='range']").nth(0).input_value() == set_to
    assert _drawn_total(chart) == moved != start
    context.close()
