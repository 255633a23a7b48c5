/* Draw every chart of the page with the Vega bundle served from this book's own _static/
 * (no CDN), fit charts and tables to the column, and make tables sortable. Without JavaScript
 * the static SVG stays visible and tables scroll as they are; a chart that cannot be drawn shows
 * it too (report.css hides it, unloaded, while scripting is on).
 *
 * Charts are drawn at the width of their column, never scaled: their fonts keep the sizes the
 * theme gives them (analysis.charts), so axis text stays readable on a phone. A chart wider than
 * its column is drawn again with a narrower plot (its title wrapped to the column); what still
 * does not fit scrolls sideways with a cue. */
(function () {
  "use strict";

  var MIN_PLOT = 150;      // px: the narrowest plot a single view is drawn at
  var MIN_PANEL = 90;      // px: the narrowest panel of small multiples
  var CUE_TEXT = "Scroll sideways to see every column \u2192";
  var CHART_CUE_TEXT = "Scroll sideways to see the whole chart \u2192";
  var measure = document.createElement("canvas").getContext("2d");

  function clone(o) { return JSON.parse(JSON.stringify(o)); }

  function textWidth(text, size, font, weight) {
    measure.font = (weight || "normal") + " " + size + "px " + font;
    return measure.measureText(text).width;
  }

  /* Break a title into lines no wider than ``max`` px (Vega does not wrap titles itself). */
  function wrap(text, size, font, max, weight) {
    var lines = [];
    [].concat(text).forEach(function (line) {
      var words = String(line).split(/\s+/), current = "";
      words.forEach(function (w) {
        var next = current ? current + " " + w : w;
        if (current && textWidth(next, size, font, weight) > max) { lines.push(current); current = w; }
        else { current = next; }
      });
      if (current) { lines.push(current); }
    });
    return lines.length === 1 ? lines[0] : lines;
  }

  function fitTitle(spec, avail) {
    var t = spec.title;
    if (!t || typeof t !== "object") { return; }
    var config = spec.config || {}, tc = config.title || {};
    var font = tc.font || config.font || "sans-serif";
    if (t.text) { t.text = wrap(t.text, tc.fontSize || 13, font, avail, tc.fontWeight || "bold"); }
    if (t.subtitle) { t.subtitle = wrap(t.subtitle, tc.subtitleFontSize || 10, font, avail); }
  }

  function units(spec) {
    return [spec].concat(spec.layer || []).filter(function (u) { return u.mark; });
  }

  function markType(unit) { return typeof unit.mark === "string" ? unit.mark : unit.mark.type; }

  /* The narrowest plot that keeps text written in cells apart (a heatmap's values): 28 px for
   * each category along x of a text layer. */
  function minimumPlot(spec, floor) {
    var least = floor;
    units(spec).forEach(function (u) {
      var x = (u.encoding || {}).x;
      if (markType(u) !== "text" || !x || !x.field || (x.type !== "ordinal" && x.type !== "nominal")) { return; }
      var name = (u.data && u.data.name) || (spec.data && spec.data.name);
      var rows = (spec.datasets || {})[name] || [];
      var seen = {};
      rows.forEach(function (r) { seen[r[x.field]] = true; });
      least = Math.max(least, 28 * Object.keys(seen).length);
    });
    return least;
  }

  /* Labels placed at the plot's right edge (x = the plot width, in px) stay at the edge when
   * the plot narrows; legends stack in one column on a narrow screen. */
  function prepareNarrow(spec, holder, avail) {
    if (holder) {
      units(holder.obj).forEach(function (u) {
        var x = (u.encoding || {}).x;
        if (x && typeof x.value === "number" && Math.abs(x.value - holder.obj.width) < 1) { x.value = "width"; }
      });
    }
    fitColumns(spec, avail);
    capLabels(spec, avail);
    if (avail < 480) {
      spec.config = spec.config || {};
      spec.config.legend = Object.assign({}, spec.config.legend, { columns: 1 });
    }
  }

  /* Small multiples wrapped in rows (a facet with ``columns``): as many columns as the screen
   * holds at a readable panel width, the panels then widened to fill the column (a phone gets
   * two columns of the desktop's four, never panels too narrow to read). */
  var AXIS_ROOM = 45;      // px: the y axis labels left of the first column
  function fitColumns(spec, avail) {
    if (typeof spec.columns !== "number" || !spec.spec || typeof spec.spec.width !== "number") { return; }
    var gap = spec.spacing && typeof spec.spacing === "object" ? (spec.spacing.column || 20)
      : (typeof spec.spacing === "number" ? spec.spacing : 20);
    var natural = spec.spec.width;
    var fit = Math.floor((avail - AXIS_ROOM + gap) / (Math.max(MIN_PANEL, natural * 0.8) + gap));
    var columns = Math.max(1, Math.min(spec.columns, fit));
    spec.columns = columns;
    var width = Math.floor((avail - AXIS_ROOM - gap * (columns - 1)) / columns) - 2;
    spec.spec.width = Math.max(MIN_PANEL, Math.min(width, Math.round(natural * 1.5)));
  }

  /* Long labels left of a plot (a timeline's events, a table's countries) take at most about
   * half the column, so that the plot keeps room on a phone; Vega cuts them with an ellipsis
   * (the whole text is in the tooltip and the table beside the chart). */
  function capLabels(spec, avail) {
    var cap = Math.max(110, Math.floor(avail * 0.45));
    var views = [spec].concat(spec.spec ? [spec.spec] : [], spec.vconcat || []);
    views.forEach(function (v) {
      units(v).forEach(function (u) {
        var y = (u.encoding || {}).y;
        if (y && y.axis && typeof y.axis.labelLimit === "number" && y.axis.labelLimit > cap) {
          y.axis.labelLimit = cap;
        }
      });
    });
  }

  /* Where a spec keeps its plot width: the top level (single and layered views) or the panel
   * spec of a facet. */
  function widthHolder(spec) {
    if (typeof spec.width === "number") { return { obj: spec, min: minimumPlot(spec, MIN_PLOT) }; }
    if (spec.vconcat && spec.vconcat.length && spec.vconcat.every(function (v) { return typeof v.width === "number"; })) {
      // bands stacked one above another (a laned timeline): one plot width for all of them
      var views = spec.vconcat, all = {};
      Object.defineProperty(all, "width", {
        get: function () { return views[0].width; },
        set: function (w) { views.forEach(function (v) { v.width = w; }); } });
      return { obj: all, min: 120 };
    }
    if (spec.spec && typeof spec.spec.width === "number") { return { obj: spec.spec, min: MIN_PANEL }; }
    return null;
  }

  function drawnWidth(target) {
    var svg = target.querySelector("svg");
    return svg ? parseFloat(svg.getAttribute("width")) || svg.getBoundingClientRect().width : 0;
  }

  function cueBefore(anchor, shown, text) {
    var prev = anchor.previousElementSibling;
    var cue = prev && prev.classList.contains("report-scroll-cue") ? prev : null;
    if (!cue && !shown) { return; }
    if (!cue) {
      cue = document.createElement("p");
      cue.className = "report-scroll-cue";
      cue.setAttribute("aria-hidden", "true");
      cue.textContent = text;
      anchor.parentNode.insertBefore(cue, anchor);
    }
    cue.classList.toggle("report-shown", shown);
  }

  /* The values a reader set on a chart's inputs (its bound parameters), to keep when the
   * chart is drawn again at another width: a redraw must not reset a what-if. */
  function boundValues(el, spec) {
    var values = {};
    var view = el._reportView && el._reportView.view;
    if (!view) { return values; }
    (spec.params || []).forEach(function (p) {
      if (p.bind) {
        try { values[p.name] = view.signal(p.name); } catch (e) { /* not a signal of this view */ }
      }
    });
    return values;
  }

  function embed(el, target, spec) {
    var kept = boundValues(el, spec);
    if (el._reportView) { el._reportView.finalize(); el._reportView = null; }
    return window.vegaEmbed(target, spec, { actions: false, renderer: "svg", tooltip: { theme: "light" } })
      .then(function (result) {
        el._reportView = result;
        var names = Object.keys(kept);
        if (!names.length) { return result; }
        names.forEach(function (n) { result.view.signal(n, kept[n]); });
        return result.view.runAsync().then(function () { return result; });
      });
  }

  /* Draw, then narrow the plot by what overflows the column (twice at most: axis labels move). */
  function drawChart(el) {
    var specEl = el.querySelector("script.report-chart-spec");
    var target = el.querySelector(".report-chart-vega");
    if (!specEl || !target) { return Promise.resolve(); }
    var original = JSON.parse(specEl.textContent);
    var avail = Math.floor(target.clientWidth || el.clientWidth);
    el._reportAvail = avail;
    var spec = clone(original);
    fitTitle(spec, avail - 10);
    var holder = widthHolder(spec);
    prepareNarrow(spec, holder, avail);
    var natural = holder ? holder.obj.width : 0;
    function attempt(round) {
      return embed(el, target, spec).then(function () {
        var over = drawnWidth(target) - avail;
        if (over <= 1 || !holder || round >= 2 || holder.obj.width <= holder.min) { return; }
        var panels = Math.max(1, Math.floor(drawnWidth(target) / natural));
        holder.obj.width = Math.max(holder.min, Math.floor(holder.obj.width - over / panels) - 2);
        return attempt(round + 1);
      });
    }
    return attempt(0).then(function () {
      el.classList.add("report-drawn");
      cueBefore(target, drawnWidth(target) > target.clientWidth + 1, CHART_CUE_TEXT);
    }).catch(function (err) { showStatic(el); console.warn(err); });
  }

  /* A chart that cannot be drawn shows its static SVG, loaded now (it was lazy and hidden). */
  function showStatic(el) {
    var img = el.querySelector("img.report-chart-static");
    if (img) { img.loading = "eager"; }
    el.classList.add("report-failed");
  }

  function drawCharts() {
    if (typeof window.vegaEmbed !== "function") {
      document.querySelectorAll(".report-chart").forEach(showStatic);
      return;
    }
    document.querySelectorAll(".report-chart").forEach(drawChart);
  }

  function redrawResized() {
    if (typeof window.vegaEmbed !== "function") { return; }
    document.querySelectorAll(".report-chart.report-drawn").forEach(function (el) {
      var target = el.querySelector(".report-chart-vega");
      if (target && Math.abs((target.clientWidth || 0) - (el._reportAvail || 0)) > 8) { drawChart(el); }
    });
  }

  /* ------------------------------------------------------------------ tables */

  var NUMBER = /^[\u2212\-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?\s?%?$/;
  var NOTHING = /^[\u2013\u2014\-]?$/;
  var LONG_TEXT = 60;  // characters: a cell this long is a sentence

  /* Columns whose every cell is a number (or a dash for none) are right-aligned, so that
   * tabular figures line up on their decimals. */
  function alignNumbers(table) {
    var body = table.tBodies[0];
    if (!body || !body.rows.length) { return; }
    var width = 0;
    Array.prototype.forEach.call(body.rows, function (r) { width = Math.max(width, r.cells.length); });
    for (var i = 0; i < width; i++) {
      var numbers = 0, other = 0, longest = 0;
      Array.prototype.forEach.call(body.rows, function (r) {
        var cell = r.cells[i];
        var text = cell ? cell.textContent.trim() : "";
        longest = Math.max(longest, text.length);
        if (NUMBER.test(text)) { numbers++; } else if (!NOTHING.test(text)) { other++; }
      });
      if (longest > LONG_TEXT) {  // a column of sentences keeps a readable width
        Array.prototype.forEach.call(body.rows, function (r) { if (r.cells[i]) { r.cells[i].classList.add("report-long"); } });
      }
      if (!numbers || other) { continue; }
      Array.prototype.forEach.call(body.rows, function (r) { if (r.cells[i]) { r.cells[i].classList.add("report-num"); } });
      if (table.tHead) {
        Array.prototype.forEach.call(table.tHead.rows, function (r) {
          if (r.cells.length === width && r.cells[i]) { r.cells[i].classList.add("report-num"); }
        });
      }
    }
  }

  /* A table whose columns are mostly words (not a grid of numbers) can be read row by row. */
  function stackable(table) {
    var body = table.tBodies[0], head = table.tHead;
    if (!body || !head || head.rows.length !== 1 || !body.rows.length) { return false; }
    var cells = body.rows[0].cells, numeric = 0;
    for (var i = 0; i < cells.length; i++) { if (cells[i].classList.contains("report-num")) { numeric++; } }
    return cells.length <= 12 && numeric * 2 < cells.length;
  }

  function stack(table) {
    var heads = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) { return th.textContent.trim(); });
    Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
      Array.prototype.forEach.call(r.cells, function (c, i) { c.setAttribute("data-label", heads[i] || ""); });
    });
    // cards keep the table's meaning for screen readers (display: block would drop it)
    table.setAttribute("role", "table");
    Array.prototype.forEach.call(table.rows, function (r) {
      r.setAttribute("role", "row");
      Array.prototype.forEach.call(r.cells, function (c) {
        c.setAttribute("role", c.parentNode.parentNode === table.tHead ? "columnheader" : "cell");
      });
    });
    table.classList.add("report-stacked");
  }

  /* A table wider than the column takes the page's margin on a desktop; one that still does
   * not fit scrolls, with a cue above it and its first column frozen. */
  function fitTables() {
    var desktop = window.matchMedia("(min-width: 992px)").matches;
    document.querySelectorAll(".report-table-wrap").forEach(function (wrap) {
      var table = wrap.querySelector("table");
      if (!table) { return; }
      wrap.classList.remove("report-wide", "full-width", "report-scrolls");
      if (!wrap.getClientRects().length) { return; }  // in a closed section: fitted when opened
      if (desktop && !wrap.closest("details") && table.scrollWidth > wrap.clientWidth + 1) {
        // the theme's "full-width" class: its table of contents folds while the table is in view
        wrap.classList.add("report-wide", "full-width");
      }
      table.classList.remove("report-stacked");
      var scrolls = table.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !desktop && stackable(table)) {
        // a phone: a table of words becomes one card per row, each cell under its heading
        stack(table);
        scrolls = table.scrollWidth > wrap.clientWidth + 1;
      }
      wrap.classList.toggle("report-scrolls", scrolls);
      cueBefore(wrap, scrolls, CUE_TEXT);
    });
  }

  function cellValue(row, i) {
    var cell = row.children[i];
    var text = cell ? cell.textContent.trim() : "";
    var num = parseFloat(text.replace(/[,%\u2212]/g, function (c) { return c === "\u2212" ? "-" : ""; }));
    return isNaN(num) || !/^[\s\u2212\-+]?[\d,.]+%?$/.test(text) ? text.toLowerCase() : num;
  }

  function makeSortable(table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, i) {
      th.setAttribute("tabindex", "0");
      th.setAttribute("role", "button");
      th.setAttribute("aria-sort", "none");
      th.title = "Sort by this column";
      function sort() {
        var body = table.tBodies[0];
        var asc = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        Array.prototype.slice.call(body.rows)
          .sort(function (a, b) {
            var x = cellValue(a, i), y = cellValue(b, i);
            if (typeof x === typeof y) { return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1); }
            return typeof x === "number" ? -1 : 1;
          })
          .forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
    });
  }

  /* ------------------------------------------------------------------ collapsed sections */

  /* A link to a table kept in a collapsed section ({numref}, a search hit) opens the section;
   * printing opens them all, since paper has nothing to click. */
  function openTarget() {
    var id = decodeURIComponent((window.location.hash || "").slice(1));
    var target = id && document.getElementById(id);
    var details = target && target.closest("details");
    if (!details || details.open) { return; }
    details.open = true;
    fitTables();
    target.scrollIntoView();
  }

  function init() {
    document.querySelectorAll("table.report-table").forEach(alignNumbers);
    document.querySelectorAll("table.report-sortable").forEach(makeSortable);
    fitTables();
    drawCharts();
    var timer = null;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { fitTables(); redrawResized(); }, 200);
    });
    document.addEventListener("toggle", function () { fitTables(); }, true);
    openTarget();
    window.addEventListener("hashchange", openTarget);
    window.addEventListener("beforeprint", function () {
      document.querySelectorAll("details").forEach(function (d) { d.open = true; });
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
