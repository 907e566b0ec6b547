"""A partner's WordPress site through the REST API (the fake speaks wp/v2
with Application Password auth): create with the featured image, update in
place, delete on takedown, auth failures disabling the channel, and a
create whose answer was lost found again by its slug."""

import base64

import pytest
import requests
from lxml import html as lxml_html

from demo.fakes.wordpress import APPLICATION_PASSWORD, USERNAME
from publishing import services
from publishing.models import Delivery, DeliveryState
from tests.helpers import image_block, make_article, make_image, make_section, make_unit, paragraph
from tests.publishing.conftest import make_channel
from workflows.services import take_down

# Nothing here can differ on PostgreSQL + Redis (a platform's API): CI runs it once,
# on the embedded defaults (README, Tests).
pytestmark = pytest.mark.once


@pytest.fixture
def finance(db):
    unit, home = make_unit("taichinh", "Thời báo Tài chính", default=True)
    return unit, make_section(home, "Kinh tế")


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("tbt", "tbt@example.vn", "pw-test-123")


def process(story, channel):
    delivery = Delivery.objects.get(story=story, channel=channel)
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
    services.process(delivery.pk)
    delivery.refresh_from_db()
    return delivery


def test_create_update_delete_follow_the_story(fake_platforms, finance, superuser):
    unit, section = finance
    channel = make_channel(unit, "wordpress", fake_platforms, config={"category_id": "7"})
    cover = make_image("Đoàn tàu", size=(640, 360), caption="Đoàn tàu Thống Nhất", rendered=True)
    story = make_article(
        section,
        title="Đường sắt Bắc–Nam",
        sapo="Quốc hội thông qua chủ trương đầu tư.",
        body=[paragraph("Tuyến dài 1.541 km."), image_block(make_image("Công trường", size=(320, 180), rendered=True), caption="Ga Ngọc Hồi")],
        cover_image=cover,
    )
    delivery = process(story, channel)
    assert delivery.state == DeliveryState.DELIVERED
    posts = fake_platforms.live_posts("wordpress")
    assert list(posts) == [delivery.remote_id]
    post = posts[delivery.remote_id]
    assert post["title"] == "Đường sắt Bắc–Nam" and post["status"] == "publish"
    assert post["excerpt"] == "Quốc hội thông qua chủ trương đầu tư."
    assert post["slug"] == f"{story.slug}-taichinh-{story.pk}"
    assert post["categories"] == [7]
    assert delivery.remote_url == f"https://doitac.example.vn/{post['slug']}/"
    content = lxml_html.fragment_fromstring(post["content"], create_parent="div")
    assert content.xpath("//p")[0].text == "Tuyến dài 1.541 km."
    assert content.xpath("//figure/img")[0].get("src").startswith("http://localhost/")
    assert content.xpath("//a[@rel='canonical']")[0].get("href") == story.get_full_url()
    # The cover went to the media library first and is the featured image.
    media = fake_platforms.state["wordpress"]["media"]
    assert len(media) == 1 and post["featured_media"] == int(next(iter(media)))
    assert next(iter(media.values()))["type"] == "image/jpeg" and next(iter(media.values()))["caption"] == "Đoàn tàu Thống Nhất"
    auth = fake_platforms.requests_to("wordpress", "POST", r"/posts$")[0].headers["Authorization"]
    assert base64.b64decode(auth.split()[1]).decode() == f"{USERNAME}:{APPLICATION_PASSWORD}"

    # An update edits the same post, without uploading the unchanged cover again.
    draft = story.get_latest_revision_as_object()
    draft.title = "Đường sắt Bắc–Nam: Quốc hội bấm nút"
    draft.save_revision().publish()
    delivery = process(story, channel)
    assert delivery.state == DeliveryState.DELIVERED
    post = fake_platforms.live_posts("wordpress")[delivery.remote_id]
    assert post["title"] == "Đường sắt Bắc–Nam: Quốc hội bấm nút" and post["edits"] == 1
    assert len(fake_platforms.requests_to("wordpress", "POST", r"/media$")) == 1
    assert len(fake_platforms.live_posts("wordpress")) == 1

    # The takedown deletes it for good (force=true, past the trash).
    remote_id = delivery.remote_id
    take_down(story, superuser, "Sai sự thật")
    delivery = process(story, channel)
    assert delivery.state == DeliveryState.REMOVED
    assert fake_platforms.live_posts("wordpress") == {}
    deletion = fake_platforms.requests_to("wordpress", "DELETE")[0]
    assert deletion.path == f"/wp-json/wp/v2/posts/{remote_id}" and deletion.query == {"force": "true"}


def test_post_deleted_by_hand_on_the_partner_site_is_posted_again(fake_platforms, finance):
    unit, section = finance
    channel = make_channel(unit, "wordpress", fake_platforms)
    story = make_article(section, title="Tin gốc")
    delivery = process(story, channel)
    fake_platforms.posts["wordpress"][delivery.remote_id]["deleted"] = True
    draft = story.get_latest_revision_as_object()
    draft.title = "Tin gốc (cập nhật)"
    draft.save_revision().publish()
    delivery = process(story, channel)
    assert delivery.state == DeliveryState.DELIVERED
    live = fake_platforms.live_posts("wordpress")
    assert list(live) == [delivery.remote_id] and live[delivery.remote_id]["title"] == "Tin gốc (cập nhật)"


