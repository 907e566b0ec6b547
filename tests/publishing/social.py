"""Builders shared by the social-platform adapter tests: a unit with one
channel on the fake platform, stories published / corrected / taken down
through the workflow, and the worker's step for one delivery."""

from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.utils import translation

from assets.models import Media
from newsroom.models import ArticleCorrection
from publishing import services
from publishing.models import Delivery
from tests.helpers import make_article, make_image, make_section, make_staff, make_unit, paragraph
from tests.publishing.conftest import make_channel
from workflows import services as workflow_services
from workflows.models import Role


def newsroom_with_channel(kind, fake, language="vi", **channel_fields):
    """A unit (Vietnamese, as the press units are, unless a test reads the
    engine's messages in English), one section, a publisher who may take
    stories down, and one channel of ``kind`` on the fake."""
    unit, home = make_unit("taichinh", "Thời báo Tài chính", default=True, language=language)
    section = make_section(home, "Kinh tế")
    channel = make_channel(unit, kind, fake, rate_limit_per_minute=0, **channel_fields)
    publisher = make_staff(unit, Role.EDITOR_IN_CHIEF, "tc.editor_in_chief")
    return SimpleNamespace(unit=unit, home=home, section=section, channel=channel, publisher=publisher)


def publish_story(
    newsroom, title="Đường sắt Bắc–Nam được phê duyệt", sapo="Quốc hội thông qua chủ trương đầu tư tuyến đường sắt tốc độ cao.", cover=True, **fields
):
    if cover is True:
        cover = make_image("Đoàn tàu Thống Nhất", size=(640, 360))
    return make_article(newsroom.section, title=title, sapo=sapo, cover_image=cover or None, **fields)


def correct_story(story, sapo, note="Sửa số liệu tổng vốn."):
    """A correction published as an editor would: new text, a dated note."""
    story.sapo = sapo
    story.corrections.add(ArticleCorrection(note=note))
    story.save_revision().publish()
    story.refresh_from_db()
    return story


def take_down(story, newsroom, reason="Vi phạm bản quyền ảnh"):
    return workflow_services.take_down(story, newsroom.publisher, reason)


def due_now(delivery):
    """Let a retrying delivery's wait pass (the clock moved on)."""
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)


def delivery_of(story, channel):
    return Delivery.objects.get(story=story, channel=channel)


def deliver(story, channel):
    """What a worker does with the delivery's message now."""
    delivery = delivery_of(story, channel)
    services.process(delivery.pk)
    delivery.refresh_from_db()
    return delivery


def in_vietnamese(text):
    """Words an adapter adds are in the unit's language."""
    with translation.override("vi"):
        return translation.gettext(text)


def make_video(size=700 * 1024, name="ban-tin.mp4"):
    """A video in the archive whose bytes differ everywhere (so a chunk sent
    twice or out of place changes the checksum)."""
    content = bytes((i * 7 + i // 251) % 256 for i in range(size))
    return Media.objects.create(title="Bản tin", kind=Media.Kind.VIDEO, file=ContentFile(content, name=name)), content


def video_body(video, text="Bản tin thời sự tối."):
    return [paragraph(text), ("video", {"video": video, "caption": "Bản tin"})]
