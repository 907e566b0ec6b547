"""YouTube on the fake platform: the story's video goes up with the
resumable protocol in chunks (308 between them, bytes intact, an
interrupted chunk resumed), corrections update the metadata, a takedown
deletes the video; stories without a video are refused before anything is
sent; Google's errors (quota, bad credentials)."""

import hashlib
from datetime import timedelta

import pytest
import requests
from django.utils import timezone, translation

from demo.fakes.youtube import ACCESS_TOKEN, CHANNEL_ID
from publishing.adapters.errors import Temporary
from publishing.adapters.youtube import seconds_until_quota_reset
from publishing.models import Channel, Delivery, DeliveryState
from tests.publishing.social import correct_story, deliver, due_now, make_video, newsroom_with_channel, publish_story, take_down, video_body

# A platform's API against its adapter, in this process: nothing here can
# differ on PostgreSQL + Redis (concurrency: test_worker_delivery.py).
pytestmark = [pytest.mark.django_db, pytest.mark.once]

S = DeliveryState
CHUNK = 256 * 1024


@pytest.fixture(autouse=True)
def small_chunks(settings):
    settings.PUBLISHING_YOUTUBE_CHUNK_BYTES = CHUNK


def test_a_video_story_is_uploaded_in_chunks_updated_and_deleted(fake_platforms):
    newsroom = newsroom_with_channel("youtube", fake_platforms)
    video, content = make_video(size=2 * CHUNK + 1000)
    story = publish_story(newsroom, title="Bản tin <tối> 1/12", body=video_body(video), tags=["thời sự", "giao thông"])

    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.DELIVERED, delivery.error
    video_id = delivery.remote_id
    uploaded = fake_platforms.live_posts("youtube")[video_id]
    assert uploaded["size"] == len(content)
    assert uploaded["sha256"] == hashlib.sha256(content).hexdigest()
    assert uploaded["title"] == "Bản tin ‹tối› 1/12"  # YouTube refuses angle brackets
    assert uploaded["description"] == f"{story.sapo}\n\n{story.get_full_url()}"
    assert sorted(uploaded["tags"]) == ["giao thông", "thời sự"]
    assert uploaded["category_id"] == "25" and uploaded["privacy"] == "public"
    assert delivery.remote_url == f"https://www.youtube.com/watch?v={delivery.remote_id}"

    start = fake_platforms.requests_to("youtube", method="POST", path="/upload/")[0]
    assert start.query == {"uploadType": "resumable", "part": "snippet,status"}
    assert start.headers.get("X-Upload-Content-Length") == str(len(content))
    assert start.headers.get("X-Upload-Content-Type") == "video/mp4"
    chunks = fake_platforms.requests_to("youtube", method="PUT", path="/upload/")
    assert [(c.headers.get("Content-Range"), c.status) for c in chunks] == [
        (f"bytes 0-{CHUNK - 1}/{len(content)}", 308),
        (f"bytes {CHUNK}-{2 * CHUNK - 1}/{len(content)}", 308),
        (f"bytes {2 * CHUNK}-{len(content) - 1}/{len(content)}", 200),
    ]

    story = correct_story(story, "Bản tin đã sửa.")
    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.DELIVERED, delivery.error
    updated = fake_platforms.live_posts("youtube")[delivery.remote_id]
    assert updated["description"] == f"Bản tin đã sửa.\n\n{story.get_full_url()}"
    assert updated["updates"] == 1
    update = fake_platforms.requests_to("youtube", method="PUT", path="^/youtube/v3/videos")[0]
    assert update.query == {"part": "snippet,status"} and update.json["id"] == delivery.remote_id
    assert len(fake_platforms.requests_to("youtube", method="POST", path="/upload/")) == 1  # not uploaded again

    take_down(story, newsroom)
    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.REMOVED
    assert fake_platforms.live_posts("youtube") == {}
    assert fake_platforms.requests_to("youtube", method="DELETE")[0].query == {"id": video_id}
    assert fake_platforms.posts["youtube"][video_id]["deleted"]


