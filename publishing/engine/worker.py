"""What a worker does for one message (a story's channels, or one delivery):
claim the rows under a lease in one transaction, talk to the platforms
outside any transaction (the channels at the same time), and record the
outcomes while the claims hold, in one transaction (done, again later with
backoff, a person, or again now for a newer version of the story)."""

import logging
import math
import random
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, transaction
from django.db import connection as connection_of_this_thread
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assets import rights
from newsroom.archive_usage import stories_out_of_rights
from newsroom.models import ArticlePage

from ..adapters import connections
from ..adapters.base import RemoteRef
from ..adapters.errors import AuthFailed, ClaimLost, DeliveryError, OutcomeUnknown, RateLimited, RemoteGone, Temporary
from ..models import Channel, ChannelCopy, Delivery, DeliveryAction, DeliveryAttempt, DeliveryState
from . import transitions
from .channels import notify_failed_delivery, pause_channel
from .outbox import enqueue_on_commit
from .rows import update_rows

logger = logging.getLogger(__name__)

S = DeliveryState
# Operations that make a new post: interrupted, they leave the post's
# existence unknown.
CREATING = ("create", "replace", "lookup")
# What the platform's answer settles the delivery as.
SETTLED = {"delivered": S.DELIVERED, "removed": S.REMOVED, "cancelled": S.CANCELLED}
# A channel's last success is kept to the minute (the dashboard shows no
# more): writing its row after every delivery would hold its lock through
# each outcome's commit, one worker after another.
SUCCESS_STAMP = timedelta(seconds=60)


@dataclass
class Claim:
    pk: int
    token: str
    generation: int
    operation: str  # create | update | replace | delete | lookup | keep
    attempt: int = None  # the DeliveryAttempt written before sending
    lease_until: datetime = None  # by this worker's clock


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
    # The platform failed for a moment (5xx, a dropped connection, a 429):
    # worth trying again at once.
    transient: bool = False
    # What the tries before this outcome met (in the attempt's record).
    retried: tuple = ()


def process(pk):
    """Everything a worker does for one delivery: the recorded delivery, or
    None when there was nothing to do. Never raises."""
    return process_many([pk]).get(pk)


def process_many(pks):
    """Everything a worker does for one message's deliveries (a story's
    channels): {pk: recorded delivery} for those it sent. Never raises: a
    bug in an adapter fails its delivery, it does not kill the worker, and
    a database outage leaves the rows to the sweeper."""
    try:
        # A short pause of a channel is waited out here, as the worker's own
        # 429s are (``_send``), where other threads can see the claim.
        claims = claim_deliveries(pks, wait_here=_outside_transaction())
    except Exception:
        logger.error("deliveries %s: cannot be claimed\n%s", pks, _traceback())
        return {}
    if not claims:
        return {}
    started = timezone.now()
    outcomes = perform_many(claims, started)
    # A delivery that is to be tried again after a pause records its own
    # outcome then (``_finish_later``): the message does not wait for it.
    claims = [claim for claim in claims if claim.pk in outcomes]
    return _record(claims, outcomes, started) if claims else {}


def _record(claims, outcomes, started):
    """Record the outcomes, together, else one at a time: {pk: delivery}."""
    try:
        return record_outcomes(claims, outcomes, started)
    except Exception:
        logger.error("deliveries %s: outcomes not recorded together, one at a time\n%s", [c.pk for c in claims], _traceback())
    recorded = {}
    for claim in claims:  # a row that cannot be recorded does not hold back the others
        try:
            recorded.update(record_outcomes([claim], outcomes, started))
        except Exception:
            # The lease runs out and the sweeper hands the row to another worker.
            logger.error("delivery %s: outcome %s not recorded\n%s", claim.pk, outcomes[claim.pk].result, _traceback())
    return recorded


def _traceback():
    return "".join(traceback.format_exc())[-4000:]


# --- the claim --------------------------------------------------------------


def claim_delivery(pk, now=None):
    """Take one delivery for this worker (see ``claim_deliveries``): its
    claim, or None."""
    claims = claim_deliveries([pk], now)
    return claims[0] if claims else None


