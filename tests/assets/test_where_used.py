"""An archive item's page says where it is used: the stories that show
it and the channel deliveries that carried them, each person seeing their
own units' stories in full, another unit's only once published, and its
unpublished ones only counted."""

import pytest
from django.core.files.base import ContentFile

from assets.models import ArchiveImage, Media
from assets.usage import uses_of
from publishing.models import Delivery, DeliveryState
from tests.helpers import image_block, make_article
from tests.publishing.conftest import make_channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def video_in_use(newsroom):
    video = Media.objects.create(kind="video", title="Cầu Rồng phun lửa", file=ContentFile(b"\x00" * 64, name="cau-rong.mp4"))
    block = [("video", {"video": video, "caption": ""})]
    stories = {
        "own_live": make_article(newsroom.finance.economy, title="Đêm hội sông Hàn", body=block),
        "own_draft": make_article(newsroom.finance.economy, title="Bản nháp lễ hội", body=block, publish=False),
        "other_live": make_article(newsroom.province.news, title="Lâm Đồng xem pháo hoa", body=block),
        "other_draft": make_article(newsroom.province.news, title="Zqxprov bản nháp Lâm Đồng", body=block, publish=False),
    }
    channel = make_channel(newsroom.finance.unit, "telegram", name="Telegram Tài chính")
    Delivery.objects.create(story=stories["own_live"], channel=channel, state=DeliveryState.DELIVERED, remote_url="https://t.me/taichinh/42")
    other_channel = make_channel(newsroom.province.unit, "telegram", name="Telegram Lâm Đồng")
    Delivery.objects.create(story=stories["other_live"], channel=other_channel, state=DeliveryState.DELIVERED, remote_url="https://t.me/lamdong/7")
    return video, stories


def flat(uses):
    return {heading: [(use.title, use.detail) for use in found] for heading, found in ((str(h), f) for h, f in uses)}


def test_each_person_sees_their_units_stories_in_full_and_the_others_published(video_in_use, staff):
    video, _stories = video_in_use
    seen = flat(uses_of(video, staff["desk_editor"]))
    assert sorted(seen["Bài viết dùng tư liệu này"]) == [
        ("1 bài chưa đăng của đơn vị khác", ""),
        ("Bản nháp lễ hội", "Thời báo Tài chính · Bản nháp"),
        ("Lâm Đồng xem pháo hoa", "Báo Lâm Đồng · Đã đăng"),
        ("Đêm hội sông Hàn", "Thời báo Tài chính · Đã đăng"),
    ]
    # The deliveries of their own unit's channels only.
    assert seen["Đã gửi lên các kênh"] == [("Đêm hội sông Hàn", "Telegram Tài chính · Đã gửi")]

    seen = flat(uses_of(video, staff["other_unit_editor_in_chief"]))
    assert ("Zqxprov bản nháp Lâm Đồng", "Báo Lâm Đồng · Bản nháp") in seen["Bài viết dùng tư liệu này"]
    assert ("1 bài chưa đăng của đơn vị khác", "") in seen["Bài viết dùng tư liệu này"]
    assert seen["Đã gửi lên các kênh"] == [("Lâm Đồng xem pháo hoa", "Telegram Lâm Đồng · Đã gửi")]


def test_the_items_page_lists_them_with_links(video_in_use, archivist):
    video, stories = video_in_use
    page = archivist.get(f"/admin/snippets/assets/media/edit/{video.pk}/").content.decode()
    assert "Nơi sử dụng" in page
    assert f'href="/admin/pages/{stories["own_draft"].pk}/edit/"' in page
    assert 'href="https://t.me/taichinh/42"' in page


def test_a_picture_page_says_where_it_is_used_and_an_unused_one_says_so(newsroom, archivist):
    page = archivist.get(f"/admin/images/{newsroom.site_photo.pk}/").content.decode()
    assert "Nơi sử dụng" in page and f'href="/admin/pages/{newsroom.finance.rail.pk}/edit/"' in page
    lone = ArchiveImage.objects.create(title="Ảnh chưa dùng", file=newsroom.cover.file.name, width=10, height=10)
    page = archivist.get(f"/admin/images/{lone.pk}/").content.decode()
    assert "Chưa bài nào dùng tư liệu này" in page


def test_an_image_block_counts_too(newsroom, staff):
    story = make_article(newsroom.province.news, title="Ảnh dùng lại", body=[image_block(newsroom.site_photo)], publish=False)
    seen = flat(uses_of(newsroom.site_photo, staff["desk_editor"]))
    assert ("1 bài chưa đăng của đơn vị khác", "") in seen["Bài viết dùng tư liệu này"]
    assert story.title not in str(seen)
