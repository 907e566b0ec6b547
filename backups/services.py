"""Backing up, verifying and restoring the installation, for the commands
and the daily task.

An archive is one encrypted tar stream (backups/crypto.py): the database
dump first, then the media files (``media/<path>``) when they live on the
file system, then ``manifest.json``: the dump's and every file's SHA-256
and size, and the row count of every table. With media on object storage
the manifest lists the files (path, size, SHA-256) instead; the storage
keeps them."""

import hashlib
import json
import os
import re
import tarfile
import tempfile
from datetime import datetime, timedelta
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.utils import timezone
from django.utils.translation import gettext as _

from . import database
from .crypto import ArchiveError, DecryptingReader, EncryptingWriter
from .models import BackupRun

ARCHIVE_NAME = re.compile(r"^hoitu-backup-(\d{8}-\d{6})\.tar\.enc$")
MANIFEST = "manifest.json"
MEDIA = "media/"
READ_BYTES = 1024 * 1024


def archive_name(moment):
    return f"hoitu-backup-{timezone.localtime(moment):%Y%m%d-%H%M%S}.tar.enc"


class _Hashing:
    """Hands a file to tarfile while hashing what it reads."""

    def __init__(self, source):
        self._source = source
        self.sha256 = hashlib.sha256()

    def read(self, size=-1):
        data = self._source.read(size)
        self.sha256.update(data)
        return data


def _add(tar, name, source, size, mtime):
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(mtime), 0o600
    hashing = _Hashing(source)
    tar.addfile(info, hashing)
    return {"size": size, "sha256": hashing.sha256.hexdigest()}


def _add_path(tar, name, path):
    status = path.stat()
    with path.open("rb") as source:
        return _add(tar, name, source, status.st_size, status.st_mtime)


def _media_files(root):
    """Regular files under ``root``, by their path relative to it, in a
    stable order (links are not followed: nothing outside it goes in)."""
    for folder, subfolders, files in os.walk(root):
        subfolders.sort()
        for file_name in sorted(files):
            path = Path(folder) / file_name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix(), path


def _storage_files(storage, prefix=""):
    folders, files = storage.listdir(prefix)
    for file_name in sorted(files):
        yield f"{prefix}{file_name}"
    for folder in sorted(folders):
        yield from _storage_files(storage, f"{prefix}{folder}/")


def _storage_manifest(storage):
    files = {}
    for name in _storage_files(storage):
        digest, size = hashlib.sha256(), 0
        with storage.open(name, "rb") as source:
            while data := source.read(READ_BYTES):
                digest.update(data)
                size += len(data)
        files[name] = {"size": size, "sha256": digest.hexdigest()}
    return files


def back_up(dest=None):
    """Writes a new archive into ``dest`` (BACKUP_DIR), records the run and
    applies the retention. A failure is recorded with its reason, leaves no
    partial archive and is raised as ArchiveError."""
    dest = Path(dest or settings.BACKUP_DIR)
    started = timezone.now()
    run = BackupRun.objects.create(started_at=started, file_name=archive_name(started))
    path = dest / run.file_name
    created = False
    try:
        dest.mkdir(parents=True, exist_ok=True)
        storage = storages["default"]
        with tempfile.TemporaryDirectory(dir=dest, prefix=".hoitu-backup-") as work:
            dump_path = Path(work) / "dump"
            vendor, counts = database.dump(dump_path)
            # Only the owner reads the archive; never over an existing one.
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            created = True
            with open(descriptor, "wb") as out:
                writer = EncryptingWriter(out)
                with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                    member = database.DUMP_MEMBERS[vendor]
                    dumped = _add_path(tar, member, dump_path)
                    in_archive = isinstance(storage, FileSystemStorage)
                    if in_archive:
                        root = Path(storage.location)
                        files = {name: _add_path(tar, MEDIA + name, file_path) for name, file_path in _media_files(root)} if root.is_dir() else {}
                    else:
                        files = _storage_manifest(storage)
                    manifest = {
                        "format": 1,
                        "created_at": started.isoformat(),
                        "file_name": run.file_name,
                        "database": {"vendor": vendor, "member": member, **dumped},
                        "tables": counts,
                        "media": {"in_archive": in_archive, "storage": type(storage).__module__ + "." + type(storage).__qualname__, "files": files},
                    }
                    body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                    _add(tar, MANIFEST, _BytesSource(body), len(body), started.timestamp())
                writer.close()
                out.flush()
                os.fsync(out.fileno())
    except Exception as error:
        if created:
            path.unlink(missing_ok=True)
        run.status, run.reason, run.finished_at = BackupRun.Status.FAILED, str(error) or type(error).__name__, timezone.now()
        run.save()
        if isinstance(error, ArchiveError):
            raise
        raise ArchiveError(_("The backup failed: %(error)s") % {"error": run.reason}) from error
    run.status, run.finished_at = BackupRun.Status.OK, timezone.now()
    run.size, run.sha256 = writer.size, writer.sha256.hexdigest()
    run.save()
    prune(dest)
    return run


class _BytesSource:
    def __init__(self, data):
        self._data = memoryview(data)

    def read(self, size=-1):
        size = len(self._data) if size < 0 else size
        part, self._data = self._data[:size], self._data[size:]
        return bytes(part)


def _media_name(member_name):
    """The path under the media root of an archive member, refused if it
    could land outside it."""
    relative = PurePosixPath(member_name[len(MEDIA) :])
    if relative.is_absolute() or not relative.parts or ".." in relative.parts:
        raise ArchiveError(_("The backup holds a file outside the media folder: %(name)s") % {"name": member_name})
    return relative.as_posix()


