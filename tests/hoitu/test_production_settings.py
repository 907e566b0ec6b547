"""Production settings refuse what would be unsafe and default to the safe
choice: a weak secret key stops the start, HSTS covers subdomains and may
be preloaded, mail leaves over TLS. Each read in a fresh interpreter, the
way a production process starts."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "Zq7-vP2xL9mN4tR8wB1cF6gJ0hS5kA3dE7uY2iO9pT4rW6qX1z"
NAMES = [
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "EMAIL_PORT",
    "SERVE_MEDIA",
    "MEDIA_ACCEL_REDIRECT",
]

# Reads settings only: the same on every database.
pytestmark = pytest.mark.once


def production(**env):
    not_inherited = ("DATABASE_URL", "SERVE_MEDIA", "MEDIA_ACCEL_REDIRECT")
    base = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "EMAIL_", "SECURE_")) and key not in not_inherited}
    base.update(DJANGO_SETTINGS_MODULE="hoitu.settings.production", DATABASE_URL="postgres://hoitu@db/hoitu", DJANGO_SECRET_KEY=STRONG_KEY)
    base.update(env)
    probe = f"import json; from hoitu.settings import production as s; print(json.dumps({{name: getattr(s, name) for name in {NAMES!r}}}))"
    return subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=base, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    "key",
    ["§", "kQ7vP2xL9mN4tR8wB1cF6gJ0hS5kA3dE7uY2iO9pT4rW6qX1", "ab" * 40, "django-insecure-" + STRONG_KEY],
    ids=["one-character", "48-characters", "five-distinct-characters-missing", "django-insecure"],
)
def test_a_weak_secret_key_stops_production_without_showing_it(key):
    result = production(DJANGO_SECRET_KEY=key)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is too weak for production" in result.stderr
    assert key not in result.stderr


def test_production_defaults_are_the_safe_ones():
    result = production()
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout) == {
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_PORT": 587,
        # Renditions from the web server in front (originals still through Django's check).
        "SERVE_MEDIA": False,
        # Django sends the files it lets through until nginx's internal location is set up.
        "MEDIA_ACCEL_REDIRECT": "",
    }


def test_each_default_can_be_changed_by_the_installation():
    result = production(
        SECURE_HSTS_PRELOAD="false", SECURE_HSTS_INCLUDE_SUBDOMAINS="false", EMAIL_USE_SSL="true", SERVE_MEDIA="true", MEDIA_ACCEL_REDIRECT="/protected-media/"
    )
    assert result.returncode == 0, result.stderr[-2000:]
    chosen = json.loads(result.stdout)
    assert (chosen["SECURE_HSTS_PRELOAD"], chosen["SECURE_HSTS_INCLUDE_SUBDOMAINS"]) == (False, False)
    # TLS from the first byte: STARTTLS off (Django refuses both) and port 465.
    assert (chosen["EMAIL_USE_SSL"], chosen["EMAIL_USE_TLS"], chosen["EMAIL_PORT"]) == (True, False, 465)
    assert chosen["SERVE_MEDIA"] is True
    assert chosen["MEDIA_ACCEL_REDIRECT"] == "/protected-media/"


def test_an_accel_redirect_that_is_not_a_path_stops_production():
    result = production(MEDIA_ACCEL_REDIRECT="protected-media/")
    assert result.returncode != 0 and "MEDIA_ACCEL_REDIRECT must be a path starting with /" in result.stderr


def test_the_deployment_check_is_clean_on_production_settings():
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "EMAIL_", "SECURE_")) and key != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="hoitu.settings.production",
        DATABASE_URL="postgres://hoitu@db/hoitu",
        DJANGO_SECRET_KEY=STRONG_KEY,
        CHANNEL_CREDENTIALS_KEYS="x0Hc6vYqQ2o4G1kC8u3b7RzN5m9JtL2wP6sE1aD4fV0=",
        ALLOWED_HOSTS="baotaichinh.vn",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
