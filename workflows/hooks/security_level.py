"""Admin hooks: the level-3 evidence page and the personal data register,
in the Settings menu of system administrators."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from ..membership import membership
from ..views import personal_data, security_level


class SystemAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return membership(request.user).superuser


@hooks.register("register_admin_urls")
def register_security_level_urls():
    return [path("security-level/", include((security_level.urlpatterns, "workflows_security_level"), namespace="workflows_security_level"))]


@hooks.register("register_settings_menu_item")
def register_security_level_menu_item():
    return SystemAdminMenuItem(_("Security level 3"), reverse("workflows_security_level:index"), name="security-level", icon_name="lock", order=900)


@hooks.register("register_admin_urls")
def register_personal_data_urls():
    return [path("personal-data/", include((personal_data.urlpatterns, "workflows_personal_data"), namespace="workflows_personal_data"))]


@hooks.register("register_settings_menu_item")
def register_personal_data_menu_item():
    return SystemAdminMenuItem(_("Personal data register"), reverse("workflows_personal_data:register"), name="personal-data", icon_name="user", order=901)
