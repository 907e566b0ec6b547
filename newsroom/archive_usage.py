"""Which stories show an item of the media archive (a picture, a video or
an audio), read from Wagtail's reference index.

The index is built from each page's own row, which for a live story holds
its published content: a picture added only in an unpublished draft is not
shown by that story until the draft is published."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.models import Page, ReferenceIndex

from assets import rights
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


def stories_out_of_rights(story_ids, at=None):
    """{story id: [why]} for those of ``story_ids`` whose published content
    shows an archive item under embargo or past its licence at ``at`` (now),
    a video's poster included: one statement, read from the reference index
    (the stories that show none, the usual case, cost nothing more)."""
    at = at or timezone.now()
    types = {model: ContentType.objects.get_for_model(model).pk for model in (ArchiveImage, Media)}
    pictures = rights.unusable(ArchiveImage.objects.all(), at)
    keys = {
        ArchiveImage: _as_text(pictures),
        Media: _as_text(Media.objects.filter(Q(pk__in=rights.unusable(Media.objects.all(), at).values("pk")) | Q(poster__in=pictures))),
    }
    shown = Q()
    for model, key in keys.items():
        shown |= Q(to_content_type_id=types[model], to_object_id__in=key)
    references = ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page), object_id__in=[str(pk) for pk in story_ids]
    ).filter(shown)
    found = {}
    for story_id, content_type_id, item_id in references.values_list("object_id", "to_content_type_id", "to_object_id").distinct():
        found.setdefault(int(story_id), set()).add((content_type_id, int(item_id)))
    if not found:
        return {}
    items = {(types[model], item.pk): item for model in keys for item in model.objects.select_related(*(["poster"] if model is Media else [])).filter(
        pk__in={pk for shown_items in found.values() for content_type_id, pk in shown_items if content_type_id == types[model]}
    )}
    return {story_id: [_why(items[key], at) for key in sorted(shown_items) if key in items] for story_id, shown_items in found.items()}


def _as_text(queryset):
    # The reference index keeps ids as text.
    return queryset.annotate(key=Cast("pk", CharField())).values("key")


def _why(item, at):
    return item.rights_refusal(at) or (item.poster.rights_refusal(at) if getattr(item, "poster", None) else "")


def shown_to_readers(stories):
    """Those of ``stories`` a reader can open: live, without a login
    restriction and out of embargo."""
    return stories.live().public().exclude(embargo_until__gt=timezone.now())
