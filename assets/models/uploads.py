import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ResumableUpload(models.Model):
    """A file coming in over tus (assets.tus) from a reporter's browser or
    app: its bytes so far in a file of its own on the web host, then, once
    complete, an archive item made from it by the media worker."""

    class State(models.TextChoices):
        RECEIVING = "receiving", _("Receiving")
        COMPLETE = "complete", _("Received, waiting to be added")
        ADDED = "added", _("Added to the archive")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("file name"), max_length=255)
    length = models.BigIntegerField(_("size"))
    offset = models.BigIntegerField(_("received"), default=0)
    # What the client said (tus Upload-Metadata): title, filetype, …
    metadata = models.JSONField(default=dict, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.RECEIVING)
    failure = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    image = models.ForeignKey("assets.ArchiveImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    media = models.ForeignKey("assets.Media", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["state", "expires_at"], name="upload_expiry")]

    def __str__(self):
        return self.filename

    @property
    def part_path(self):
        return settings.RESUMABLE_UPLOAD_DIR / f"{self.pk}.part"
