// Downloads a legal form with visible progress: the bar runs while the server prepares the
// file, then fills with the bytes received out of Content-Length, and the file is saved
// through a blob URL. Without this script the form's plain GET downloads the file directly.
(function () {
  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_match, key) { return values[key]; });
  }

  function size(bytes) {
    if (bytes < 1024 * 1024) { return Math.max(1, Math.round(bytes / 1024)) + " KB"; }
    return (bytes / 1024 / 1024).toFixed(1) + " MB";
  }

  function filename(response) {
    var header = response.headers.get("Content-Disposition") || "";
    var match = /filename="?([^";]+)"?/.exec(header);
    return match ? match[1] : "download";
  }

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  function download(form) {
    var box = form.querySelector(".export-progress");
    var bar = box.querySelector("progress");
    var status = box.querySelector("[role=status]");
    var button = form.querySelector("button[type=submit]");
    var query = new URLSearchParams(new FormData(form)).toString();
    box.hidden = false;
    bar.removeAttribute("value"); // indeterminate while the server prepares the file
    status.textContent = form.dataset.preparing;
    button.disabled = true;

    fetch(form.action + "?" + query, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(form.dataset.failed + " (" + response.status + ")"); }
        var total = Number(response.headers.get("Content-Length")) || 0;
        var name = filename(response);
        var type = response.headers.get("Content-Type") || "application/octet-stream";
        if (!response.body || !response.body.getReader) {
          return response.blob().then(function (blob) { return [blob, name]; });
        }
        var reader = response.body.getReader();
        var chunks = [];
        var received = 0;
        if (total) { bar.max = total; bar.value = 0; }
        function pump() {
          return reader.read().then(function (step) {
            if (step.done) { return [new Blob(chunks, { type: type }), name]; }
            chunks.push(step.value);
            received += step.value.length;
            if (total) {
              bar.value = Math.min(received, total);
              status.textContent = fill(form.dataset.receiving,
                { received: size(received), total: size(total) });
            } else {
              status.textContent = fill(form.dataset.receivingUnknown, { received: size(received) });
            }
            return pump();
          });
        }
        return pump();
      })
      .then(function (result) {
        save(result[0], result[1]);
        bar.max = 1;
        bar.value = 1;
        status.textContent = fill(form.dataset.done, { name: result[1] });
      })
      .catch(function (error) {
        bar.max = 1;
        bar.value = 0;
        status.textContent = error.message || form.dataset.failed;
      })
      .finally(function () { button.disabled = false; });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-export]")) { return; }
    if (!window.fetch || !window.URLSearchParams || !window.URL || !URL.createObjectURL) { return; }
    event.preventDefault();
    download(form);
  });
})();
