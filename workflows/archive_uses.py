"""The stories that show an archive item, on its page (assets.usage): the
person's own units' stories, published or not, with a link to edit them;
another unit's only once readers can see them, and its unpublished ones
only counted."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from assets.usage import Use
from newsroom.archive_usage import shown_to_readers, stories_using
from newsroom.models import ArticlePage, Unit

from .membership import units_for


def story_uses(item, user):
    stories = list(stories_using(item).order_by("-latest_revision_created_at", "pk"))
    if not stories:
        return []
    units = list(Unit.objects.select_related("site__root_page"))
    mine = {unit.pk for unit in units_for(user)}
    readable = set(shown_to_readers(ArticlePage.objects.filter(pk__in=[story.pk for story in stories])).values_list("pk", flat=True))
    uses, unseen = [], 0
    for story in stories:
        unit = next((unit for unit in units if story.path.startswith(unit.site.root_page.path)), None)
        state = _("Published") if story.live else _("Draft")
        if unit is not None and unit.pk in mine:
            uses.append(Use(story.title, f"{unit.name} · {state}", reverse("wagtailadmin_pages:edit", args=[story.pk])))
        elif story.pk in readable:
            uses.append(Use(story.title, f"{unit.name if unit else ''} · {state}", story.url or ""))
        else:
            unseen += 1
    if unseen:
        counted = ngettext("%(count)d story of another unit, not published", "%(count)d stories of other units, not published", unseen)
        uses.append(Use(counted % {"count": unseen}, ""))
    return uses


story_uses.heading = gettext_lazy("Stories that use it")
