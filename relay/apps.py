from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelayConfig(AppConfig):
    """The task outbox. It knows Celery and nothing of the newsroom, so it
    stands below every app that queues work."""

    name = "relay"
    verbose_name = _("Task outbox")
    default_auto_field = "django.db.models.BigAutoField"
