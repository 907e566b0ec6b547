from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BackupRun(models.Model):
    """One run of `manage.py backup` (or of the daily task): what an
    inspector asks for, the last backup and whether it was verified."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        OK = "ok", _("succeeded")
        FAILED = "failed", _("failed")

    started_at = models.DateTimeField(_("started at"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    reason = models.TextField(_("reason of the failure"), blank=True)
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    size = models.BigIntegerField(_("size in bytes"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True, db_index=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verification_error = models.TextField(_("verification error"), blank=True)
    pruned_at = models.DateTimeField(_("deleted by retention at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("backup run")
        verbose_name_plural = _("backup runs")

    def __str__(self):
        return self.file_name or f"{self.started_at:%Y-%m-%d %H:%M}"
