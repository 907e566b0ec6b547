from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class QueuedTask(models.Model):
    """One Celery task a request asked for, kept until the broker took it
    (``relay.outbox``)."""

    task = models.CharField(_("background task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    # Empty: the task's own route (CELERY_TASK_ROUTES).
    queue = models.CharField(_("queue"), max_length=100, blank=True)
    not_before = models.DateTimeField(_("not before"), default=timezone.now)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("handed to the broker at"), null=True, blank=True, db_index=True)
    tries = models.PositiveIntegerField(_("tries"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("queued task")
        verbose_name_plural = _("queued tasks")
        # What beat relays: the few rows still waiting for the broker.
        indexes = [models.Index(fields=["created_at"], condition=Q(sent_at__isnull=True), name="relay_unsent")]

    def __str__(self):
        return f"{self.task}{tuple(self.args)}"
