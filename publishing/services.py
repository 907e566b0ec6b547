"""The delivery engine: the outbox written with each publication, and the
claim → send → record cycle a worker runs for one delivery.

Guarantees, and how:
- Nothing lost: deliveries are rows written in the publication's own
  transaction (a rolled-back publication leaves none); the Celery message is
  only a nudge sent after commit. A broker outage at that moment is logged
  and survived, and the sweeper (beat) re-sends nudges for rows left waiting
  (broker down, message lost, worker killed mid-send).
- Nothing twice: a worker claims a row under a row lock (PostgreSQL
  ``SELECT … FOR UPDATE``; SQLite's IMMEDIATE transactions serialize
  writers) with a lease before it talks to the platform, and
  records the outcome only while its claim holds. A create that got no
  answer (timeout, dropped connection, worker killed) is never blindly sent
  again: adapters that can search the platform (``can_lookup``) look first;
  for the others the delivery becomes "unknown" and a person decides.
- Current and in order: one row per (story, channel) for the story's life;
  later events (update, correction, takedown) only raise its ``generation``
  and set what the platform should show (the story, or nothing); the worker
  always sends the story as it is now, and a worker that finishes an older
  generation queues the row again. An update edits the remote post (or, on
  a platform without edit, replaces it when the channel allows, otherwise
  leaves it); a takedown, unpublication or deletion removes it.
- Polite: a per-channel rate limit of our own, the platform's Retry-After
  on 429 (every delivery of the channel waits), exponential backoff with
  jitter and a cap, 4xx other than 408/429 fail at once with the platform's
  message, repeated authentication errors pause the channel and notify the
  unit's publishers (it takes new stories, which wait for it to be enabled).
- ``process`` never raises; log lines name the delivery, never credentials.
"""

import logging
import random
import traceback
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from newsroom.models import SectionPage
from workflows.models import Notification, NotificationKind, Role
from workflows.notifications import group_members, notify

from .adapters import registry
from .adapters.base import RemoteRef
from .adapters.errors import (
    AuthFailed,
    DeliveryError,
    OutcomeUnknown,
    RateLimited,
    RemoteGone,
    Temporary,
)
from .events import delivery_changed
from .models import (
    Channel,
    ChannelCopy,
    Delivery,
    DeliveryAction,
    DeliveryAttempt,
    DeliveryState,
    StoryEvent,
)
from .permissions import user_can_manage_deliveries

logger = logging.getLogger(__name__)

S = DeliveryState
# Operations that make a new post: interrupted, they leave the post's
# existence unknown.
CREATING = ("create", "replace", "lookup")


# --- the outbox -------------------------------------------------------------


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
            _want(delivery, DeliveryAction.PUBLISH, event, story)
        elif takes_new_stories(channel):
            delivery = Delivery.objects.create(story=story, story_title=story.title[:255], channel=channel, event=event, state=S.PENDING)
        else:
            continue
        touched.append(delivery)
    for channel_pk, delivery in existing.items():
        if channel_pk in taking:
            continue
        if _may_have_post(delivery):
            _want(delivery, DeliveryAction.REMOVE, event, story)
            touched.append(delivery)
        elif delivery.state in (S.PENDING, S.RETRYING, S.FAILED):
            _close(delivery, S.CANCELLED, _("The story no longer goes to this channel."), event=event)
            _announce(delivery)
    enqueue_on_commit([d.pk for d in touched if d.state in (S.PENDING, S.RETRYING) and d.channel.enabled])
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
            _want(delivery, DeliveryAction.REMOVE, event, story)
            touched.append(delivery)
        elif delivery.state in (S.PENDING, S.RETRYING, S.FAILED):
            delivery.action = DeliveryAction.REMOVE
            _close(delivery, S.CANCELLED, _("Cancelled: the story left the site before it was sent."), event=event)
            _announce(delivery)
    enqueue_on_commit([d.pk for d in touched if d.state in (S.PENDING, S.RETRYING) and d.channel.enabled])
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


def _want(delivery, action, event, story=None):
    """A new event for an existing delivery: the platform should now show
    the story as it is (or nothing). A row being sent, or left unknown for
    a person, keeps its state; the worker sees the higher generation when it
    records its outcome and goes again."""
    delivery.action = action
    delivery.event = event
    delivery.generation = F("generation") + 1
    fields = ["action", "event", "generation", "updated_at"]
    if story is not None and story.title[:255] != delivery.story_title:
        delivery.story_title = story.title[:255]
        fields.append("story_title")
    if delivery.state not in (S.SENDING, S.UNKNOWN):
        delivery.state = S.PENDING
        delivery.attempts = 0
        delivery.next_attempt_at = None
        delivery.error = ""
        fields += ["state", "attempts", "next_attempt_at", "error"]
    delivery.save(update_fields=fields)
    delivery.refresh_from_db(fields=["generation"])
    _announce(delivery)


