// The incident form's classification and queue: the subcategory select offers only the
// chosen category's own (each option names its category in data-category), and choosing a
// service proposes its group (each service option names it in data-group) unless the group
// was chosen by hand. Without this script every option shows and the server checks them.
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
    var chosenByHand = Boolean(group.value);
    group.addEventListener("change", function () {
      chosenByHand = Boolean(group.value);
    });
    var propose = function () {
      if (chosenByHand) return;
      var option = service.options[service.selectedIndex];
      group.value = (option && option.dataset.group) || "";
    };
    service.addEventListener("change", propose);
    propose();
  }
})();
