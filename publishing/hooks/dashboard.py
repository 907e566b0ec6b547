"""Admin hooks: the publishing dashboard — its URLs, its menu item (with
the count of deliveries needing attention) and a panel on the admin home
page with the failed and unknown deliveries of the user's units."""

from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from ..permissions import delivery_units, runs_distribution
from ..views import dashboard as views
from .menu import attention_total


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return runs_distribution(request.user)

    def render_component(self, request):
        component = super().render_component(request)
        count = attention_total(request)
        if count:
            component.label = _("Dashboard (%(count)s need attention)") % {"count": count}
        return component


class DeliveriesNeedingAttentionPanel(Component):
    name = "hoitu_publishing"
    template_name = "publishing/dashboard/home_panel.html"
    order = 95

    def __init__(self, units, counts):
        self.units, self.counts = units, counts

    def get_context_data(self, parent_context):
        rows = []
        for unit in self.units:
            failed, unknown = self.counts.get(unit.pk, (0, 0))
            rows.append({"unit": unit, "failed": failed, "unknown": unknown, "url": views.dashboard_url(unit)})
        return {"rows": rows, "total": sum(r["failed"] + r["unknown"] for r in rows)}


@hooks.register("register_admin_urls")
def register_dashboard_urls():
    return [path("publishing/", include((views.urlpatterns, "publishing_dashboard"), namespace="publishing_dashboard"))]


@hooks.register("register_publishing_menu_item")
def register_dashboard_menu_item():
    return DashboardMenuItem(
        gettext_lazy("Dashboard"), reverse("publishing_dashboard:index"), name="publishing-dashboard", icon_name="upload", order=100
    )


@hooks.register("construct_homepage_panels")
def add_attention_panel(request, panels):
    units = list(delivery_units(request.user))
    if units:
        panels.append(DeliveriesNeedingAttentionPanel(units, views.attention_counts(request.user)))
