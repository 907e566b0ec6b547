"""The renditions the public pages, the feeds and the channels use, named
once so templates, feeds, adapters and the pre-generation task agree."""

from functools import lru_cache

from wagtail.images.models import Filter

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


def picture_spec(name):
    return f"{SPECS[name]} {FORMATS}" if "format-" not in SPECS[name] else SPECS[name]


def all_filter_specs():
    specs = []
    for name in SPECS:
        specs.extend(Filter.expand_spec(picture_spec(name)))
    return specs


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


def rendition_for(image, name):
    return existing_rendition(image, SPECS[name])


def absolute_rendition_url(request, image, name):
    url = rendition_for(image, name).url
    return url if url.startswith("http") else request.build_absolute_uri(url)
