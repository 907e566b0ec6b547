"""Stories as IPTC ninjs 3.1 (https://iptc.org/standards/ninjs/), the one
representation partners get: from the content API and from webhooks.

- ``uri`` is ``urn:hoitu:<unit code>:<page id>``: it survives a change of
  slug, section or domain, unlike the story's web address (that is given
  as the "web" rendition and an alternative id).
- ``version`` counts the story's announced changes (publication, update,
  correction, takedown, republication: ``StoryEvent`` rows), so it only
  ever grows and is the same on every channel and in the API.
- A story that is no longer on the site (taken down, unpublished) is
  ``pubStatus: canceled`` with only what identifies it.
- The body is clean HTML built from the stored blocks (no site classes,
  scripts or provider embeds; absolute addresses; one JPEG per picture),
  fit for a partner's CMS.

``NinjsBuilder`` loads what a batch of stories needs in a fixed number of
queries, however many stories and blocks there are.
"""

import re
from collections import defaultdict
from datetime import UTC

from django.conf import settings
from django.db.models import Count, F, Max, Min, OuterRef, Prefetch, Subquery
from django.utils import timezone
from django.utils.html import escape, format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from wagtail.models import Page

from assets.models import ArchiveImage, ArchiveRendition, License, Media
from assets.renditions import POSTER_SPEC, SPECS, ready_renditions
from newsroom import charts
from newsroom.models import (
    ArticleAuthor,
    ArticleCorrection,
    ArticlePage,
    ArticlePageTag,
    SectionPage,
    Unit,
)

from .models import StoryEvent

SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#"
STANDARD = {"name": "ninjs", "version": "3.1", "schema": SCHEMA_URI}

# The picture sizes partners get; all are made anyway for the site (see
# assets.renditions), so serving them costs no image processing.
IMAGE_RENDITIONS = {
    "main": "width-1280|format-jpeg",
    "social": SPECS["social"],
    "thumbnail": "fill-480x270-c75|format-jpeg",
}
BODY_IMAGE_SPEC = IMAGE_RENDITIONS["main"]

NEWS_TYPES = {"video": "video", "podcast": "audio", "photo": "picture", "infographic": "graphic"}


def story_uri(unit_slug, story_id):
    return f"urn:hoitu:{unit_slug}:{story_id}"


def canceled(uri, version, at, news_type="text"):
    """A story partners must remove: taken down, unpublished or deleted."""
    return {
        "uri": uri,
        "standard": STANDARD,
        "type": news_type,
        "representationType": "partial",
        "version": str(version),
        "versionCreated": isodate(at),
        "pubStatus": "canceled",
    }


def parse_uri(value):
    """(unit code, page id) of one of our ninjs URIs, or None."""
    parts = (value or "").split(":")
    if len(parts) == 4 and parts[:2] == ["urn", "hoitu"] and parts[3].isdigit():
        return parts[2], int(parts[3])
    return None


def isodate(value):
    if value is None:
        return None
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def serialize(story):
    """One story as ninjs (a dict)."""
    return NinjsBuilder([story]).build(story)


def serialize_many(stories):
    stories = list(stories)
    builder = NinjsBuilder(stories)
    return [builder.build(story) for story in stories]


