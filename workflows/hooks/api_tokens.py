"""Admin hooks: a person's own API tokens, in the account area."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from ..views import api_tokens as views


@hooks.register("register_admin_urls")
def register_urls():
    return [path("api-tokens/", include((views.urlpatterns, "workflows_api_tokens"), namespace="workflows_api_tokens"))]


@hooks.register("register_account_menu_item")
def register_account_menu_item(request):
    return {
        "url": reverse("workflows_api_tokens:index"),
        "label": _("API tokens"),
        "help_text": _("Tokens for scripts and phone apps that upload to the archive for you."),
    }
