"""Admin hooks: the sign-in sessions page (in the account area), the idle
timeout's warning script, and the log actions of ending sessions."""

from django.conf import settings
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from ..views import sessions as views


@hooks.register("register_admin_urls")
def register_urls():
    return [path("sessions/", include((views.urlpatterns, "workflows_sessions"), namespace="workflows_sessions"))]


@hooks.register("register_account_menu_item")
def register_account_menu_item(request):
    return {
        "url": reverse("workflows_sessions:index"),
        "label": _("Sign-in sessions"),
        "help_text": _("See where you are signed in, and sign out there."),
    }


@hooks.register("insert_global_admin_js")
def idle_timeout_warning():
    # The hook has no request: the script learns this person's time left
    # from the status address, first asking when the shorter limit could
    # be near.
    shortest = min(settings.SESSION_IDLE_MINUTES, settings.SESSION_IDLE_MINUTES_SYSTEM_ADMIN) * 60
    return format_html(
        '<link rel="stylesheet" href="{}"><script src="{}" defer data-first-check-seconds="{}" data-warning-seconds="{}" '
        'data-status-url="{}" data-keep-alive-url="{}" data-login-url="{}" data-warning-text="{}" data-keep-label="{}"></script>',
        static("workflows/session-timeout.css"),
        static("workflows/session-timeout.js"),
        max(shortest - settings.SESSION_IDLE_WARNING_SECONDS, 0),
        settings.SESSION_IDLE_WARNING_SECONDS,
        reverse("workflows_sessions:status"),
        reverse("workflows_sessions:keep_alive"),
        reverse("wagtailadmin_login"),
        gettext("Your session will end in %(minutes)s minutes without activity. Unsaved changes may be lost."),
        gettext("Keep working"),
    )


@hooks.register("register_log_actions")
def register_session_log_actions(actions):
    actions.register_action("hoitu.session.end", _("End sign-in session"), _("A sign-in session was ended"))
    actions.register_action("hoitu.session.end_all", _("Sign out everywhere"), _("Every other sign-in session was ended"))
