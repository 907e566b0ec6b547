"""Subscribes the delivery outbox to the workflow's domain events. The
events are sent inside the publication's transaction, so the deliveries
commit (or roll back) with it.

A story that leaves the site without a takedown (Wagtail's "unpublish", an
expiry date, a deletion: Wagtail unpublishes a live page before deleting
it) leaves the channels too. A live story moved to another section is
an update: its address changed, and channels and partners that take only
some sections may gain or lose it."""

from wagtail.signals import page_unpublished, post_page_move

from newsroom.models import ArticlePage, Unit
from workflows import events
from workflows.models import PublicationRecord, Takedown

from . import services


def register_signal_handlers():
    for name in ("published", "updated", "corrected"):
        events.EVENTS[name].connect(_story_changed(name), weak=False, dispatch_uid=f"publishing_outbox_{name}")
    events.story_taken_down.connect(_story_taken_down, dispatch_uid="publishing_outbox_taken_down")
    page_unpublished.connect(_page_unpublished, dispatch_uid="publishing_outbox_unpublished")
    post_page_move.connect(_page_moved, dispatch_uid="publishing_outbox_moved")


def _story_changed(event):
    def handler(sender, story, unit, at=None, **kwargs):
        services.plan_publication(story, unit, event, at=at)

    return handler


def _story_taken_down(sender, story, unit, at=None, **kwargs):
    services.plan_removal(story, unit, at=at)


def _page_unpublished(sender, instance, **kwargs):
    from django.db import transaction

    if not isinstance(instance, ArticlePage):
        return
    # A takedown unpublishes first, then announces itself (story_taken_down).
    if Takedown.objects.filter(page=instance, lifted_at__isnull=True).exists():
        return
    # Only what was announced (not a story still under embargo) is in the
    # partners' change log.
    announced = PublicationRecord.objects.filter(page=instance).exclude(last_event__startswith="held").exists()
    with transaction.atomic():
        services.plan_removal(instance, Unit.objects.for_page(instance), event="unpublished", log_event=announced)


def _page_moved(sender, instance, parent_page_before, parent_page_after, **kwargs):
    from django.db import transaction

    if parent_page_before.pk == parent_page_after.pk or not issubclass(sender, ArticlePage):
        return
    story = instance.specific
    if not story.live or story.is_embargoed():
        return
    if not PublicationRecord.objects.filter(page=story).exclude(last_event__startswith="held").exists():
        return
    # Wagtail sends this after its own transaction; ours is the outbox's.
    with transaction.atomic():
        services.story_moved(story, Unit.objects.for_page(story), parent_page_before)
