from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, not at the top: apps.py loads before any model.
        from . import checks, signal_handlers  # noqa: F401 (checks registers itself)

        signal_handlers.register_signal_handlers()