def test_an_interrupted_chunk_is_resumed_where_youtube_stands(fake_platforms):
    newsroom = newsroom_with_channel("youtube", fake_platforms)
    video, content = make_video(size=3 * CHUNK)
    story = publish_story(newsroom, body=video_body(video))
    # The second chunk's answer is lost after YouTube stored it.
    fake_platforms.inject(platform="youtube", method="PUT", path="/upload/", after=1, drop_after_handling=True)
    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.DELIVERED, delivery.error
    uploaded = fake_platforms.live_posts("youtube")[delivery.remote_id]
    assert uploaded["sha256"] == hashlib.sha256(content).hexdigest()
    ranges = [c.headers.get("Content-Range") for c in fake_platforms.requests_to("youtube", method="PUT", path="/upload/")]
    assert ranges == [
        f"bytes 0-{CHUNK - 1}/{len(content)}",
        f"bytes {CHUNK}-{2 * CHUNK - 1}/{len(content)}",
        f"bytes */{len(content)}",  # how much do you have? → 308 Range: bytes=0-(2 chunks)
        f"bytes {2 * CHUNK}-{3 * CHUNK - 1}/{len(content)}",
    ]
    assert len(fake_platforms.live_posts("youtube")) == 1


def test_a_long_upload_keeps_its_claim_chunk_after_chunk(fake_platforms, settings):
    from publishing import services

    newsroom = newsroom_with_channel("youtube", fake_platforms)
    video, _content = make_video(size=3 * CHUNK)
    story = publish_story(newsroom, body=video_body(video))
    delivery = Delivery.objects.get(story=story, channel=newsroom.channel)
    # Each chunk takes a while: the upload outlasts the first lease.
    fake_platforms.inject(platform="youtube", method="PUT", path="/upload/", delay=0.4, times=None)
    claim = services.claim_delivery(delivery.pk)
    first_lease = Delivery.objects.get(pk=delivery.pk).lease_until

    outcome = services.perform(claim)

    assert outcome.result == "delivered"
    assert Delivery.objects.get(pk=delivery.pk).lease_until >= first_lease + timedelta(seconds=0.8)
    services.record_outcome(claim, outcome)
    assert Delivery.objects.get(pk=delivery.pk).state == S.DELIVERED


def test_an_upload_stops_when_another_worker_took_the_delivery_over(fake_platforms):
    from publishing import services

    newsroom = newsroom_with_channel("youtube", fake_platforms)
    video, content = make_video(size=3 * CHUNK)
    story = publish_story(newsroom, body=video_body(video))
    delivery = Delivery.objects.get(story=story, channel=newsroom.channel)
    claim = services.claim_delivery(delivery.pk)
    adapter = delivery.channel.get_adapter()
    post = adapter.prepare(adapter.render(story))
    # The first chunk is sent; meanwhile the lease ran out and another
    # worker claimed the delivery.
    Delivery.objects.filter(pk=delivery.pk).update(claim_token="another-worker")
    their_lease = Delivery.objects.get(pk=delivery.pk).lease_until
    adapter.keep_claim = lambda: services.extend_claim(claim)

    with translation.override("en"), pytest.raises(Temporary, match="another worker took this delivery over"):
        adapter.create(post)

    chunks = fake_platforms.requests_to("youtube", method="PUT", path="/upload/")
    assert [c.headers.get("Content-Range") for c in chunks] == [f"bytes 0-{CHUNK - 1}/{len(content)}"]
    assert fake_platforms.live_posts("youtube") == {}  # an unfinished upload makes no video
    # The other worker's claim is left as it was.
    assert Delivery.objects.get(pk=delivery.pk).lease_until == their_lease
    assert not services.extend_claim(claim)


def test_a_story_without_a_video_is_refused_and_nothing_is_sent(fake_platforms):
    newsroom = newsroom_with_channel("youtube", fake_platforms, language="en")
    delivery = deliver(publish_story(newsroom), newsroom.channel)
    assert delivery.state == S.FAILED
    with translation.override("en"):
        assert delivery.error == "YouTube takes only stories with a video: this story has no video in its body."
    assert fake_platforms.requests_to("youtube") == []


