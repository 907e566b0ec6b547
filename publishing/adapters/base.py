"""What every platform adapter shares: rendering a story into a ``Post``,
HTTP with the error mapping the delivery engine relies on, and the
create / update / delete / lookup contract."""

import logging
import re
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from assets.renditions import SPECS, existing_rendition

from .. import ninjs
from .addresses import GuardedSession
from .errors import (
    AuthFailed,
    ClaimLost,
    OutcomeUnknown,
    Permanent,
    RateLimited,
    Refused,
    RemoteGone,
    Temporary,
    error_for_status,
)

logger = logging.getLogger(__name__)


@dataclass
class Post:
    """A story as one platform will show it, overrides applied."""

    story: object
    headline: str
    text: str
    url: str
    image: object = None  # ArchiveImage or None
    image_url: str = ""
    video: object = None  # assets.Media or None
    tags: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)


@dataclass
class RemoteRef:
    """Where the post lives on the platform."""

    id: str
    url: str = ""
    data: dict = field(default_factory=dict)


@dataclass
class Limit:
    """A platform's limit on one field, for the editor's counters and for
    ``check``: ``max`` characters (an adapter that counts differently, as X
    does, says so with its own ``count``)."""

    field: str
    max: int
    label: str = ""
    required: bool = False


class Adapter:
    kind = ""
    label = ""
    default_base_url = ""
    # (name, label) of the secrets the channel needs, and of plain settings.
    credential_fields = ()
    # Secrets the channel may go without (those that renew the token).
    optional_credentials = ()
    config_fields = ()
    # Updates in place; otherwise an update replaces the post (delete +
    # create) when the channel allows it (config "replace_on_update").
    can_edit = True
    # Can find a post it may have created without an answer (``lookup``).
    can_lookup = False
    # Collected into a scheduled digest instead of sent one by one.
    batched = False
    # How long a worker may hold a delivery, when one request to the
    # platform can take longer than PUBLISHING_LEASE_SECONDS: past it,
    # another worker takes over the delivery. Long operations made of many
    # requests (a chunked upload) call ``keep_claim`` between them instead.
    lease_seconds = 0
    limits = ()

    def __init__(self, channel):
        self.channel = channel
        self.base_url = (channel.base_url or self.default_base_url).rstrip("/")
        self.config = channel.config or {}
        self._credentials = None
        # Set by the engine for the delivery being sent: extends the
        # worker's claim, and answers False once another worker has it.
        self.keep_claim = lambda: True
        # A create made of several requests (Zalo: create, then verify)
        # calls ``remember(**what)`` as soon as the platform has acted, so
        # that what it learnt is stored before the next request; a later
        # attempt finds it in ``pending`` (its ``lookup`` starts there).
        self.remember = lambda **what: True
        self.pending = {}
        # The same for every attempt of one create: sent to platforms that
        # take an idempotency key.
        self.idempotency_key = ""
        # Requests that changed something, answered as done (the engine
        # tells from it whether a failed create left something behind).
        self.writes_done = 0
        self.session = GuardedSession()
        self.session.headers["User-Agent"] = "HoiTu/1.0 (+https://github.com/hoitu)"

    @property
    def credentials(self):
        if self._credentials is None:
            self._credentials = self.channel.credentials
        return self._credentials

    def redact(self, text):
        """``text`` with the channel's secrets masked: error messages end up
        in logs and on the dashboard, and some platforms put tokens in URLs
        (Telegram's /bot<token>/) or echo them back."""
        text = str(text)
        for secret in _secret_values(self.credentials):
            text = text.replace(secret, "•••")
        return text

    # --- rendering ------------------------------------------------------
    def render(self, story, copy=None):
        """The story as this platform gets it, with the story's per-channel
        overrides (``copy``, a ChannelCopy or None)."""
        image = (copy.image if copy and copy.image_id else None) or story.social_image
        if copy and copy.headline:
            headline = copy.headline  # the editor's own words for this channel
        elif story.is_breaking():
            headline = _("BREAKING") + f": {story.social_title}"  # _() outside the f-string, where makemessages reads it
        else:
            headline = story.social_title
        return Post(
            story=story,
            headline=headline.strip(),
            text=(copy.text if copy and copy.text else story.social_description).strip(),
            url=story_url(story),
            image=image,
            image_url=image_url(story, image) if image else "",
            video=story_video(story),
            tags=list(memo(story, "tags", lambda: [tag.name for tag in story.tags.all()])),
        )

    def check(self, post):
        """Why this post cannot go to the platform (a message for editors), or
        None. Runs before anything is sent."""
        for limit in self.limits:
            value = getattr(post, limit.field, "")
            if limit.required and not value:
                return _("%(field)s is required on %(platform)s.") % {"field": limit.label or limit.field, "platform": self.label}
        return None

    def prepare(self, post):
        """Fit the post to the platform's limits (shorten text, count URLs);
        called after ``check``."""
        return post

    # --- the platform ---------------------------------------------------
    def create(self, post) -> RemoteRef:
        raise NotImplementedError

    def update(self, ref: RemoteRef, post) -> RemoteRef:
        raise NotImplementedError

    def delete(self, ref: RemoteRef) -> None:
        raise NotImplementedError

    def lookup(self, post):
        """The post the platform holds for this story, or None when it holds
        none (certainly: an answer the platform gave, never a guess from an
        error). Only for ``can_lookup`` adapters; what an unfinished create
        remembered is in ``self.pending``."""
        raise NotImplementedError

    def ref_from_address(self, text):
        """The post a person found on the platform, from its address or its
        id as they pasted it (``RemoteRef``), or None when the platform's id
        cannot be read from it without asking the platform (nothing is
        asked here: this runs inside a person's request)."""
        return None

    # --- expiring access tokens -------------------------------------------
    def renewed_credentials(self, credentials):
        """New tokens from the platform (OAuth 2.0 refresh), or None when
        the platform or the channel cannot renew them. Raises AuthFailed
        when the platform refuses the refresh token."""
        return None

    def renewing(self, call):
        """``call()``; when the platform refuses the access token, renew it
        once (if the channel can) and call again. Tokens of X last two
        hours, Zalo's a day: without this a channel stops by itself."""
        try:
            return call()
        except AuthFailed:
            fresh = self.renew_credentials()
            if fresh is None:
                raise
            self._credentials = fresh
            return call()

    def renew_credentials(self):
        """Renew the channel's expired access token, once for all workers:
        the channel's row is locked while the platform is asked, and a
        worker that finds the token already renewed by another uses it
        (refresh tokens are single-use on X and Zalo: asking twice would
        lose the channel). Returns the credentials to use, or None when
        they cannot be renewed."""
        used = self.credentials
        if not used.get("refresh_token"):
            return None
        with transaction.atomic():
            channel = type(self.channel).objects.select_for_update().get(pk=self.channel.pk)
            current = channel.credentials
            if current.get("access_token") != used.get("access_token"):
                fresh = current
            else:
                renewed = self.renewed_credentials(current)
                if renewed is None:
                    return None
                fresh = {**current, **renewed}
                channel.credentials = fresh
                type(channel).objects.filter(pk=channel.pk).update(credentials_encrypted=channel.credentials_encrypted)
                logger.info("channel %s (%s): access token renewed", channel.pk, channel.kind)
        self.channel.credentials_encrypted = channel.credentials_encrypted
        return fresh

    # --- HTTP -----------------------------------------------------------
    def request(self, method, path, *, expect_json=True, **kwargs):
        """Send a request and map failures to the engine's errors. ``path``
        may be a full URL (an upload address the platform gave us)."""
        url = path if path.startswith("http") else f"{self.base_url}{path}"
        kwargs.setdefault("timeout", settings.PUBLISHING_HTTP_TIMEOUT)
        try:
            response = self.session.request(method, url, **kwargs)
        except requests.exceptions.ConnectTimeout as error:
            raise Temporary(_("The platform did not accept the connection: %s") % _short(error)) from None
        except requests.exceptions.ReadTimeout:
            raise OutcomeUnknown(_("The platform did not answer in time.")) from None
        except requests.exceptions.ConnectionError as error:
            if _never_sent(error):
                raise Temporary(_("The platform cannot be reached: %s") % _short(error)) from None
            raise OutcomeUnknown(_("The connection dropped before the platform answered.")) from None
        except requests.exceptions.RequestException as error:
            raise OutcomeUnknown(_short(error)) from None
        self.raise_for_response(response)
        if method.upper() != "GET":
            self.writes_done += 1
        if not expect_json:
            return response
        try:
            return response.json() if response.content else {}
        except ValueError:
            raise Temporary(_("The platform answered with something that is not JSON (HTTP %s).") % response.status_code, response.status_code) from None

    def raise_for_response(self, response):
        """Raise the error an answer of 400 or above means (``error_for_status``).
        An adapter whose platform says more in its error bodies (Facebook's
        codes, Zalo's errors under HTTP 200, YouTube's reasons) reads that
        first and leaves the rest to the same mapping."""
        if response.status_code >= 400:
            raise error_for_status(response.status_code, self.error_message(response), retry_after_seconds(response))

    def error_message(self, response):
        try:
            body = response.json()
        except ValueError:
            return f"HTTP {response.status_code}: {strip_tags(response.text)[:300]}"
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict):
            return f"HTTP {response.status_code}: {error.get('message') or error}"
        for key in ("message", "description", "detail", "error_description", "error"):
            if isinstance(body, dict) and body.get(key):
                return f"HTTP {response.status_code}: {body[key]}"
        return f"HTTP {response.status_code}: {str(body)[:300]}"


