from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "assets"
    verbose_name = _("Media archive")

    def ready(self):
        from . import signal_handlers  # noqa: F401
