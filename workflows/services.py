"""Editorial operations. Views, tasks and commands call these; signals only
announce what happened."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .events import EVENTS, story_taken_down
from .models import PublicationRecord, Takedown
from .permissions import unit_for_page, user_can_publish

logger = logging.getLogger(__name__)


def record_publication(page, user=None, revision=None):
    """Called when a story goes live: decides whether readers and channels
    get a first publication, an update or a correction, and announces it."""
    from newsroom.models import ArticlePage

    story = page.specific
    if not isinstance(story, ArticlePage):
        return None
    now = timezone.now()
    corrections = list(story.corrections.order_by("corrected_at", "pk"))
    record, created = PublicationRecord.objects.select_for_update().get_or_create(
        page=story, defaults={"first_published_at": story.first_published_at or now}
    )
    lifted = Takedown.objects.filter(page=story, lifted_at__isnull=True).update(lifted_at=now)
    if created or lifted:
        event, new_corrections = "published", []
    elif len(corrections) > record.corrections_published:
        event, new_corrections = "corrected", corrections[record.corrections_published :]
    else:
        event, new_corrections = "updated", []
    record.corrections_published = len(corrections)
    record.last_event, record.last_event_at = event, now
    record.save()
    unit = unit_for_page(story)
    if event == "corrected":
        log(instance=story, action="hoitu.correction", user=user, data=_unit_data(unit, notes=[c.note for c in new_corrections]))
    kwargs = {"story": story, "unit": unit, "user": user, "at": now, "revision": revision}
    if event == "corrected":
        kwargs["corrections"] = new_corrections
    EVENTS[event].send(sender=type(story), **kwargs)
    return event


def _unit_data(unit, **extra):
    return {"unit": {"id": unit.pk, "slug": unit.slug, "name": unit.name} if unit else None, **extra}


@transaction.atomic
def take_down(story, user, reason):
    """Gỡ bài: unpublish the story, remember its address (which then answers
    410 Gone), log the action with its reason and announce it so every
    channel that has the story removes it."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("A takedown needs a reason."))
    story = story.specific
    if not user_can_publish(user, story) or not story.permissions_for_user(user).can_unpublish():
        raise PermissionDenied(_("You may not take this story down."))
    if not story.live:
        raise ValidationError(_("This story is not on the site."))
    parts = story.get_url_parts()
    if not parts:
        raise ValidationError(_("This story has no address on a site."))
    site_id, _root_url, path = parts
    takedown = Takedown.objects.create(
        page=story, site_id=site_id, path=path, title=story.title, reason=reason, taken_down_by=user
    )
    story.unpublish(user=user, log_action=False)
    unit = unit_for_page(story)
    log(instance=story, action="hoitu.takedown", user=user, data=_unit_data(unit, reason=reason, path=path))
    story_taken_down.send(sender=type(story), story=story, unit=unit, user=user, at=takedown.taken_down_at, takedown=takedown)
    return takedown


def active_takedown(site, path):
    return Takedown.objects.filter(site=site, path=path, lifted_at__isnull=True).first()