def _close(delivery, state, message, event=None):
    delivery.state = state
    delivery.error = message
    delivery.next_attempt_at = None
    fields = ["state", "action", "error", "next_attempt_at", "updated_at"]
    if event:
        delivery.event = event
        fields.append("event")
    delivery.save(update_fields=fields)


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
    """Send the workers a message per delivery. A broker outage is logged and
    survived: the rows are there, and the sweeper sends the messages again.
    ``enqueued_at`` is when the message is due, so the sweeper leaves a
    delayed retry alone until it is overdue."""
    # Imported here: the tasks module imports this one.
    from .tasks import deliver

    sent = []
    for pk in pks:
        try:
            deliver.apply_async(args=[pk], countdown=countdown, queue=settings.PUBLISHING_QUEUE)
        except Exception as error:  # the broker is down: do not wait on it once per row
            logger.warning(
                "publishing: broker unavailable (%s); %d deliveries left for the sweeper (first: %s)",
                error.__class__.__name__, len(pks) - len(sent), pk,
            )  # fmt: skip
            break
        sent.append(pk)
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

    return [adapter.kind for adapter in registry.available() if adapter.batched]

# --- one delivery, by a worker ----------------------------------------------


@dataclass
class Claim:
    pk: int
    token: str
    generation: int
    operation: str  # create | update | replace | delete | lookup | keep


@dataclass
class Outcome:
    result: str  # delivered | removed | cancelled | retry | failed | unknown | auth
    ref: RemoteRef = None
    error: str = ""
    status: int = None
    retry_after: float = None
    note: str = ""
    # A create may have happened without our knowing the post: look on the
    # platform before sending again.
    may_exist: bool = False
    operation: str = ""  # what was done in the end (a lookup that found nothing creates)
    # The platform's rate limit, whatever status it came with (Facebook
    # answers 400/403, Zalo 200, YouTube 403): the whole channel waits.
    rate_limited: bool = False


def process(pk):
    """Everything a worker does for one delivery message. Never raises: a
    bug in an adapter fails the delivery, it does not kill the worker, and a
    database outage leaves the row to the sweeper."""
    try:
        claim = claim_delivery(pk)
    except Exception:
        logger.error("delivery %s: cannot be claimed\n%s", pk, _traceback())
        return None
    if claim is None:
        return None
    started = timezone.now()
    try:
        # Words the adapters add ("Đọc tiếp") are in the unit's language.
        with translation.override(Delivery.objects.values_list("channel__unit__language", flat=True).get(pk=pk)):
            outcome = perform(claim)
    except Exception as error:  # a bug before anything was sent (perform maps the rest)
        logger.error("delivery %s: unexpected error\n%s", pk, _traceback())
        outcome = Outcome("failed", error=_("Internal error: %s") % error.__class__.__name__)
    try:
        return record_outcome(claim, outcome, started)
    except Exception:
        # The lease runs out and the sweeper hands the row to another worker.
        logger.error("delivery %s: outcome %s not recorded\n%s", pk, outcome.result, _traceback())
        return None


def _traceback():
    return "".join(traceback.format_exc())[-4000:]


