"""The outbox: the deliveries a publication, an update, a correction or a
takedown writes in its own transaction (with the story's event log), and
the messages that nudge the workers once it commits, sent again by the
sweeper when they may be lost."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from newsroom.models import SectionPage

from ..adapters import registry
from ..models import Channel, ChannelCopy, Delivery, DeliveryAction, DeliveryState, StoryEvent
from .transitions import close, want

logger = logging.getLogger(__name__)

S = DeliveryState


def channels_for(story, unit, new_only=True):
    """The unit's channels that take this story: its section (if the channel
    names sections) and its per-story choice (Channels tab). With
    ``new_only``, only channels that take new stories now: enabled ones, and
    ones paused by authentication errors (their deliveries wait)."""
    copies = {copy.channel_id: copy for copy in ChannelCopy.objects.filter(story=story)}
    parent = story.get_parent() if story.depth > 1 else None
    section_pk = parent.pk if parent is not None and SectionPage.objects.filter(pk=parent.pk).exists() else None
    chosen = []
    for channel in Channel.objects.filter(unit=unit).prefetch_related("sections").order_by("pk"):
        if new_only and not takes_new_stories(channel):
            continue
        copy = copies.get(channel.pk)
        include = copy.include if copy else ChannelCopy.Include.DEFAULT
        if include == ChannelCopy.Include.NEVER:
            continue
        if include == ChannelCopy.Include.DEFAULT:
            if not channel.auto_publish:
                continue
            sections = {s.pk for s in channel.sections.all()}
            if sections and section_pk not in sections:
                continue
        chosen.append(channel)
    return chosen


def takes_new_stories(channel):
    """A channel a person turned off takes nothing; one the engine paused
    after authentication errors keeps collecting deliveries for when its
    credentials are fixed."""
    return channel.enabled or channel.auth_failures >= settings.PUBLISHING_AUTH_FAILURES_TO_DISABLE


def plan_publication(story, unit, event, at=None):
    """Called inside the publication's transaction (published, updated,
    corrected): one delivery per channel that takes the story, created or
    moved on to the story's current version. Channels that had the story
    but no longer take it (un-ticked in the Channels tab, section no longer
    theirs) remove it; a disabled channel keeps following it."""
    at = at or timezone.now()
    _log_event(story, unit, event, at)
    if unit is None:
        return []
    existing = {d.channel_id: d for d in _locked_deliveries(story)}
    taking = {channel.pk: channel for channel in channels_for(story, unit, new_only=False)}
    touched = []
    for channel_pk, channel in taking.items():
        delivery = existing.get(channel_pk)
        if delivery is not None:
            want(delivery, DeliveryAction.PUBLISH, event, story)
        elif takes_new_stories(channel):
            delivery = Delivery.objects.create(story=story, story_title=story.title[:255], channel=channel, event=event, state=S.PENDING)
        else:
            continue
        touched.append(delivery)
    for channel_pk, delivery in existing.items():
        if channel_pk in taking:
            continue
        if _may_have_post(delivery):
            want(delivery, DeliveryAction.REMOVE, event, story)
            touched.append(delivery)
        elif delivery.state in (S.PENDING, S.RETRYING, S.FAILED):
            close(delivery, S.CANCELLED, _("The story no longer goes to this channel."), event=event)
    _enqueue_waiting(touched)
    return touched


def story_moved(story, unit, old_section, at=None):
    """A live story moved to another section: the partners of the section
    it left hear of it (it is no longer theirs), and everything else
    follows as for an update (new address; section-limited channels)."""
    at = at or timezone.now()
    _log_event(story, unit, "moved", at, section=old_section)
    return plan_publication(story, unit, "updated", at=at)


def plan_removal(story, unit, event="taken_down", at=None, log_event=True):
    """Called inside the takedown's (or unpublication's, or deletion's)
    transaction: every channel that has the story, or may have it, removes
    it; deliveries not sent yet are cancelled without a request."""
    at = at or timezone.now()
    if log_event:
        _log_event(story, unit, event, at)
    touched = []
    for delivery in _locked_deliveries(story):
        if _may_have_post(delivery):
            want(delivery, DeliveryAction.REMOVE, event, story)
            touched.append(delivery)
        elif delivery.state in (S.PENDING, S.RETRYING, S.FAILED):
            close(delivery, S.CANCELLED, _("Cancelled: the story left the site before it was sent."), event=event, action=DeliveryAction.REMOVE)
    _enqueue_waiting(touched)
    return touched


def _locked_deliveries(story):
    # In primary-key order, so two transactions lock a story's rows the same way.
    return Delivery.objects.select_for_update(of=("self",)).select_related("channel").filter(story=story).order_by("pk")


def _may_have_post(delivery):
    """The platform shows (or may show) this story: we hold the post's id,
    a person recorded it by hand, or a create got no answer."""
    return bool(
        delivery.remote_id
        or (delivery.remote_data or {}).get("by_hand")
        or delivery.needs_lookup
        or delivery.state in (S.SENDING, S.UNKNOWN)
    )


def _enqueue_waiting(deliveries):
    # A disabled channel's deliveries wait for it to be enabled.
    enqueue_on_commit([d.pk for d in deliveries if d.state in (S.PENDING, S.RETRYING) and d.channel.enabled])


def _log_event(story, unit, event, at, section=None):
    if unit is None:
        return
    section = section or story.get_parent()
    StoryEvent.objects.create(story=story, unit=unit, section_id=section.pk if section.depth == 3 else None, event=event, at=at)


# --- nudging the workers --------------------------------------------------


def enqueue_on_commit(pks, countdown=None):
    if pks:
        transaction.on_commit(lambda: enqueue(pks, countdown=countdown))


def enqueue(pks, countdown=None):
    """Send the workers the deliveries, a message per PUBLISHING_MESSAGE_SIZE
    of them (a publication's are its story's channels, sent together). A
    broker outage is logged and survived: the rows are there, and the
    sweeper sends the messages again. ``enqueued_at`` is when the message
    is due, so the sweeper leaves a delayed retry alone until it is
    overdue."""
    # Imported here: the tasks module imports this one (through publishing.services).
    from ..tasks import deliver

    pks = list(pks)
    size = max(1, settings.PUBLISHING_MESSAGE_SIZE)
    sent = []
    for start in range(0, len(pks), size):
        message = pks[start : start + size]
        try:
            deliver.apply_async(args=[message], countdown=countdown, queue=settings.PUBLISHING_QUEUE)
        except Exception as error:  # the broker is down: do not wait on it once per message
            logger.warning(
                "publishing: broker unavailable (%s); %d deliveries left for the sweeper (first: %s)",
                error.__class__.__name__, len(pks) - len(sent), message[0],
            )  # fmt: skip
            break
        sent += message
    if sent:
        due = timezone.now() + timedelta(seconds=countdown or 0)
        Delivery.objects.filter(pk__in=sent).update(enqueued_at=due)
    return sent


def sweep(now=None):
    """Queue again the deliveries whose message may be lost: due and not
    queued for PUBLISHING_STALE_SECONDS, or held by a worker whose claim
    expired (killed, stalled). Unknown deliveries are never swept: they wait
    for a person. Run by Celery beat."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.PUBLISHING_STALE_SECONDS)
    not_queued = Q(enqueued_at__isnull=True) | Q(enqueued_at__lte=stale)
    waiting = Q(state__in=(S.PENDING, S.RETRYING)) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    abandoned = Q(state=S.SENDING, lease_until__lt=now)
    pks = list(
        Delivery.objects.filter((waiting | abandoned) & not_queued, channel__enabled=True)
        .exclude(channel__kind__in=_batched_kinds())
        .order_by(F("enqueued_at").asc(nulls_first=True), "pk")
        .values_list("pk", flat=True)[: settings.PUBLISHING_SWEEP_BATCH]
    )
    if pks:
        logger.info("publishing: sweeper queues %d deliveries again", len(pks))
    return enqueue(pks)


def _batched_kinds():
    # Batched channels (the newsletter) are sent by their own schedule.
    return [adapter.kind for adapter in registry.available() if adapter.batched]
