"""The register of personal data the installation holds (Vietnam's Personal
Data Protection Law): for each kind, whose data, which fields, why, how long
it is kept and how many records there are. Each app registers what it
holds from its ``ready()`` with ``register_personal_data(provider)``;
``provider()`` returns a list of ``PersonalData``."""

from dataclasses import dataclass

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from qsessions.models import Session

from audit.models import AuditEvent

from .models import StaffToken

_providers = []


@dataclass
class PersonalData:
    key: str
    whose: str
    fields: str
    purpose: str
    kept: str
    count: int


def register_personal_data(provider):
    if provider not in _providers:
        _providers.append(provider)
    return provider


def register_entries():
    return [entry for provider in _providers for entry in provider()]


def staff_personal_data():
    return [
        PersonalData(
            "staff",
            _("Staff"),
            _("name, username, e-mail, password hash, roles, last sign-in, authenticator app (encrypted)"),
            _("signing in and working in the newsroom"),
            _("while the account exists; unused accounts are disabled after %(days)s days") % {"days": settings.ACCOUNT_INACTIVE_DAYS},
            get_user_model().objects.count(),
        ),
        PersonalData(
            "sessions",
            _("Staff"),
            _("address, browser and device of each sign-in session"),
            _("listing and ending one's sign-ins"),
            _("until the session ends (at most %(hours)s hours)") % {"hours": settings.SESSION_COOKIE_AGE // 3600},
            Session.objects.count(),
        ),
        PersonalData(
            "api_tokens",
            _("Staff"),
            _("name, first characters, creation, last use and expiry of each API token (the token itself only as its SHA-256)"),
            _("letting one's scripts and phone apps upload to the archive"),
            _("until its owner revokes it or the account is deleted"),
            StaffToken.objects.count(),
        ),
        PersonalData(
            "sign_in_attempts",
            _("Anyone who tries to sign in"),
            _("username tried, address, browser"),
            _("locking out password guessing"),
            _("until the lock ends or an administrator lifts it"),
            AccessAttempt.objects.count(),
        ),
        PersonalData(
            "audit",
            _("Staff, and anyone who tries to sign in"),
            _("account, address, browser, action and object"),
            _("the audit trail information security level 3 requires"),
            _("%(days)s days") % {"days": settings.AUDIT_RETENTION_DAYS},
            AuditEvent.objects.count(),
        ),
    ]


def register():
    register_personal_data(staff_personal_data)
