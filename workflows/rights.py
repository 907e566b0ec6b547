"""What the archive's usage rights (assets.rights) mean for a unit's
stories over time: a story due to go live at a time it may not is taken off
the schedule and its people told why; live stories showing an item whose
licence is about to end (or has ended, or whose embargo came back) are
listed for their unit's editors and told to them once per end date."""

import logging

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Revision

from assets import rights
from assets.models import ArchiveImage, Media
from newsroom.archive_usage import shown_to_readers, stories_using
from newsroom.models import ArticlePage, Unit

from .models import NotificationKind, Role
from .notifications import group_members, notify, story_people

logger = logging.getLogger(__name__)

# Who hears of a unit's live stories whose archive items run out of rights.
EDITORS = (Role.DESK_EDITOR, Role.MANAGING_EDITOR, Role.EDITOR_IN_CHIEF, Role.DEPUTY_EDITOR)


def hold_refused_schedules(now=None):
    """Before the go-live run: each story due now that would show an item
    under embargo or past its licence leaves the schedule (Wagtail's run
    would stop at it), and its people are told why. Returns those stories."""
    now = now or timezone.now()
    held = []
    due = Revision.page_revisions.filter(approved_go_live_at__lte=now).select_related("content_type")
    for revision in due:
        story = revision.as_object()
        if not isinstance(story, ArticlePage):
            continue
        reasons = story.rights_refusals(at=now)
        if not reasons:
            continue
        with transaction.atomic():
            Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=None)
            log(instance=story, action="wagtail.schedule.cancel", revision=revision, data={"revision": {"id": revision.pk}})
            message = _("“%(title)s” did not go live at its time: %(reasons)s") % {
                "title": story.title, "reasons": " ".join(str(reason) for reason in reasons),
            }  # fmt: skip
            notify(story_people(story) | _editors(Unit.objects.for_page(story)), NotificationKind.RIGHTS, message, page=story)
        logger.info("schedule of story %s held: %s", story.pk, reasons)
        held.append(story)
    return held


def expiring_items(days=None, at=None):
    """Archive items whose licence ends within ``days`` (the notice period)
    or has ended, and those under embargo now: the ones a live story may
    have to drop."""
    at = at or timezone.now()
    days = settings.ARCHIVE_RIGHTS_NOTICE_DAYS if days is None else days
    found = []
    for model in (ArchiveImage, Media):
        found += list(rights.expiring(model.objects.all(), days, at=at).order_by("license_expires_on", "pk"))
        found += list(model.objects.filter(embargoed_until__gt=at).order_by("embargoed_until", "pk"))
    return found


def live_stories_at_risk(units, at=None):
    """[(story, item, reason)] for the live stories of ``units`` showing an
    item in ``expiring_items``: why (ended, embargoed) or when it ends."""
    at = at or timezone.now()
    homes = [unit.site.root_page.path for unit in units]
    rows = []
    for item in expiring_items(at=at):
        for story in shown_to_readers(stories_using(item)).order_by("-first_published_at"):
            if any(story.path.startswith(home) for home in homes):
                rows.append((story, item, item.rights_refusal(at) or _ends_on(item)))
    return rows


def remind_expiring(now=None):
    """Daily from beat: each item whose licence ends within the notice
    period and is shown by live stories is told, once per end date, to the
    editors of the units of those stories and to the stories' people."""
    now = now or timezone.now()
    told = 0
    for model in (ArchiveImage, Media):
        for item in rights.expiring(model.objects.all(), settings.ARCHIVE_RIGHTS_NOTICE_DAYS, at=now).exclude(
            expiry_notice_for=F("license_expires_on")
        ):
            stories = list(shown_to_readers(stories_using(item)))
            with transaction.atomic():
                for story in stories:
                    message = _("“%(story)s” shows “%(item)s”: %(when)s") % {
                        "story": story.title, "item": item.title, "when": item.rights_refusal(now) or _ends_on(item),
                    }  # fmt: skip
                    notify(story_people(story) | _editors(Unit.objects.for_page(story)), NotificationKind.RIGHTS, message, page=story)
                    told += 1
                model.objects.filter(pk=item.pk).update(expiry_notice_for=item.license_expires_on)
    return told


def _ends_on(item):
    return _("its licence ends on %(day)s.") % {"day": date_format(item.license_expires_on, "SHORT_DATE_FORMAT")}


def _editors(unit):
    if unit is None:
        return set()
    return group_members(Group.objects.filter(unit_role__unit=unit, unit_role__role__in=EDITORS))
