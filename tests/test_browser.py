"""The book in a real browser (Debian's chromium, driven by playwright): charts drawn offline,
no console error, no request leaving 127.0.0.1, every CSV link served, tooltips with units, the
search page finding each chapter, every chart in print, the static charts without JavaScript
(and not downloaded once the charts are drawn), no horizontal scroll on a phone.
A screenshot of every chapter is saved under <build dir>/screenshots/ (a CI artifact)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from conftest import watch_page

pytestmark = [pytest.mark.book, pytest.mark.browser]


def _pages(book: Path) -> list[str]:
    return sorted(p.relative_to(book).as_posix() for p in book.rglob("*.html")
                  if "_static" not in p.parts and p.name not in ("genindex.html",))


#: what a Vega mark looks like inside the drawn SVG (bars, points, lines, areas, rules)
MARKS = (".report-chart-vega svg [class^='mark-'] path, "
         ".report-chart-vega svg [class^='mark-'] line")
#: the data's marks a pointer can land on (a line's path has no inside to hover; a legend's
#: symbols are marks too, with no tooltip of their own)
HOVERABLE = ", ".join(f"svg .mark-{kind}.role-mark path"
                      for kind in ("rect", "symbol", "arc", "area", "trail"))


def _quantity_titles(spec: dict[str, Any]) -> set[str]:
    """The titles of every quantitative tooltip of a chart (each names its unit)."""
    from analysis.publishing.figures import _tooltips, _units

    return {str(t.get("title") or t.get("field")) for u, _ in _units(spec) for t in _tooltips(u)
            if t.get("type") == "quantitative"}


def _check_tooltip(chart: Any, spec: dict[str, Any]) -> str | None:
    """Hover the chart's marks until Vega shows a tooltip; return its text (None: none shown)."""
    page = chart.page
    marks = chart.locator(", ".join(f".report-chart-vega {m.strip()}"
                                    for m in HOVERABLE.split(",")))
    tried = 0
    for i in range(marks.count()):  # the first six marks with a size (a zero bar has none)
        mark = marks.nth(i)
        box = mark.bounding_box()
        if not box or box["width"] < 1 or box["height"] < 1:
            continue
        if tried == 6:
            break
        tried += 1
        mark.hover(force=True)
        text = _visible_tooltip(page)
        page.mouse.move(0, 0)
        titles = _quantity_titles(spec)  # a timeline may show dates and names only
        if text and (not titles or any(title in text for title in titles)):
            return text
    return None