@transaction.atomic
def claim_deliveries(pks, now=None, wait_here=False):
    """Take the deliveries for this worker, in one transaction: the claims
    of those there is something to do for now (not held by another worker,
    due, not done, their channel on and under its rate). With ``wait_here``
    a channel the platform paused for at most
    PUBLISHING_QUICK_RETRY_MAX_WAIT does not postpone its deliveries: they
    are claimed, and their sends wait for the pause's end in this worker
    rather than go back through the broker."""
    now = now or timezone.now()
    # Waits for a lock held elsewhere rather than skipping the row: every
    # writer of a delivery (a new event, the enqueuer stamping enqueued_at,
    # a person, another worker's claim) holds it for a moment only, and a
    # message skipped here would wait for the sweeper. Primary-key order,
    # as the outbox locks a story's rows.
    deliveries = list(
        Delivery.objects.select_for_update(of=("self",))
        .select_related("channel")
        .annotate(story_live=F("story__live"))
        .filter(pk__in=pks)
        .order_by("pk")
    )
    for pk in set(pks) - {delivery.pk for delivery in deliveries}:
        logger.info("delivery %s: not claimed (gone)", pk)
    taken = []
    for delivery in deliveries:
        operation = _operation_now(delivery, now, wait_here)
        if operation is None:
            continue
        lease = max(settings.PUBLISHING_LEASE_SECONDS, getattr(delivery.channel.adapter_class, "lease_seconds", 0))
        taken.append(transitions.Taking(delivery, operation, now + timedelta(seconds=lease), creating=operation in CREATING))
    if not taken:
        return []
    transitions.claim(taken, now)
    # The attempts are on record before anything is sent.
    attempts = DeliveryAttempt.objects.bulk_create(
        DeliveryAttempt(
            delivery=take.delivery, operation=take.operation, started_at=now, outcome="sending",
            idempotency_key=take.delivery.create_key if take.creating else "",
        )  # fmt: skip
        for take in taken
    )
    return [
        Claim(take.delivery.pk, take.delivery.claim_token, take.delivery.generation, take.operation, attempt.pk, take.lease_until)
        for take, attempt in zip(taken, attempts, strict=True)
    ]


def _operation_now(delivery, now, wait_here=False):
    """What this worker does with a locked delivery now, or None when there
    is nothing to do (the cases that close or postpone it write it here)."""
    pk = delivery.pk
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
        operation = _after_uncertain_create(delivery) if delivery.needs_lookup else _operation_for(delivery)
    else:
        logger.debug("delivery %s: not claimed (%s)", pk, delivery.state)  # a repeated message
        return None
    if operation is None:
        return None
    if operation == "cancel":
        transitions.close(delivery, S.CANCELLED, _("Nothing to send: the story is not on the site."))
        return None
    if operation == "by_hand":
        transitions.close(
            delivery, S.FAILED,
            _("This post was recorded by hand without its id: remove it on the platform, then mark as resolved."),
        )  # fmt: skip
        return None
    wait = _rate_wait(delivery.channel, now, wait_here)
    if wait:
        transitions.postpone(delivery, now + timedelta(seconds=wait))
        enqueue_on_commit([delivery.pk], countdown=wait)
        logger.info("delivery %s: channel %s over its rate, waits %ss", delivery.pk, delivery.channel_id, wait)
        return None
    return operation


def extend_claim(claim, now=None):
    """Keep the worker's claim for another lease, while a long operation (a
    video upload, chunk after chunk) is under way. False when the claim was
    lost (its lease ran out and another worker took the delivery): the
    operation must stop."""
    now = now or timezone.now()
    lease_until = now + timedelta(seconds=settings.PUBLISHING_LEASE_SECONDS)
    if not Delivery.objects.filter(pk=claim.pk, claim_token=claim.token, state=S.SENDING).update(lease_until=lease_until):
        return False
    claim.lease_until = lease_until
    return True


def claim_holds(claim, now=None):
    """May a write of this delivery go out? Only people's actions and other
    workers move a delivery that is being sent, and a worker takes it over
    only once its lease has run out: while the lease has well over half its
    length to run by this worker's clock (room for the other workers'
    clocks to differ), the claim holds without asking the database;
    otherwise it is renewed there, or found lost."""
    now = now or timezone.now()
    margin = timedelta(seconds=settings.PUBLISHING_LEASE_SECONDS / 2)
    if claim.lease_until is not None and now < claim.lease_until - margin:
        return True
    return extend_claim(claim, now)


def _operation_for(delivery):
    # ``story_live``: read with the claim's row (None once the story is deleted).
    story_live = bool(delivery.story_live)
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


