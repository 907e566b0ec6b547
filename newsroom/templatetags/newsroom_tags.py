from django import template
from django.db.models import Subquery
from django.db.models.functions import Length, Substr
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.images.models import Filter
from wagtail.models import Page, Site

from assets import renditions

from ..models import HomePage, SectionPage
from ..search import highlight as _highlight

register = template.Library()


@register.simple_tag(takes_context=True)
def responsive_image(context, image, name, alt=None, css_class="", loading="lazy", sizes=None):
    """<picture> with AVIF, WebP and JPEG sources at two widths, from the
    renditions made (the request never makes one): while the media worker
    has not made the JPEGs, the original if it is small enough, else a
    placeholder.

    ``sizes`` overrides the spec's default where a layout shows the picture
    wider than usual (wide and full-screen body images)."""
    if not image:
        return ""
    specs = Filter.expand_spec(renditions.picture_spec(name))
    by_format = {}
    for spec, rendition in renditions.ready_renditions(image, specs, context.get("request")).items():
        fmt = spec.rsplit("format-", 1)[1]
        by_format.setdefault(fmt, []).append(rendition)
    # Narrowest first, whatever order the database gave them: the <img>
    # falls back on the narrowest, and the page reads the same every time.
    for made in by_format.values():
        made.sort(key=lambda rendition: rendition.width)
    alt_text = image.default_alt_text if alt is None else alt
    jpegs = by_format.get("jpeg")
    if not jpegs:
        original = renditions.original_picture(image)
        if original is None:
            return format_html('<span class="picture-pending {}" role="img" aria-label="{}"></span>', css_class, alt_text)
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="{}" loading="{}" decoding="async" class="{}">',
            original.url, original.width, original.height, alt_text, loading, css_class,
        )  # fmt: skip
    sizes = sizes or renditions.SIZES.get(name, "100vw")
    sources = []
    for fmt in ("avif", "webp"):
        srcset = ", ".join(f"{r.url} {r.width}w" for r in by_format.get(fmt, []))
        if srcset:
            sources.append(format_html('<source type="image/{}" srcset="{}" sizes="{}">', fmt, srcset, sizes))
    fallback = jpegs[0]
    jpeg_srcset = ", ".join(f"{r.url} {r.width}w" for r in jpegs)
    img = format_html(
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" loading="{}" decoding="async" class="{}">',
        fallback.url, jpeg_srcset, sizes, fallback.width, fallback.height, alt_text, loading, css_class,
    )
    # Each source is already escaped by format_html.
    return format_html("<picture>{}{}</picture>", mark_safe("".join(sources)), img)


@register.simple_tag(takes_context=True)
def social_image_url(context, image):
    return renditions.absolute_rendition_url(context["request"], image, "social") if image else ""


@register.simple_tag(takes_context=True)
def poster_url(context, image):
    picture = renditions.ready_picture(image, renditions.POSTER_SPEC, context.get("request")) if image else None
    return picture.url if picture else ""


@register.simple_tag(takes_context=True)
def ready_picture(context, image, spec, original=True):
    """``image`` as ``spec`` makes it if made, else (with ``original``) its
    original if small enough, else None:
    ``{% ready_picture unit.logo "height-96" original=False as logo %}``."""
    return renditions.ready_picture(image, spec, context.get("request"), original=original) if image else None


@register.simple_tag(takes_context=True)
def section_nav(context):
    """The unit's menu sections, in one query from any page (the 404 too):
    children of the request's site root, matched on the tree path so the
    root page itself need not be loaded."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return []
    root_path = Page.objects.filter(pk=site.root_page_id).values("path")[:1]
    return list(
        SectionPage.objects.live()
        .in_menu()
        .annotate(parent_path=Substr("path", 1, Length("path") - Page.steplen))
        .filter(parent_path=Subquery(root_path))
        .order_by("path")
    )


@register.simple_tag
def unit_url(name, *args):
    """URL of a unit-wide route (search, tag, author, feeds) from any page,
    without loading the home: a unit's home is its site's root, served at /."""
    return "/" + HomePage.get_resolver().reverse(name, *args)


@register.simple_tag
def article_tags(article):
    """The article's tags, loaded once per render although the head (meta
    tags) and the footer (links) both list them."""
    return article.tag_list


@register.simple_tag
def split_body(body, block_type):
    """(first block of ``block_type`` or None, the other blocks): lets a
    format lead with its main medium (the video, the podcast's audio, the
    photo story's gallery) and render the rest of the body below it."""
    children = list(body)
    for index, child in enumerate(children):
        if child.block_type == block_type:
            return child, children[:index] + children[index + 1 :]
    return None, children


@register.simple_tag
def page_links(results_page):
    """Page numbers around the current one, with "…" for the gaps."""
    return list(results_page.paginator.get_elided_page_range(results_page.number, on_each_side=1, on_ends=1))


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """This listing at page ``number``, keeping its other parameters (the
    search query); page 1 is the bare URL, so it has one address only."""
    request = context["request"]
    query = request.GET.copy()
    query.pop("page", None)
    if number != 1:
        query["page"] = number
    return request.path + ("?" + query.urlencode() if query else "")


@register.filter
def highlight(text, query):
    return _highlight(text, query)


@register.filter
def highlight_excerpt(text, query):
    return _highlight(text, query, max_length=240)


@register.filter
def vn_number(value):
    """"1.000": thousands grouped with a dot, as Vietnamese writes them
    (Django's Vietnamese formats leave numbers ungrouped)."""
    return f"{value:,}".replace(",", ".")


@register.filter
def vn_datetime(value):
    """"14:05, 22/11/2026" in Asia/Ho_Chi_Minh."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return local.strftime("%H:%M, %d/%m/%Y")
