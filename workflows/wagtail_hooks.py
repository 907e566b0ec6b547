from django.utils.translation import gettext_lazy as _
from wagtail import hooks

# Each area registers its own admin hooks (menus, URLs, buttons, scoping).
from .hooks import board, notifications, planning, scoping, stories  # noqa: F401


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("hoitu.takedown", _("Take down"), _("Taken down"))
    actions.register_action("hoitu.correction", _("Correction"), _("Correction published"))
