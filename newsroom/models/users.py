from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """Newsroom staff account. Custom from the first migration so later
    issues (2FA, unit membership, lockout) can add fields."""

    phone = models.CharField(_("phone"), max_length=32, blank=True)
    # When the password was last set: the admin asks for a new one once it
    # is older than PASSWORD_MAX_AGE_DAYS (newsroom.middleware).
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True, editable=False)
    # Set when an administrator chose the password (a new account, a reset):
    # the person must choose their own at the next sign-in.
    must_change_password = models.BooleanField(_("must change password"), default=False, editable=False)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_full_name(self):
        # Vietnamese names put the family name first: "Nguyễn Thu Hà".
        return " ".join(part for part in (self.last_name, self.first_name) if part).strip()

    def __str__(self):
        return self.get_full_name() or self.username

    def set_password(self, raw_password):
        # Every way a password is set (forms, the account page, commands)
        # passes here; an administrator's form flags the change afterwards.
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()
        self.must_change_password = False


class PasswordHistory(models.Model):
    """Hashes of a person's earlier passwords, so that none of the last
    PASSWORD_HISTORY_COUNT is chosen again (newsroom.passwords)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("earlier password")
        verbose_name_plural = _("earlier passwords")