def _after_uncertain_create(delivery):
    """A create may have happened: look for the post first, or, where the
    platform cannot be searched, leave it to a person."""
    if delivery.channel.adapter_class.can_lookup:
        return "lookup"
    transitions.close(
        delivery, S.UNKNOWN,
        _("The post may already exist and this platform cannot be checked: look on the platform, then retry (not posted) or mark as resolved (posted)."),
    )  # fmt: skip
    return None


def _after_interruption(delivery):
    """A worker died (or stalled past its lease) while sending. Updates and
    deletes can simply be sent again; a create may have happened: look on
    the platform, or leave it to a person."""
    DeliveryAttempt.objects.filter(delivery=delivery, outcome="sending").update(outcome="interrupted")
    if delivery.attempts >= settings.PUBLISHING_MAX_ATTEMPTS and not (delivery.operation in CREATING and not delivery.remote_id):
        transitions.close(delivery, S.FAILED, _("Gave up: the worker stopped %d times while sending this.") % delivery.attempts)
        notify_failed_delivery(delivery, delivery.channel)
        return None
    if delivery.operation in CREATING and not delivery.remote_id:
        if delivery.channel.adapter_class.can_lookup and delivery.attempts < settings.PUBLISHING_MAX_ATTEMPTS:
            delivery.needs_lookup = True
            return "lookup"
        transitions.close(
            delivery, S.UNKNOWN,
            _(
                "The worker stopped while creating the post and this platform cannot be checked: "
                "look on the platform, then retry (not posted) or mark as resolved (posted)."
            ),
        )  # fmt: skip
        logger.warning("delivery %s: interrupted create on channel %s left for a person", delivery.pk, delivery.channel_id)
        return None
    return _after_uncertain_create(delivery) if delivery.needs_lookup else _operation_for(delivery)


def _rate_wait(channel, now, wait_here=False):
    """Seconds to wait before this channel may be sent to, or 0. Counts this
    claim against the channel's per-minute limit (shared by every worker
    through the cache; without a cache there is no limit of our own)."""
    if channel.is_rate_limited(now):
        # To the tenth of a second: a whole second more would make every
        # delivery of the channel wait twice a platform's "Retry-After: 1".
        pause = math.ceil((channel.rate_limited_until - now).total_seconds() * 10) / 10
        if not (wait_here and settings.PUBLISHING_QUICK_RETRIES and pause <= settings.PUBLISHING_QUICK_RETRY_MAX_WAIT):
            return pause
        # Short: the send waits it out in this worker (``_send``). Sent back
        # through the broker, each delivery would come back alone, a message
        # of its own, and take a task thread for one request.
        _hold_channel(channel.pk, pause)
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


# --- the platform -------------------------------------------------------------


def perform(claim):
    """Talk to the platform for one claimed delivery (see ``perform_many``)."""
    return perform_many([claim])[claim.pk]


def perform_many(claims, started=None):
    """Talk to the platforms for claimed deliveries: {pk: Outcome}. Runs
    outside any transaction and maps every platform error to an outcome;
    never raises. What the posts are made of is read and rendered here, in
    a few queries for the whole message (a story rendered for eight
    channels is read once); the requests go out at the same time, in the
    send threads. There, a delivery to be tried again after a pause (see
    ``_send``) is left out of the answer: it goes on in a thread of its
    own once the pause is over and records its outcome itself, so that a
    message is not held by its unluckiest channel."""
    try:
        jobs = _rendered(claims)
    except Exception as error:  # the database, or a bug, before anything was sent
        logger.error("deliveries %s: cannot be read\n%s", [c.pk for c in claims], _traceback())
        message = _("Internal error: %s") % error.__class__.__name__
        return {claim.pk: _nothing_sent(claim, message) for claim in claims}
    threaded = _outside_transaction()
    if threaded and len(jobs) > 1:
        futures = [(job, _sender_pool().submit(_send_in_thread, *job)) for job in jobs]
        results = [(job, future.result()) for job, future in futures]
    else:
        results = [(job, _send_in_language(*job, defer=threaded)) for job in jobs]
    outcomes = {}
    for job, result in results:
        if isinstance(result, _Later):
            _finish_later(job, result, started or timezone.now())
        else:
            outcomes[job[0].pk] = result
    return outcomes


def _outside_transaction():
    # Other threads have database connections of their own: they would not
    # see what the caller has not committed (a test's transaction). A worker
    # calls outside any.
    return not transaction.get_connection().in_atomic_block


