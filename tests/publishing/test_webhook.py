"""The signed ninjs webhook against a real receiver (the fake verifies
signatures as a partner would): publish → correction → takedown arrive
with growing versions, a tampered or stale request is refused, an
interrupted send is sent again safely."""

import json
import time

import pytest
import requests

from demo.fakes.webhook import SECRET
from publishing import services
from publishing.adapters.webhook import sign, verify_signature
from publishing.models import Delivery, DeliveryState
from tests.helpers import make_article, make_section, make_unit
from tests.publishing.conftest import make_channel
from tests.publishing.test_ninjs import assert_valid_ninjs
from workflows.services import take_down

# Nothing here can differ on PostgreSQL + Redis (a signed request): CI runs it once,
# on the embedded defaults (README, Tests).
pytestmark = pytest.mark.once


@pytest.fixture
def finance(db):
    unit, home = make_unit("taichinh", "Thời báo Tài chính", default=True)
    return unit, make_section(home, "Kinh tế")


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("tbt", "tbt@example.vn", "pw-test-123")


def send_all(story):
    for delivery in Delivery.objects.filter(story=story):
        services.process(delivery.pk)


def test_verify_signature_accepts_only_the_signed_body_in_time():
    body = b'{"uri":"urn:hoitu:taichinh:1","version":"1"}'
    now = int(time.time())
    header = sign("bí-mật", now, body)
    assert header.startswith("sha256=") and len(header) == 7 + 64
    assert verify_signature("bí-mật", str(now), body, header)
    assert verify_signature("bí-mật", now, body.decode(), header)
    assert not verify_signature("bí-mật", now, body.replace(b'"1"}', b'"2"}'), header)  # tampered body
    assert not verify_signature("khác", now, body, header)  # another secret
    assert not verify_signature("bí-mật", now + 1, body, header)  # another timestamp
    assert not verify_signature("bí-mật", now - 301, body, sign("bí-mật", now - 301, body))  # replayed later
    assert verify_signature("bí-mật", now - 100, body, sign("bí-mật", now - 100, body))
    assert not verify_signature("bí-mật", "hôm qua", body, header)
    assert not verify_signature("bí-mật", now, body, None)


def test_publish_correction_takedown_reach_the_receiver_with_growing_versions(fake_platforms, finance, superuser):
    unit, section = finance
    channel = make_channel(unit, "webhook", fake_platforms)
    channel.base_url = f"{fake_platforms.base_url('webhook')}/hooks/hoitu"
    channel.save()
    story = make_article(section, title="Đường sắt Bắc–Nam", tags=["hạ tầng"])
    uri = f"urn:hoitu:taichinh:{story.pk}"
    send_all(story)

    delivery = Delivery.objects.get(story=story, channel=channel)
    assert delivery.state == DeliveryState.DELIVERED
    assert delivery.remote_id == uri
    assert delivery.remote_url == f"https://doitac.example.vn/tin/{story.pk}"
    held = fake_platforms.posts["webhook"][uri]
    assert held["version"] == 1 and held["event"] == "story.published" and not held["deleted"]
    assert held["idempotency_key"] == f"{uri}@1"
    assert_valid_ninjs(held["ninjs"])
    assert held["ninjs"]["headlines"][0]["value"] == "Đường sắt Bắc–Nam"
    request = fake_platforms.requests_to("webhook", "POST")[-1]
    assert request.path == "/hooks/hoitu"
    assert request.headers["Content-Type"].startswith("application/json")
    assert request.headers["X-HoiTu-Delivery"]

    # A correction: the same uri, the next version.
    draft = story.get_latest_revision_as_object()
    draft.sapo = "Quốc hội thông qua chủ trương đầu tư tuyến dài 1.541 km."
    from newsroom.models import ArticleCorrection

    draft.corrections.add(ArticleCorrection(note="Sửa chiều dài tuyến."))
    draft.save_revision().publish()
    send_all(story)
    held = fake_platforms.posts["webhook"][uri]
    assert held["version"] == 2 and held["event"] == "story.corrected"
    assert held["ninjs"]["descriptions"][0]["value"] == "Quốc hội thông qua chủ trương đầu tư tuyến dài 1.541 km."

    # The takedown: canceled, the next version again; the partner removes it.
    take_down(story, superuser, "Sai sự thật")
    send_all(story)
    held = fake_platforms.posts["webhook"][uri]
    assert held["version"] == 3 and held["event"] == "story.canceled" and held["deleted"]
    assert held["ninjs"]["pubStatus"] == "canceled"
    assert_valid_ninjs(held["ninjs"])
    assert Delivery.objects.get(pk=delivery.pk).state == DeliveryState.REMOVED
    assert uri not in fake_platforms.live_posts("webhook")
    assert [r.status for r in fake_platforms.requests_to("webhook", "POST")] == [200, 200, 200]


