// The dashboard's charts: each <canvas data-chart="ID"> draws the JSON that
// {{ chart.as_data|json_script:"ID" }} put on the page (kind, unit, labels, series, drills).
// A bar or point opens the list behind it; the table under each chart has the same links for
// the keyboard. The range form shows its two dates only for "Custom dates".
(function () {
  "use strict";
  var COLOURS = ["#4f46e5", "#94a3b8", "#0ea5e9", "#f59e0b", "#10b981", "#ef4444"];
  var charts = [];

  function dataset(series, n, kind) {
    var colour = series.colour || COLOURS[n % COLOURS.length];
    var set = { label: series.label, data: series.values, backgroundColor: colour, borderColor: colour };
    if (kind === "line") { set.borderWidth = 2; set.pointRadius = 3; set.fill = false; set.tension = 0.2; }
    if (kind === "stacked") { set.stack = "all"; }
    return set;
  }

  // The list behind a bar: its series' own (a stage's red projects), else its row's.
  function drillOf(d, element) {
    var own = d.series[element.datasetIndex].drills;
    return own ? own[element.index] : d.drills[element.index];
  }

  // Long names (projects, teams) are cut on the axis; the tooltip and the table have them whole.
  function shortLabel(label) {
    return label.length > 24 ? label.slice(0, 23) + "…" : label;
  }

  function draw(canvas) {
    var d = JSON.parse(document.getElementById(canvas.dataset.chart).textContent);
    var horizontal = d.kind === "hbar" || d.kind === "stacked";
    var valueAxis = { beginAtZero: true, stacked: d.kind === "stacked", title: { display: true, text: d.unit } };
    var labelAxis = { stacked: d.kind === "stacked", grid: { display: false },
      ticks: { autoSkip: false, callback: function (value) { return shortLabel(this.getLabelForValue(value)); } } };
    var chart = new Chart(canvas, {
      type: d.kind === "line" ? "line" : "bar",
      data: { labels: d.labels, datasets: d.series.map(function (s, n) { return dataset(s, n, d.kind); }) },
      options: {
        maintainAspectRatio: false, animation: false, indexAxis: horizontal ? "y" : "x",
        scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
        plugins: { legend: { display: d.series.length > 1, position: "bottom" } },
        onClick: function (event, elements) {
          var url = elements.length && drillOf(d, elements[0]);
          if (url) { window.location.href = url; }
        },
        onHover: function (event, elements) {
          event.native.target.style.cursor = elements.length && drillOf(d, elements[0]) ? "pointer" : "default";
        }
      }
    });
    charts.push(chart);
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);

  // Printing: draw the charts again at the printed width, and back after.
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener("afterprint", function () { charts.forEach(function (c) { c.resize(); }); });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  var range = document.getElementById("id_range");
  function showDates() {
    var custom = range.value === "custom";
    document.querySelectorAll(".dash-custom").forEach(function (field) { field.hidden = !custom; });
  }
  if (range) { range.addEventListener("change", showDates); showDates(); }
})();
