// Small behaviours shared by every page. Libraries come from node_modules via the set-up.
(function () {
  "use strict";
  // Auto-dismiss success messages after a while; errors stay until closed.
  document.querySelectorAll(".app-messages .alert-success").forEach(function (el) {
    setTimeout(function () { bootstrap.Alert.getOrCreateInstance(el).close(); }, 6000);
  });
  // htmx leaves an error answer unswapped; inside an element marked data-swap-refusal a 400's
  // fragment says why, so it is swapped in like a success (no inline hx-on handler needed).
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target || event.target;
    if (event.detail.xhr.status === 400 && target.closest("[data-swap-refusal]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
