"""The delivery engine: the outbox written with each publication, and the
claim → send → record cycle a worker runs for one delivery.

Guarantees, and how:
- Nothing lost: deliveries are rows written in the publication's own
  transaction; the Celery message is only a nudge sent after commit, and
  the sweeper re-sends nudges for rows left waiting (broker down, message
  lost, worker killed).
- Nothing twice: a worker claims a row under a row lock before it talks to
  the platform and records the outcome only while its claim holds; a claim
  that expired while creating a post becomes "unknown" and is checked on
  the platform (or left to a person), never blindly created again.
- In order: one row per (story, channel); later events only raise its
  ``generation`` and the worker always sends the story as it is now.
"""

import logging
import random
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .adapters.base import RemoteRef
from .adapters.errors import AuthFailed, DeliveryError, OutcomeUnknown, Permanent, RateLimited, RemoteGone, Temporary
from .models import Channel, ChannelCopy, Delivery, DeliveryAction, DeliveryAttempt, DeliveryState, StoryEvent

logger = logging.getLogger(__name__)

S = DeliveryState


# --- the outbox -------------------------------------------------------------


def channels_for(story, unit):
    """The unit's enabled channels that take this story: its section (if the
    channel names sections) and its per-story choice (Channels tab)."""
    from newsroom.models import SectionPage

    copies = {copy.channel_id: copy for copy in ChannelCopy.objects.filter(story=story)}
    section = SectionPage.objects.filter(pk=story.get_parent().pk).first() if story.depth > 1 else None
    chosen = []
    for channel in Channel.objects.filter(unit=unit, enabled=True).prefetch_related("sections"):
        copy = copies.get(channel.pk)
        include = copy.include if copy else ChannelCopy.Include.DEFAULT
        if include == ChannelCopy.Include.NEVER:
            continue
        if include == ChannelCopy.Include.DEFAULT:
            if not channel.auto_publish:
                continue
            sections = list(channel.sections.all())
            if sections and (section is None or section.pk not in {s.pk for s in sections}):
                continue
        chosen.append(channel)
    return chosen


def plan_publication(story, unit, event, at=None):
    """Called inside the publication's transaction (published, updated,
    corrected): one delivery per channel that takes the story, created or
    moved on to the story's current version. Channels that had the story
    but no longer take it (un-ticked in the Channels tab) remove it."""
    at = at or timezone.now()
    _log_event(story, unit, event, at)
    if unit is None:
        return []
    wanted = {channel.pk: channel for channel in channels_for(story, unit)}
    existing = {d.channel_id: d for d in Delivery.objects.select_for_update().filter(story=story)}
    touched = []
    for channel_pk, channel in wanted.items():
        delivery = existing.get(channel_pk)
        if delivery is None:
            delivery = Delivery.objects.create(story=story, channel=channel, event=event, state=S.PENDING)
        else:
            _want(delivery, DeliveryAction.PUBLISH, event)
        touched.append(delivery)
    for channel_pk, delivery in existing.items():
        if channel_pk not in wanted and (delivery.remote_id or delivery.state in (S.SENDING, S.UNKNOWN)):
            _want(delivery, DeliveryAction.REMOVE, event)
            touched.append(delivery)
        elif channel_pk not in wanted and delivery.state in (S.PENDING, S.RETRYING):
            _close(delivery, S.CANCELLED, _("The story no longer goes to this channel."))
    enqueue_on_commit([d.pk for d in touched if d.state in (S.PENDING, S.RETRYING)])
    return touched


def plan_removal(story, unit, event="taken_down", at=None):
    """Called inside the takedown's transaction: every channel that has the
    story (or may have it) removes it; deliveries not sent yet are
    cancelled."""
    at = at or timezone.now()
    _log_event(story, unit, event, at)
    touched = []
    for delivery in Delivery.objects.select_for_update().filter(story=story):
        if delivery.remote_id or delivery.state in (S.SENDING, S.UNKNOWN):
            _want(delivery, DeliveryAction.REMOVE, event)
            touched.append(delivery)
        elif delivery.state in (S.PENDING, S.RETRYING, S.FAILED):
            _close(delivery, S.CANCELLED, _("Cancelled: the story was taken down."), event=event)
    enqueue_on_commit([d.pk for d in touched if d.state in (S.PENDING, S.RETRYING)])
    return touched


