"""Wires Wagtail's and our own events to the services. Handlers only
translate an event into a service call."""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate, post_save, pre_save
from django.utils.translation import gettext as _
from wagtail.log_actions import get_active_log_context
from wagtail.models import Page, PageLogEntry, TaskState, WorkflowState
from wagtail.signals import (
    page_published,
    task_submitted,
    workflow_approved,
    workflow_rejected,
    workflow_submitted,
)

from newsroom.models import SectionPage, Unit

from . import admin_words, assignments, events
from .models import NotificationKind
from .notifications import group_members, notify, story_people
from .roles import release_shown, sync_section_roles, sync_unit_roles
from .services import record_publication
from .sessions import start_session


def register_signal_handlers():
    # Wagtail's own moderation e-mails are sent inside the request; ours go
    # through Celery (see notifications.py).
    task_submitted.disconnect(sender=TaskState, dispatch_uid="group_approval_task_submitted_email_notification")
    workflow_submitted.disconnect(sender=WorkflowState, dispatch_uid="workflow_state_submitted_email_notification")
    workflow_rejected.disconnect(sender=WorkflowState, dispatch_uid="workflow_state_rejected_email_notification")
    workflow_approved.disconnect(sender=WorkflowState, dispatch_uid="workflow_state_approved_email_notification")

    pre_save.connect(_stamp_unit_on_log_entry, sender=PageLogEntry, dispatch_uid="hoitu_log_unit")
    post_save.connect(_unit_saved, sender=Unit, dispatch_uid="hoitu_unit_roles")
    post_save.connect(_section_saved, sender=SectionPage, dispatch_uid="hoitu_section_roles")
    page_published.connect(_page_published, dispatch_uid="hoitu_record_publication")
    task_submitted.connect(_task_submitted, dispatch_uid="hoitu_task_submitted")
    workflow_submitted.connect(_workflow_submitted, sender=WorkflowState, dispatch_uid="hoitu_workflow_submitted")
    workflow_rejected.connect(_workflow_rejected, sender=WorkflowState, dispatch_uid="hoitu_workflow_rejected")
    workflow_approved.connect(_workflow_approved, sender=WorkflowState, dispatch_uid="hoitu_workflow_approved")
    events.story_published.connect(_story_published, dispatch_uid="hoitu_notify_published")
    events.story_taken_down.connect(_story_taken_down, dispatch_uid="hoitu_notify_taken_down")
    user_logged_in.connect(start_session, dispatch_uid="hoitu_session_start")
    post_migrate.connect(admin_words.after_migrate, dispatch_uid="hoitu_admin_words")


def _stamp_unit_on_log_entry(sender, instance, raw=False, **kwargs):
    """Every page action in the audit log names the unit it happened in, so
    the record can be read (and filtered) per unit even after a page moves."""
    if raw or instance.pk or not instance.page_id:
        return
    data = instance.data if isinstance(instance.data, dict) else {}
    if "unit" in data:
        return
    page = Page.objects.filter(pk=instance.page_id).only("url_path").first()
    unit = Unit.objects.for_page(page) if page else None
    if unit is not None:
        instance.data = {**data, "unit": {"id": unit.pk, "slug": unit.slug, "name": unit.name}}


def _unit_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        sync_unit_roles(instance)


def _section_saved(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    unit = Unit.objects.for_page(instance)
    if unit is not None:
        sync_section_roles(unit, instance)


def _page_published(sender, instance, revision=None, **kwargs):
    # Wagtail does not say who published. In an admin request the log
    # context holds the request's user (the approver or publisher); the
    # revision's author is only the fallback (scheduled publishing).
    user = kwargs.get("user") or get_active_log_context().user or getattr(revision, "user", None)
    record_publication(instance, user=user, revision=revision)


def _story_of(workflow_state):
    page = workflow_state.content_object
    return page.specific if isinstance(page, Page) else None


def _workflow_submitted(sender, instance, user=None, **kwargs):
    story = _story_of(instance)
    if story is not None:
        assignments.story_submitted(story, user=user)


def _task_submitted(sender, instance, user=None, **kwargs):
    task = instance.task.specific
    story = _story_of(instance.workflow_state)
    if story is None:
        return
    # Resubmitting after a send-back restarts a task without a new
    # workflow_submitted: the assignment goes back to "submitted" here.
    assignments.story_submitted(story, user=user)
    if hasattr(task, "reviewer_id"):
        recipients = {task.reviewer_id}
    elif hasattr(task, "groups"):
        recipients = group_members(task.groups.all())
    else:
        return
    notify(
        recipients,
        NotificationKind.SUBMITTED,
        _("“%(title)s” awaits your review (%(step)s)") % {"title": story.title, "step": task.name},
        actor=user,
        page=story,
    )


def _workflow_rejected(sender, instance, user=None, **kwargs):
    story = _story_of(instance)
    if story is None:
        return
    assignments.story_sent_back(story, user=user)
    task_state = instance.current_task_state
    comment = task_state.get_comment() if task_state else ""
    recipients = story_people(story) | {instance.requested_by_id}
    notify(
        recipients,
        NotificationKind.SENT_BACK,
        _("“%(title)s” was sent back for changes") % {"title": story.title},
        actor=user,
        page=story,
        comment=comment or "",
    )


def _workflow_approved(sender, instance, user=None, **kwargs):
    story = _story_of(instance)
    if story is None:
        return
    notify(
        story_people(story) | {instance.requested_by_id},
        NotificationKind.APPROVED,
        _("“%(title)s” was approved") % {"title": story.title},
        actor=user,
        page=story,
    )


def _story_published(sender, story, user=None, **kwargs):
    assignments.story_published(story, user=user)
    release_shown(story)
    notify(story_people(story), NotificationKind.PUBLISHED, _("“%(title)s” is published") % {"title": story.title}, actor=user, page=story)


def _story_taken_down(sender, story, user=None, takedown=None, **kwargs):
    notify(
        story_people(story),
        NotificationKind.TAKEN_DOWN,
        _("“%(title)s” was taken down") % {"title": story.title},
        actor=user,
        page=story,
        comment=takedown.reason if takedown else "",
    )
