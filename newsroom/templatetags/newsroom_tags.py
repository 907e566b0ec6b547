from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail.images.models import Filter

from .. import images
from ..search import highlight as _highlight

register = template.Library()


def rendition_for(image, name):
    return image.get_rendition(images.SPECS[name])


def absolute_rendition_url(request, image, name):
    url = rendition_for(image, name).url
    return url if url.startswith("http") else request.build_absolute_uri(url)


@register.simple_tag
def responsive_image(image, name, alt=None, css_class="", loading="lazy"):
    """<picture> with AVIF, WebP and JPEG sources at two widths."""
    if not image:
        return ""
    specs = Filter.expand_spec(images.picture_spec(name))
    renditions = image.get_renditions(*specs)
    by_format = {}
    for spec, rendition in renditions.items():
        fmt = spec.rsplit("format-", 1)[1]
        by_format.setdefault(fmt, []).append(rendition)
    sizes = images.SIZES.get(name, "100vw")
    sources = []
    for fmt in ("avif", "webp"):
        srcset = ", ".join(f"{r.url} {r.width}w" for r in by_format.get(fmt, []))
        if srcset:
            sources.append(format_html('<source type="image/{}" srcset="{}" sizes="{}">', fmt, srcset, sizes))
    jpegs = by_format["jpeg"]
    fallback = jpegs[0]
    jpeg_srcset = ", ".join(f"{r.url} {r.width}w" for r in jpegs)
    alt_text = image.default_alt_text if alt is None else alt
    img = format_html(
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" loading="{}" decoding="async" class="{}">',
        fallback.url, jpeg_srcset, sizes, fallback.width, fallback.height, alt_text, loading, css_class,
    )
    return format_html("<picture>{}{}</picture>", format_html("".join(str(s) for s in sources)), img)


@register.simple_tag(takes_context=True)
def social_image_url(context, image):
    return absolute_rendition_url(context["request"], image, "social") if image else ""


@register.filter
def highlight(text, query):
    return _highlight(text, query)


@register.filter
def highlight_excerpt(text, query):
    return _highlight(text, query, max_length=240)


@register.filter
def vn_datetime(value):
    """"14:05, 22/11/2026" in Asia/Ho_Chi_Minh."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return local.strftime("%H:%M, %d/%m/%Y")


@register.filter
def vn_date(value):
    if not value:
        return ""
    return timezone.localtime(value).strftime("%d/%m/%Y")



@register.filter
def weekday(value):
    names = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")]
    return names[timezone.localtime(value).weekday()] if value else ""


@register.simple_tag(takes_context=True)
def subpage_url(context, page, name, *args):
    return page.url + page.reverse_subpage(name, args=args)
