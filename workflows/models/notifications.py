from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted for review")
    APPROVED = "approved", _("Approved")
    SENT_BACK = "sent_back", _("Sent back for changes")
    ASSIGNED = "assigned", _("Assigned")
    DEADLINE_NEAR = "deadline_near", _("Deadline near")
    OVERDUE = "overdue", _("Overdue")
    PUBLISHED = "published", _("Published")
    TAKEN_DOWN = "taken_down", _("Taken down")
    COMMENT = "comment", _("Comment")
    CANCELLED = "cancelled", _("Cancelled")
    CHANNEL_DISABLED = "channel_disabled", _("Channel disabled")
    DELIVERY_FAILED = "delivery_failed", _("Delivery failed")
    ACCOUNT_DISABLED = "account_disabled", _("Account disabled")
    RIGHTS = "rights", _("Archive rights")


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One notice to one person: listed in the admin with an unread count
    and e-mailed by a Celery task after the transaction that made it."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=16, choices=NotificationKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    unit = models.ForeignKey("newsroom.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    page = models.ForeignKey("wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    assignment = models.ForeignKey("workflows.Assignment", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    message = models.CharField(_("message"), max_length=500)
    comment = models.TextField(_("comment"), blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.message