def _want(delivery, action, event):
    """A new event for an existing delivery: the platform should now show the
    story as it is (or nothing). A row being sent keeps its state; the
    worker sees the higher generation when it records its outcome."""
    delivery.action = action
    delivery.event = event
    delivery.generation = F("generation") + 1
    fields = ["action", "event", "generation", "updated_at"]
    if delivery.state not in (S.SENDING, S.UNKNOWN):
        delivery.state = S.PENDING
        delivery.attempts = 0
        delivery.next_attempt_at = None
        delivery.error = ""
        fields += ["state", "attempts", "next_attempt_at", "error"]
    delivery.save(update_fields=fields)
    delivery.refresh_from_db(fields=["generation"])


def _close(delivery, state, message, event=None):
    delivery.state = state
    delivery.error = message
    delivery.next_attempt_at = None
    fields = ["state", "error", "next_attempt_at", "updated_at"]
    if event:
        delivery.event = event
        fields.append("event")
    delivery.save(update_fields=fields)


def _log_event(story, unit, event, at):
    if unit is None:
        return
    section = story.get_parent()
    StoryEvent.objects.create(story=story, unit=unit, section_id=section.pk if section.depth == 3 else None, event=event, at=at)


# --- nudging the workers --------------------------------------------------


def enqueue_on_commit(pks, countdown=None):
    if pks:
        transaction.on_commit(lambda: enqueue(pks, countdown=countdown))


def enqueue(pks, countdown=None):
    """Send the workers a message per delivery. A broker outage is logged and
    survived: the rows are there, and the sweeper sends the messages again."""
    from .tasks import deliver

    sent = []
    for pk in pks:
        try:
            deliver.apply_async(args=[pk], countdown=countdown, queue=settings.PUBLISHING_QUEUE)
        except Exception as error:  # the broker is down: the sweeper will retry
            logger.warning("delivery %s not queued (%s); the sweeper will queue it", pk, error.__class__.__name__)
            continue
        sent.append(pk)
    if sent:
        Delivery.objects.filter(pk__in=sent).update(enqueued_at=timezone.now())
    return sent


