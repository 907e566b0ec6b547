// Idle-timeout warning: asks the server how long the session has left (that
// question is not activity), shows a banner in the last minutes with a
// "keep working" button (which is), and goes to the sign-in page once the
// session has ended. Values come from the script tag's data attributes.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || document.body.classList.contains("login")) return;
  var data = script.dataset;
  var warning = parseInt(data.warningSeconds, 10);
  var timer = null;
  var banner = null;

  function schedule(seconds) {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, Math.max(seconds, 1) * 1000);
  }

  function toSignIn(loginUrl) {
    var next = window.location.pathname + window.location.search;
    window.location.assign((loginUrl || data.loginUrl) + "?next=" + encodeURIComponent(next));
  }

  function ask(url, options) {
    return fetch(url, Object.assign({ credentials: "same-origin", headers: { Accept: "application/json" } }, options)).then(
      function (response) {
        return response.json().then(function (body) {
          return { status: response.status, body: body };
        });
      }
    );
  }

  function answer(result) {
    if (result.status === 401) {
      toSignIn(result.body.login_url);
      return;
    }
    if (result.status !== 200) return;
    var left = result.body.seconds_left;
    if (left <= 0) {
      // The server signs the session out on its next request.
      schedule(1);
    } else if (left <= warning) {
      show(left);
      schedule(left + 1);
    } else {
      hide();
      schedule(left - warning);
    }
  }

  function check() {
    // Not signed in any more, or offline: nothing to warn about.
    ask(data.statusUrl).then(answer, function () {});
  }

  function keepWorking() {
    var token = window.wagtailConfig && window.wagtailConfig.CSRF_TOKEN;
    var header = (window.wagtailConfig && window.wagtailConfig.CSRF_HEADER_NAME) || "X-CSRFToken";
    var headers = { Accept: "application/json" };
    headers[header] = token;
    ask(data.keepAliveUrl, { method: "POST", headers: headers }).then(answer, function () {});
  }

  function show(left) {
    if (!banner) {
      banner = document.createElement("div");
      banner.className = "hoitu-session-warning";
      banner.setAttribute("role", "alertdialog");
      banner.setAttribute("aria-live", "assertive");
      var text = document.createElement("p");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.textContent = data.keepLabel;
      button.addEventListener("click", keepWorking);
      banner.appendChild(text);
      banner.appendChild(button);
      document.body.appendChild(banner);
    }
    var minutes = Math.max(1, Math.ceil(left / 60));
    banner.firstChild.textContent = data.warningText.replace("%(minutes)s", minutes);
    banner.hidden = false;
  }

  function hide() {
    if (banner) banner.hidden = true;
  }

  schedule(parseInt(data.firstCheckSeconds, 10));
})();
