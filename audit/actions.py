"""The trail's own action codes and their names; the other codes are
Wagtail's log actions (``wagtail.publish``, ``hoitu.channel.enable``…),
named by Wagtail's registry."""

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import registry as log_registry

AUDIT_ACTIONS = {
    "auth.login": _("Signed in"),
    "auth.login_failed": _("Sign-in failed"),
    "auth.logout": _("Signed out"),
    "auth.password_change": _("Password changed"),
    "auth.account_create": _("Account created"),
    "auth.account_delete": _("Account deleted"),
    "auth.account_flags": _("Account status changed"),
    "auth.account_groups": _("Account's groups changed"),
    "auth.group_save": _("Group saved"),
    "auth.group_delete": _("Group deleted"),
    "auth.permissions": _("Permissions changed"),
    "auth.permission_save": _("Permission saved"),
    "auth.object_permission_save": _("Page or collection permission saved"),
    "auth.object_permission_delete": _("Page or collection permission removed"),
    "auth.token_create": _("API token created"),
    "auth.token_revoke": _("API token revoked"),
    "admin.export": _("Listing exported"),
    "api.address_locked": _("Address locked out of the content API"),
}


def action_label(code):
    if code in AUDIT_ACTIONS:
        return AUDIT_ACTIONS[code]
    if log_registry.action_exists(code):
        return log_registry.get_action_label(code)
    return code


def action_choices():
    return sorted([*AUDIT_ACTIONS.items(), *log_registry.get_choices()], key=lambda choice: str(choice[1]))
