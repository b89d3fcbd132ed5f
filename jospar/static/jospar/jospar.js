// Shows only the fields that the form's choices use: the term-of-execution field of the
// chosen kind of term and, in a recommendation to amend the plan, the fields of the chosen
// kind of change (data-kinds lists the kinds a field belongs to).
(function () {
  var FIELD_OF_KIND = {
    date: "date", month: "month", quarter: "quarter", half: "half", ongoing: "text"
  };
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
// - data-depth on an .indent sets its --depth, the indentation of a unit in the tree;
// - a link to a <details> on the page opens it (the sign-off's reason opens the problems);
// - an entry form marked "carried" (offered from the last quarter) loses the mark once saved.
// Listeners sit on the document, so content that HTMX swaps in later works the same way.
(function () {
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-autosubmit]") && field.form) {
      field.form.submit();
    }
  });
  // An entry carried over from the last quarter is the executor's own once it is saved.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (event.detail.successful && form.matches && form.matches("form.entry.carried")) {
      form.classList.remove("carried");
    }
  });
  // A <details> read again out of band (the problems after an autosave) stays open if it was.
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var old = event.detail.target, fresh = event.detail.fragment;
    var wasOpen = old && old.querySelector && old.querySelector("details[open][id]");
    var again = wasOpen && fresh && fresh.querySelector &&
      fresh.querySelector("details#" + wasOpen.id);
    if (again) { again.open = true; }
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href^='#']");
    var shown = link && link.getAttribute("href").length > 1 &&
      document.getElementById(link.getAttribute("href").slice(1));
    if (shown && shown.tagName === "DETAILS") { shown.open = true; }
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

// Inline editors open where the person is working, and a link to a row lands at the row:
// - an element with data-inline-editor (the plan's action editor, which the rows' "Edit" and
//   "+ action" buttons fill) moves, when a row's button fills it, into a row of its own right
//   after that row, and its first field (the first invalid one after a refused save) takes the
//   focus;
// - Cancel (data-empties) or Escape closes it and brings the focus back to its row, in view;
// - a table that HTMX swaps in (after Save, Move, Delete) keeps an open editor at its row and
//   focuses the row its data-focus names (the action just saved or moved), else the row worked on;
// - a link to an element of the page (#action-N from the completeness check, #amendment-N)
//   scrolls it into view and focuses it (tabindex="-1" is set on it when it has none).
// Nothing here walks the table's rows: a plan of 2,000 actions costs the same as one of ten.
(function () {
  var homes = new WeakMap(); // editor -> the comment node that marks its place in the page

  function focusHere(element, block) {
    if (!element) { return; }
    if (!element.hasAttribute("tabindex") && element.tabIndex < 0) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus({ preventScroll: true });
    element.scrollIntoView({ block: block || "center" });
  }
  function firstField(root) {
    var fields = root.querySelectorAll(
      "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])"
    );
    var first = null;
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].closest("[hidden]")) { continue; }
      if (fields[i].getAttribute("aria-invalid") === "true" || fields[i].closest(".invalid")) {
        return fields[i];
      }
      first = first || fields[i];
    }
    return first;
  }
  function rowOf(editor) {
    return editor.dataset.row ? document.getElementById(editor.dataset.row) : null;
  }
  function goHome(editor) {
    var home = homes.get(editor);
    var holder = editor.closest("tr.editor-row");
    if (home && holder) {
      home.parentNode.insertBefore(editor, home.nextSibling);
      holder.remove();
    }
  }
  function placeAfter(editor, row) {
    if (!homes.has(editor)) {
      var home = document.createComment(" inline editor ");
      editor.parentNode.insertBefore(home, editor);
      homes.set(editor, home);
    }
    var table = row.closest("table");
    var head = table && table.tHead && table.tHead.rows[0];
    var holder = document.createElement("tr");
    var cell = document.createElement("td");
    holder.className = "editor-row";
    cell.colSpan = head ? head.cells.length : row.cells.length;
    holder.appendChild(cell);
    var old = editor.closest("tr.editor-row");
    row.parentNode.insertBefore(holder, row.nextSibling);
    cell.appendChild(editor);
    if (old) { old.remove(); }
    editor.dataset.row = row.id;
  }
  function close(editor) {
    var row = rowOf(editor);
    editor.innerHTML = "";
    goHome(editor);
    delete editor.dataset.row;
    focusHere(row);
  }

  // An editor filled by a row's button moves after that row; its first field takes the focus.
  document.addEventListener("htmx:afterSettle", function (event) {
    var editor = event.detail.target;
    if (!editor || !editor.hasAttribute || !editor.hasAttribute("data-inline-editor")) { return; }
    if (!editor.firstElementChild) { return; }
    var trigger = event.detail.requestConfig && event.detail.requestConfig.elt;
    var row = trigger && !editor.contains(trigger) ? trigger.closest("tr[id]") : null;
    if (row) {
      placeAfter(editor, row);
      row.scrollIntoView({ block: "start" });
    }
    var field = firstField(editor);
    if (field) {
      field.focus({ preventScroll: true });
      field.scrollIntoView({ block: "nearest" });
    }
  });

  // A swapped table: the editor waits at its home while the rows are replaced, then comes back.
  var pending = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!event.detail.shouldSwap || !target || !target.querySelector) { return; }
    if (target.hasAttribute("data-inline-editor") || !target.querySelector("tbody")) { return; }
    var editors = target.querySelectorAll("[data-inline-editor]");
    var trigger = event.detail.requestConfig && event.detail.requestConfig.elt;
    var row = trigger && trigger.closest ? trigger.closest("tr[id]") : null;
    if (!editors.length && !row) { return; }
    pending = { editors: [], row: null, next: null };
    editors.forEach(function (editor) {
      pending.editors.push(editor);
      if (editor.contains(trigger)) { row = rowOf(editor); }
      goHome(editor);
    });
    if (row && row.closest("tr.editor-row") === null) {
      pending.row = row.id;
      var next = row.nextElementSibling;
      while (next && !next.id) { next = next.nextElementSibling; }
      pending.next = next ? next.id : null;
    }
  });
  document.addEventListener("htmx:load", function (event) {
    var table = event.target;
    if (!pending || !table.querySelector || !table.querySelector("tbody")) { return; }
    var was = pending;
    pending = null;
    was.editors.forEach(function (editor) {
      if (!editor.firstElementChild) { delete editor.dataset.row; return; }
      var row = rowOf(editor);
      if (row) { placeAfter(editor, row); } else { close(editor); }
    });
    var focus = table.dataset.focus && document.getElementById(table.dataset.focus);
    focusHere(
      focus || (was.row && document.getElementById(was.row)) ||
      (was.next && document.getElementById(was.next))
    );
  });

  // Cancel (data-empties naming an inline editor) or Escape inside it closes it.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-empties]");
    var editor = button && document.querySelector(button.dataset.empties);
    if (editor && editor.hasAttribute("data-inline-editor")) { close(editor); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !event.target.closest) { return; }
    var editor = event.target.closest("[data-inline-editor]");
    if (editor) { close(editor); }
  });

  // A link to an element of the page lands with it in view and focused.
  function land() {
    if (location.hash.length < 2) { return; }
    var element = null;
    try {
      element = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    } catch (error) {
      return;
    }
    focusHere(element);
  }
  document.addEventListener("DOMContentLoaded", land);
  window.addEventListener("hashchange", land);
})();

