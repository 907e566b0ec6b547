"""Podcast RSS of a unit at /podcast.xml on the unit's own host: its live
podcast-format stories, each with the first audio of its body as the
enclosure, and the iTunes tags Apple Podcasts, Spotify and the other
directories read. Built on Django's syndication framework."""

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.models import Site

from assets.models import ArchiveRendition, Media
from assets.renditions import ready_picture
from newsroom.models import ArticleFormat, ArticlePage, Unit
from publishing.ninjs import story_uri

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
FEED_SIZE = 100
# Apple asks for square artwork of 1400 to 3000 pixels.
ARTWORK_SPEC = "fill-1400x1400-c75|format-jpeg"
CATEGORY = "News"


class PodcastFeedGenerator(Rss201rev2Feed):
    def rss_attributes(self):
        attrs = super().rss_attributes()
        attrs["xmlns:itunes"] = ITUNES_NS
        return attrs

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        feed = self.feed
        handler.addQuickElement("itunes:author", feed["itunes_author"])
        handler.addQuickElement("itunes:summary", feed["itunes_summary"])
        handler.addQuickElement("itunes:explicit", "false")
        handler.addQuickElement("itunes:type", "episodic")
        handler.startElement("itunes:owner", {})
        handler.addQuickElement("itunes:name", feed["itunes_author"])
        if feed.get("itunes_email"):
            handler.addQuickElement("itunes:email", feed["itunes_email"])
        handler.endElement("itunes:owner")
        handler.addQuickElement("itunes:category", "", {"text": CATEGORY})
        if feed.get("itunes_image"):
            handler.addQuickElement("itunes:image", "", {"href": feed["itunes_image"]})

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("itunes:author", item["itunes_author"])
        handler.addQuickElement("itunes:summary", item["itunes_summary"])
        handler.addQuickElement("itunes:explicit", "false")
        handler.addQuickElement("itunes:episodeType", "full")
        if item.get("itunes_duration"):
            handler.addQuickElement("itunes:duration", item["itunes_duration"])
        if item.get("itunes_image"):
            handler.addQuickElement("itunes:image", "", {"href": item["itunes_image"]})


class PodcastFeed(Feed):
    feed_type = PodcastFeedGenerator

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request):
        site = Site.find_for_request(request)
        unit = getattr(request, "unit", None) or (Unit.objects.filter(site=site).select_related("logo").first() if site else None)
        if site is None or unit is None:
            raise Http404
        self.unit = unit
        return unit

    # RSS readers take titles and descriptions as HTML: what the newsroom
    # typed is escaped to stay text. Apple reads the iTunes tags as text.
    def title(self, unit):
        return escape(_("%(unit)s – Podcast") % {"unit": unit.name})

    def link(self, unit):
        return unit.site.root_url + "/"

    def feed_url(self, unit):
        return self.request.build_absolute_uri()

    def description(self, unit):
        return escape(self.summary(unit))

    def summary(self, unit):
        return unit.tagline or _("Audio stories from %(unit)s") % {"unit": unit.name}

    def feed_copyright(self, unit):
        return f"© {timezone.now().year} {unit.name}"

    def feed_extra_kwargs(self, unit):
        return {
            "itunes_author": unit.name,
            "itunes_summary": self.summary(unit),
            "itunes_email": unit.email,
            "itunes_image": self._artwork(unit.logo) if unit.logo_id else "",
        }

    def items(self, unit):
        home = unit.site.root_page
        stories = list(
            ArticlePage.objects.descendant_of(home)
            .live()
            .public()
            .filter(format=ArticleFormat.PODCAST)
            .exclude(embargo_until__gt=timezone.now())
            .select_related("cover_image")
            .prefetch_related(Prefetch("cover_image__renditions", queryset=ArchiveRendition.objects.all()), "article_authors__author")
            .order_by("-first_published_at", "-pk")[:FEED_SIZE]
        )
        # The first audio of each body, all in one query (the stored block
        # holds the media id; loading the blocks would query per story).
        audio_ids = {story.pk: _first_audio_id(story) for story in stories}
        audio = Media.objects.in_bulk([pk for pk in audio_ids.values() if pk])
        episodes = []
        for story in stories:
            media = audio.get(audio_ids[story.pk])
            if media is not None and media.kind == Media.Kind.AUDIO:
                story.podcast_audio = media
                episodes.append(story)
        return episodes

    def item_title(self, story):
        return escape(story.title)

    def item_description(self, story):
        return escape(story.sapo)

    def item_link(self, story):
        return story.get_full_url(self.request)

    def item_guid(self, story):
        return story_uri(self.unit.slug, story.pk)

    item_guid_is_permalink = False

    def item_pubdate(self, story):
        return story.first_published_at

    def item_updateddate(self, story):
        return story.last_published_at

    def item_author_name(self, story):
        return ", ".join(link.author.name for link in story.article_authors.all()) or None

    def item_enclosures(self, story):
        # The loudness-normalised MP3 once the media worker made it.
        url, mime_type, size = story.podcast_audio.listening
        return [Enclosure(self._absolute(url), str(size or 0), mime_type)]

    def item_extra_kwargs(self, story):
        media = story.podcast_audio
        return {
            "itunes_author": self.item_author_name(story) or self.unit.name,
            "itunes_summary": story.sapo,
            "itunes_duration": _duration(media.duration),
            "itunes_image": self._artwork(story.cover_image) if story.cover_image_id else "",
        }

    def _artwork(self, image):
        try:
            picture = ready_picture(image, ARTWORK_SPEC, self.request)
            return self._absolute(picture.url) if picture else ""
        except Exception:  # a missing original must not take the feed down
            return ""

    def _absolute(self, url):
        return url if url.startswith("http") else self.request.build_absolute_uri(url)


def _first_audio_id(story):
    for block in story.body.raw_data:
        value = block.get("value")
        if block.get("type") == "audio" and isinstance(value, dict) and value.get("audio"):
            return value["audio"]
    return None


def _duration(seconds):
    if not seconds:
        return ""
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"


def podcast_feed(request):
    # A Feed keeps the request on itself: one per request.
    return PodcastFeed()(request)
