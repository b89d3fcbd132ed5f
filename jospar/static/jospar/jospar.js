// Shows only the term-of-execution field that the chosen kind uses.
(function () {
  var FIELD_OF_KIND = { date: "date", month: "month", quarter: "quarter", half: "half" };
  function sync(form) {
    var kind = form.querySelector("select[name=term_kind]");
    if (!kind) { return; }
    form.querySelectorAll("[data-term]").forEach(function (input) {
      var wrapper = input.closest(".field");
      if (wrapper) { wrapper.hidden = FIELD_OF_KIND[kind.value] !== input.dataset.term; }
    });
  }
  function wire(root) {
    root.querySelectorAll("form").forEach(function (form) {
      var kind = form.querySelector("select[name=term_kind]");
      if (kind && !kind.dataset.wired) {
        kind.dataset.wired = "1";
        kind.addEventListener("change", function () { sync(form); });
        sync(form);
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { wire(document); });
  document.addEventListener("htmx:load", function (event) { wire(event.target); });
})();