def test_receiver_refuses_a_tampered_body_and_a_wrong_secret(fake_platforms, finance):
    unit, section = finance
    story = make_article(section, title="Tin thật")
    channel = make_channel(unit, "webhook", fake_platforms)
    Delivery.objects.filter(story=story).delete()  # published before the channel existed
    adapter = channel.get_adapter()
    post = adapter.render(story)
    body = json.dumps(post.extra["ninjs"], ensure_ascii=False).encode()
    timestamp = int(time.time())
    signature = sign(SECRET, timestamp, body)
    headers = {"X-HoiTu-Timestamp": str(timestamp), "X-HoiTu-Signature": signature, "Content-Type": "application/json"}
    tampered = body.replace("Tin thật".encode(), "Tin giả".encode())
    assert requests.post(fake_platforms.base_url("webhook"), data=tampered, headers=headers, timeout=5).status_code == 401
    assert requests.post(fake_platforms.base_url("webhook"), data=body, headers=headers, timeout=5).status_code == 200
    assert fake_platforms.posts["webhook"][post.extra["ninjs"]["uri"]]["ninjs"]["headlines"][0]["value"] == "Tin thật"

    # A channel with the wrong secret: the receiver says 401, the engine
    # counts it as an authentication failure, and the third disables the channel.
    wrong = make_channel(unit, "webhook", fake_platforms, name="Đối tác sai khoá", credentials={"secret": "khoá-cũ"})
    other = make_article(section, title="Tin thứ hai")
    delivery = Delivery.objects.get(story=other, channel=wrong)
    for _attempt in range(3):
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
        services.process(delivery.pk)
    wrong.refresh_from_db()
    delivery.refresh_from_db()
    assert not wrong.enabled and wrong.disabled_reason
    assert delivery.state == DeliveryState.PENDING
    assert delivery.http_status == 401
    # The good channel still got it.
    good = Delivery.objects.get(story=other, channel=channel)
    services.process(good.pk)
    assert fake_platforms.posts["webhook"][f"urn:hoitu:taichinh:{other.pk}"]["version"] == 1


def test_dropped_connection_is_sent_again_without_harm(fake_platforms, finance):
    unit, section = finance
    channel = make_channel(unit, "webhook", fake_platforms)
    # The receiver stores the story, then the connection drops before we hear.
    fake_platforms.inject(platform="webhook", method="POST", drop_after_handling=True)
    story = make_article(section, title="Tin mạng chập chờn")
    uri = f"urn:hoitu:taichinh:{story.pk}"
    delivery = Delivery.objects.get(story=story, channel=channel)
    services.process(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.RETRYING  # never "unknown": resending is safe
    assert fake_platforms.posts["webhook"][uri]["version"] == 1

    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
    services.process(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED and delivery.remote_id == uri
    held = fake_platforms.posts["webhook"][uri]
    # The same version twice: stored once, the repeat ignored.
    assert held["version"] == 1 and held["received"] == 1 and held["repeats"] == 1


def test_channel_without_address_or_secret_is_refused_before_sending(fake_platforms, finance):
    unit, section = finance
    channel = make_channel(unit, "webhook", fake_platforms, credentials={"secret": ""})
    story = make_article(section, title="Tin không gửi được")
    delivery = Delivery.objects.get(story=story, channel=channel)
    services.process(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED and delivery.error
    assert fake_platforms.requests_to("webhook") == []
