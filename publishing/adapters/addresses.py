"""Where the worker may send a channel's posts and credentials.

With PUBLISHING_REFUSE_PRIVATE_ADDRESSES on (production's default) every
request an adapter sends, each redirect included, must go to a public
Internet address: loopback, private ranges, link-local (the cloud metadata
service at 169.254.169.254), shared and reserved ranges are refused, unless
the installation lists the network in PUBLISHING_ALLOWED_NETWORKS (a
self-hosted WordPress inside the agency, say). The name is resolved here and
again when connecting, so a name that changes its answer in between is not
caught: the allow-list stays small and the proxy's egress rules are the
second fence."""

import functools
import ipaddress
import os
import socket
import urllib.request
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from .errors import ClaimLost, Permanent, Temporary


class AddressRefused(Permanent):
    """The channel's address is inside a network the worker does not send to."""


def _allowed_networks():
    return [ipaddress.ip_network(network, strict=False) for network in settings.PUBLISHING_ALLOWED_NETWORKS]


def check_url(url):
    """Raise AddressRefused when ``url`` leads to a non-public address."""
    if not settings.PUBLISHING_REFUSE_PRIVATE_ADDRESSES:
        return
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AddressRefused(_("The channel's address is not a web address: %(url)s") % {"url": url})
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        answers = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except ValueError:
        raise AddressRefused(_("The channel's address has a bad port: %(url)s") % {"url": url}) from None
    except OSError as error:
        raise Temporary(_("The name %(host)s cannot be resolved: %(error)s") % {"host": parts.hostname, "error": error}) from None
    allowed = _allowed_networks()
    for *_rest, sockaddr in answers:
        address = ipaddress.ip_address(sockaddr[0].split("%")[0])
        address = getattr(address, "ipv4_mapped", None) or address
        if address.is_global or any(address in network for network in allowed):
            continue
        raise AddressRefused(
            _(
                "%(host)s leads to %(address)s, inside a private or reserved network: nothing is sent there. "
                "A system administrator can allow a self-hosted platform's network (PUBLISHING_ALLOWED_NETWORKS)."
            )
            % {"host": parts.hostname, "address": address}
        )


class GuardedSession(requests.Session):
    """A requests session that checks where each request goes before sending
    it; redirects go through ``send`` too. ``before_write``, when set, is
    asked before each request that may change something on the platform
    (not GET) and stops it by answering False: the delivery engine renews
    the worker's claim there, so that a worker that lost its claim never
    sends a create another worker may be sending too."""

    before_write = None

    def __init__(self):
        super().__init__()
        # requests reads proxies, a CA bundle and ~/.netrc from the
        # environment before every request (half a millisecond each time):
        # the bundle is read once, and the rest only where a proxy is named.
        proxied, bundle = requests_environment()
        self.trust_env = proxied
        if bundle:
            self.verify = bundle

    def send(self, request, **kwargs):
        check_url(request.url)
        if request.method != "GET" and self.before_write is not None and not self.before_write():
            raise ClaimLost(_("Another worker took this delivery over: nothing was sent."))
        return super().send(request, **kwargs)


@functools.cache
def requests_environment():
    """Whether this process's environment names an HTTP proxy, and the CA
    bundle it names for requests, if any (read once: a running worker's
    environment does not change)."""
    return bool(urllib.request.getproxies()), os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or ""
