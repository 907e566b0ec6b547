"""Admin hooks: the second factor's pages and its audit-log action."""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from ..views import two_factor as views


@hooks.register("register_admin_urls")
def register_urls():
    return [path("second-factor/", include((views.urlpatterns, "workflows_two_factor"), namespace="workflows_two_factor"))]


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("hoitu.two_factor_reset", _("Reset second factor"), _("Second factor removed: the person enrols again at the next sign-in"))
