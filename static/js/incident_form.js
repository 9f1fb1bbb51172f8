// The incident quick form's search box: picking a project fills the project and its first
// service, picking a service fills the service. The fields it fills are named by the box's
// data-project-field and data-service-field attributes; each option carries data-kind,
// data-pk and data-service.
(function () {
  "use strict";
  var search = document.getElementById("incident-search");
  if (!search) return;
  var options = document.getElementById(search.getAttribute("list"));
  var project = document.getElementById(search.dataset.projectField);
  var service = document.getElementById(search.dataset.serviceField);
  if (!options || !project || !service) return;

  function pick() {
    var option = Array.prototype.find.call(options.querySelectorAll("option"), function (o) {
      return o.value === search.value;
    });
    if (!option) return;
    if (option.dataset.kind === "project") {
      project.value = option.dataset.pk;
      if (option.dataset.service) service.value = option.dataset.service;
    } else {
      service.value = option.dataset.pk;
    }
  }

  search.addEventListener("change", pick);
  search.addEventListener("input", pick);
})();
