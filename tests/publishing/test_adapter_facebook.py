"""Facebook Page through the Graph API on the fake platform: link and photo
posts, edits and deletes; Graph's error bodies (a bad token is code 190
with HTTP 400; rate limits 4/17/32/613); a create whose answer was lost is
found in the page's feed instead of being posted twice."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from publishing.models import Channel, DeliveryState
from tests.publishing.social import correct_story, deliver, delivery_of, due_now, newsroom_with_channel, publish_story, take_down

pytestmark = pytest.mark.django_db

S = DeliveryState
PAGE = "104857600123456"


def test_a_link_post_is_created_edited_and_deleted(fake_platforms):
    newsroom = newsroom_with_channel("facebook", fake_platforms)
    story = publish_story(newsroom)

    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.DELIVERED, delivery.error
    post_id = delivery.remote_id
    posts = fake_platforms.live_posts("facebook")
    assert list(posts) == [delivery.remote_id]
    post = posts[delivery.remote_id]
    assert post["kind"] == "link"
    assert post["link"] == story.get_full_url()
    assert post["message"] == f"{story.title}\n\n{story.sapo}"
    assert delivery.remote_url == f"https://www.facebook.com/{PAGE}/posts/{delivery.remote_id.split('_')[1]}"
    request = fake_platforms.requests_to("facebook", method="POST")[0]
    assert request.path == f"/v21.0/{PAGE}/feed"
    assert "access_token" not in request.query  # the token stays out of addresses (and logs)

    story = correct_story(story, "Tổng vốn đầu tư là 67 tỷ USD.")
    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.DELIVERED, delivery.error
    post = fake_platforms.live_posts("facebook")[delivery.remote_id]
    assert post["message"] == f"{story.title}\n\nTổng vốn đầu tư là 67 tỷ USD."
    assert post["edits"] == 1
    assert fake_platforms.requests_to("facebook", method="POST")[-1].path == f"/v21.0/{delivery.remote_id}"

    take_down(story, newsroom)
    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.REMOVED
    assert fake_platforms.live_posts("facebook") == {}
    assert fake_platforms.requests_to("facebook", method="DELETE")[0].path == f"/v21.0/{post_id}"
    assert fake_platforms.posts["facebook"][post_id]["deleted"]


def test_a_photo_post_carries_the_picture_and_the_link_in_its_caption(fake_platforms):
    newsroom = newsroom_with_channel("facebook", fake_platforms, config={"post_as": "photo", "api_version": "v22.0"})
    story = publish_story(newsroom)
    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.DELIVERED, delivery.error
    post = fake_platforms.live_posts("facebook")[delivery.remote_id]
    assert post["kind"] == "photo"
    assert post["photo_url"].startswith("http://localhost/media/images/") and post["photo_url"].endswith(".jpg")
    assert post["message"] == f"{story.title}\n\n{story.sapo}\n\n{story.get_full_url()}"
    assert fake_platforms.requests_to("facebook", method="POST")[0].path == f"/v22.0/{PAGE}/photos"

    story = correct_story(story, "Bản sửa.")
    delivery = deliver(story, newsroom.channel)
    assert fake_platforms.live_posts("facebook")[delivery.remote_id]["message"] == f"{story.title}\n\nBản sửa.\n\n{story.get_full_url()}"

    # Without a picture the same channel falls back to a link post.
    plain = publish_story(newsroom, title="Không ảnh", cover=None)
    delivery = deliver(plain, newsroom.channel)
    assert fake_platforms.live_posts("facebook")[delivery.remote_id]["kind"] == "link"


def test_code_190_is_an_authentication_failure_even_with_http_400(fake_platforms):
    newsroom = newsroom_with_channel("facebook", fake_platforms, credentials={"page_access_token": "expired-token"})
    delivery = deliver(publish_story(newsroom), newsroom.channel)
    assert delivery.state == S.RETRYING
    assert delivery.http_status == 400
    assert delivery.error == "Facebook (190/463): Error validating access token: Session has expired."
    assert Channel.objects.get(pk=newsroom.channel.pk).auth_failures == 1


def test_a_page_rate_limit_waits_as_long_as_graph_says(fake_platforms):
    newsroom = newsroom_with_channel("facebook", fake_platforms)
    usage = {PAGE: [{"type": "pages", "call_count": 100, "total_time": 20, "total_cputime": 20, "estimated_time_to_regain_access": 5}]}
    fake_platforms.inject(
        platform="facebook",
        status=403,
        body={"error": {"message": "(#32) Page request limit reached", "type": "OAuthException", "code": 32, "fbtrace_id": "Ab1"}},
        headers={"X-Business-Use-Case-Usage": json.dumps(usage)},
    )
    before = timezone.now()
    delivery = deliver(publish_story(newsroom), newsroom.channel)
    assert delivery.state == S.RETRYING
    assert delivery.error == "Facebook (32): (#32) Page request limit reached"
    assert before + timedelta(minutes=5) - timedelta(seconds=2) <= delivery.next_attempt_at <= timezone.now() + timedelta(minutes=5, seconds=2)
    assert Channel.objects.get(pk=newsroom.channel.pk).auth_failures == 0


def test_a_refused_post_fails_at_once_with_graphs_message(fake_platforms):
    newsroom = newsroom_with_channel("facebook", fake_platforms, config={"page_id": "999"})
    delivery = deliver(publish_story(newsroom), newsroom.channel)
    assert delivery.state == S.FAILED
    assert delivery.error.startswith("Facebook (100/33): Unsupported post request. Object with ID '999' does not exist")


def test_a_post_whose_answer_was_lost_is_found_in_the_feed_not_posted_twice(fake_platforms):
    newsroom = newsroom_with_channel("facebook", fake_platforms)
    deliver(publish_story(newsroom, title="Tin khác trên trang", cover=None), newsroom.channel)  # another post in the feed
    fake_platforms.inject(platform="facebook", method="POST", path="/feed", drop_after_handling=True)
    story = publish_story(newsroom)

    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.RETRYING  # no answer: look before sending again
    assert delivery.needs_lookup
    assert len(fake_platforms.live_posts("facebook")) == 2

    due_now(delivery)
    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.DELIVERED, delivery.error
    found = fake_platforms.live_posts("facebook")[delivery.remote_id]
    assert found["link"] == story.get_full_url()
    assert delivery.remote_url == found["permalink_url"]
    assert len(fake_platforms.live_posts("facebook")) == 2  # exactly one post of this story
    assert len(fake_platforms.requests_to("facebook", method="POST", path="/feed")) == 2  # the other story's, and this one's once
    assert fake_platforms.requests_to("facebook", method="GET", path="/feed")[0].query["fields"] == "id,link,message,permalink_url"

    # Later corrections edit the post that was found.
    story = correct_story(story, "Bản sửa.")
    delivery = deliver(story, newsroom.channel)
    assert fake_platforms.live_posts("facebook")[delivery.remote_id]["message"] == f"{story.title}\n\nBản sửa."
    assert len(fake_platforms.live_posts("facebook")) == 2


def test_a_post_lost_before_facebook_saw_it_is_sent_again_after_looking(fake_platforms):
    newsroom = newsroom_with_channel("facebook", fake_platforms)
    fake_platforms.inject(platform="facebook", method="POST", path="/feed", drop=True)
    story = publish_story(newsroom)
    assert deliver(story, newsroom.channel).state == S.RETRYING
    assert fake_platforms.live_posts("facebook") == {}

    due_now(delivery_of(story, newsroom.channel))
    delivery = deliver(story, newsroom.channel)  # looks, finds nothing, sends again
    assert delivery.state == S.DELIVERED, delivery.error
    assert [(r.method, r.status) for r in fake_platforms.requests_to("facebook")] == [("POST", -1), ("GET", 200), ("POST", 200)]
    assert len(fake_platforms.live_posts("facebook")) == 1


def test_auto_posts_photo_stories_as_photos_and_the_others_as_links(fake_platforms):
    newsroom = newsroom_with_channel("facebook", fake_platforms, config={"post_as": "auto"})
    photo_story = deliver(publish_story(newsroom, title="Phóng sự ảnh", format="photo"), newsroom.channel)
    news = deliver(publish_story(newsroom, title="Tin thường"), newsroom.channel)
    posts = fake_platforms.live_posts("facebook")
    assert posts[photo_story.remote_id]["kind"] == "photo"
    assert posts[news.remote_id]["kind"] == "link"
