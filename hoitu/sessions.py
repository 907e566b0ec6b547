"""The session middleware: django-qsessions' store, which records each
session's user, browser and address, given the client's address as the
content API reads it (behind TRUSTED_PROXY_COUNT proxies, that many hops
back in X-Forwarded-For; else the connection's, which no client can forge)."""

import ipaddress

from django.conf import settings
from qsessions.middleware import SessionMiddleware


def client_address(request):
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            candidate = hops[-min(proxies, len(hops))]
            try:
                # The session row stores an address: anything else is noise.
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR") or None


class ClientSessionMiddleware(SessionMiddleware):
    def process_request(self, request):
        request.session = self.SessionStore(
            session_key=request.COOKIES.get(settings.SESSION_COOKIE_NAME),
            user_agent=request.headers.get("User-Agent", ""),
            ip=client_address(request),
        )
