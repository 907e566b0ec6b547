"""Writing, handing over and relaying queued tasks (see the package's
docstring). A task may reach the broker twice (a crash between handing it
over and marking it sent): every task queued here is idempotent."""

import logging
from datetime import timedelta

from celery import current_app
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import QueuedTask

logger = logging.getLogger(__name__)

# A row never tried may still be on its way from its request's commit:
# beat leaves it to the request this long.
IN_FLIGHT = timedelta(seconds=60)
BATCH = 500
# Sent rows answer "did it go out?" for a while, then go.
KEEP_SENT = timedelta(days=7)


def enqueue(task, *args, queue=None, countdown=None, kwargs=None):
    """Write ``task(*args, **kwargs)`` in the caller's transaction and hand
    it to the broker once that commits (on ``queue``, or the task's route;
    ``countdown`` seconds later)."""
    now = timezone.now()
    row = QueuedTask.objects.create(
        task=task if isinstance(task, str) else task.name,
        args=list(args),
        kwargs=kwargs or {},
        queue=queue or "",
        not_before=now + timedelta(seconds=countdown or 0),
        created_at=now,
    )
    transaction.on_commit(lambda: send([row]))
    return row


def send(rows):
    """Hand the rows to the broker and mark them sent. Never raises: it runs
    after a request's commit, where an exception would answer 500 for an
    action that happened. The first broker error ends the pass (no waiting
    on a dead broker once per row) and is noted on the rows left, which
    beat relays later."""
    sent = []
    try:
        for index, row in enumerate(rows):
            try:
                _hand_over(row)
            except Exception as error:
                left = [r.pk for r in rows[index:]]
                logger.warning(
                    "task outbox: broker unavailable (%s); %d tasks left for beat (first: %s %s)",
                    error.__class__.__name__, len(left), row.pk, row.task,
                )  # fmt: skip
                QueuedTask.objects.filter(pk__in=left).update(tries=F("tries") + 1, last_error=f"{error.__class__.__name__}: {error}"[:2000])
                break
            sent.append(row.pk)
        if sent:
            QueuedTask.objects.filter(pk__in=sent).update(sent_at=timezone.now(), tries=F("tries") + 1, last_error="")
    except Exception:  # the database: the rows stay unsent, for beat
        logger.exception("task outbox: could not record the hand-over of %s", [row.pk for row in rows])
    return sent


def _hand_over(row):
    # A signature sends by name (the task's module need not be imported
    # here) and honours the task's route; options left None are dropped.
    delay = (row.not_before - timezone.now()).total_seconds()
    current_app.signature(row.task, args=row.args, kwargs=row.kwargs).apply_async(queue=row.queue or None, countdown=delay if delay > 0 else None)


def relay(now=None):
    """Hand over the rows the broker did not take (it was down, or the
    process died before its commit's hand-over). Run by beat."""
    now = now or timezone.now()
    waiting = QueuedTask.objects.filter(Q(tries__gt=0) | Q(created_at__lte=now - IN_FLIGHT), sent_at__isnull=True)
    rows = list(waiting.order_by("pk")[:BATCH])
    if rows:
        logger.info("task outbox: relaying %d tasks", len(rows))
    return send(rows)


def prune(now=None):
    now = now or timezone.now()
    removed, _by_model = QueuedTask.objects.filter(sent_at__lt=now - KEEP_SENT).delete()
    return removed
