"""Admin hooks: partners of the content API — URLs, menu item (system
administrators only) and the audit-log action of issuing a token."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from ..views import partners as views


class PartnersMenuItem(MenuItem):
    def is_shown(self, request):
        return views.user_can_manage_partners(request.user)


@hooks.register("register_admin_urls")
def register_partner_urls():
    return [path("publishing/partners/", include((views.urlpatterns, "publishing_partners"), namespace="publishing_partners"))]


@hooks.register("register_publishing_menu_item")
def register_partners_menu_item():
    return PartnersMenuItem(_("Partners"), reverse("publishing_partners:index"), name="publishing-partners", icon_name="group", order=300)


@hooks.register("register_log_actions")
def register_partner_log_actions(actions):
    actions.register_action("hoitu.partner.token", _("Issue partner token"), _("New API token issued"))