@transaction.atomic
def claim_delivery(pk, now=None):
    """Take the delivery for this worker, or return None when there is
    nothing to do now (another worker has it, it is not due, it is done, its
    channel is off or over its rate)."""
    now = now or timezone.now()
    # Waits for a lock held elsewhere rather than skipping the row: every
    # writer of a delivery (a new event, the enqueuer stamping enqueued_at,
    # a person, another worker's claim) holds it for a moment only, and a
    # message skipped here would wait for the sweeper.
    delivery = Delivery.objects.select_for_update(of=("self",)).select_related("channel").filter(pk=pk).first()
    if delivery is None:
        logger.info("delivery %s: not claimed (gone)", pk)
        return None
    if not delivery.channel.enabled or delivery.channel.adapter_class.batched:
        logger.info("delivery %s: not claimed (channel %s off or batched)", pk, delivery.channel_id)
        return None
    if delivery.state == S.SENDING:
        if delivery.lease_until and delivery.lease_until > now:
            logger.info("delivery %s: not claimed (another worker holds it)", pk)
            return None
        operation = _after_interruption(delivery)
    elif delivery.state in (S.PENDING, S.RETRYING):
        if delivery.next_attempt_at and delivery.next_attempt_at > now:
            logger.info("delivery %s: not claimed (due at %s)", pk, delivery.next_attempt_at.isoformat())
            return None
        operation = "lookup" if delivery.needs_lookup else _operation_for(delivery)
    else:
        logger.debug("delivery %s: not claimed (%s)", pk, delivery.state)  # a repeated message
        return None
    if operation is None:
        return None
    if operation == "cancel":
        _close(delivery, S.CANCELLED, _("Nothing to send: the story is not on the site."))
        _announce(delivery)
        return None
    if operation == "by_hand":
        _close(
            delivery, S.FAILED,
            _("This post was recorded by hand without its id: remove it on the platform, then mark as resolved."),
        )  # fmt: skip
        _announce(delivery)
        return None
    wait = _rate_wait(delivery.channel, now)
    if wait:
        delivery.state = S.RETRYING if delivery.attempts else S.PENDING
        delivery.next_attempt_at = now + timedelta(seconds=wait)
        delivery.save(update_fields=["state", "next_attempt_at", "updated_at"])
        enqueue_on_commit([delivery.pk], countdown=wait)
        logger.info("delivery %s: channel %s over its rate, waits %ss", delivery.pk, delivery.channel_id, wait)
        return None
    delivery.state = S.SENDING
    delivery.claim_token = uuid.uuid4().hex
    delivery.claimed_generation = delivery.generation
    delivery.operation = operation
    lease = max(settings.PUBLISHING_LEASE_SECONDS, getattr(delivery.channel.adapter_class, "lease_seconds", 0))
    delivery.lease_until = now + timedelta(seconds=lease)
    delivery.attempts += 1
    delivery.total_attempts += 1
    delivery.save(
        update_fields=[
            "state", "claim_token", "claimed_generation", "operation", "needs_lookup", "lease_until", "attempts", "total_attempts", "updated_at",
        ]
    )  # fmt: skip
    _announce(delivery)
    return Claim(delivery.pk, delivery.claim_token, delivery.generation, operation)


def extend_claim(claim, now=None):
    """Keep the worker's claim for another lease, while a long operation (a
    video upload, chunk after chunk) is under way. False when the claim was
    lost (its lease ran out and another worker took the delivery): the
    operation must stop."""
    now = now or timezone.now()
    lease = timedelta(seconds=settings.PUBLISHING_LEASE_SECONDS)
    return bool(Delivery.objects.filter(pk=claim.pk, claim_token=claim.token, state=S.SENDING).update(lease_until=now + lease))


def _operation_for(delivery):
    story_live = delivery.story.live if delivery.story_id else False
    by_hand = (delivery.remote_data or {}).get("by_hand")
    if delivery.action == DeliveryAction.REMOVE or not story_live:
        if by_hand:
            return "by_hand"
        return "delete" if delivery.remote_id else "cancel"
    if by_hand:
        return "keep"
    if not delivery.remote_id:
        return "create"
    if delivery.channel.adapter_class.can_edit:
        return "update"
    return "replace" if delivery.channel.config.get("replace_on_update") else "keep"


def _after_interruption(delivery):
    """A worker died (or stalled past its lease) while sending. Updates and
    deletes can simply be sent again; a create may have happened: look on
    the platform, or leave it to a person."""
    if delivery.attempts >= settings.PUBLISHING_MAX_ATTEMPTS and not (delivery.operation in CREATING and not delivery.remote_id):
        _release(delivery, S.FAILED, _("Gave up: the worker stopped %d times while sending this.") % delivery.attempts)
        _notify_failure(delivery, delivery.channel)
        return None
    if delivery.operation in CREATING and not delivery.remote_id:
        if delivery.channel.adapter_class.can_lookup and delivery.attempts < settings.PUBLISHING_MAX_ATTEMPTS:
            delivery.needs_lookup = True
            return "lookup"
        _release(
            delivery, S.UNKNOWN,
            _(
                "The worker stopped while creating the post and this platform cannot be checked: "
                "look on the platform, then retry (not posted) or mark as resolved (posted)."
            ),
        )  # fmt: skip
        logger.warning("delivery %s: interrupted create on channel %s left for a person", delivery.pk, delivery.channel_id)
        return None
    return "lookup" if delivery.needs_lookup else _operation_for(delivery)


