from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = _("Publishing")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, not at the top: apps.py loads before any model.
        from assets.renditions import register_crop
        from assets.usage import register_usage_source
        from workflows.landing import register_landing
        from workflows.models import Role

        from . import archive_uses, security_controls, signal_handlers
        from .adapters.newsletter import THUMBNAIL_SPEC
        from .newsletters import personal_data
        from .views.dashboard import dashboard_url
        from .views.podcast import ARTWORK_SPEC

        signal_handlers.register_signal_handlers()
        security_controls.register()
        personal_data.register()
        register_usage_source(archive_uses.delivery_uses)
        # The distribution editor starts the day on the deliveries.
        register_landing(30, [Role.DISTRIBUTION], lambda user, unit: dashboard_url(unit))
        # Where this app sends pictures, cropped as the editor will see them.
        register_crop(_("Podcast artwork (square, 1400 px)"), ARTWORK_SPEC)
        register_crop(_("Newsletter picture"), THUMBNAIL_SPEC)