def _visible_tooltip(page: Any) -> str:
    """The text of Vega's tooltip once it shows ("" if it does not within 1.5 s)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    tip = page.locator("#vg-tooltip-element.visible")
    try:
        tip.wait_for(state="visible", timeout=1500)
    except PlaywrightTimeout:
        return ""
    return tip.inner_text()


def _open(page: Any, server: str, book: Path, rel: str) -> None:
    """Load a page; for a redirect page (index.html) wait until the target page has loaded."""
    page.goto(f"{server}/{rel}", wait_until="load")
    if 'http-equiv="Refresh"' in (book / rel).read_text(encoding="utf-8"):
        page.wait_for_url(lambda url: not url.endswith("/" + rel), timeout=10000)
        page.wait_for_load_state("load")


def test_every_page_draws_offline_without_errors(book: Path, server: str, browser,
                                                 root: Path) -> None:
    from analysis.build.pipeline import build_dir

    shots = build_dir(root) / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    tooltips = profile_tooltips = 0
    for rel in _pages(book):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors, outside = watch_page(page)
        _open(page, server, book, rel)
        charts = page.locator(".report-chart")
        n = charts.count()
        if n:
            page.wait_for_function(
                "n => document.querySelectorAll('.report-chart.report-drawn').length === n", arg=n,
                timeout=20000)
            for i in range(n):
                chart = charts.nth(i)
                assert chart.locator(MARKS).count() > 0, (rel, i)
                spec = json.loads(chart.locator("script.report-chart-spec").text_content() or "")
                text = _check_tooltip(chart, spec)
                hoverable = chart.locator(".report-chart-vega svg .mark-rect.role-mark path, "
                                          ".report-chart-vega svg .mark-symbol.role-mark path"
                                          ).count()
                if hoverable:  # the Allies' pages too (Iceland's imports: one bar in six windows)
                    assert text, (rel, chart.get_attribute("id"), "no tooltip with a unit")
                    assert re.search(r"\d", text), (rel, text)
                    tooltips += 1
                    profile_tooltips += "/ally-" in f"/{rel}"
        for href in page.eval_on_selector_all("a[href$='.csv']", "els => els.map(e => e.href)"):
            response = page.request.get(href)
            assert response.status == 200, (rel, href, response.status)
            rows = list(csv.reader(io.StringIO(response.text())))
            # a CSV with a named header (a one-column note, such as "no deals", is a CSV too)
            assert rows and all(h.strip() for h in rows[0]), (rel, href, rows[:1])
        assert errors == [], (rel, errors)
        assert outside == [], (rel, outside)
        if rel.startswith("chapters/"):
            page.screenshot(path=str(shots / (Path(rel).stem + ".png")), full_page=True)
        page.close()
    assert tooltips >= 1
    # every Ally's page draws its imports by supplier (Iceland's: one bar), each with a tooltip
    assert profile_tooltips >= len([p for p in _pages(book) if "/ally-" in f"/{p}"]) == 32


def _chapter_pages(book: Path, root: Path) -> list[tuple[str, str]]:
    """(page, title) of every chapter in _toc.yml, read from the built page's <h1>."""
    from analysis.build.pipeline import toc_files

    out = []
    for doc in toc_files(root):
        if doc.startswith("chapters/ally-"):  # the profiles are titled by country: searched via the index
            continue
        page = book / f"{doc}.html"
        h1 = re.search(r"<h1>((?:(?!</h1>).)*?)<a class=\"headerlink\"",
                       page.read_text(encoding="utf-8"), re.DOTALL)
        assert h1, doc
        out.append((f"{doc}.html", re.sub(r"<[^>]+>", "", h1.group(1)).strip()))
    return out


def test_search_finds_a_word_of_every_chapter(book: Path, server: str, browser,
                                              root: Path) -> None:
    """Sphinx's search page, offline: the longest plain word of each chapter's title finds it."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors, outside = watch_page(page)
    for rel, title in _chapter_pages(book, root):
        words = sorted(re.findall(r"\b[A-Za-z]{4,}\b", title), key=len, reverse=True)
        assert words, (rel, title)
        page.goto(f"{server}/search.html?q={words[0]}", wait_until="load")
        page.wait_for_function(  # until the search has finished listing every page it found
            "() => document.querySelectorAll('#search-results ul.search li a').length > 0"
            " && (document.querySelector('#search-results .search-summary') || {})"
            ".textContent", timeout=30000)
        found = page.eval_on_selector_all("#search-results ul.search li a",
                                          "els => els.map(e => e.getAttribute('href'))")
        assert any(rel in (href or "") for href in found), (words[0], rel, found)
    assert errors == [] and outside == [], (errors, outside)
    page.close()


#: every chart of the page drawn (or given up on: report.js then shows its static SVG)
ALL_SETTLED = ("() => [...document.querySelectorAll('.report-chart')].every(c =>"
               " c.classList.contains('report-drawn') || c.classList.contains('report-failed'))")

#: in print, what each chart shows: its drawn SVG (within the paper's width) or its static one
PRINTED = """() => [...document.querySelectorAll('.report-chart')].map(c => {
  const shown = el => !!el && getComputedStyle(el).display !== 'none' && el.getClientRects().length > 0;
  const svg = c.querySelector('.report-chart-vega svg'), img = c.querySelector('img.report-chart-static');
  const r = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
  return {id: c.id, drawn: shown(svg), marks: svg ? svg.querySelectorAll('[class^="mark-"] path, [class^="mark-"] line').length : 0,
          width: r.width, height: r.height, column: c.getBoundingClientRect().width,
          img: shown(img), loaded: !!img && img.complete && img.naturalWidth > 0};
})"""


def test_print_shows_every_chart(book: Path, server: str, browser) -> None:
    """In print every chart shows: drawn, it prints as drawn (nothing to download while the page
    prints), scaled to the paper's width, its static SVG hidden."""
    printed = 0
    for rel in _pages(book):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        _open(page, server, book, rel)
        if page.locator(".report-chart").count():
            page.wait_for_function(ALL_SETTLED, timeout=20000)
            page.set_viewport_size({"width": 718, "height": 1000})  # A4's width less margins
            page.emulate_media(media="print")
            for chart in page.evaluate(PRINTED):
                assert chart["drawn"] and chart["marks"] > 0, (rel, chart)
                assert chart["height"] > 50 and chart["width"] <= chart["column"] + 1, (rel, chart)
                assert not chart["img"], (rel, chart)
                printed += 1
        page.close()
    assert printed >= 1


