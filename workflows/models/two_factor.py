import hashlib
import hmac
import time
from base64 import b32encode
from binascii import unhexlify
from os import urandom
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


class RecoveryCodes(TimestampMixin, ThrottlingMixin, Device):
    """A person's recovery codes: each signs in once without the app or the
    passkey. Only their SHA-256 digests are kept. A code is 80 random bits,
    far too many to try one by one against a digest, so the slow salted
    hash passwords need (people choose them) would only slow sign-in.
    A code given is compared with every digest in constant time."""

    CODE_BYTES = 10  # 80 bits: 16 base32 characters

    digests = models.JSONField(default=list, editable=False)

    class Meta(Device.Meta):
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")
        constraints = [models.UniqueConstraint(fields=["user"], name="one_set_of_recovery_codes_per_person")]

    @classmethod
    def new_code(cls):
        """A new code, in groups of four to write down (typed with or
        without the hyphens)."""
        code = b32encode(urandom(cls.CODE_BYTES)).decode().lower()
        return "-".join(code[i : i + 4] for i in range(0, len(code), 4))

    @staticmethod
    def digest(code):
        # As typed: any case, spaces or hyphens between the groups.
        return hashlib.sha256(str(code).lower().replace(" ", "").replace("-", "").encode()).hexdigest()

    def set_codes(self, codes):
        self.digests = [self.digest(code) for code in codes]

    def verify_token(self, token):
        """Whether ``token`` is one of the codes left, and uses it up. The
        caller loads the device for update (django_otp's ``for_verify``):
        two sign-ins at once cannot both use one code."""
        allowed, _reason = self.verify_is_allowed()
        if not allowed:
            return False
        given = self.digest(token)
        # Every digest compared, none skipped: the time says nothing.
        matches = [hmac.compare_digest(given, digest) for digest in self.digests]
        if not any(matches):
            self.throttle_increment()
            return False
        self.digests = [digest for digest, match in zip(self.digests, matches, strict=True) if not match]
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True

    def get_throttle_factor(self):
        return settings.OTP_STATIC_THROTTLE_FACTOR
