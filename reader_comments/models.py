"""A reader's comment on a story, the unit's switch and the readers a unit
has stopped. Nothing that names a reader is kept but the name they chose to
show: their network address only as a keyed hash (``reader_key``), enough
to count their comments and to stop them, not to find who they are."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CommentState(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ReaderComment(models.Model):
    unit = models.ForeignKey("newsroom.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    story = models.ForeignKey("newsroom.ArticlePage", verbose_name=_("story"), on_delete=models.CASCADE, related_name="reader_comments")
    name = models.CharField(_("reader's name"), max_length=60)
    text = models.TextField(_("comment"))
    state = models.CharField(_("state"), max_length=16, choices=CommentState.choices, default=CommentState.PENDING)
    # Why the queue shows it last, marked (many links, shouting), or why it
    # was refused without a moderator (the reader is stopped).
    flag = models.CharField(_("flag"), max_length=32, blank=True)
    reader_key = models.CharField(max_length=64, db_index=True, editable=False)
    posted_at = models.DateTimeField(_("posted"), default=timezone.now)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("moderated by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("reader comment")
        verbose_name_plural = _("reader comments")
        indexes = [
            models.Index(fields=["story", "state", "-posted_at"], name="reader_comment_story"),
            models.Index(fields=["unit", "state", "-posted_at"], name="reader_comment_queue"),
            models.Index(fields=["reader_key", "posted_at"], name="reader_comment_flood"),
        ]

    def __str__(self):
        return f"{self.name}: {self.text[:60]}"


class CommentPolicy(models.Model):
    """A unit's switch: comments are closed until the unit opens them."""

    unit = models.OneToOneField("newsroom.Unit", on_delete=models.CASCADE, primary_key=True, related_name="reader_comment_policy")
    open = models.BooleanField(_("readers may comment"), default=False)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("reader comment policy")


class StoppedReader(models.Model):
    """A reader the unit's moderators stopped (chặn): until ``until``, what
    they send is refused without reaching the queue."""

    unit = models.ForeignKey("newsroom.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    reader_key = models.CharField(max_length=64, editable=False)
    name = models.CharField(_("reader's name"), max_length=60, help_text=_("The name on the comment that got them stopped."))
    comment = models.ForeignKey(ReaderComment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    until = models.DateTimeField(_("stopped until"))
    stopped_at = models.DateTimeField(_("stopped"), default=timezone.now)
    stopped_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("stopped by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("stopped reader")
        constraints = [models.UniqueConstraint(fields=["unit", "reader_key"], name="reader_stopped_once_per_unit")]

    def __str__(self):
        return self.name