def _served_svgs(page: Any) -> dict[str, int]:
    """address -> HTTP status of every SVG the page loads."""
    served: dict[str, int] = {}
    page.on("response", lambda r: served.__setitem__(r.url, r.status)
            if r.url.endswith(".svg") else None)
    return served


def test_without_javascript_the_static_charts_show(book: Path, server: str, browser) -> None:
    """No JavaScript: every chart is its static SVG, served and described by its alt text."""
    context = browser.new_context(java_script_enabled=False,
                                  viewport={"width": 1280, "height": 900})
    shown = 0
    for rel in _pages(book):
        if 'http-equiv="Refresh"' in (book / rel).read_text(encoding="utf-8"):
            continue  # index.html only redirects (a mid-navigation query can hang playwright)
        page = context.new_page()
        served = _served_svgs(page)
        page.goto(f"{server}/{rel}", wait_until="load")
        for img in page.locator(".report-chart img.report-chart-static").all():
            box = img.bounding_box()
            assert img.is_visible() and box and box["height"] > 50, rel
            assert (img.get_attribute("alt") or "").strip(), rel
            src = urljoin(page.url, img.get_attribute("src") or "")
            assert served.get(src) == 200, (rel, src, served)
            shown += 1
        page.close()
    context.close()
    assert shown >= 1


def test_narrow_viewport_has_no_horizontal_scroll(book: Path, server: str, browser) -> None:
    for rel in _pages(book):
        if not rel.startswith("chapters/"):
            continue
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(f"{server}/{rel}", wait_until="load")
        page.wait_for_timeout(300)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (rel, overflow)
        page.close()


# --------------------------------------------------------------------------- read on every screen
# At a desktop width and a phone's, in light and dark mode: no table hides columns without a
# visible cue, no chart text under 10 px, no text under 4.5:1 against what is behind it.

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
MIN_CHART_TEXT_PX = 10.0
MIN_TEXT_CONTRAST = 4.5  # WCAG 2.1 SC 1.4.3

