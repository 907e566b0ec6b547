"""Backups an inspector can verify: `manage.py backup` writes one encrypted
archive of the database and the media files and records the run;
`manage.py restore` brings it back into an empty database with the same
rows and files; a changed archive or a wrong key is refused with a clear
message; retention deletes only the old archives."""

import hashlib
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import psycopg
import pytest
from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from backups import services
from backups.database import row_counts
from backups.models import BackupRun
from backups.tasks import back_up_daily
from hoitu.celery import app

ROOT = Path(__file__).resolve().parents[2]

# The backups read what is committed (pg_dump is another session), so the
# tests commit for real; the rows Wagtail's migrations create (the root
# page) are put back after each.


def checksums(root):
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(Path(root).rglob("*")) if path.is_file()}


def back_up(dest):
    call_command("backup", "--dest", str(dest), stdout=open(os.devnull, "w"))
    run = BackupRun.objects.latest("started_at")
    assert run.status == BackupRun.Status.OK, run.reason
    return dest / run.file_name


@pytest.fixture
def restored_database(tmp_path):
    """An empty database of the same kind as the tests', as a DATABASE_URL,
    and a function counting its rows; a PostgreSQL one is dropped after."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"

        def count():
            with connection.Database.connect(path) as restored:
                return row_counts(restored.cursor(), "sqlite")

        yield f"sqlite:///{path}", count
        return
    name = f"{database['NAME']}_restore"
    params = {key: database[key] for key in ("USER", "PASSWORD", "HOST", "PORT") if database.get(key)}
    server = {"user": params.get("USER"), "password": params.get("PASSWORD"), "host": params.get("HOST"), "port": params.get("PORT")}
    server = {key: value for key, value in server.items() if value}
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')

    def count():
        with psycopg.connect(dbname=name, **server) as restored:
            return row_counts(restored.cursor(), "postgresql")

    user = f"{server.get('user', '')}:{server.get('password', '')}@" if server.get("user") else ""
    yield f"postgres://{user}{server.get('host', '')}:{server.get('port', 5432)}/{name}", count
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_manage(*args, database_url):
    environment = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "hoitu.settings.test"}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restores_into_a_fresh_database_with_every_row_and_file(newsroom, tmp_path, restored_database):
    """The whole round trip, on the database the suite runs on (SQLite, or
    PostgreSQL through pg_dump and pg_restore), in another process as an
    administrator would run it on a new server."""
    media_root = Path(storages["default"].location)
    storages["default"].save("documents/bao-in/so-1.pdf", ContentFile(b"%PDF-1.4 bao in so 1"))
    archive = back_up(tmp_path / "backups")
    with connection.cursor() as cursor:
        expected_rows = row_counts(cursor, connection.vendor)
    expected_files = checksums(media_root)
    assert any(name.startswith("original_images/") for name in expected_files) and "documents/bao-in/so-1.pdf" in expected_files
    assert expected_rows["newsroom_articlepage"] == 3

    database_url, count = restored_database
    restored_media = tmp_path / "restored-media"
    finished = run_manage("restore", str(archive), "--media-root", str(restored_media), database_url=database_url)

    assert finished.returncode == 0, finished.stderr
    assert "Đã khôi phục" in finished.stdout
    assert count() == expected_rows
    assert checksums(restored_media) == expected_files


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    archive = back_up(tmp_path / "backups")
    with pytest.raises(CommandError, match="không trống.*chỉ được khôi phục vào một cơ sở dữ liệu trống"):
        call_command("restore", str(archive), "--media-root", str(tmp_path / "restored-media"))
    assert not (tmp_path / "restored-media").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_verify_records_the_check_and_a_changed_byte_is_refused(tmp_path):
    storages["default"].save("original_images/anh.jpg", ContentFile(b"\xff\xd8 anh goc"))
    archive = back_up(tmp_path)
    run = BackupRun.objects.get(file_name=archive.name)
    assert run.size == archive.stat().st_size and run.sha256 == hashlib.sha256(archive.read_bytes()).hexdigest()
    assert archive.stat().st_mode & 0o077 == 0  # only the owner reads it
    assert b"anh goc" not in archive.read_bytes()  # encrypted at rest

    call_command("backup", "--verify", str(archive), stdout=open(os.devnull, "w"))
    run.refresh_from_db()
    assert run.verified_at is not None and run.verification_error == ""

    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x01
    archive.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="đã bị sửa đổi hoặc hư hỏng"):
        call_command("backup", "--verify", str(archive))
    run.refresh_from_db()
    assert run.verified_at is None and "hư hỏng" in run.verification_error

    archive.write_bytes(bytes(data[: len(data) // 2]))
    with pytest.raises(CommandError, match="không trọn vẹn"):
        call_command("backup", "--verify", str(archive))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_made_with_another_key_is_refused_by_name(tmp_path, settings):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.BACKUP_ENCRYPTION_KEY = [old_key]
    archive = back_up(tmp_path)
    settings.BACKUP_ENCRYPTION_KEY = [new_key]
    with pytest.raises(CommandError, match="khoá không có trong BACKUP_ENCRYPTION_KEY"):
        call_command("backup", "--verify", str(archive))
    # The old key kept after the new one still opens it (rotation).
    settings.BACKUP_ENCRYPTION_KEY = [new_key, old_key]
    assert services.verify(archive)["database"]["vendor"] == connection.vendor


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_media_on_object_storage_are_listed_with_their_checksums(tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    storages["default"].save("media/phong-su.mp4", ContentFile(b"video phong su"))
    archive = back_up(tmp_path)
    manifest = services.verify(archive)
    assert manifest["media"]["in_archive"] is False
    assert manifest["media"]["files"] == {"media/phong-su.mp4": {"size": 14, "sha256": hashlib.sha256(b"video phong su").hexdigest()}}


@pytest.mark.django_db
def test_retention_deletes_only_the_older_archives(tmp_path, settings):
    settings.BACKUP_KEEP_DAYS = 14
    settings.BACKUP_KEEP_MONTHS = 3
    names = [
        "hoitu-backup-20260115-023000.tar.enc",  # a month too old to keep
        "hoitu-backup-20260301-023000.tar.enc",  # first of March: kept as monthly
        "hoitu-backup-20260302-023000.tar.enc",
        "hoitu-backup-20260410-023000.tar.enc",  # first of April: kept as monthly
        "hoitu-backup-20260420-023000.tar.enc",
        "hoitu-backup-20260421-033000.tar.enc",  # just under 14 days old: kept
        "hoitu-backup-20260505-023000.tar.enc",
    ]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
        BackupRun.objects.create(file_name=name, status=BackupRun.Status.OK)
    (tmp_path / "ghi-chu.txt").write_text("not an archive")
    now = timezone.make_aware(datetime(2026, 5, 5, 3, 0))

    deleted = services.prune(tmp_path, now=now)

    assert sorted(deleted) == [names[0], names[2], names[4]]
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([names[1], names[3], names[5], names[6], "ghi-chu.txt"])
    assert set(BackupRun.objects.exclude(pruned_at=None).values_list("file_name", flat=True)) == set(deleted)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_beat_backs_up_every_day_and_verifies_on_the_media_queue(tmp_path, settings):
    entry = django_settings.CELERY_BEAT_SCHEDULE["backup-daily"]
    assert entry["task"] == back_up_daily.name and entry["schedule"].hour == {2}
    assert app.amqp.router.route({}, back_up_daily.name)["queue"].name == "media"
    settings.BACKUP_DIR = tmp_path

    back_up_daily()

    run = BackupRun.objects.get()
    assert run.status == BackupRun.Status.OK and run.verified_at is not None and (tmp_path / run.file_name).is_file()
