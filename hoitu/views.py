"""The project's own addresses: the health page, the browsers' reports of
Content-Security-Policy violations and the uploaded files."""

import json
import logging
import posixpath
import re
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified, HttpResponseRedirect, JsonResponse, StreamingHttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST, require_safe
from django.views.static import serve, was_modified_since

from assets.models import ArchiveImage, CaptionTrack, Media
from newsroom.archive_usage import shown_to_readers, stories_using
from workflows.permissions import user_can_see_unpublished_file

from . import health, security
from .storage import NAMES_NEIGHBOURS, PUBLIC_FOLDERS, MediaBucket, content_type

csp_logger = logging.getLogger("hoitu.csp")

# Folders of the storage by who may open them at their storage path.
# Renditions and people's avatars (PUBLIC_FOLDERS): anyone (when
# SERVE_MEDIA is on; a web server in front serves them otherwise).
# Originals as uploaded, video and audio: readers once a live story shows
# them, staff of the stories' units before.
ARCHIVE_FOLDERS = {"original_images": ArchiveImage, "media": Media}
# What the media worker made of a video or recording (media-out/<id>/…,
# assets.transcoding): as its item's file.
MEDIA_OUTPUT_FOLDER = "media-out"
# A video's or a recording's caption files (assets.models.CaptionTrack):
# as their item's file.
CAPTION_FOLDER = "captions"
# Anything else, documents included, is never served by its path: a
# document goes through /documents/<id>/<name>, which honours its
# collection's privacy.

# One range of bytes ("bytes=500-999", "bytes=500-", "bytes=-500"): what a
# player asks to seek and a podcast app to resume. Several ranges at once
# are rare and get the whole file, as RFC 9110 allows.
BYTE_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


@never_cache
@require_GET
def healthz(request):
    ok, checks = health.run_checks()
    body = {"status": "ok" if ok else "fail"}
    if health.may_see_details(request):
        body["checks"] = checks
    return JsonResponse(body, status=200 if ok else 503)


# HEAD too: podcast apps ask an episode's size before downloading it.
@require_safe
def serve_media(request, path):
    # Normalised first, so "images/../documents/…" is judged as documents/.
    path = posixpath.normpath(path).lstrip("/")
    folder = path.split("/", 1)[0]
    if folder in PUBLIC_FOLDERS and settings.SERVE_MEDIA:
        return _send(request, path)
    # A file no archive item owns (left behind by a deletion) is nobody's.
    if folder == MEDIA_OUTPUT_FOLDER:
        item = _media_owning_output(path)
    elif folder == CAPTION_FOLDER:
        track = CaptionTrack.objects.filter(file=path).select_related("media").first()
        item = track.media if track else None
    else:
        model = ARCHIVE_FOLDERS.get(folder)
        item = model.objects.filter(file=path).first() if model else None
    if item is None:
        raise Http404
    stories = stories_using(item)
    if shown_to_readers(stories).exists():
        return _send(request, path)
    if not user_can_see_unpublished_file(request.user, item, stories):
        raise Http404
    response = _send(request, path)
    # Never kept by a shared cache in front, which would hand it to readers.
    patch_cache_control(response, private=True, no_store=True)
    return response


def _media_owning_output(path):
    """The item whose current outputs ``path`` is among (a playlist's
    segments sit beside it), or None."""
    parts = path.split("/")
    if len(parts) < 5 or not parts[1].isdigit():  # media-out/<id>/<version>/<output>/…
        return None
    item = Media.objects.filter(pk=int(parts[1])).first()
    folders = {output["path"].rsplit("/", 1)[0] for output in (item.outputs or {}).values()} if item else ()
    # The ladder's segments sit in a folder per stretch under its playlists'.
    return item if any(path.startswith(f"{folder}/") for folder in folders) else None


def _send(request, path):
    storage = storages["default"]
    if isinstance(storage, MediaBucket):
        return _send_from_bucket(request, storage, path)
    if settings.MEDIA_ACCEL_REDIRECT:
        # The web server in front sends the file (ranges and all) from its
        # internal location; the headers set here, Cache-Control and
        # Content-Type among them, go with it.
        response = HttpResponse(content_type=content_type(path))
        response["X-Accel-Redirect"] = f"{settings.MEDIA_ACCEL_REDIRECT.rstrip('/')}/{quote(path)}"
        return response
    # MEDIA_ROOT read per request, not at import, so it follows the settings.
    return _byte_range(request, serve(request, path, document_root=settings.MEDIA_ROOT))


