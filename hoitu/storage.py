"""Where uploaded files live when they are not on local disk: an
S3-compatible bucket (AWS, MinIO, a Vietnamese cloud's object storage),
chosen by the settings when MEDIA_S3_BUCKET is set.

The files keep the site's own addresses (MEDIA_URL + name, as on local
disk), so an original, a video and what the media worker made of it still
reach a reader only through ``serve_media``'s check (hoitu/views.py),
which sends the bytes itself or redirects to an address of the bucket
signed for a few seconds. Only the public folders (renditions, avatars) may
be linked at a public address in front of the bucket instead. Objects are
private: no ACL is ever sent, the bucket's own policy decides."""

import mimetypes
import posixpath
from urllib.parse import urljoin

from botocore.exceptions import ClientError
from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

# HLS segments: Python's table has .ts as Qt's translation files. Here, so
# the media worker stores them with their type too.
mimetypes.add_type("video/mp2t", ".ts")

# Folders of the storage anyone may open at their path: renditions and
# people's avatars. Everything else goes through serve_media's check.
PUBLIC_FOLDERS = {"images", "avatar_images"}
# Files naming their neighbours by relative address (a playlist its
# segments, the scrubbing index its picture sheet): always sent from the
# site's own address, never redirected to the bucket, where the neighbours'
# addresses would be unsigned.
NAMES_NEIGHBOURS = (".m3u8", ".vtt")
NOT_FOUND = {"404", "NoSuchKey", "NotFound"}


class MediaBucket(S3Storage):
    """The archive's files in an S3-compatible bucket.

    Two options beside django-storages' own: ``public_url``, the address a
    CDN or the bucket serves the public folders at (empty: the site's
    MEDIA_URL, like every other file), and ``signed_url_seconds``, how long
    the address ``serve_media`` redirects to is valid (0: Django sends the
    bytes itself)."""

    public_url = ""
    signed_url_seconds = 0

    def get_default_settings(self):
        return {**super().get_default_settings(), "public_url": "", "signed_url_seconds": 0}

    def url(self, name, parameters=None, expire=None, http_method=None):
        name = clean_name(name)
        if self.public_url and name.split("/", 1)[0] in PUBLIC_FOLDERS:
            return urljoin(self.public_url.rstrip("/") + "/", filepath_to_uri(name))
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name))

    def signed_url(self, name):
        """An address of the bucket that answers for ``name`` (byte ranges
        included) for ``signed_url_seconds``, with the file's type."""
        return self.connection.meta.client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket_name, "Key": self._key(name), "ResponseContentType": content_type(name)},
            ExpiresIn=self.signed_url_seconds,
        )

    def stat(self, name):
        """(size in bytes, last modified) of a stored file, one request;
        FileNotFoundError when there is none."""
        try:
            head = self.connection.meta.client.head_object(Bucket=self.bucket_name, Key=self._key(name))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in NOT_FOUND:
                raise FileNotFoundError(name) from error
            raise
        return head["ContentLength"], head["LastModified"]

    def read_range(self, name, start, end, chunk_size=64 * 1024):
        """The bytes ``start`` to ``end`` (inclusive) of a stored file, in
        chunks as they arrive: only that range is asked of the bucket."""
        answer = self.connection.meta.client.get_object(Bucket=self.bucket_name, Key=self._key(name), Range=f"bytes={start}-{end}")
        body = answer["Body"]
        try:
            yield from body.iter_chunks(chunk_size)
        finally:
            body.close()

    def download(self, name, local):
        """Copy a stored file into the open local file ``local``, in
        parallel ranges, never held whole in memory (what the media worker's
        tools read: assets.ffmpeg.copy_to)."""
        self.bucket.download_fileobj(self._key(name), local, Config=self.transfer_config)

    def _key(self, name):
        return self._normalize_name(clean_name(name))


def content_type(name):
    return mimetypes.guess_type(posixpath.basename(name))[0] or "application/octet-stream"
