"""Editorial operations. Views, tasks and commands call these; signals only
announce what happened."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.log_actions import get_active_log_context, log

from newsroom import cache
from newsroom.models import ArticleCorrection, ArticlePage, Unit

from .events import EVENTS, story_taken_down
from .models import ChecklistTaskState, PublicationRecord, Takedown
from .permissions import user_can_publish, user_can_review

logger = logging.getLogger(__name__)

# PublicationRecord.last_event while a story is live in the database but
# still under embargo: nothing has been announced yet. "held:published"
# remembers that the announcement owed is a first publication.
HELD_FIRST = "held:published"
HELD = "held"


def _is_story(page):

    return isinstance(page, ArticlePage)


@transaction.atomic
def record_publication(page, user=None, revision=None):
    """Called when a story goes live: decides whether readers and channels
    get a first publication, an update or a correction, and announces it.

    A story made live while its embargo still runs announces nothing: the
    site keeps it hidden, and ``release_embargoes`` announces it once the
    embargo ends, so channels never get a story before readers may."""
    story = page.specific
    # Wagtail also sends page_published when it merely schedules a story
    # that is not live yet: nothing reached readers, nothing to announce.
    if not _is_story(story) or not story.live:
        return None
    user = _publisher() or user
    now = timezone.now()
    unit = Unit.objects.for_page(story)
    record, created = PublicationRecord.objects.select_for_update().get_or_create(
        page=story, defaults={"first_published_at": story.first_published_at or now}
    )
    lifted = list(Takedown.objects.filter(page=story, lifted_at__isnull=True))
    if lifted:
        # Publishing a taken-down story again is a publisher's deliberate
        # act (only they can publish): the takedown ends, on the record.
        Takedown.objects.filter(pk__in=[t.pk for t in lifted]).update(lifted_at=now)
        log(
            instance=story,
            action="hoitu.takedown_lifted",
            user=user,
            data=_unit_data(unit, reasons=[t.reason for t in lifted]),
        )
    first = created or bool(lifted) or record.last_event == HELD_FIRST
    if story.is_embargoed(now):
        record.last_event, record.last_event_at = (HELD_FIRST if first else HELD), now
        record.save()
        return None
    corrections = list(story.corrections.order_by("corrected_at", "pk"))
    if first:
        event, new_corrections = "published", []
    elif len(corrections) > record.corrections_published:
        event, new_corrections = "corrected", corrections[record.corrections_published :]
    else:
        event, new_corrections = "updated", []
    record.corrections_published = len(corrections)
    record.last_event, record.last_event_at = event, now
    record.save()
    if event == "corrected":
        log(instance=story, action="hoitu.correction", user=user, data=_unit_data(unit, notes=[c.note for c in new_corrections]))
    kwargs = {"story": story, "unit": unit, "user": user, "at": now, "revision": revision}
    if event == "corrected":
        kwargs["corrections"] = new_corrections
    EVENTS[event].send(sender=type(story), **kwargs)
    return event


def _publisher():
    """Who published, when an admin request did it: Wagtail's
    ``page_published`` only names the revision, whose author may be the
    reporter, while the request's log context knows the approver."""
    return get_active_log_context().user


def release_embargoes(now=None):
    """Announce the stories that went live under an embargo which has now
    ended (run every minute with the scheduled publishing). Returns the
    events sent."""

    now = now or timezone.now()
    sent = []
    held = PublicationRecord.objects.filter(last_event__in=(HELD_FIRST, HELD)).values_list("page_id", flat=True)
    for story in ArticlePage.objects.filter(pk__in=list(held), live=True).exclude(embargo_until__gt=now):
        with transaction.atomic():
            sent.append(record_publication(story))
    if sent:
        # The page cache may hold the 404 readers got during the embargo.
        cache.invalidate()
    return sent


def _unit_data(unit, **extra):
    return {"unit": {"id": unit.pk, "slug": unit.slug, "name": unit.name} if unit else None, **extra}


def can_take_down(user, page):
    """The unit's publishers, with Wagtail's publish permission on the page.
    Unlike "unpublish", a lock does not stop a takedown: it is urgent (a
    legal order, a serious error) and a scheduled publication locks the
    page too. Cheap enough for listing buttons: membership is cached on
    the user."""
    if not (page.live and user_can_publish(user, page)):
        return False
    perms = page.permissions_for_user(user)
    return user.is_superuser or "publish" in perms.permissions


