"""Subscribes the delivery outbox to the workflow's domain events. The
events are sent inside the publication's transaction, so the deliveries
commit (or roll back) with it."""

from workflows import events

from . import services


def connect():
    for name in ("published", "updated", "corrected"):
        events.EVENTS[name].connect(_story_changed(name), weak=False, dispatch_uid=f"publishing_outbox_{name}")
    events.story_taken_down.connect(_story_taken_down, dispatch_uid="publishing_outbox_taken_down")


def _story_changed(event):
    def handler(sender, story, unit, at=None, **kwargs):
        services.plan_publication(story, unit, event, at=at)

    return handler


def _story_taken_down(sender, story, unit, at=None, **kwargs):
    services.plan_removal(story, unit, at=at)
