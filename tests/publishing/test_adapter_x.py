"""X through the API v2 on the fake platform: posts fitted to X's weighted
length (every link 23, some letters 2), no edit (a correction keeps the
post, or replaces it when the channel allows), deletes, X's errors (429
with x-rate-limit-reset, 401, 403), and a lost answer found on the
account's timeline."""

import time
from datetime import timedelta

import pytest
import requests
from django.utils import timezone

from demo.fakes.x import TOKEN, USER
from publishing.adapters.x import MAX_WEIGHT, XAdapter, weighted_length
from publishing.models import Channel, DeliveryState
from tests.publishing.social import correct_story, deliver, due_now, newsroom_with_channel, publish_story, take_down

# A platform's API against its adapter, in this process: nothing here can
# differ on PostgreSQL + Redis (concurrency: test_worker_delivery.py).
pytestmark = [pytest.mark.django_db, pytest.mark.once]

S = DeliveryState


def test_x_counts_as_twitter_text_does():
    # Vietnamese letters below U+1100 weigh 1 (à, ô, ư, đ); those of Latin
    # Extended Additional (ộ, ờ, ắ… U+1EA0–U+1EF9) weigh 2.
    assert weighted_length("ộ") == 2 and weighted_length("ô") == 1 and weighted_length("đ") == 1
    assert weighted_length("Hà Nội") == 7
    assert weighted_length("Đường sắt") == 11
    assert weighted_length("https://taichinh.vn/kinh-te/duong-sat-bac-nam-duoc-phe-duyet-chu-truong/") == 23
    assert weighted_length("Xem http://a.vn và https://b.vn/x") == len("Xem ") + 23 + len(" và ") + 23
    assert weighted_length("日本語") == 6
    assert weighted_length("👍") == 2 and weighted_length("👨‍👩‍👧") == 2  # one emoji sequence, however many code points
    # The decomposed form is counted as X does, after NFC.
    assert weighted_length("o\u0323\u0302") == weighted_length("ộ") == 2


def test_a_post_fits_280_with_its_link_counted_as_23(fake_platforms):
    newsroom = newsroom_with_channel("x", fake_platforms)
    sapo = " ".join(["Quốc hội thông qua chủ trương đầu tư tuyến đường sắt tốc độ cao Bắc Nam."] * 6)
    story = publish_story(newsroom, title="Đường sắt tốc độ cao được phê duyệt chủ trương đầu tư với tổng vốn sáu mươi bảy tỷ đô", sapo=sapo)
    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.DELIVERED, delivery.error
    text = fake_platforms.live_posts("x")[delivery.remote_id]["text"]
    url = story.get_full_url()
    assert text.startswith(story.title + "\n\n")
    assert text.endswith("…\n\n" + url)
    assert MAX_WEIGHT - 12 <= weighted_length(text) <= MAX_WEIGHT  # cut close to the limit, never over
    # Counted with the real URL length, the post would look too long.
    assert weighted_length(text) - 23 + len(url) > weighted_length(text)
    assert delivery.remote_url == f"https://x.com/hoitu_news/status/{delivery.remote_id}"
    assert fake_platforms.requests_to("x")[0].headers.get("Authorization") == "Bearer fake-x-user-access-token"


def test_without_replace_on_update_a_correction_leaves_the_post_and_a_takedown_deletes_it(fake_platforms):
    newsroom = newsroom_with_channel("x", fake_platforms)
    assert XAdapter.can_edit is False
    story = publish_story(newsroom)
    first = deliver(story, newsroom.channel)
    text = fake_platforms.live_posts("x")[first.remote_id]["text"]

    delivery = deliver(correct_story(story, "Bản sửa."), newsroom.channel)
    assert delivery.state == S.DELIVERED
    assert delivery.remote_id == first.remote_id
    assert fake_platforms.live_posts("x") == {first.remote_id: fake_platforms.posts["x"][first.remote_id]}
    assert fake_platforms.live_posts("x")[first.remote_id]["text"] == text
    assert len(fake_platforms.requests_to("x")) == 1  # nothing sent for the correction

    take_down(story, newsroom)
    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.REMOVED
    assert fake_platforms.live_posts("x") == {}
    assert fake_platforms.requests_to("x", method="DELETE")[0].path == f"/2/tweets/{first.remote_id}"


def test_with_replace_on_update_a_correction_deletes_and_posts_again(fake_platforms):
    newsroom = newsroom_with_channel("x", fake_platforms, config={"replace_on_update": True})
    story = publish_story(newsroom)
    first = deliver(story, newsroom.channel)

    story = correct_story(story, "Tổng vốn là 67 tỷ USD.")
    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.DELIVERED, delivery.error
    assert delivery.remote_id != first.remote_id
    live = fake_platforms.live_posts("x")
    assert list(live) == [delivery.remote_id]  # one post of the story, the new one
    assert live[delivery.remote_id]["text"] == f"{story.title}\n\nTổng vốn là 67 tỷ USD.\n\n{story.get_full_url()}"
    assert [(r.method, r.path) for r in fake_platforms.requests_to("x")] == [
        ("POST", "/2/tweets"),
        ("DELETE", f"/2/tweets/{first.remote_id}"),
        ("POST", "/2/tweets"),
    ]


