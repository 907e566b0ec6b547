"""Admin hooks: the "Publishing" (Phát hành) menu. Its items (dashboard,
channels, partners, and any other area of the app) register with
``register_publishing_menu_item``; its label carries the number of
deliveries that need a person (failed or unknown) in the user's units."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from ..permissions import runs_distribution
from ..views.dashboard import attention_counts


def attention_total(request):
    """Failed + unknown deliveries of the user's units, counted once per request."""
    total = getattr(request, "_hoitu_publishing_attention", None)
    if total is None:
        total = 0
        if runs_distribution(request.user):
            total = sum(failed + unknown for failed, unknown in attention_counts(request.user).values())
        request._hoitu_publishing_attention = total
    return total


class PublishingMenuItem(SubmenuMenuItem):
    def render_component(self, request):
        component = super().render_component(request)
        count = attention_total(request)
        if count:
            component.label = _("Publishing (%(count)s need attention)") % {"count": count}
        return component


publishing_menu = Menu(register_hook_name="register_publishing_menu_item", construct_hook_name="construct_publishing_menu")


@hooks.register("register_admin_menu_item")
def register_publishing_menu():
    return PublishingMenuItem(gettext_lazy("Publishing"), publishing_menu, name="publishing", icon_name="upload", order=160)
