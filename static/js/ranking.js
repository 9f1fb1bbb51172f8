// The ranking's what-if: sliders and numbers stay in step, "Back to saved" restores the saved
// weights (each input's data-saved), and the CSV link follows the query htmx pushed.
(function () {
  "use strict";
  var form = document.getElementById("weights-form");
  if (!form) return;
  form.querySelectorAll(".weight-range").forEach(function (range) {
    var input = document.getElementById(range.dataset.for);
    range.addEventListener("input", function () { input.value = range.value; htmx.trigger(input, "input"); });
    input.addEventListener("input", function () { range.value = input.value; });
  });
  document.getElementById("reset-weights").addEventListener("click", function () {
    form.querySelectorAll(".weight-input").forEach(function (input) {
      input.value = input.dataset.saved;
      form.querySelector('[data-for="' + input.id + '"]').value = input.dataset.saved;
    });
    htmx.trigger(form, "reset-weights");
  });
  document.body.addEventListener("htmx:afterSwap", function () {
    var link = document.getElementById("csv-link"), q = window.location.search;
    link.href = link.href.split("?")[0] + q;
  });
})();
