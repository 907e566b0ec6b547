"""Placing stories on a unit's home page (models/placements.py): the
operations the board's home page screen calls. Who may is the caller's
question (workflows); what may go where is answered here."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .cache import invalidate
from .models import ArticlePage, HomePlacement, HomePosition, SectionPage


def current_placements(home):
    """The home page's placements that hold now, in the order readers see
    them, with their stories and sections."""
    return list(
        HomePlacement.objects.current()
        .filter(home=home)
        .select_related("story", "section", "placed_by")
        .order_by("position", "section__path", "sort_order", "pk")
    )


def check_place(home, story, position, section=None, until=None):
    """Why ``story`` cannot go there (ValidationError), or nothing."""
    if not story.live or not story.is_descendant_of(home):
        raise ValidationError(_("Only a published story of this unit can be placed on its home page."))
    if position == HomePosition.SECTION:
        if section is None or not SectionPage.objects.child_of(home).filter(pk=section.pk).exists():
            raise ValidationError(_("Choose one of this unit's sections for a section highlight."))
        if not story.is_child_of(section):
            raise ValidationError(_("A section highlight is a story of that section."))
    if until is not None and until <= timezone.now():
        raise ValidationError(_("The time it stays pinned until must be in the future."))


@transaction.atomic
def place(home, story, position, user, section=None, until=None):
    """Puts ``story`` last in its place (the spotlight has one: the story
    there before comes off), until ``until`` or until taken off."""
    section = section if position == HomePosition.SECTION else None
    check_place(home, story, position, section, until)
    here = HomePlacement.objects.select_for_update().filter(home=home, position=position, section=section)
    if position == HomePosition.SPOTLIGHT:
        for old in here.exclude(story=story):
            take_off(old, user)
    placement = here.filter(story=story).first()
    if placement is None:
        last = here.aggregate(last=Max("sort_order"))["last"]
        placement = HomePlacement(home=home, position=position, section=section, story=story, sort_order=0 if last is None else last + 1)
    placement.until, placement.placed_by, placement.placed_at = until, user, timezone.now()
    placement.save()
    log(instance=placement, action="hoitu.home.place", user=user, data={"story": story.pk, "position": position})
    invalidate()
    return placement


@transaction.atomic
def take_off(placement, user):
    log(instance=placement, action="hoitu.home.take_off", user=user, data={"story": placement.story_id, "position": placement.position})
    placement.delete()
    invalidate()


@transaction.atomic
def move(placement, user, step):
    """One place up (``step`` -1) or down (+1) among its neighbours."""
    neighbours = list(
        HomePlacement.objects.select_for_update()
        .filter(home=placement.home_id, position=placement.position, section=placement.section_id)
        .order_by("sort_order", "pk")
    )
    index = next(i for i, p in enumerate(neighbours) if p.pk == placement.pk)
    other = index + step
    if not 0 <= other < len(neighbours):
        return
    neighbours[index], neighbours[other] = neighbours[other], neighbours[index]
    for order, each in enumerate(neighbours):
        if each.sort_order != order:
            HomePlacement.objects.filter(pk=each.pk).update(sort_order=order)
    log(instance=placement, action="hoitu.home.move", user=user, data={"story": placement.story_id, "position": placement.position})
    invalidate()


def stories_to_place(home, limit=100):
    """The unit's newest published stories, newest first: what the screen
    offers (a queryset a form can check a choice against)."""
    newest = ArticlePage.objects.descendant_of(home).live().order_by("-first_published_at", "-pk").values("pk")[:limit]
    return ArticlePage.objects.filter(pk__in=newest).defer_streamfields().order_by("-first_published_at", "-pk")