// A long list to choose from gets a filter box above it: a <select data-filterable> (the place
// of an action in the plan, its options grouped by direction and goal) or a list of checkboxes
// of class "filterable" (the co-executors). Typing hides what matches neither the option nor
// its group; what is chosen always stays in view. The box is not a field of the form.
(function () {
  function norm(text) { return (text || "").toLocaleLowerCase().replace(/\s+/g, " "); }
  function filterSelect(select, query) {
    Array.prototype.forEach.call(select.children, function (child) {
      if (child.tagName === "OPTGROUP") {
        var groupHit = norm(child.label).indexOf(query) >= 0;
        var any = false;
        child.querySelectorAll("option").forEach(function (option) {
          var hit = !query || groupHit || option.selected ||
            norm(option.textContent).indexOf(query) >= 0;
          option.hidden = !hit;
          any = any || hit;
        });
        child.hidden = !any;
      } else if (child.value) {
        child.hidden = !!query && !child.selected && norm(child.textContent).indexOf(query) < 0;
      }
    });
  }
  function filterBoxes(list, query) {
    list.querySelectorAll("input[type=checkbox]").forEach(function (input) {
      var label = input.closest("label") || input.parentElement;
      var row = label.parentElement === list ? label : label.parentElement;
      row.hidden = !!query && !input.checked && norm(label.textContent).indexOf(query) < 0;
    });
  }
  function wire(root) {
    if (!root.querySelectorAll) { return; }
    root.querySelectorAll("select[data-filterable], div.filterable").forEach(function (list) {
      if (list.dataset.filterWired) { return; }
      list.dataset.filterWired = "1";
      var wrapper = list.closest(".field");
      var label = wrapper && wrapper.querySelector("label");
      var box = document.createElement("input");
      box.type = "search";
      box.className = "list-filter";
      box.placeholder = document.body.dataset.filterLabel || "";
      box.setAttribute("aria-label", box.placeholder);
      if (label) {  // the field's own label describes the box (and still names only the field)
        label.id = label.id || "filter-of-" + (list.id || Math.random().toString(36).slice(2));
        box.setAttribute("aria-describedby", label.id);
      }
      if (list.id) { box.setAttribute("aria-controls", list.id); }
      list.parentNode.insertBefore(box, list);
      box.addEventListener("input", function () {
        var query = norm(box.value.trim());
        if (list.tagName === "SELECT") { filterSelect(list, query); } else { filterBoxes(list, query); }
      });
      box.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); }  // filtering never submits
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { wire(document); });
  document.addEventListener("htmx:load", function (event) { wire(event.target); });
})();