def _release(delivery, state, message):
    delivery.state = state
    delivery.error = message
    delivery.claim_token = ""
    delivery.lease_until = None
    delivery.next_attempt_at = None
    delivery.save(update_fields=["state", "error", "claim_token", "lease_until", "next_attempt_at", "needs_lookup", "updated_at"])
    _announce(delivery)


def _rate_wait(channel, now):
    """Seconds to wait before this channel may be sent to, or 0. Counts this
    claim against the channel's per-minute limit (shared by every worker
    through the cache; without a cache there is no limit of our own)."""
    if channel.is_rate_limited(now):
        return max(1, int((channel.rate_limited_until - now).total_seconds()) + 1)
    limit = channel.rate_limit_per_minute
    if not limit:
        return 0
    window = int(now.timestamp() // 60)
    key = f"publishing:rate:{channel.pk}:{window}"
    try:
        cache.add(key, 0, 120)
        used = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, 120)
        used = 1
    if used is None:  # the cache is down (django-redis ignores its errors)
        return 0
    if used > limit:
        return 60 - int(now.timestamp()) % 60 + 1
    return 0


def perform(claim):
    """Talk to the platform. Runs outside any transaction and maps every
    platform error to an outcome."""
    delivery = Delivery.objects.select_related("channel", "story").get(pk=claim.pk)
    adapter = delivery.channel.get_adapter()
    adapter.keep_claim = lambda: extend_claim(claim)
    answered = _watch_answers(adapter)
    operation = claim.operation
    may_exist = delivery.needs_lookup
    ref = RemoteRef(delivery.remote_id, delivery.remote_url, delivery.remote_data or {}) if delivery.remote_id else None
    try:
        if operation == "delete":
            try:
                adapter.delete(ref)
            except RemoteGone:
                pass  # already gone is what we wanted
            return Outcome("removed", operation=operation)
        if operation == "keep":
            return Outcome(
                "delivered", ref=ref, operation=operation,
                note=_("This post cannot be edited from here (the platform has no edit, or it was recorded by hand); it was left as it was."),
            )  # fmt: skip
        if delivery.story is None:
            # Deleted while a create of it may have happened: nothing to look for.
            return Outcome("unknown", error=_("The story was deleted while it was being sent."), operation=operation)
        story = delivery.story.specific
        copy = ChannelCopy.objects.filter(story=story, channel=delivery.channel).first()
        post = adapter.render(story, copy)
        removing = delivery.action == DeliveryAction.REMOVE or not story.live
        if removing and operation != "lookup":
            # Taken down between the claim and now: the newer generation
            # queues the row again, as a removal.
            return Outcome("cancelled", note=_("The story left the site before it was sent."), operation=operation)
        if not removing:
            refusal = adapter.check(post)
            if refusal:
                return Outcome("failed", error=str(refusal), may_exist=may_exist, operation=operation)
            post = adapter.prepare(post)
        if operation == "lookup":
            found = adapter.lookup(post)
            may_exist = False
            if removing:
                if found is None:
                    return Outcome("cancelled", note=_("Not on the platform: nothing to remove."), operation=operation)
                try:
                    adapter.delete(found)
                except RemoteGone:
                    pass
                return Outcome("removed", note=_("Found on the platform after an interrupted send, and removed."), operation=operation)
            if found is not None:
                # The found post may hold an older version of the story.
                ref = adapter.update(found, post) if adapter.can_edit else found
                return Outcome("delivered", ref=ref, note=_("Found on the platform after an interrupted send."), operation=operation)
            operation = _now_creating(claim)
        elif operation == "update":
            try:
                return Outcome("delivered", ref=adapter.update(ref, post), operation=operation)
            except RemoteGone:
                # Deleted on the platform by hand: publish it again.
                operation = _now_creating(claim)
        elif operation == "replace":
            try:
                adapter.delete(ref)
            except RemoteGone:
                pass
            operation = _now_creating(claim)
        return Outcome("delivered", ref=adapter.create(post), operation=operation)
    except RateLimited as error:
        return Outcome(
            "retry", error=error.message, status=error.status, retry_after=error.retry_after, may_exist=may_exist, operation=operation, rate_limited=True
        )
    except AuthFailed as error:
        return Outcome("auth", error=error.message, status=error.status, may_exist=may_exist, operation=operation)
    except OutcomeUnknown as error:
        if operation in CREATING:
            if adapter.can_lookup:
                return Outcome("retry", error=error.message, may_exist=True, operation=operation)
            return Outcome("unknown", error=error.message, operation=operation)
        return Outcome("retry", error=error.message, may_exist=may_exist, operation=operation)
    except Temporary as error:
        return Outcome("retry", error=error.message, status=error.status, may_exist=may_exist, operation=operation)
    except DeliveryError as error:  # Permanent, Refused, RemoteGone where it cannot be gone
        return Outcome("failed", error=error.message, status=error.status, may_exist=may_exist, operation=operation)
    except Exception as error:
        if operation in CREATING and any(method != "GET" for method in answered):
            # The platform answered a create before our code broke: the post
            # may well exist.
            logger.error("delivery %s: error after the platform answered a create\n%s", claim.pk, adapter.redact(_traceback()))
            if adapter.can_lookup:
                return Outcome("retry", error=_("Internal error: %s") % error.__class__.__name__, may_exist=True, operation=operation)
            return Outcome("unknown", error=_("Internal error: %s") % error.__class__.__name__, operation=operation)
        logger.error("delivery %s: unexpected error\n%s", claim.pk, adapter.redact(_traceback()))
        return Outcome("failed", error=_("Internal error: %s") % error.__class__.__name__, may_exist=may_exist, operation=operation)
    finally:
        adapter.session.close()


