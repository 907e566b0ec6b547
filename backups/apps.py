from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupsConfig(AppConfig):
    """Backups of the whole installation: the database and the media files,
    encrypted, with a record of each run. It reads tables by name and files
    by path, never a content model, so it stands below every other app."""

    name = "backups"
    verbose_name = _("Backups")