class NinjsBuilder:
    """Everything a batch of ArticlePages needs, loaded once."""

    def __init__(self, stories):

        self.stories = [s for s in stories if s is not None]
        ids = [s.pk for s in self.stories]
        steplen = Page.steplen
        # home path -> Unit (the home page's path only: building its page
        # instance costs more than the rest of the unit)
        self.units = {unit.home_path: unit for unit in Unit.objects.select_related("site").annotate(home_path=F("site__root_page__path"))}
        latest = StoryEvent.objects.filter(story_id=OuterRef("story_id")).order_by("-pk").values("event")[:1]
        self.events = {
            row["story_id"]: row
            for row in StoryEvent.objects.filter(story_id__in=ids)
            .values("story_id")
            .annotate(n=Count("id"), first=Min("at"), last=Max("at"), latest=Subquery(latest))
        }
        self.created = self._first_revisions(ids)
        self.authors = defaultdict(list)
        for link in ArticleAuthor.objects.filter(article_id__in=ids).select_related("author").order_by("sort_order", "pk"):
            self.authors[link.article_id].append(link.author)
        self.tags = defaultdict(list)
        for item in ArticlePageTag.objects.filter(content_object_id__in=ids).select_related("tag").order_by("tag__name"):
            self.tags[item.content_object_id].append(item.tag)
        self.corrections = defaultdict(list)
        for correction in ArticleCorrection.objects.filter(article_id__in=ids).order_by("corrected_at", "pk"):
            self.corrections[correction.article_id].append(correction)
        section_paths = {s.path[: -steplen] for s in self.stories}
        self.sections = {s.path: s for s in SectionPage.objects.filter(path__in=section_paths).only("id", "title", "slug", "path")}
        # Pictures and archive media of the covers and of every body.
        image_ids, media_ids, page_ids = set(), set(), set()
        for story in self.stories:
            if story.cover_image_id:
                image_ids.add(story.cover_image_id)
            for block in _raw_blocks(story):
                value = block.get("value")
                kind = block.get("type")
                if kind == "image" and isinstance(value, dict) and value.get("image"):
                    image_ids.add(value["image"])
                elif kind == "gallery" and isinstance(value, dict):
                    image_ids.update(item["image"] for item in _list_values(value.get("images")) if item.get("image"))
                elif kind in ("video", "audio") and isinstance(value, dict) and value.get(kind):
                    media_ids.add(value[kind])
                elif kind == "related" and isinstance(value, dict):
                    page_ids.update(p for p in _list_values(value.get("articles"), raw=True) if isinstance(p, int))
        self.media = {m.pk: m for m in Media.objects.filter(pk__in=media_ids)}
        image_ids.update(m.poster_id for m in self.media.values() if m.poster_id)
        self.images = {
            i.pk: i
            for i in ArchiveImage.objects.filter(pk__in=image_ids).prefetch_related(
                Prefetch("renditions", queryset=ArchiveRendition.objects.all())
            )
        }

        self.related = {p.pk: p for p in ArticlePage.objects.filter(pk__in=page_ids, live=True)} if page_ids else {}

    def _first_revisions(self, ids):
        """When each story's first draft was saved (its content creation)."""
        from django.contrib.contenttypes.models import ContentType
        from wagtail.models import Revision

        if not ids:
            return {}
        rows = (
            Revision.objects.filter(base_content_type=ContentType.objects.get_for_model(Page), object_id__in=[str(i) for i in ids])
            .values("object_id")
            .annotate(first=Min("created_at"))
        )
        return {int(row["object_id"]): row["first"] for row in rows}

    # --- helpers ------------------------------------------------------------
    def unit_for(self, story):
        return self.units.get(story.path[: Page.steplen * 2])

    def section_for(self, story):
        return self.sections.get(story.path[: -Page.steplen])

    def latest_event(self, story):
        """What last happened to the story (published, updated, corrected…):
        the event a partner's webhook is sent as."""
        row = self.events.get(story.pk)
        return (row and row["latest"]) or "published"

    def version(self, story):
        row = self.events.get(story.pk)
        return row["n"] if row else 0

    def base_url(self, unit):
        if unit is not None:
            return unit.site.root_url
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/")

    def absolute(self, url, unit):
        if not url or url.startswith(("http://", "https://", "mailto:", "tel:", "#")):
            return url
        if url.startswith("//"):
            return "https:" + url
        return self.base_url(unit) + (url if url.startswith("/") else "/" + url)

    def rendition(self, image, spec):
        try:
            # Served to partners in a request: never made here (see
            # assets.renditions); one not made yet is left out and asked for.
            return ready_renditions(image, [spec]).get(spec)
        except Exception:  # a missing or broken original must not break the feed
            return None

    # --- the document -------------------------------------------------------
    def build(self, story):
        unit = self.unit_for(story)
        uri = story_uri(unit.slug if unit else "none", story.pk)
        row = self.events.get(story.pk) or {}
        version = str(max(self.version(story), 1))
        changed_at = row.get("last") or story.last_published_at or timezone.now()
        if not story.live:
            return canceled(uri, version, changed_at, NEWS_TYPES.get(story.format, "text"))
        section = self.section_for(story)
        url = story.get_full_url() or ""
        authors = self.authors.get(story.pk, [])
        doc = {
            "uri": uri,
            "standard": STANDARD,
            "type": NEWS_TYPES.get(story.format, "text"),
            "representationType": "full",
            "profile": f"hoitu-{story.format}",
            "version": version,
            "firstCreated": isodate(row.get("first") or story.first_published_at),
            "versionCreated": isodate(changed_at),
            "contentCreated": isodate(self.created.get(story.pk) or story.first_published_at),
            "pubStatus": "usable",
            "language": story.language,
            "slugline": story.slug,
            "headlines": [{"role": "main", "contentType": "text/plain", "value": story.title}],
            "descriptions": [{"role": "summary", "contentType": "text/plain", "value": story.sapo}],
            "bodies": [
                {
                    "role": "main",
                    "contentType": "text/html",
                    "value": self.body_html(story, unit),
                    "wordCount": story.word_count,
                }
            ],
            "altIds": [{"role": "hoitu-page-id", "value": str(story.pk)}],
        }
        if url:
            doc["renditions"] = [{"name": "web", "title": story.title, "href": url, "contentType": "text/html"}]
            doc["altIds"].append({"role": "url", "value": url})
        if story.is_embargoed():
            doc["embargoedUntil"] = isodate(story.embargo_until)
        if story.breaking_until is not None:
            doc["urgency"] = 1  # the unit called it breaking news (1: the highest)
        if story.kicker:
            doc["headlines"].append({"role": "kicker", "contentType": "text/plain", "value": story.kicker})
        for correction in self.corrections.get(story.pk, []):
            doc["descriptions"].append(
                {"role": "correction", "contentType": "text/plain", "value": f"{isodate(correction.corrected_at)} {correction.note}"}
            )
        if authors:
            doc["by"] = ", ".join(a.name for a in authors)
            doc["people"] = [{"name": a.name, "rel": "author", "literal": a.slug} for a in authors]
        subjects = []
        if section is not None:
            subjects.append({"name": section.title, "rel": "section", "literal": section.slug})
        subjects += [{"name": tag.name, "rel": "tag", "literal": tag.slug} for tag in self.tags.get(story.pk, [])]
        if subjects:
            doc["subjects"] = subjects
        if unit is not None:
            year = (story.first_published_at or timezone.now()).year
            doc["copyrightHolder"] = unit.name
            doc["copyrightNotice"] = f"© {year} {unit.name}"
            doc["infoSources"] = [{"name": unit.name, "role": "originator", "uri": unit.site.root_url + "/"}]
        associations = self.associations(story, unit)
        if associations:
            doc["associations"] = associations
        return doc

    def associations(self, story, unit):
        found = []
        cover = self.images.get(story.cover_image_id) if story.cover_image_id else None
        if cover is not None:
            found.append(self.picture(cover, "cover", unit, caption=story.cover_caption))
        seen_images = {cover.pk} if cover else set()
        counters = defaultdict(int)
        for block in _raw_blocks(story):
            kind, value = block.get("type"), block.get("value")
            if not isinstance(value, dict):
                continue
            if kind in ("image", "gallery"):
                items = [value] if kind == "image" else _list_values(value.get("images"))
                for item in items:
                    image = self.images.get(item.get("image"))
                    if image is None or image.pk in seen_images:
                        continue
                    seen_images.add(image.pk)
                    counters["image"] += 1
                    found.append(self.picture(image, f"image-{counters['image']}", unit, caption=item.get("caption", "")))
            elif kind in ("video", "audio"):
                media = self.media.get(value.get(kind))
                if media is not None:
                    counters[kind] += 1
                    found.append(self.archive_media(media, f"{kind}-{counters[kind]}", unit, caption=value.get("caption", "")))
        return found

    def picture(self, image, name, unit, caption=""):

        item = {
            "name": name,
            "uri": f"urn:hoitu:image:{image.pk}",
            "type": "picture",
            "headlines": [{"value": image.title}],
            "usageTerms": str(License(image.license).label),
        }
        caption = caption or image.caption
        if caption:
            item["descriptions"] = [{"role": "caption", "contentType": "text/plain", "value": caption}]
        if image.credit:
            item["by"] = image.credit
            item["copyrightNotice"] = image.credit
        renditions = []
        for rendition_name, spec in IMAGE_RENDITIONS.items():
            rendition = self.rendition(image, spec)
            if rendition is not None:
                renditions.append(
                    {
                        "name": rendition_name,
                        "href": self.absolute(rendition.url, unit),
                        "contentType": "image/jpeg",
                        "width": rendition.width,
                        "height": rendition.height,
                    }
                )
        if renditions:
            item["renditions"] = renditions
        return item

    def archive_media(self, media, name, unit, caption=""):

        item = {
            "name": name,
            "uri": f"urn:hoitu:media:{media.pk}",
            "type": media.kind,
            "headlines": [{"value": media.title}],
            "usageTerms": str(License(media.license).label),
        }
        caption = caption or media.caption
        if caption:
            item["descriptions"] = [{"role": "caption", "contentType": "text/plain", "value": caption}]
        if media.transcript:
            item["bodies"] = [{"role": "transcript", "contentType": "text/plain", "value": media.transcript}]
        if media.credit:
            item["by"] = media.credit
            item["copyrightNotice"] = media.credit
        original = {"name": "original", "href": self.absolute(media.file.url, unit), "contentType": media.mime_type}
        if media.duration:
            original["duration"] = round(media.duration, 3)
        if media.width and media.height:
            original["width"], original["height"] = media.width, media.height
        renditions = [original]
        poster = self.images.get(media.poster_id) if media.poster_id else None
        if poster is not None:
            rendition = self.rendition(poster, POSTER_SPEC)
            if rendition is not None:
                renditions.append(
                    {
                        "name": "poster", "href": self.absolute(rendition.url, unit), "contentType": "image/jpeg",
                        "width": rendition.width, "height": rendition.height,
                    }
                )
        item["renditions"] = renditions
        return item

    # --- the body -----------------------------------------------------------
    def body_html(self, story, unit):
        parts = []
        for block in _raw_blocks(story):
            html = self.block_html(block.get("type"), block.get("value"), unit)
            if html:
                parts.append(html)
        return "\n".join(parts)

    def block_html(self, kind, value, unit):
        from wagtail.rich_text import expand_db_html

        if kind == "paragraph":
            return self.absolutize_html(expand_db_html(value or ""), unit)
        if not isinstance(value, dict):
            return ""
        if kind == "heading":
            level = "h3" if value.get("level") == "h3" else "h2"
            return format_html("<{0}>{1}</{0}>", level, value.get("text", ""))
        if kind == "image":
            return self.figure(self.images.get(value.get("image")), value.get("caption"), value.get("credit"), unit)
        if kind == "gallery":
            figures = [self.figure(self.images.get(item.get("image")), item.get("caption"), "", unit) for item in _list_values(value.get("images"))]
            return "\n".join(f for f in figures if f)
        if kind in ("video", "audio"):
            return self.media_html(self.media.get(value.get(kind)), value.get("caption"), unit)
        if kind == "embed":
            url = value.get("embed") or ""
            if not url:
                return ""
            caption = format_html("<figcaption>{}</figcaption>", value["caption"]) if value.get("caption") else ""
            return format_html('<figure><p><a href="{0}">{0}</a></p>{1}</figure>', url, caption)
        if kind == "quote":
            attribution = format_html("<footer>— {}</footer>", value["attribution"]) if value.get("attribution") else ""
            return format_html("<blockquote>{}{}</blockquote>", linebreaks(value.get("text", "")), attribution)
        if kind == "fact_box":
            body = self.absolutize_html(expand_db_html(value.get("body") or ""), unit)
            return format_html("<aside><h4>{}</h4>{}</aside>", value.get("title", ""), _safe(body))
        if kind == "table":
            return self.table_html(value.get("caption", ""), _table_rows(value.get("table")), header_row=_table_has_header(value.get("table")))
        if kind == "chart":
            return self.chart_html(value)
        if kind == "related":
            links = [self.related.get(pk) for pk in _list_values(value.get("articles"), raw=True)]
            items = [format_html('<li><a href="{}">{}</a></li>', page.get_full_url() or "", page.title) for page in links if page is not None]
            if not items:
                return ""
            return format_html("<aside><h4>{}</h4><ul>{}</ul></aside>", value.get("title") or _("Related stories"), _safe("".join(items)))
        return ""

    def figure(self, image, caption, credit, unit):
        if image is None:
            return ""
        rendition = self.rendition(image, BODY_IMAGE_SPEC)
        if rendition is None:
            return ""
        caption = caption or image.caption
        credit = credit or image.credit
        text = format_html("{}{}", caption, format_html(" <small>{}</small>", credit) if credit else "")
        return format_html(
            '<figure><img src="{}" width="{}" height="{}" alt="{}">{}</figure>',
            self.absolute(rendition.url, unit),
            rendition.width,
            rendition.height,
            caption or image.title,
            format_html("<figcaption>{}</figcaption>", text) if (caption or credit) else "",
        )

    def media_html(self, media, caption, unit):
        if media is None:
            return ""
        src = self.absolute(media.file.url, unit)
        caption = caption or media.caption or media.title
        credit = format_html(" <small>{}</small>", media.credit) if media.credit else ""
        if media.kind == "video":
            poster = self.images.get(media.poster_id) if media.poster_id else None
            rendition = self.rendition(poster, POSTER_SPEC) if poster else None
            poster_attr = format_html(' poster="{}"', self.absolute(rendition.url, unit)) if rendition else ""
            player = format_html('<video controls src="{}"{}></video>', src, poster_attr)
        else:
            player = format_html('<audio controls src="{}"></audio>', src)
        return format_html("<figure>{}<figcaption>{}{}</figcaption></figure>", player, caption, credit)

    def table_html(self, caption, rows, header_row=False):
        if not rows:
            return ""
        html = []
        for index, row in enumerate(rows):
            cell = "th" if header_row and index == 0 else "td"
            html.append("<tr>" + "".join(f"<{cell}>{escape(value if value is not None else '')}</{cell}>" for value in row) + "</tr>")
        caption_html = format_html("<caption>{}</caption>", caption) if caption else ""
        return format_html("<table>{}{}</table>", caption_html, _safe("".join(html)))

    def chart_html(self, value):

        try:
            data = charts.parse_csv(value.get("data") or "")
        except charts.ChartDataError:
            return ""
        rows = [[""] + [name for name, _values in data.series]]
        for i, label in enumerate(data.labels):
            rows.append([label] + [charts.format_number(values[i]) for _name, values in data.series])
        table = self.table_html(value.get("title", ""), rows, header_row=True)
        source = format_html("<p>{}</p>", _("Source: %s") % value["source"]) if value.get("source") else ""
        return format_html("<figure>{}{}</figure>", _safe(table), source)

    def absolutize_html(self, html, unit):
        """Links and pictures inside rich text point at our site with
        addresses relative to it; a partner's site needs them absolute."""
        return re.sub(r'(\s(?:href|src)=")(/[^"]*)"', lambda m: f'{m.group(1)}{self.absolute(m.group(2), unit)}"', html)


def _safe(html):
    return mark_safe(html)


def _raw_blocks(story):
    """The stored blocks of the body (type, value) without loading the
    chosen images, media and pages one story at a time."""
    raw = story.body.raw_data if hasattr(story.body, "raw_data") else []
    return [dict(block) for block in raw if isinstance(block, dict) or hasattr(block, "get")]


def _list_values(items, raw=False):
    """ListBlock values are stored as [{"type": "item", "value": ..., "id": ...}]
    (older data: plain values)."""
    values = []
    for item in items or []:
        if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
            item = item["value"]
        if raw or isinstance(item, dict):
            values.append(item)
    return values


def _table_rows(table):
    if isinstance(table, dict):
        return [row for row in table.get("data") or [] if isinstance(row, list)]
    return []


def _table_has_header(table):
    if not isinstance(table, dict):
        return False
    return table.get("table_header_choice") in ("row", "both") or bool(table.get("first_row_is_table_header"))
