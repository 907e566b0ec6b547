"""The admin only from the networks an installation lists
(ADMIN_ALLOWED_NETWORKS): level 3 asks that the management interface be
reachable from known places only. The public sites, feeds and the content
API are not affected; an empty list leaves the admin open to any address
(sign-in, two factors and lockout still apply)."""

import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponseForbidden
from django.template.loader import render_to_string

from audit.recorder import client_address

ADMIN_PREFIX = "/admin/"


def parse_networks(values):
    try:
        return [ipaddress.ip_network(value, strict=False) for value in values]
    except ValueError as error:
        raise ImproperlyConfigured(f"ADMIN_ALLOWED_NETWORKS: {error}") from None


class AdminNetworkMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.networks = parse_networks(settings.ADMIN_ALLOWED_NETWORKS)

    def __call__(self, request):
        if self.networks and request.path_info.startswith(ADMIN_PREFIX) and not self.allowed(request):
            return HttpResponseForbidden(render_to_string("hoitu/admin_network_refused.html", request=request))
        return self.get_response(request)

    def allowed(self, request):
        address = client_address(request)
        if not address:
            return False
        ip = ipaddress.ip_address(address)
        return any(ip in network for network in self.networks)
