"""Lockouts. Sign-ins (django-axes): AXES_FAILURE_LIMIT failed sign-ins
for one account, or from one address, lock it for AXES_COOLOFF_TIME. Axes
counts and refuses (the address read by `audit.recorder.client_address`);
this module tells what a locked-out person sees. The content API's tokens:
as many wrong tokens from one address lock it out of the API for as long
(`TokenLockout`). The admin's locks screen lists and lifts both."""

import math
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework.throttling import BaseThrottle

import audit
from audit.models import AuditEvent

# The audit event of an address locked out of the content API.
API_ADDRESS_LOCKED = "api.address_locked"


def cooloff_seconds():
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def lock_duration():
    """AXES_COOLOFF_TIME in words, in its largest whole unit (level 3 locks
    for 12 hours to 30 days; Django's timesince has no Vietnamese for it)."""
    minutes = cooloff_seconds() // 60
    if minutes and minutes % (24 * 60) == 0:
        return ngettext("%(count)d day", "%(count)d days", minutes // (24 * 60)) % {"count": minutes // (24 * 60)}
    if minutes and minutes % 60 == 0:
        return ngettext("%(count)d hour", "%(count)d hours", minutes // 60) % {"count": minutes // 60}
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def lockout_message():
    # The same words whether the account exists or not, and whether the
    # account or the address is locked: nothing to learn from them.
    return _(
        "Too many failed sign-ins with this account or from this address. "
        "Signing in is locked for %(duration)s; try again later or ask an administrator to unlock it."
    ) % {"duration": lock_duration()}


def lockout_response(request, original_response, credentials):
    """AXES_LOCKOUT_CALLABLE: the sign-in page again (Wagtail's, or any form
    view's) with the lockout message as its only error, status 429."""
    message = lockout_message()
    headers = {"Retry-After": str(cooloff_seconds())}
    context = getattr(original_response, "context_data", None) or {}
    form = context.get("form")
    if form is None or not form.is_bound:
        return HttpResponse(message, status=429, content_type="text/plain; charset=utf-8", headers=headers)
    form.errors.clear()
    form.add_error(None, message)
    # Rendered here: axes' middleware runs after Django renders responses.
    return TemplateResponse(request, original_response.template_name, context, status=429, headers=headers).render()


class TokenLockout:
    """Wrong tokens per address: AXES_FAILURE_LIMIT of them within
    AXES_COOLOFF_TIME lock the address out of the content API for
    AXES_COOLOFF_TIME, the sign-in lockout's numbers. Counted atomically in
    the shared cache, like the API's rate limits."""

    def __init__(self, address):
        self.address = address
        self.failures_key = f"ninjs-token-failures:{address}"
        self.lock_key = f"ninjs-token-lock:{address}"

    @classmethod
    def of(cls, request):
        # The address as the API's throttles read it (TRUSTED_PROXY_COUNT).
        return cls(BaseThrottle().get_ident(request))

    def retry_after(self):
        """Seconds until the address may try again; None when it is not locked."""
        until = cache.get(self.lock_key)
        if until is None or until <= time.time():
            return None
        return max(1, math.ceil(until - time.time()))

    def record_failure(self):
        cooloff = int(settings.AXES_COOLOFF_TIME.total_seconds())
        cache.add(self.failures_key, 0, cooloff)
        try:
            failures = cache.incr(self.failures_key)
        except ValueError:  # the counter expired between add and incr
            cache.add(self.failures_key, 1, cooloff)
            failures = 1
        if failures >= settings.AXES_FAILURE_LIMIT:
            cache.set(self.lock_key, time.time() + cooloff, cooloff)
            cache.delete(self.failures_key)
            # On the trail, which is also where api_locks() finds the
            # addresses: a cache cannot list its keys.
            audit.record(API_ADDRESS_LOCKED, address=self.address, failures=failures)

    def lift(self):
        """Unlocks the address and starts its count again; whether it was locked."""
        locked = self.retry_after() is not None
        cache.delete_many([self.lock_key, self.failures_key])
        return locked


@dataclass
class ApiLock:
    address: str
    failures: int
    locked_at: datetime
    until: datetime


def api_locks():
    """The addresses locked out of the content API now, latest first."""
    cooloff = settings.AXES_COOLOFF_TIME
    events = AuditEvent.objects.filter(action=API_ADDRESS_LOCKED, at__gte=timezone.now() - cooloff).order_by("-at")
    failures = {}
    for extra in events.values_list("extra", flat=True):
        failures.setdefault(extra["address"], extra["failures"])  # an address locked again: its latest
    lockouts = [TokenLockout(address) for address in failures]
    untils = cache.get_many([lockout.lock_key for lockout in lockouts])
    locks = []
    for lockout in lockouts:
        until = untils.get(lockout.lock_key)
        if until is not None and until > time.time():
            until = datetime.fromtimestamp(until, tz=timezone.get_current_timezone())
            locks.append(ApiLock(lockout.address, failures[lockout.address], until - cooloff, until))
    return locks
