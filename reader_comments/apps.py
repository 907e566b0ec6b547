from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReaderCommentsConfig(AppConfig):
    name = "reader_comments"
    verbose_name = _("Reader comments")
