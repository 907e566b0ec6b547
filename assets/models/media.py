import os

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import CollectionMember
from wagtail.search import index

from .licensing import License

VIDEO_EXTENSIONS = ["mp4", "webm", "mov", "m4v"]
AUDIO_EXTENSIONS = ["mp3", "m4a", "aac", "ogg", "oga", "opus", "wav"]


class Media(CollectionMember, index.Indexed, models.Model):
    """A video or audio file in the shared archive.

    Duration and dimensions are stored so pages render without probing
    files; whoever adds the file fills them in (the demo from its own
    files; the archive's editors in the admin). Like images, an item sits
    in a collection, whose permissions say who may change it; everyone
    who writes stories may choose it.
    """

    class Kind(models.TextChoices):
        VIDEO = "video", _("Video")
        AUDIO = "audio", _("Audio")

    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    file = models.FileField(
        _("file"),
        upload_to="media/%Y/%m/",
        validators=[FileExtensionValidator(VIDEO_EXTENSIONS + AUDIO_EXTENSIONS)],
    )
    duration = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    poster = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name=_("poster image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    caption = models.TextField(_("caption"), blank=True)
    credit = models.CharField(_("credit"), max_length=255, blank=True)
    license = models.CharField(_("license"), max_length=32, choices=License.choices, default=License.ALL_RIGHTS_RESERVED)
    transcript = models.TextField(_("transcript"), blank=True, help_text=_("Text of the audio, for readers who cannot listen and for search."))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("caption"),
        index.SearchField("credit"),
        index.AutocompleteField("title"),
        index.FilterField("kind"),
    ]

    class Meta:
        verbose_name = _("video or audio")
        verbose_name_plural = _("video and audio")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def filename(self):
        return os.path.basename(self.file.name)

    @property
    def mime_type(self):
        ext = os.path.splitext(self.file.name)[1].lower().lstrip(".")
        if self.kind == self.Kind.VIDEO:
            return {"webm": "video/webm", "mov": "video/quicktime"}.get(ext, "video/mp4")
        return {"mp3": "audio/mpeg", "m4a": "audio/mp4", "aac": "audio/aac", "wav": "audio/wav", "opus": "audio/ogg"}.get(
            ext, "audio/ogg" if ext in {"ogg", "oga"} else "audio/mpeg"
        )

    @property
    def duration_display(self):
        if not self.duration:
            return ""
        minutes, seconds = divmod(int(round(self.duration)), 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"

    @property
    def iso_duration(self):
        return f"PT{int(round(self.duration))}S" if self.duration else ""
