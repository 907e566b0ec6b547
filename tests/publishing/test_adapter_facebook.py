"""Facebook Page through the Graph API on the fake platform: link and photo
posts, edits and deletes; Graph's error bodies (a bad token is code 190
with HTTP 400; rate limits 4/17/32/613); a create whose answer was lost is
found among the page's posts (with the fields Graph serves) instead of
being posted twice."""

import json
from datetime import timedelta

import pytest
import requests
from django.utils import timezone

from demo.fakes.facebook import TOKEN, visitor_share
from publishing.models import Channel, DeliveryState
from tests.publishing.social import correct_story, deliver, delivery_of, due_now, newsroom_with_channel, publish_story, take_down

# A platform's API against its adapter, in this process: nothing here can
# differ on PostgreSQL + Redis (concurrency: test_worker_delivery.py).
pytestmark = [pytest.mark.django_db, pytest.mark.once]

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


def test_a_post_whose_answer_was_lost_is_found_among_the_pages_posts_not_posted_twice(fake_platforms):
    newsroom = newsroom_with_channel("facebook", fake_platforms)
    deliver(publish_story(newsroom, title="Tin khác trên trang", cover=None), newsroom.channel)  # another post on the page
    fake_platforms.inject(platform="facebook", method="POST", path="/feed", drop_after_handling=True)
    story = publish_story(newsroom)

    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.RETRYING  # no answer: look before sending again
    assert delivery.needs_lookup
    [ours] = [key for key, post in fake_platforms.live_posts("facebook").items() if post["link"] == story.get_full_url()]
    # Since then a reader shared the story on the page, and the page posted
    # sixty more: the look reads past its first page, and takes only the page's own.
    shared = visitor_share(fake_platforms, story.get_full_url(), "Bài hay, mời mọi người đọc")
    for n in range(60):
        answer = requests.post(
            f"{fake_platforms.base_url('facebook')}/v21.0/{PAGE}/feed",
            data={"message": f"Tin {n}", "link": f"https://doitac.example.vn/tin-{n}"},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert answer.status_code == 200

    due_now(delivery)
    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.DELIVERED, delivery.error
    assert delivery.remote_id == ours != shared
    found = fake_platforms.live_posts("facebook")[ours]
    assert delivery.remote_url == found["permalink_url"]
    story_posts = [post for post in fake_platforms.live_posts("facebook").values() if post["link"] == story.get_full_url()]
    assert len(story_posts) == 2 and [post.get("by_visitor") for post in story_posts] == [None, True]  # ours once, and the reader's
    reads = fake_platforms.requests_to("facebook", method="GET")
    assert [(r.path, r.status) for r in reads] == [(f"/v21.0/{PAGE}/published_posts", 200)] * 2
    assert reads[0].query == {"fields": "id,message,permalink_url,attachments{unshimmed_url}", "limit": "50"}
    assert "after" in reads[1].query and "access_token" not in reads[1].query

    # Later corrections edit the post that was found.
    story = correct_story(story, "Bản sửa.")
    delivery = deliver(story, newsroom.channel)
    assert fake_platforms.live_posts("facebook")[ours]["message"] == f"{story.title}\n\nBản sửa."
    assert len(fake_platforms.requests_to("facebook", method="POST", path=f"{PAGE}/feed")) == 62  # this story's once


def test_the_fake_page_refuses_the_fields_graph_refuses(fake_platforms):
    """A lookup asking for ``link`` again (refused by Graph since v3.3) fails
    against the fake as it would against Facebook."""
    headers = {"Authorization": f"Bearer {TOKEN}"}
    for edge in ("feed", "published_posts"):
        url = f"{fake_platforms.base_url('facebook')}/v21.0/{PAGE}/{edge}"
        answer = requests.get(url, params={"fields": "id,link,message,permalink_url", "limit": 50}, headers=headers)
        assert answer.status_code == 400
        assert answer.json()["error"]["code"] == 12
        assert answer.json()["error"]["message"] == "(#12) link field is deprecated for versions v3.3 and higher"
        for fields, code in (("id,type", 12), ("id,object_id", 12), ("id,nonsense", 100), ("id,attachments{nonsense}", 100)):
            assert requests.get(url, params={"fields": fields}, headers=headers).json()["error"]["code"] == code, fields
        assert requests.get(url, params={"fields": "id,attachments{unshimmed_url,target{url}}"}, headers=headers).status_code == 200


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
