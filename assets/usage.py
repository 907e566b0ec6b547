"""Where an archive item is used, as its page shows it: the stories that
show it, the channel deliveries that carried it. The archive knows neither
stories nor channels, so the apps that do register a source from their
``ready()`` (``register_usage_source``), as Wagtail's registries are
filled; each source answers for the person asking, within what they may
see."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from wagtail.models import ReferenceIndex

from .models import ArchiveImage, Media

_sources = []


@dataclass(frozen=True)
class Use:
    title: str
    detail: str  # the unit, the state, the channel
    url: str = ""  # where to open it, when the person may


def register_usage_source(source):
    """``source(item, user)`` returns a list of ``Use``, under its heading."""
    _sources.append(source)
    return source


def uses_of(item, user):
    """[(heading, [Use])] for each source with something to say."""
    found = []
    for source in _sources:
        uses = source(item, user)
        if uses:
            found.append((source.heading, uses))
    return found


def items_shown_by(obj):
    """The archive items ``obj`` (a story as it is, or as a revision would
    make it) shows: pictures and video or audio, with the posters of those."""
    wanted = {ContentType.objects.get_for_model(model).pk: model for model in (ArchiveImage, Media)}
    ids = {model: set() for model in wanted.values()}
    # Wagtail's own reading of an object's references, the one its index is
    # built from: here of content not saved to the object's row yet.
    for content_type_id, object_id, *_where in ReferenceIndex._extract_references_from_object(obj):
        if content_type_id in wanted:
            ids[wanted[content_type_id]].add(int(object_id))
    media = list(Media.objects.filter(pk__in=ids[Media]))
    ids[ArchiveImage] |= {item.poster_id for item in media if item.poster_id}
    return list(ArchiveImage.objects.filter(pk__in=ids[ArchiveImage])) + media
