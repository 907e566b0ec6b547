"""Production: everything comes from the environment, nothing is defaulted
that would be unsafe."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import (
    AUDIT_RETENTION_DAYS,
    MEDIA_S3_BUCKET,
    OTP_WEBAUTHN_RP_ID,
    SECRET_KEY,
    STORAGES,
    TWO_FACTOR_REQUIRED,
    WAGTAILADMIN_BASE_URL,
    env_bool,
    env_list,
    webauthn_origins,
)

DEBUG = False
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
# Django's own bar for a key (`check --deploy`, security.W009): a short or
# guessable one lets anyone forge sessions and password-reset links. The
# message never repeats the key.
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-"):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is too weak for production: use at least 50 random characters "
        '(python -c "import secrets; print(secrets.token_urlsafe(50))").'
    )
# Every admin account needs its second factor; "publishers" narrows it.
if TWO_FACTOR_REQUIRED not in ("all", "publishers"):
    raise ImproperlyConfigured('TWO_FACTOR_REQUIRED must be "all" or "publishers" in production.')
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("DATABASE_URL must be set in production.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
OTP_WEBAUTHN_ALLOWED_ORIGINS = webauthn_origins(WAGTAILADMIN_BASE_URL, ALLOWED_HOSTS, OTP_WEBAUTHN_RP_ID)
# Uploaded files as the base settings chose them (local disk, or the bucket
# of MEDIA_S3_BUCKET); static files compressed, with cache-busting names.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
# Every unit's site is a subdomain or a domain of its own: HTTPS for all of
# them, and browsers may ship the domain in their HTTPS-only list.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
# Mail leaves encrypted: STARTTLS on the submission port unless the server
# speaks TLS from the first byte (EMAIL_USE_SSL, port 465).
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", not EMAIL_USE_SSL)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "465" if EMAIL_USE_SSL else "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
# Channel credentials are encrypted with keys of their own, never derived
# from SECRET_KEY (rotating one must not lose the other).
CHANNEL_CREDENTIALS_REQUIRE_KEY = True
# The worker never sends posts or credentials into the host's own or a
# private network (publishing/adapters/addresses.py).
PUBLISHING_REFUSE_PRIVATE_ADDRESSES = env_bool("PUBLISHING_REFUSE_PRIVATE_ADDRESSES", True)
# The web server in front serves the renditions (README, "Production");
# originals, video and audio still go through Django's check.
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)
# Set (e.g. "/protected-media/"), a file Django lets through is sent by nginx
# from that internal location (X-Accel-Redirect) instead of by a gunicorn
# worker for as long as a video plays (README, "Uploaded files in production").
MEDIA_ACCEL_REDIRECT = os.environ.get("MEDIA_ACCEL_REDIRECT", "")
if MEDIA_ACCEL_REDIRECT and not MEDIA_ACCEL_REDIRECT.startswith("/"):
    raise ImproperlyConfigured(f"MEDIA_ACCEL_REDIRECT must be a path starting with / (it is {MEDIA_ACCEL_REDIRECT!r}).")
# nginx's internal location serves MEDIA_ROOT, where nothing is when the
# files are in a bucket (MEDIA_S3_SIGNED_URL_SECONDS is that case's way).
if MEDIA_ACCEL_REDIRECT and MEDIA_S3_BUCKET:
    raise ImproperlyConfigured("MEDIA_ACCEL_REDIRECT serves MEDIA_ROOT: leave it empty with MEDIA_S3_BUCKET (see MEDIA_S3_SIGNED_URL_SECONDS).")
# Audit events are kept at least a year (information-security level 3).
if AUDIT_RETENTION_DAYS < 365:
    raise ImproperlyConfigured(f"AUDIT_RETENTION_DAYS must be at least 365 in production (it is {AUDIT_RETENTION_DAYS}).")
