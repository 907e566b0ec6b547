"""Locks (newsroom/lockout.py): system administrators see every account
and address locked by failed sign-ins (django-axes) and every address
locked out of the content API by wrong tokens, and lift any; a unit
administrator sees and unlocks the people of their units. Each lift goes
to Wagtail's log."""

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Sum
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.log_actions import log

from newsroom.lockout import TokenLockout, api_locks

from ..membership import membership, units_for
from ..models import Role

User = get_user_model()
LOCK_ROLES = {Role.UNIT_ADMIN}
ACCOUNT, ADDRESS, API_ADDRESS = "account", "address", "api_address"


@dataclass
class Lock:
    kind: str
    value: str
    failures: int
    last_failure: datetime
    until: datetime


def _locked(field, attempts):
    rows = (
        attempts.exclude(**{f"{field}__isnull": True})
        .values(field).annotate(failures=Sum("failures_since_start"), last_failure=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT).order_by("-last_failure")
    )
    return [(row[field], row["failures"], row["last_failure"], row["last_failure"] + settings.AXES_COOLOFF_TIME) for row in rows]


def unlockable_usernames(user):
    """None: every account (system administrators); otherwise the usernames
    of the people of the units ``user`` administers, never a superuser's."""
    if membership(user).superuser:
        return None
    units = units_for(user, LOCK_ROLES)
    if not units:
        raise PermissionDenied
    people = User.objects.filter(groups__unit_role__unit__in=units, is_superuser=False)
    return set(people.values_list("username", flat=True))


def current_locks(user):
    allowed = unlockable_usernames(user)
    attempts = AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    if allowed is not None:
        attempts = attempts.filter(username__in=allowed)
    locks = [Lock(ACCOUNT, *row) for row in _locked("username", attempts.exclude(username=""))]
    if allowed is None:
        locks += [Lock(ADDRESS, *row) for row in _locked("ip_address", attempts)]
        locks += [Lock(API_ADDRESS, lock.address, lock.failures, lock.locked_at, lock.until) for lock in api_locks()]
    return locks


def lock_list(request):
    return TemplateResponse(
        request,
        "workflows/lockouts.html",
        {
            "page_title": _("Locked sign-ins"),
            "header_icon": "lock",
            "locks": current_locks(request.user),
            "limit": settings.AXES_FAILURE_LIMIT,
            "show_api_locks": membership(request.user).superuser,
        },
    )


@require_POST
def lift_lock(request):
    kind, value = request.POST.get("kind"), request.POST.get("value", "").strip()
    allowed = unlockable_usernames(request.user)
    if kind not in (ACCOUNT, ADDRESS, API_ADDRESS) or not value or (allowed is not None and (kind != ACCOUNT or value not in allowed)):
        raise Http404(_("No such lock."))
    if kind == API_ADDRESS:
        removed = TokenLockout(value).lift()
    else:
        removed = reset(username=value) if kind == ACCOUNT else reset(ip=value)
    if removed:
        person = User.objects.filter(username=value).first() if kind == ACCOUNT else None
        # The person's history shows who unlocked them; an address (or a
        # name nobody has) has no page of its own, so its lift is logged on
        # the one who lifted it, read afresh: Wagtail's log sees through one
        # lazy object only, and request.user is two (django-otp wraps Django's).
        instance = person or User.objects.get(pk=request.user.pk)
        action = "hoitu.api_lock_lifted" if kind == API_ADDRESS else "hoitu.lock_lifted"
        log(instance=instance, action=action, user=request.user, data={"kind": kind, "value": value})
        messages.success(request, _("The lock on %(value)s has been lifted.") % {"value": value})
    else:
        messages.warning(request, _("%(value)s was not locked any more.") % {"value": value})
    return redirect("workflows_lockouts:list")


urlpatterns = [
    path("", lock_list, name="list"),
    path("lift/", lift_lock, name="lift"),
]
