"""The rendition specs the public templates use, named once so templates
and the pre-generation task agree (see templatetags/newsroom_tags.py)."""

FORMATS = "format-{avif,webp,jpeg}"
SPECS = {
    "card": "fill-{480x270,960x540}-c75",
    "lead": "fill-{800x450,1280x720}-c75",
    "body": "width-{640,1280}",
    "square": "fill-{160x160,320x320}-c75",
    # Open Graph / JSON-LD / feeds want one plain JPEG.
    "social": "fill-1200x630-c75|format-jpeg",
}
SIZES = {
    "card": "(min-width: 960px) 300px, 100vw",
    "lead": "(min-width: 960px) 640px, 100vw",
    "body": "(min-width: 760px) 720px, 100vw",
    "square": "80px",
}


def picture_spec(name):
    return f"{SPECS[name]} {FORMATS}" if "format-" not in SPECS[name] else SPECS[name]


def all_filter_specs():
    from wagtail.images.models import Filter

    specs = []
    for name in SPECS:
        specs.extend(Filter.expand_spec(picture_spec(name)))
    return specs
