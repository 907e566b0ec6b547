"""``record``: one event onto the trail, with who, which unit, where from
and on what. The one way rows are written (``audit.record`` calls it)."""

from contextvars import ContextVar
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.utils.ipv6 import clean_ipv6_address
from rest_framework.throttling import BaseThrottle

from . import chain
from .models import AuditEvent
from .registry import resolve_unit

# The request being answered (audit.middleware sets it).
current_request = ContextVar("audit_current_request", default=None)
USER_AGENT_LENGTH = AuditEvent._meta.get_field("user_agent").max_length


class ObjectRef(NamedTuple):
    """An object named by type and id, for events about a row that is not at
    hand (a log entry's object, a deleted row)."""

    type: str
    id: str
    label: str


def client_address(request):
    """The client's address by the rule the content API uses
    (``TRUSTED_PROXY_COUNT`` X-Forwarded-For hops are trusted, none by
    default); None when what is there is not an address."""
    address = BaseThrottle().get_ident(request)
    if not address:
        return None
    try:
        validate_ipv46_address(address)
    except ValidationError:
        return None
    return clean_ipv6_address(address) if ":" in address else address


def _describe(obj):
    if obj is None:
        return "", "", ""
    if isinstance(obj, ObjectRef):
        return obj
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}", str(obj.pk or ""), str(obj)


def record(action, *, request=None, actor=None, obj=None, unit=None, **extra):
    """Appends an event. ``actor`` is the account acting (or, for a failed
    sign-in, the name tried), by default the request's user; ``request``
    by default the one being answered; ``unit`` by default the one the
    registered resolver finds for ``obj`` or ``actor``; ``extra`` goes into
    the details (JSON)."""
    request = request or current_request.get()
    user = getattr(request, "user", None)
    if actor is None and user is not None and user.is_authenticated:
        actor = user
    account = actor if actor is not None and not isinstance(actor, str) else None
    if unit is None:
        unit = resolve_unit(obj, account)
    object_type, object_id, object_label = _describe(obj)
    event = AuditEvent(
        actor=account,
        actor_username=(account.get_username() if account else actor or "")[:150],
        unit_id=getattr(unit, "pk", None),
        unit_slug=(getattr(unit, "slug", "") or "")[:100],
        source_address=client_address(request) if request is not None else None,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH] if request is not None else "",
        action=action[:100],
        object_type=object_type[:100],
        object_id=object_id[:255],
        object_label=object_label[:255],
        extra=extra,
    )
    return chain.append(event)
