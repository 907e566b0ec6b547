"""Admin hooks: the moderation queue's address, its menu item, the
dashboard's count of comments waiting and the actions it writes in the
log."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

from workflows.membership import membership
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


class WaitingCommentsPanel(Component):
    """How many readers' comments wait for the person, unit by unit: shown
    only while some do."""

    name = "hoitu_waiting_comments"
    template_name = "reader_comments/waiting_panel.html"
    order = 8

    def __init__(self, rows):
        self.rows = rows

    def get_context_data(self, parent_context):
        return {"rows": [(name, count, reverse("reader_comments_moderation", args=[slug])) for slug, name, count in self.rows]}


@hooks.register("construct_homepage_panels")
def add_waiting_comments_panel(request, panels):
    if membership(request.user).holds_any(services.MODERATORS):
        rows = services.waiting_by_unit(request.user)
        if rows:
            panels.append(WaitingCommentsPanel(rows))


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