#: What a reader sees, measured in the page: every text's contrast against the colours behind
#: it, the drawn size of every chart text, and every table that runs past what shows of it.
READING = r"""
() => {
  function rgba(s) {
    const m = (s || '').match(/rgba?\(([^)]+)\)/); if (!m) return null;
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  }
  function over(top, bottom) {
    return [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  }
  function lum(c) {
    const l = c.slice(0, 3).map(v => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
  }
  function ratio(a, b) { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); }
  function behind(el) {
    const layers = [];
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let bg = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  }
  function shown(el) {
    if (!el.getClientRects().length) return false;
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) return false;
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.visibility === 'hidden' || s.display === 'none' || parseFloat(s.opacity) === 0) return false;
    }
    return true;
  }
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '');
  const out = {contrast: [], chartText: [], hiddenColumns: [], theme: document.documentElement.dataset.theme};
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg') || ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(el.tagName)) continue;
    if (!Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    if (!shown(el)) continue;
    const bg = behind(el);
    const fg = over(rgba(getComputedStyle(el).color), bg);
    out.contrast.push([ratio(fg, bg), name(el), el.textContent.trim().slice(0, 50)]);
  }
  document.querySelectorAll('.report-chart-vega svg text').forEach(t => {
    if (!t.textContent.trim() || !t.getClientRects().length) return;
    const m = t.getScreenCTM();
    const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
    const chart = t.closest('.report-chart').id;
    out.chartText.push([px, chart, t.textContent.trim().slice(0, 30)]);
    const fill = rgba(getComputedStyle(t).fill) || [0, 0, 0, 1];
    const card = behind(t.closest('.report-chart-vega'));
    out.contrast.push([ratio(over(fill, card), card), 'chart text ' + chart, t.textContent.trim().slice(0, 30)]);
  });
  // axis labels that run into each other: two labels of one axis whose boxes overlap
  out.overlaps = [];
  document.querySelectorAll('.report-chart-vega svg .role-axis-label').forEach(g => {
    const boxes = Array.from(g.querySelectorAll('text'))
      .filter(t => t.textContent.trim() && parseFloat(getComputedStyle(t).opacity) > 0 &&
                   t.getAttribute('opacity') !== '0')
      .map(t => [t.getBoundingClientRect(), t.textContent.trim()]);
    for (let i = 1; i < boxes.length; i++) {
      for (let j = 0; j < i; j++) {
        const [a, ta] = boxes[i], [b, tb] = boxes[j];
        const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (x > 1 && y > 1) { out.overlaps.push([g.closest('.report-chart').id, ta, tb]); }
      }
    }
  });
  document.querySelectorAll('table').forEach(tb => {
    if (!shown(tb)) return;
    let clip = null;
    for (let e = tb.parentElement; e && e !== document.body; e = e.parentElement) {
      if (getComputedStyle(e).overflowX !== 'visible') { clip = e; break; }
    }
    const t = tb.getBoundingClientRect();
    const c = clip ? clip.getBoundingClientRect() : {left: 0, right: window.innerWidth};
    const hides = t.right > Math.min(c.right, window.innerWidth) + 1 || t.left < Math.max(c.left, 0) - 1;
    if (!hides) return;
    const cue = clip && clip.previousElementSibling;
    const cued = !!(cue && cue.matches('.report-scroll-cue') && shown(cue));
    out.hiddenColumns.push([name(tb), Math.round(t.width), Math.round(c.right - c.left), cued]);
  });
  return out;
}
"""


#: Open every collapsed section (a long table kept one click away), so that what it holds is
#: measured too; the screenshot is taken before, as a reader first sees the page.
OPEN_SECTIONS = r"""
() => new Promise(done => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  setTimeout(done, 300);  // report.js fits the opened tables on the toggle event
})
"""


