from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey

from newsroom import crypto

from ..adapters import registry


def channel_kind_choices():

    return registry.choices()


class Channel(models.Model):
    """One outlet of a unit on a platform: its Zalo OA, its Facebook page,
    a partner's WordPress site... Credentials are encrypted at rest and
    never shown back; everything else is plain configuration."""

    unit = models.ForeignKey("newsroom.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(_("platform"), max_length=32, choices=channel_kind_choices)
    name = models.CharField(_("name"), max_length=120)
    enabled = models.BooleanField(_("enabled"), default=True)
    auto_publish = models.BooleanField(
        _("publish every approved story"),
        default=True,
        help_text=_("When off, only stories selected for this channel in the story's Channels tab are sent."),
    )
    sections = models.ManyToManyField(
        "newsroom.SectionPage", verbose_name=_("sections"), blank=True, related_name="+",
        help_text=_("Only stories of these sections; none selected means every section."),
    )
    base_url = models.URLField(_("API address"), blank=True, help_text=_("Leave empty for the platform's own API."))
    config = models.JSONField(_("settings"), default=dict, blank=True)
    credentials_encrypted = models.TextField(editable=False, blank=True)
    rate_limit_per_minute = models.PositiveIntegerField(
        _("rate limit (posts per minute)"), default=30, help_text=_("0 means no limit of our own.")
    )
    # Health, kept by the delivery engine.
    auth_failures = models.PositiveSmallIntegerField(default=0, editable=False)
    disabled_reason = models.TextField(_("why it was disabled"), blank=True, editable=False)
    rate_limited_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["unit", "name"]
        indexes = [models.Index(fields=["unit", "enabled"])]

    def __str__(self):
        return self.name

    # Credentials: a dict in, a dict out; the column only ever holds ciphertext.
    @property
    def credentials(self):
        return crypto.decrypt(self.credentials_encrypted)

    @credentials.setter
    def credentials(self, value):
        self.credentials_encrypted = crypto.encrypt(value or {})

    @property
    def has_credentials(self):
        return bool(self.credentials_encrypted)

    def get_adapter(self):

        return registry.get(self.kind)(self)

    @property
    def adapter_class(self):

        return registry.get(self.kind)

    def is_rate_limited(self, now=None):
        return bool(self.rate_limited_until and self.rate_limited_until > (now or timezone.now()))


class ChannelCopy(models.Model):
    """Per-story, per-channel choices made in the story editor: whether the
    story goes to the channel and the headline, text and picture it goes
    with there. Saved with the story's revisions (a child of the page)."""

    class Include(models.TextChoices):
        DEFAULT = "default", _("As the channel decides")
        ALWAYS = "always", _("Send to this channel")
        NEVER = "never", _("Do not send to this channel")

    story = ParentalKey("newsroom.ArticlePage", on_delete=models.CASCADE, related_name="channel_copies")
    channel = models.ForeignKey(Channel, verbose_name=_("channel"), on_delete=models.CASCADE, related_name="+")
    include = models.CharField(_("send"), max_length=8, choices=Include.choices, default=Include.DEFAULT)
    headline = models.CharField(_("headline on this channel"), max_length=300, blank=True)
    text = models.TextField(_("text on this channel"), blank=True)
    image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL, verbose_name=_("picture on this channel"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("channel copy")
        verbose_name_plural = _("channel copies")

    def __str__(self):
        return f"{self.story_id} → {self.channel_id}"