def _read_archive(path, on_member):
    """Reads the whole archive, handing each member to ``on_member(member,
    source)`` (which reads it, or not), and checks every checksum against
    the manifest. Returns the manifest and the archive's SHA-256."""
    found = {}
    manifest = None
    with open(path, "rb") as raw:
        reader = DecryptingReader(raw)
        try:
            with tarfile.open(fileobj=reader, mode="r|") as tar:
                for member in tar:
                    if not member.isfile():
                        raise ArchiveError(_("The backup holds something other than files: %(name)s") % {"name": member.name})
                    hashing = _Hashing(tar.extractfile(member))
                    if member.name == MANIFEST:
                        manifest = json.loads(hashing.read())
                        continue
                    on_member(member, hashing)
                    while hashing.read(READ_BYTES):
                        pass
                    found[member.name] = {"size": member.size, "sha256": hashing.sha256.hexdigest()}
        except (tarfile.TarError, ValueError) as error:
            raise ArchiveError(_("The backup is damaged: %(error)s") % {"error": error}) from error
        reader.finish()
    if manifest is None:
        raise ArchiveError(_("The backup has no manifest: it is incomplete."))
    expected = {manifest["database"]["member"]: {key: manifest["database"][key] for key in ("size", "sha256")}}
    if manifest["media"]["in_archive"]:
        expected.update({MEDIA + name: entry for name, entry in manifest["media"]["files"].items()})
    if found != expected:
        wrong = sorted(name for name in set(found) | set(expected) if found.get(name) != expected.get(name))
        raise ArchiveError(_("Checksums do not match the manifest for: %(names)s") % {"names": ", ".join(wrong[:10])})
    return manifest, reader.sha256.hexdigest()


def verify(path):
    """Decrypts the archive and checks every checksum without restoring it;
    records the verification on the run that wrote it."""
    path = Path(path)
    runs = BackupRun.objects.filter(file_name=path.name)
    try:
        manifest, digest = _read_archive(path, lambda member, source: None)
        recorded = runs.exclude(sha256="").values_list("sha256", flat=True).first()
        if recorded and recorded != digest:
            raise ArchiveError(_("The file is not the one this backup wrote: its SHA-256 differs from the one recorded."))
    except ArchiveError as error:
        runs.update(verified_at=None, verification_error=str(error))
        raise
    except OSError as error:
        raise ArchiveError(_("The backup cannot be read: %(error)s") % {"error": error.strerror or error}) from error
    runs.update(verified_at=timezone.now(), verification_error="")
    return manifest


def _ensure_empty_folder(root):
    if root.exists() and any(root.iterdir()):
        raise database.DatabaseNotEmpty(_("The media folder %(path)s is not empty: media files are restored only into an empty folder.") % {"path": root})


def restore(path, media_root=None):
    """Restores the archive into the empty database of the settings and an
    empty media folder, after checking it whole, then compares the row
    count of every table with the manifest. Returns the manifest."""
    path = Path(path)
    storage = storages["default"]
    media_root = Path(media_root) if media_root else (Path(storage.location) if isinstance(storage, FileSystemStorage) else None)
    database.ensure_empty()
    if media_root is not None:
        _ensure_empty_folder(media_root)
    try:
        manifest = _read_archive(path, lambda member, source: None)[0]
    except OSError as error:
        raise ArchiveError(_("The backup cannot be read: %(error)s") % {"error": error.strerror or error}) from error
    if manifest["media"]["in_archive"] and media_root is None:
        raise ArchiveError(_("The backup holds media files: give the folder to restore them into with --media-root."))
    with tempfile.TemporaryDirectory(prefix="hoitu-restore-") as work:
        dump_path = Path(work) / "dump"

        def write(member, source):
            if member.name == manifest["database"]["member"]:
                target = dump_path
            else:
                target = media_root / _media_name(member.name)
                target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("xb") as out:
                while data := source.read(READ_BYTES):
                    out.write(data)

        # Read again, written this time: each chunk is authenticated again,
        # so a file changed since the first reading is refused.
        _read_archive(path, write)
        counts = database.restore(dump_path, manifest["database"]["vendor"])
    if counts != manifest["tables"]:
        wrong = sorted(table for table in set(counts) | set(manifest["tables"]) if counts.get(table) != manifest["tables"].get(table))
        raise ArchiveError(_("Row counts differ from the backup's in: %(tables)s") % {"tables": ", ".join(wrong[:10])})
    return manifest


def prune(dest=None, now=None):
    """Deletes the archives in ``dest`` older than BACKUP_KEEP_DAYS days,
    but the first of each of the last BACKUP_KEEP_MONTHS months and the
    newest of all. Only files named like an archive are touched. Returns
    the names deleted."""
    dest = Path(dest or settings.BACKUP_DIR)
    now = timezone.localtime(now or timezone.now())
    archives = []
    for path in dest.iterdir() if dest.is_dir() else ():
        match = ARCHIVE_NAME.match(path.name)
        if match and path.is_file():
            archives.append((datetime.strptime(match[1], "%Y%m%d-%H%M%S").replace(tzinfo=now.tzinfo), path))
    archives.sort()
    keep = {archives[-1][1]} if archives else set()
    cutoff = now - timedelta(days=settings.BACKUP_KEEP_DAYS)
    keep.update(path for moment, path in archives if moment >= cutoff)
    months = {(now.year * 12 + now.month - 1 - back) for back in range(settings.BACKUP_KEEP_MONTHS)}
    first_of_month = {}
    for moment, path in archives:
        first_of_month.setdefault(moment.year * 12 + moment.month - 1, path)
    keep.update(path for month, path in first_of_month.items() if month in months)
    deleted = [path.name for _moment, path in archives if path not in keep]
    for name in deleted:
        (dest / name).unlink()
    BackupRun.objects.filter(file_name__in=deleted, pruned_at=None).update(pruned_at=timezone.now())
    return deleted