def retry_after_seconds(response):
    value = response.headers.get("Retry-After", "").strip()
    if value.isdigit():
        return int(value)
    if value:
        try:
            return max(0, int((parsedate_to_datetime(value) - timezone.now()).total_seconds()))
        except (TypeError, ValueError):
            return None
    return None


def _never_sent(error):
    text = repr(error)
    return any(marker in text for marker in ("NewConnectionError", "Connection refused", "Name or service not known", "NameResolutionError"))


def _short(error):
    # requests puts the whole URL in its messages ("... with url: /bot<token>/...").
    text = re.sub(r"with url: \S+", "with url: …", str(error))
    return re.sub(r"\s+", " ", text)[:300]


def _secret_values(credentials):
    values = credentials.values() if isinstance(credentials, dict) else credentials if isinstance(credentials, (list, tuple)) else [credentials]
    for value in values:
        if isinstance(value, (dict, list, tuple)):
            yield from _secret_values(value)
        elif value is not None and len(str(value)) >= 4:
            yield str(value)


def memo(story, key, make):
    """``make()``, once per story for all the channels it is rendered for:
    the engine gives the story it sends a ``publishing_memo`` (a dict that
    lives as long as the message); without one, ``make()`` every time."""
    kept = getattr(story, "publishing_memo", None)
    if kept is None:
        return make()
    if key not in kept:
        kept[key] = make()
    return kept[key]


