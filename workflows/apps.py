from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Editorial workflow")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, not at the top: apps.py loads before any model.
        from assets.usage import register_usage_source
        from newsroom.middleware import allow_before_password_change

        from . import archive_uses, audit_units, landing, permissions, personal_data, security_controls, signal_handlers

        signal_handlers.register_signal_handlers()
        permissions.register_permission_testers()
        audit_units.register()
        landing.register()
        security_controls.register()
        personal_data.register()
        register_usage_source(archive_uses.story_uses)
        allow_before_password_change("workflows_two_factor:enrol", "workflows_two_factor:verify")