def _nothing_sent(claim, message):
    # A delivery that was to look for its post still may have one.
    if claim.operation == "lookup":
        return Outcome("retry", error=message, may_exist=True, operation=claim.operation)
    return Outcome("failed", error=message, operation=claim.operation)


def _rendered(claims):
    """(claim, delivery, adapter, post) for each claim, read again after the
    claim (an event since, a takedown, is seen). ``post`` is the story as
    the adapter renders it (None when the operation needs none, the
    exception when rendering failed: ``_send`` deals with it where it would
    have rendered)."""
    deliveries = (
        Delivery.objects.select_related("channel__unit")
        .annotate(has_copy=Exists(ChannelCopy.objects.filter(story=OuterRef("story_id"), channel=OuterRef("channel_id"))))
        .in_bulk([c.pk for c in claims])
    )
    # One instance per story, read once with its pictures: what rendering
    # reads of it (tags, its address, renditions, its ninjs) is kept in its
    # memo for every channel it goes to.
    story_ids = {delivery.story_id for delivery in deliveries.values() if delivery.story_id is not None}
    stories = ArticlePage.objects.select_related("og_image", "cover_image").in_bulk(story_ids) if story_ids else {}
    for story in stories.values():
        story.publishing_memo = {}
    # Live before an archive item's licence ended (or its embargo came
    # back): the site is the editors' to fix, no channel gets the story.
    refused = stories_out_of_rights(story_ids) if story_ids else {}
    for delivery in deliveries.values():
        delivery.story = stories.get(delivery.story_id)  # None: deleted since the claim
        reasons = refused.get(delivery.story_id)
        delivery.rights_refusal = rights.refusal_message(reasons) if reasons else ""
    copies = {}
    with_copy = [delivery for delivery in deliveries.values() if delivery.has_copy]
    if with_copy:  # per-channel overrides are rare: no query without one
        channel_ids = {delivery.channel_id for delivery in with_copy}
        for copy in ChannelCopy.objects.select_related("image").filter(story_id__in=stories, channel_id__in=channel_ids):
            copies[copy.story_id, copy.channel_id] = copy
    jobs = []
    for claim in claims:
        delivery = deliveries[claim.pk]
        adapter = delivery.channel.get_adapter()
        post = None
        if claim.operation not in ("delete", "keep") and delivery.story is not None:
            # Words the adapters add ("Đọc tiếp") are in the unit's language.
            with translation.override(delivery.channel.unit.language):
                try:
                    post = adapter.render(delivery.story, copies.get((delivery.story_id, delivery.channel_id)))
                except Exception as error:
                    post = error
        jobs.append((claim, delivery, adapter, post))
    return jobs


_senders = None  # (pool, its number of threads)
_senders_made = threading.Lock()


def _sender_pool():
    global _senders
    with _senders_made:
        if _senders is None:
            threads = settings.PUBLISHING_SEND_THREADS
            _senders = (ThreadPoolExecutor(threads, thread_name_prefix="publishing-send"), threads)
    return _senders[0]


def stop_sending():
    """A worker stopping: its send threads finish what they are sending,
    then each closes the database connection it kept (its unfinished
    creates' notes, its channel pauses), rather than leaving it to the
    process's end."""
    global _senders
    with _senders_made:
        senders, _senders = _senders, None
    if senders is None:
        return
    pool, threads = senders
    # One job per thread: each waits for the others, so none takes two.
    everyone = threading.Barrier(threads)

    def close_connection():
        connection_of_this_thread.close()
        try:
            everyone.wait(timeout=10)
        except threading.BrokenBarrierError:
            pass

    for _thread in range(threads):
        pool.submit(close_connection)
    pool.shutdown(wait=True)


def _send_in_thread(claim, delivery, adapter, post):
    try:
        return _send_in_language(claim, delivery, adapter, post, defer=True)
    finally:
        # Used from here for an unfinished create's notes (Zalo's token), a
        # renewed claim or token: kept as between tasks (CONN_MAX_AGE), a
        # new PostgreSQL connection for each of them cost more than they do.
        close_old_connections()


@dataclass
class _Later:
    """A delivery to be tried again once ``due`` (time.monotonic()) comes."""

    due: float


