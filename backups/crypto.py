"""Backups are encrypted as a stream, so a media archive of hundreds of
gigabytes never has to fit in memory (Fernet would need it whole).

The file is a header (magic, the key's fingerprint, a random salt) and
chunks of AES-256-GCM, each with its counter and a last-chunk flag in the
nonce and the header as associated data: a changed, reordered, truncated or
extended file fails to decrypt. The key of each file is derived (HKDF) from
one of BACKUP_ENCRYPTION_KEY's keys and the salt; the fingerprint says which
key, so an archive made with a key no longer configured is named as such."""

import base64
import hashlib
import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

MAGIC = b"HOITUBK1"
SALT_BYTES = 16
FINGERPRINT_BYTES = 8
HEADER_BYTES = len(MAGIC) + FINGERPRINT_BYTES + SALT_BYTES
CHUNK_BYTES = 1024 * 1024
LAST_CHUNK = 0x80000000
TAG_BYTES = 16


class ArchiveError(Exception):
    """The archive cannot be read: wrong key, changed or damaged. The
    message is for people and never holds a key."""


def _decode(key, position):
    try:
        raw = base64.urlsafe_b64decode(key.encode())
    except (ValueError, TypeError):
        raw = b""
    if len(raw) != 32:
        # Never the key itself in the message.
        raise ImproperlyConfigured(f"BACKUP_ENCRYPTION_KEY: key {position} is not 32 url-safe base64-encoded bytes.")
    return raw


def configured_keys():
    """The raw keys, newest first: BACKUP_ENCRYPTION_KEY, else the channel
    credentials' keys (production requires those), else, in development and
    tests only, a key derived from SECRET_KEY."""
    keys = list(settings.BACKUP_ENCRYPTION_KEY) or list(settings.CHANNEL_CREDENTIALS_KEYS)
    if keys:
        return [_decode(key, position) for position, key in enumerate(keys, 1)]
    if settings.SECRET_KEY and not settings.CHANNEL_CREDENTIALS_REQUIRE_KEY:
        return [hashlib.sha256(b"hoitu-backups:" + settings.SECRET_KEY.encode()).digest()]
    raise ImproperlyConfigured("BACKUP_ENCRYPTION_KEY is not set: backups cannot be encrypted.")


def _fingerprint(key):
    return hashlib.sha256(b"hoitu-backup-key:" + key).digest()[:FINGERPRINT_BYTES]


def _file_cipher(key, salt):
    return AESGCM(HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"hoitu-backup v1").derive(key))


def _nonce(counter, last):
    return struct.pack(">QI", counter, 1 if last else 0)


class EncryptingWriter:
    """A write-only file object: what is written goes encrypted to ``out``;
    ``close()`` writes the last chunk. ``sha256`` and ``size`` describe the
    encrypted file."""

    def __init__(self, out):
        key = configured_keys()[0]
        salt = os.urandom(SALT_BYTES)
        self.header = MAGIC + _fingerprint(key) + salt
        self._cipher = _file_cipher(key, salt)
        self._out = out
        self._buffer = bytearray()
        self._counter = 0
        self.sha256 = hashlib.sha256()
        self.size = 0
        self._emit(self.header)

    def _emit(self, data):
        self._out.write(data)
        self.sha256.update(data)
        self.size += len(data)

    def _chunk(self, plaintext, last):
        sealed = self._cipher.encrypt(_nonce(self._counter, last), bytes(plaintext), self.header)
        self._counter += 1
        self._emit(struct.pack(">I", len(sealed) | (LAST_CHUNK if last else 0)) + sealed)

    def write(self, data):
        self._buffer += data
        while len(self._buffer) > CHUNK_BYTES:
            self._chunk(self._buffer[:CHUNK_BYTES], last=False)
            del self._buffer[:CHUNK_BYTES]
        return len(data)

    def close(self):
        self._chunk(self._buffer, last=True)
        self._buffer = bytearray()


class DecryptingReader:
    """A read-only file object over an encrypted archive; every chunk is
    authenticated before a byte of it is handed out. ``sha256`` is the
    encrypted file's once it has been read to the end."""

    def __init__(self, source):
        self._source = source
        self.sha256 = hashlib.sha256()
        header = self._take(HEADER_BYTES)
        if len(header) < HEADER_BYTES or not header.startswith(MAGIC):
            raise ArchiveError(_("This file is not a Hội Tụ backup."))
        fingerprint, salt = header[len(MAGIC) : len(MAGIC) + FINGERPRINT_BYTES], header[-SALT_BYTES:]
        key = next((key for key in configured_keys() if _fingerprint(key) == fingerprint), None)
        if key is None:
            raise ArchiveError(_("This backup was encrypted with a key that is not in BACKUP_ENCRYPTION_KEY: it cannot be opened."))
        self._header = header
        self._cipher = _file_cipher(key, salt)
        self._counter = 0
        self._plain = b""
        self._done = False

    def _take(self, size):
        data = self._source.read(size)
        self.sha256.update(data)
        return data

    def _next_chunk(self):
        prefix = self._take(4)
        if len(prefix) < 4:
            raise ArchiveError(_("The backup is incomplete: it ends before its last part."))
        (length,) = struct.unpack(">I", prefix)
        last = bool(length & LAST_CHUNK)
        length &= ~LAST_CHUNK
        sealed = self._take(length)
        if len(sealed) < length or length < TAG_BYTES:
            raise ArchiveError(_("The backup is incomplete: it ends before its last part."))
        try:
            self._plain = self._cipher.decrypt(_nonce(self._counter, last), sealed, self._header)
        except InvalidTag:
            raise ArchiveError(_("The backup has been changed or damaged: it does not match its encryption.")) from None
        self._counter += 1
        if last:
            if self._take(1):
                raise ArchiveError(_("The backup has been changed or damaged: it does not match its encryption."))
            self._done = True

    def read(self, size=-1):
        parts = []
        wanted = size if size >= 0 else float("inf")
        while wanted > 0:
            if not self._plain:
                if self._done:
                    break
                self._next_chunk()
                continue
            part = self._plain[: int(min(wanted, len(self._plain)))]
            self._plain = self._plain[len(part) :]
            parts.append(part)
            wanted -= len(part)
        return b"".join(parts)

    def finish(self):
        """Reads what is left, so a file whose end was cut or extended is
        refused even when the tar inside ended earlier."""
        while self.read(CHUNK_BYTES):
            pass
