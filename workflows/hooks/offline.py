"""Admin hooks: drafting without a connection — the service worker's
address and the editor's script that keeps the draft in the browser."""

from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from wagtail import hooks

from ..views import offline as views


@hooks.register("register_admin_urls")
def register_urls():
    return [path("hoitu/", include(views.urlpatterns))]


@hooks.register("insert_editor_js")
def keep_drafts_offline():
    attributes = {
        "worker-url": reverse("hoitu_offline_worker"),
        "worker-scope": views.SCOPE,
        "offline-text": gettext("No connection. What you write is kept in this browser and saved as soon as the connection is back."),
        "kept-text": gettext("A draft written without a connection is kept in this browser; it will be saved when the connection is back."),
        "sending-text": gettext("Saving the draft kept in this browser…"),
        "refused-text": gettext("The draft kept in this browser was not saved:"),
        "full-text": gettext("This browser's storage is full: the draft cannot be kept here. Save it as soon as you can."),
        "drop-label": gettext("Discard this draft"),
    }
    return format_html(
        '<link rel="stylesheet" href="{}"><script src="{}" {}></script>',
        static("workflows/offline-drafts.css"),
        static("workflows/offline-drafts.js"),
        format_html_join(" ", 'data-{}="{}"', attributes.items()),
    )
