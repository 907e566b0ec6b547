"""Announcements of the publishing app. ``delivery_changed`` is sent after
the commit that changed a delivery (the editor's live status listens)."""

from django.dispatch import Signal

delivery_changed = Signal()  # delivery
