"""Zalo Official Account articles on the fake platform: create + verify,
update, remove; the article's body; title/description limits and the
required cover (refused before any request); Zalo's errors in a 200 body;
the optional broadcast to followers; an article whose verify or create went
unanswered is found (by its token, or by the OA's list and the article's
detail), never created twice."""

from datetime import timedelta

import pytest
import requests
from django.utils import translation

from publishing.models import Channel, DeliveryState
from tests.helpers import image_block, make_image, paragraph
from tests.publishing.social import correct_story, deliver, delivery_of, due_now, in_vietnamese, newsroom_with_channel, publish_story, take_down

# A platform's API against its adapter, in this process: nothing here can
# differ on PostgreSQL + Redis (concurrency: test_worker_delivery.py).
pytestmark = [pytest.mark.django_db, pytest.mark.once]

S = DeliveryState


def zalo_calls(fake):
    return [request.path for request in fake.requests_to("zalo")]


def test_an_article_is_created_verified_updated_and_removed(fake_platforms):
    newsroom = newsroom_with_channel("zalo", fake_platforms)
    photo = make_image("Công trường", color=(30, 90, 160), size=(640, 360), caption="Công trường ga Ngọc Hồi")
    story = publish_story(
        newsroom,
        body=[
            paragraph("Tuyến đường sắt đi qua <b>20 tỉnh</b>, thành phố."),
            ("heading", {"text": "Tiến độ", "level": "h2"}),
            image_block(photo),
            ("chart", {"title": "Vốn", "chart_type": "bar", "data": "Năm,Vốn\n2027,10", "source": ""}),
        ],
    )

    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.DELIVERED, delivery.error
    assert zalo_calls(fake_platforms) == ["/v2.0/article/create", "/v2.0/article/verify"]
    create = fake_platforms.requests_to("zalo", path="create")[0]
    assert create.headers.get("access_token") == "fake-zalo-oa-access-token"
    articles = fake_platforms.live_posts("zalo")
    assert list(articles) == [delivery.remote_id]
    article = articles[delivery.remote_id]
    assert article["title"] == story.title
    assert article["description"] == story.sapo
    assert article["author"] == "Hội Tụ"
    assert article["status"] == "show"
    assert article["cover"].startswith("http://localhost/media/images/")
    read_more = in_vietnamese("Read the full story on our site")
    assert article["body"] == [
        {"type": "text", "content": "<p>Tuyến đường sắt đi qua <b>20 tỉnh</b>, thành phố.</p>"},
        {"type": "text", "content": "<p><strong>Tiến độ</strong></p>"},
        {"type": "image", "url": article["body"][2]["url"], "caption": "Công trường ga Ngọc Hồi"},
        {"type": "text", "content": f'<p><a href="{story.get_full_url()}">{read_more}</a></p>'},
    ]  # the chart is left out: Zalo cannot show it
    assert article["body"][2]["url"].startswith("http://localhost/media/images/")

    story = correct_story(story, "Tổng vốn đầu tư là 67 tỷ USD.")
    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.DELIVERED, delivery.error
    article = fake_platforms.live_posts("zalo")[delivery.remote_id]
    assert article["description"] == "Tổng vốn đầu tư là 67 tỷ USD."
    assert article["updates"] == 1
    assert zalo_calls(fake_platforms)[2:] == ["/v2.0/article/update", "/v2.0/article/verify"]
    assert fake_platforms.requests_to("zalo", path="update")[0].json["id"] == delivery.remote_id

    take_down(story, newsroom)
    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.REMOVED
    assert fake_platforms.live_posts("zalo") == {}
    assert len(fake_platforms.posts["zalo"]) == 1


def test_title_and_description_are_fitted_to_zalos_limits(fake_platforms):
    newsroom = newsroom_with_channel("zalo", fake_platforms)
    title = " ".join(["Quốc hội thông qua chủ trương đầu tư đường sắt"] * 5)  # ~240 characters
    sapo = " ".join(["Tuyến đường sắt tốc độ cao dài 1.541 km đi qua 20 tỉnh, thành phố."] * 8)  # ~530 characters
    delivery = deliver(publish_story(newsroom, title=title[:255], sapo=sapo), newsroom.channel)
    assert delivery.state == S.DELIVERED, delivery.error
    article = fake_platforms.live_posts("zalo")[delivery.remote_id]
    assert 130 < len(article["title"]) <= 150 and article["title"].endswith("…")
    assert 280 < len(article["description"]) <= 300 and article["description"].endswith("…")
    assert title.startswith(article["title"][:-1])


