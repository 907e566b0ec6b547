"""E-mail newsletter: a digest of a unit's new stories, sent on a schedule
to its confirmed subscribers through Django's e-mail settings.

The adapter is ``batched``: the delivery engine never sends its deliveries
one by one (``engine.worker.claim_delivery`` skips them, so do the
sweeper and the workers); they wait, pending, until
``publishing.newsletters.digests`` puts them in a digest.
``create``/``update``/``delete`` are therefore never
called for a single story, and there is nothing to update or delete later:
an e-mail cannot be edited or recalled once sent. A story taken down after
its digest went out keeps its "delivered" delivery and disappears from the
issue's web page."""

import logging
import re
from datetime import time

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assets.renditions import existing_rendition

from .base import Adapter, Limit, Permanent, Post, shorten

logger = logging.getLogger(__name__)

DEFAULT_SEND_TIMES = ("06:00", "17:00")
DEFAULT_MAX_STORIES = 10
MAX_STORIES_LIMIT = 50
TEXT_LIMIT = 400
# A thumbnail as e-mail clients show it (one JPEG; many clients have no WebP).
THUMBNAIL_SPEC = "fill-600x338-c75|format-jpeg"

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_send_times(value):
    """Times of day from a list or from text ("06:00, 17:00"), sorted and
    without repeats. Raises ValueError with a message for editors: a typo
    must not silently move the newsletter."""
    if value in (None, "", []):
        value = DEFAULT_SEND_TIMES
    if isinstance(value, str):
        value = [part for part in re.split(r"[,;\s]+", value) if part]
    if not isinstance(value, (list, tuple)):
        raise ValueError(_("The send times must be a list of HH:MM times."))
    times = set()
    for item in value:
        match = _TIME.match(str(item).strip())
        if not match:
            raise ValueError(_("“%(value)s” is not a time of day: write send times as HH:MM, e.g. 06:00, 17:00.") % {"value": item})
        times.add(time(int(match.group(1)), int(match.group(2))))
    return sorted(times)


class SendTimesField(forms.CharField):
    """The channel form's send times: typed as text, stored as a list of
    "HH:MM"."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, (list, tuple)) else value

    def clean(self, value):
        value = super().clean(value)
        try:
            return [at.strftime("%H:%M") for at in parse_send_times(value)]
        except ValueError as error:
            raise ValidationError(str(error)) from None


class NewsletterAdapter(Adapter):
    kind = "newsletter"
    label = _("E-mail newsletter")
    batched = True
    # An e-mail cannot be changed once sent.
    can_edit = False
    credential_fields = ()
    config_fields = (
        (
            "send_times",
            _("Send times"),
            SendTimesField(required=False, max_length=200, help_text=_("Times of day in Vietnam time, HH:MM, comma-separated. Empty: 06:00, 17:00.")),
        ),
        (
            "max_stories",
            _("Stories per issue"),
            forms.IntegerField(required=False, min_value=1, max_value=MAX_STORIES_LIMIT, help_text=_("The newest stories go in; empty: 10.")),
        ),
        (
            "subject_prefix",
            _("Subject prefix"),
            forms.CharField(required=False, max_length=80, help_text=_("Begins every issue's subject; empty: the unit's name.")),
        ),
    )
    limits = (Limit("headline", 300, _("Headline"), required=True), Limit("text", TEXT_LIMIT, _("Summary")))

    # --- schedule -------------------------------------------------------
    def send_times(self):
        return parse_send_times(self.config.get("send_times"))

    def max_stories(self):
        try:
            value = int(self.config.get("max_stories") or DEFAULT_MAX_STORIES)
        except (TypeError, ValueError):
            value = DEFAULT_MAX_STORIES
        return max(1, min(value, MAX_STORIES_LIMIT))

    def subject_prefix(self):
        return (self.config.get("subject_prefix") or "").strip() or self.channel.unit.name

    # --- rendering ------------------------------------------------------
    def render(self, story, copy=None):
        """The story as an item of the digest: the channel's headline, text
        and picture overrides apply; the picture is a small JPEG."""
        image = (copy.image if copy and copy.image_id else None) or story.cover_image or story.social_image
        return Post(
            story=story,
            headline=(copy.headline if copy and copy.headline else story.title).strip(),
            text=(copy.text if copy and copy.text else story.sapo).strip(),
            url=story.get_full_url() or "",
            image=image,
            image_url=thumbnail_url(story, image) if image else "",
            extra={"kicker": story.kicker},
        )

    def check(self, post):
        if not post.url:
            return _("The story has no address on a site, so the newsletter cannot link to it.")
        return super().check(post)

    def prepare(self, post):
        post.text = shorten(post.text, TEXT_LIMIT)
        return post

    # --- the platform: not used one story at a time (see the module) ---
    def create(self, post):
        raise Permanent(_("Newsletter stories are sent in the scheduled digest, not one by one."))

    def update(self, ref, post):
        raise Permanent(_("An e-mail cannot be changed once sent."))

    def delete(self, ref):
        raise Permanent(_("An e-mail cannot be recalled once sent."))


def thumbnail_url(story, image):
    """An absolute URL: e-mail clients have no page to resolve a path
    against."""
    try:
        url = existing_rendition(image, THUMBNAIL_SPEC).url
    except OSError:  # Wagtail's SourceImageIOError among them
        # A lost original must not stop the newsletter: the story goes without its picture.
        logger.warning("newsletter: no thumbnail for image %s", image.pk)
        return ""
    if url.startswith("http"):
        return url
    site = story.get_site()
    return (site.root_url if site else settings.WAGTAILADMIN_BASE_URL.rstrip("/")) + url