def _finish_later(job, later, started):
    """Go on with a delivery whose message is done once its pause is over:
    its next tries in a send thread (however many wait for one channel's
    pause, no more of them than the send threads go at once, each with its
    database connection), then its outcome recorded. The timer is not a
    daemon: a worker stopping waits for it (a few seconds at most); a worker
    killed leaves the claim to run out and the delivery to be taken over,
    as any send it was in the middle of."""
    claim = job[0]

    def go_on():
        try:
            _sender_pool().submit(_go_on, job, started)
        except RuntimeError:  # the send threads were stopped since: the worker is stopping
            try:
                _go_on(job, started, defer=False)
            finally:
                connection_of_this_thread.close()

    timer = threading.Timer(max(0.0, later.due - time.monotonic()), go_on)
    timer.name = f"publishing-later-{claim.pk}"
    timer.start()


def _go_on(job, started, defer=True):
    claim = job[0]
    try:
        result = _send_in_language(*job, defer=defer)
        if isinstance(result, _Later):
            _finish_later(job, result, started)
        else:
            _record([claim], {claim.pk: result}, started)
    finally:
        if defer:  # a send thread: its connection kept as between tasks
            close_old_connections()


def _send_in_language(claim, delivery, adapter, post, defer=False):
    try:
        with translation.override(delivery.channel.unit.language):
            return _send(claim, delivery, adapter, post, defer)
    except Exception as error:  # _send maps every error; this is a last guard for the thread
        logger.error("delivery %s: unexpected error\n%s", claim.pk, _traceback())
        return _nothing_sent(claim, _("Internal error: %s") % error.__class__.__name__)


def _send(claim, delivery, adapter, post, defer=False):
    """Send one claimed delivery: its operation, tried again at once (after
    a short pause) when the platform failed for a moment — a 5xx, a dropped
    connection, a 429 whose Retry-After is short — up to
    PUBLISHING_QUICK_RETRIES times; past that the delivery waits for its
    backoff like any other. A create that may have reached the platform is
    looked for before it is sent again: the "may already exist" mark the
    claim wrote stays until the outcome is recorded. With ``defer`` a pause
    is not slept here: the answer is a ``_Later``, and the next call goes
    on where this one stopped."""
    channel = delivery.channel
    sending = getattr(adapter, "sending", None)
    if sending is None:
        sending = adapter.sending = _Sending(
            claim.operation, RemoteRef(delivery.remote_id, delivery.remote_url, delivery.remote_data or {}) if delivery.remote_id else None
        )
        adapter.keep_claim = lambda: extend_claim(claim)
        adapter.remember = lambda **what: _remember(claim, adapter, what)
        adapter.pending = dict(delivery.pending_create or {})
        adapter.idempotency_key = delivery.create_key
    connections.attach(adapter.session, channel)
    try:
        while True:
            pause = _channel_pause_left(channel)
            if pause > 0:
                if defer:
                    return _Later(time.monotonic() + pause)
                time.sleep(pause)
            outcome = _try(claim, delivery, adapter, post, sending.operation, sending.ref)
            pause = _quick_retry_pause(outcome, len(sending.retried), channel)
            if pause is None:
                outcome.retried = tuple(sending.retried)
                return outcome
            sending.retried.append(_("HTTP %s") % outcome.status if outcome.status else outcome.error)
            sending.operation = outcome.operation or sending.operation
            if outcome.may_exist and sending.operation in CREATING:
                sending.operation = "lookup"
            if defer:
                return _Later(time.monotonic() + pause)
            time.sleep(pause)
    finally:
        connections.detach(adapter.session, channel)


@dataclass
class _Sending:
    """Where a delivery's send stands between its tries."""

    operation: str
    ref: RemoteRef
    retried: list = field(default_factory=list)  # what the tries before met


def _quick_retry_pause(outcome, again, channel):
    """Seconds to wait before trying again in this thread, or None when the
    outcome stands (settled, refused, or a wait too long to spend here)."""
    if outcome.result != "retry" or not outcome.transient or again >= settings.PUBLISHING_QUICK_RETRIES:
        return None
    if outcome.rate_limited:
        if outcome.retry_after is None or outcome.retry_after > settings.PUBLISHING_QUICK_RETRY_MAX_WAIT:
            return None
        _pause_channel_for(channel, outcome.retry_after)
        return outcome.retry_after
    return _jittered(settings.PUBLISHING_QUICK_RETRY_SECONDS, again + 1)


# A channel's short rate-limit pauses in this worker process ({pk: end, by
# time.monotonic()}): its other send threads wait them out too, rather than
# each meeting a 429 of its own.
_channel_pauses = {}
_channel_pauses_lock = threading.Lock()