@transaction.atomic
def take_down(story, user, reason):
    """Gỡ bài: unpublish the story, remember its address (which then answers
    410 Gone), log the action with its reason and announce it so every
    channel that has the story removes it.

    A takedown is final until a publisher publishes the story again: a
    scheduled revision and a review in progress (say, a correction) would
    otherwise bring it back by themselves, so both are cancelled."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("A takedown needs a reason."))
    story = story.specific
    if not story.live:
        raise ValidationError(_("This story is not on the site."))
    if not can_take_down(user, story):
        raise PermissionDenied(_("You may not take this story down."))
    parts = story.get_url_parts()
    if not parts:
        raise ValidationError(_("This story has no address on a site."))
    site_id, _root_url, path = parts
    takedown = Takedown.objects.create(
        page=story, site_id=site_id, path=path, title=story.title, reason=reason, taken_down_by=user
    )
    story.revisions.exclude(approved_go_live_at=None).update(approved_go_live_at=None)
    workflow_state = story.current_workflow_state
    if workflow_state is not None:
        workflow_state.cancel(user=user)
    UnpublishPageAction(story, user=user, log_action=False).execute(skip_permission_checks=True)
    unit = Unit.objects.for_page(story)
    log(instance=story, action="hoitu.takedown", user=user, data=_unit_data(unit, reason=reason, path=path))
    story_taken_down.send(sender=type(story), story=story, unit=unit, user=user, at=takedown.taken_down_at, takedown=takedown)
    return takedown


def active_takedown(site, path):
    return Takedown.objects.filter(site=site, path=path, lifted_at__isnull=True).first()


def can_correct(user, page):
    """Editors (any reviewing role of the story's unit) correct live
    stories they may edit."""
    return page.live and user_can_review(user, page) and page.permissions_for_user(user).can_edit()


class CorrectionOutcome:
    PUBLISHED = "published"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"


@transaction.atomic
def submit_correction(story, user, note):
    """Đính chính: add a dated correction note to a new revision of the
    story (on top of any draft changes) and send it on its way: published
    at once by a user who may publish directly, otherwise through the
    story's workflow. Readers and channels see it when it is published
    (``record_publication`` announces the new notes)."""

    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Write the correction note: what was wrong and what the story now says."))
    story = story.specific
    if not _is_story(story) or not can_correct(user, story):
        raise PermissionDenied(_("You may not correct this story."))
    perms = story.permissions_for_user(user)
    draft = story.get_latest_revision_as_object()
    draft.corrections.add(ArticleCorrection(note=note, corrected_at=timezone.now()))
    revision = draft.save_revision(user=user, log_action=True)
    if perms.can_publish():
        revision.publish(user=user)
        return CorrectionOutcome.PUBLISHED
    workflow_state = story.current_workflow_state
    if workflow_state is not None:
        # The correction rides on the review already under way; a story
        # sent back for changes goes back to the step that sent it back.
        if workflow_state.status == workflow_state.STATUS_NEEDS_CHANGES:
            workflow_state.resume(user=user)
            return CorrectionOutcome.SUBMITTED
        return CorrectionOutcome.IN_REVIEW
    workflow = story.get_workflow()
    if workflow is None or not perms.can_submit_for_moderation():
        raise ValidationError(_("This story has no review workflow and you may not publish it: ask a publisher."))
    workflow.start(draft, user)
    return CorrectionOutcome.SUBMITTED

# Icons of the per-story timeline, by log action (prefixes end with ".").
TIMELINE_ICONS = {
    "wagtail.create": "plus",
    "wagtail.edit": "edit",
    "wagtail.revert": "rotate",
    "wagtail.publish": "success",
    "wagtail.publish.schedule": "calendar-check",
    "wagtail.schedule.cancel": "calendar",
    "wagtail.unpublish": "download",
    "wagtail.lock": "lock",
    "wagtail.unlock": "lock-open",
    "wagtail.move": "arrow-right-full",
    "wagtail.workflow.start": "tasks",
    "wagtail.workflow.approve": "check",
    "wagtail.workflow.reject": "cross",
    "wagtail.workflow.resume": "resubmit",
    "wagtail.workflow.cancel": "circle-xmark",
    "wagtail.comments.": "comment",
    "hoitu.takedown": "no-view",
    "hoitu.takedown_lifted": "view",
    "hoitu.correction": "warning",
}


def _timeline_icon(action):
    if action in TIMELINE_ICONS:
        return TIMELINE_ICONS[action]
    return next((icon for prefix, icon in TIMELINE_ICONS.items() if prefix.endswith(".") and action.startswith(prefix)), "history")


def story_timeline(story):
    """Everything that happened to a story, oldest first, from Wagtail's
    audit log (autosaves of one editing session count once, as in
    Wagtail's history, and one person's saves in a row are one entry),
    with the checklist ticks of each checklist step.
    A constant number of queries whatever the story's history."""
    from wagtail.models import PageLogEntry

    entries = list(
        PageLogEntry.objects.filter(page=story)
        .latest_by_uuid_and_action()
        .select_related("user", "page", "content_type")
        .order_by("timestamp", "pk")
    )
    state_ids = {
        (entry.data.get("workflow") or {}).get("task_state_id")
        for entry in entries
        if entry.action.startswith("wagtail.workflow.")
    } - {None}
    ticks = dict(ChecklistTaskState.objects.filter(pk__in=state_ids).values_list("pk", "ticked")) if state_ids else {}
    unit = Unit.objects.for_page(story)
    items = []
    for entry in entries:
        workflow = entry.data.get("workflow") or {}
        last = items[-1] if items else None
        if entry.action == "wagtail.edit" and last and last["entry"].action == "wagtail.edit" and last["entry"].user_id == entry.user_id:
            # One person's saves in a row read as one entry: how many, from when to when.
            last.update(saves=last["saves"] + 1, entry=entry)
            continue
        items.append(
            {
                "entry": entry,
                "icon": _timeline_icon(entry.action),
                "label": entry.formatter.label if entry.formatter else entry.action,
                "message": entry.message,
                "comment": entry.comment,
                "step": (workflow.get("task") or {}).get("title", "") if entry.action != "wagtail.workflow.start" else "",
                "ticks": ticks.get(workflow.get("task_state_id"), []) if entry.action == "wagtail.workflow.approve" else [],
                "unit": (entry.data.get("unit") or {}).get("name") or (unit.name if unit else ""),
                "saves": 1,
                "since": entry.timestamp,
            }
        )
    return items