def test_a_story_without_a_cover_is_refused_with_the_reason_and_nothing_is_sent(fake_platforms):
    newsroom = newsroom_with_channel("zalo", fake_platforms, language="en")
    delivery = deliver(publish_story(newsroom, cover=None), newsroom.channel)
    assert delivery.state == S.FAILED
    with translation.override("en"):
        assert delivery.error == (
            "Zalo articles need a cover picture: give the story a cover image (or a social image, "
            "or a picture for this channel in the Channels tab)."
        )
    assert fake_platforms.requests_to("zalo") == []


def test_an_expired_token_in_a_200_answer_is_an_authentication_failure(fake_platforms):
    newsroom = newsroom_with_channel("zalo", fake_platforms, credentials={"access_token": "expired-token", "refresh_token": ""})
    delivery = deliver(publish_story(newsroom), newsroom.channel)
    assert delivery.state == S.RETRYING
    assert delivery.error == "Zalo -220: Access token has expired or is no longer available"
    assert fake_platforms.requests_to("zalo")[0].status == 200  # Zalo says it in the body
    assert Channel.objects.get(pk=newsroom.channel.pk).auth_failures == 1


def test_an_expired_oa_token_is_renewed_with_the_refresh_token(fake_platforms):
    newsroom = newsroom_with_channel("zalo", fake_platforms)
    fake_platforms.state["zalo-oauth"]["access"] = "renewed-elsewhere"  # ours expired

    delivery = deliver(publish_story(newsroom), newsroom.channel)

    assert delivery.state == S.DELIVERED, delivery.error
    [renewal] = fake_platforms.requests_to("zalo", path="/v4/oa/access_token")
    assert renewal.form == {"refresh_token": "fake-zalo-refresh-token", "app_id": "1234567890123456789", "grant_type": "refresh_token"}
    assert renewal.headers.get("secret_key") == "fake-zalo-app-secret"
    credentials = Channel.objects.get(pk=newsroom.channel.pk).credentials
    assert credentials["access_token"] == fake_platforms.state["zalo-oauth"]["access"]
    assert credentials["refresh_token"] == fake_platforms.state["zalo-oauth"]["refresh"] != "fake-zalo-refresh-token"
    # The article went out with the new token, once.
    creates = fake_platforms.requests_to("zalo", path="article/create")
    assert [r.headers.get("access_token") for r in creates][-1] == credentials["access_token"]
    assert len(fake_platforms.live_posts("zalo")) == 1

    # A refresh token Zalo no longer knows: the reason, for a person to act.
    fake_platforms.state["zalo-oauth"].update(access="expired-again", refresh="a-newer-one")
    refused = deliver(publish_story(newsroom, title="Tin thứ hai"), newsroom.channel)
    assert refused.state == S.RETRYING and "Refresh token is invalid or expired" in refused.error
    assert Channel.objects.get(pk=newsroom.channel.pk).auth_failures == 1


def test_zalo_rate_limit_is_retried_and_a_bad_request_fails_at_once(fake_platforms):
    newsroom = newsroom_with_channel("zalo", fake_platforms)
    fake_platforms.inject(platform="zalo", path="create", status=200, body={"error": -32, "message": "Exceeded the limit of requests per minute"})
    story = publish_story(newsroom)
    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.RETRYING
    assert "-32" in delivery.error
    channel = Channel.objects.get(pk=newsroom.channel.pk)
    assert channel.auth_failures == 0
    # Zalo's limit holds for the whole OA: every delivery of the channel waits.
    assert channel.rate_limited_until is not None and channel.rate_limited_until >= delivery.next_attempt_at - timedelta(seconds=1)
    waiting = deliver(publish_story(newsroom, title="Bài chờ"), newsroom.channel)
    assert waiting.state == S.PENDING and waiting.attempts == 0
    assert len(fake_platforms.requests_to("zalo", path="create")) == 1
    Channel.objects.filter(pk=channel.pk).update(rate_limited_until=None)  # the minute has passed

    fake_platforms.inject(platform="zalo", path="create", status=200, body={"error": -201, "message": "Parameters are invalid"})
    other = publish_story(newsroom, title="Bài thứ hai")
    delivery = deliver(other, newsroom.channel)
    assert delivery.state == S.FAILED
    assert delivery.error == "Zalo -201: Parameters are invalid"
    assert fake_platforms.live_posts("zalo") == {}


