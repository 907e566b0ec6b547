from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self):
        # Imported here, not at the top: apps.py loads before any model.
        from . import compare, signal_handlers

        signal_handlers.register_signal_handlers()
        compare.register()
