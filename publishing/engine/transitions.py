"""Every change of a delivery's state, in one place: what each change sets
on the row, and that it is announced once committed. The outbox, the
worker, people's actions, the channel switches and the newsletter digests
call these; none of them sets a delivery's state itself (the outbox only
writes new deliveries, pending).

``want``, ``close``, ``claim``, ``postpone``, ``record`` and
``settle_delivered`` write rows. ``settle``, ``stop``, ``retry_later``,
``start_over`` and ``catch_up`` change one in memory, for a caller that
saves it once with the rest of what it records (a worker's outcomes, with
``record``; a person's resolution)."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F

from ..events import delivery_changed
from ..models import Delivery, DeliveryState
from .rows import update_rows

S = DeliveryState
# States a delivery rests in until a new event (or a person) moves it.
AT_REST = (S.DELIVERED, S.REMOVED, S.CANCELLED, S.FAILED)


def announce(delivery):
    """Tell the listeners (the editor's live status) once the change is committed."""
    transaction.on_commit(lambda: delivery_changed.send(sender=Delivery, delivery=delivery))


def want(delivery, action, event, story=None):
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
        start_over(delivery)
        delivery.error = ""
        fields += ["state", "attempts", "next_attempt_at", "error"]
    delivery.save(update_fields=fields)
    delivery.refresh_from_db(fields=["generation"])
    announce(delivery)


def close(delivery, state, reason, **changes):
    """Nothing more is tried for what the delivery asks now: it rests in
    ``state`` (cancelled, failed, unknown for a person, or delivered by an
    earlier newsletter) with ``reason`` on the dashboard, held by no worker.
    ``changes`` are other fields the closing sets (the event that closed it,
    the action it was for)."""
    stop(delivery, state, reason)
    if state == S.DELIVERED:
        changes["done_generation"] = delivery.generation
    changes.update(claim_token="", lease_until=None)
    for name, value in changes.items():
        setattr(delivery, name, value)
    delivery.save(update_fields=["state", "error", "next_attempt_at", *changes, "updated_at"])
    announce(delivery)


@dataclass
class Taking:
    """A delivery a worker takes, what for, and until when."""

    delivery: Delivery
    operation: str
    lease_until: datetime
    creating: bool = False  # the operation may create a post


CLAIM_FIELDS = [
    "state", "claim_token", "claimed_generation", "operation", "needs_lookup", "create_key", "lease_until", "attempts",
    "total_attempts", "updated_at",
]  # fmt: skip
# What a worker's outcome may change (``record``).
OUTCOME_FIELDS = [
    "state", "claim_token", "lease_until", "http_status", "needs_lookup", "create_key", "pending_create", "done_generation",
    "next_attempt_at", "error", "remote_id", "remote_url", "remote_data", "delivered_at", "removed_at", "attempts", "updated_at",
]  # fmt: skip


def claim(taken, now):
    """A worker takes deliveries to send them (``Taking``s): sending, each
    under a token of its own until its lease ends, one attempt more, all in
    one statement. Before an operation that may create a post
    (``creating``), the "may already exist" mark is set and the create gets
    its key, in this same write: a worker killed mid-request, or one that
    loses its claim, leaves the mark behind."""
    for take in taken:
        delivery = take.delivery
        delivery.state = S.SENDING
        delivery.claim_token = uuid.uuid4().hex
        delivery.claimed_generation = delivery.generation
        delivery.operation = take.operation
        delivery.lease_until = take.lease_until
        delivery.attempts += 1
        delivery.total_attempts += 1
        delivery.updated_at = now
        if take.creating:
            delivery.needs_lookup = True
            delivery.create_key = delivery.create_key or uuid.uuid4().hex
    _write([take.delivery for take in taken], CLAIM_FIELDS)
    for take in taken:
        announce(take.delivery)


def record(deliveries, now):
    """Write what workers' outcomes set on these deliveries (with
    ``settle``, ``stop``, ``retry_later``…), in one statement; their
    changes were announced as they were made."""
    for delivery in deliveries:
        delivery.updated_at = now
    _write(list(deliveries), OUTCOME_FIELDS)


def _write(deliveries, fields):
    if len(deliveries) == 1:
        deliveries[0].save(update_fields=fields)
    else:
        update_rows(deliveries, fields)


def postpone(delivery, until):
    """Not sent yet: due again at ``until`` (its channel is over its rate).
    The "may already exist" mark an interrupted create left is kept."""
    delivery.state = S.RETRYING if delivery.attempts else S.PENDING
    delivery.next_attempt_at = until
    delivery.save(update_fields=["state", "next_attempt_at", "needs_lookup", "updated_at"])
    announce(delivery)




def settle_delivered(pks, now, note, **remote):
    """Deliveries delivered together (the stories of one newsletter issue,
    at the issue's ``remote`` address), in one statement."""
    Delivery.objects.filter(pk__in=pks).update(
        state=S.DELIVERED,
        done_generation=F("generation"),
        delivered_at=now,
        attempts=0,
        next_attempt_at=None,
        error=note,
        updated_at=now,
        **remote,
    )

    def send():
        for delivery in Delivery.objects.filter(pk__in=pks):
            delivery_changed.send(sender=Delivery, delivery=delivery)

    transaction.on_commit(send)


# --- in memory, saved by the caller ------------------------------------------


def settle(delivery, state, generation, now, ref=None, note=""):
    """The platform shows what ``generation`` asked for: the post (delivered,
    at ``ref`` when the platform said where), no post (removed: the address
    stays on the record, it shows where the post was) or nothing was sent
    (cancelled)."""
    delivery.state = state
    delivery.done_generation = generation
    delivery.next_attempt_at = None
    delivery.error = note
    # Settled: no create of ours is left unaccounted for.
    delivery.needs_lookup = False
    delivery.create_key, delivery.pending_create = "", {}
    if state == S.DELIVERED:
        if ref is not None:
            delivery.remote_id = ref.id
            delivery.remote_url = ref.url or delivery.remote_url
            delivery.remote_data = ref.data or {}
        delivery.delivered_at = now
    elif state == S.REMOVED:
        delivery.remote_id, delivery.remote_data = "", {}
        delivery.removed_at = now


def stop(delivery, state, reason):
    """Nothing is due any more: failed, or unknown until a person looks."""
    delivery.state = state
    delivery.error = reason
    delivery.next_attempt_at = None


def retry_later(delivery, reason, at):
    """Due again at ``at``, after an error worth another try."""
    delivery.state = S.RETRYING
    delivery.error = reason
    delivery.next_attempt_at = at


def start_over(delivery):
    """Pending and due now, its attempts counted afresh."""
    delivery.state = S.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = None


def catch_up(delivery, generation):
    """A later event arrived while ``generation`` was being sent: a delivery
    that came to rest goes again, so the platform ends with the latest."""
    if delivery.generation > generation and delivery.state in AT_REST:
        start_over(delivery)
