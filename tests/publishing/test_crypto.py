"""Channel credentials are encrypted at rest, readable with any configured
key, re-encrypted with the newest by `rotate_channel_credentials`, and a
deployment without a key says so clearly instead of storing plaintext."""

import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection

from newsroom import crypto
from publishing.models import Channel
from tests.helpers import make_unit

SECRET = "123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


@pytest.fixture
def unit(db):
    return make_unit("taichinh", "Thời báo Tài chính", default=True)[0]


def stored(channel):
    with connection.cursor() as cursor:
        cursor.execute("SELECT credentials_encrypted FROM publishing_channel WHERE id = %s", [channel.pk])
        return cursor.fetchone()[0]


def new_channel(unit, credentials):
    channel = Channel(unit=unit, kind="telegram", name="Kênh Telegram", config={"chat_id": "@kenhthu"})
    channel.credentials = credentials
    channel.save()
    return channel


def test_the_database_holds_no_plaintext(unit):
    channel = new_channel(unit, {"bot_token": SECRET})
    column = stored(channel)
    assert column and SECRET not in column and "bot_token" not in column
    assert Channel.objects.get(pk=channel.pk).credentials == {"bot_token": SECRET}
    # Nor does the channel's text form, which ends up in logs and admin pages.
    assert SECRET not in str(channel) and SECRET not in repr(channel)


def test_key_rotation(unit, settings):
    old_key, new_key = crypto.generate_key(), crypto.generate_key()
    settings.CHANNEL_CREDENTIALS_KEYS = [old_key]
    channel = new_channel(unit, {"bot_token": SECRET})
    before = stored(channel)

    settings.CHANNEL_CREDENTIALS_KEYS = [new_key, old_key]
    assert Channel.objects.get(pk=channel.pk).credentials == {"bot_token": SECRET}  # old key still reads
    out = io.StringIO()
    call_command("rotate_channel_credentials", "--dry-run", stdout=out)
    assert "1 channel(s) would be re-encrypted" in out.getvalue() and stored(channel) == before
    call_command("rotate_channel_credentials", stdout=out)
    assert stored(channel) != before

    settings.CHANNEL_CREDENTIALS_KEYS = [new_key]  # the old key is dropped
    assert Channel.objects.get(pk=channel.pk).credentials == {"bot_token": SECRET}
    out = io.StringIO()
    call_command("rotate_channel_credentials", stdout=out)
    assert "0 channel(s) re-encrypted, 1 already on the newest key" in out.getvalue()


def test_rotation_names_the_channels_no_key_can_read(unit, settings):
    settings.CHANNEL_CREDENTIALS_KEYS = [crypto.generate_key()]
    channel = new_channel(unit, {"bot_token": SECRET})
    settings.CHANNEL_CREDENTIALS_KEYS = [crypto.generate_key()]
    with pytest.raises(CommandError, match=f"ids {channel.pk}"):
        call_command("rotate_channel_credentials", stdout=io.StringIO())
    with pytest.raises(ImproperlyConfigured, match="cannot be decrypted"):
        _ = Channel.objects.get(pk=channel.pk).credentials


def test_the_command_prints_a_usable_key():
    out = io.StringIO()
    call_command("rotate_channel_credentials", "--generate-key", stdout=out)
    key = out.getvalue().strip()
    assert crypto._fernet((key,)).decrypt(crypto._fernet((key,)).encrypt(b"x")) == b"x"


def test_production_without_a_key_refuses_clearly(unit, settings):
    settings.CHANNEL_CREDENTIALS_KEYS = []
    settings.CHANNEL_CREDENTIALS_REQUIRE_KEY = True
    channel = Channel(unit=unit, kind="telegram", name="Kênh")
    with pytest.raises(ImproperlyConfigured, match="CHANNEL_CREDENTIALS_KEYS is not set"):
        channel.credentials = {"bot_token": SECRET}
    assert not Channel.objects.exists()


def test_a_malformed_key_is_named_without_showing_it(settings):
    settings.CHANNEL_CREDENTIALS_KEYS = ["not-a-fernet-key-but-a-secret"]
    with pytest.raises(ImproperlyConfigured) as error:
        crypto.encrypt({"bot_token": SECRET})
    assert "key 1 is not a Fernet key" in str(error.value)
    assert "not-a-fernet-key-but-a-secret" not in str(error.value)


def test_production_settings_without_a_key_fail_their_checks(tmp_path):
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hoitu.settings.production",
        "DJANGO_SECRET_KEY": "a-production-secret-key-of-fifty-and-more-random-characters",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ALLOWED_HOSTS": "localhost",
        "VAR_DIR": str(tmp_path),
    }
    env.pop("CHANNEL_CREDENTIALS_KEYS", None)
    check = subprocess.run([sys.executable, "manage.py", "check"], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120)
    assert check.returncode != 0
    assert "publishing.E001" in check.stderr and "CHANNEL_CREDENTIALS_KEYS is not set" in check.stderr

    env["CHANNEL_CREDENTIALS_KEYS"] = crypto.generate_key()
    check = subprocess.run([sys.executable, "manage.py", "check"], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120)
    assert "publishing.E001" not in check.stderr, check.stderr
