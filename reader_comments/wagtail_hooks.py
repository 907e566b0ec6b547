"""Admin hooks: the moderation queue's address, its menu item and the
actions it writes in the log."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from workflows.menu import RoleMenuItem

from . import services
from .views import moderation


@hooks.register("register_admin_urls")
def register_urls():
    return [path("reader-comments/", include(moderation.urlpatterns))]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return RoleMenuItem(
        _("Reader comments"), reverse("reader_comments_moderation_home"), name="reader-comments", icon_name="comment", order=150, roles=services.MODERATORS
    )


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for verb, label, message in (
        ("approve", _("Approve reader comment"), _("Reader comment approved")),
        ("reject", _("Reject reader comment"), _("Reader comment rejected")),
        ("stop", _("Stop reader"), _("Reader stopped from commenting")),
        ("lift", _("Let reader comment again"), _("Reader may comment again")),
        ("open", _("Open reader comments"), _("Reader comments opened on the site")),
        ("close", _("Close reader comments"), _("Reader comments closed on the site")),
    ):
        actions.register_action(f"hoitu.reader_comment.{verb}", label, message)
