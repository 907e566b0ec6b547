"""Uploads from the field over tus 1.0.0: a file sent in pieces, carried
on from the next byte after a drop, checked by its first bytes before the
rest comes, and added to the archive by the media worker once complete.
The protocol's refusals in words; another person's upload as if it never
was. Last, the real Python client (tuspy) against a live server, its
connection cut mid-chunk."""

import base64
import hashlib
import io
import socket
import time
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from PIL import Image

from assets import tus
from assets.models import ArchiveImage, Media, ResumableUpload
from tests.assets.media import ffmpeg, needs_ffmpeg, worker_round

# Nothing here can differ on PostgreSQL + Redis (the tus protocol and files): CI runs it once,
# on the embedded defaults (README, Tests).
pytestmark = [pytest.mark.django_db, pytest.mark.once]
TUS = {"HTTP_TUS_RESUMABLE": "1.0.0"}
FILES = "/admin/archive/uploads/files/"


def described(**values):
    return ",".join(f"{key} {base64.b64encode(value.encode()).decode()}" for key, value in values.items())


def start(client, data, **metadata):
    response = client.post(FILES, HTTP_UPLOAD_LENGTH=str(len(data)), HTTP_UPLOAD_METADATA=described(**metadata), **TUS)
    assert response.status_code == 201, response.content
    return urlsplit(response["Location"]).path


def send(client, where, data, offset, **headers):
    return client.generic("PATCH", where, data, content_type="application/offset+octet-stream", HTTP_UPLOAD_OFFSET=str(offset), **TUS, **headers)


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    folder = tmp_path_factory.mktemp("upload")
    return ffmpeg(
        "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=1", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        output=folder / "hien-truong.mp4",
    )  # fmt: skip


@pytest.fixture(autouse=True)
def upload_folder(settings, tmp_path):
    """Each test's received bytes in a folder of its own."""
    settings.RESUMABLE_UPLOAD_DIR = tmp_path / "uploads"


@pytest.fixture
def reporter(staff):
    client = Client()
    client.force_login(staff["reporter"])
    return client


def test_the_server_says_what_it_speaks(reporter, settings):
    response = reporter.options(FILES)
    assert response.status_code == 204
    assert (response["Tus-Resumable"], response["Tus-Version"]) == ("1.0.0", "1.0.0")
    assert set(response["Tus-Extension"].split(",")) == {"creation", "termination", "checksum", "expiration"}
    assert int(response["Tus-Max-Size"]) == settings.RESUMABLE_UPLOAD_MAX_BYTES == 20 * 1024**3
    assert "sha1" in response["Tus-Checksum-Algorithm"].split(",")
    # Without the protocol's version: refused, in words.
    answer = reporter.post(FILES, HTTP_UPLOAD_LENGTH="10")
    assert answer.status_code == 412 and answer.json() == {"error": "Máy chủ này dùng tus 1.0.0."}


@needs_ffmpeg
def test_a_video_sent_in_pieces_becomes_an_archive_item_of_the_reporters_unit(
    reporter, staff, newsroom, clip, django_capture_on_commit_callbacks
):
    where = start(reporter, clip, filename="Phỏng vấn hiện trường.mp4", filetype="video/mp4")
    head = reporter.head(where, **TUS)
    assert (head.status_code, head["Upload-Offset"], head["Upload-Length"]) == (200, "0", str(len(clip)))
    assert "no-store" in head["Cache-Control"]
    assert head["Upload-Expires"].endswith("GMT")

    half = len(clip) // 2
    assert send(reporter, where, clip[:half], 0)["Upload-Offset"] == str(half)
    # Sent again from the start (a client that lost its answer): refused, nothing lost.
    stale = send(reporter, where, clip[:half], 0)
    assert stale.status_code == 409 and "đang ở byte" in stale.json()["error"]
    assert reporter.head(where, **TUS)["Upload-Offset"] == str(half)
    with django_capture_on_commit_callbacks(execute=True):
        done = send(reporter, where, clip[half:], half)
    assert done.status_code == 204 and done["Upload-Offset"] == str(len(clip))
    status = reporter.get(done["Hoitu-Upload-Status"]).json()
    assert (status["state"], status["item_url"]) == ("complete", "")

    assert "assets.tasks.ingest_upload" in worker_round(django_capture_on_commit_callbacks)
    item = Media.objects.get()
    assert (item.title, item.kind, item.uploaded_by, item.state) == ("Phỏng vấn hiện trường", "video", staff["reporter"], Media.State.UPLOADED)
    assert item.collection == newsroom.finance.unit.archive_collection
    with item.file.open("rb") as stored:
        assert hashlib.sha256(stored.read()).digest() == hashlib.sha256(clip).digest()
    status = reporter.get(done["Hoitu-Upload-Status"]).json()
    assert status["state"] == "added" and status["item_url"] == f"/admin/snippets/assets/media/edit/{item.pk}/"
    assert not ResumableUpload.objects.get().part_path.exists()  # moved into the archive, not copied
    assert "assets.tasks.process_media" in worker_round(django_capture_on_commit_callbacks)


