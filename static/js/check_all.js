// A "select all" checkbox: <input type="checkbox" data-check-all=".selector"> ticks or clears
// every checkbox the selector names (no inline script: the page's data is in the markup).
(function () {
  "use strict";
  document.querySelectorAll("[data-check-all]").forEach(function (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll(all.dataset.checkAll).forEach(function (box) {
        box.checked = all.checked;
      });
    });
  });
})();
