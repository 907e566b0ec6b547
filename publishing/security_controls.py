"""The level-3 controls the publishing layer enforces, for the evidence page
(registered from ``PublishingConfig.ready()``)."""

from django.conf import settings
from django.utils.translation import gettext as _

from workflows.controls import Control, register_controls

from .models import Channel


def publishing_controls():
    channels = Channel.objects.exclude(credentials_encrypted="")
    return [
        Control(
            "channel_credentials",
            _("Channel credentials encrypted at rest"),
            bool(settings.CHANNEL_CREDENTIALS_KEYS),
            _("%(count)s key(s) from CHANNEL_CREDENTIALS_KEYS, newest first (rotation)") % {"count": len(settings.CHANNEL_CREDENTIALS_KEYS)}
            if settings.CHANNEL_CREDENTIALS_KEYS
            else _("no key configured: a key derived from the secret key (development only)"),
            facts=[(_("channels with credentials"), channels.count())],
        ),
        Control(
            "channel_addresses",
            _("Channels never post to the host's own or private networks"),
            settings.PUBLISHING_REFUSE_PRIVATE_ADDRESSES,
            ", ".join(settings.PUBLISHING_ALLOWED_NETWORKS) or _("no exception"),
        ),
        Control(
            "content_api_limits",
            _("Content API limited per address and per partner"),
            True,
            _("%(address)s per address before the token, %(partner)s per partner")
            % {"address": settings.PUBLISHING_API_ADDRESS_RATE, "partner": settings.PUBLISHING_API_RATE},
        ),
    ]


def register():
    register_controls(publishing_controls)
