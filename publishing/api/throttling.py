"""Rate limits of the content API, counted atomically in the shared cache:
per address before the token is looked at (so guessing tokens is limited
too), then per partner.

DRF's own throttles read a request history, append and write it back: two
requests at once both read the same history and both pass. Here each window
is one counter that the cache increments itself (Redis INCR); a fixed window
lets at most twice the rate through across a window's edge."""

import math
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

from ..models import Partner

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate):
    """"600/min" → (600, 60)."""
    count, _, period = rate.partition("/")
    return int(count), PERIODS[period.strip()[0]]


class WindowThrottle(BaseThrottle):
    scope = ""

    def rate(self):
        raise NotImplementedError

    def ident(self, request):
        raise NotImplementedError

    def allow_request(self, request, view):
        ident = self.ident(request)
        if ident is None:
            return True
        limit, window = parse_rate(self.rate())
        now = time.time()
        start = int(now // window) * window
        key = f"throttle:{self.scope}:{ident}:{start}"
        cache.add(key, 0, window + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # the counter expired between add and incr
            cache.add(key, 1, window + 1)
            count = 1
        self.retry_after = start + window - now
        return count <= limit

    def wait(self):
        return max(1, math.ceil(self.retry_after))


class AddressRateThrottle(WindowThrottle):
    """Requests per client address (PUBLISHING_API_ADDRESS_RATE), counted
    before authentication. Behind a reverse proxy, TRUSTED_PROXY_COUNT says
    how many X-Forwarded-For hops to trust."""

    scope = "ninjs-address"

    def rate(self):
        return settings.PUBLISHING_API_ADDRESS_RATE

    def ident(self, request):
        return self.get_ident(request)


class PartnerRateThrottle(WindowThrottle):
    """Requests per partner (PUBLISHING_API_RATE, e.g. "600/min")."""

    scope = "ninjs"

    def rate(self):
        return settings.PUBLISHING_API_RATE

    def ident(self, request):
        return request.auth.pk if isinstance(request.auth, Partner) else None