def _watch_answers(adapter):
    """The methods of the requests the platform answered, in order."""
    answered = []
    adapter.session.hooks["response"].append(lambda response, *args, **kwargs: answered.append(response.request.method))
    return answered


def _now_creating(claim):
    """The old post is gone (or was never there): say so at once, so a
    crash before the new post is recorded is seen as an interrupted create,
    not an update."""
    Delivery.objects.filter(pk=claim.pk, claim_token=claim.token).update(
        remote_id="", remote_url="", remote_data={}, operation="create", needs_lookup=False
    )
    return "create"


def backoff_seconds(attempt):
    """Exponential backoff with jitter, capped: between half and all of
    base × 2^(attempt−1), never more than PUBLISHING_RETRY_MAX_SECONDS."""
    base = settings.PUBLISHING_RETRY_BASE_SECONDS
    cap = settings.PUBLISHING_RETRY_MAX_SECONDS
    ceiling = min(cap, base * 2 ** min(max(0, attempt - 1), 32))
    return random.uniform(ceiling / 2, ceiling)


@transaction.atomic
def record_outcome(claim, outcome, started=None, now=None):
    """Write what the platform said, if our claim still holds, and decide
    what comes next (done, again later, a person, again now for a newer
    version of the story)."""
    now = now or timezone.now()
    delivery = Delivery.objects.select_for_update(of=("self",)).select_related("channel").get(pk=claim.pk)
    channel = delivery.channel
    error = _redact(channel, outcome.error)
    note = _redact(channel, outcome.note)
    DeliveryAttempt.objects.create(
        delivery=delivery,
        operation=outcome.operation or claim.operation,
        started_at=started or now,
        finished_at=now,
        outcome=outcome.result,
        http_status=outcome.status,
        error=error or note,
    )
    if delivery.claim_token != claim.token or delivery.state != S.SENDING:
        return _late_outcome(delivery, claim, outcome, now)
    delivery.claim_token = ""
    delivery.lease_until = None
    delivery.http_status = outcome.status
    delivery.needs_lookup = outcome.may_exist if outcome.result in ("retry", "failed", "auth") else False
    result = outcome.result
    if result in ("delivered", "removed", "cancelled"):
        if result == "delivered":
            if outcome.ref is not None:
                delivery.remote_id = outcome.ref.id
                delivery.remote_url = outcome.ref.url or delivery.remote_url
                delivery.remote_data = outcome.ref.data or {}
            delivery.state = S.DELIVERED
            delivery.delivered_at = now
        elif result == "removed":
            # The address stays on the record: it shows where the post was.
            delivery.state = S.REMOVED
            delivery.remote_id, delivery.remote_data = "", {}
            delivery.removed_at = now
        else:
            delivery.state = S.CANCELLED
        delivery.done_generation = claim.generation
        delivery.attempts = 0
        delivery.next_attempt_at = None
        delivery.error = note
        Channel.objects.filter(pk=channel.pk).update(auth_failures=0, last_success_at=now)
    elif result == "retry":
        if outcome.rate_limited:
            wait = outcome.retry_after if outcome.retry_after is not None else backoff_seconds(delivery.attempts)
            # Every delivery of the channel waits, not only this one.
            Channel.objects.filter(pk=channel.pk).update(rate_limited_until=now + timedelta(seconds=wait))
        elif outcome.retry_after is not None:
            wait = outcome.retry_after
        else:
            wait = backoff_seconds(delivery.attempts)
        if delivery.attempts >= settings.PUBLISHING_MAX_ATTEMPTS:
            delivery.state = S.FAILED
            delivery.next_attempt_at = None
            delivery.error = _("Gave up after %(n)d attempts: %(error)s") % {"n": delivery.attempts, "error": error}
        else:
            delivery.state = S.RETRYING
            delivery.error = error
            delivery.next_attempt_at = now + timedelta(seconds=wait)
    elif result == "unknown":
        delivery.state = S.UNKNOWN
        delivery.next_attempt_at = None
        delivery.error = _(
            "No answer from the platform: the post may or may not exist. Look on the platform, then retry "
            "(not posted) or mark as resolved (posted). Platform said: %s"
        ) % error
    elif result == "auth":
        _record_auth_failure(delivery, channel, error, now)
    else:  # failed
        delivery.state = S.FAILED
        delivery.error = error
        delivery.next_attempt_at = None
    # A later event arrived while we were sending: go again, in order.
    if delivery.generation > claim.generation and delivery.state in (S.DELIVERED, S.REMOVED, S.CANCELLED, S.FAILED):
        delivery.state = S.PENDING
        delivery.attempts = 0
        delivery.next_attempt_at = None
    delivery.save()
    logger.log(
        logging.WARNING if delivery.state in (S.FAILED, S.UNKNOWN) else logging.INFO,
        "delivery %s (story %s, channel %s %s) %s gen %s: %s → %s%s%s",
        delivery.pk, delivery.story_id, channel.pk, channel.kind, outcome.operation or claim.operation, claim.generation,
        result, delivery.state, f" HTTP {outcome.status}" if outcome.status else "", f" {error}" if error else "",
    )  # fmt: skip
    if delivery.state in (S.PENDING, S.RETRYING) and channel.enabled:
        countdown = None if delivery.next_attempt_at is None else max(0, (delivery.next_attempt_at - now).total_seconds())
        enqueue_on_commit([delivery.pk], countdown=countdown)
    elif delivery.state == S.FAILED:
        _notify_failure(delivery, channel)
    _announce(delivery)
    return delivery


