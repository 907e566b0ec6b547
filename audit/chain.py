"""The hash chain: appending a row, checking the chain, pruning its oldest
rows.

Each row's hash is SHA-256 over a canonical JSON of its fields and the
previous row's hash. Writers take the anchor row's lock first
(``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's writers are serialised by
its ``BEGIN IMMEDIATE``), so two of them never chain onto the same row. The
prune removes the oldest rows and moves the chain's start into the anchor,
under the same lock."""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from .models import GENESIS_HASH, AuditAnchor, AuditEvent

# Hashed in this order; the account's FK is not (deleting an account clears
# it), its username is.
HASHED_FIELDS = (
    "at", "actor_username", "unit_id", "unit_slug", "source_address", "user_agent",
    "action", "object_type", "object_id", "object_label", "extra",
)
RETENTION_MINIMUM_DAYS = 365


def plain_json(value):
    """``value`` as JSON would give it back (dates as text, tuples as
    lists), so the stored details hash the same when read again."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def row_hash(event, previous_hash):
    fields = {name: getattr(event, name) for name in HASHED_FIELDS}
    fields["at"] = event.at.astimezone(UTC).isoformat(timespec="microseconds")
    fields["previous_hash"] = previous_hash
    text = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder)
    return hashlib.sha256(text.encode()).hexdigest()


def _locked_anchor():
    anchor = AuditAnchor.objects.select_for_update().filter(pk=1).first()
    if anchor is None:
        # The first event ever (or after a test flush); get_or_create copes
        # with two first writers at once.
        AuditAnchor.objects.get_or_create(pk=1)
        anchor = AuditAnchor.objects.select_for_update().get(pk=1)
    return anchor


def append(event):
    """Stamps ``event`` with the time and chains it onto the last row."""
    event.extra = plain_json(event.extra or {})
    with transaction.atomic():
        anchor = _locked_anchor()
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event.at = timezone.now()
        event.previous_hash = last or anchor.start_hash
        event.hash = row_hash(event, event.previous_hash)
        event._sealed = True
        event.save()
    return event


@dataclass
class Verification:
    checked: int
    broken: AuditEvent | None = None
    reason: str = ""


def verify(chunk_size=2000):
    """Walks the chain from its start; the first row whose link or hash does
    not hold, if any."""
    anchor = AuditAnchor.objects.filter(pk=1).first()
    expected = anchor.start_hash if anchor else GENESIS_HASH
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=chunk_size):
        if event.previous_hash != expected:
            return Verification(checked, event, "link")
        if row_hash(event, event.previous_hash) != event.hash:
            return Verification(checked, event, "hash")
        expected = event.hash
        checked += 1
    return Verification(checked)


def retention_days():
    """Never less than a year, whatever the setting says (production
    refuses to start with less; elsewhere a system check warns)."""
    return max(settings.AUDIT_RETENTION_DAYS, RETENTION_MINIMUM_DAYS)


def prune(now=None):
    """Removes the rows older than the retention period, oldest first and
    only up to the first younger row, and records where the chain now
    starts. Returns how many rows went."""
    cutoff = (now or timezone.now()) - timedelta(days=retention_days())
    with transaction.atomic():
        anchor = _locked_anchor()
        first_kept = AuditEvent.objects.filter(at__gte=cutoff).order_by("id").values_list("id", flat=True).first()
        doomed = AuditEvent.objects.filter(at__lt=cutoff)
        if first_kept is not None:
            doomed = doomed.filter(id__lt=first_kept)
        boundary = doomed.order_by("-id").values_list("id", "hash").first()
        if boundary is None:
            return 0
        last_id, last_hash = boundary
        # The one deleter of the trail: the ORM's delete refuses (models.py).
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id <= %s", [last_id])  # noqa: S608
            removed = cursor.rowcount
        anchor.start_hash = last_hash
        anchor.pruned_through_id = last_id
        anchor.pruned_at = timezone.now()
        anchor.save()
    return removed
