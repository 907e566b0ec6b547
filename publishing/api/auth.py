"""Partner tokens: ``Authorization: Bearer <token>``, looked up by hash
(only the hash is stored), for the content API only — the rest of the site
and Wagtail's own API keep their authentication."""

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission

from newsroom.lockout import TokenLockout

from ..models import Partner, hash_token

# last_used_at is for people ("is this partner still reading?"): written at
# most this often, not on every request.
LAST_USED_PRECISION = timedelta(minutes=1)


class InvalidToken(exceptions.AuthenticationFailed):
    default_code = "invalid_token"


class PartnerInactive(exceptions.AuthenticationFailed):
    default_code = "partner_inactive"


class PartnerTokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header:
            return None
        if header[0].decode("latin-1").lower() != self.keyword.lower() or len(header) != 2:
            raise InvalidToken(_("Send the partner token as “Authorization: Bearer <token>”."))
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise InvalidToken(_("The token is not valid.")) from None
        partner = Partner.objects.filter(token_hash=hash_token(token)).first()
        if partner is None:
            TokenLockout.of(request).record_failure()
            raise InvalidToken(_("The token is not valid."))
        if not partner.active:
            raise PartnerInactive(_("This partner's access has been suspended."))
        now = timezone.now()
        if partner.last_used_at is None or partner.last_used_at < now - LAST_USED_PRECISION:
            Partner.objects.filter(pk=partner.pk).update(last_used_at=now)
            partner.last_used_at = now
        return AnonymousUser(), partner

    def authenticate_header(self, request):
        return f'{self.keyword} realm="ninjs"'


class IsPartner(BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, Partner)
