"""Each kind of file has its upload limit, checked while the request body
is read: a file over it is refused with a message naming it and the limit,
and never stored whole, not even in a temporary file (video, audio and
documents had no limit; pictures were checked only once stored)."""

import io
import json
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.models import Collection

from assets.models import ArchiveImage, Media

pytestmark = pytest.mark.django_db

KB = 1024
LIMITS = {"image": 100 * KB, "document": 100 * KB, "audio": 100 * KB, "video": 200 * KB}


class MeasuredTemporaryFileHandler(TemporaryFileUploadHandler):
    """Django's temporary-file handler, noting the most it wrote of a file
    and where, for the test to look."""

    written = []

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.written.append([self.file.temporary_file_path(), 0])

    def receive_data_chunk(self, raw_data, start):
        self.written[-1][1] = start + len(raw_data)
        return super().receive_data_chunk(raw_data, start)


@pytest.fixture(autouse=True)
def limits(settings):
    settings.UPLOAD_LIMITS = LIMITS
    # Everything through a temporary file, measured.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    settings.FILE_UPLOAD_HANDLERS = [
        "assets.uploads.UploadLimitHandler",
        "django.core.files.uploadhandler.MemoryFileUploadHandler",
        f"{__name__}.MeasuredTemporaryFileHandler",
    ]
    MeasuredTemporaryFileHandler.written = []


def noisy_jpeg(size):
    buffer = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def stored_files():
    return sorted(path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file())


def assert_stopped_early(limit):
    """The temporary file got at most the limit and is gone."""
    assert MeasuredTemporaryFileHandler.written, "the body was never read"
    for temporary, written in MeasuredTemporaryFileHandler.written:
        assert written <= limit
        assert not Path(temporary).exists()


IMAGE_FIELDS = {"title": "Toàn cảnh hội nghị", "license": "all-rights-reserved", "collection": 1}


def test_a_picture_over_the_image_limit_is_refused_while_it_is_read(archivist):
    data = noisy_jpeg((500, 500))
    assert len(data) > 2 * LIMITS["image"]

    response = archivist.post("/admin/images/add/", {**IMAGE_FIELDS, "file": SimpleUploadedFile("hoi-nghi.jpg", data, "image/jpeg")})
    assert response.status_code == 200
    assert "Tệp “hoi-nghi.jpg” lớn hơn giới hạn 100 KB cho ảnh." in response.content.decode()
    assert_stopped_early(LIMITS["image"])

    response = archivist.post("/admin/images/multiple/add/", {"files[]": SimpleUploadedFile("hoi-nghi.jpg", data, "image/jpeg")})
    answer = json.loads(response.content)
    assert answer["success"] is False
    assert "Tệp “hoi-nghi.jpg” lớn hơn giới hạn 100 KB cho ảnh." in answer["error_message"]

    assert not ArchiveImage.objects.exists()
    assert stored_files() == []


def test_a_picture_under_the_limit_goes_in(archivist):
    data = noisy_jpeg((120, 120))
    assert len(data) < LIMITS["image"]
    response = archivist.post("/admin/images/add/", {**IMAGE_FIELDS, "file": SimpleUploadedFile("nho.jpg", data, "image/jpeg")})
    assert response.status_code == 302
    assert ArchiveImage.objects.get().file_size == len(data)


def test_replacing_a_picture_with_one_too_big_keeps_the_old_one_and_says_why(archivist):
    response = archivist.post("/admin/images/add/", {**IMAGE_FIELDS, "file": SimpleUploadedFile("nho.jpg", noisy_jpeg((120, 120)), "image/jpeg")})
    image = ArchiveImage.objects.get()
    original = image.file.name

    response = archivist.post(
        f"/admin/images/{image.pk}/", {**IMAGE_FIELDS, "title": "Tiêu đề mới", "file": SimpleUploadedFile("lon.jpg", noisy_jpeg((500, 500)), "image/jpeg")}
    )
    assert response.status_code == 200
    assert "Tệp “lon.jpg” lớn hơn giới hạn 100 KB cho ảnh." in response.content.decode()
    image.refresh_from_db()
    assert (image.title, image.file.name) == ("Toàn cảnh hội nghị", original)


def test_a_document_over_its_limit_is_refused(archivist):
    response = archivist.post(
        "/admin/documents/add/",
        {"title": "Báo in số 12", "collection": Collection.get_first_root_node().pk, "file": SimpleUploadedFile("bao-in.pdf", b"%PDF" + b"0" * 300 * KB)},
    )
    assert response.status_code == 200
    assert "Tệp “bao-in.pdf” lớn hơn giới hạn 100 KB cho tài liệu." in response.content.decode()
    assert_stopped_early(LIMITS["document"])
    assert not get_document_model().objects.exists()
    assert stored_files() == []


MEDIA_FIELDS = {"title": "Phóng sự", "license": "all-rights-reserved"}


@pytest.mark.parametrize(
    ("kind", "name", "size", "message"),
    [
        ("video", "phong-su.mp4", 500 * KB, "Tệp “phong-su.mp4” lớn hơn giới hạn 200 KB cho video."),
        # The audio limit, though the video limit would let it through.
        ("audio", "ban-tin.mp3", 150 * KB, "Tệp “ban-tin.mp3” lớn hơn giới hạn 100 KB cho âm thanh."),
    ],
)
def test_video_and_audio_over_their_limits_are_refused(archivist, kind, name, size, message):
    response = archivist.post(
        "/admin/snippets/assets/media/add/",
        {**MEDIA_FIELDS, "kind": kind, "collection": Collection.get_first_root_node().pk, "file": SimpleUploadedFile(name, b"\0" * size)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert_stopped_early(LIMITS[kind])
    assert not Media.objects.exists()
    assert stored_files() == []


def test_video_under_its_limit_goes_in(archivist):
    # An MP4's first box, so the file is video by its content too (assets.sniffing).
    head = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
    video = SimpleUploadedFile("ngan.mp4", head + b"\0" * (150 * KB - len(head)))
    response = archivist.post(
        "/admin/snippets/assets/media/add/",
        {**MEDIA_FIELDS, "kind": "video", "collection": Collection.get_first_root_node().pk, "file": video},
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert Media.objects.get().file.size == 150 * KB


def test_the_defaults_are_a_newsroom_s_and_wagtail_s_image_limit_follows():
    from hoitu.settings import base  # the module's values, not the test's override

    assert base.UPLOAD_LIMITS == {"image": 50 * 1024**2, "document": 100 * 1024**2, "audio": 500 * 1024**2, "video": 4 * 1024**3}
    assert base.WAGTAILIMAGES_MAX_UPLOAD_SIZE == base.UPLOAD_LIMITS["image"]
    assert base.FILE_UPLOAD_HANDLERS[0] == "assets.uploads.UploadLimitHandler"