def _pause_channel_for(channel, seconds):
    _hold_channel(channel.pk, seconds)
    # Other workers' claims wait too (``_rate_wait``); a longer pause stands.
    until = timezone.now() + timedelta(seconds=seconds)
    Channel.objects.filter(Q(rate_limited_until__isnull=True) | Q(rate_limited_until__lt=until), pk=channel.pk).update(
        rate_limited_until=until
    )


def _hold_channel(pk, seconds):
    end = time.monotonic() + seconds
    with _channel_pauses_lock:
        _channel_pauses[pk] = max(end, _channel_pauses.get(pk, 0))


def _channel_pause_left(channel):
    """Seconds this worker still holds back the channel for a platform's 429."""
    with _channel_pauses_lock:
        end = _channel_pauses.get(channel.pk)
    return 0 if end is None else max(0.0, end - time.monotonic())


def _try(claim, delivery, adapter, post, operation, ref):
    """One try of ``operation`` for a claimed delivery: its Outcome."""
    create = _CreateWatch(adapter)
    # A create before this try may have reached the platform.
    may_exist = operation == "lookup"
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
        if isinstance(post, Exception):
            raise post
        story = delivery.story
        removing = delivery.action == DeliveryAction.REMOVE or not story.live
        if removing and operation != "lookup":
            # Taken down between the claim and now: the newer generation
            # queues the row again, as a removal.
            return Outcome("cancelled", note=_("The story left the site before it was sent."), operation=operation)
        if not removing:
            refusal = delivery.rights_refusal or adapter.check(post)
            if refusal:
                return Outcome("failed", error=str(refusal), may_exist=may_exist, operation=operation)
            post = adapter.prepare(post)
        if operation == "lookup":
            found = adapter.lookup(post)
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
            # Certainly not there (the platform said so): create. The mark
            # stays in the database until the create's outcome is recorded.
            may_exist = False
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
        create.start(claim)
        return Outcome("delivered", ref=adapter.create(post), operation=operation)
    except ClaimLost as error:
        # Not ours to record (record_outcome ignores it): the other worker goes on.
        return Outcome("retry", error=error.message, may_exist=True, operation=operation)
    except DeliveryError as error:
        may_exist = may_exist or create.may_have_created(error)
        if may_exist and operation in CREATING and not isinstance(error, (RateLimited, AuthFailed, Temporary)):
            # The platform acted on a create and then something failed (a
            # lost answer, a refused follow-up): never "not there".
            return _unsure(adapter, error.message, operation, transient=isinstance(error, OutcomeUnknown))
        if may_exist and not adapter.can_lookup:
            return _unsure(adapter, error.message, operation)
        if isinstance(error, RateLimited):
            return Outcome(
                "retry", error=error.message, status=error.status, retry_after=error.retry_after, may_exist=may_exist, operation=operation,
                rate_limited=True, transient=True,
            )  # fmt: skip
        if isinstance(error, AuthFailed):
            return Outcome("auth", error=error.message, status=error.status, may_exist=may_exist, operation=operation)
        if isinstance(error, (Temporary, OutcomeUnknown)):
            return Outcome("retry", error=error.message, status=error.status, may_exist=may_exist, operation=operation, transient=True)
        # Permanent, Refused, RemoteGone where it cannot be gone.
        return Outcome("failed", error=error.message, status=error.status, may_exist=may_exist, operation=operation)
    except Exception as error:
        message = _("Internal error: %s") % error.__class__.__name__
        if create.acted():
            # The platform answered a create before our code broke: the post
            # may well exist.
            logger.error("delivery %s: error after the platform answered a create\n%s", claim.pk, adapter.redact(_traceback()))
            return _unsure(adapter, message, operation)
        logger.error("delivery %s: unexpected error\n%s", claim.pk, adapter.redact(_traceback()))
        if may_exist:
            return _unsure(adapter, message, operation)
        return Outcome("failed", error=message, operation=operation)


def _unsure(adapter, message, operation, transient=False):
    """A create may have happened: look again (at once when ``transient``,
    a lost answer), or a person decides."""
    if adapter.can_lookup:
        return Outcome("retry", error=message, may_exist=True, operation=operation, transient=transient)
    return Outcome("unknown", error=message, may_exist=True, operation=operation)


