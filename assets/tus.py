"""Resumable uploads: the tus 1.0.0 protocol (core, creation, termination,
checksum, expiration; https://tus.io/protocols/resumable-upload), so a
reporter's phone on a bad connection sends a video once, carrying on from
the next byte after every drop rather than from zero.

The bytes collect in a file of the upload's own (RESUMABLE_UPLOAD_DIR);
what a dropped request carried is kept. The first bytes say what the file
is: anything but a picture, a video or a recording is refused at once,
before the rest is sent. Once complete, the media worker makes the archive
item (``ingest``): a picture with its metadata read, or a video or
recording read and converted as any other."""

import base64
import binascii
import fcntl
import hashlib
import os
from datetime import timedelta

import filetype
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image
from wagtail.permissions import policy_registry

import relay

from . import metadata
from .collections import shared_collection
from .models import ArchiveImage, Media, ResumableUpload
from .sniffing import MEDIA_TYPES

VERSION = "1.0.0"
EXTENSIONS = "creation,termination,checksum,expiration"
CHECKSUMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "md5": hashlib.md5}
IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/gif": "gif", "image/avif": "avif"}
# Enough of the file for its type (filetype reads 261 bytes).
SNIFF_BYTES = 262
READ_CHUNK = 1024 * 1024


class Refused(Exception):
    """The request cannot be honoured: ``status`` and a message in words."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status, self.message = status, message


def create(user, length, metadata_header):
    """A new upload of ``length`` bytes (the Upload-Length header)."""
    try:
        length = int(length)
    except (TypeError, ValueError) as error:
        raise Refused(400, _("The upload must say its size (Upload-Length).")) from error
    if length < 0:
        raise Refused(400, _("The upload must say its size (Upload-Length)."))
    if length > settings.RESUMABLE_UPLOAD_MAX_BYTES:
        raise Refused(
            413,
            _("The file is larger than the archive's limit of %(limit)s GB.") % {"limit": f"{settings.RESUMABLE_UPLOAD_MAX_BYTES / 1024**3:g}"},
        )
    described = parse_metadata(metadata_header)
    filename = os.path.basename(described.get("filename", "") or "").strip()[:255] or "tep-tai-len"
    upload = ResumableUpload.objects.create(
        owner=user, filename=filename, length=length, metadata=described, expires_at=_expiry()
    )
    settings.RESUMABLE_UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
    upload.part_path.touch()
    if length == 0:
        _refuse_content(upload, b"")
    return upload


def receive(upload, offset, body, checksum_header=None):
    """Append a PATCH's body at ``offset``: the upload, moved on. What a
    dropped request carried is kept, unless a checksum was given (then the
    chunk is all or nothing). One PATCH at a time per upload (a lock on its
    file, not on its row: no transaction stays open while a phone sends)."""
    try:
        offset = int(offset)
    except (TypeError, ValueError) as error:
        raise Refused(400, _("The request must say where its bytes go (Upload-Offset).")) from error
    digest = _checksum(checksum_header)
    with open(upload.part_path, "r+b") as part:
        fcntl.flock(part, fcntl.LOCK_EX)
        upload.refresh_from_db()
        if upload.state != ResumableUpload.State.RECEIVING:
            raise Refused(409, _("This upload is already complete."))
        if upload.expires_at <= timezone.now():
            raise Refused(410, _("This upload has expired: start it again."))
        if offset != upload.offset:
            raise Refused(409, _("The upload is at byte %(offset)s, not %(asked)s.") % {"offset": upload.offset, "asked": offset})
        received = _append(upload, part, body, digest)
        if digest is not None and digest[0].digest() != digest[1]:
            part.truncate(upload.offset)
            raise Refused(460, _("The bytes do not match their checksum: send them again."))
        reached = upload.offset + received
        if upload.offset < SNIFF_BYTES and (reached >= SNIFF_BYTES or reached == upload.length):
            part.seek(0)
            _refuse_content(upload, part.read(SNIFF_BYTES))
        with transaction.atomic():
            upload.offset = reached
            changes = {"offset": reached, "expires_at": _expiry()}
            if reached == upload.length:
                changes["state"] = upload.state = ResumableUpload.State.COMPLETE
                relay.enqueue("assets.tasks.ingest_upload", str(upload.pk))
            ResumableUpload.objects.filter(pk=upload.pk).update(**changes)
    return upload


def terminate(upload):
    """The client gave up: the bytes and the record go."""
    _remove_part(upload)
    upload.delete()


def parse_metadata(header):
    """Upload-Metadata: "key base64value, key base64value" → {key: text}."""
    found = {}
    for pair in (header or "").split(","):
        pair = pair.strip()
        if not pair:
            continue
        key, _space, value = pair.partition(" ")
        try:
            found[key] = base64.b64decode(value, validate=True).decode("utf-8") if value else ""
        except (binascii.Error, UnicodeDecodeError) as error:
            raise Refused(400, _("The upload's description (Upload-Metadata) cannot be read.")) from error
    return found


def ingest(upload_id):
    """Make the archive item of a complete upload (the media worker):
    returns it, or None when the upload is gone or fails."""
    upload = ResumableUpload.objects.filter(pk=upload_id, state=ResumableUpload.State.COMPLETE).select_related("owner").first()
    if upload is None:
        return None
    try:
        with open(upload.part_path, "rb") as part:
            head = part.read(SNIFF_BYTES)
            kind = _kind(filetype.guess_mime(head))
            part.seek(0)
            title = (upload.metadata.get("title") or os.path.splitext(upload.filename)[0])[:255]
            if kind == "image":
                item = _add_picture(upload, part, title)
                ResumableUpload.objects.filter(pk=upload.pk).update(state=ResumableUpload.State.ADDED, image=item)
            else:
                item = Media(title=title, kind=kind, uploaded_by=upload.owner, collection=_collection(Media, upload.owner))
                item.file.save(upload.filename, _Moved(part, upload.part_path), save=False)
                item.save()
                ResumableUpload.objects.filter(pk=upload.pk).update(state=ResumableUpload.State.ADDED, media=item)
    except FileNotFoundError:
        ResumableUpload.objects.filter(pk=upload.pk).update(state=ResumableUpload.State.FAILED, failure=_("The received file is missing."))
        return None
    except (OSError, ValueError) as error:
        reason = _("“%(name)s” cannot be added: %(reason)s") % {"name": upload.filename, "reason": error}
        ResumableUpload.objects.filter(pk=upload.pk).update(state=ResumableUpload.State.FAILED, failure=reason)
        return None
    finally:
        _remove_part(upload)
    return item


def delete_expired(now=None):
    """Partial uploads past their expiry: their bytes and records."""
    expired = ResumableUpload.objects.filter(state=ResumableUpload.State.RECEIVING, expires_at__lte=now or timezone.now())
    count = 0
    for upload in expired:
        terminate(upload)
        count += 1
    return count


# --- inside


def _append(upload, part, body, digest):
    received = 0
    part.seek(upload.offset)
    part.truncate()
    room = upload.length - upload.offset
    while True:
        try:
            chunk = body.read(min(READ_CHUNK, room - received + 1))
        except OSError:  # the client went away: what arrived stays
            break
        if not chunk:
            break
        if received + len(chunk) > room:
            part.truncate(upload.offset)
            raise Refused(413, _("The request carries more bytes than the upload's size."))
        part.write(chunk)
        received += len(chunk)
        if digest is not None:
            digest[0].update(chunk)
    part.flush()
    return received


def _refuse_content(upload, head):
    mime = filetype.guess_mime(head) if head else None
    if _kind(mime) is None:
        terminate(upload)
        what = _("its content is %(content)s") % {"content": mime} if mime else _("its content is not one the newsroom recognises")
        raise Refused(415, _("“%(name)s” is not a picture, a video or a sound recording: %(what)s.") % {"name": upload.filename, "what": what})


def _kind(mime):
    if mime in IMAGE_TYPES:
        return "image"
    if mime in MEDIA_TYPES:
        return Media.Kind.VIDEO if mime.startswith("video/") else Media.Kind.AUDIO
    return None


def _checksum(header):
    if not header:
        return None
    algorithm, _space, value = header.strip().partition(" ")
    if algorithm not in CHECKSUMS:
        raise Refused(400, _("Unknown checksum algorithm: %(name)s.") % {"name": algorithm})
    try:
        expected = base64.b64decode(value, validate=True)
    except binascii.Error as error:
        raise Refused(400, _("The checksum cannot be read.")) from error
    return CHECKSUMS[algorithm](), expected


def _remove_part(upload):
    try:
        os.remove(upload.part_path)
    except FileNotFoundError:
        pass


def _expiry():
    return timezone.now() + timedelta(hours=settings.RESUMABLE_UPLOAD_EXPIRY_HOURS)


def _collection(model, user):
    """Where the uploader's items go: their unit's collection (the first
    they may add to), the shared archive for those who may add anywhere."""
    if user.is_superuser:
        return shared_collection()
    collections = policy_registry.get_by_type(model).collections_user_has_permission_for(user, "add")
    # Their unit's shared part before its private one (the deepest, then
    # first by path: the private part sits higher, beside the shared archive).
    return collections.order_by("-depth", "path").first() or shared_collection()


def _add_picture(upload, part, title):
    _check_picture(part)
    picture = ArchiveImage(title=title, uploaded_by_user=upload.owner, collection=_collection(ArchiveImage, upload.owner))
    found = metadata.read(part)
    keywords = metadata.fill_blanks(picture, found, upload.filename) if found else []
    picture.file.save(upload.filename, _Moved(part, upload.part_path), save=False)
    picture._set_image_file_metadata()
    picture.save()
    if keywords:
        picture.tags.add(*keywords)
    return picture


def _check_picture(part):
    """What the admin's picture form checks (assets.forms.IntactImageField):
    no more pixels than the limit, read from the header before anything is
    decoded (a decompression bomb), then every pixel readable (a cut file)."""
    try:
        with Image.open(part) as picture:
            if picture.width * picture.height > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
                raise ValueError(_("the picture has more pixels than the archive's limit"))
            picture.load()
    except (OSError, Image.DecompressionBombError) as error:
        raise ValueError(_("the picture file is damaged or incomplete")) from error
    finally:
        part.seek(0)


class _Moved(File):
    """The received file, for the storage: moved into place on the same
    disk (Django's file system storage renames what has a temporary path)
    rather than copied; copied to object storage."""

    def __init__(self, opened, path):
        super().__init__(opened, name=os.path.basename(path))
        self._path = str(path)

    def temporary_file_path(self):
        return self._path
