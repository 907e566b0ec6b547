"""A retention shorter than the law's year is raised to a year; outside
production (whose settings refuse to start) the system checks say so."""

from django.conf import settings
from django.core.checks import Warning, register

from .chain import RETENTION_MINIMUM_DAYS


@register()
def retention_check(app_configs, **kwargs):
    if settings.AUDIT_RETENTION_DAYS >= RETENTION_MINIMUM_DAYS:
        return []
    return [
        Warning(
            f"AUDIT_RETENTION_DAYS is {settings.AUDIT_RETENTION_DAYS}; the audit trail keeps {RETENTION_MINIMUM_DAYS} days anyway.",
            id="audit.W001",
        )
    ]