def _measure(browser: Any, server: str, book: Path, width: str, mode: str,
             shots: Path) -> dict[str, list[Any]]:
    """Every page at one width in one mode: the readings of all pages, and a screenshot of each
    chapter."""
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h}, color_scheme=mode)
    # the theme keeps the reader's choice of mode in localStorage
    context.add_init_script(f"localStorage.setItem('mode', '{mode}');"
                            f"localStorage.setItem('theme', '{mode}');")
    found: dict[str, list[Any]] = {"contrast": [], "chartText": [], "hiddenColumns": [],
                                   "overlaps": []}
    for rel in _pages(book):
        if 'http-equiv="Refresh"' in (book / rel).read_text(encoding="utf-8"):
            continue
        page = context.new_page()
        errors, _outside = watch_page(page)
        page.goto(f"{server}/{rel}", wait_until="load")
        n = page.locator(".report-chart").count()
        if n:
            page.wait_for_function(
                "n => document.querySelectorAll('.report-chart.report-drawn').length === n",
                arg=n, timeout=30000)
        if rel.startswith("chapters/"):  # as a reader first sees it: sections collapsed
            page.screenshot(path=str(shots / f"{Path(rel).stem}-{w}-{mode}.png"), full_page=True)
        page.evaluate(OPEN_SECTIONS)
        reading = page.evaluate(READING)
        # A wide table takes the margin while it is in view (the theme folds its table of
        # contents then): one that hides columns is measured again where a reader sees it.
        rest = []
        for item in reading["hiddenColumns"]:
            ident = re.search(r"#([\w-]+)", item[0])
            if item[-1] or ident is None:
                rest.append(item)
                continue
            page.locator(f"[id='{ident.group(1)}']").scroll_into_view_if_needed()
            page.wait_for_timeout(400)
            again = page.evaluate(READING)["hiddenColumns"]
            rest += [i for i in again if i[0] == item[0]]
        reading["hiddenColumns"] = rest
        assert reading["theme"] == mode, (rel, reading["theme"])
        for key in found:
            found[key] += [(rel, *item) for item in reading[key]]
        assert errors == [], (rel, width, mode, errors)
        page.close()
    context.close()
    return found


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_page_reads_on_a_desktop_and_a_phone(book: Path, server: str, browser, root: Path,
                                                   width: str, mode: str) -> None:
    from analysis.build.pipeline import build_dir

    shots = build_dir(root) / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    found = _measure(browser, server, book, width, mode, shots)
    assert found["chartText"], "no chart text measured"
    smallest = min(found["chartText"], key=lambda t: t[1])
    assert smallest[1] >= MIN_CHART_TEXT_PX, (width, mode, smallest)
    lowest = min(found["contrast"], key=lambda t: t[1])
    assert lowest[1] >= MIN_TEXT_CONTRAST, (width, mode, lowest)
    uncued = [t for t in found["hiddenColumns"] if not t[-1]]
    assert uncued == [], (width, mode, uncued)
    assert found["overlaps"] == [], (width, mode, found["overlaps"][:10])  # axes thin their labels


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_timeline_and_the_allies_panels_are_labelled_on_screen(book: Path, server: str,
                                                                   browser, width: str) -> None:
    """The sanctions timeline writes every event's name beside its mark (no hover needed), and
    the Allies' small multiples name every panel, both without scrolling sideways."""
    w, h = WIDTHS[width]
    page = browser.new_page(viewport={"width": w, "height": h})
    drawn = "id => { const c = document.getElementById(id); return c && c.classList.contains('report-drawn'); }"
    labels = r"""([id, role]) => {
      const c = document.getElementById(id);
      const texts = Array.from(c.querySelectorAll('.report-chart-vega svg ' + role + ' text'))
        .filter(t => t.textContent.trim() && t.getClientRects().length);
      const sizes = texts.map(t => parseFloat(getComputedStyle(t).fontSize) * Math.hypot(t.getScreenCTM().a, t.getScreenCTM().b));
      const v = c.querySelector('.report-chart-vega');
      return {n: texts.length, smallest: Math.min(...sizes), scrolls: v.scrollWidth > v.clientWidth + 1,
              names: texts.map(t => t.textContent.trim())};
    }"""
    page.goto(f"{server}/chapters/constraints.html", wait_until="load")
    chart = page.locator(".report-chart[id*='timeline']").first
    cid = chart.get_attribute("id")
    page.wait_for_function(drawn, arg=cid, timeout=30000)
    spec = json.loads(chart.locator("script.report-chart-spec").text_content() or "")
    events = next(iter(spec["datasets"].values()))
    got = page.evaluate(labels, [cid, ".role-axis-label"])
    named = [t for t in got["names"] if re.match(r"\d{4}(-\d\d){0,2}( \(\w+\))?: ", t)]
    assert len(named) == len(events), (width, len(named), len(events))
    assert got["smallest"] >= MIN_CHART_TEXT_PX, (width, got["smallest"])
    assert not got["scrolls"], width
    lanes = page.evaluate(labels, [cid, ".role-title"])  # each lane named above its band
    assert set(lanes["names"]) >= {e["lane"] for e in events}, (width, lanes["names"])

    page.goto(f"{server}/chapters/spending.html", wait_until="load")
    chart = page.locator(".report-chart[id*='shares-lines']").first
    cid = chart.get_attribute("id")
    page.wait_for_function(drawn, arg=cid, timeout=30000)
    spec = json.loads(chart.locator("script.report-chart-spec").text_content() or "")
    allies = {r["country"] for r in next(iter(spec["datasets"].values()))}
    got = page.evaluate(labels, [cid, ".role-title"])  # each panel's title names its Ally
    assert set(got["names"]) >= allies, (width, sorted(allies - set(got["names"])))
    assert got["smallest"] >= MIN_CHART_TEXT_PX, (width, got["smallest"])
    assert not got["scrolls"], width
    page.close()