class _CreateWatch:
    """What the platform did with this attempt's create: the requests that
    changed something and were answered as done."""

    def __init__(self, adapter):
        self.adapter = adapter
        self.before = None  # None until the create starts

    def start(self, claim):
        self.before = self.adapter.writes_done
        # No write goes out from a worker another one has taken over from.
        self.adapter.session.before_write = lambda: claim_holds(claim)

    def acted(self):
        """A write of the create was answered as done."""
        return self.before is not None and self.adapter.writes_done > self.before

    def may_have_created(self, error):
        """After ``error`` ended the create: could a post exist? Yes once
        the platform acted on a write or an answer was lost; after a 5xx,
        when the platform can be searched (a look costs one request, a
        duplicate costs the newsroom); no after a refusal of the first
        write (4xx, 429, the connection refused)."""
        if self.before is None:
            return False
        if isinstance(error, OutcomeUnknown) or self.acted():
            return True
        return bool(error.status and error.status >= 500 and self.adapter.can_lookup)


def _remember(claim, adapter, what):
    """Store what an unfinished create learnt, while our claim holds; False
    when it no longer does (another worker has the delivery: stop)."""
    adapter.pending = {**adapter.pending, **what}
    return bool(Delivery.objects.filter(pk=claim.pk, claim_token=claim.token, state=S.SENDING).update(pending_create=adapter.pending))


def _now_creating(claim):
    """The old post is gone (or was never there): say so at once, so a
    crash before the new post is recorded is seen as an interrupted create,
    not an update. The "may already exist" mark is set: the create is about
    to be sent."""
    Delivery.objects.filter(pk=claim.pk, claim_token=claim.token).update(
        remote_id="", remote_url="", remote_data={}, operation="create", needs_lookup=True
    )
    return "create"


# --- the outcome --------------------------------------------------------------


def backoff_seconds(attempt):
    """Exponential backoff with jitter, capped: between half and all of
    base × 2^(attempt−1), never more than PUBLISHING_RETRY_MAX_SECONDS."""
    return _jittered(settings.PUBLISHING_RETRY_BASE_SECONDS, attempt, settings.PUBLISHING_RETRY_MAX_SECONDS)


def _jittered(base, attempt, cap=math.inf):
    """Between half and all of base × 2^(attempt−1), at most ``cap``."""
    ceiling = min(cap, base * 2 ** min(max(0, attempt - 1), 32))
    return random.uniform(ceiling / 2, ceiling)


def record_outcome(claim, outcome, started=None, now=None):
    """Record one delivery's outcome (see ``record_outcomes``)."""
    return record_outcomes([claim], {claim.pk: outcome}, started, now).get(claim.pk)


@transaction.atomic
def record_outcomes(claims, outcomes, started=None, now=None):
    """Write what the platforms said ({pk: Outcome}), for the deliveries
    whose claims still hold, and decide what comes next for each (done,
    again later, a person, again now for a newer version of the story), in
    one transaction: {pk: delivery}."""
    now = now or timezone.now()
    deliveries = Delivery.objects.select_for_update(of=("self",)).select_related("channel").in_bulk([c.pk for c in claims])
    recorded, settled, attempts, stamped = {}, [], [], set()
    for claim in claims:
        delivery = deliveries.get(claim.pk)
        if delivery is None:  # its channel was deleted meanwhile
            continue
        outcome = outcomes[claim.pk]
        error, note = _redact(delivery.channel, outcome.error), _redact(delivery.channel, outcome.note)
        detail = error or note
        if outcome.retried:
            tried = _("Tried again at once after: %s.") % _redact(delivery.channel, "; ".join(outcome.retried))
            detail = f"{detail} ({tried})" if detail else tried
        attempts.append(
            DeliveryAttempt(
                pk=claim.attempt, delivery=delivery, started_at=started or now, operation=outcome.operation or claim.operation,
                finished_at=now, outcome=outcome.result, http_status=outcome.status, error=detail,
            )  # fmt: skip
        )
        if delivery.claim_token != claim.token or delivery.state != S.SENDING:
            recorded[claim.pk] = _late_outcome(delivery, claim, outcome, now)
            continue
        recorded[claim.pk] = _settle_claim(delivery, claim, outcome, error, note, now, stamped)
        settled.append(delivery)
    _save_attempts(attempts)
    transitions.record(settled, now)
    return recorded


