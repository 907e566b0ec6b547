"""A picture's page shows each crop it is shown in (story cards, square
thumbnails, the share card of Facebook, Zalo and X, the video poster, the
podcast artwork, the newsletter), cut around the focal point the editor
drew: the crops made are shown, the others are asked of the media worker
and said to be coming; the page never makes one itself."""

import io

import pytest
from django.core.files.images import ImageFile
from PIL import Image, ImageDraw

from assets.models import ArchiveImage, ArchiveRendition
from assets.renditions import crops
from assets.services import generate_renditions
from tests.helpers import run_queued_tasks

# Renditions, the same on every database: run once, on SQLite.
pytestmark = [pytest.mark.django_db, pytest.mark.once]


def picture_with_a_bright_corner():
    """A dark 1600×900 picture with its only bright part in the top left."""
    canvas = Image.new("RGB", (1600, 900), (20, 20, 20))
    ImageDraw.Draw(canvas).rectangle([0, 0, 300, 300], fill=(250, 250, 250))
    buffer = io.BytesIO()
    canvas.save(buffer, "JPEG", quality=90)
    return ArchiveImage.objects.create(title="Góc sáng", file=ImageFile(buffer, name="goc-sang.jpg"))


def shown_crops(archivist, picture):
    page = archivist.get(f"/admin/images/{picture.pk}/").content.decode()
    return page


def test_the_crops_made_are_shown_and_the_others_asked_of_the_worker(archivist, django_capture_on_commit_callbacks):
    picture = picture_with_a_bright_corner()
    generate_renditions(picture.pk)  # what the worker makes of every new picture
    cut = ArchiveRendition.objects.filter(image=picture, filter_spec__in=[spec for _label, spec in crops()])
    before = cut.count()

    with django_capture_on_commit_callbacks(execute=True):
        page = shown_crops(archivist, picture)

    assert cut.count() == before  # no crop made in the request (Wagtail's own preview of the picture aside)
    for label, _spec in crops():
        assert str(label) in page
    made = ArchiveRendition.objects.filter(image=picture, filter_spec="fill-1200x630-c75|format-jpeg").get()
    assert made.url in page
    # The podcast's square artwork is not made for every picture: coming.
    assert not ArchiveRendition.objects.filter(image=picture, filter_spec="fill-1400x1400-c75|format-jpeg").exists()
    assert "Being made by the media worker" in page or "Bộ xử lý tư liệu đang tạo" in page

    run_queued_tasks(queues=("celery", "media"))
    page = shown_crops(archivist, picture)
    assert ArchiveRendition.objects.get(image=picture, filter_spec="fill-1400x1400-c75|format-jpeg").url in page


def test_the_crops_follow_the_focal_point_the_editor_drew(archivist, django_capture_on_commit_callbacks):
    picture = picture_with_a_bright_corner()
    generate_renditions(picture.pk)
    square = picture.get_rendition("fill-160x160-c75|format-jpeg")
    with Image.open(square.file) as cut:
        assert cut.convert("L").getpixel((80, 80)) < 100  # centred on the dark middle

    ArchiveImage.objects.filter(pk=picture.pk).update(focal_point_x=150, focal_point_y=150, focal_point_width=300, focal_point_height=300)
    picture.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        shown_crops(archivist, picture)  # asks for the crops around the new point
    run_queued_tasks(queues=("celery", "media"))

    picture.refresh_from_db()
    square = picture.get_rendition("fill-160x160-c75|format-jpeg")
    with Image.open(square.file) as cut:
        assert cut.convert("L").getpixel((80, 80)) > 200  # now on the bright corner
    assert square.url in shown_crops(archivist, picture)