def test_a_new_article_is_broadcast_when_the_channel_says_so(fake_platforms):
    newsroom = newsroom_with_channel("zalo", fake_platforms, config={"broadcast": True})
    story = publish_story(newsroom)
    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.DELIVERED, delivery.error
    broadcast = fake_platforms.requests_to("zalo", path="/oa/message")
    assert len(broadcast) == 1
    element = broadcast[0].json["message"]["attachment"]["payload"]["elements"][0]
    assert element == {"media_type": "article", "attachment_id": delivery.remote_id}
    assert fake_platforms.posts["zalo"][delivery.remote_id]["broadcasts"] == 1
    assert delivery.remote_data["broadcast_message_id"]

    # A correction updates the article; followers are not messaged again.
    deliver(correct_story(story, "Bản sửa."), newsroom.channel)
    assert len(fake_platforms.requests_to("zalo", path="/oa/message")) == 1


def test_no_broadcast_by_default_and_a_failed_broadcast_keeps_the_article(fake_platforms):
    quiet = newsroom_with_channel("zalo", fake_platforms)
    deliver(publish_story(quiet), quiet.channel)
    assert fake_platforms.requests_to("zalo", path="/oa/message") == []

    quiet.channel.config = {**quiet.channel.config, "broadcast": True}
    quiet.channel.save()
    fake_platforms.inject(platform="zalo", path="/oa/message", status=200, body={"error": -223, "message": "OA has exceeded the broadcast quota"})
    delivery = deliver(publish_story(quiet, title="Tin thứ hai"), quiet.channel)
    # The article exists: sending it again would post it twice.
    assert delivery.state == S.DELIVERED
    assert "-223" in delivery.remote_data["broadcast_error"]
    assert len(fake_platforms.live_posts("zalo")) == 2


def test_verify_is_asked_again_while_zalo_still_processes_the_article(fake_platforms):
    newsroom = newsroom_with_channel("zalo", fake_platforms)
    fake_platforms.inject(platform="zalo", path="verify", status=200, body={"error": -214, "message": "Article is being processed"})
    delivery = deliver(publish_story(newsroom), newsroom.channel)
    assert delivery.state == S.DELIVERED, delivery.error
    assert zalo_calls(fake_platforms) == ["/v2.0/article/create", "/v2.0/article/verify", "/v2.0/article/verify"]
    assert list(fake_platforms.live_posts("zalo")) == [delivery.remote_id]


# --- an article whose outcome was not heard ---------------------------------------------------


def verify_tokens(fake):
    return [request.json["token"] for request in fake.requests_to("zalo", path="article/verify")]


@pytest.mark.parametrize(
    "first_fault",
    [
        {"status": 502, "times": 3},
        {"status": 200, "body": {"error": -32, "message": "Exceeded the limit of requests per minute"}},
        {"drop": True},
    ],
    ids=["5xx", "rate-limited", "dropped"],
)
def test_an_article_whose_verify_failed_is_verified_again_never_created_twice(first_fault, fake_platforms):
    newsroom = newsroom_with_channel("zalo", fake_platforms)
    story = publish_story(newsroom)
    fake_platforms.inject(platform="zalo", path="article/verify", **first_fault)

    delivery = deliver(story, newsroom.channel)
    # Zalo holds the article; only its id is missing.
    assert delivery.state == S.RETRYING and delivery.needs_lookup, delivery.error
    [token] = fake_platforms.state["zalo"]
    assert delivery.pending_create["token"] == token
    [article_id] = fake_platforms.live_posts("zalo")

    # The next attempt asks verify again, which fails three times again.
    fake_platforms.inject(platform="zalo", path="article/verify", status=503, times=3)
    due_now(delivery)
    Channel.objects.filter(pk=newsroom.channel.pk).update(rate_limited_until=None)
    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.RETRYING and delivery.needs_lookup, delivery.error

    due_now(delivery)
    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.DELIVERED, delivery.error
    assert delivery.remote_id == article_id and not delivery.pending_create
    assert list(fake_platforms.live_posts("zalo")) == [article_id]
    assert len(fake_platforms.requests_to("zalo", path="article/create")) == 1
    assert set(verify_tokens(fake_platforms)[:-1]) == {token}  # the last one is the update's
    assert fake_platforms.requests_to("zalo", path="getslice") == []  # the token was enough

    # Corrections and the takedown reach it.
    story = correct_story(story, "Tổng vốn đầu tư là 67 tỷ USD.")
    assert deliver(story, newsroom.channel).state == S.DELIVERED
    assert fake_platforms.live_posts("zalo")[article_id]["description"] == "Tổng vốn đầu tư là 67 tỷ USD."
    take_down(story, newsroom)
    assert deliver(story, newsroom.channel).state == S.REMOVED
    assert fake_platforms.live_posts("zalo") == {}