def test_a_picture_comes_in_with_its_metadata(reporter, django_capture_on_commit_callbacks):
    exif = Image.Exif()
    exif[0x9C9D] = "Nguyễn Văn An\x00".encode("utf-16-le")
    out = io.BytesIO()
    Image.new("RGB", (80, 60), (10, 120, 200)).save(out, "JPEG", exif=exif)
    data = out.getvalue()
    where = start(reporter, data, filename="IMG_0412.jpg")
    with django_capture_on_commit_callbacks(execute=True):
        assert send(reporter, where, data, 0).status_code == 204
    worker_round(django_capture_on_commit_callbacks)
    picture = ArchiveImage.objects.get(title="IMG_0412")
    assert (picture.credit, picture.width, picture.height, picture.file_hash) == ("Nguyễn Văn An", 80, 60, hashlib.sha1(data).hexdigest())


def test_a_file_that_is_not_media_is_refused_at_its_first_bytes(reporter):
    pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"0" * 100_000
    where = start(reporter, pdf, filename="bien-ban.mp4")
    answer = send(reporter, where, pdf[:4096], 0)
    assert answer.status_code == 415
    assert answer.json() == {"error": "“bien-ban.mp4” không phải ảnh, video hay bản ghi âm: nội dung của tệp là application/pdf."}
    assert reporter.head(where, **TUS).status_code == 404 and not ResumableUpload.objects.exists()
    assert list(tus_dir().iterdir()) == []


def tus_dir():
    return django_settings.RESUMABLE_UPLOAD_DIR


def test_the_protocols_refusals(reporter, settings):
    data = b"\x00\x00\x00\x18ftypmp42" + bytes(5000)
    where = start(reporter, data, filename="clip.mp4")
    wrong_type = reporter.generic("PATCH", where, data, content_type="application/octet-stream", HTTP_UPLOAD_OFFSET="0", **TUS)
    assert wrong_type.status_code == 415
    digest = base64.b64encode(hashlib.sha1(b"something else").digest()).decode()
    mismatch = send(reporter, where, data[:1000], 0, HTTP_UPLOAD_CHECKSUM=f"sha1 {digest}")
    assert mismatch.status_code == 460 and reporter.head(where, **TUS)["Upload-Offset"] == "0"
    digest = base64.b64encode(hashlib.sha1(data[:1000]).digest()).decode()
    assert send(reporter, where, data[:1000], 0, HTTP_UPLOAD_CHECKSUM=f"sha1 {digest}")["Upload-Offset"] == "1000"
    assert send(reporter, where, data[1000:] + b"extra", 1000).status_code == 413  # more than its size
    assert reporter.head(where, **TUS)["Upload-Offset"] == "1000"

    settings.RESUMABLE_UPLOAD_MAX_BYTES = 2 * 1024**3
    too_big = reporter.post(FILES, HTTP_UPLOAD_LENGTH=str(3 * 1024**3), **TUS)
    assert too_big.status_code == 413 and too_big.json() == {"error": "Tệp lớn hơn giới hạn 2 GB của kho tư liệu."}

    # Given up: the bytes and the record go.
    assert reporter.delete(where, **TUS).status_code == 204
    assert reporter.head(where, **TUS).status_code == 404 and list(tus_dir().iterdir()) == []