def ninjs_builder(story):
    """What the story's ninjs is made of, loaded once for every partner
    channel it goes to (webhooks, WordPress)."""
    return memo(story, "ninjs_builder", lambda: ninjs.NinjsBuilder([story]))


def story_url(story):
    return memo(story, "url", lambda: story.get_full_url() or "")


def image_url(story, image):
    """An absolute URL of the picture as platforms want it (one JPEG,
    1200×630)."""
    return memo(story, ("image_url", image.pk), lambda: _image_url(story, image))


def social_rendition(story, image):
    """The picture as platforms take it (one JPEG, 1200×630), looked up once
    per story for every channel that shows or uploads it."""
    return memo(story, ("social_rendition", image.pk), lambda: existing_rendition(image, SPECS["social"]))


def _image_url(story, image):
    try:
        rendition = social_rendition(story, image)
    except OSError:  # Wagtail's SourceImageIOError included
        # The archive lost the original: send without the picture (an
        # adapter that requires one refuses the post with its reason).
        logger.warning("image %s: original file missing, no picture sent", image.pk)
        return ""
    url = rendition.url
    if url.startswith("http"):
        return url
    # The story's site from Wagtail's cached site list (get_site() asks the database).
    parts = story.get_url_parts()
    return ((parts and parts[1]) or settings.WAGTAILADMIN_BASE_URL.rstrip("/")) + url


def story_video(story):
    """The story's first video from the archive, if its body has one."""
    for block in story.body:
        if block.block_type == "video" and block.value.get("video"):
            return block.value["video"]
    return None


def plain_text(html):
    return re.sub(r"\s+", " ", strip_tags(html or "")).strip()


def shorten(text, limit, ellipsis="…"):
    """Cut at a word boundary so the result, ellipsis included, fits."""
    text = (text or "").strip()
    if len(text) <= limit:
        return text
    cut = text[: max(0, limit - len(ellipsis))]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:.–-") + ellipsis


__all__ = [
    "Adapter",
    "AuthFailed",
    "ClaimLost",
    "Limit",
    "OutcomeUnknown",
    "Permanent",
    "Post",
    "RateLimited",
    "Refused",
    "RemoteGone",
    "RemoteRef",
    "Temporary",
    "error_for_status",
    "memo",
    "ninjs_builder",
    "plain_text",
    "shorten",
]
