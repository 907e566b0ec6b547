"""Admin hooks: channels (Kênh phát hành) — URLs, menu item and the
audit-log actions of enabling and disabling one."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from ..permissions import runs_distribution
from ..views import channels as views


class ChannelsMenuItem(MenuItem):
    def is_shown(self, request):
        return runs_distribution(request.user)


@hooks.register("register_admin_urls")
def register_channel_urls():
    return [path("publishing/channels/", include((views.urlpatterns, "publishing_channels"), namespace="publishing_channels"))]


@hooks.register("register_publishing_menu_item")
def register_channels_menu_item():
    return ChannelsMenuItem(_("Channels"), reverse("publishing_channels:index"), name="publishing-channels", icon_name="site", order=200)


@hooks.register("register_log_actions")
def register_channel_log_actions(actions):
    actions.register_action("hoitu.channel.enable", _("Enable channel"), _("Channel enabled"))
    actions.register_action("hoitu.channel.disable", _("Disable channel"), _("Channel disabled"))
