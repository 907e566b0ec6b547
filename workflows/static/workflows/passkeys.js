// Once django-otp-webauthn's script has registered a passkey, go where the
// page says (data-hoitu-passkey-next): a static file, so the sign-in steps
// keep a policy without inline script.
(function () {
  "use strict";
  document.addEventListener("otp_webauthn.register_complete", function (event) {
    var holder = event.target.closest("[data-hoitu-passkey-next]");
    if (holder) window.location.assign(holder.dataset.hoituPasskeyNext);
  });
})();
