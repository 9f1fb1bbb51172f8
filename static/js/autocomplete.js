// Search-as-you-type for the filters of itsm_pmo/autocomplete.py: the search box has no name
// (the filter form must not submit it), so its text is added to the htmx request as `term`.
(function () {
  "use strict";
  document.body.addEventListener("htmx:configRequest", function (event) {
    var box = event.detail.elt;
    if (box && box.hasAttribute && box.hasAttribute("data-autocomplete-term")) {
      event.detail.parameters.term = box.value;
    }
  });
})();