# --------------------------------------------------------------------------- the static charts
# Every chart also has a static SVG, for a reader without JavaScript and for a chart that cannot
# be drawn. It is an <img loading="lazy"> that report.css hides while scripting is on, so that a
# reader whose browser draws the charts does not download it (issue 17: an Ally's page at most
# 150 KB beside the shared files; `make bench` measures the bytes). Measured on the heaviest
# Ally's page, Türkiye's.

PROFILE = "chapters/ally-tur.html"


def _static_svgs(page: Any, server: str) -> list[str]:
    """The chart images (the book's _static/report/*.svg) the page downloads."""
    got: list[str] = []
    page.on("requestfinished", lambda r: got.append(r.url)
            if r.url.startswith(f"{server}/_static/report/") and r.url.endswith(".svg") else None)
    return got


def _read_through(page: Any) -> None:
    """Scroll from top to bottom as a reader does (a lazy image near the viewport loads then)."""
    page.evaluate("""async () => {
      for (let y = 0; y <= document.documentElement.scrollHeight; y += 500) {
        window.scrollTo(0, y); await new Promise(r => setTimeout(r, 40));
      }
    }""")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_profile_with_its_charts_drawn_downloads_no_static_chart(book: Path, server: str,
                                                                   browser, width: str) -> None:
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h})
    page = context.new_page()
    svgs = _static_svgs(page, server)
    page.goto(f"{server}/{PROFILE}", wait_until="load")
    n = page.locator(".report-chart").count()
    assert n >= 2, n  # the pledges and the imports by supplier
    page.wait_for_function(
        "n => document.querySelectorAll('.report-chart.report-drawn').length === n", arg=n,
        timeout=30000)
    _read_through(page)
    assert page.locator(".report-chart img.report-chart-static").count() == n
    assert svgs == [], svgs
    # and printing it downloads none either: the drawn charts print
    page.pdf()
    page.emulate_media(media="print")
    charts = page.evaluate(PRINTED)
    assert all(c["drawn"] and c["marks"] > 0 for c in charts), charts
    assert svgs == [], svgs
    context.close()


def test_a_profile_without_javascript_shows_and_prints_every_static_chart(
        book: Path, server: str, browser) -> None:
    context = browser.new_context(java_script_enabled=False,
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    svgs = _static_svgs(page, server)
    page.goto(f"{server}/{PROFILE}", wait_until="load")
    page.wait_for_load_state("networkidle")  # without scripting, lazy images load at once
    n = page.locator(".report-chart").count()
    for media in ("screen", "print"):
        page.emulate_media(media=media)
        charts = page.evaluate(PRINTED)
        assert len(charts) == n >= 2
        assert all(c["img"] and c["loaded"] and not c["drawn"] for c in charts), (media, charts)
    assert len(set(svgs)) == n, svgs
    context.close()


def test_a_chart_that_cannot_be_drawn_shows_its_static_svg(book: Path, server: str,
                                                           browser) -> None:
    """Scripting on but the Vega bundle not served: report.js shows and loads every static SVG,
    on screen and in print."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/_static/vega-bundle.js*", lambda route: route.abort())
    page = context.new_page()
    svgs = _static_svgs(page, server)
    page.goto(f"{server}/{PROFILE}", wait_until="load")
    n = page.locator(".report-chart").count()
    page.wait_for_function(
        "n => document.querySelectorAll('.report-chart.report-failed').length === n", arg=n,
        timeout=30000)
    page.wait_for_function(  # loaded now, wherever they are on the page
        "() => [...document.querySelectorAll('img.report-chart-static')].every(i =>"
        " i.complete && i.naturalWidth > 0)", timeout=30000)
    for media in ("screen", "print"):
        page.emulate_media(media=media)
        charts = page.evaluate(PRINTED)
        assert len(charts) == n >= 2
        assert all(c["img"] and c["loaded"] for c in charts), (media, charts)
    assert len(set(svgs)) == n, svgs
    context.close()
