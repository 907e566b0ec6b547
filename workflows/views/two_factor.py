"""The second factor after the password: enrolling an authenticator app
(QR code, drawn here, and the secret in text; recovery codes shown once)
and giving a code at each sign-in. Passkeys: workflows/views/passkeys.py. See workflows/middleware.py for who is
sent here."""

import segno
from django import forms
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import devices_for_user
from django_otp import login as otp_login

from ..landing import landing_url
from ..models import AuthenticatorApp, RecoveryCodes
from ..two_factor import confirm_authenticator, has_passkey, has_second_factor, pending_authenticator, recovery_code_used

THROTTLED = gettext_lazy("Too many wrong codes: wait a few seconds, then enter the code your app shows now.")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Verification code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "inputmode": "numeric", "spellcheck": "false"}),
    )


def _next(request):
    """Where the person asked to go, or where their role starts the day:
    the admin's home is where a sign-in with no other aim is sent."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target != reverse("wagtailadmin_home") and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return landing_url(request.user)


def _verified(request, device):
    otp_login(request, device)
    # A session verified from here on gets a key no one saw before.
    request.session.cycle_key()


def _render(request, template, context):
    return TemplateResponse(request, f"workflows/two_factor/{template}", {"next": _next(request), **context})


def enrol(request):
    user = request.user
    if has_second_factor(user):
        return redirect(f"{reverse('workflows_two_factor:verify')}?{request.GET.urlencode()}")
    device = pending_authenticator(user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if _throttled([device]):
            form.add_error("code", THROTTLED)
        elif device.verify_token(form.cleaned_data["code"]):
            codes = confirm_authenticator(device)
            _verified(request, device)
            return _render(request, "recovery_codes.html", {"codes": codes})
        else:
            form.add_error("code", _("The code is wrong or has expired. Enter the code your app shows now."))
    qr = segno.make(device.config_url, error="m")
    return _render(
        request,
        "enrol.html",
        {
            "form": form,
            "qr_svg": qr.svg_inline(scale=5, dark="#000", light="#fff", title=_("QR code for your authenticator app")),
            "secret": " ".join(device.secret[i : i + 4] for i in range(0, len(device.secret), 4)),
            "config_url": device.config_url,
            "after_passkey": f"{reverse('workflows_two_factor:passkey_registered')}?{urlencode({'next': _next(request)})}",
        },
    )


def verify(request):
    user = request.user
    if not has_second_factor(user):
        return redirect(f"{reverse('workflows_two_factor:enrol')}?{request.GET.urlencode()}")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        code = form.cleaned_data["code"].strip().replace(" ", "")
        # Six digits are the app's code, anything else a recovery code: a
        # recovery code never counts as a wrong code of the app.
        kind = AuthenticatorApp if code.isdigit() and len(code) == AuthenticatorApp.DIGITS else RecoveryCodes
        with transaction.atomic():
            devices = [device for device in devices_for_user(user, for_verify=True) if isinstance(device, kind)]
            throttled = _throttled(devices)
            accepted = None if throttled else next((device for device in devices if device.verify_token(code)), None)
            if isinstance(accepted, RecoveryCodes):
                recovery_code_used(accepted)
        if accepted:
            _verified(request, accepted)
            return redirect(_next(request))
        form.add_error(
            "code",
            THROTTLED if throttled else _("The code is wrong or has expired. Enter the code your app shows now, or one of your recovery codes."),
        )
    return _render(request, "verify.html", {"form": form, "has_passkey": has_passkey(user)})


def _throttled(devices):
    """Whether a wrong code was given too recently: each wrong one doubles
    the wait (OTP_TOTP_THROTTLE_FACTOR), and a code given before the wait is
    over is not even tried."""
    return any(not device.verify_is_allowed()[0] for device in devices)


urlpatterns = [
    path("enrol/", enrol, name="enrol"),
    path("verify/", verify, name="verify"),
]
