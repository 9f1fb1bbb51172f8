// The incident form's known-error suggestions (templates/problems/_known_errors_slot.html):
// when the service or the configuration item changes, by hand or by the search box, the slot
// asks its panel again with htmx ("known-errors" event; its hx-include sends the fields).
(function () {
  "use strict";
  var slot = document.getElementById("known-errors-slot");
  if (!slot || !window.htmx) return;
  var form = slot.closest("form") || document;
  var last = "";

  function current() {
    var service = form.querySelector("[name='service']");
    var item = form.querySelector("[name='configuration_item']");
    return (service ? service.value : "") + "|" + (item ? item.value : "");
  }

  function refresh() {
    var now = current();
    if (now === last) return;
    last = now;
    window.htmx.trigger(slot, "known-errors");
  }

  last = current();
  form.addEventListener("change", refresh);
  form.addEventListener("input", refresh);
})();
