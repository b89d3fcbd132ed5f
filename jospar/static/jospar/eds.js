// Signing a step with the digital signature (EDS) through NCALayer, the program on the
// person's own computer that holds their keys. A button marked data-eds-sign:
// 1. reads the canonical document of what is signed (base64) from data-document-url (with
//    data-document-post, by posting the form's fields there: the document of what the form
//    holds, not yet saved; a form that does not hold it answers 400 with its problems);
// 2. connects to NCALayer's WebSocket at data-ncalayer-url and asks it (module
//    kz.gov.pki.knca.basics, method sign, through the vendored ncalayer-js-client) for a
//    detached CMS of the document with a signing key (not an AUTH key);
// 3. puts the CMS into the hidden `cms` field of the form data-form names and submits it: the
//    server verifies the signature and says why when it refuses it.
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
        field.value = cms;
        form.submit();
      })
      .catch(function (error) {
        if (socket) { socket.onclose = null; socket.close(); }
        button.disabled = false;
        if (error && error.message === "offline") {
          say(button.dataset.noNcalayer, true);
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
