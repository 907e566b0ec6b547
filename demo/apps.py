from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo newsroom and the tools of a development machine (seed_demo,
    runstack, the fake platforms). Installed by the development and test
    settings only: production has none of it."""

    name = "demo"
    verbose_name = _("Demo")
