"""The archive knows a picture it already has: the same file, the same
pixels under other metadata, or a similar picture (resized, recompressed),
shown on the picture's page and in the uploader's form, never merged; and
the look-up reads an index, not the archive."""

import io
import json
import random
import threading

import pytest
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.db.models.signals import pre_delete
from PIL import Image, ImageDraw, PngImagePlugin

from assets import similarity
from assets.models import ArchiveImage, ArchiveImageBand

from .media import be_the_media_worker

pytestmark = pytest.mark.django_db


def scene(seed, size=(240, 180)):
    """A picture with shapes and light, different for each seed."""
    chance = random.Random(seed)
    picture = Image.new("RGB", size, (chance.randrange(256), 90, 160))
    draw = ImageDraw.Draw(picture)
    for _ in range(12):
        x, y = chance.randrange(size[0]), chance.randrange(size[1])
        draw.ellipse((x, y, x + chance.randrange(15, 100), y + chance.randrange(15, 80)), fill=tuple(chance.randrange(256) for _ in range(3)))
    return picture


def encoded(picture, kind="JPEG", **options):
    out = io.BytesIO()
    picture.save(out, kind, **options)
    return out.getvalue()


def add(title, data, name):
    picture = ArchiveImage(title=title, file=ImageFile(io.BytesIO(data), name=name))
    picture.save()
    return picture


@pytest.fixture
def archive(django_capture_on_commit_callbacks):
    original = scene(1)
    with django_capture_on_commit_callbacks(execute=True):
        pictures = {
            "original": add("Cầu Rồng lúc hoàng hôn", encoded(original, quality=92), "cau-rong.jpg"),
            # The same pixels, other metadata: PNG keeps every pixel as it was.
            "png": add("Cầu Rồng (PNG)", encoded(original, "PNG", pnginfo=_text("Author", "Nguyễn Minh")), "cau-rong.png"),
            "png_retagged": add("Cầu Rồng (PNG, chú thích khác)", encoded(original, "PNG", pnginfo=_text("Author", "Lê Hà")), "cau-rong-2.png"),
            # Resized and recompressed, as a page or a chat app gives it back.
            "smaller": add("Cầu Rồng (ảnh nhỏ)", encoded(original.resize((120, 90)), quality=60), "cau-rong-nho.jpg"),
            "other": add("Chợ Hàn", encoded(scene(2), quality=90), "cho-han.jpg"),
        }
    be_the_media_worker(django_capture_on_commit_callbacks)
    for picture in pictures.values():
        picture.refresh_from_db()
    return {"pictures": pictures, "original": original}


def _text(key, value):
    info = PngImagePlugin.PngInfo()
    info.add_itxt(key, value)
    return info


def test_the_worker_reads_each_pictures_fingerprints(archive):
    pictures = archive["pictures"]
    assert all(p.dhash is not None and len(p.pixel_sha256) == 64 for p in pictures.values())
    assert pictures["png"].pixel_sha256 == pictures["png_retagged"].pixel_sha256
    assert pictures["png"].file_hash != pictures["png_retagged"].file_hash
    assert ArchiveImageBand.objects.filter(image=pictures["original"]).count() == 8
    near = {p.title: apart for p, apart in similarity.similar(pictures["original"].dhash, exclude=pictures["original"].pk)}
    assert near.keys() == {"Cầu Rồng (PNG)", "Cầu Rồng (PNG, chú thích khác)", "Cầu Rồng (ảnh nhỏ)"}
    assert all(apart <= 7 for apart in near.values())


def test_the_pictures_page_shows_the_same_and_the_similar(archive, archivist):
    pictures = archive["pictures"]
    page = archivist.get(f"/admin/images/{pictures['png'].pk}/").content.decode()
    same, _rest = page.split("Ảnh tương tự", 1) if "Ảnh tương tự" in page else (page, "")
    assert "Kho tư liệu đã có ảnh này:" in page
    assert f'href="/admin/images/{pictures["png_retagged"].pk}/"' in same
    page = archivist.get(f"/admin/images/{pictures['smaller'].pk}/").content.decode()
    assert "Ảnh tương tự trong kho" in page and f'href="/admin/images/{pictures["original"].pk}/"' in page
    assert f'href="/admin/images/{pictures["other"].pk}/"' not in page
    page = archivist.get(f"/admin/images/{pictures['other'].pk}/").content.decode()
    assert "Ảnh tương tự trong kho" not in page and "Kho tư liệu đã có ảnh này:" not in page


