// A person's load per week as a chart: <canvas data-load-chart="ID"> draws the JSON that
// {{ chart|json_script:"ID" }} put on the page (labels, capacity, project, operational).
(function () {
  "use strict";
  document.querySelectorAll("canvas[data-load-chart]").forEach(function (canvas) {
    var d = JSON.parse(document.getElementById(canvas.dataset.loadChart).textContent);
    new Chart(canvas, {
      data: { labels: d.labels, datasets: [
        { type: "bar", label: "Project", data: d.project, backgroundColor: "#6366f1", stack: "load" },
        { type: "bar", label: "Operational", data: d.operational, backgroundColor: "#94a3b8", stack: "load" },
        { type: "line", label: "Capacity", data: d.capacity, borderColor: "#dc2626", borderWidth: 2, pointRadius: 0, stepped: "middle" }
      ]},
      options: { maintainAspectRatio: false, animation: false, interaction: { mode: "index", intersect: false },
        scales: { x: { stacked: true, grid: { display: false } }, y: { stacked: true, title: { display: true, text: "hours" } } },
        plugins: { legend: { position: "bottom" } } }
    });
  });
})();
