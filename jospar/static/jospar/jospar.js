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

// Behaviour that the templates declare with data attributes, so that no page needs an inline
// event handler or style attribute (the Content-Security-Policy allows neither):
// - data-autosubmit on a field submits its form when the field changes;
// - data-empties="#id" on a button empties that element when clicked (closes an inline editor);
// - data-confirm="question" on a submit button asks the question first, and a "no" cancels;
// - data-depth on an .indent sets its --depth, the indentation of a unit in the tree.
// Listeners sit on the document, so content that HTMX swaps in later works the same way.
(function () {
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-autosubmit]") && field.form) {
      field.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    var target = event.target.closest && event.target.closest("[data-empties], [data-confirm]");
    if (!target) { return; }
    if (target.dataset.confirm !== undefined && !window.confirm(target.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    if (target.dataset.empties) {
      var emptied = document.querySelector(target.dataset.empties);
      if (emptied) { emptied.innerHTML = ""; }
    }
  });
  function indent(root) {
    root.querySelectorAll(".indent[data-depth]").forEach(function (span) {
      span.style.setProperty("--depth", span.dataset.depth);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { indent(document); });
  document.addEventListener("htmx:load", function (event) { indent(event.target); });
})();
