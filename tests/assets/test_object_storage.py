"""The archive on S3-compatible object storage (MEDIA_S3_BUCKET), against
a real S3 server on this machine (moto in server mode): a picture, its
renditions, a video and everything the media worker makes of it, and an
upload from the field land in the bucket and nowhere on local disk; the
site's addresses still answer, through the same check as on disk, with
the bucket's bytes, a byte range, or a redirect to a briefly signed
address of the bucket."""

import base64
import io
import logging
import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import boto3
import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from moto.server import ThreadedMotoServer
from PIL import Image
from wagtail.documents import get_document_model

from assets.models import ArchiveImage, Media, ResumableUpload
from assets.renditions import all_filter_specs
from hoitu.settings.base import media_bucket_storage
from hoitu.storage import MediaBucket
from tests.helpers import make_article, make_image
from tests.test_project_files import PRODUCTION_ENV

from .media import be_the_media_worker, ffmpeg, needs_ffmpeg, worker_round

# The storage, not the database, is what these try: run once, on SQLite.
pytestmark = [pytest.mark.django_db, pytest.mark.once]
ROOT = Path(__file__).resolve().parents[2]
BUCKET = "hoitu-kho-tu-lieu"
# moto takes any key; the point is that the storage sends the ones given.
KEYS = {"MEDIA_S3_ACCESS_KEY_ID": "toa-soan", "MEDIA_S3_SECRET_ACCESS_KEY": "bi-mat-cua-toa-soan"}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    """A local S3 server for the module, with the archive's bucket."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, region_name="ap-southeast-1", aws_access_key_id=KEYS["MEDIA_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["MEDIA_S3_SECRET_ACCESS_KEY"],
    )  # fmt: skip
    try:
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-1"})
    except client.exceptions.BucketAlreadyOwnedByYou:
        pass  # moto keeps its buckets for the process: a second server of the run finds it
    yield endpoint, client
    server.stop()


def bucket_environment(endpoint, **more):
    return {
        "MEDIA_S3_BUCKET": BUCKET, "MEDIA_S3_ENDPOINT_URL": endpoint, "MEDIA_S3_REGION": "ap-southeast-1",
        "MEDIA_S3_ADDRESSING_STYLE": "path", **KEYS, **more,
    }  # fmt: skip


@pytest.fixture
def bucket(s3_server, settings, monkeypatch):
    """The default storage on the bucket, configured from the environment
    as the settings read it; the bucket emptied after each test. Nothing of
    the test may reach local disk under MEDIA_ROOT."""
    endpoint, client = s3_server
    for name, value in bucket_environment(endpoint).items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "default": media_bucket_storage()}
    media_root = Path(settings.MEDIA_ROOT)
    on_disk = sorted(media_root.rglob("*")) if media_root.exists() else []
    yield client
    assert (sorted(media_root.rglob("*")) if media_root.exists() else []) == on_disk, "written to MEDIA_ROOT"
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for entry in page.get("Contents", ()):
            client.delete_object(Bucket=BUCKET, Key=entry["Key"])


def sign_addresses(settings, seconds):
    """MEDIA_S3_SIGNED_URL_SECONDS set to ``seconds``."""
    options = {**settings.STORAGES["default"]["OPTIONS"], "signed_url_seconds": seconds}
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": options}}


def keys(client, prefix=""):
    found = []
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix):
        found += [entry["Key"] for entry in page.get("Contents", ())]
    return found


def in_bucket(client, key):
    return client.get_object(Bucket=BUCKET, Key=key)["Body"].read()


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def jpeg(size=(1200, 800), color=(200, 30, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


@pytest.fixture(scope="session")  # files only: made once, however the run orders the module's tests
def clip(tmp_path_factory):
    """Three seconds of 640x360 video with sound."""
    return ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=3", "-f", "lavfi", "-i", "sine=frequency=440:duration=3",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
        output=tmp_path_factory.mktemp("clip") / "le-hoi.mp4",
    )  # fmt: skip


def production_storage(environment):
    """The default storage the production settings make of ``environment``:
    its class, options and the address it gives a file, as printed."""
    probe = (
        "import django; django.setup(); from django.core.files.storage import storages; s = storages['default']; "
        "print(type(s).__name__, s.url('media/a b.mp4'), *(getattr(s, name, '-') for name in "
        "('bucket_name', 'endpoint_url', 'region_name', 'addressing_style', 'default_acl', 'file_overwrite', 'querystring_auth')))"
    )
    base = {key: value for key, value in os.environ.items() if not key.startswith(("MEDIA_S3_", "DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"))}
    env = {**base, **PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "hoitu.settings.production", **environment}
    return subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_the_settings_put_the_archive_in_the_bucket_the_environment_names(s3_server):
    endpoint, _client = s3_server
    done = production_storage(bucket_environment(endpoint))
    assert done.returncode == 0, done.stderr
    # Private objects, two uploads of one name kept apart, the site's own
    # address (where Django checks who asks), not the bucket's.
    expected = ["MediaBucket", "/media/media/a%20b.mp4", BUCKET, endpoint, "ap-southeast-1", "path", "None", "False", "True"]
    assert done.stdout.split() == expected
    # Without a bucket: local disk, as before.
    local = production_storage({})
    assert local.stdout.split()[:2] == ["FileSystemStorage", "/media/media/a%20b.mp4"], local.stderr
    # nginx's internal location serves MEDIA_ROOT, where nothing is with a bucket.
    refused = production_storage(bucket_environment(endpoint, MEDIA_ACCEL_REDIRECT="/protected-media/"))
    assert refused.returncode != 0 and "MEDIA_ACCEL_REDIRECT" in refused.stderr


def test_a_picture_and_its_renditions_are_made_in_the_bucket_and_served_from_it(bucket, archivist, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = make_image("Cầu Rồng về đêm", size=(1200, 675))
    assert isinstance(storages["default"], MediaBucket)
    assert keys(bucket, "original_images/") == [image.file.name]
    assert "assets.tasks.generate_renditions" in be_the_media_worker(django_capture_on_commit_callbacks)

    renditions = list(image.renditions.all())
    assert len(renditions) == len(all_filter_specs())
    # Every rendition in the bucket, in the picture's folder that cannot be guessed.
    assert sorted(keys(bucket, "images/")) == sorted(r.file.name for r in renditions)
    [folder] = {r.file.name.split("/")[1] for r in renditions}
    assert len(folder) == 20

    # At the site's own address, with the bucket's bytes.
    jpeg_rendition = next(r for r in renditions if r.file.name.endswith(".jpg"))
    assert jpeg_rendition.url == f"/media/{jpeg_rendition.file.name}"
    served = client.get(jpeg_rendition.url)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    sent = body(served)
    assert sent == in_bucket(bucket, jpeg_rendition.file.name)
    with Image.open(io.BytesIO(sent)) as shown:
        assert (shown.format, shown.size) == ("JPEG", (jpeg_rendition.width, jpeg_rendition.height))

    # The original: nobody's but staff's until a live story shows it.
    original = in_bucket(bucket, image.file.name)
    assert client.get(image.file.url).status_code == 404
    answer = archivist.get(image.file.url)
    assert answer.status_code == 200 and body(answer) == original
    assert "no-store" in answer["Cache-Control"] and "private" in answer["Cache-Control"]
    # One byte range, read from the bucket; a range past the end.
    part = archivist.get(image.file.url, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 100-199/{len(original)}" and body(part) == original[100:200]
    tail = archivist.get(image.file.url, HTTP_RANGE="bytes=-50")
    assert tail.status_code == 206 and body(tail) == original[-50:]
    assert archivist.get(image.file.url, HTTP_RANGE=f"bytes={len(original)}-").status_code == 416
    head = archivist.head(image.file.url)
    assert head.status_code == 200 and head["Content-Length"] == str(len(original)) and body(head) == b""
    unchanged = archivist.get(image.file.url, HTTP_IF_MODIFIED_SINCE=answer["Last-Modified"])
    assert unchanged.status_code == 304
    # A file the archive does not hold, and one of another folder, as on disk.
    assert archivist.get("/media/original_images/khong-co.jpg").status_code == 404
    bucket.put_object(Bucket=BUCKET, Key="documents/mat.pdf", Body=b"%PDF-1.4 mat")
    assert archivist.get("/media/documents/mat.pdf").status_code == 404


def test_with_signed_addresses_the_check_comes_first_and_the_bucket_sends_the_bytes(bucket, archivist, client, settings):
    sign_addresses(settings, 60)
    image = ArchiveImage.objects.create(title="Ảnh chưa đăng", file=ContentFile(jpeg(), name="chua-dang.jpg"))
    original = in_bucket(bucket, image.file.name)

    assert client.get(image.file.url).status_code == 404  # readers: no address at all
    answer = archivist.get(image.file.url)
    assert answer.status_code == 302 and "no-store" in answer["Cache-Control"]
    signed = answer["Location"]
    assert signed.startswith(f"{settings.STORAGES['default']['OPTIONS']['endpoint_url']}/{BUCKET}/") and "X-Amz-Signature=" in signed
    assert "X-Amz-Expires=60" in signed and KEYS["MEDIA_S3_SECRET_ACCESS_KEY"] not in signed
    fetched = requests.get(signed, timeout=10)
    assert fetched.status_code == 200 and fetched.content == original and fetched.headers["Content-Type"] == "image/jpeg"
    ranged = requests.get(signed, headers={"Range": "bytes=0-9"}, timeout=10)
    assert ranged.status_code == 206 and ranged.content == original[:10]
    assert archivist.get("/media/original_images/khong-co.jpg").status_code == 404


@needs_ffmpeg
def test_a_video_is_converted_from_and_into_the_bucket_and_plays_from_the_sites_addresses(
    bucket, archivist, client, clip, newsroom, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = Media.objects.create(kind="video", title="Lễ hội đường phố", file=ContentFile(clip, name="le-hoi.mp4"))
    assert keys(bucket, "media/") == [item.file.name]
    be_the_media_worker(django_capture_on_commit_callbacks)
    item.refresh_from_db()
    assert (item.state, item.failure) == (Media.State.READY, "")
    assert (item.duration, item.width, item.height) == (pytest.approx(3, abs=0.1), 640, 360)
    # The poster the worker took from a frame: an archive picture in the bucket.
    assert item.poster is not None and item.poster.file.name in keys(bucket, "original_images/")

    stored = set(keys(bucket, "media-out/"))
    web, master = item.outputs["web"]["path"], item.outputs["hls"]["path"]
    folder = master.rsplit("/", 1)[0]
    assert {web, master, item.outputs["sprite"]["path"], item.outputs["scrub"]["path"], f"{folder}/360p.m3u8", f"{folder}/sound.m3u8"} <= stored
    assert item.outputs["web"]["size"] == len(in_bucket(bucket, web))
    rung = in_bucket(bucket, f"{folder}/360p.m3u8").decode()
    segments = [line for line in rung.splitlines() if line.endswith(".ts")]
    assert segments and all(f"{folder}/{segment}" in stored for segment in segments)
    # Nothing half-made left: the work folder and the parts' own playlists are gone.
    assert not [key for key in stored if "/work/" in key or re.search(r"/hls/picture-\d+/.*\.m3u8$", key)]

    # Staff play it before any story shows it; readers do not.
    assert client.get(item.hls_url).status_code == 404
    master_answer = archivist.get(item.hls_url)
    assert master_answer.status_code == 200 and master_answer["Content-Type"] == "application/vnd.apple.mpegurl"
    playlist = body(master_answer)
    assert playlist == in_bucket(bucket, master) and b"360p.m3u8" in playlist

    story = make_article(newsroom.finance.economy, title="Lễ hội đường phố", body=[("video", {"video": item, "caption": ""})])
    page = client.get(story.url, HTTP_HOST="localhost").content.decode()
    assert f'data-hls="{item.hls_url}"' in page
    segment = client.get(f"/media/{folder}/{segments[0]}")
    assert segment.status_code == 200 and segment["Content-Type"] == "video/mp2t"
    assert body(segment) == in_bucket(bucket, f"{folder}/{segments[0]}")
    mp4 = in_bucket(bucket, web)
    start = client.get(item.web_video_url, HTTP_RANGE="bytes=0-1023")
    assert start.status_code == 206 and body(start) == mp4[:1024] and start["Content-Range"] == f"bytes 0-1023/{len(mp4)}"
    assert client.get(f"/media/{folder}/../../../../media/x.mp4").status_code == 404

    # With signed addresses, playlists still come from the site (their
    # segments are named beside them), the segments from the bucket.
    sign_addresses(settings, 30)
    assert client.get(item.hls_url).status_code == 200
    moved = client.get(f"/media/{folder}/{segments[0]}")
    assert moved.status_code == 302
    fetched = requests.get(moved["Location"], timeout=10)
    assert fetched.content == in_bucket(bucket, f"{folder}/{segments[0]}") and fetched.headers["Content-Type"] == "video/mp2t"


@needs_ffmpeg
def test_an_upload_from_the_field_goes_into_the_bucket_and_leaves_nothing_behind(
    bucket, archivist, clip, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.RESUMABLE_UPLOAD_DIR = tmp_path / "uploads"
    tus = {"HTTP_TUS_RESUMABLE": "1.0.0"}
    metadata = "filename " + base64.b64encode("Hiện trường.mp4".encode()).decode()
    created = archivist.post("/admin/archive/uploads/files/", HTTP_UPLOAD_LENGTH=str(len(clip)), HTTP_UPLOAD_METADATA=metadata, **tus)
    assert created.status_code == 201, created.content
    where = urlsplit(created["Location"]).path
    with django_capture_on_commit_callbacks(execute=True):
        sent = archivist.generic("PATCH", where, clip, content_type="application/offset+octet-stream", HTTP_UPLOAD_OFFSET="0", **tus)
    assert sent.status_code == 204
    assert "assets.tasks.ingest_upload" in worker_round(django_capture_on_commit_callbacks)
    upload = ResumableUpload.objects.get()
    assert upload.state == ResumableUpload.State.ADDED
    item = upload.media
    assert in_bucket(bucket, item.file.name) == clip
    # The received bytes were copied to the bucket and their file removed.
    assert not list((tmp_path / "uploads").iterdir())
    be_the_media_worker(django_capture_on_commit_callbacks)
    item.refresh_from_db()
    assert item.state == Media.State.READY and default_storage.exists(item.outputs["hls"]["path"])


def test_a_document_is_kept_in_the_bucket_and_served_by_wagtail_only(bucket, archivist):
    document = get_document_model().objects.create(title="Báo in số 1", file=ContentFile(b"%PDF-1.4 bao in so 1", name="bao-in-so-1.pdf"))
    assert in_bucket(bucket, document.file.name) == b"%PDF-1.4 bao in so 1"
    served = archivist.get(document.url)
    assert served.status_code == 200 and body(served) == b"%PDF-1.4 bao in so 1"
    assert archivist.get(f"/media/{document.file.name}").status_code == 404  # never by its storage path
