"""Every adapter reads an HTTP status the same way once its platform's own
error codes are read (``error_for_status`` in publishing/adapters/errors.py):
a request timeout (408) or a "too early" (425) is retried on every
platform, and the story is then posted once."""

import pytest

from publishing.models import DeliveryState
from tests.publishing.social import deliver, due_now, make_video, newsroom_with_channel, publish_story, video_body

# Platform answers against one adapter in this process: nothing here can
# differ on PostgreSQL + Redis (concurrency: test_worker_delivery.py).
pytestmark = [pytest.mark.django_db, pytest.mark.once]

S = DeliveryState


@pytest.mark.parametrize("status", [408, 425])
@pytest.mark.parametrize("kind", ["facebook", "telegram", "x", "youtube", "zalo", "wordpress"])
def test_a_timeout_or_too_early_is_retried_then_posted_once(kind, status, fake_platforms):
    newsroom = newsroom_with_channel(kind, fake_platforms)
    video_story = {"body": video_body(make_video(size=300 * 1024)[0])} if kind == "youtube" else {}  # YouTube takes only videos
    story = publish_story(newsroom, **video_story)
    fake_platforms.inject(platform=kind, status=status, body={"error": {"message": "Try again later"}})

    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.RETRYING and delivery.http_status == status, delivery.error

    due_now(delivery)
    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.DELIVERED, delivery.error
    assert len(fake_platforms.live_posts(kind)) == 1
