import pytest
from django.core.files.base import ContentFile
from django.utils import translation
from wagtail.blocks import StructBlockValidationError

from assets.models import Media
from newsroom.blocks import AudioBlock, VideoBlock


def media(kind, name):
    return Media.objects.create(title=f"Tệp {kind}", kind=kind, file=ContentFile(b"\x00" * 16, name=name))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "block_class, field, wrong_kind, wrong_name, message",
    [
        (VideoBlock, "video", Media.Kind.AUDIO, "ban-tin.mp3", "Hãy chọn tệp video, không phải âm thanh."),
        (AudioBlock, "audio", Media.Kind.VIDEO, "phong-su.mp4", "Hãy chọn tệp âm thanh, không phải video."),
    ],
)
def test_media_block_refuses_a_file_of_the_other_kind_in_vietnamese(block_class, field, wrong_kind, wrong_name, message):
    block = block_class()
    with translation.override("vi"), pytest.raises(StructBlockValidationError) as caught:
        block.clean(block.to_python({field: media(wrong_kind, wrong_name).pk, "caption": ""}))
    assert message in str(caught.value.block_errors[field])


@pytest.mark.django_db
def test_media_block_accepts_its_own_kind():
    block = VideoBlock()
    video = media(Media.Kind.VIDEO, "phong-su.mp4")
    assert block.clean(block.to_python({"video": video.pk, "caption": "Phóng sự"}))["video"] == video


@pytest.mark.django_db
def test_image_credit_line_is_shown_once_as_written():
    from newsroom.blocks import ImageBlock
    from tests.helpers import make_image

    image = make_image(size=(64, 64), credit="Ảnh: TTXVN", caption="Công trường ga Ngọc Hồi")
    block = ImageBlock()
    with translation.override("vi"):
        html = block.render(block.to_python({"image": image.pk, "caption": "", "credit": "", "layout": "normal"}))
    assert "Công trường ga Ngọc Hồi" in html
    assert html.count("TTXVN") == 1 and "Ảnh: Ảnh" not in html
