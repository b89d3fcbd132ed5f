// Signing a step with the digital signature (EDS) through NCALayer, the program on the
// person's own computer that holds their keys. A button marked data-eds-sign:
// 1. reads the canonical document of what is signed (base64) from data-document-url (with
//    data-document-post, by posting the form's fields there: the document of what the form
//    holds, not yet saved; a form that does not hold it answers 400 with its problems);
// 2. connects to NCALayer's WebSocket at data-ncalayer-url and asks it (module
//    kz.gov.pki.knca.basics, method sign, through the vendored ncalayer-js-client) for a
//    detached CMS of the document with a signing key (not an AUTH key);
// 3. posts the CMS to data-check-url, which answers the signer certificate's details and what
//    the step would refuse it for whatever the document (an AUTH key, another person's IIN,
//    expired, not trusted), and shows them in a panel after #eds-status, focused: with no
//    problem, "Confirm and submit" puts the CMS into the hidden `cms` field of the form
//    data-form names and submits it (the server verifies the signature again, with the
//    document, and says why when it refuses it); with problems, "Choose another key" asks
//    NCALayer again. "Cancel" (or Escape) closes the panel and takes no step.
// What went wrong on this side (NCALayer not running, the person cancelled) is said in the
// element #eds-status, in the page's language (the button's data-* texts).
(function () {
  var Client = window.NCALayerClient;

  function say(text, isError) {
    var status = document.getElementById("eds-status");
    if (!status) { return; }
    status.textContent = text;
    status.classList.toggle("error", Boolean(isError));
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function closePanel() {
    var open = document.getElementById("eds-confirm");
    if (open) { open.remove(); }
  }

  function checkCertificate(button, form, cms) {
    var body = new FormData();
    body.append("cms", cms);
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) { body.append("csrfmiddlewaretoken", token.value); }
    return fetch(button.dataset.checkUrl, {
      method: "POST", credentials: "same-origin", body: body,
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok || type.indexOf("application/json") !== 0) { // e.g. the login page
        var failure = new Error(button.dataset.checkFailed + " " + response.status + " " +
          response.statusText);
        failure.ownText = true;
        throw failure;
      }
      return response.json();
    });
  }

  // The panel of the signer's certificate; `onConfirm` takes the step, `again` asks NCALayer
  // for another key.
  function showPanel(button, found, onConfirm, again) {
    closePanel();
    var ok = found.ok && found.problems.length === 0;
    var dialog = element("div", "eds-confirm" + (ok ? "" : " eds-refused"));
    dialog.id = "eds-confirm";
    dialog.setAttribute("role", "dialog");
    dialog.setAttribute("aria-labelledby", "eds-confirm-title");
    dialog.tabIndex = -1;
    var title = element("p", "eds-confirm-title",
      ok ? button.dataset.confirmTitle : button.dataset.problemsTitle);
    title.id = "eds-confirm-title";
    dialog.appendChild(title);
    if (!ok) {
      var problems = element("ul", "errors");
      problems.id = "eds-problems";
      found.problems.forEach(function (text) { problems.appendChild(element("li", "", text)); });
      dialog.appendChild(problems);
      dialog.setAttribute("aria-describedby", "eds-problems");
    }
    if (found.certificate.length) {
      var lines = element("dl", "eds-certificate");
      found.certificate.forEach(function (line) {
        lines.appendChild(element("dt", "", line.label));
        lines.appendChild(element("dd", "", line.value));
      });
      dialog.appendChild(lines);
    }
    var actions = element("p", "actions");
    function cancel() {
      closePanel();
      button.disabled = false;
      say(button.dataset.cancelled, true);
      button.focus();
    }
    function action(label, className, handler) {
      var choice = element("button", className, label);
      choice.type = "button";
      choice.addEventListener("click", handler);
      actions.appendChild(choice);
      actions.appendChild(document.createTextNode(" "));
    }
    if (ok) {
      action(button.dataset.confirmLabel, "primary", function () { closePanel(); onConfirm(); });
    } else {
      action(button.dataset.anotherLabel, "primary", function () { closePanel(); again(); });
    }
    action(button.dataset.cancelLabel, "", cancel);
    dialog.appendChild(actions);
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); cancel(); }
    });
    var status = document.getElementById("eds-status");
    (status || button).insertAdjacentElement("afterend", dialog);
    say("", false);
    dialog.focus();
  }

  // The WebSocket once NCALayer has greeted it with its version; rejected with "offline" when
  // nothing answers there.
  function connect(url) {
    return new Promise(function (resolve, reject) {
      var socket;
      try {
        socket = new WebSocket(url);
      } catch (error) {
        reject(new Error("offline"));
        return;
      }
      socket.onmessage = function () { resolve(socket); };
      socket.onerror = function () { reject(new Error("offline")); };
      socket.onclose = function () { reject(new Error("offline")); };
    });
  }

  function documentToSign(url, form) {
    var options = { credentials: "same-origin" };
    if (form) { options.method = "POST"; options.body = new FormData(form); }
    return fetch(url, options).then(function (response) {
      if (response.status === 400 && form) {
        return response.text().then(function (problems) { throw new Error(problems); });
      }
      if (!response.ok) { throw new Error(response.status + " " + response.statusText); }
      return response.text();
    });
  }

  function sign(button) {
    closePanel();
    var form = document.getElementById(button.dataset.form);
    var field = form && form.querySelector("input[name=cms]");
    if (!field) { return; }
    button.disabled = true;
    say(button.dataset.working, false);
    var socket = null;
    var data;
    var posted = "documentPost" in button.dataset ? form : null;
    documentToSign(button.dataset.documentUrl, posted)
      .then(function (text) {
        data = text.trim();
        return connect(button.dataset.ncalayerUrl);
      })
      .then(function (connected) {
        socket = connected;
        var client = new Client(button.dataset.ncalayerUrl, false);
        client.wsConnection = socket; // connected here: the client's own connect() also probes
        return client.basicsSign( //   other local programs, which the page's policy forbids
          Client.basicsStorageAll,
          "cms",
          data,
          Client.basicsCMSParamsDetached,
          Client.basicsSignerSignAny,
          button.dataset.locale || "ru",
          true
        );
      })
      .then(function (cms) {
        if (socket) { socket.onclose = null; socket.close(); }
        socket = null;
        return checkCertificate(button, form, cms).then(function (found) {
          showPanel(button, found, function () {
            field.value = cms;
            form.submit();
          }, function () { sign(button); });
        });
      })
      .catch(function (error) {
        if (socket) { socket.onclose = null; socket.close(); }
        button.disabled = false;
        if (error && error.message === "offline") {
          say(button.dataset.noNcalayer, true);
        } else if (error && error.ownText) {
          say(error.message, true);
        } else if (error && error.canceledByUser) {
          say(button.dataset.cancelled, true);
        } else {
          say(button.dataset.failed + " " + (error && error.message ? error.message : error), true);
        }
      });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-eds-sign]");
    if (button && !button.disabled) {
      event.preventDefault();
      sign(button);
    }
  });
})();
