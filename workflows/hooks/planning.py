"""Admin hooks: assignments (đề tài) — their URLs, menu item and audit-log
actions."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from ..menu import RoleMenuItem
from ..views import assignments as views


@hooks.register("register_admin_urls")
def register_urls():
    return [path("assignments/", include((views.urlpatterns, "workflows_assignments"), namespace="workflows_assignments"))]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return RoleMenuItem(_("Assignments"), reverse("workflows_assignments:index"), name="assignments", icon_name="clipboard-list", order=140)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for verb, label, message in (
        ("propose", _("Propose assignment"), _("Assignment proposed")),
        ("approve", _("Approve assignment"), _("Assignment approved")),
        ("assign", _("Assign"), _("Assignees set")),
        ("edit", _("Edit assignment"), _("Assignment edited")),
        ("cancel", _("Cancel assignment"), _("Assignment cancelled")),
        ("start", _("Start writing"), _("Writing started: draft story created")),
        ("comment", _("Comment on assignment"), _("Comment added")),
        ("submitted", _("Story submitted"), _("The story was submitted for review")),
        ("sent_back", _("Story sent back"), _("The story was sent back for changes")),
        ("done", _("Story published"), _("Assignment done: the story is published")),
        ("deadline_near", _("Deadline near"), _("Deadline-near notice sent")),
        ("overdue", _("Overdue"), _("Overdue notice sent")),
    ):
        actions.register_action(f"hoitu.assignment.{verb}", label, message)
