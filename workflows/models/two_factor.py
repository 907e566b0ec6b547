import time
from base64 import b32encode
from binascii import unhexlify
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP
from django_otp.util import random_hex

from newsroom import crypto


class AuthenticatorApp(TimestampMixin, ThrottlingMixin, Device):
    """A person's authenticator app (TOTP, RFC 6238: 6 digits every 30 s).
    django-otp's own TOTPDevice keeps the secret in clear; this one keeps it
    encrypted with the project's keys (newsroom/crypto.py), and verifies
    like it: one step of tolerance, drift followed, a code never accepted
    twice, wrong codes throttled (OTP_TOTP_THROTTLE_FACTOR)."""

    STEP = 30
    DIGITS = 6
    TOLERANCE = 1

    encrypted_key = models.TextField(editable=False)
    drift = models.SmallIntegerField(default=0)
    # The time step of the last accepted code: only later ones are accepted.
    last_t = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    @classmethod
    def for_user(cls, user, key=None, confirmed=False):
        """A new device with a random 20-byte secret (or ``key``, hex)."""
        device = cls(user=user, name="TOTP", confirmed=confirmed)
        device.key = key or random_hex(20)
        device.save()
        return device

    @property
    def key(self):
        return crypto.decrypt(self.encrypted_key)["key"]

    @key.setter
    def key(self, value):
        self.encrypted_key = crypto.encrypt({"key": value})

    @property
    def bin_key(self):
        return unhexlify(self.key.encode())

    @property
    def secret(self):
        """The secret as authenticator apps take it typed in (base32)."""
        return b32encode(self.bin_key).decode()

    @property
    def config_url(self):
        issuer = settings.OTP_TOTP_ISSUER.replace(":", "")
        label = quote(f"{issuer}:{self.user.get_username()}")
        params = urlencode({"secret": self.secret, "algorithm": "SHA1", "digits": self.DIGITS, "period": self.STEP})
        return f"otpauth://totp/{label}?{params}&issuer={quote(issuer)}"

    def verify_token(self, token):
        allowed, _reason = self.verify_is_allowed()
        if not allowed:
            return False
        token = str(token).strip().replace(" ", "")
        verified = False
        if token.isdigit() and len(token) == self.DIGITS:
            totp = TOTP(self.bin_key, self.STEP, 0, self.DIGITS, self.drift)
            totp.time = time.time()
            verified = totp.verify(int(token), self.TOLERANCE, self.last_t + 1)
        if verified:
            self.last_t = totp.t()
            self.drift = totp.drift
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
        else:
            self.throttle_increment()
        return verified

    def get_throttle_factor(self):
        return settings.OTP_TOTP_THROTTLE_FACTOR
