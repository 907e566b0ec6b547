"""RSS 2.0 and Atom feeds of a unit or a section, with the cover image as
Media RSS (media:content), built on Django's syndication framework."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from assets.renditions import absolute_url, rendition_for

FEED_SIZE = 50
MEDIA_NS = "http://search.yahoo.com/mrss/"


class _MediaMixin:
    def root_attributes(self):
        attrs = super().root_attributes()
        attrs["xmlns:media"] = MEDIA_NS
        return attrs

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        media = item.get("media")
        if media:
            handler.addQuickElement(
                "media:content",
                "",
                {"url": media["url"], "medium": "image", "type": "image/jpeg", "width": str(media["width"]), "height": str(media["height"])},
            )
            if media.get("credit"):
                handler.addQuickElement("media:credit", media["credit"])


class MediaRssFeed(_MediaMixin, Rss201rev2Feed):
    pass


class MediaAtomFeed(_MediaMixin, Atom1Feed):
    pass


class ArticleRssFeed(Feed):
    feed_type = MediaRssFeed

    def as_feed_text(self, text):
        """RSS readers take titles and descriptions as HTML; the newsroom
        types plain text, so markup typed into it is escaped to stay text."""
        return escape(text)

    def __init__(self, scope):
        super().__init__()
        self.scope = scope  # a HomePage or a SectionPage

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return self.scope

    def _unit(self):
        return getattr(self.request, "unit", None)

    def title(self, scope):
        unit = self._unit()
        unit_name = unit.name if unit else scope.get_site().site_name
        return self.as_feed_text(unit_name if scope.specific_class.__name__ == "HomePage" else f"{scope.title} – {unit_name}")

    def link(self, scope):
        return scope.get_url(self.request)

    def feed_url(self, scope):
        return self.request.build_absolute_uri()

    def subtitle(self, scope):
        """Plain text: Atom's <subtitle> is text by default."""
        unit = self._unit()
        return getattr(scope, "intro", "") or (unit.tagline if unit and unit.tagline else _("Latest stories"))

    def description(self, scope):
        return self.as_feed_text(self.subtitle(scope))

    def author_name(self, scope):
        # Atom requires an author for every entry; the unit stands in for
        # stories without a byline.
        unit = self._unit()
        return unit.name if unit else scope.get_site().site_name

    def items(self, scope):
        return list(scope.articles().prefetch_related("article_authors__author")[:FEED_SIZE])

    def item_title(self, item):
        return self.as_feed_text(item.title)

    def item_description(self, item):
        # Atom's <summary type="html"> is HTML too.
        return escape(item.sapo)

    def item_link(self, item):
        return item.get_url(self.request)

    def item_guid(self, item):
        return item.get_full_url(self.request)

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        return ", ".join(link.author.name for link in item.article_authors.all()) or None

    def item_extra_kwargs(self, item):
        if not item.cover_image:
            return {}
        picture = rendition_for(item.cover_image, "social", self.request)
        if picture is None:  # being made, and its original too large to send meanwhile
            return {}
        return {
            "media": {
                "url": absolute_url(self.request, picture),
                "width": picture.width,
                "height": picture.height,
                "credit": item.cover_image.credit,
            }
        }


class ArticleAtomFeed(ArticleRssFeed):
    feed_type = MediaAtomFeed

    def as_feed_text(self, text):
        return text  # Atom's titles are text
