// The length of what is typed against the field's limit, as it is typed: "1,234 / 10,000".
// Every textarea with a maxlength gets it (the limit comes from the model, through the form);
// a field drawn by templates/portfolio/_field.html already says "Up to 10,000 characters",
// which this turns into the count. htmx-swapped fragments are counted too.
(function () {
  "use strict";
  var format = new Intl.NumberFormat("en-GB");

  function counterFor(area) {
    var existing = area.id && document.querySelector('[data-limit-for="' + area.id + '"]');
    if (existing) { return existing; }
    var made = document.createElement("div");
    made.className = "form-text text-end";
    area.insertAdjacentElement("afterend", made);
    return made;
  }

  function attach(area) {
    if (area.dataset.limitCounted) { return; }
    area.dataset.limitCounted = "1";
    var limit = parseInt(area.getAttribute("maxlength"), 10);
    var counter = counterFor(area);
    counter.setAttribute("aria-live", "polite");
    counter.dataset.testid = "limit-counter";
    function update() {
      var used = area.value.length;
      counter.textContent = format.format(used) + " / " + format.format(limit) + " characters";
      counter.classList.toggle("text-danger", used >= limit);
    }
    area.addEventListener("input", update);
    update();
  }

  function scan(root) {
    root.querySelectorAll("textarea[maxlength]").forEach(attach);
  }
  scan(document);
  document.body.addEventListener("htmx:afterSwap", function (event) { scan(event.target); });
})();
