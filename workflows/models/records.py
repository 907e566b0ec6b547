from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PublicationRecord(models.Model):
    """What readers and channels have been given of a story so far: lets a
    publication be told apart as first publication, update or correction."""

    page = models.OneToOneField("wagtailcore.Page", on_delete=models.CASCADE, related_name="publication_record")
    first_published_at = models.DateTimeField(default=timezone.now)
    last_event = models.CharField(max_length=16, blank=True)
    last_event_at = models.DateTimeField(null=True, blank=True)
    corrections_published = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("publication record")
        verbose_name_plural = _("publication records")


class Takedown(models.Model):
    """A story taken down (gỡ bài): its address answers 410 Gone with a
    short notice for as long as the takedown stands."""

    page = models.ForeignKey("wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="takedowns")
    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=1024, db_index=True, help_text="The story's path on its site when it was taken down.")
    title = models.CharField(_("title"), max_length=255)
    reason = models.TextField(_("reason"))
    taken_down_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    taken_down_at = models.DateTimeField(_("taken down"), default=timezone.now)
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)

    class Meta:
        verbose_name = _("takedown")
        verbose_name_plural = _("takedowns")
        ordering = ["-taken_down_at"]

    def __str__(self):
        return self.title

    @property
    def active(self):
        return self.lifted_at is None
