// Small behaviours shared by every page. Libraries come from node_modules via the set-up.
(function () {
  "use strict";
  // Auto-dismiss success messages after a while; errors stay until closed.
  document.querySelectorAll(".app-messages .alert-success").forEach(function (el) {
    setTimeout(function () { bootstrap.Alert.getOrCreateInstance(el).close(); }, 6000);
  });
})();
