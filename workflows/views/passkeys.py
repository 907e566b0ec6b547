"""Passkeys (WebAuthn, django-otp-webauthn) as a second factor: registered
at enrolment or from the account, used at the code page instead of a code.
The library's JSON views do the ceremonies; here they count a passkey as
the TOTP path counts a right code (a new session key), and send the person
back into the admin. The account's page also removes a passkey and issues
new recovery codes."""

import json
from functools import wraps

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_POST
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import views as webauthn
from django_otp_webauthn.models import WebAuthnCredential

from .. import two_factor
from ..models import RecoveryCodes
from .two_factor import _next, _verified

# django-otp-webauthn's messages that its scripts show, translated in the
# project's catalogue (the library has no Vietnamese): named here so that
# makemessages keeps them.
LIBRARY_MESSAGES = (
    gettext_noop("You must verify your identity first with an existing MFA device before you can register a new passkey."),
    gettext_noop("This Passkey has been marked as disabled."),
    gettext_noop("The Passkey you tried to use was not found. Perhaps it was removed?"),
    gettext_noop(
        "The Passkey you tried to use does not belong to the currently logged-in user. "
        "Try using a different Passkey or logout first to use this Passkey."
    ),
    gettext_noop("State is missing or invalid. Please begin the operation first before trying to complete it."),
    gettext_noop("Malformed request. JSON not parsable."),
    gettext_noop("Authentication required."),
    gettext_noop("User is not verified."),
    gettext_noop("Error processing WebAuthn request."),
    gettext_noop("Passwordless login is disabled."),
    gettext_noop("This user account is marked as disabled."),
)


LAST_FACTOR = gettext_lazy(
    "Your account must have a second factor and this passkey is the only one left: register another passkey before removing it."
)


class CompleteRegistration(webauthn.CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        verified_before = self.request.user.is_verified()
        response = super().post(*args, **kwargs)
        # Returned, not raised: registered, and the answer names the passkey.
        two_factor.passkey_registered(WebAuthnCredential.objects.get(pk=json.loads(response.content)["id"]))
        # A first passkey verifies the session (the library's otp_login):
        # from here on it gets a key no one saw before, as after a code.
        if not verified_before:
            self.request.session.cycle_key()
        return response


class CompleteAuthentication(webauthn.CompleteCredentialAuthenticationView):
    def complete_auth(self, device):
        # Passwordless sign-in is off: the password was given already.
        _verified(self.request, device)

    def get_success_url(self):
        return self.get_redirect_url() or reverse("wagtailadmin_home")


def registered(request):
    """Where the enrolment page goes once a passkey is registered: the first
    factor of an account gets recovery codes, shown this once; otherwise on
    to the page asked for."""
    if not request.user.is_verified():
        # Codes are a way in: only for a session the passkey has verified.
        return redirect(f"{reverse('workflows_two_factor:verify')}?{request.GET.urlencode()}")
    if RecoveryCodes.objects.filter(user=request.user).exists():
        return redirect(_next(request))
    codes = two_factor.new_recovery_codes(request.user)
    return TemplateResponse(
        request, "workflows/two_factor/recovery_codes.html", {"codes": codes, "next": _next(request), "passkey": True}
    )


def passkeys(request):
    """The person's own passkeys, from their account: add another one or
    remove one; and how many recovery codes are left, with new ones."""
    return TemplateResponse(
        request,
        "workflows/two_factor/passkeys.html",
        {
            "passkeys": WebAuthnCredential.objects.filter(user=request.user, confirmed=True).order_by("created_at"),
            "after_registration": f"{reverse('workflows_two_factor:passkeys')}?{urlencode({'registered': 1})}",
            "registered": "registered" in request.GET,
            "recovery": RecoveryCodes.objects.filter(user=request.user).first(),
        },
    )


def verified_session(view):
    """Changing one's second factor takes a session it verified: the
    password alone (enough where no second factor is required) is sent to
    the code page first."""

    @wraps(view)
    def check(request, *args, **kwargs):
        if not request.user.is_verified():
            return redirect(f"{reverse('workflows_two_factor:verify')}?{urlencode({'next': reverse('workflows_two_factor:passkeys')})}")
        return view(request, *args, **kwargs)

    return check


@verified_session
def remove(request, passkey_id):
    """Asks, then removes one of the person's own passkeys (another
    person's does not exist here)."""
    passkey = get_object_or_404(WebAuthnCredential, pk=passkey_id, user=request.user, confirmed=True)
    if request.method == "POST":
        if two_factor.remove_passkey(passkey):
            messages.success(request, _("The passkey “%(name)s” has been removed.") % {"name": passkey.name})
        else:
            messages.error(request, LAST_FACTOR)
        return redirect("workflows_two_factor:passkeys")
    return TemplateResponse(
        request,
        "workflows/two_factor/passkey_remove.html",
        {"passkey": passkey, "last": two_factor.last_required_factor(passkey), "message": LAST_FACTOR},
    )


@require_POST
@verified_session
def new_recovery_codes(request):
    codes = two_factor.new_recovery_codes(request.user)
    return TemplateResponse(
        request,
        "workflows/two_factor/recovery_codes.html",
        {"codes": codes, "next": reverse("workflows_two_factor:passkeys"), "replaced": True},
    )


# The library's names (its template tags reverse them), under the admin so
# that a person between password and second factor reaches them
# (workflows/middleware.py, BEFORE_SECOND_FACTOR).
webauthn_urlpatterns = [
    path("registration/begin/", webauthn.BeginCredentialRegistrationView.as_view(), name="credential-registration-begin"),
    path("registration/complete/", CompleteRegistration.as_view(), name="credential-registration-complete"),
    path("authentication/begin/", webauthn.BeginCredentialAuthenticationView.as_view(), name="credential-authentication-begin"),
    path("authentication/complete/", CompleteAuthentication.as_view(), name="credential-authentication-complete"),
    # The scripts' messages: the project's catalogue (locale/) holds their Vietnamese.
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]), name="js-i18n-catalog"),
]

urlpatterns = [
    path("passkeys/", passkeys, name="passkeys"),
    path("passkeys/registered/", registered, name="passkey_registered"),
    path("passkeys/<int:passkey_id>/remove/", remove, name="passkey_remove"),
    path("recovery-codes/new/", new_recovery_codes, name="new_recovery_codes"),
]
