"""The delivery engine in this process, against the fake platforms over
real HTTP: claim → send → record, retries, rate limits, authentication
errors, unknown outcomes, updates, corrections and takedowns, and what
people do with deliveries."""

import logging
import time
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from publishing import services
from publishing.models import Channel, Delivery, DeliveryAction, DeliveryState
from tests.helpers import make_staff
from tests.publishing.conftest import make_channel
from tests.publishing.worker import build_desk, drain, publish_story, republish, take_story_down
from tests.shared import built_once
from workflows.models import Notification, NotificationKind, Role

S = DeliveryState
TELEGRAM_TOKEN = "123456:fake-bot-token"


_module_desk = built_once("desk", build_desk)


@pytest.fixture
def desk(db, settings, _module_desk, shared_data):
    settings.PUBLISHING_RETRY_BASE_SECONDS = 10
    settings.PUBLISHING_RETRY_MAX_SECONDS = 25
    settings.PUBLISHING_MAX_ATTEMPTS = 8
    settings.PUBLISHING_AUTH_FAILURES_TO_DISABLE = 3
    return shared_data(_module_desk, build_desk)


def telegram_error(code, description, retry_after=None):
    body = {"ok": False, "error_code": code, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return body


def make_due(delivery):
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    Channel.objects.filter(pk=delivery.channel_id).update(rate_limited_until=None)


def creates(fake, platform="telegram"):
    return [
        r
        for r in fake.requests_to(platform)
        if r.path.endswith(("/sendPhoto", "/sendMessage")) or (r.method == "POST" and r.path.endswith(("/feed", "/photos", "/2/tweets")))
    ]


# --- the happy path ----------------------------------------------------------


def test_a_published_story_is_posted_once_with_its_address_and_attempts_recorded(desk, fake_platforms):
    channel = make_channel(desk.unit, "telegram", fake_platforms)
    story = publish_story(desk.economy, cover=desk.cover)
    delivery = Delivery.objects.get(story=story, channel=channel)
    assert delivery.state == S.PENDING

    services.process(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.state == S.DELIVERED
    posts = fake_platforms.live_posts("telegram")
    assert list(posts) == [delivery.remote_id]
    assert delivery.remote_url == f"https://t.me/kenhthu/{delivery.remote_id}"
    assert "Đường sắt Bắc–Nam được phê duyệt" in posts[delivery.remote_id]["text"]
    assert posts[delivery.remote_id]["kind"] == "photo"
    assert delivery.delivered_at is not None and delivery.done_generation == delivery.generation
    assert delivery.total_attempts == 1 and delivery.attempts == 0
    attempt = delivery.attempt_log.get()
    assert (attempt.operation, attempt.outcome) == ("create", "delivered")
    channel.refresh_from_db()
    assert channel.last_success_at is not None

    # A second message for the same delivery (the sweeper, a duplicate) sends nothing.
    services.process(delivery.pk)
    assert len(creates(fake_platforms)) == 1


# --- retries ------------------------------------------------------------------


def test_server_errors_are_retried_with_capped_exponential_backoff_then_delivered(desk, fake_platforms):
    channel = make_channel(desk.unit, "telegram", fake_platforms)
    fake_platforms.inject(platform="telegram", path="/send", status=502, body=telegram_error(502, "Bad Gateway"), times=4)
    story = publish_story(desk.economy, cover=desk.cover)
    delivery = Delivery.objects.get(story=story, channel=channel)

    # base 10 s, cap 25 s: ceilings 10, 20, 25, 25 and at least half of each.
    for attempt, ceiling in enumerate((10, 20, 25, 25), 1):
        before = timezone.now()
        services.process(delivery.pk)
        delivery.refresh_from_db()
        assert delivery.state == S.RETRYING
        assert delivery.attempts == attempt
        assert delivery.http_status == 502
        assert "Bad Gateway" in delivery.error
        wait = (delivery.next_attempt_at - before).total_seconds()
        assert ceiling / 2 - 1 <= wait <= ceiling + 1, (attempt, wait)
        # Not due yet: a message now sends nothing.
        services.process(delivery.pk)
        assert delivery.attempt_log.count() == attempt
        make_due(delivery)

    services.process(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == S.DELIVERED and delivery.error == ""
    assert len(fake_platforms.live_posts("telegram")) == 1
    assert [a.outcome for a in delivery.attempt_log.order_by("pk")] == ["retry"] * 4 + ["delivered"]


def test_giving_up_after_the_last_attempt(desk, fake_platforms, settings):
    settings.PUBLISHING_MAX_ATTEMPTS = 2
    channel = make_channel(desk.unit, "telegram", fake_platforms)
    fake_platforms.inject(platform="telegram", path="/send", status=503, body=telegram_error(503, "Service Unavailable"), times=None)
    delivery = Delivery.objects.get(story=publish_story(desk.economy), channel=channel)
    services.process(delivery.pk)
    make_due(delivery)
    services.process(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == S.FAILED
    assert delivery.next_attempt_at is None
    assert "2" in delivery.error and "Service Unavailable" in delivery.error


def test_429_retry_after_holds_back_every_delivery_of_the_channel(desk, fake_platforms):
    channel = make_channel(desk.unit, "telegram", fake_platforms)
    fake_platforms.inject(
        platform="telegram", path="/send", status=429, retry_after=120,
        body=telegram_error(429, "Too Many Requests: retry after 120", retry_after=120),
    )  # fmt: skip
    first = Delivery.objects.get(story=publish_story(desk.economy, title="Tin thứ nhất"), channel=channel)
    second = Delivery.objects.get(story=publish_story(desk.economy, title="Tin thứ hai"), channel=channel)

    before = timezone.now()
    services.process(first.pk)
    first.refresh_from_db()
    channel.refresh_from_db()
    assert first.state == S.RETRYING and first.http_status == 429
    assert first.next_attempt_at >= before + timedelta(seconds=119)
    assert channel.rate_limited_until >= before + timedelta(seconds=119)

    requests_so_far = len(fake_platforms.requests_to("telegram"))
    services.process(second.pk)
    second.refresh_from_db()
    assert len(fake_platforms.requests_to("telegram")) == requests_so_far, "the second story must wait too"
    assert second.state == S.PENDING and second.attempts == 0
    assert second.next_attempt_at >= channel.rate_limited_until

    make_due(first)
    make_due(second)
    drain()
    assert {d.state for d in Delivery.objects.filter(channel=channel)} == {S.DELIVERED}
    assert len(fake_platforms.live_posts("telegram")) == 2


def test_a_4xx_fails_at_once_with_the_platforms_message(desk, fake_platforms):
    channel = make_channel(desk.unit, "telegram", fake_platforms)
    fake_platforms.inject(platform="telegram", path="/send", status=400, body=telegram_error(400, "Bad Request: chat not found"))
    delivery = Delivery.objects.get(story=publish_story(desk.economy), channel=channel)

    services.process(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.state == S.FAILED
    assert delivery.error == "Bad Request: chat not found"
    assert delivery.http_status == 400 and delivery.next_attempt_at is None
    assert len(fake_platforms.requests_to("telegram")) == 1


def test_a_failed_delivery_tells_the_units_publishers_once_per_channel_until_read(desk, fake_platforms, client):
    distribution = make_staff(desk.unit, Role.DISTRIBUTION)
    managing_editor = make_staff(desk.unit, Role.MANAGING_EDITOR)
    reporter = make_staff(desk.unit, Role.REPORTER)
    channel = make_channel(desk.unit, "telegram", fake_platforms)
    fake_platforms.inject(platform="telegram", path="/send", status=400, body=telegram_error(400, "Bad Request: chat not found"), times=None)
    first = Delivery.objects.get(story=publish_story(desk.economy, title="Giá xăng giảm lần thứ ba"), channel=channel)
    services.process(first.pk)

    notices = Notification.objects.filter(kind=NotificationKind.DELIVERY_FAILED)
    assert set(notices.values_list("recipient", flat=True)) == {distribution.pk, managing_editor.pk}
    notice = notices.get(recipient=distribution)
    assert "Giá xăng giảm lần thứ ba" in notice.message and "chat not found" in notice.message and channel.name in notice.message
    # The notice opens the unit's dashboard on the channel's failures.
    client.force_login(distribution)
    listing = client.get(notice.url)
    assert listing.status_code == 200 and f'data-delivery="{first.pk}"'.encode() in listing.content

    # While unread, an outage adds no more notices; once read, the next does.
    second = Delivery.objects.get(story=publish_story(desk.economy, title="Tin thứ hai"), channel=channel)
    services.process(second.pk)
    assert notices.filter(recipient=distribution).count() == 1
    notices.filter(recipient=distribution).update(read_at=timezone.now())
    third = Delivery.objects.get(story=publish_story(desk.economy, title="Tin thứ ba"), channel=channel)
    services.process(third.pk)
    assert notices.filter(recipient=distribution).count() == 2
    assert notices.filter(recipient=managing_editor).count() == 1
    assert not notices.filter(recipient=reporter).exists()


def test_408_is_retried_not_failed(desk, fake_platforms):
    channel = make_channel(desk.unit, "facebook", fake_platforms)
    fake_platforms.inject(platform="facebook", method="POST", status=408, body={"error": {"message": "Request Timeout"}})
    delivery = Delivery.objects.get(story=publish_story(desk.economy), channel=channel)
    services.process(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == S.RETRYING and delivery.http_status == 408
    make_due(delivery)
    services.process(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == S.DELIVERED
    assert len(fake_platforms.live_posts("facebook")) == 1


# --- tried again at once ---------------------------------------------------------


@pytest.fixture
def quick_retries(settings):
    settings.PUBLISHING_QUICK_RETRIES = 2
    settings.PUBLISHING_QUICK_RETRY_MAX_WAIT = 5


@pytest.fixture
def send_threads_stopped():
    """Whatever the test's end, the send threads' connections are closed
    with it (a worker stopping does so): the test database can be dropped."""
    yield
    services.stop_sending()


def test_a_passing_5xx_is_tried_again_at_once_in_the_same_attempt(desk, fake_platforms, quick_retries):
    channel = make_channel(desk.unit, "telegram", fake_platforms)
    fake_platforms.inject(platform="telegram", path="/send", status=503, body=telegram_error(503, "Service Unavailable"), times=2)
    delivery = Delivery.objects.get(story=publish_story(desk.economy, cover=desk.cover), channel=channel)

    services.process(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.state == S.DELIVERED and delivery.error == ""
    assert len(fake_platforms.live_posts("telegram")) == 1
    assert [r.status for r in creates(fake_platforms)] == [503, 503, 200]
    # One attempt, which says what its tries met.
    [attempt] = delivery.attempt_log.all()
    assert attempt.outcome == "delivered" and attempt.error.count("HTTP 503") == 2


def test_a_5xx_that_lasts_waits_for_the_backoff_once_the_quick_retries_are_spent(desk, fake_platforms, quick_retries):
    channel = make_channel(desk.unit, "telegram", fake_platforms)
    fake_platforms.inject(platform="telegram", path="/send", status=502, body=telegram_error(502, "Bad Gateway"), times=None)
    delivery = Delivery.objects.get(story=publish_story(desk.economy), channel=channel)

    before = timezone.now()
    services.process(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.state == S.RETRYING and delivery.attempts == 1 and "Bad Gateway" in delivery.error
    assert delivery.next_attempt_at >= before + timedelta(seconds=4)  # base 10 s: 5–10 s
    assert len(creates(fake_platforms)) == 3
    assert [a.outcome for a in delivery.attempt_log.all()] == ["retry"]


def test_a_create_that_met_a_5xx_is_looked_for_before_it_is_sent_again(desk, fake_platforms, quick_retries):
    """Facebook can be searched: after a 5xx on the create (which a real
    platform may have acted on), the page's posts are read before the
    create goes again, in the same attempt."""
    channel = make_channel(desk.unit, "facebook", fake_platforms)
    fake_platforms.inject(platform="facebook", method="POST", status=500, times=1)
    story = publish_story(desk.economy, cover=desk.cover)
    delivery = Delivery.objects.get(story=story, channel=channel)

    services.process(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.state == S.DELIVERED, delivery.error
    assert [(r.method, r.status) for r in fake_platforms.requests_to("facebook")] == [("POST", 500), ("GET", 200), ("POST", 200)]
    [post] = fake_platforms.live_posts("facebook")
    assert delivery.remote_id == post and not delivery.needs_lookup


def test_a_create_whose_answer_was_lost_is_found_at_once_not_sent_twice(desk, fake_platforms, quick_retries):
    channel = make_channel(desk.unit, "facebook", fake_platforms)
    fake_platforms.inject(platform="facebook", method="POST", drop_after_handling=True, times=1)
    delivery = Delivery.objects.get(story=publish_story(desk.economy, cover=desk.cover), channel=channel)

    services.process(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.state == S.DELIVERED, delivery.error
    [post] = fake_platforms.live_posts("facebook")
    assert delivery.remote_id == post
    # The create, the look that found it, an edit of the found post to the
    # story as it is now.
    assert [(r.method, r.path.rsplit("/", 1)[-1]) for r in fake_platforms.requests_to("facebook")] == [
        ("POST", "feed"), ("GET", "published_posts"), ("POST", post),
    ]  # fmt: skip


def test_a_long_retry_after_is_not_waited_in_the_worker(desk, fake_platforms, quick_retries):
    channel = make_channel(desk.unit, "telegram", fake_platforms)
    fake_platforms.inject(
        platform="telegram", path="/send", status=429, retry_after=30,
        body=telegram_error(429, "Too Many Requests: retry after 30", retry_after=30),
    )  # fmt: skip
    delivery = Delivery.objects.get(story=publish_story(desk.economy), channel=channel)

    before = timezone.now()
    services.process(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.state == S.RETRYING and delivery.next_attempt_at >= before + timedelta(seconds=29)
    assert len(creates(fake_platforms)) == 1


# Send threads need rows committed for their own connections.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_short_retry_after_holds_back_the_channel_in_every_send_thread(fake_platforms, quick_retries, settings, send_threads_stopped):
    """Telegram asks for a second's pause: the delivery that met it goes
    again once it is over, and the worker's other deliveries to the channel
    wait it out before their next request rather than meeting 429s of
    their own; other workers' claims see the pause too."""
    desk = build_desk()
    channel = make_channel(desk.unit, "telegram", fake_platforms, rate_limit_per_minute=0)
    # More deliveries than send threads. The platform keeps the first wave's
    # requests but one for a while and refuses the last of the wave at once:
    # the deliveries left over start in the thread the 429 freed, during the
    # pause, whatever the machine's load (the wave's answers come long after).
    threads = settings.PUBLISHING_SEND_THREADS
    count = threads + 4
    deliveries = [Delivery.objects.get(story=publish_story(desk.economy, title=f"Tin số {n}"), channel=channel) for n in range(count)]
    fake_platforms.inject(platform="telegram", path="/send", delay=1.5, times=threads - 1)
    fake_platforms.inject(
        platform="telegram", path="/send", status=429, retry_after=1,
        body=telegram_error(429, "Too Many Requests: retry after 1", retry_after=1), times=1,
    )  # fmt: skip
    fake_platforms.inject(platform="telegram", path="/send", delay=0.3, times=None)

    recorded = services.process_many([d.pk for d in deliveries])

    # The message is done without the deliveries held back: they go on by
    # themselves once the pause is over and record their outcomes then.
    assert 0 < len(recorded) < count
    deadline = time.monotonic() + 20
    while Delivery.objects.filter(channel=channel).exclude(state=S.DELIVERED).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert {d.state for d in Delivery.objects.filter(channel=channel)} == {S.DELIVERED}
    assert len(fake_platforms.live_posts("telegram")) == count
    sent = creates(fake_platforms)
    assert len(sent) == count + 1
    [refused] = [r for r in sent if r.status == 429]
    later = [r for r in sent if r.at > refused.at + 0.2]
    assert len(later) >= 5, [round(r.at - refused.at, 2) for r in sent]
    assert all(r.at >= refused.at + 1 for r in later), [round(r.at - refused.at, 2) for r in sent]
    channel.refresh_from_db()
    assert channel.rate_limited_until is not None
    # As a worker stopping does: the send threads' connections are closed.
    services.stop_sending()
    if connection.vendor == "postgresql":
        # A closed connection's server process ends a moment after.
        deadline = time.monotonic() + 5
        with connection.cursor() as cursor:
            while True:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
                sessions = cursor.fetchone()[0]
                if sessions == 1 or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
        assert sessions == 1, "a send thread kept its connection"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_deliveries_claimed_while_the_channel_is_briefly_paused_wait_in_the_worker(fake_platforms, quick_retries, send_threads_stopped):
    """Another worker met Telegram's "Retry-After: 1": messages claimed in
    that second keep their deliveries and send them once it is over, rather
    than send them back through the broker, whence each would come back
    alone, later, a message of its own (no worker reads the test's broker:
    sent back, they would never arrive)."""
    desk = build_desk()
    channel = make_channel(desk.unit, "telegram", fake_platforms, rate_limit_per_minute=0)
    stories = [publish_story(desk.economy, title=f"Tin chờ {n}") for n in range(3)]
    pause_end = timezone.now() + timedelta(seconds=1)
    Channel.objects.filter(pk=channel.pk).update(rate_limited_until=pause_end)

    for story in stories:  # a message per story, as the publications sent them
        assert services.process_many([Delivery.objects.get(story=story, channel=channel).pk]) == {}

    deadline = time.monotonic() + 15
    while Delivery.objects.filter(channel=channel).exclude(state=S.DELIVERED).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert {d.state for d in Delivery.objects.filter(channel=channel)} == {S.DELIVERED}
    sent = creates(fake_platforms)
    assert len(sent) == 3 and {r.status for r in sent} == {200}
    assert all(r.at >= pause_end.timestamp() - 0.05 for r in sent), [round(r.at - pause_end.timestamp(), 2) for r in sent]
    # Each in one attempt, which began with its claim.
    assert [d.attempt_log.count() for d in Delivery.objects.filter(channel=channel)] == [1, 1, 1]


# --- authentication errors --------------------------------------------------------


def test_repeated_auth_errors_pause_the_channel_and_notify_the_units_publishers(desk, fake_platforms):
    distribution = make_staff(desk.unit, Role.DISTRIBUTION)
    managing_editor = make_staff(desk.unit, Role.MANAGING_EDITOR)
    reporter = make_staff(desk.unit, Role.REPORTER)
    channel = make_channel(desk.unit, "telegram", fake_platforms, credentials={"bot_token": "bad-token-revoked"})
    delivery = Delivery.objects.get(story=publish_story(desk.economy), channel=channel)

    for failure in (1, 2):
        services.process(delivery.pk)
        delivery.refresh_from_db()
        channel.refresh_from_db()
        assert delivery.state == S.RETRYING and channel.auth_failures == failure and channel.enabled
        make_due(delivery)
    services.process(delivery.pk)

    channel.refresh_from_db()
    delivery.refresh_from_db()
    assert not channel.enabled
    assert "3" in channel.disabled_reason and "Unauthorized" in channel.disabled_reason
    assert delivery.state == S.PENDING
    notified = Notification.objects.filter(kind=NotificationKind.CHANNEL_DISABLED, unit=desk.unit)
    assert set(notified.values_list("recipient", flat=True)) == {distribution.pk, managing_editor.pk}
    assert reporter.pk not in set(notified.values_list("recipient", flat=True))
    assert "bad-token-revoked" not in notified.first().message

    # Paused, it takes new stories, which wait with the first.
    later = Delivery.objects.get(story=publish_story(desk.economy, title="Tin trong lúc kênh tạm dừng"), channel=channel)
    services.process(later.pk)
    assert len(fake_platforms.requests_to("telegram")) == 3

    channel.credentials = {"bot_token": TELEGRAM_TOKEN}
    channel.save()
    with pytest.raises(PermissionDenied):
        services.enable_channel(channel, user=reporter)
    waiting = services.enable_channel(channel, user=distribution)
    assert sorted(waiting) == sorted([delivery.pk, later.pk])
    drain()
    assert {d.state for d in Delivery.objects.filter(channel=channel)} == {S.DELIVERED}
    assert len(fake_platforms.live_posts("telegram")) == 2
    channel.refresh_from_db()
    assert channel.enabled and channel.auth_failures == 0


def test_a_channel_a_person_disabled_takes_no_new_stories(desk, fake_platforms):
    distribution = make_staff(desk.unit, Role.DISTRIBUTION)
    channel = make_channel(desk.unit, "telegram", fake_platforms)
    services.disable_channel(channel, "Tạm dừng trong kỳ bầu cử", user=distribution)
    story = publish_story(desk.economy)
    assert not Delivery.objects.filter(story=story).exists()
    services.enable_channel(channel, user=distribution)
    drain()
    assert fake_platforms.live_posts("telegram") == {}


# --- unknown outcomes -----------------------------------------------------------


def test_a_create_without_an_answer_on_telegram_is_unknown_and_never_sent_again(desk, fake_platforms, settings):
    settings.PUBLISHING_HTTP_TIMEOUT = (2, 0.5)
    settings.PUBLISHING_STALE_SECONDS = 0
    channel = make_channel(desk.unit, "telegram", fake_platforms)
    fake_platforms.inject(platform="telegram", path="/send", delay=1.0)
    story = publish_story(desk.economy, cover=desk.cover)
    delivery = Delivery.objects.get(story=story, channel=channel)

    services.process(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.state == S.UNKNOWN and delivery.error  # a message for the person who decides
    assert delivery.attempt_log.get().outcome == "unknown"
    # The platform did act on it, late.
    assert fake_platforms.wait_for(lambda: len(fake_platforms.posts["telegram"]) == 1, timeout=5)

    assert delivery.pk not in services.sweep()
    services.process(delivery.pk)
    republish(story, title="Đường sắt Bắc–Nam: cập nhật")  # a new version does not resend it either
    drain()
    assert len(creates(fake_platforms)) == 1
    delivery.refresh_from_db()
    assert delivery.state == S.UNKNOWN


def test_a_lookup_capable_platform_finds_the_post_whose_answer_was_lost(desk, fake_platforms):
    channel = make_channel(desk.unit, "facebook", fake_platforms)
    fake_platforms.inject(platform="facebook", method="POST", path="/feed$", drop_after_handling=True)
    delivery = Delivery.objects.get(story=publish_story(desk.economy), channel=channel)

    services.process(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == S.RETRYING and delivery.needs_lookup
    make_due(delivery)
    services.process(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.state == S.DELIVERED and not delivery.needs_lookup
    posts = fake_platforms.live_posts("facebook")
    assert list(posts) == [delivery.remote_id]
    assert len(fake_platforms.requests_to("facebook", method="POST", path="/feed$")) == 1
    assert [a.operation for a in delivery.attempt_log.order_by("pk")] == ["create", "lookup"]


def test_a_worker_that_died_while_creating_leaves_an_unknown_or_a_lookup(desk, fake_platforms, settings):
    telegram = make_channel(desk.unit, "telegram", fake_platforms)
    facebook = make_channel(desk.unit, "facebook", fake_platforms)
    story = publish_story(desk.economy)
    for delivery in Delivery.objects.filter(story=story):
        assert services.claim_delivery(delivery.pk) is not None  # and the worker dies here
    Delivery.objects.filter(story=story).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert len(services.sweep()) == 2

    drain()
    for delivery in Delivery.objects.filter(story=story):
        services.process(delivery.pk)
    on_telegram = Delivery.objects.get(story=story, channel=telegram)
    on_facebook = Delivery.objects.get(story=story, channel=facebook)
    assert on_telegram.state == S.UNKNOWN and on_telegram.error
    assert fake_platforms.requests_to("telegram") == []
    # Facebook is searched first (nothing there), then posted once.
    assert on_facebook.state == S.DELIVERED
    assert [r.method for r in fake_platforms.requests_to("facebook")] == ["GET", "POST"]


# --- updates, corrections, takedowns ----------------------------------------------


def test_a_correction_edits_the_post_in_place(desk, fake_platforms):
    channel = make_channel(desk.unit, "telegram", fake_platforms)
    story = publish_story(desk.economy, cover=desk.cover)
    drain()
    delivery = Delivery.objects.get(story=story, channel=channel)
    message_id = delivery.remote_id

    republish(story, title="Đường sắt Bắc–Nam: đính chính số liệu", correction="Tổng vốn là 67 tỷ USD, không phải 76 tỷ USD.")
    delivery.refresh_from_db()
    assert delivery.state == S.PENDING and delivery.event == "corrected" and delivery.generation == 2
    drain()

    delivery.refresh_from_db()
    assert delivery.state == S.DELIVERED and delivery.remote_id == message_id and delivery.done_generation == 2
    post = fake_platforms.live_posts("telegram")[message_id]
    assert post["edits"] == 1 and "đính chính số liệu" in post["text"]
    assert len(creates(fake_platforms)) == 1
    assert fake_platforms.requests_to("telegram", path="editMessageCaption")


def test_an_update_that_arrives_while_sending_is_sent_after_it(desk, fake_platforms):
    channel = make_channel(desk.unit, "telegram", fake_platforms)
    story = publish_story(desk.economy)
    delivery = Delivery.objects.get(story=story, channel=channel)

    claim = services.claim_delivery(delivery.pk)
    outcome = services.perform(claim)  # Telegram got the first version...
    republish(story, title="Phiên bản mới hơn")  # ...and a newer one is published before the worker records it
    delivery.refresh_from_db()
    assert delivery.state == S.SENDING and delivery.generation == 2
    services.record_outcome(claim, outcome)

    delivery.refresh_from_db()
    assert delivery.state == S.PENDING and delivery.done_generation == 1
    drain()
    delivery.refresh_from_db()
    assert delivery.state == S.DELIVERED and delivery.done_generation == 2
    post = fake_platforms.live_posts("telegram")[delivery.remote_id]
    assert "Phiên bản mới hơn" in post["text"] and post["edits"] == 1
    assert len(creates(fake_platforms)) == 1


def test_a_takedown_while_a_create_is_in_flight_removes_the_new_post(desk, fake_platforms):
    channel = make_channel(desk.unit, "telegram", fake_platforms)
    story = publish_story(desk.economy)
    delivery = Delivery.objects.get(story=story, channel=channel)
    claim = services.claim_delivery(delivery.pk)
    outcome = services.perform(claim)  # the post is created...
    take_story_down(story, desk.publisher)  # ...while the takedown commits
    services.record_outcome(claim, outcome)
    drain()
    delivery.refresh_from_db()
    assert delivery.state == S.REMOVED and delivery.action == DeliveryAction.REMOVE
    assert fake_platforms.live_posts("telegram") == {}


def test_a_takedown_cancels_what_was_not_sent_and_removes_what_was(desk, fake_platforms):
    telegram = make_channel(desk.unit, "telegram", fake_platforms)
    facebook = make_channel(desk.unit, "facebook", fake_platforms)
    story = publish_story(desk.economy)
    services.process(Delivery.objects.get(story=story, channel=telegram).pk)
    posted = Delivery.objects.get(story=story, channel=telegram)
    address = posted.remote_url

    take_story_down(story, desk.publisher)

    waiting = Delivery.objects.get(story=story, channel=facebook)
    assert waiting.state == S.CANCELLED and waiting.event == "taken_down"
    drain()
    assert fake_platforms.requests_to("facebook") == []
    posted.refresh_from_db()
    assert posted.state == S.REMOVED and posted.event == "taken_down" and posted.removed_at
    assert posted.remote_id == "" and posted.remote_url == address
    assert fake_platforms.live_posts("telegram") == {}
    assert fake_platforms.requests_to("telegram", path="deleteMessage")


def test_republishing_after_a_takedown_posts_again(desk, fake_platforms):
    channel = make_channel(desk.unit, "telegram", fake_platforms)
    story = publish_story(desk.economy)
    drain()
    take_story_down(story, desk.publisher)
    drain()
    republish(story)
    drain()
    delivery = Delivery.objects.get(story=story, channel=channel)
    assert delivery.state == S.DELIVERED and delivery.action == DeliveryAction.PUBLISH
    assert len(fake_platforms.live_posts("telegram")) == 1


def test_an_unpublished_or_deleted_story_leaves_the_channels(desk, fake_platforms):
    channel = make_channel(desk.unit, "telegram", fake_platforms)
    unpublished = publish_story(desk.economy, title="Bài sẽ ngừng xuất bản")
    deleted = publish_story(desk.economy, title="Bài sẽ bị xoá")
    drain()
    assert len(fake_platforms.live_posts("telegram")) == 2

    unpublished.unpublish()
    deleted_pk = deleted.pk
    deleted.delete()
    drain()

    assert fake_platforms.live_posts("telegram") == {}
    gone = Delivery.objects.get(channel=channel, story_title="Bài sẽ bị xoá")
    assert gone.story_id is None and gone.state == S.REMOVED and gone.event == "unpublished"
    assert Delivery.objects.get(story=unpublished).state == S.REMOVED
    assert not Delivery.objects.filter(story_id=deleted_pk).exists()


def test_a_platform_without_edit_keeps_the_post_or_replaces_it_when_the_channel_allows(desk, fake_platforms):
    channel = make_channel(desk.unit, "x", fake_platforms)
    story = publish_story(desk.economy)
    drain()
    delivery = Delivery.objects.get(story=story, channel=channel)
    first_id = delivery.remote_id

    republish(story, title="Đường sắt Bắc–Nam: số liệu đã sửa", correction="Sửa tổng vốn.")
    drain()
    delivery.refresh_from_db()
    assert delivery.state == S.DELIVERED and delivery.remote_id == first_id
    assert delivery.error  # says the post was left as it was
    assert delivery.attempt_log.first().operation == "keep"
    assert list(fake_platforms.live_posts("x")) == [first_id]

    channel.config = {**channel.config, "replace_on_update": True}
    channel.save()
    republish(story, title="Đường sắt Bắc–Nam: bản đính chính lần hai", correction="Sửa chiều dài tuyến.")
    drain()
    delivery.refresh_from_db()
    assert delivery.state == S.DELIVERED and delivery.remote_id != first_id and delivery.error == ""
    live = fake_platforms.live_posts("x")
    assert list(live) == [delivery.remote_id]
    assert "lần hai" in live[delivery.remote_id]["text"]
    assert len(fake_platforms.requests_to("x", method="DELETE")) == 1


def test_a_post_deleted_on_the_platform_by_hand_is_posted_again_on_update(desk, fake_platforms):
    channel = make_channel(desk.unit, "telegram", fake_platforms)
    story = publish_story(desk.economy)
    drain()
    delivery = Delivery.objects.get(story=story, channel=channel)
    fake_platforms.posts["telegram"][delivery.remote_id]["deleted"] = True
    republish(story, title="Bản cập nhật")
    drain()
    delivery.refresh_from_db()
    assert delivery.state == S.DELIVERED
    assert list(fake_platforms.live_posts("telegram")) == [delivery.remote_id]


# --- rate limit of our own ----------------------------------------------------------


def test_the_channels_rate_limit_per_minute(desk, fake_platforms):
    channel = make_channel(desk.unit, "telegram", fake_platforms, rate_limit_per_minute=2)
    stories = [publish_story(desk.economy, title=f"Tin số {n}") for n in range(3)]
    for story in stories:
        services.process(Delivery.objects.get(story=story).pk)
    deliveries = [Delivery.objects.get(story=story) for story in stories]
    # Two went out; the third waits for the next minute without a request
    # (unless the minute turned between two of them).
    assert [d.state for d in deliveries].count(S.DELIVERED) >= 2
    held = [d for d in deliveries if d.state != S.DELIVERED]
    if held:
        assert held[0].state == S.PENDING and held[0].attempts == 0
        assert held[0].next_attempt_at > timezone.now()
        assert len(creates(fake_platforms)) == 2
    assert channel.deliveries.count() == 3


# --- the sweeper --------------------------------------------------------------------


def test_the_sweeper_queues_only_what_waits_too_long(desk, fake_platforms, settings):
    settings.PUBLISHING_STALE_SECONDS = 60
    channel = make_channel(desk.unit, "telegram", fake_platforms)
    now = timezone.now()
    rows = {}
    for name in ("never_queued", "queued_long_ago", "queued_just_now", "retry_later", "unknown", "sending", "abandoned", "delivered"):
        rows[name] = Delivery.objects.get(story=publish_story(desk.economy, title=name), channel=channel)
    Delivery.objects.filter(pk=rows["never_queued"].pk).update(enqueued_at=None)
    Delivery.objects.filter(pk=rows["queued_long_ago"].pk).update(enqueued_at=now - timedelta(seconds=300))
    Delivery.objects.filter(pk=rows["queued_just_now"].pk).update(enqueued_at=now)
    Delivery.objects.filter(pk=rows["retry_later"].pk).update(state=S.RETRYING, next_attempt_at=now + timedelta(seconds=600), enqueued_at=None)
    Delivery.objects.filter(pk=rows["unknown"].pk).update(state=S.UNKNOWN, enqueued_at=None)
    Delivery.objects.filter(pk=rows["sending"].pk).update(state=S.SENDING, lease_until=now + timedelta(seconds=60), enqueued_at=None)
    Delivery.objects.filter(pk=rows["abandoned"].pk).update(state=S.SENDING, lease_until=now - timedelta(seconds=1), enqueued_at=None)
    Delivery.objects.filter(pk=rows["delivered"].pk).update(state=S.DELIVERED, enqueued_at=None)

    swept = services.sweep()

    assert sorted(swept) == sorted([rows["never_queued"].pk, rows["queued_long_ago"].pk, rows["abandoned"].pk])
    assert Delivery.objects.get(pk=rows["never_queued"].pk).enqueued_at >= now
    assert services.sweep() == []  # just queued: not again before it is stale


# --- people ------------------------------------------------------------------------------


def test_people_act_on_deliveries_of_their_own_unit_only(desk, fake_platforms):
    from tests.helpers import make_unit

    distribution = make_staff(desk.unit, Role.DISTRIBUTION)
    reporter = make_staff(desk.unit, Role.REPORTER)
    other_unit, _home = make_unit("lamdong", "Báo Lâm Đồng")
    outsider = make_staff(other_unit, Role.DISTRIBUTION)
    channel = make_channel(desk.unit, "telegram", fake_platforms)
    fake_platforms.inject(platform="telegram", path="/send", status=400, body=telegram_error(400, "Bad Request: chat not found"))
    delivery = Delivery.objects.get(story=publish_story(desk.economy), channel=channel)
    services.process(delivery.pk)

    for person in (reporter, outsider):
        with pytest.raises(PermissionDenied):
            services.retry_delivery(delivery, person)
        with pytest.raises(PermissionDenied):
            services.cancel_delivery(delivery, person)
        with pytest.raises(PermissionDenied):
            services.resolve_delivery(delivery, person)
    assert Delivery.objects.get(pk=delivery.pk).state == S.FAILED

    services.retry_delivery(delivery, distribution)
    drain()
    delivery.refresh_from_db()
    assert delivery.state == S.DELIVERED
    with pytest.raises(ValidationError):
        services.retry_delivery(delivery, distribution)
    with pytest.raises(ValidationError):
        services.cancel_delivery(delivery, distribution)
    assert [a.user for a in delivery.attempt_log.filter(operation="retry")] == [distribution]


def test_a_person_resolves_an_unknown_post_with_its_address_and_later_changes_reach_it(desk, fake_platforms, settings):
    settings.PUBLISHING_HTTP_TIMEOUT = (2, 0.5)
    distribution = make_staff(desk.unit, Role.DISTRIBUTION)
    channel = make_channel(desk.unit, "telegram", fake_platforms)
    fake_platforms.inject(platform="telegram", path="/send", delay=1.0)  # Telegram posts it; the answer comes too late
    story = publish_story(desk.economy)
    delivery = Delivery.objects.get(story=story, channel=channel)
    services.process(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == S.UNKNOWN
    assert fake_platforms.wait_for(lambda: fake_platforms.posts["telegram"], timeout=5)
    [message_id] = fake_platforms.live_posts("telegram")

    for bad in ("javascript:alert(1)", "ftp://t.me/kenhthu/1", "bài có rồi"):
        with pytest.raises(ValidationError):
            services.resolve_delivery(delivery, distribution, post=bad)
    assert Delivery.objects.get(pk=delivery.pk).state == S.UNKNOWN
    services.resolve_delivery(delivery, distribution, post=f"https://t.me/kenhthu/{message_id}")
    delivery.refresh_from_db()
    assert (delivery.state, delivery.remote_id, delivery.remote_url) == (S.DELIVERED, message_id, f"https://t.me/kenhthu/{message_id}")
    assert delivery.remote_data == {"chat_id": "@kenhthu"} and delivery.resolved_by == distribution

    republish(story, title="Đường sắt Bắc–Nam: cập nhật")
    drain()
    assert fake_platforms.live_posts("telegram")[message_id]["edits"] == 1  # the message it was sent as (text: no picture)
    take_story_down(story, desk.publisher)
    drain()
    delivery.refresh_from_db()
    assert delivery.state == S.REMOVED
    assert fake_platforms.live_posts("telegram") == {} and len(creates(fake_platforms)) == 1


def test_a_post_resolved_without_its_id_leaves_the_takedown_to_a_person(desk, fake_platforms, settings):
    settings.PUBLISHING_HTTP_TIMEOUT = (2, 0.5)
    distribution = make_staff(desk.unit, Role.DISTRIBUTION)
    channel = make_channel(desk.unit, "telegram", fake_platforms)
    fake_platforms.inject(platform="telegram", path="/send", delay=1.0)
    story = publish_story(desk.economy)
    delivery = Delivery.objects.get(story=story, channel=channel)
    services.process(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == S.UNKNOWN

    # An address the adapter cannot read an id from: kept, as an address only.
    services.resolve_delivery(delivery, distribution, post="https://t.me/kenhkhac/1")
    delivery.refresh_from_db()
    assert delivery.state == S.DELIVERED and delivery.remote_url == "https://t.me/kenhkhac/1" and not delivery.remote_id
    assert delivery.resolved_by == distribution

    take_story_down(story, desk.publisher)
    drain()
    delivery.refresh_from_db()
    assert delivery.state == S.FAILED and delivery.remote_data == {"by_hand": True} and delivery.error
    assert fake_platforms.requests_to("telegram", path="deleteMessage") == []
    services.resolve_delivery(delivery, distribution)
    delivery.refresh_from_db()
    assert delivery.state == S.REMOVED


def test_retrying_an_unknown_the_person_found_missing_posts_it(desk, fake_platforms, settings):
    settings.PUBLISHING_HTTP_TIMEOUT = (2, 0.5)
    distribution = make_staff(desk.unit, Role.DISTRIBUTION)
    channel = make_channel(desk.unit, "telegram", fake_platforms)
    fake_platforms.inject(platform="telegram", path="/send", drop=True)  # dropped before Telegram acted
    delivery = Delivery.objects.get(story=publish_story(desk.economy), channel=channel)
    services.process(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == S.UNKNOWN
    assert fake_platforms.live_posts("telegram") == {}
    services.retry_delivery(delivery, distribution)
    drain()
    delivery.refresh_from_db()
    assert delivery.state == S.DELIVERED
    assert len(fake_platforms.live_posts("telegram")) == 1


# --- logs and errors without credentials ------------------------------------------------


def test_errors_and_logs_never_show_credentials(desk, fake_platforms, caplog):
    from tests.publishing.worker import free_port

    channel = make_channel(desk.unit, "telegram", fake_platforms)
    channel.base_url = f"http://127.0.0.1:{free_port()}/telegram"  # nothing listens there
    channel.save()
    delivery = Delivery.objects.get(story=publish_story(desk.economy), channel=channel)
    with caplog.at_level(logging.INFO):
        services.process(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == S.RETRYING
    assert "Connection refused" in delivery.error
    assert TELEGRAM_TOKEN not in delivery.error
    assert TELEGRAM_TOKEN not in caplog.text
    assert f"delivery {delivery.pk}" in caplog.text
    assert all(TELEGRAM_TOKEN not in attempt.error for attempt in delivery.attempt_log.all())


def test_process_never_raises(desk, fake_platforms):
    channel = make_channel(desk.unit, "telegram", fake_platforms)
    delivery = Delivery.objects.get(story=publish_story(desk.economy), channel=channel)
    Channel.objects.filter(pk=channel.pk).update(kind="no-such-platform")
    assert services.process(delivery.pk) is None
    assert services.process(10**9) is None


# --- two workers, one delivery ------------------------------------------------------------


# Serialized rollback restores the root page Wagtail's migrations made.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_never_send_the_same_delivery(fake_platforms, settings):
    import threading

    if connection.vendor != "postgresql":
        pytest.skip("row locks between two connections need PostgreSQL (SQLite's IMMEDIATE transactions serialize writers)")
    desk = build_desk()
    channel = make_channel(desk.unit, "telegram", fake_platforms)
    fake_platforms.inject(platform="telegram", path="/send", delay=0.5)  # both are in flight together
    delivery = Delivery.objects.get(story=publish_story(desk.economy), channel=channel)
    start = threading.Barrier(2)

    def worker():
        start.wait()
        try:
            services.process(delivery.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    delivery.refresh_from_db()
    assert delivery.state == S.DELIVERED
    assert len(creates(fake_platforms)) == 1
    assert delivery.attempt_log.count() == 1 and delivery.total_attempts == 1