def sweep(now=None):
    """Queue again the deliveries whose message may be lost: waiting and
    due for longer than PUBLISHING_STALE_SECONDS, or held by a worker whose
    claim expired. Run by Celery beat."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.PUBLISHING_STALE_SECONDS)
    waiting = Q(state__in=(S.PENDING, S.RETRYING)) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)) & (
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lte=stale)
    )
    abandoned = Q(state=S.SENDING, lease_until__lt=now)
    batched = _batched_kinds()
    pks = list(
        Delivery.objects.filter(waiting | abandoned, channel__enabled=True)
        .exclude(channel__kind__in=batched)
        .order_by("pk")
        .values_list("pk", flat=True)[: settings.PUBLISHING_SWEEP_BATCH]
    )
    return enqueue(pks)


def _batched_kinds():
    from .adapters import registry

    return [adapter.kind for adapter in registry.available() if adapter.batched]


# --- one delivery, by a worker ----------------------------------------------


@dataclass
class Claim:
    pk: int
    token: str
    generation: int
    operation: str  # create | update | replace | delete | lookup


@dataclass
class Outcome:
    result: str  # delivered | removed | retry | failed | unknown | auth | postponed | cancelled
    ref: RemoteRef = None
    error: str = ""
    status: int = None
    retry_after: float = None
    note: str = ""
    # The create may have happened: look on the platform before sending again.
    lookup_next: bool = False


def process(pk):
    """Everything a worker does for one delivery message. Never raises: a
    bug in an adapter fails the delivery, it does not kill the worker."""
    claim = claim_delivery(pk)
    if claim is None:
        return None
    started = timezone.now()
    try:
        # Words the adapters add ("Đọc tiếp") are in the unit's language.
        with translation.override(Delivery.objects.values_list("channel__unit__language", flat=True).get(pk=pk)):
            outcome = perform(claim)
    except Exception as error:  # a bug, not a platform error: keep the worker alive
        logger.exception("delivery %s: unexpected error", pk)
        outcome = Outcome("failed", error=_("Internal error: %s") % error.__class__.__name__)
    return record_outcome(claim, outcome, started)


@transaction.atomic
def claim_delivery(pk, now=None):
    """Take the delivery for this worker, or return None when there is
    nothing to do now (another worker has it, it is not due, it is done)."""
    now = now or timezone.now()
    delivery = (
        Delivery.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("channel")
        .filter(pk=pk)
        .first()
    )
    if delivery is None or not delivery.channel.enabled:
        return None
    adapter_class = delivery.channel.adapter_class
    if adapter_class.batched:
        return None
    if delivery.state == S.SENDING:
        if delivery.lease_until and delivery.lease_until > now:
            return None  # another worker is on it
        operation = _after_interruption(delivery)
        if operation is None:
            return None
    elif delivery.state in (S.PENDING, S.RETRYING):
        if delivery.next_attempt_at and delivery.next_attempt_at > now:
            return None
        operation = "lookup" if delivery.needs_lookup and delivery.action == DeliveryAction.PUBLISH else _operation_for(delivery)
    else:
        return None
    if operation == "cancel":
        _close(delivery, S.CANCELLED, _("Nothing to send: the story is not on the site."))
        return None
    if operation == "by_hand":
        _close(delivery, S.FAILED, _("This post was recorded by hand without its id: remove it on the platform, then mark as resolved."))
        return None
    wait = _rate_wait(delivery.channel, now)
    if wait:
        delivery.state = S.RETRYING if delivery.attempts else S.PENDING
        delivery.next_attempt_at = now + timedelta(seconds=wait)
        delivery.save(update_fields=["state", "next_attempt_at", "updated_at"])
        enqueue_on_commit([delivery.pk], countdown=wait)
        return None
    delivery.state = S.SENDING
    delivery.claim_token = uuid.uuid4().hex
    delivery.claimed_generation = delivery.generation
    delivery.operation = operation
    delivery.lease_until = now + timedelta(seconds=settings.PUBLISHING_LEASE_SECONDS)
    delivery.attempts += 1
    delivery.total_attempts += 1
    delivery.save(
        update_fields=["state", "claim_token", "claimed_generation", "operation", "lease_until", "attempts", "total_attempts", "updated_at"]
    )
    return Claim(delivery.pk, delivery.claim_token, delivery.generation, operation)


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
    deletes can simply be sent again; a create may have happened."""
    if delivery.operation in ("create", "replace", "lookup") and not delivery.remote_id:
        if delivery.channel.adapter_class.can_lookup:
            return "lookup"
        delivery.state = S.UNKNOWN
        delivery.error = _(
            "The worker stopped while creating the post and this platform cannot be checked: "
            "look on the platform, then retry (not posted) or mark as resolved (posted)."
        )
        delivery.save(update_fields=["state", "error", "updated_at"])
        return None
    return _operation_for(delivery)


def _rate_wait(channel, now):
    """Seconds to wait before this channel may be sent to, or 0."""
    if channel.is_rate_limited(now):
        return max(1, int((channel.rate_limited_until - now).total_seconds()) + 1)
    limit = channel.rate_limit_per_minute
    if not limit:
        return 0
    window = int(now.timestamp() // 60)
    key = f"publishing:rate:{channel.pk}:{window}"
    cache.add(key, 0, 120)
    try:
        used = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, 120)
        used = 1
    if used > limit:
        return 60 - int(now.timestamp()) % 60 + 1
    return 0