def _save_attempts(attempts):
    """The attempts the claims wrote, finished; written now if missing (a
    claim made without one)."""
    fields = ["operation", "finished_at", "outcome", "http_status", "error"]
    written = [attempt for attempt in attempts if attempt.pk is not None]
    if update_rows(written, fields) == len(attempts):
        return
    existing = set(DeliveryAttempt.objects.filter(pk__in=[a.pk for a in written]).values_list("pk", flat=True))
    for attempt in attempts:
        if attempt.pk not in existing:
            attempt.pk = None
            attempt.save()


def _settle_claim(delivery, claim, outcome, error, note, now, stamped):
    """What comes next for a delivery whose claim holds, set in memory
    (``transitions.record`` writes it); ``stamped``: channels whose last
    success was written in this transaction."""
    channel = delivery.channel
    delivery.claim_token = ""
    delivery.lease_until = None
    delivery.http_status = outcome.status
    # Cleared here only, with the outcome that settles it (a settled
    # delivery clears it in ``transitions.settle``).
    delivery.needs_lookup = outcome.may_exist
    result = outcome.result
    if result in SETTLED:
        transitions.settle(delivery, SETTLED[result], claim.generation, now, outcome.ref, note)
        delivery.attempts = 0  # attempts since the last success
        stale = channel.auth_failures or not channel.last_success_at or channel.last_success_at < now - SUCCESS_STAMP
        if stale and channel.pk not in stamped:
            Channel.objects.filter(pk=channel.pk).update(auth_failures=0, last_success_at=now)
            stamped.add(channel.pk)
    elif result == "retry":
        if outcome.rate_limited:
            wait = outcome.retry_after if outcome.retry_after is not None else backoff_seconds(delivery.attempts)
            # Every delivery of the channel waits, not only this one.
            Channel.objects.filter(pk=channel.pk).update(rate_limited_until=now + timedelta(seconds=wait))
        elif outcome.retry_after is not None:
            wait = outcome.retry_after
        else:
            wait = backoff_seconds(delivery.attempts)
        if delivery.attempts >= settings.PUBLISHING_MAX_ATTEMPTS and delivery.needs_lookup:
            # The post may exist: "failed" would invite a person to send it again.
            transitions.stop(
                delivery, S.UNKNOWN,
                _(
                    "Gave up after %(n)d attempts without knowing whether the post exists. Look on the platform, then retry "
                    "(not posted) or mark as resolved (posted). Platform said: %(error)s"
                ) % {"n": delivery.attempts, "error": error},
            )  # fmt: skip
        elif delivery.attempts >= settings.PUBLISHING_MAX_ATTEMPTS:
            transitions.stop(delivery, S.FAILED, _("Gave up after %(n)d attempts: %(error)s") % {"n": delivery.attempts, "error": error})
        else:
            transitions.retry_later(delivery, error, now + timedelta(seconds=wait))
    elif result == "unknown":
        transitions.stop(
            delivery, S.UNKNOWN,
            _(
                "No answer from the platform: the post may or may not exist. Look on the platform, then retry "
                "(not posted) or mark as resolved (posted). Platform said: %s"
            ) % error,
        )  # fmt: skip
    elif result == "auth":
        _record_auth_failure(delivery, channel, error, now)
    else:  # failed
        transitions.stop(delivery, S.FAILED, error)
    transitions.catch_up(delivery, claim.generation)
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
        notify_failed_delivery(delivery, channel)
    transitions.announce(delivery)
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
        transitions.settle(
            delivery, S.DELIVERED, claim.generation, now, outcome.ref, _("Delivered: the answer came after the worker's claim had expired.")
        )
        transitions.catch_up(delivery, claim.generation)
        delivery.save()
        if delivery.state == S.PENDING and delivery.channel.enabled:
            enqueue_on_commit([delivery.pk])
        transitions.announce(delivery)
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
        pause_channel(
            channel, _("The platform refused the channel's credentials %(n)d times in a row: %(error)s") % {"n": failures, "error": error}
        )
        transitions.start_over(delivery)
        delivery.error = _("Waiting: the channel was disabled after repeated authentication errors (%s).") % error
    else:
        transitions.retry_later(delivery, error, now + timedelta(seconds=backoff_seconds(delivery.attempts)))


def _redact(channel, text):
    if not text:
        return ""
    try:
        return channel.get_adapter().redact(text)
    except Exception:  # an unknown kind or unreadable credentials: nothing to mask with
        return str(text)
