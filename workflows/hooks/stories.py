"""Admin hooks: where a story starts ("Viết bài mới" in the menu and on
the dashboard), a story after approval (take down, correct, timeline) and
what an editor must see while editing it (embargo, takedown, why it was
sent back)."""

from django.contrib import messages
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter
from wagtail.models import TaskState, WorkflowState

from newsroom.models import ArticlePage

from ..menu import RoleMenuItem
from ..services import can_correct, can_take_down
from ..views import stories as views
from ..writing import WRITERS, sections_to_write_in


@hooks.register("register_admin_urls")
def register_story_urls():
    return [path("hoitu/stories/", include(views.urlpatterns))]


@hooks.register("register_admin_menu_item")
def write_menu_item():
    # First in the menu: what most of the newsroom opens the admin for.
    return RoleMenuItem(_("Write a story"), reverse("hoitu_story_write"), name="write", icon_name="edit", order=1, roles=WRITERS)


class WritePanel(Component):
    name = "hoitu_write"
    template_name = "workflows/stories/write_panel.html"
    order = 5

    def __init__(self, sections):
        self.sections = sections

    def get_context_data(self, parent_context):
        return {"sections": self.sections}


@hooks.register("construct_homepage_panels")
def add_write_panel(request, panels):
    sections = sections_to_write_in(request.user)
    if sections:
        panels.append(WritePanel(sections))


def _is_story(page):

    return page.specific_class is not None and issubclass(page.specific_class, ArticlePage)


def _story_buttons(page, user, priority):
    if not _is_story(page):
        return
    if page.permissions_for_user(user).can_edit():
        yield Button(_("Timeline"), reverse("hoitu_story_timeline", args=[page.pk]), icon_name="history", priority=priority)
    if can_correct(user, page):
        yield Button(_("Correct"), reverse("hoitu_story_correct", args=[page.pk]), icon_name="warning", priority=priority + 1)
    if can_take_down(user, page):
        yield Button(_("Take down"), reverse("hoitu_story_take_down", args=[page.pk]), icon_name="no-view", priority=priority + 2)


@hooks.register("register_page_header_buttons")
def story_header_buttons(page, user, view_name, next_url=None):
    # After Wagtail's own "Unpublish" (60) and "History" (65).
    yield from _story_buttons(page, user, priority=66)


@hooks.register("register_page_listing_more_buttons")
def story_listing_buttons(page, user, next_url=None):
    yield from _story_buttons(page, user, priority=51)


@hooks.register("before_edit_page")
def warn_about_embargo_and_takedown(request, page):
    """The editor's status at a glance: why the story was sent back (until
    it is sent for review again), an embargo holds the story back whatever
    its go-live time, and a taken-down story stays off the site until a
    publisher publishes it again."""
    if request.method != "GET" or not _is_story(page):
        return
    sent_back = (
        TaskState.objects.filter(
            workflow_state__in=WorkflowState.objects.for_instance(page).filter(status=WorkflowState.STATUS_NEEDS_CHANGES),
            status=TaskState.STATUS_REJECTED,
        )
        .select_related("finished_by", "task")
        .order_by("-finished_at")
        .first()
    )
    if sent_back is not None:
        messages.warning(
            request,
            _("Sent back by %(person)s at the step “%(step)s” on %(time)s: %(comment)s")
            % {
                "person": sent_back.finished_by.get_full_name() if sent_back.finished_by else _("an editor"),
                "step": sent_back.task.name,
                "time": date_format(timezone.localtime(sent_back.finished_at), "DATETIME_FORMAT"),
                "comment": sent_back.comment or _("no comment was given."),
            },
            extra_tags="sent-back",
        )
    if page.is_embargoed():
        messages.warning(
            request,
            _("Embargoed until %(time)s: readers and channels get nothing of this story before then.")
            % {"time": date_format(timezone.localtime(page.embargo_until), "DATETIME_FORMAT")},
            extra_tags="embargo",
        )
    takedown = page.takedowns.filter(lifted_at__isnull=True).select_related("taken_down_by").first()
    if takedown is not None:
        messages.error(
            request,
            _("Taken down on %(time)s: %(reason)s. Publishing it again puts it back on the site.")
            % {"time": date_format(timezone.localtime(takedown.taken_down_at), "DATETIME_FORMAT"), "reason": takedown.reason},
            extra_tags="takedown",
        )


class TakedownFormatter(LogFormatter):
    label = _("Take down")

    def format_message(self, log_entry):
        return _("Taken down")

    def format_comment(self, log_entry):
        return log_entry.data.get("reason", "")


class TakedownLiftedFormatter(LogFormatter):
    label = _("Takedown lifted")

    def format_message(self, log_entry):
        return _("Published again after a takedown")


class CorrectionFormatter(LogFormatter):
    label = _("Correction")

    def format_message(self, log_entry):
        return _("Correction published")

    def format_comment(self, log_entry):
        return " / ".join(log_entry.data.get("notes", []))


@hooks.register("register_log_actions", order=10)
def register_story_log_actions(actions):
    # Registered after workflows/wagtail_hooks.py's plain labels, so these
    # formatters (with the reason and the notes) are the ones used.
    actions.register_action("hoitu.takedown")(TakedownFormatter)
    actions.register_action("hoitu.takedown_lifted")(TakedownLiftedFormatter)
    actions.register_action("hoitu.correction")(CorrectionFormatter)
