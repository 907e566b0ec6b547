"""Staff API tokens: a person's own tokens for scripts and phone apps,
sent as ``Authorization: Bearer <token>`` (``StaffToken``: only its
SHA-256 is stored). A token acts as its owner, with exactly their
permissions, and only on the admin views that say they accept one
(``token_authentication = True`` on the view class: the archive's
resumable uploads, ``assets.views``); elsewhere the header is ignored.
Such a request carries no cookie, so it is not held to CSRF, nor to the
second factor, the idle timeout or a password change (the token was made
in a session past all of them).

Services: ``create_token`` (returns the token, the only time it exists in
clear), ``revoke_token`` and ``authenticate``; each check the person's
right. ``StaffTokenMiddleware`` authenticates the request, after the
session's middleware (``TwoFactorMiddleware``, ``PasswordChangeRequiredMiddleware``),
so they see the session's own user. The token is never written to a log
or to the audit trail (only its prefix)."""

import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import JsonResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

import audit

from .models import StaffToken
from .models.api_tokens import hash_token

PREFIX = "hts_"
# A token's visible start: the prefix and a few characters, enough to tell
# two of one's tokens apart, far too few to guess the rest.
VISIBLE = len(PREFIX) + 6
# last_used_at is for people ("is this phone still sending?"): written at
# most this often, not on every chunk of an upload.
LAST_USED_PRECISION = timedelta(minutes=1)
# What the owner may choose for a new token's life, in days (None: none).
LIFETIMES = (30, 90, 365, None)


class TokenRefused(Exception):
    """The token opens nothing: the reason, in words."""


def create_token(user, name, days=None):
    """A new token of ``user``'s: the row, and the token in clear (shown
    once, never stored)."""
    if not (user.is_authenticated and user.is_active):
        raise PermissionDenied
    token = PREFIX + secrets.token_urlsafe(32)
    expires_at = timezone.now() + timedelta(days=days) if days else None
    with transaction.atomic():
        row = StaffToken.objects.create(user=user, name=name.strip()[:100], token_hash=hash_token(token), prefix=token[:VISIBLE], expires_at=expires_at)
        audit.record("auth.token_create", actor=user, obj=row, name=row.name, prefix=row.prefix)
    return row, token


def revoke_token(user, token_id):
    """``user`` revokes one of their own tokens; another's is not found.
    Returns the token, or None."""
    with transaction.atomic():
        row = StaffToken.objects.select_for_update().filter(pk=token_id, user=user, revoked_at__isnull=True).first()
        if row is None:
            return None
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at"])
        audit.record("auth.token_revoke", actor=user, obj=row, name=row.name, prefix=row.prefix)
    return row


def tokens_of(user):
    return StaffToken.objects.filter(user=user)


def authenticate(token):
    """The token's row (its ``user`` loaded) when it may act now; else
    ``TokenRefused`` saying why."""
    row = StaffToken.objects.select_related("user").filter(token_hash=hash_token(token)).first()
    if row is None:
        raise TokenRefused(_("The token is not valid."))
    if row.revoked_at is not None:
        raise TokenRefused(_("This token has been revoked."))
    if row.is_expired:
        raise TokenRefused(_("This token has expired."))
    if not row.user.is_active:
        raise TokenRefused(_("The token's account is disabled."))
    now = timezone.now()
    if row.last_used_at is None or row.last_used_at < now - LAST_USED_PRECISION:
        StaffToken.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
    return row


def accepts_token(request):
    """Whether the view at the request's address accepts a token."""
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return False
    return bool(getattr(getattr(view, "view_class", view), "token_authentication", False))


def refused(message):
    response = JsonResponse({"error": message}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="hoitu", error="invalid_token"'
    response["Cache-Control"] = "no-store"
    return response


class StaffTokenMiddleware:
    """``Authorization: Bearer <token>`` on a view that accepts a token:
    the request acts as the token's owner, without CSRF (it carries no
    cookie to forge); a token that cannot act answers 401 in JSON, with
    ``WWW-Authenticate: Bearer``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not accepts_token(request):
            return self.get_response(request)
        token = token.strip()
        if not token:
            return refused(_("Send the token as “Authorization: Bearer <token>”."))
        try:
            row = authenticate(token)
        except TokenRefused as error:
            return refused(str(error))
        user = row.user
        # django_otp's attributes, which the session's user has: the token
        # was made in a session past the second factor.
        user.otp_device = None
        user.is_verified = lambda: True
        request.user = request._cached_user = user
        request.staff_token = row
        request._dont_enforce_csrf_checks = True
        return self.get_response(request)
