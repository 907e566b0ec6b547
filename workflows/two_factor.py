"""The admin's second factor: who must have one (TWO_FACTOR_REQUIRED), its
changes (each logged for the audit trail), and taking a lost one away so
its owner enrols again at the next sign-in."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import checks
from django.db import transaction
from django.db.models import Exists, OuterRef
from django_otp import devices_for_user
from django_otp_webauthn.models import WebAuthnCredential
from wagtail.log_actions import log

from .membership import membership
from .models import AuthenticatorApp, RecoveryCodes, Role
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
    log(instance=device.user, action="hoitu.two_factor.app_enrolled", user=device.user)
    return new_recovery_codes(device.user)


def passkey_registered(passkey):
    log(instance=passkey.user, action="hoitu.two_factor.passkey_registered", user=passkey.user, data={"passkey": passkey.name})


@transaction.atomic
def new_recovery_codes(user):
    """Gives ``user`` new recovery codes, the earlier ones no longer work;
    returns them, the only time they are shown. The set stays the same
    device, so a session a recovery code verified stays verified."""
    codes = [RecoveryCodes.new_code() for _ in range(RECOVERY_CODES)]
    recovery, created = RecoveryCodes.objects.select_for_update().get_or_create(user_id=user.pk, defaults={"name": "Recovery codes"})
    recovery.set_codes(codes)
    recovery.save()
    # The person as loaded by the device, not ``user``: a request's user is
    # lazy twice over (auth, then django_otp) and Wagtail's log() skips,
    # silently, what it cannot tell the type of.
    person = recovery.user
    log(instance=person, action="hoitu.two_factor.recovery_codes_issued", user=person, data={"replaced": not created})
    return codes


def recovery_code_used(recovery):
    """Logged so that a code used by someone else shows."""
    log(instance=recovery.user, action="hoitu.two_factor.recovery_code_used", user=recovery.user, data={"left": len(recovery.digests)})


def _other_factors(passkey):
    return (
        AuthenticatorApp.objects.filter(user_id=passkey.user_id, confirmed=True).exists()
        or WebAuthnCredential.objects.filter(user_id=passkey.user_id, confirmed=True).exclude(pk=passkey.pk).exists()
    )


def last_required_factor(passkey):
    """Whether ``passkey`` is all that is left of the second factor its
    owner must have (recovery codes only stand in for a lost one)."""
    return second_factor_required(passkey.user) and not _other_factors(passkey)


@transaction.atomic
def remove_passkey(passkey):
    """Removes one of a person's passkeys (sessions it verified lose their
    verification), unless it is the last second factor they must have
    (then returns False). With the last factor go the recovery codes:
    nothing is left for them to stand in for."""
    # The person's row locked: two removals at once cannot each see the
    # other passkey as left.
    get_user_model().objects.select_for_update().get(pk=passkey.user_id)
    others = _other_factors(passkey)
    if not others and second_factor_required(passkey.user):
        return False
    passkey.delete()
    if not others:
        RecoveryCodes.objects.filter(user_id=passkey.user_id).delete()
    log(instance=passkey.user, action="hoitu.two_factor.passkey_removed", user=passkey.user, data={"passkey": passkey.name})
    return True


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
    devices = (AuthenticatorApp, RecoveryCodes, WebAuthnCredential)
    removed = sum(model.objects.filter(user=person).delete()[0] for model in devices)
    log(instance=person, action="hoitu.two_factor_reset", user=actor, data={"unit": unit.slug, "devices": removed})
    return removed


@checks.register(checks.Tags.security)
def check_two_factor_mode(app_configs=None, **kwargs):
    if settings.TWO_FACTOR_REQUIRED not in MODES:
        return [checks.Error(f"TWO_FACTOR_REQUIRED must be one of {', '.join(MODES)}.", id="workflows.E001")]
    return []
