"""The audit trail's rows. A row is written once, by ``audit.chain``, and
never changed: each carries the hash of the row before it, so a row changed
or removed behind the application's back breaks the chain
(``manage.py verify_audit_trail``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditTrailIsAppendOnly(Exception):
    pass


class AuditEventQuerySet(models.QuerySet):
    def delete(self):
        raise AuditTrailIsAppendOnly("Audit events are never deleted; only the retention prune removes old ones.")

    def update(self, **kwargs):
        # Deleting an account sets its events' actor to NULL (the username
        # stays, and it is what the hash covers); nothing else is changed.
        if kwargs != {"actor": None}:
            raise AuditTrailIsAppendOnly("Audit events are never changed.")
        return super().update(**kwargs)

    def bulk_create(self, *args, **kwargs):
        raise AuditTrailIsAppendOnly("Audit events are appended one by one, through audit.record.")

    def bulk_update(self, *args, **kwargs):
        raise AuditTrailIsAppendOnly("Audit events are never changed.")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("account")
    )
    # Kept when the account is deleted; a failed sign-in's attempted name.
    actor_username = models.CharField(_("account"), max_length=150, blank=True, db_index=True)
    # The unit is above this app (newsroom.Unit): its id and slug as they
    # were, filled by the resolver workflows registers (audit.registry).
    unit_id = models.BigIntegerField(_("unit id"), null=True, blank=True, db_index=True)
    unit_slug = models.CharField(_("unit"), max_length=100, blank=True)
    source_address = models.GenericIPAddressField(_("source address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=255, blank=True)
    object_label = models.CharField(_("object"), max_length=255, blank=True)
    extra = models.JSONField(_("details"), default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-id"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_username or '-'} {self.action} {self.object_label}".strip()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditTrailIsAppendOnly("Audit events are never changed.")
        if not getattr(self, "_sealed", False):
            raise AuditTrailIsAppendOnly("Audit events are appended through audit.record, which chains them.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailIsAppendOnly("Audit events are never deleted; only the retention prune removes old ones.")


class AuditAnchor(models.Model):
    """One row: the lock every writer of the chain takes, and where the
    chain starts once the retention prune has removed its oldest rows (the
    hash of the last row removed)."""

    start_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    pruned_through_id = models.BigIntegerField(null=True, blank=True)
    pruned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        default_permissions = ()
