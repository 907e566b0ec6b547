from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccountReview(models.Model):
    """A unit administrator's (or system administrator's) review of the
    unit's accounts: who has which role, who still signs in, who has a
    second factor. Level 3 asks for one every six months."""

    unit = models.ForeignKey("newsroom.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="account_reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), default=timezone.now, db_index=True)
    accounts = models.PositiveIntegerField(_("accounts reviewed"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("account review")
        verbose_name_plural = _("account reviews")
        ordering = ["-reviewed_at"]

    def __str__(self):
        return f"{self.unit} – {self.reviewed_at:%Y-%m-%d}"
