// The video and audio edit page follows the media worker: the progress bar
// moves as the worker reports, and the page reloads once the item is ready
// or failed, to show what was made or why not.
(function () {
  var box = document.querySelector("[data-archive-progress]");
  if (!box) return;
  var bar = box.querySelector("progress");
  var label = box.querySelector("[data-archive-progress-label]");
  var percent = box.querySelector("[data-archive-progress-percent]");
  var address = box.dataset.archiveProgress;
  var edited = false;
  var form = box.closest("form");
  if (form) form.addEventListener("input", function () { edited = true; });
  function look() {
    fetch(address, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (now) {
        if (!now) return setTimeout(look, 10000);
        bar.value = now.progress;
        bar.textContent = percent.textContent = now.progress + "%";
        label.textContent = now.label;
        if (now.state === "ready" || now.state === "failed") {
          // Unsaved edits would be lost: reload only when there are none.
          if (!edited) window.location.reload();
          else box.querySelector("[data-archive-progress-done]").hidden = false;
          return;
        }
        setTimeout(look, 2000);
      })
      .catch(function () {
        setTimeout(look, 10000);
      });
  }
  setTimeout(look, 2000);
})();
