"""Admin hooks: the notification list, its menu item with the unread count
(one COUNT query per admin page) and a dashboard panel of the latest
unread notices."""

from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from ..models import Notification
from ..notifications import unread_count
from ..views import notifications as views


class NotificationsMenuItem(MenuItem):
    """Its label carries the user's unread count. Menu items are shared
    between requests, so the count goes into the rendered component only."""

    def render_component(self, request):
        component = super().render_component(request)
        count = unread_count(request.user)
        if count:
            component.label = _("Notifications (%(count)s unread)") % {"count": count}
        return component


class UnreadNotificationsPanel(Component):
    name = "hoitu_notifications"
    template_name = "workflows/notifications/panel.html"
    order = 90

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        return {
            "notifications": list(Notification.objects.unread().filter(recipient=self.user).order_by("-created_at", "-pk")[:5]),
        }


@hooks.register("register_admin_urls")
def register_urls():
    return [path("notifications/", include((views.urlpatterns, "workflows_notifications"), namespace="workflows_notifications"))]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return NotificationsMenuItem(
        gettext_lazy("Notifications"), reverse("workflows_notifications:index"), name="notifications", icon_name="mail", order=150
    )


@hooks.register("construct_homepage_panels")
def add_panel(request, panels):
    panels.append(UnreadNotificationsPanel(request.user))