def test_the_uploader_is_told_before_it_saves_a_copy(archive, archivist):
    pictures = archive["pictures"]
    with pictures["original"].open_file() as opened:
        copy = opened.read()
    answer = json.loads(archivist.post("/admin/images/multiple/add/", {"files[]": SimpleUploadedFile("ban-sao.jpg", copy, "image/jpeg")}).content)
    assert "Kho tư liệu đã có ảnh này:" in answer["form"]
    assert f'href="/admin/images/{pictures["original"].pk}/"' in answer["form"]

    cropped = encoded(archive["original"].resize((180, 135)), quality=75)
    answer = json.loads(archivist.post("/admin/images/multiple/add/", {"files[]": SimpleUploadedFile("nho-hon.jpg", cropped, "image/jpeg")}).content)
    assert "Kho tư liệu đã có ảnh này:" not in answer["form"]
    assert "Ảnh tương tự trong kho" in answer["form"] and f'href="/admin/images/{pictures["smaller"].pk}/"' in answer["form"]

    fresh = encoded(scene(99), quality=85)
    answer = json.loads(archivist.post("/admin/images/multiple/add/", {"files[]": SimpleUploadedFile("moi.jpg", fresh, "image/jpeg")}).content)
    assert "Ảnh tương tự" not in answer["form"] and "Kho tư liệu đã có" not in answer["form"]


def test_the_look_up_reads_the_index_not_the_archive(django_assert_max_num_queries):
    chance = random.Random(7)
    pictures = ArchiveImage.objects.bulk_create(ArchiveImage(title=f"Ảnh {n}", file=f"original_images/{n}.jpg", width=1, height=1) for n in range(2000))
    hashes = [chance.getrandbits(64) for _ in pictures]
    target = hashes[0]
    near = target ^ 0b1011  # three bits apart
    hashes[1] = near
    for picture, dhash in zip(pictures, hashes, strict=True):
        picture.dhash = similarity._signed(dhash)
    ArchiveImage.objects.bulk_update(pictures, ["dhash"])
    ArchiveImageBand.objects.bulk_create(
        ArchiveImageBand(image=picture, band=band, value=value)
        for picture, dhash in zip(pictures, hashes, strict=True)
        for band, value in enumerate(similarity.bands(dhash))
    )
    with django_assert_max_num_queries(2) as queries:
        found = similarity.similar(target, exclude=pictures[0].pk)
    assert [(picture.pk, apart) for picture, apart in found] == [(pictures[1].pk, 3)]
    assert '"band"' in queries.captured_queries[0]["sql"] and '"value"' in queries.captured_queries[0]["sql"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite lets one writer in at a time: the race needs PostgreSQL's row locks")
# Serialized rollback: the flush after a transactional test would otherwise
# leave the tables Wagtail and Django fill at migration for the next one.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_picture_deleted_while_the_worker_indexes_it_is_deleted():
    """Staff delete a picture while the media worker is still storing its
    similarity bands: the deletion goes through and no band is left."""
    picture = add("Ảnh xóa giữa chừng", encoded(scene(3)), "xoa.jpg")
    worker_failed = []

    def worker_indexes_it():
        try:
            similarity.fingerprint(ArchiveImage.objects.get(pk=picture.pk))
        except Exception as error:  # noqa: BLE001 - reported to the test below
            worker_failed.append(error)
        finally:
            connections.close_all()

    worker = threading.Thread(target=worker_indexes_it)

    def the_worker_arrives_mid_deletion(sender, instance, **kwargs):
        if instance.pk == picture.pk and not worker.is_alive():
            worker.start()
            worker.join(timeout=3)  # the worker is done, or waits for the deletion

    pre_delete.connect(the_worker_arrives_mid_deletion, sender=ArchiveImage)
    try:
        picture.delete()
    finally:
        pre_delete.disconnect(the_worker_arrives_mid_deletion, sender=ArchiveImage)
        worker.join(timeout=30)
    assert not worker_failed
    assert not ArchiveImage.objects.filter(title="Ảnh xóa giữa chừng").exists()
    assert not ArchiveImageBand.objects.exists()
