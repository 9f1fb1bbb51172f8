// The knowledge search pages (the form marked data-k-search): "/" focuses the search box, a
// select marked data-autosubmit filters at once, and empty fields stay out of the URL.
(function () {
  "use strict";
  var form = document.querySelector("[data-k-search]");
  if (!form) return;
  var box = form.querySelector("input[name=q]");
  document.addEventListener("keydown", function (event) {
    var typing = event.target.closest("input, textarea, select, [contenteditable]");
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });
  if (box.value) { box.setSelectionRange(box.value.length, box.value.length); }
  form.querySelectorAll("[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { form.requestSubmit(); });
  });
  form.addEventListener("formdata", function (event) {
    Array.from(event.formData.entries()).forEach(function (entry) {
      if (entry[1] === "") event.formData.delete(entry[0]);
    });
  });
})();