def _send_from_bucket(request, storage, path):
    """A file of object storage, as ``serve`` and ``_byte_range`` send one
    from disk (404, 304, the one byte range asked for, 416), reading from
    the bucket only the bytes sent; or, with MEDIA_S3_SIGNED_URL_SECONDS,
    a redirect to the bucket's address for it, signed for that long (never
    for a playlist, whose segments the player finds beside it)."""
    if storage.signed_url_seconds and not path.endswith(NAMES_NEIGHBOURS):
        try:
            storage.stat(path)
        except FileNotFoundError as error:
            raise Http404 from error
        response = HttpResponseRedirect(storage.signed_url(path))
        # The address expires: nobody keeps it.
        patch_cache_control(response, private=True, no_store=True)
        return response
    try:
        size, modified = storage.stat(path)
    except FileNotFoundError as error:
        raise Http404 from error
    last_modified = http_date(modified.timestamp())
    if not was_modified_since(request.headers.get("If-Modified-Since"), int(modified.timestamp())):
        return HttpResponseNotModified()
    headers = {"Last-Modified": last_modified, "Accept-Ranges": "bytes"}
    asked = _asked_range(request, size, last_modified)
    if asked is False:
        return HttpResponse(status=416, headers={"Content-Range": f"bytes */{size}", "Accept-Ranges": "bytes"})
    start, end, status = (*asked, 206) if asked else (0, size - 1, 200)
    if status == 206:
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    headers["Content-Length"] = end - start + 1
    if request.method == "HEAD" or end < start:  # the size only, or an empty file
        return HttpResponse(status=status, headers=headers, content_type=content_type(path))
    return StreamingHttpResponse(storage.read_range(path, start, end), status=status, content_type=content_type(path), headers=headers)


def _asked_range(request, size, last_modified):
    """The one byte range asked for, (start, end); None for the whole file
    (no Range, not one range, or an If-Range the file no longer matches);
    False when it starts past the end."""
    asked = BYTE_RANGE.fullmatch(request.headers.get("Range", "").replace(" ", ""))
    if not asked or not any(asked.groups()):
        return None
    if request.headers.get("If-Range", last_modified) != last_modified:
        return None
    first, last = asked.groups()
    if not first:  # "-N": the last N bytes
        start, end = max(size - int(last), 0), size - 1
    elif last and int(last) < int(first):
        return None  # not a range at all (RFC 9110 14.1.1): ignored
    else:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    if start > end:  # past the end, "-0", or an empty file
        return False
    return start, end


def _byte_range(request, response):
    """Cuts ``serve``'s whole file to the one byte range asked for: 206 with
    Content-Range, or 416 when it starts past the end. A Range that is not
    one range, or an If-Range the file no longer matches, gets the whole."""
    response["Accept-Ranges"] = "bytes"
    if response.status_code != 200:
        return response
    size = int(response["Content-Length"])
    asked = _asked_range(request, size, response["Last-Modified"])
    if asked is None:
        return response
    if asked is False:
        # The file only: closing the response would end the request.
        response.file_to_stream.close()
        return HttpResponse(status=416, headers={"Content-Range": f"bytes */{size}", "Accept-Ranges": "bytes"})
    start, end = asked
    response.status_code = 206
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = end - start + 1
    # The file stays the response's to close.
    response.streaming_content = _file_part(response.file_to_stream, start, end)
    return response


def _file_part(file, start, end):
    file.seek(start)
    remaining = end - start + 1
    while remaining > 0:
        chunk = file.read(min(remaining, FileResponse.block_size))
        if not chunk:
            return
        remaining -= len(chunk)
        yield chunk


@csrf_exempt  # browsers post reports without a session or a token
@require_POST
def csp_report(request):
    """Logs each violation a browser reports, one line each, at most
    CSP_REPORT_RATE a minute per address and CSP_REPORT_MAX_BYTES a body."""
    if not security.ReportRateThrottle().allow_request(request, None):
        return JsonResponse({"error": _("Too many reports; try again in a minute.")}, status=429)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = -1
    if not 0 <= length <= settings.CSP_REPORT_MAX_BYTES:
        return JsonResponse({"error": _("The report is too large.")}, status=413)
    try:
        found = security.violations(json.loads(request.body))
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested past all reason
        found = []
    if not found:
        return JsonResponse({"error": _("This is not a Content-Security-Policy violation report.")}, status=400)
    for violation in found:
        csp_logger.warning("Content-Security-Policy violation: %s", json.dumps(violation, ensure_ascii=False))
    return HttpResponse(status=204)
