"""Admin hooks: the second factor's pages, the account's link to the
person's passkeys and the audit-log actions of every change to a second
factor."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from ..views import passkeys
from ..views import two_factor as views


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("second-factor/", include((views.urlpatterns + passkeys.urlpatterns, "workflows_two_factor"), namespace="workflows_two_factor")),
        path("second-factor/webauthn/", include((passkeys.webauthn_urlpatterns, "otp_webauthn"), namespace="otp_webauthn")),
    ]


@hooks.register("register_account_menu_item")
def passkeys_menu_item(request):
    return {
        "url": reverse("workflows_two_factor:passkeys"),
        "label": _("Passkeys"),
        "help_text": _("Sign in with your phone's or computer's screen lock, or a security key, instead of a code."),
    }


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("hoitu.two_factor_reset", _("Reset second factor"), _("Second factor removed: the person enrols again at the next sign-in"))
    actions.register_action("hoitu.two_factor.app_enrolled", _("Set up authenticator app"), _("Authenticator app set up as the second factor"))
    actions.register_action("hoitu.two_factor.passkey_registered", _("Register passkey"), _("Passkey registered as a second factor"))
    actions.register_action("hoitu.two_factor.passkey_removed", _("Remove passkey"), _("Passkey removed by its owner"))
    actions.register_action(
        "hoitu.two_factor.recovery_codes_issued", _("Issue recovery codes"), _("New recovery codes issued: the earlier ones no longer work")
    )
    actions.register_action("hoitu.two_factor.recovery_code_used", _("Sign in with a recovery code"), _("Signed in with a recovery code"))