def perform(claim):
    """Talk to the platform. Runs outside any transaction."""
    delivery = Delivery.objects.select_related("channel").get(pk=claim.pk)
    adapter = delivery.channel.get_adapter()
    ref = RemoteRef(delivery.remote_id, delivery.remote_url, delivery.remote_data or {}) if delivery.remote_id else None
    try:
        if claim.operation == "delete":
            try:
                adapter.delete(ref)
            except RemoteGone:
                pass  # already gone is what we wanted
            return Outcome("removed")
        if claim.operation == "keep":
            return Outcome("delivered", ref=ref, note=_("This post cannot be edited from here (the platform has no edit, or it was recorded by hand); it was left as it was."))
        story = delivery.story.specific
        copy = ChannelCopy.objects.filter(story=story, channel=delivery.channel).first()
        post = adapter.render(story, copy)
        refusal = adapter.check(post)
        if refusal:
            return Outcome("failed", error=str(refusal))
        post = adapter.prepare(post)
        if claim.operation == "lookup":
            found = adapter.lookup(post)
            if found is not None:
                return Outcome("delivered", ref=found, note=_("Found on the platform after an interrupted send."))
            return Outcome("retry", error=_("Not found on the platform after an interrupted send; sending again."), retry_after=0)
        if claim.operation == "update":
            try:
                return Outcome("delivered", ref=adapter.update(ref, post))
            except RemoteGone:
                # Deleted on the platform by hand: publish it again.
                _forget_remote(claim)
                return Outcome("delivered", ref=adapter.create(post))
        if claim.operation == "replace":
            try:
                adapter.delete(ref)
            except RemoteGone:
                pass
            _forget_remote(claim)
        return Outcome("delivered", ref=adapter.create(post))
    except RateLimited as error:
        return Outcome("retry", error=error.message, status=error.status, retry_after=error.retry_after)
    except AuthFailed as error:
        return Outcome("auth", error=error.message, status=error.status)
    except OutcomeUnknown as error:
        if claim.operation in ("create", "replace", "lookup"):
            if adapter.can_lookup:
                return Outcome("retry", error=error.message, lookup_next=True)
            return Outcome("unknown", error=error.message)
        return Outcome("retry", error=error.message)
    except Temporary as error:
        return Outcome("retry", error=error.message, status=error.status)
    except Permanent as error:
        return Outcome("failed", error=error.message, status=error.status)
    except RemoteGone as error:
        return Outcome("failed", error=error.message, status=error.status)
    except DeliveryError as error:
        return Outcome("failed", error=error.message, status=error.status)


def _forget_remote(claim):
    """The old post is gone: say so at once, so a crash before the new post
    is recorded is seen as an interrupted create, not an update."""
    Delivery.objects.filter(pk=claim.pk, claim_token=claim.token).update(remote_id="", remote_url="", remote_data={})


def backoff_seconds(attempt):
    """Exponential backoff with full jitter, capped."""
    base = settings.PUBLISHING_RETRY_BASE_SECONDS
    cap = settings.PUBLISHING_RETRY_MAX_SECONDS
    return random.uniform(base / 2, min(cap, base * 2 ** max(0, attempt - 1)))