def test_429_waits_until_x_rate_limit_reset(fake_platforms):
    newsroom = newsroom_with_channel("x", fake_platforms)
    reset = int(time.time()) + 300
    fake_platforms.inject(
        platform="x",
        status=429,
        body={"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429},
        headers={"x-rate-limit-limit": "200", "x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)},
    )
    delivery = deliver(publish_story(newsroom), newsroom.channel)
    assert delivery.state == S.RETRYING
    assert delivery.error == "X: Too Many Requests"
    expected = timezone.now() + timedelta(seconds=reset - time.time())
    assert abs((delivery.next_attempt_at - expected).total_seconds()) <= 3
    assert Channel.objects.get(pk=newsroom.channel.pk).is_rate_limited()  # every post of the account waits


def test_401_is_an_authentication_failure_and_403_duplicate_fails_the_post(fake_platforms):
    # A token that X refuses, and nothing to renew it with.
    newsroom = newsroom_with_channel("x", fake_platforms, credentials={"access_token": "revoked", "refresh_token": ""})
    delivery = deliver(publish_story(newsroom), newsroom.channel)
    assert delivery.state == S.RETRYING
    assert delivery.http_status == 401
    assert Channel.objects.get(pk=newsroom.channel.pk).auth_failures == 1

    fake_platforms.inject(
        platform="x",
        status=403,
        body={"detail": "You are not allowed to create a Tweet with duplicate content.", "type": "about:blank", "title": "Forbidden", "status": 403},
    )
    newsroom.channel.credentials = {"access_token": "fake-x-user-access-token"}
    newsroom.channel.save()
    delivery = deliver(publish_story(newsroom, title="Tin thứ hai"), newsroom.channel)
    assert delivery.state == S.FAILED
    assert delivery.error == "X: You are not allowed to create a Tweet with duplicate content."


def test_an_expired_access_token_is_renewed_once_for_every_worker(fake_platforms):
    newsroom = newsroom_with_channel("x", fake_platforms)
    first = deliver(publish_story(newsroom, title="Tin đầu giờ"), newsroom.channel)
    assert first.state == S.DELIVERED
    # Two hours later X no longer takes the token.
    fake_platforms.state["x"]["access"] = "issued-to-someone-else"
    stale = Channel.objects.get(pk=newsroom.channel.pk).get_adapter()  # another worker, holding the old token

    second = deliver(publish_story(newsroom, title="Tin giữa trưa"), newsroom.channel)

    assert second.state == S.DELIVERED, second.error
    renewals = fake_platforms.requests_to("x", path="/2/oauth2/token")
    assert len(renewals) == 1 and renewals[0].form["refresh_token"] == "fake-x-refresh-token"
    channel = Channel.objects.get(pk=newsroom.channel.pk)
    # The new tokens are stored (encrypted), the rotated refresh token with them.
    assert channel.credentials["access_token"] == fake_platforms.state["x"]["access"] != "fake-x-user-access-token"
    assert channel.credentials["refresh_token"] == fake_platforms.state["x"]["refresh"] != "fake-x-refresh-token"
    assert "fake-x-refresh-token" not in channel.credentials_encrypted
    assert channel.auth_failures == 0
    # The other worker meets the refusal too: it takes the renewed token
    # instead of spending the refresh token again.
    assert stale.lookup(stale.render(publish_story(newsroom, title="Tin chiều"))) is None
    assert len(fake_platforms.requests_to("x", path="/2/oauth2/token")) == 1


def test_a_refused_refresh_token_is_an_authentication_failure_with_the_reason(fake_platforms):
    newsroom = newsroom_with_channel("x", fake_platforms, credentials={"access_token": "expired", "refresh_token": "revoked-refresh"})
    delivery = deliver(publish_story(newsroom), newsroom.channel)
    assert delivery.state == S.RETRYING
    assert "Value passed for the token was invalid" in delivery.error and "revoked-refresh" not in delivery.error
    assert Channel.objects.get(pk=newsroom.channel.pk).auth_failures == 1
    assert fake_platforms.live_posts("x") == {}


def test_a_post_whose_answer_was_lost_is_found_on_the_timeline(fake_platforms):
    newsroom = newsroom_with_channel("x", fake_platforms)
    fake_platforms.inject(platform="x", method="POST", path="/2/tweets", drop_after_handling=True)
    story = publish_story(newsroom)
    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.RETRYING and delivery.needs_lookup

    due_now(delivery)
    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.DELIVERED, delivery.error
    assert list(fake_platforms.live_posts("x")) == [delivery.remote_id]
    assert len(fake_platforms.requests_to("x", method="POST")) == 1
    assert [r.path for r in fake_platforms.requests_to("x", method="GET")] == ["/2/users/me", "/2/users/1460000000000000001/tweets"]


def test_the_fake_timeline_refuses_what_x_refuses(fake_platforms):
    """The look on the timeline asks only what X takes: a change to it that X
    would refuse fails against the fake too."""
    url = f"{fake_platforms.base_url('x')}/2/users/{USER['id']}/tweets"
    headers = {"Authorization": f"Bearer {TOKEN}"}
    for query in ({"max_results": 200}, {"max_results": 2}, {"tweet.fields": "entities,urls"}, {"count": 20}, {"include_entities": "true"}):
        answer = requests.get(url, params=query, headers=headers)
        assert answer.status_code == 400 and answer.json()["title"] == "Invalid Request", query
    assert requests.get(url, params={"max_results": 20, "tweet.fields": "entities"}, headers=headers).status_code == 200
    assert requests.get(f"{fake_platforms.base_url('x')}/2/users/me", params={"max_results": 5}, headers=headers).status_code == 400
