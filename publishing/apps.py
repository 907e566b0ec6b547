from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = _("Publishing")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, not at the top: apps.py loads before any model.
        from . import security_controls, signal_handlers
        from .newsletters import personal_data

        signal_handlers.register_signal_handlers()
        security_controls.register()
        personal_data.register()