def test_wrong_application_password_fails_and_disables_the_channel(fake_platforms, finance):
    unit, section = finance
    channel = make_channel(unit, "wordpress", fake_platforms, credentials={"application_password": "sai mật khẩu"})
    story = make_article(section, title="Tin không lên được")
    for _attempt in range(2):
        delivery = process(story, channel)
        assert delivery.state == DeliveryState.RETRYING and delivery.http_status == 401
        assert "incorrect_password" in delivery.error
    channel.refresh_from_db()
    assert channel.enabled and channel.auth_failures == 2
    delivery = process(story, channel)
    channel.refresh_from_db()
    assert not channel.enabled and channel.disabled_reason
    assert delivery.state == DeliveryState.PENDING  # waits for the channel to be fixed
    assert fake_platforms.live_posts("wordpress") == {}
    # Credentials never appear in what people see.
    assert "sai mật khẩu" not in delivery.error and "sai mật khẩu" not in channel.disabled_reason


def test_lost_answer_to_a_create_is_found_by_slug_not_posted_twice(fake_platforms, finance):
    unit, section = finance
    channel = make_channel(unit, "wordpress", fake_platforms)
    # WordPress creates the post, then the connection drops before we hear.
    fake_platforms.inject(platform="wordpress", method="POST", path=r"/posts$", drop_after_handling=True)
    story = make_article(section, title="Tin mạng chập chờn")
    delivery = process(story, channel)
    assert delivery.state == DeliveryState.RETRYING and not delivery.remote_id
    assert len(fake_platforms.live_posts("wordpress")) == 1

    delivery = process(story, channel)
    assert delivery.state == DeliveryState.DELIVERED
    live = fake_platforms.live_posts("wordpress")
    assert list(live) == [delivery.remote_id]  # found and kept: one post, not two
    assert len(fake_platforms.requests_to("wordpress", "POST", r"/posts$")) == 1
    lookup = fake_platforms.requests_to("wordpress", "GET", r"/posts$")[0]
    assert lookup.query["slug"] == f"{story.slug}-taichinh-{story.pk}" and lookup.query["status"] == "any"


def test_server_errors_are_retried_and_4xx_fail_with_wordpress_message(fake_platforms, finance):
    unit, section = finance
    channel = make_channel(unit, "wordpress", fake_platforms)
    fake_platforms.inject(platform="wordpress", method="POST", path=r"/posts$", status=503)
    story = make_article(section, title="Tin thử lỗi")
    delivery = process(story, channel)
    assert delivery.state == DeliveryState.RETRYING and delivery.http_status == 503
    assert fake_platforms.live_posts("wordpress") == {}
    delivery = process(story, channel)
    assert delivery.state == DeliveryState.DELIVERED

    other = make_article(section, title="Tin bị từ chối")
    fake_platforms.inject(
        platform="wordpress", method="POST", path=r"/posts$", status=400,
        body={"code": "rest_invalid_param", "message": "Invalid parameter(s): status", "data": {"status": 400}},
    )  # fmt: skip
    delivery = process(other, channel)
    assert delivery.state == DeliveryState.FAILED and delivery.http_status == 400
    assert "Invalid parameter(s): status" in delivery.error and "rest_invalid_param" in delivery.error


def test_unknown_post_status_is_refused_before_sending(fake_platforms, finance):
    unit, section = finance
    channel = make_channel(unit, "wordpress", fake_platforms, config={"status": "xuat-ban"})
    story = make_article(section, title="Tin cấu hình sai")
    delivery = process(story, channel)
    assert delivery.state == DeliveryState.FAILED and delivery.error
    assert fake_platforms.requests_to("wordpress") == []


def test_the_fake_site_refuses_what_wordpress_refuses_when_listing_posts(fake_platforms):
    """The look by slug asks only what WordPress takes, signed in."""
    url = f"{fake_platforms.base_url('wordpress')}/wp-json/wp/v2/posts"
    signed_in = {"Authorization": "Basic " + base64.b64encode(f"{USERNAME}:{APPLICATION_PASSWORD}".encode()).decode()}
    for query, headers, code in (
        ({"slug": "tin", "status": "all"}, signed_in, "rest_invalid_param"),
        ({"slug": "tin", "context": "admin"}, signed_in, "rest_invalid_param"),
        ({"slug": "tin", "status": "any"}, {}, "rest_forbidden_status"),
        ({"slug": "tin", "context": "edit"}, {}, "rest_forbidden_context"),
    ):
        answer = requests.get(url, params=query, headers=headers)
        assert answer.status_code in (400, 401) and answer.json()["code"] == code, query
    answer = requests.get(url, params={"slug": "tin", "status": "any", "context": "edit", "unknown": "1"}, headers=signed_in)
    assert answer.status_code == 200 and answer.json() == []
