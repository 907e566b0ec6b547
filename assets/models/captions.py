import unicodedata

from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.models import Orderable

from .media import Media

# A language tag as <track srclang> takes it (BCP 47): "vi", "en", "zh-Hans".
LANGUAGE_TAG = RegexValidator(
    r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", _("Write the language as a code such as “vi”, “en” or “km”."), code="language"
)


class CaptionTrack(Orderable):
    """The captions of a video or audio item in one language: a WebVTT file
    (SubRip is turned into WebVTT as it is uploaded: assets.captions). Its
    file is served as its item's (hoitu.views.serve_media)."""

    media = ParentalKey(Media, verbose_name=_("video or audio"), related_name="caption_tracks", on_delete=models.CASCADE)
    language = models.CharField(
        _("language"), max_length=16, default="vi", validators=[LANGUAGE_TAG],
        help_text=_("The language code of the captions: “vi” for Vietnamese, “en” for English."),
    )  # fmt: skip
    label = models.CharField(
        _("label"), max_length=64, blank=True, help_text=_("What the player's menu shows, such as “Tiếng Việt”; the language's own name when left blank.")
    )
    file = models.FileField(
        _("caption file"), upload_to="captions/%Y/%m/", validators=[FileExtensionValidator(["vtt"])],
        help_text=_("WebVTT (.vtt) or SubRip (.srt), up to 2 MB."),
    )  # fmt: skip

    class Meta(Orderable.Meta):
        verbose_name = _("captions")
        verbose_name_plural = _("captions")
        constraints = [models.UniqueConstraint(fields=["media", "language"], name="one_caption_track_per_language")]

    def __str__(self):
        return f"{self.media_id}:{self.language}"

    @property
    def display_label(self):
        if self.label:
            return self.label
        try:
            # Django writes some names decomposed ("Tiếng Việt" with combining marks).
            return unicodedata.normalize("NFC", get_language_info(self.language)["name_local"])
        except KeyError:
            return self.language
