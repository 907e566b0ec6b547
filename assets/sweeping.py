"""The media worker's work that a dead worker left: a reading or a part
not heard of within its lease is queued again, and the next worker takes
it over (the claims in ``assets.processing`` and ``assets.transcoding``
keep two workers off the same part). Run by beat every minute; what it
queues goes through the task outbox."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

import relay

from .models import Media, MediaPart
from .processing import READING_LEASE_SECONDS
from .transcoding import ASSEMBLE, TASK


def resume_stalled(now=None):
    """Queue again what has waited past its lease: {"readings": n, "parts": n}."""
    now = now or timezone.now()
    part_stale = now - timedelta(seconds=settings.MEDIA_PART_LEASE_SECONDS)
    reading_stale = now - timedelta(seconds=READING_LEASE_SECONDS)

    # Readings: queued (or begun) long ago and not taken up, or begun by a
    # worker that died before it queued the versions.
    readings = Media.objects.filter(
        Q(state=Media.State.UPLOADED) | Q(state=Media.State.PROCESSING, parts__isnull=True),
        Q(worked_at__lt=reading_stale) | Q(worked_at__isnull=True),
    ).exclude(file="")
    reading_ids = list(readings.values_list("pk", flat=True)[:500])
    for pk in reading_ids:
        relay.enqueue("assets.tasks.process_media", pk)
    # Waiting again (a reading still going somewhere loses its claim), and
    # asked again no sooner than the lease from now, however long the queue.
    Media.objects.filter(pk__in=reading_ids).update(state=Media.State.UPLOADED, worked_at=now)

    # Parts: one whose worker went silent; and, on an item none of whose
    # parts is heard of any more, those waiting (their message may have gone
    # with the worker that had taken it). A part still in the broker's queue
    # runs twice at worst: the second finds it done, or claimed, and stops.
    heard_lately = MediaPart.objects.filter(media=OuterRef("media"), heard_at__gte=part_stale)
    unfinished = MediaPart.objects.filter(media__state=Media.State.PROCESSING, queued_at__lt=part_stale).exclude(
        state=MediaPart.State.DONE
    )
    silent = unfinished.filter(state=MediaPart.State.RUNNING, heard_at__lt=part_stale)
    forgotten = unfinished.filter(state=MediaPart.State.QUEUED).exclude(Exists(heard_lately))
    others_left = MediaPart.objects.filter(media=OuterRef("media")).exclude(name=ASSEMBLE).exclude(state=MediaPart.State.DONE)
    # The assembly is queued by the last part done; before that it waits.
    due = (silent | forgotten).exclude(Q(name=ASSEMBLE) & Exists(others_left))
    parts = list(due.select_related("media").only("pk", "name", "media__id", "media__file")[:500])
    for part in parts:
        relay.enqueue(TASK, part.media_id, part.media.file.name, part.name)
    MediaPart.objects.filter(pk__in=[part.pk for part in parts]).update(queued_at=now)
    return {"readings": len(reading_ids), "parts": len(parts)}
