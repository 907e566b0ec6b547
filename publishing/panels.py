"""The story editor's "Channels" tab: per-channel choices and copy."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, InlinePanel


def channel_panels():
    return [
        InlinePanel(
            "channel_copies",
            heading=_("Channels"),
            label=_("Channel"),
            panels=[FieldPanel("channel"), FieldPanel("include"), FieldPanel("headline"), FieldPanel("text"), FieldPanel("image")],
        )
    ]