def _late_outcome(delivery, claim, outcome, now):
    """Our claim expired and the row moved on. What we learnt still counts
    when it settles an unknown: the post we created exists, with this id."""
    if (
        outcome.result == "delivered"
        and outcome.ref is not None
        and delivery.state == S.UNKNOWN
        and not delivery.remote_id
    ):
        delivery.remote_id, delivery.remote_url, delivery.remote_data = outcome.ref.id, outcome.ref.url, outcome.ref.data or {}
        delivery.state, delivery.delivered_at, delivery.done_generation = S.DELIVERED, now, claim.generation
        delivery.error = _("Delivered: the answer came after the worker's claim had expired.")
        if delivery.generation > claim.generation:
            delivery.state = S.PENDING
        delivery.save()
        if delivery.state == S.PENDING and delivery.channel.enabled:
            enqueue_on_commit([delivery.pk])
        _announce(delivery)
        logger.info("delivery %s: late answer settled an unknown post (%s)", delivery.pk, delivery.remote_id)
    else:
        logger.warning("delivery %s: outcome %s of an expired claim ignored", delivery.pk, outcome.result)
    return delivery


def _record_auth_failure(delivery, channel, error, now):
    # Counted in the database, then read back: concurrent workers each see
    # their own increment, so exactly one of them crosses the threshold.
    Channel.objects.filter(pk=channel.pk).update(auth_failures=F("auth_failures") + 1)
    failures = Channel.objects.values_list("auth_failures", flat=True).get(pk=channel.pk)
    channel.auth_failures = failures
    if failures >= settings.PUBLISHING_AUTH_FAILURES_TO_DISABLE:
        _pause_channel(
            channel, _("The platform refused the channel's credentials %(n)d times in a row: %(error)s") % {"n": failures, "error": error}
        )
        delivery.state = S.PENDING
        delivery.attempts = 0
        delivery.next_attempt_at = None
        delivery.error = _("Waiting: the channel was disabled after repeated authentication errors (%s).") % error
    else:
        delivery.state = S.RETRYING
        delivery.error = error
        delivery.next_attempt_at = now + timedelta(seconds=backoff_seconds(delivery.attempts))


