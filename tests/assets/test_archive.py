from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image
from wagtail.images.forms import get_image_form

from assets.models import ArchiveImage, ArchiveRendition, License, Media
from assets.renditions import all_filter_specs
from assets.services import generate_renditions
from tests.helpers import broker_messages, make_image

pytestmark = pytest.mark.django_db


def test_archive_image_keeps_its_provenance():
    image = make_image(
        "Cầu Long Biên",
        size=(320, 180),
        caption="Cầu Long Biên lúc bình minh",
        credit="Ảnh: Lê Bích",
        source="Thông tấn xã Việt Nam",
        license=License.AGENCY,
    )
    image = ArchiveImage.objects.get(pk=image.pk)
    assert (image.caption, image.credit, image.source, image.license) == (
        "Cầu Long Biên lúc bình minh",
        "Ảnh: Lê Bích",
        "Thông tấn xã Việt Nam",
        "agency",
    )
    assert image.get_license_display() == License.AGENCY.label
    assert image.default_alt_text == "Cầu Long Biên lúc bình minh"
    assert make_image("Chỉ có tiêu đề", size=(32, 32)).default_alt_text == "Chỉ có tiêu đề"
    assert make_image(size=(32, 32)).license == License.ALL_RIGHTS_RESERVED


def test_editors_see_the_provenance_fields_in_the_image_form():
    form = get_image_form(ArchiveImage)()
    assert {"caption", "credit", "source", "license"} <= set(form.fields)


def test_rendition_service_makes_every_public_rendition_in_avif_webp_and_jpeg():
    image = make_image(size=(1400, 800))
    specs = all_filter_specs()
    assert generate_renditions(image.pk) == len(specs)

    renditions = ArchiveRendition.objects.filter(image=image)
    assert sorted(r.filter_spec for r in renditions) == sorted(specs)
    by_format = {}
    for rendition in renditions:
        with Image.open(rendition.file.path) as picture:
            by_format.setdefault(picture.format, []).append(rendition)
            assert picture.size == (rendition.width, rendition.height)
    assert set(by_format) == {"AVIF", "WEBP", "JPEG"}  # the admin thumbnail keeps the original JPEG
    card_specs = ("fill-480x270-c75", "fill-960x540-c75")
    assert sorted((r.width, r.height) for r in by_format["AVIF"] if r.filter_spec.split("|")[0] in card_specs) == [(480, 270), (960, 540)]

    # Running again (a retried task) reuses what exists.
    assert generate_renditions(image.pk) == len(specs)
    assert ArchiveRendition.objects.filter(image=image).count() == len(specs)


def test_rendition_service_ignores_an_image_deleted_before_the_worker_ran():
    image = make_image(size=(64, 64))
    image_id = image.pk
    image.delete()
    assert generate_renditions(image_id) == 0


def test_uploading_an_image_queues_its_renditions_after_commit(django_capture_on_commit_callbacks):
    broker_messages("media")  # assets.tasks.* are routed to the media queue
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        image = make_image(size=(64, 64))
    assert broker_messages("media") == []  # nothing is sent before the image is committed
    for callback in callbacks:
        callback()
    sent = broker_messages("media")
    assert [(m.headers["task"], m.headers["argsrepr"]) for m in sent] == [("assets.tasks.generate_renditions", f"({image.pk},)")]


def test_editing_only_the_focal_point_does_not_queue_renditions(django_capture_on_commit_callbacks):
    image = make_image(size=(64, 64))
    with django_capture_on_commit_callbacks() as callbacks:
        image.focal_point_x = 10
        image.save(update_fields=["focal_point_x"])
    assert callbacks == []


@pytest.mark.parametrize(
    ("kind", "name", "mime"),
    [
        ("video", "phong-su.mp4", "video/mp4"),
        ("video", "phong-su.webm", "video/webm"),
        ("video", "phong-su.mov", "video/quicktime"),
        ("audio", "ban-tin.mp3", "audio/mpeg"),
        ("audio", "ban-tin.m4a", "audio/mp4"),
        ("audio", "ban-tin.ogg", "audio/ogg"),
        ("audio", "ban-tin.opus", "audio/ogg"),
        ("audio", "ban-tin.wav", "audio/wav"),
    ],
)
def test_media_file_type(kind, name, mime):
    media = Media.objects.create(title="Bản tin", kind=kind, file=ContentFile(b"\x00" * 16, name=name))
    assert media.mime_type == mime
    assert Path(media.file.name).parent.parts[0] == "media"
    assert media.filename.endswith(Path(name).suffix)


@pytest.mark.parametrize(("seconds", "display", "iso"), [(None, "", ""), (65, "1:05", "PT65S"), (3725.4, "1:02:05", "PT3725S"), (59.6, "1:00", "PT60S")])
def test_media_duration(seconds, display, iso):
    media = Media(title="Podcast", kind=Media.Kind.AUDIO, duration=seconds)
    assert (media.duration_display, media.iso_duration) == (display, iso)


def test_media_keeps_credit_license_and_poster():
    poster = make_image("Ảnh đại diện", size=(64, 36))
    media = Media.objects.create(
        title="Phóng sự: mùa mận Bắc Hà",
        kind=Media.Kind.VIDEO,
        file=ContentFile(b"\x00" * 16, name="man-bac-ha.mp4"),
        duration=312,
        width=1920,
        height=1080,
        poster=poster,
        credit="VTV",
        license=License.CC_BY,
        transcript="Lời dẫn…",
    )
    media = Media.objects.select_related("poster").get(pk=media.pk)
    assert (media.width, media.height, media.duration, media.credit, media.license, media.poster) == (1920, 1080, 312, "VTV", "cc-by", poster)
    assert str(media) == "Phóng sự: mùa mận Bắc Hà"


def test_media_refuses_files_that_are_not_video_or_audio():
    media = Media(title="Tệp lạ", kind=Media.Kind.VIDEO, file=ContentFile(b"MZ", name="virus.exe"))
    media.file.name = "media/virus.exe"
    with pytest.raises(ValidationError) as error:
        media.full_clean()
    assert "file" in error.value.message_dict