def test_an_exhausted_daily_quota_waits_for_the_next_day(fake_platforms):
    newsroom = newsroom_with_channel("youtube", fake_platforms)
    video, _content = make_video(size=1000)
    message = "The request cannot be completed because you have exceeded your quota."
    fake_platforms.inject(
        platform="youtube",
        method="POST",
        path="/upload/",
        status=403,
        body={"error": {"code": 403, "message": message, "errors": [{"message": message, "domain": "youtube.quota", "reason": "quotaExceeded"}]}},
    )
    delivery = deliver(publish_story(newsroom, body=video_body(video)), newsroom.channel)
    assert delivery.state == S.RETRYING
    assert delivery.error == f"YouTube (quotaExceeded): {message}"
    expected = timezone.now() + timedelta(seconds=seconds_until_quota_reset())
    assert abs((delivery.next_attempt_at - expected).total_seconds()) < 60
    assert Channel.objects.get(pk=newsroom.channel.pk).auth_failures == 0
    assert fake_platforms.live_posts("youtube") == {}


def test_a_revoked_refresh_token_is_an_authentication_failure(fake_platforms):
    newsroom = newsroom_with_channel("youtube", fake_platforms, credentials={"refresh_token": "1//revoked"})
    video, _content = make_video(size=1000)
    delivery = deliver(publish_story(newsroom, body=video_body(video)), newsroom.channel)
    assert delivery.state == S.RETRYING
    assert delivery.error == "YouTube OAuth: invalid_grant Token has been expired or revoked."
    assert Channel.objects.get(pk=newsroom.channel.pk).auth_failures == 1
    assert [r.path for r in fake_platforms.requests_to("youtube")] == ["/token"]


def test_an_access_token_refused_by_the_api_is_an_authentication_failure(fake_platforms):
    newsroom = newsroom_with_channel("youtube", fake_platforms)
    video, _content = make_video(size=1000)
    message = "Request had insufficient authentication scopes."
    fake_platforms.inject(
        platform="youtube",
        method="POST",
        path="/upload/",
        status=403,
        body={"error": {"code": 403, "message": message, "errors": [{"message": message, "domain": "global", "reason": "insufficientPermissions"}]}},
    )
    delivery = deliver(publish_story(newsroom, body=video_body(video)), newsroom.channel)
    assert delivery.state == S.RETRYING
    assert delivery.http_status == 403
    assert delivery.error == f"YouTube (insufficientPermissions): {message}"
    assert Channel.objects.get(pk=newsroom.channel.pk).auth_failures == 1


def test_an_upload_whose_last_answer_was_lost_is_found_among_the_uploads(fake_platforms):
    newsroom = newsroom_with_channel("youtube", fake_platforms)
    video, content = make_video(size=CHUNK + 10)
    story = publish_story(newsroom, body=video_body(video))
    # The last chunk and the status query after it both lose their answers.
    fake_platforms.inject(platform="youtube", method="PUT", path="/upload/", after=1, times=None, drop_after_handling=True)
    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.RETRYING and delivery.needs_lookup
    assert len(fake_platforms.live_posts("youtube")) == 1  # YouTube has it

    fake_platforms.clear_faults()
    due_now(delivery)
    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.DELIVERED, delivery.error
    assert list(fake_platforms.live_posts("youtube")) == [delivery.remote_id]
    assert len(fake_platforms.requests_to("youtube", method="POST", path="/upload/")) == 1  # uploaded once
    assert [r.path for r in fake_platforms.requests_to("youtube", method="GET")] == ["/youtube/v3/channels", "/youtube/v3/playlistItems"]
    assert delivery.remote_url == f"https://www.youtube.com/watch?v={delivery.remote_id}"


def test_the_fake_lists_refuse_what_the_data_api_refuses(fake_platforms):
    """The look among the uploads asks only what the Data API takes."""
    base, headers = fake_platforms.base_url("youtube"), {"Authorization": f"Bearer {ACCESS_TOKEN}"}
    uploads = "UU" + CHANNEL_ID[2:]
    for path, query, reason in (
        ("channels", {"mine": "true"}, "required"),
        ("channels", {"part": "contentDetails,uploads", "mine": "true"}, "unknownPart"),
        ("playlistItems", {"part": "snippet", "playlistId": uploads, "maxResults": 51}, "invalidParameter"),
        ("playlistItems", {"part": "snippet,fileDetails", "playlistId": uploads}, "unknownPart"),
    ):
        answer = requests.get(f"{base}/youtube/v3/{path}", params=query, headers=headers)
        assert answer.status_code == 400 and answer.json()["error"]["errors"][0]["reason"] == reason, query
    answer = requests.get(f"{base}/youtube/v3/playlistItems", params={"part": "snippet", "playlistId": uploads, "maxResults": 25}, headers=headers)
    assert answer.status_code == 200