def _redact(channel, text):
    if not text:
        return ""
    try:
        return channel.get_adapter().redact(text)
    except Exception:  # an unknown kind or unreadable credentials: nothing to mask with
        return str(text)


def _announce(delivery):

    transaction.on_commit(lambda: delivery_changed.send(sender=Delivery, delivery=delivery))

# --- channels -------------------------------------------------------------


def _pause_channel(channel, reason):
    """The engine stops sending to a channel whose credentials the platform
    refuses, and tells the unit's publishers why. Once per pause."""
    stopped = Channel.objects.filter(pk=channel.pk, enabled=True).update(enabled=False, disabled_reason=reason)
    channel.enabled, channel.disabled_reason = False, reason
    if stopped:
        logger.warning("channel %s (%s) disabled after authentication errors", channel.pk, channel.kind)
        _notify_publishers(channel, reason)


def _notify_publishers(channel, reason, actor=None):

    notify(
        _publishers(channel.unit_id),
        NotificationKind.CHANNEL_DISABLED,
        _("Channel “%(channel)s” was disabled: %(reason)s") % {"channel": channel.name, "reason": reason},
        unit=channel.unit,
        actor=actor,
    )


def _publishers(unit_id):
    from django.contrib.auth.models import Group

    return group_members(Group.objects.filter(unit_role__unit_id=unit_id, unit_role__role__in=(Role.DISTRIBUTION, Role.MANAGING_EDITOR)))


def notify_delivery_failure(channel, subject, error, url):
    """Tell the unit's publishers that something given up on needs a person.
    While one such notice about the channel is unread, later failures on it
    add none: an outage costs each person one notice, not one per story."""

    recipients = _publishers(channel.unit_id)
    already = Notification.objects.filter(
        recipient__in=recipients, kind=NotificationKind.DELIVERY_FAILED, url=url, read_at__isnull=True
    ).values_list("recipient_id", flat=True)
    recipients -= set(already)
    message = _("Not delivered to “%(channel)s”: %(subject)s. %(error)s") % {"channel": channel.name, "subject": subject, "error": error}
    return notify(recipients, NotificationKind.DELIVERY_FAILED, message, unit=channel.unit, url=url)


def _notify_failure(delivery, channel):
    url = reverse("publishing_dashboard:unit", args=[channel.unit.slug]) + f"?state={S.FAILED}&channel={channel.pk}"
    notify_delivery_failure(channel, f"“{delivery.story_title or delivery.story_id}”", delivery.error, url)


def _check_channel_person(user, channel):

    if user is not None and not user_can_manage_deliveries(user, channel.unit):
        raise PermissionDenied(_("You may not manage this unit's channels."))


@transaction.atomic
def disable_channel(channel, reason="", user=None):
    """A person turns a channel off (``user`` is checked when given): nothing
    is sent to it and it takes no new stories until it is enabled again;
    the unit's publishers are told."""
    channel = Channel.objects.select_for_update().select_related("unit").get(pk=channel.pk)
    _check_channel_person(user, channel)
    reason = (reason or "").strip()
    if user is not None:
        who = user.get_full_name() or user.get_username()
        reason = _("Disabled by %(who)s: %(reason)s") % {"who": who, "reason": reason} if reason else _("Disabled by %s.") % who
    # auth_failures back to 0: a person's choice, not a pause for credentials.
    Channel.objects.filter(pk=channel.pk).update(enabled=False, disabled_reason=reason, auth_failures=0)
    channel.enabled, channel.disabled_reason, channel.auth_failures = False, reason, 0
    _notify_publishers(channel, reason, actor=user)
    return channel


@transaction.atomic
def enable_channel(channel, user=None):
    """Turn a channel back on (``user`` is checked when given) and send what
    waited for it. Returns the deliveries queued."""
    channel = Channel.objects.select_for_update().select_related("unit").get(pk=channel.pk)
    _check_channel_person(user, channel)
    Channel.objects.filter(pk=channel.pk).update(enabled=True, disabled_reason="", auth_failures=0, rate_limited_until=None)
    channel.enabled, channel.disabled_reason, channel.auth_failures, channel.rate_limited_until = True, "", 0, None
    waiting = list(channel.deliveries.filter(state__in=(S.PENDING, S.RETRYING)).values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=waiting).update(next_attempt_at=None)
    enqueue_on_commit(waiting)
    logger.info("channel %s (%s) enabled; %d deliveries queued", channel.pk, channel.kind, len(waiting))
    return waiting

