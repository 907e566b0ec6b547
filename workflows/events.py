"""Domain events of a story's life after approval. Publishing (channels,
partners) subscribes to these; nothing here knows about channels.

Each is sent inside the database transaction that made the change, with
``story`` (the specific page), ``unit``, ``user`` and ``at``; receivers that
write rows (an outbox) commit or roll back with the publication itself.
"""

from django.dispatch import Signal

story_published = Signal()
story_updated = Signal()
story_corrected = Signal()  # also: corrections (the new ones, oldest first)
story_taken_down = Signal()  # also: takedown (the Takedown row)

EVENTS = {
    "published": story_published,
    "updated": story_updated,
    "corrected": story_corrected,
    "taken_down": story_taken_down,
}
