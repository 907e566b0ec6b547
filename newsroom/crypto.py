"""Secrets kept in the database (channel credentials, the keys of the staff's
authenticator apps) are encrypted at rest with Fernet (AES-128-CBC +
HMAC-SHA256). Keys come from the environment: CHANNEL_CREDENTIALS_KEYS is a
comma-separated list, newest first, so a key can be rotated without losing
what the old one encrypted (``rotate_channel_credentials`` re-encrypts)."""

import base64
import hashlib
import json
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=4)
def _fernet(keys):
    if not keys:
        raise ImproperlyConfigured(
            "CHANNEL_CREDENTIALS_KEYS is not set: channel credentials cannot be encrypted or read. "
            "Generate a key with `manage.py rotate_channel_credentials --generate-key`."
        )
    fernets = []
    for position, key in enumerate(keys, 1):
        try:
            fernets.append(Fernet(key))
        except (ValueError, TypeError):
            # Never the key itself in the message.
            raise ImproperlyConfigured(
                f"CHANNEL_CREDENTIALS_KEYS: key {position} is not a Fernet key (32 url-safe base64-encoded bytes)."
            ) from None
    return MultiFernet(fernets)


def _keys():
    keys = tuple(settings.CHANNEL_CREDENTIALS_KEYS)
    if not keys and settings.SECRET_KEY and not settings.CHANNEL_CREDENTIALS_REQUIRE_KEY:
        # Development and tests only: a key derived from SECRET_KEY.
        keys = (base64.urlsafe_b64encode(hashlib.sha256(b"hoitu-channel-credentials:" + settings.SECRET_KEY.encode()).digest()).decode(),)
    return keys


def encrypt(data: dict) -> str:
    if not data:
        return ""
    return _fernet(_keys()).encrypt(json.dumps(data, ensure_ascii=False).encode()).decode()


def decrypt(token: str) -> dict:
    if not token:
        return {}
    try:
        return json.loads(_fernet(_keys()).decrypt(token.encode()))
    except InvalidToken:
        raise ImproperlyConfigured("Channel credentials cannot be decrypted with CHANNEL_CREDENTIALS_KEYS.") from None


def rotate(token: str) -> str:
    """``token`` encrypted again with the newest key."""
    if not token:
        return ""
    try:
        return _fernet(_keys()).rotate(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured("Channel credentials cannot be decrypted with CHANNEL_CREDENTIALS_KEYS.") from None


def encrypted_with_newest(token: str) -> bool:
    """Whether ``token`` already opens with the first (newest) key."""
    keys = _keys()
    try:
        _fernet(keys[:1]).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def generate_key() -> str:
    return Fernet.generate_key().decode()


@checks.register(checks.Tags.security)
def check_credentials_keys(app_configs=None, **kwargs):
    """A deployment that requires its own key (production) fails its checks
    (migrate, runserver, check --deploy) without one, before anyone saves a
    channel."""
    if not settings.CHANNEL_CREDENTIALS_REQUIRE_KEY and not settings.CHANNEL_CREDENTIALS_KEYS:
        return []
    try:
        _fernet(_keys())
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="publishing.E001")]
    return []