# --- people's actions on a delivery --------------------------------------


def _check_person(user, delivery):

    if not user_can_manage_deliveries(user, delivery.channel.unit):
        raise PermissionDenied(_("You may not manage this unit's deliveries."))


def _lock_for_person(delivery, user):
    delivery = Delivery.objects.select_for_update(of=("self",)).select_related("channel__unit", "story").get(pk=delivery.pk)
    _check_person(user, delivery)
    return delivery


def _who(user):
    return user.get_full_name() or user.get_username()


@transaction.atomic
def retry_delivery(delivery, user):
    """Send again now: a failed delivery, a cancelled one whose story is on
    the site, or an unknown one a person checked and found not posted."""
    delivery = _lock_for_person(delivery, user)
    if delivery.state not in (S.FAILED, S.UNKNOWN, S.RETRYING, S.CANCELLED):
        raise ValidationError(_("Only a failed, unknown, retrying or cancelled delivery can be retried."))
    if delivery.state == S.CANCELLED and not (delivery.story_id and delivery.story.live and delivery.action == DeliveryAction.PUBLISH):
        raise ValidationError(_("The story is not on the site: there is nothing to send."))
    if not delivery.channel.enabled:
        raise ValidationError(_("The channel is disabled: enable it first."))
    if delivery.state == S.UNKNOWN:
        # The person looked: not posted. Send as a new post.
        delivery.remote_id, delivery.needs_lookup = "", False
    delivery.state = S.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = None
    delivery.claim_token = ""
    delivery.error = ""
    delivery.save()
    _person_log(delivery, user, "retry")
    enqueue_on_commit([delivery.pk])
    _announce(delivery)
    return delivery


@transaction.atomic
def cancel_delivery(delivery, user):
    """Stop trying: a waiting, failed or unknown delivery is left as it is
    on the platform."""
    delivery = _lock_for_person(delivery, user)
    if delivery.state not in (S.PENDING, S.RETRYING, S.FAILED, S.UNKNOWN):
        raise ValidationError(_("Only a waiting, failed or unknown delivery can be cancelled."))
    _close(delivery, S.CANCELLED, _("Cancelled by %s.") % _who(user))
    _person_log(delivery, user, "cancel")
    _announce(delivery)
    return delivery


@transaction.atomic
def resolve_delivery(delivery, user, remote_url=""):
    """A person checked the platform: the post is there (an unknown or failed
    publication: recorded as delivered, with its address when they give it)
    or gone (a removal: recorded as removed)."""
    remote_url = (remote_url or "").strip()
    if remote_url:
        try:
            URLValidator(schemes=["http", "https"])(remote_url)
        except ValidationError:
            raise ValidationError(_("Enter the post's full address, starting with https://.")) from None
    delivery = _lock_for_person(delivery, user)
    if delivery.state not in (S.UNKNOWN, S.FAILED, S.RETRYING):
        raise ValidationError(_("Only an unknown, failed or retrying delivery can be marked as resolved."))
    now = timezone.now()
    if delivery.action == DeliveryAction.REMOVE:
        delivery.state, delivery.removed_at = S.REMOVED, now
        delivery.remote_id, delivery.remote_data = "", {}
    else:
        delivery.state, delivery.delivered_at = S.DELIVERED, now
        if remote_url:
            delivery.remote_url = remote_url
        if not delivery.remote_id:
            # We do not know the post's id: later updates and a takedown
            # are left to a person (see _operation_for).
            delivery.remote_data = {"by_hand": True}
    delivery.done_generation = delivery.generation
    delivery.needs_lookup = False
    delivery.claim_token = ""
    delivery.error = _("Marked as resolved by %s.") % _who(user)
    delivery.next_attempt_at = None
    delivery.resolved_by, delivery.resolved_at = user, now
    delivery.save()
    _person_log(delivery, user, "resolve")
    _announce(delivery)
    return delivery


def _person_log(delivery, user, operation):
    now = timezone.now()
    DeliveryAttempt.objects.create(delivery=delivery, operation=operation, started_at=now, finished_at=now, outcome=operation, user=user)