@transaction.atomic
def record_outcome(claim, outcome, started=None, now=None):
    now = now or timezone.now()
    delivery = Delivery.objects.select_for_update(of=("self",)).select_related("channel").get(pk=claim.pk)
    DeliveryAttempt.objects.create(
        delivery=delivery,
        operation=claim.operation,
        started_at=started or now,
        finished_at=now,
        outcome=outcome.result,
        http_status=outcome.status,
        error=outcome.error or outcome.note,
    )
    if delivery.claim_token != claim.token:
        # Our claim expired and someone else took the row: they decide.
        logger.warning("delivery %s: outcome of an expired claim ignored", delivery.pk)
        return delivery
    channel = delivery.channel
    delivery.claim_token = ""
    delivery.lease_until = None
    delivery.http_status = outcome.status
    result = outcome.result
    if result in ("delivered", "removed"):
        if result == "delivered":
            if outcome.ref is not None:
                delivery.remote_id = outcome.ref.id
                delivery.remote_url = outcome.ref.url or delivery.remote_url
                delivery.remote_data = outcome.ref.data or {}
            delivery.state = S.DELIVERED
            delivery.delivered_at = now
        else:
            delivery.state = S.REMOVED
            delivery.remote_id, delivery.remote_url, delivery.remote_data = "", delivery.remote_url, {}
            delivery.removed_at = now
        delivery.done_generation = claim.generation
        delivery.attempts = 0
        delivery.next_attempt_at = None
        delivery.error = outcome.note
        if channel.auth_failures or not channel.last_success_at or channel.last_success_at < now:
            Channel.objects.filter(pk=channel.pk).update(auth_failures=0, last_success_at=now)
    elif result == "retry":
        if outcome.status == 429:
            wait = outcome.retry_after if outcome.retry_after is not None else backoff_seconds(delivery.attempts)
            until = now + timedelta(seconds=wait)
            Channel.objects.filter(pk=channel.pk).update(rate_limited_until=until)
        elif outcome.retry_after is not None:
            wait = outcome.retry_after
        else:
            wait = backoff_seconds(delivery.attempts)
        delivery.needs_lookup = outcome.lookup_next
        if delivery.attempts >= settings.PUBLISHING_MAX_ATTEMPTS:
            delivery.state = S.FAILED
            delivery.error = _("Gave up after %(n)d attempts: %(error)s") % {"n": delivery.attempts, "error": outcome.error}
        else:
            delivery.state = S.RETRYING
            delivery.error = outcome.error
            delivery.next_attempt_at = now + timedelta(seconds=wait)
    elif result == "unknown":
        delivery.state = S.UNKNOWN
        delivery.error = _(
            "No answer from the platform: the post may or may not exist. Look on the platform, then retry "
            "(not posted) or mark as resolved (posted). Platform said: %s"
        ) % outcome.error
    elif result == "auth":
        failures = channel.auth_failures + 1
        Channel.objects.filter(pk=channel.pk).update(auth_failures=F("auth_failures") + 1)
        if failures >= settings.PUBLISHING_AUTH_FAILURES_TO_DISABLE:
            disable_channel(channel, _("The platform refused the channel's credentials %(n)d times in a row: %(error)s") % {"n": failures, "error": outcome.error})
            delivery.state = S.PENDING
            delivery.attempts = 0
            delivery.error = _("Waiting: the channel was disabled after repeated authentication errors.")
        else:
            delivery.state = S.RETRYING
            delivery.error = outcome.error
            delivery.next_attempt_at = now + timedelta(seconds=backoff_seconds(delivery.attempts))
    else:  # failed
        delivery.state = S.FAILED
        delivery.error = outcome.error
        delivery.next_attempt_at = None
    if result != "retry":
        delivery.needs_lookup = False
    # A later event arrived while we were sending: go again, in order.
    if delivery.state in (S.DELIVERED, S.REMOVED) and delivery.generation > claim.generation:
        delivery.state = S.PENDING
    delivery.save()
    if delivery.state in (S.PENDING, S.RETRYING):
        countdown = None if delivery.next_attempt_at is None else max(0, (delivery.next_attempt_at - now).total_seconds())
        if channel.enabled or delivery.state != S.PENDING:
            enqueue_on_commit([delivery.pk], countdown=countdown)
    _announce(delivery)
    return delivery


def _announce(delivery):
    from .events import delivery_changed

    transaction.on_commit(lambda: delivery_changed.send(sender=Delivery, delivery=delivery))


# --- channels -------------------------------------------------------------


def disable_channel(channel, reason):
    """Stop sending to a channel and tell the unit's publishers why."""
    from workflows.models import NotificationKind, Role
    from workflows.notifications import group_members, notify
    from workflows.roles import unit_group

    Channel.objects.filter(pk=channel.pk).update(enabled=False, disabled_reason=reason)
    channel.enabled, channel.disabled_reason = False, reason
    groups = [g for g in (unit_group(channel.unit, role) for role in (Role.DISTRIBUTION, Role.MANAGING_EDITOR)) if g is not None]
    notify(
        group_members(groups),
        NotificationKind.CHANNEL_DISABLED,
        _("Channel “%(channel)s” was disabled: %(reason)s") % {"channel": channel.name, "reason": reason},
        unit=channel.unit,
    )


