"""A damaged picture is refused with a message, in the form and in the
multiple uploader, and leaves nothing behind (a truncated JPEG used to stop
Wagtail's upload with a server error)."""

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from assets.models import ArchiveImage

pytestmark = pytest.mark.django_db

MESSAGE = "Tệp ảnh bị hỏng hoặc không đầy đủ"


def jpeg(size=(800, 600)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def stored_originals():
    folder = Path(settings.MEDIA_ROOT) / "original_images"
    return sorted(folder.iterdir()) if folder.is_dir() else []


FIELDS = {"title": "Cầu Rồng phun lửa", "credit": "Ảnh: Minh Đức", "license": "all-rights-reserved", "collection": 1}


@pytest.mark.parametrize("cut", [0.5, 0.05], ids=["half", "header-only"])
def test_a_truncated_jpeg_is_refused_in_words(archivist, cut):
    data = jpeg()
    damaged = data[: int(len(data) * cut)]

    response = archivist.post("/admin/images/add/", {**FIELDS, "file": SimpleUploadedFile("cau-rong.jpg", damaged, "image/jpeg")})
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()

    response = archivist.post("/admin/images/multiple/add/", {"files[]": SimpleUploadedFile("cau-rong.jpg", damaged, "image/jpeg")})
    assert response.status_code == 200
    answer = json.loads(response.content)
    assert answer["success"] is False and MESSAGE in answer["error_message"]

    assert not ArchiveImage.objects.exists()
    assert stored_originals() == []


def test_a_whole_jpeg_still_goes_in(archivist):
    response = archivist.post("/admin/images/add/", {**FIELDS, "file": SimpleUploadedFile("cau-rong.jpg", jpeg(), "image/jpeg")})
    assert response.status_code == 302, response.content.decode()[-2000:]
    image = ArchiveImage.objects.get()
    assert (image.title, image.width, image.height) == ("Cầu Rồng phun lửa", 800, 600)
    assert len(stored_originals()) == 1


def test_a_picture_with_too_many_pixels_is_refused_before_it_reaches_the_media_worker(archivist, settings):
    # 50 million by default: a 120-megapixel file held the media worker for minutes at over 2 GB.
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS == 50_000_000
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 400 * 300
    response = archivist.post("/admin/images/add/", {**FIELDS, "file": SimpleUploadedFile("lon.jpg", jpeg((800, 600)), "image/jpeg")})
    assert response.status_code == 200
    # Wagtail's own message, which names both counts.
    assert "480000" in response.content.decode() and "120000" in response.content.decode()
    assert not ArchiveImage.objects.exists()
    assert stored_originals() == []
