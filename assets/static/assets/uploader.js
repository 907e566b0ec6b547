// The uploader from the field: each chosen file goes over tus
// (vendor/tus-js-client, MIT) with its own progress bar; after a dropped
// connection tus-js-client asks the server where the file stands and sends
// from the next byte, retrying for about a minute, and an upload left
// unfinished is found again (by the file's name, size and date) when the
// same file is chosen later. Then the page follows the item the media
// worker makes of it.
(function () {
  var form = document.querySelector("[data-archive-uploader]");
  if (!form || !window.tus) return;
  var words = JSON.parse(document.getElementById("archive-uploader-words").textContent);
  var list = document.querySelector("[data-archive-uploader-list]");
  var row = document.querySelector("[data-archive-uploader-row]");
  var csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  var maxBytes = Number(form.dataset.maxBytes);

  function follow(status, line) {
    fetch(status, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (now) {
        if (now.state === "added") {
          line.state.textContent = words.added + (now.processing ? " · " + now.processing : "");
          line.link.href = now.item_url;
          line.link.hidden = false;
          if (now.progress !== null && now.progress < 100 && now.processing) setTimeout(function () { follow(status, line); }, 3000);
        } else if (now.state === "failed") {
          line.state.textContent = words.failed + ": " + now.failure;
        } else {
          setTimeout(function () { follow(status, line); }, 2000);
        }
      })
      .catch(function () { setTimeout(function () { follow(status, line); }, 5000); });
  }

  function send(file) {
    var item = row.content.firstElementChild.cloneNode(true);
    var line = {
      name: item.querySelector("[data-name]"), state: item.querySelector("[data-state]"), bar: item.querySelector("[data-bar]"),
      percent: item.querySelector("[data-percent]"), link: item.querySelector("[data-link]"), cancel: item.querySelector("[data-cancel]"),
    };
    line.name.textContent = file.name;
    list.appendChild(item);
    if (file.size > maxBytes) {
      line.state.textContent = words.tooLarge;
      line.cancel.hidden = true;
      return;
    }
    var upload = new window.tus.Upload(file, {
      endpoint: form.dataset.endpoint,
      chunkSize: 5 * 1024 * 1024,
      retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
      removeFingerprintOnSuccess: true,
      headers: { "X-CSRFToken": csrf },
      metadata: { filename: file.name, filetype: file.type },
      onProgress: function (sent, total) {
        var percent = total ? Math.floor((100 * sent) / total) : 0;
        line.bar.value = percent;
        line.percent.textContent = percent + "%";
        line.state.textContent = words.sending;
      },
      onShouldRetry: function (error) {
        line.state.textContent = words.resuming;
        var status = error.originalResponse ? error.originalResponse.getStatus() : 0;
        // The server said no (wrong type, too large, gone): trying again will not help.
        return !(status === 403 || status === 404 || status === 410 || status === 413 || status === 415);
      },
      onError: function (error) {
        var body = error.originalResponse ? error.originalResponse.getBody() : "";
        var reason = "";
        try { reason = JSON.parse(body).error; } catch (ignored) { reason = String(error.message || error); }
        line.state.textContent = words.failed + ": " + reason;
        line.cancel.hidden = true;
      },
      onSuccess: function () {
        line.bar.value = 100;
        line.percent.textContent = "100%";
        line.state.textContent = words.received;
        line.cancel.hidden = true;
        follow(upload.url.replace(/\/?$/, "/") + "status/", line);
      },
    });
    line.cancel.addEventListener("click", function () {
      upload.abort(true).then(function () { line.state.textContent = words.cancelled; line.cancel.hidden = true; });
    });
    upload.findPreviousUploads().then(function (previous) {
      if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
    });
  }

  form.querySelector("[data-archive-uploader-input]").addEventListener("change", function (event) {
    Array.prototype.forEach.call(event.target.files, send);
    event.target.value = "";
  });
})();
