"""The archive's bad-input corpus, made here (nothing downloaded): every
way in — the picture form, the multiple uploader, the video and audio
form, uploads from the field (tus) — answers each file with a Vietnamese
message or a failed state with its reason: never a 500, never a stuck
worker, never a file left behind or stored under a name it chose."""

import base64
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from assets.models import ArchiveImage, Media, ResumableUpload

from .media import worker_round

# Nothing here can differ on PostgreSQL + Redis (bad files refused): CI runs it once,
# on the embedded defaults (README, Tests).
pytestmark = [pytest.mark.django_db, pytest.mark.once]


def jpeg(size=(120, 90)):
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def bomb():
    """A small PNG that says it is 12,000 × 12,000 (144 megapixels)."""
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, "PNG", optimize=True)
    return out.getvalue()


CORPUS = {
    "truncated-jpeg": ("cau-rong.jpg", lambda: jpeg((800, 600))[:1500]),
    "empty": ("rong.jpg", lambda: b""),
    "decompression-bomb": ("bom.png", bomb),
    "svg-with-script": ("logo.svg", lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    "pdf-named-jpg": ("anh.jpg", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"0" * 2000),
    "random-bytes-named-mp4": ("clip.mp4", lambda: bytes(range(256)) * 40),
    "path-traversal": ("../../../etc/cron.d/x.jpg", lambda: jpeg()[:600]),
}
# What a person reads for each (in the form, the uploader, or the item's failed state).
REFUSED = ("bị hỏng", "không đầy đủ", "không phải", "nhiều điểm ảnh", "không hợp lệ", "rỗng", "định dạng", "không nhận ra")


def stored_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []


@pytest.fixture(autouse=True)
def own_folders(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RESUMABLE_UPLOAD_DIR = tmp_path / "uploads"


@pytest.mark.parametrize("case", CORPUS)
def test_the_picture_form_and_the_multiple_uploader_refuse_in_words(archivist, case):
    name, make = CORPUS[case]
    data = make()
    response = archivist.post(
        "/admin/images/add/",
        {"title": "Thử", "license": "all-rights-reserved", "collection": 1, "file": SimpleUploadedFile(name, data, "image/jpeg")},
    )
    assert response.status_code == 200, case  # the form again, saying why
    page = response.content.decode()
    assert "error-message" in page or "help-critical" in page, case
    answer = json.loads(archivist.post("/admin/images/multiple/add/", {"files[]": SimpleUploadedFile(name, data, "image/jpeg")}).content)
    assert answer["success"] is False and any(word in answer["error_message"].lower() for word in REFUSED), (case, answer)
    assert not ArchiveImage.objects.exists() and stored_files() == []


@pytest.mark.parametrize("case", CORPUS)
def test_the_video_and_audio_form_refuses_in_words(archivist, case):
    name, make = CORPUS[case]
    response = archivist.post(
        "/admin/snippets/assets/media/add/",
        {"title": "Thử", "kind": "video", "license": "all-rights-reserved", "collection": 1, "file": SimpleUploadedFile(name, make(), "video/mp4")},
    )
    assert response.status_code == 200, case
    assert not Media.objects.exists() and stored_files() == []


@pytest.mark.parametrize("case", CORPUS)
def test_uploads_from_the_field_refuse_in_words_or_fail_with_the_reason(archivist, case, django_capture_on_commit_callbacks):
    name, make = CORPUS[case]
    data = make()
    tus = {"HTTP_TUS_RESUMABLE": "1.0.0"}
    described = f"filename {base64.b64encode(name.encode()).decode()}"
    created = archivist.post("/admin/archive/uploads/files/", HTTP_UPLOAD_LENGTH=str(len(data)), HTTP_UPLOAD_METADATA=described, **tus)
    if created.status_code == 201:
        where = created["Location"].split("localhost", 1)[-1] if "localhost" in created["Location"] else created["Location"]
        with django_capture_on_commit_callbacks(execute=True):
            sent = archivist.generic("PATCH", where, data, content_type="application/offset+octet-stream", HTTP_UPLOAD_OFFSET="0", **tus)
        if sent.status_code == 204:  # a picture or a video by its first bytes: the worker decides
            worker_round(django_capture_on_commit_callbacks)
            upload = ResumableUpload.objects.get()
            assert upload.state in (ResumableUpload.State.FAILED, ResumableUpload.State.ADDED), case
            if upload.state == ResumableUpload.State.FAILED:
                assert any(word in upload.failure.lower() for word in REFUSED), (case, upload.failure)
                assert stored_files() == []
            else:  # a video the worker reads next and fails in words
                worker_round(django_capture_on_commit_callbacks)
                item = Media.objects.get()
                assert item.state == Media.State.FAILED and item.failure, case
        else:
            assert sent.status_code in (415, 413), (case, sent.status_code)
            assert any(word in sent.json()["error"].lower() for word in REFUSED), (case, sent.json())
    else:
        assert created.status_code in (400, 413, 415), (case, created.status_code)
    assert not ArchiveImage.objects.exists()
    # Whatever the name said, nothing was written outside the archive's folders.
    assert all(str(path).startswith(str(settings.MEDIA_ROOT)) for path in stored_files())
    # Refused or finished: no bytes left waiting on the web host.
    assert not list(Path(settings.RESUMABLE_UPLOAD_DIR).glob("*.part"))
    assert not ResumableUpload.objects.filter(state=ResumableUpload.State.RECEIVING).exists()


def test_a_jpeg_carrying_html_is_a_picture_and_never_served_as_a_page(archivist, client, django_capture_on_commit_callbacks):
    polyglot = jpeg() + b"<html><script>alert(document.cookie)</script></html>"
    response = archivist.post(
        "/admin/images/add/",
        {"title": "Ảnh lai", "license": "all-rights-reserved", "collection": 1, "file": SimpleUploadedFile("lai.html.jpg", polyglot, "text/html")},
    )
    assert response.status_code == 302
    picture = ArchiveImage.objects.get()
    served = archivist.get(picture.file.url)
    assert served["Content-Type"] == "image/jpeg" and served["X-Content-Type-Options"] == "nosniff"


def test_a_vietnamese_file_name_is_kept_in_ascii_every_letter_there(archivist):
    response = archivist.post(
        "/admin/images/add/",
        {"title": "Đêm Đà Nẵng", "license": "all-rights-reserved", "collection": 1, "file": SimpleUploadedFile("Ảnh đêm Đà Nẵng.jpg", jpeg(), "image/jpeg")},
    )
    assert response.status_code == 302
    # As slugs are: đ → d, tones stripped, no letter dropped.
    assert Path(ArchiveImage.objects.get().file.name).name == "Anh_dem_Da_Nang.jpg"
