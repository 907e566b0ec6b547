"""Upload limits per kind of file, enforced while the request body is read.

``UploadLimitHandler`` comes first in ``FILE_UPLOAD_HANDLERS``. It knows
from the admin address posted to which limit applies (images, documents,
or the archive's video and audio, told apart by the file's extension).
Once a file passes its limit, the handlers after it (memory, temporary
file) drop what they hold and get no more of it, and the form receives an
``OversizedUpload`` in its place, which the archive's file fields refuse
with a message naming the file and the limit. Any other file field sees an
empty file and refuses it too: nothing too big is stored, and nothing is
half-written."""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .models.media import AUDIO_EXTENSIONS, VIDEO_EXTENSIONS

KIND_LABELS = {
    "image": _("images"),
    "document": _("documents"),
    "audio": _("audio"),
    "video": _("video"),
}
# The admin areas that take files, by URL name; an upload anywhere else
# (an avatar, say) is held to the image limit, the smallest.
AREAS = [("wagtailimages:index", "image"), ("wagtaildocs:index", "document"), ("wagtailsnippets_assets_media:list", "media")]


def kind_of_upload(path, file_name):
    kind = next((kind for url_name, kind in AREAS if path.startswith(_prefix(url_name))), "image")
    if kind != "media":
        return kind
    extension = os.path.splitext(file_name)[1].lower().lstrip(".")
    if extension in VIDEO_EXTENSIONS:
        return "video"
    if extension in AUDIO_EXTENSIONS:
        return "audio"
    # A file the form refuses anyway: held to the smaller limit.
    return min(("audio", "video"), key=lambda kind: settings.UPLOAD_LIMITS[kind])


def _prefix(url_name):
    try:
        return reverse(url_name)
    except NoReverseMatch:  # an area not installed
        return "\0"


def format_limit(size):
    """50 MB, 4 GB: the limit as people set it, without decimals."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} B"


class OversizedUpload(UploadedFile):
    """Stands in for a file refused for its size: empty, so that no form can
    store it, and carrying the message the archive's forms show."""

    def __init__(self, name, kind, limit):
        super().__init__(file=None, name=name, content_type="application/octet-stream", size=0)
        self.kind = kind
        self.limit = limit

    def open(self, mode=None):
        return self

    def read(self, *args):
        return b""

    def chunks(self, chunk_size=None):
        return iter(())

    def multiple_chunks(self, chunk_size=None):
        return False

    def close(self):
        pass

    @property
    def message(self):
        return _("The file “%(name)s” is larger than the %(limit)s limit for %(kind)s.") % {
            "name": self.name,
            "limit": format_limit(self.limit),
            "kind": KIND_LABELS[self.kind],
        }


def refuse_oversized(data):
    """For a form field's ``to_python``: the upload refused while it was read
    becomes the field's error."""
    if isinstance(data, OversizedUpload):
        raise ValidationError(data.message, code="file_too_large")


class UploadLimitHandler(FileUploadHandler):
    def new_file(self, field_name, file_name, content_type, content_length, charset=None, content_type_extra=None):
        super().new_file(field_name, file_name, content_type, content_length, charset, content_type_extra)
        self.kind = kind_of_upload(self.request.path, file_name)
        self.limit = settings.UPLOAD_LIMITS[self.kind]
        self.refused = content_length is not None and content_length > self.limit
        if self.refused:  # the part says its size: no other handler starts on it
            raise StopFutureHandlers
        # A later handler's file from an earlier part of the request is
        # already in request.FILES; only the ones opened for this part go.
        self.earlier_files = [getattr(handler, "file", None) for handler in self._later_handlers()]

    def receive_data_chunk(self, raw_data, start):
        if self.refused:
            return None
        if start + len(raw_data) > self.limit:
            self.refused = True
            for handler, earlier in zip(self._later_handlers(), self.earlier_files, strict=True):
                if getattr(handler, "file", None) is not earlier:
                    # Django's own clean-up for an interrupted upload: the
                    # temporary file handler deletes the part it wrote.
                    handler.upload_interrupted()
            return None
        return raw_data

    def file_complete(self, file_size):
        if self.refused:
            return OversizedUpload(self.file_name, self.kind, self.limit)
        return None

    def _later_handlers(self):
        handlers = self.request.upload_handlers
        return handlers[handlers.index(self) + 1:]
