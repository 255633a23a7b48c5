/* Draw every chart of the page with the Vega bundle served from this book's own _static/
 * (no CDN), and make tables sortable. Without JavaScript the static SVG stays visible. */
(function () {
  "use strict";

  function drawCharts() {
    if (typeof window.vegaEmbed !== "function") { return; }
    document.querySelectorAll(".report-chart").forEach(function (el) {
      var specEl = el.querySelector("script.report-chart-spec");
      var target = el.querySelector(".report-chart-vega");
      if (!specEl || !target) { return; }
      var spec = JSON.parse(specEl.textContent);
      window.vegaEmbed(target, spec, { actions: false, renderer: "svg", tooltip: { theme: "light" } })
        .then(function () { el.classList.add("report-drawn"); })
        .catch(function (err) { el.classList.add("report-failed"); console.warn(err); });
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

  function init() {
    drawCharts();
    document.querySelectorAll("table.report-sortable").forEach(makeSortable);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