def enable_channel(channel):
    """Turn a channel back on and send what waited for it."""
    with transaction.atomic():
        Channel.objects.filter(pk=channel.pk).update(enabled=True, disabled_reason="", auth_failures=0, rate_limited_until=None)
        channel.enabled, channel.disabled_reason, channel.auth_failures = True, "", 0
        waiting = list(channel.deliveries.filter(state__in=(S.PENDING, S.RETRYING)).values_list("pk", flat=True))
        Delivery.objects.filter(pk__in=waiting).update(next_attempt_at=None)
        enqueue_on_commit(waiting)
    return waiting


# --- people's actions on a delivery --------------------------------------


def _check_person(user, delivery):
    from .permissions import user_can_manage_deliveries

    if not user_can_manage_deliveries(user, delivery.channel.unit):
        raise PermissionDenied(_("You may not manage this unit's deliveries."))


@transaction.atomic
def retry_delivery(delivery, user):
    """Send again now: a failed delivery, or an unknown one a person checked
    and found not posted."""
    delivery = Delivery.objects.select_for_update().select_related("channel__unit").get(pk=delivery.pk)
    _check_person(user, delivery)
    if delivery.state not in (S.FAILED, S.UNKNOWN, S.RETRYING, S.CANCELLED):
        raise ValidationError(_("Only a failed, unknown, retrying or cancelled delivery can be retried."))
    if delivery.state == S.CANCELLED and not (delivery.story.live and delivery.action == DeliveryAction.PUBLISH):
        raise ValidationError(_("The story is not on the site: there is nothing to send."))
    if delivery.state == S.UNKNOWN:
        # The person looked: not posted. Send as a new post.
        delivery.remote_id = ""
    delivery.state = S.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = None
    delivery.error = ""
    delivery.save()
    _person_log(delivery, user, "retry")
    enqueue_on_commit([delivery.pk])
    _announce(delivery)
    return delivery


@transaction.atomic
def cancel_delivery(delivery, user):
    delivery = Delivery.objects.select_for_update().select_related("channel__unit").get(pk=delivery.pk)
    _check_person(user, delivery)
    if delivery.state not in (S.PENDING, S.RETRYING, S.FAILED, S.UNKNOWN):
        raise ValidationError(_("Only a waiting, failed or unknown delivery can be cancelled."))
    _close(delivery, S.CANCELLED, _("Cancelled by %s.") % (user.get_full_name() or user.get_username()))
    _person_log(delivery, user, "cancel")
    _announce(delivery)
    return delivery


@transaction.atomic
def resolve_delivery(delivery, user, remote_url=""):
    """A person checked the platform and the post is there (an unknown or
    failed delivery): record it as delivered (or removed, for a removal),
    with the post's address when they give it."""
    delivery = Delivery.objects.select_for_update().select_related("channel__unit").get(pk=delivery.pk)
    _check_person(user, delivery)
    if delivery.state not in (S.UNKNOWN, S.FAILED, S.RETRYING):
        raise ValidationError(_("Only an unknown, failed or retrying delivery can be marked as resolved."))
    now = timezone.now()
    if delivery.action == DeliveryAction.REMOVE:
        delivery.state, delivery.removed_at = S.REMOVED, now
    else:
        delivery.state, delivery.delivered_at = S.DELIVERED, now
        if remote_url:
            delivery.remote_url = remote_url
        if not delivery.remote_id:
            # We do not know the post's id: later updates and a takedown
            # are left to a person (see _operation_for).
            delivery.remote_data = {"by_hand": True}
    delivery.done_generation = delivery.generation
    delivery.error = _("Marked as resolved by %s.") % (user.get_full_name() or user.get_username())
    delivery.next_attempt_at = None
    delivery.resolved_by, delivery.resolved_at = user, now
    delivery.save()
    _person_log(delivery, user, "resolve")
    _announce(delivery)
    return delivery


def _person_log(delivery, user, operation):
    now = timezone.now()
    DeliveryAttempt.objects.create(delivery=delivery, operation=operation, started_at=now, finished_at=now, outcome=operation, user=user)