def test_another_persons_upload_is_as_if_it_never_was(reporter, staff):
    data = b"\x00\x00\x00\x18ftypmp42" + bytes(500)
    where = start(reporter, data, filename="rieng.mp4")
    other = Client()
    other.force_login(staff["other_unit_reporter"])
    assert other.head(where, **TUS).status_code == 404
    assert send(other, where, data, 0).status_code == 404
    assert other.delete(where, **TUS).status_code == 404
    assert other.get(where + "status/").status_code == 404
    assert reporter.head(where, **TUS)["Upload-Offset"] == "0"


def test_a_partial_upload_expires_and_beat_clears_it(reporter):
    data = b"\x00\x00\x00\x18ftypmp42" + bytes(500)
    where = start(reporter, data, filename="bo-do.mp4")
    send(reporter, where, data[:300], 0)
    ResumableUpload.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert reporter.head(where, **TUS).status_code == 410
    assert send(reporter, where, data[300:], 300).status_code == 410
    assert tus.delete_expired() == 1
    assert not ResumableUpload.objects.exists() and list(tus_dir().iterdir()) == []


def test_the_uploader_page_shows_what_the_reporter_sent(reporter, settings):
    page = reporter.get("/admin/archive/uploads/").content.decode()
    assert "Tải lên từ hiện trường" in page and "assets/vendor/tus-js-client/tus.min.js" in page
    assert f'data-endpoint="{FILES}"' in page
    assert "Bạn chưa tải lên tệp nào từ đây" in page
    start(reporter, b"\x00\x00\x00\x18ftypmp42" + bytes(100), filename="Lũ quét Lâm Đồng.mp4")
    page = reporter.get("/admin/archive/uploads/").content.decode()
    assert "Lũ quét Lâm Đồng.mp4" in page and "Đang nhận" in page


# --- the real client, the connection cut --------------------------------------


@needs_ffmpeg
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_tuspy_carries_on_from_the_next_byte_after_the_connection_drops(live_server, staff, clip, settings):
    from tusclient import client as tus_client  # noqa: PLC0415 -- a development dependency, only this test uses it

    browser = Client()
    browser.force_login(staff["reporter"])
    browser.get("/admin/archive/uploads/")  # sets the CSRF cookie, as the page does
    cookies = "; ".join(f"{name}={morsel.value}" for name, morsel in browser.cookies.items())
    headers = {"Cookie": cookies, "X-CSRFToken": browser.cookies["csrftoken"].value}
    endpoint = live_server.url + FILES
    data = clip * 40  # a few hundred kilobytes: several chunks
    size = len(data)

    # The first piece, its connection cut after 100 000 bytes of a 200 000 byte chunk.
    uploader = tus_client.TusClient(endpoint, headers=headers).uploader(
        file_stream=io.BytesIO(data), chunk_size=200_000, metadata={"filename": "cat-ngang.mp4"}
    )
    uploader.set_url(uploader.create_url())
    where = urlsplit(uploader.url)
    with socket.create_connection((where.hostname, where.port)) as raw:
        request = (
            f"PATCH {where.path} HTTP/1.1\r\nHost: {where.netloc}\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n"
            f"Content-Type: application/offset+octet-stream\r\nContent-Length: 200000\r\nCookie: {cookies}\r\n"
            f"X-CSRFToken: {headers['X-CSRFToken']}\r\n\r\n"
        )
        raw.sendall(request.encode() + data[:100_000])
    deadline = time.monotonic() + 10
    while (received := uploader.get_offset()) == 0 and time.monotonic() < deadline:  # the server's read ends with the cut
        time.sleep(0.1)
    assert received == 100_000  # what arrived was kept

    # The client carries on from there, not from zero.
    carry_on = tus_client.TusClient(endpoint, headers=headers).uploader(url=uploader.url, file_stream=io.BytesIO(data), chunk_size=200_000)
    assert carry_on.offset == 100_000
    carry_on.upload()
    assert carry_on.offset == size
    upload = ResumableUpload.objects.get()
    assert (upload.offset, upload.state) == (size, ResumableUpload.State.COMPLETE)
    with open(upload.part_path, "rb") as part:
        assert part.read() == data
