"""What every newsletter mail shares: the unit's name as the sender, and
addresses on the unit's site."""

from email.headerregistry import Address
from email.utils import parseaddr

from django.conf import settings


def site_url(unit, path):
    return unit.site.root_url.rstrip("/") + path


def sender(unit):
    """From: the unit's name at the project's sending address."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if not address:
        return settings.DEFAULT_FROM_EMAIL
    username, _at, domain = address.rpartition("@")
    return str(Address(display_name=unit.name, username=username, domain=domain))
