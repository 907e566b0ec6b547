"""Rate limits of the content API, counted atomically in the shared cache:
per address before the token is looked at (so guessing tokens is limited
too), then per partner.

DRF's own throttles read a request history, append and write it back: two
requests at once both read the same history and both pass. These keep DRF's
rates and cache keys but count each window in one counter that the cache
increments itself (Redis INCR); a fixed window lets at most twice the rate
through across a window's edge."""

import math

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from ..models import Partner


class AtomicRateThrottle(SimpleRateThrottle):
    def allow_request(self, request, view):
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        now = self.timer()
        start = int(now // self.duration) * self.duration
        window = f"{key}:{start}"
        self.cache.add(window, 0, self.duration + 1)
        try:
            count = self.cache.incr(window)
        except ValueError:  # the counter expired between add and incr
            self.cache.add(window, 1, self.duration + 1)
            count = 1
        self.retry_after = start + self.duration - now
        return count <= self.num_requests

    def wait(self):
        return max(1, math.ceil(self.retry_after))


class AddressRateThrottle(AtomicRateThrottle):
    """Requests per client address (PUBLISHING_API_ADDRESS_RATE), counted
    before authentication. Behind a reverse proxy, TRUSTED_PROXY_COUNT says
    how many X-Forwarded-For hops to trust."""

    scope = "ninjs-address"

    def get_rate(self):
        return settings.PUBLISHING_API_ADDRESS_RATE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PartnerRateThrottle(AtomicRateThrottle):
    """Requests per partner (PUBLISHING_API_RATE, e.g. "600/min")."""

    scope = "ninjs"

    def get_rate(self):
        return settings.PUBLISHING_API_RATE

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, Partner):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
