"""Which stories show an item of the media archive (a picture, a video or
an audio), read from Wagtail's reference index.

The index is built from each page's own row, which for a live story holds
its published content: a picture added only in an unpublished draft is not
shown by that story until the draft is published."""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import ReferenceIndex

from assets.models import ArchiveImage, Media

from .models import ArticlePage


def stories_using(item):
    """The stories whose content shows ``item``: in a field or a body block,
    or, for a picture, as the poster of a video or audio they show."""
    shown = [item]
    if isinstance(item, ArchiveImage):
        shown += list(Media.objects.filter(poster=item))
    story_ids = (
        ReferenceIndex.get_references_to_in_bulk(shown)
        .filter(content_type=ContentType.objects.get_for_model(ArticlePage))
        .values_list("object_id", flat=True)
    )
    # Wagtail stores the ids as text: read them, rather than cast every page's id.
    return ArticlePage.objects.filter(pk__in=[int(pk) for pk in story_ids])


def shown_to_readers(stories):
    """Those of ``stories`` a reader can open: live, without a login
    restriction and out of embargo."""
    return stories.live().public().exclude(embargo_until__gt=timezone.now())