def zalo_article(title, link):
    return {
        "type": "normal", "title": title, "author": "Ban biên tập", "description": "Bài do quản trị viên OA tự đăng.",
        "cover": {"cover_type": "photo", "photo_url": "https://doitac.example.vn/anh.jpg", "status": "show"},
        "body": [{"type": "text", "content": f'<p><a href="{link}">Xem thêm</a></p>'}], "status": "show",
    }  # fmt: skip


def test_an_article_whose_create_answer_was_lost_is_found_by_its_title_and_link(fake_platforms):
    newsroom = newsroom_with_channel("zalo", fake_platforms)
    deliver(publish_story(newsroom, title="Tin khác trên OA"), newsroom.channel)
    story = publish_story(newsroom)
    sent_title, address = story.title, story.get_full_url()
    fake_platforms.inject(platform="zalo", path="article/create", drop_after_handling=True)

    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.RETRYING and delivery.needs_lookup, delivery.error
    assert delivery.pending_create == {"title": sent_title, "url": address, "token": ""}  # the answer never came
    [ours] = [key for key, article in fake_platforms.live_posts("zalo").items() if article["title"] == sent_title]
    # Meanwhile the OA's manager posted an article with the same title
    # linking elsewhere, and an editor corrected the headline.
    headers = {"access_token": fake_platforms.state["zalo-oauth"]["access"]}
    create = f"{fake_platforms.base_url('zalo')}/v2.0/article/create"
    answer = requests.post(create, json=zalo_article(sent_title, "https://doitac.example.vn/"), headers=headers)
    assert answer.json()["error"] == 0
    story.title = "Đường sắt Bắc–Nam được Quốc hội phê duyệt"
    story.save_revision().publish()

    due_now(delivery_of(story, newsroom.channel))
    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.DELIVERED, delivery.error
    assert delivery.remote_id == ours
    assert fake_platforms.live_posts("zalo")[ours]["title"] == "Đường sắt Bắc–Nam được Quốc hội phê duyệt"  # updated once found
    assert len(fake_platforms.requests_to("zalo", path="article/create")) == 3  # the other story's, ours once, the manager's
    [listing] = fake_platforms.requests_to("zalo", path="getslice")
    assert listing.method == "GET" and listing.query == {"offset": "0", "limit": "10", "type": "normal"}
    # Both articles with the title were read; the one linking to the story is ours.
    details = [request.query["id"] for request in fake_platforms.requests_to("zalo", path="getdetail")]
    assert ours in details and len(details) == 2
    assert address in fake_platforms.live_posts("zalo")[ours]["body"][-1]["content"]


def test_an_article_never_made_is_created_after_the_search_finds_nothing(fake_platforms):
    newsroom = newsroom_with_channel("zalo", fake_platforms)
    fake_platforms.inject(platform="zalo", path="article/create", drop=True)  # lost before Zalo saw it
    story = publish_story(newsroom)
    assert deliver(story, newsroom.channel).state == S.RETRYING

    due_now(delivery_of(story, newsroom.channel))
    delivery = deliver(story, newsroom.channel)
    assert delivery.state == S.DELIVERED, delivery.error
    assert [(r.method, r.path.rsplit("/", 1)[-1]) for r in fake_platforms.requests_to("zalo")] == [
        ("POST", "create"), ("GET", "getslice"), ("POST", "create"), ("POST", "verify"),
    ]  # fmt: skip
    assert list(fake_platforms.live_posts("zalo")) == [delivery.remote_id]


def test_the_fake_oa_refuses_what_zalo_refuses_on_its_article_list(fake_platforms):
    base, headers = fake_platforms.base_url("zalo"), {"access_token": "fake-zalo-oa-access-token"}
    for query, message in (
        ({"offset": 0, "limit": 11, "type": "normal"}, "maximum limit is 10"),
        ({"offset": 0, "limit": 10}, "type accept only 2 value normal and video."),
    ):
        answer = requests.get(f"{base}/v2.0/article/getslice", params=query, headers=headers)
        assert answer.status_code == 200 and answer.json() == {"error": -201, "message": message}
    assert requests.get(f"{base}/v2.0/article/getdetail", params={"id": "a999"}, headers=headers).json()["error"] == -201
    assert requests.get(f"{base}/v2.0/article/getslice", params={"limit": 5, "type": "normal"}).json()["error"] == -216
