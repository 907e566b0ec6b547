"""Admin hooks: assignments (đề tài) — their URLs, menu item, the
dashboard panel of a writer's own and audit-log actions."""

from django.db.models import F
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

from ..membership import membership
from ..menu import RoleMenuItem
from ..models import Assignment, AssignmentStatus
from ..views import assignments as views
from ..writing import WRITERS


@hooks.register("register_admin_urls")
def register_urls():
    return [path("assignments/", include((views.urlpatterns, "workflows_assignments"), namespace="workflows_assignments"))]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return RoleMenuItem(_("Assignments"), reverse("workflows_assignments:index"), name="assignments", icon_name="clipboard-list", order=140)


class MyAssignmentsPanel(Component):
    """The assignments given to the person that are not finished, nearest
    deadline first: with "Viết bài mới" and Wagtail's own panels of their
    stories, a reporter's day on one page."""

    name = "hoitu_my_assignments"
    template_name = "workflows/assignments/my_assignments_panel.html"
    order = 6
    OPEN = (AssignmentStatus.APPROVED, AssignmentStatus.ASSIGNED, AssignmentStatus.IN_PROGRESS)
    SHOWN = 10

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        assignments = Assignment.objects.filter(assignees=self.user, status__in=self.OPEN).select_related("unit", "story")
        ordered = assignments.order_by(F("deadline").asc(nulls_last=True), "-created_at")
        return {"assignments": ordered[: self.SHOWN], "count": assignments.count(), "index_url": reverse("workflows_assignments:index")}


@hooks.register("construct_homepage_panels")
def add_my_assignments_panel(request, panels):
    if membership(request.user).holds_any(WRITERS):
        panels.append(MyAssignmentsPanel(request.user))


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
