"""The admin's second factor: who must have one (TWO_FACTOR_REQUIRED), and
taking a lost one away so its owner enrols again at the next sign-in."""

from django.conf import settings
from django.core import checks
from django.db import transaction
from django.db.models import Exists, OuterRef
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp_webauthn.models import WebAuthnCredential
from wagtail.log_actions import log

from .membership import membership
from .models import AuthenticatorApp, Role
from .permissions import PUBLISH_ROLES

MODES = ("all", "publishers", "off")
# "publishers": who publishes (to the site or, distribution, to the
# channels) or administers (a unit, the archive, the system).
PUBLISHER_ROLES = PUBLISH_ROLES | {Role.DISTRIBUTION, Role.UNIT_ADMIN, Role.ARCHIVE_MANAGER}
RECOVERY_CODES = 10


def second_factor_required(user):
    mode = settings.TWO_FACTOR_REQUIRED
    if mode == "off":
        return False
    if mode == "publishers":
        return user.is_superuser or user.is_staff or membership(user).holds_any(PUBLISHER_ROLES)
    return True


def has_second_factor(user):
    return next(devices_for_user(user), None) is not None


def enrolled():
    """A filter for people with a confirmed second factor (an app or a
    passkey), for listings of many people."""
    return Exists(AuthenticatorApp.objects.filter(user=OuterRef("pk"), confirmed=True)) | Exists(
        WebAuthnCredential.objects.filter(user=OuterRef("pk"), confirmed=True)
    )


def has_passkey(user):
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


def pending_authenticator(user):
    """The authenticator app being enrolled (not confirmed yet), created on
    the first visit to the enrolment page and kept until confirmed, so a
    reload shows the same secret."""
    device = AuthenticatorApp.objects.filter(user=user, confirmed=False).first()
    return device or AuthenticatorApp.for_user(user)


@transaction.atomic
def confirm_authenticator(device):
    """Confirms ``device`` and gives its owner new recovery codes; returns
    the codes, the only time they are shown."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_recovery_codes(device.user)


@transaction.atomic
def new_recovery_codes(user):
    """Replaces ``user``'s recovery codes; returns them, the only time they
    are shown."""
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    return codes


def can_reset(actor, person, unit, only_in_unit):
    """System administrators reset anyone's; a unit administrator only
    those of people whose account the unit manages alone (``only_in_unit``),
    never a system administrator's or another unit's person."""
    m = membership(actor)
    return m.superuser or (m.has_role(unit, Role.UNIT_ADMIN) and only_in_unit and person.pk != actor.pk)


@transaction.atomic
def reset_second_factor(person, actor, unit):
    """Removes every device of ``person`` (app, recovery codes, passkeys):
    their sessions lose their verification at once and they enrol again at
    the next sign-in."""
    devices = (AuthenticatorApp, StaticDevice, WebAuthnCredential)
    removed = sum(model.objects.filter(user=person).delete()[0] for model in devices)
    log(instance=person, action="hoitu.two_factor_reset", user=actor, data={"unit": unit.slug, "devices": removed})
    return removed


@checks.register(checks.Tags.security)
def check_two_factor_mode(app_configs=None, **kwargs):
    if settings.TWO_FACTOR_REQUIRED not in MODES:
        return [checks.Error(f"TWO_FACTOR_REQUIRED must be one of {', '.join(MODES)}.", id="workflows.E001")]
    return []
