// Shows only the fields that the form's choices use: the term-of-execution field of the
// chosen kind of term and, in a recommendation to amend the plan, the fields of the chosen
// kind of change (data-kinds lists the kinds a field belongs to).
(function () {
  var FIELD_OF_KIND = { date: "date", month: "month", quarter: "quarter", half: "half" };
  function sync(form) {
    var term = form.querySelector("select[name=term_kind]");
    var change = form.querySelector("select[name=kind][data-changes]");
    form.querySelectorAll(".field").forEach(function (wrapper) {
      var input = wrapper.querySelector("[data-term], [data-kinds]");
      if (!input) { return; }
      var hidden = false;
      if (change && input.dataset.kinds) {
        hidden = input.dataset.kinds.split(" ").indexOf(change.value) < 0;
      }
      if (!hidden && term && input.dataset.term) {
        hidden = FIELD_OF_KIND[term.value] !== input.dataset.term;
      }
      wrapper.hidden = hidden;
    });
  }
  function wire(root) {
    root.querySelectorAll("form").forEach(function (form) {
      ["select[name=term_kind]", "select[name=kind][data-changes]"].forEach(function (selector) {
        var select = form.querySelector(selector);
        if (select && !select.dataset.wired) {
          select.dataset.wired = "1";
          select.addEventListener("change", function () { sync(form); });
        }
      });
      sync(form);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { wire(document); });
  document.addEventListener("htmx:load", function (event) { wire(event.target); });
})();
