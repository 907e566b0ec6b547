import os

from .base import *  # noqa: F401,F403
from .base import CACHES, INSTALLED_APPS, STATIC_ROOT, VAR_DIR, WAGTAILSEARCH_BACKENDS

SECRET_KEY = "test-only-key"
# The tests use the demo's fake platforms and seed the demo newsroom.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
DEBUG = False
# The admin's second factor is on, as in production: tests sign in with a
# verified device (tests/conftest.py).
TWO_FACTOR_REQUIRED = "all"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
MEDIA_ROOT = VAR_DIR / "test-media"
RESUMABLE_UPLOAD_DIR = VAR_DIR / "test-uploads"
# Each try of a send is its own attempt, as the tests of the backoff follow
# it step by step; the tests of the quick retries turn them on
# (tests/publishing/conftest.py), with pauses of 5–10 ms.
PUBLISHING_QUICK_RETRIES = 0
PUBLISHING_QUICK_RETRY_SECONDS = 0.01
# The media tests' clips are seconds long: x264's fastest preset keeps the
# suite quick; what is checked (sizes, ladders, loudness) does not depend on it.
MEDIA_X264_PRESET = os.environ.get("MEDIA_X264_PRESET", "ultrafast")

# Each test run gets a private cache unless it exercises Redis on purpose.
if not os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"},
        "renditions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests-r"},
    }
else:
    CACHES["default"]["KEY_PREFIX"] = f"hoitu-test-{os.getpid()}"
    CACHES["renditions"]["KEY_PREFIX"] = f"hoitu-test-{os.getpid()}-r"

# Against a live OpenSearch (README, "Search at newsroom scale"): this run's
# own indexes, deleted when it ends (tests/conftest.py).
if os.environ.get("OPENSEARCH_URL"):
    WAGTAILSEARCH_BACKENDS["default"]["INDEX_PREFIX"] = f"hoitu_test_{os.getpid()}_"

# Tasks raised by the code under test go to an in-memory broker. A worker a
# test starts (tests/publishing/worker.py) is handed the test's broker in
# CELERY_BROKER_URL, which Celery reads before any setting: it keeps the base
# settings' transport options for it (the file-system broker's folders under
# VAR_DIR).
if not os.environ.get("CELERY_BROKER_URL"):
    CELERY_BROKER_URL = "memory://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {}

# WhiteNoise warns at start-up when STATIC_ROOT does not exist yet.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
