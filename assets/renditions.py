"""The renditions the public pages, the feeds and the channels use, named
once so templates, feeds, adapters and the pre-generation task agree.

A reader's request never encodes a picture: pages, feeds and the API ask
for the renditions that are made (``ready_renditions``, ``ready_picture``),
show the original meanwhile when it is small enough, and ask the media
worker for the rest. Only the workers make renditions
(``existing_rendition``)."""

import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import Filter

import relay

FORMATS = "format-{avif,webp,jpeg}"
SPECS = {
    "card": "fill-{480x270,960x540}-c75",
    "lead": "fill-{800x450,1280x720}-c75",
    "body": "width-{640,1280}",
    "square": "fill-{160x160,320x320}-c75",
    # Open Graph / JSON-LD / feeds / channels want one plain JPEG.
    "social": "fill-1200x630-c75|format-jpeg",
}
SIZES = {
    "card": "(min-width: 960px) 300px, 100vw",
    "lead": "(min-width: 960px) 640px, 100vw",
    "body": "(min-width: 760px) 720px, 100vw",
    "square": "80px",
}
# The large JPEG of the "lead" set: one plain URL for <video poster>, and
# already made by the pre-generation task.
POSTER_SPEC = "fill-1280x720-c75|format-jpeg"
# Originals a browser shows as they are, while their renditions are made.
WEB_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif")
# A picture's missing renditions are asked of the worker at most this often.
ASK_AGAIN_SECONDS = 300


# The crops an editor sees on a picture's page, by where they are shown:
# [(label, spec)], each cut around the picture's focal point. The archive's
# own are here; the apps that send pictures elsewhere add theirs from
# their ready() (``register_crop``), as Wagtail fills its registries.
_crops = [
    (_("Story cards and lists (16:9)"), "fill-480x270-c75|format-jpeg"),
    (_("Square thumbnails"), "fill-160x160-c75|format-jpeg"),
    (_("Share card: Facebook, Zalo, X, Open Graph (1.91:1)"), SPECS["social"]),
    (_("Video poster (16:9)"), POSTER_SPEC),
]


def register_crop(label, spec):
    if all(known != spec for _label, known in _crops):
        _crops.append((label, spec))


def crops():
    return list(_crops)


def picture_spec(name):
    return f"{SPECS[name]} {FORMATS}" if "format-" not in SPECS[name] else SPECS[name]


# The thumbnail Wagtail's own picture library, chooser and editor show:
# made by the worker with the rest, so staff screens do not make it either.
ADMIN_THUMBNAIL_SPEC = "max-165x165"


def all_filter_specs():
    specs = []
    for name in SPECS:
        specs.extend(Filter.expand_spec(picture_spec(name)))
    return [*specs, ADMIN_THUMBNAIL_SPEC]


def existing_rendition(image, spec):
    """``image``'s rendition for ``spec`` (a Filter or its spec), made if
    there is none yet. One that exists is used as found: Wagtail's
    ``get_rendition`` writes it to the cache again on every call, a pickle
    and a round trip to Redis per picture and per use."""
    filter = _filter(spec) if isinstance(spec, str) else spec
    try:
        return image.find_existing_rendition(filter)
    except image.get_rendition_model().DoesNotExist:
        return image.get_rendition(filter)


@lru_cache(maxsize=64)
def _filter(spec):
    # A filter parses its spec once: the few specs the site uses are kept.
    return Filter(spec=spec)


def ready_renditions(image, specs, request=None):
    """{spec: rendition} of ``image``'s renditions for ``specs`` that are
    made. Never makes one: the missing ones are asked of the media worker,
    and ``request`` is marked as showing pictures still to come (the page
    cache does not keep it)."""
    filters = [_filter(spec) for spec in specs]
    found = image.find_existing_renditions(*filters)
    # Kept in the renditions' cache for the next page, as Wagtail's
    # get_renditions does (the prefetched ones need no keeping).
    Rendition = image.get_rendition_model()
    keep = {
        Rendition.construct_cache_key(image, f.get_cache_key(image), f.spec): rendition
        for f, rendition in found.items()
        if not getattr(rendition, "_from_cache", False)
    }
    if keep:
        Rendition.cache_backend.set_many(keep)
    missing = [f.spec for f in filters if f not in found]
    if missing:
        ask_for_renditions(image, missing)
        if request is not None:
            request.renditions_pending = True
    return {f.spec: rendition for f, rendition in found.items()}


@dataclass
class Original:
    """The original file standing in for a rendition not made yet."""

    url: str
    width: int
    height: int


def ready_picture(image, spec, request=None, original=True):
    """What a page shows for ``image`` as ``spec``: its rendition if made,
    else (with ``original``) the original if a browser can show it and it is
    no larger than RENDITION_FALLBACK_MAX_BYTES, else None (a placeholder).
    Readers get an original only once a live story shows it: a picture
    shown elsewhere (a unit's logo) asks for no original."""
    rendition = ready_renditions(image, [spec], request).get(spec)
    if rendition is not None or not original:
        return rendition
    return original_picture(image)


def original_picture(image):
    name = image.file.name or ""
    if os.path.splitext(name)[1].lower() not in WEB_EXTENSIONS:
        return None
    size = image.file_size
    if size is None:  # not recorded (made without Wagtail's form): asked of the storage, not saved from a reader's request
        try:
            size = image.file.size
        except Exception:  # a lost original
            return None
    if size > settings.RENDITION_FALLBACK_MAX_BYTES:
        return None
    return Original(image.file.url, image.width, image.height)


def ask_for_renditions(image, specs):
    """Queue the media worker for ``image``'s ``specs``, once in
    ASK_AGAIN_SECONDS whoever asks (every reader of a new story would)."""
    specs = sorted(specs)
    digest = hashlib.sha256("|".join(specs).encode()).hexdigest()[:16]
    key = f"assets:renditions-asked:{image.pk}:{digest}"
    try:
        first = cache.add(key, True, ASK_AGAIN_SECONDS)
    except Exception:  # the cache down: ask anyway, the worker skips what exists
        first = True
    if first:
        # By name: the tasks module imports this one.
        relay.enqueue("assets.tasks.generate_renditions", image.pk, specs)


def rendition_for(image, name, request=None):
    return ready_picture(image, SPECS[name], request)


def absolute_rendition_url(request, image, name):
    """The absolute URL of ``image`` as the spec ``name`` makes it (or its
    stand-in, see ``ready_picture``), "" when there is none yet."""
    return absolute_url(request, rendition_for(image, name, request))


def absolute_url(request, picture):
    if picture is None:
        return ""
    return picture.url if picture.url.startswith("http") else request.build_absolute_uri(picture.url)
