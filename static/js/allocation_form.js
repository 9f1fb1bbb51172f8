// The allocation form shows the effect straight away when it opens already filled in
// (editing): <form data-preview-on-load> asks htmx for the preview once the page is ready.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-preview-on-load]").forEach(function (form) {
      var hours = form.querySelector('[name="hours_per_week"]');
      if (hours && hours.value) htmx.trigger(form, "change");
    });
  });
})();
