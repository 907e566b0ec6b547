"""Telegram channel through the Bot API on the fake platform: a story's
life (photo post, caption edit, delete), the caption and message limits,
the Bot API's errors, and a send whose answer was lost."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape

from publishing.adapters.telegram import CAPTION_LIMIT, TEXT_LIMIT, TelegramAdapter
from publishing.models import Channel, DeliveryState
from tests.publishing.social import correct_story, deliver, in_vietnamese, newsroom_with_channel, publish_story, take_down

# A platform's API against its adapter, in this process: nothing here can
# differ on PostgreSQL + Redis (concurrency: test_worker_delivery.py).
pytestmark = [pytest.mark.django_db, pytest.mark.once]

S = DeliveryState


def visible(html):
    """What a reader sees of a Bot API HTML message (the limit counts it)."""
    return re.sub(r"<[^>]+>", "", html).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&#x27;", "'")


def expected_message(story, sapo):
    read_more = in_vietnamese("Read more")
    url = story.get_full_url()
    return f'<b>{escape(story.title)}</b>\n\n{escape(sapo)}\n\n<a href="{escape(url)}">{escape(read_more)}</a>'


def test_a_story_is_posted_with_its_picture_corrected_and_taken_down(fake_platforms):
    newsroom = newsroom_with_channel("telegram", fake_platforms)
    story = publish_story(newsroom)

    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.DELIVERED
    post_id = delivery.remote_id
    posts = fake_platforms.live_posts("telegram")
    assert list(posts) == [delivery.remote_id]
    post = posts[delivery.remote_id]
    assert post["kind"] == "photo"
    assert post["photo"].startswith("http://localhost/media/images/") and post["photo"].endswith(".jpg")
    assert post["text"] == expected_message(story, story.sapo)
    assert delivery.remote_url == f"https://t.me/kenhthu/{delivery.remote_id}"

    story = correct_story(story, "Tổng vốn đầu tư là 67 tỷ USD.")
    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.DELIVERED
    post = fake_platforms.live_posts("telegram")[delivery.remote_id]
    assert post["text"] == expected_message(story, "Tổng vốn đầu tư là 67 tỷ USD.")
    assert post["edits"] == 1
    assert len(fake_platforms.requests_to("telegram", path="/sendPhoto")) == 1
    assert len(fake_platforms.requests_to("telegram", path="/editMessageCaption")) == 1

    take_down(story, newsroom)
    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.REMOVED
    assert fake_platforms.live_posts("telegram") == {}
    assert fake_platforms.posts["telegram"][post_id]["deleted"]


def test_a_caption_is_cut_to_1024_and_a_message_keeps_up_to_4096(fake_platforms):
    newsroom = newsroom_with_channel("telegram", fake_platforms)
    long_sapo = " ".join(["Dự án đường sắt tốc độ cao đi qua hai mươi tỉnh, thành phố."] * 50)  # ~3,000 characters
    assert CAPTION_LIMIT < len(long_sapo) < TEXT_LIMIT - 200

    with_picture = publish_story(newsroom, title="Có ảnh", sapo=long_sapo)
    assert deliver(with_picture, newsroom.channel).state == S.DELIVERED
    without_picture = publish_story(newsroom, title="Không ảnh", sapo=long_sapo, cover=None)
    assert deliver(without_picture, newsroom.channel).state == S.DELIVERED

    photo, message = sorted(fake_platforms.live_posts("telegram").values(), key=lambda p: p["kind"])
    assert photo["kind"] == "photo" and message["kind"] == "text"
    caption = visible(photo["text"])
    assert len(caption) <= CAPTION_LIMIT
    assert len(caption) > CAPTION_LIMIT - 80  # cut, not dropped
    assert "…" in caption and caption.endswith(in_vietnamese("Read more"))
    assert long_sapo in visible(message["text"])  # the whole text fits a message
    assert len(visible(message["text"])) <= TEXT_LIMIT


def test_a_bad_bot_token_counts_as_an_authentication_failure(fake_platforms):
    newsroom = newsroom_with_channel("telegram", fake_platforms, credentials={"bot_token": "bad-token"})
    delivery = deliver(publish_story(newsroom), newsroom.channel)
    assert delivery.state == S.RETRYING
    assert delivery.http_status == 401
    assert "Unauthorized" in delivery.error
    assert Channel.objects.get(pk=newsroom.channel.pk).auth_failures == 1
    assert fake_platforms.live_posts("telegram") == {}


def test_flood_control_waits_as_long_as_telegram_says(fake_platforms):
    newsroom = newsroom_with_channel("telegram", fake_platforms)
    fake_platforms.inject(
        platform="telegram",
        status=429,
        body={"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 17", "parameters": {"retry_after": 17}},
    )
    before = timezone.now()
    delivery = deliver(publish_story(newsroom), newsroom.channel)
    assert delivery.state == S.RETRYING
    assert "retry after 17" in delivery.error
    assert before + timedelta(seconds=16) <= delivery.next_attempt_at <= timezone.now() + timedelta(seconds=18)
    channel = Channel.objects.get(pk=newsroom.channel.pk)
    assert channel.is_rate_limited()


def test_a_lost_answer_is_left_to_a_person_since_telegram_cannot_be_searched(fake_platforms):
    assert TelegramAdapter.can_lookup is False
    newsroom = newsroom_with_channel("telegram", fake_platforms)
    fake_platforms.inject(platform="telegram", path="/sendPhoto", drop_after_handling=True)
    delivery = deliver(publish_story(newsroom), newsroom.channel)
    assert delivery.state == S.UNKNOWN
    assert delivery.remote_id == ""
    assert len(fake_platforms.live_posts("telegram")) == 1  # it was posted, we just never heard
    assert len(fake_platforms.requests_to("telegram")) == 1  # and it was not sent again


def test_a_correction_that_leaves_the_message_as_it_was_is_delivered(fake_platforms):
    newsroom = newsroom_with_channel("telegram", fake_platforms)
    story = publish_story(newsroom)
    first = deliver(story, newsroom.channel)
    # Only the body changes: the caption (headline, sapo, link) stays the same.
    story.body = [("paragraph", "<p>Đoạn văn đã sửa.</p>")]
    story.save_revision().publish()
    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.DELIVERED, delivery.error
    assert delivery.remote_id == first.remote_id
    edit = fake_platforms.requests_to("telegram", path="/editMessageCaption")
    assert [r.status for r in edit] == [400]  # "message is not modified": nothing to change
    assert fake_platforms.live_posts("telegram")[first.remote_id]["edits"] == 0
