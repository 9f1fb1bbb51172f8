// The incident form's classification and queue: the subcategory select offers only the
// chosen category's own (each option names its category in data-category), and the group's
// empty choice names the chosen service's group (each service option names it in
// data-group). Without this script every option shows and the server checks them.
(function () {
  "use strict";
  var category = document.getElementById("id_category");
  var sub = document.getElementById("id_subcategory");
  if (category && sub) {
    var filter = function () {
      Array.prototype.forEach.call(sub.options, function (option) {
        if (!option.value) return;
        var fits = !category.value || option.dataset.category === category.value;
        option.hidden = !fits;
        option.disabled = !fits;
        if (!fits && option.selected) sub.value = "";
      });
    };
    category.addEventListener("change", filter);
    filter();
  }

  var service = document.getElementById("id_service");
  var group = document.getElementById("id_assignment_group");
  if (service && group) {
    // Left empty, the group is the service's (the server applies it to the service sent):
    // the empty option says which group that is, for whichever service is chosen, however
    // it was chosen (by hand or by the search box, which sets it without an event).
    var empty = group.querySelector('option[value=""]');
    var plain = empty ? empty.textContent : "";
    var name = function () {
      var option = service.options[service.selectedIndex];
      var id = option && option.dataset.group;
      var team = id && group.querySelector('option[value="' + id + '"]');
      if (empty) empty.textContent = team ? plain + ": " + team.textContent : plain;
    };
    service.addEventListener("change", name);
    var search = document.getElementById("incident-search");
    if (search) {
      search.addEventListener("change", name);
      search.addEventListener("input", name);
    }
    name();
  }
})();
