"""Password rules of information-security level 3, as Django password
validators (AUTH_PASSWORD_VALIDATORS): so the admin's user forms, the
account page, the unit's staff screens and ``manage.py changepassword`` /
``createsuperuser`` all apply them. And when a password is too old."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import PasswordHistory

CHARACTER_KINDS = (str.islower, str.isupper, str.isdigit, lambda char: not char.isalnum())


def character_kinds(password):
    """How many kinds of characters (lower case, upper case, digits, other)
    the password mixes; letters with diacritics count as letters."""
    return sum(any(kind(char) for char in password) for kind in CHARACTER_KINDS)


class LengthAndMixValidator:
    """At least ``min_length`` characters of two kinds or more, or at least
    ``min_length_simple`` of any kind (a passphrase)."""

    def __init__(self, min_length=8, min_length_simple=14):
        self.min_length = min_length
        self.min_length_simple = min_length_simple

    def validate(self, password, user=None):
        if len(password) >= self.min_length_simple:
            return
        if len(password) >= self.min_length and character_kinds(password) >= 2:
            return
        raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _(
            "The password needs at least %(min_length)d characters mixing two kinds (lower case, upper case, "
            "digits, other characters), or at least %(min_length_simple)d characters of any kind."
        ) % {"min_length": self.min_length, "min_length_simple": self.min_length_simple}


class PasswordHistoryValidator:
    """None of the person's last ``count`` passwords again. Each password set
    is kept as its hash (``password_changed`` below, which Django calls
    whenever a user with a new password is saved)."""

    def __init__(self, count=10):
        self.count = count

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        # The current password first: people whose history started after it.
        earlier = [user.password, *PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[: self.count]]
        if any(encoded and check_password(password, encoded) for encoded in earlier):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def password_changed(self, password, user):
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[self.count :]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()

    def get_help_text(self):
        return ngettext(
            "The password must differ from your last password.",
            "The password must differ from your last %(count)d passwords.",
            self.count,
        ) % {"count": self.count}


def must_change_password(user):
    """Whether ``user`` has to choose a new password before using the admin:
    an administrator chose it, or it is older than PASSWORD_MAX_AGE_DAYS."""
    if user.must_change_password:
        return True
    max_age = settings.PASSWORD_MAX_AGE_DAYS
    changed = user.password_changed_at
    return bool(max_age and changed and changed < timezone.now() - timedelta(days=max_age))
