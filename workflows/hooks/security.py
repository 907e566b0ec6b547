"""Admin hooks: the locks screen (workflows/views/lockouts.py) under
Settings, and its entries in Wagtail's log."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from ..menu import RoleMenuItem
from ..views import lockouts


@hooks.register("register_admin_urls")
def register_lockout_urls():
    return [path("locks/", include((lockouts.urlpatterns, "workflows_lockouts"), namespace="workflows_lockouts"))]


@hooks.register("register_settings_menu_item")
def register_lockout_menu_item():
    return RoleMenuItem(
        _("Locked sign-ins"), reverse("workflows_lockouts:list"), name="locked-sign-ins", icon_name="lock", order=592, roles=lockouts.LOCK_ROLES
    )


class LockLiftedFormatter(LogFormatter):
    label = _("Sign-in lock lifted")

    def format_message(self, log_entry):
        return _("Sign-in lock lifted on %(value)s") % {"value": log_entry.data.get("value", "")}


class ApiLockLiftedFormatter(LogFormatter):
    label = _("Content API lock lifted")

    def format_message(self, log_entry):
        return _("Content API lock lifted on %(value)s") % {"value": log_entry.data.get("value", "")}


@hooks.register("register_log_actions")
def register_lockout_log_actions(actions):
    actions.register_action("hoitu.lock_lifted")(LockLiftedFormatter)
    actions.register_action("hoitu.api_lock_lifted")(ApiLockLiftedFormatter)


@hooks.register("register_log_actions")
def register_account_log_actions(actions):
    actions.register_action("hoitu.account_disabled", _("Account disabled"), _("Account disabled: not used for too long"))
    actions.register_action("hoitu.accounts_reviewed", _("Accounts reviewed"), _("The unit's accounts reviewed"))
