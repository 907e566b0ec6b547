"""What one delivery costs the worker: database statements for the claim,
the send and the record (the guarantees' writes, nothing more), and the
connections it opens to the platform (kept alive for the channel's next
delivery, each request still checked against the address rules)."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assets.renditions import SPECS
from publishing import services
from publishing.models import Channel, Delivery, DeliveryState
from tests.publishing.conftest import make_channel
from tests.publishing.worker import build_desk, publish_story
from tests.shared import built_once

S = DeliveryState
# Transaction control: savepoints inside the test's transaction, BEGIN and
# COMMIT in a worker.
CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN", "COMMIT")

_module_desk = built_once("desk", build_desk)


@pytest.fixture
def desk(db, _module_desk, shared_data):
    return shared_data(_module_desk, build_desk)


def statements(queries):
    """Each statement as its verb and the table it reads or writes (one
    statement sent for many rows, ``N times: UPDATE …``, counts once)."""
    sqls = [re.sub(r"^\d+ times: ", "", query["sql"]) for query in queries]
    return [f"{sql.split(' ', 1)[0]} {_table(sql)}" for sql in sqls if not sql.startswith(CONTROL)]


def _table(sql):
    # The first table named outside parentheses (a subquery's are inside).
    top, depth = [], 0
    for char in sql:
        depth += char == "("
        if not depth:
            top.append(char)
        depth -= char == ")"
    words = "".join(top).replace('"', "").split()
    return next(words[i + 1] for i, word in enumerate(words) if word in ("FROM", "INTO", "UPDATE"))


def deliver_counting(delivery):
    """Claim, send and record ``delivery`` as a worker does; the statements
    of each step."""
    with CaptureQueriesContext(connection) as claiming:
        claim = services.claim_delivery(delivery.pk)
    with CaptureQueriesContext(connection) as sending:
        outcome = services.perform(claim)
    with CaptureQueriesContext(connection) as recording:
        services.record_outcome(claim, outcome)
    delivery.refresh_from_db()
    assert delivery.state == S.DELIVERED, delivery.error
    return statements(claiming), statements(sending), statements(recording)


def test_one_delivery_takes_the_guarantees_statements_and_no_more(desk, fake_platforms):
    channel = make_channel(desk.unit, "telegram", fake_platforms)
    desk.cover.get_rendition(SPECS["social"])  # made by the media worker when the picture is uploaded
    first = Delivery.objects.get(story=publish_story(desk.economy, "Tin thứ nhất", cover=desk.cover), channel=channel)
    second = Delivery.objects.get(story=publish_story(desk.economy, "Tin thứ hai", cover=desk.cover), channel=channel)

    claiming, sending, recording = deliver_counting(first)
    # The row locked with its channel and whether the story is live; the
    # claim with the "may already exist" mark; the attempt, before sending.
    assert claiming == ["SELECT publishing_delivery", "UPDATE publishing_delivery", "INSERT publishing_deliveryattempt"]
    # The row read again with its channel and unit; the story with its
    # pictures (once per story, whatever the number of its channels);
    # whether it shows an archive item out of rights (one read of the
    # reference index, for every story of the message); its tags. The
    # create goes out under the claim's fresh lease, without asking the
    # database again.
    assert sending == ["SELECT publishing_delivery", "SELECT newsroom_articlepage", "SELECT wagtailcore_referenceindex", "SELECT taggit_tag"]
    # The row locked again, the channel's first success, the attempt's
    # outcome, the row.
    assert recording == [
        "SELECT publishing_delivery", "UPDATE publishing_channel", "UPDATE publishing_deliveryattempt", "UPDATE publishing_delivery",
    ]  # fmt: skip
    stamped = Channel.objects.get(pk=channel.pk).last_success_at
    assert stamped is not None

    # The channel's next success within the minute leaves its row alone.
    claiming, sending, recording = deliver_counting(second)
    assert len(claiming) == 3 and len(sending) == 4
    assert recording == ["SELECT publishing_delivery", "UPDATE publishing_deliveryattempt", "UPDATE publishing_delivery"]
    assert Channel.objects.get(pk=channel.pk).last_success_at == stamped
    assert len(fake_platforms.live_posts("telegram")) == 2


def test_a_channels_deliveries_share_a_connection_each_request_still_checked(desk, fake_platforms, settings):
    settings.PUBLISHING_REFUSE_PRIVATE_ADDRESSES = True
    settings.PUBLISHING_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    channel = make_channel(desk.unit, "telegram", fake_platforms)
    other = make_channel(desk.unit, "telegram", fake_platforms, name="Kênh Telegram thứ hai", credentials={"bot_token": "123456:second-bot"})
    stories = [publish_story(desk.economy, f"Tin số {n}", cover=desk.cover) for n in range(1, 4)]

    for story in stories[:2]:
        services.process(Delivery.objects.get(story=story, channel=channel).pk)
    services.process(Delivery.objects.get(story=stories[0], channel=other).pk)
    first, second, on_other = (r.client for r in fake_platforms.requests_to("telegram"))
    # The second story went over the first one's connection (its
    # before_write hook, tied to the first delivery's claim, did not come
    # along: the create went out); another channel has its own.
    assert second == first
    assert on_other != first

    # New credentials: a new connection.
    channel.credentials = {"bot_token": "123456:renewed-bot"}
    channel.save()
    services.process(Delivery.objects.get(story=stories[2], channel=channel).pk)
    assert fake_platforms.requests_to("telegram")[-1].client != first
    assert Delivery.objects.filter(channel=channel, state=S.DELIVERED).count() == 3

    # A kept-alive connection is no way around the address rules.
    settings.PUBLISHING_ALLOWED_NETWORKS = []
    sent = len(fake_platforms.requests_to("telegram"))
    services.process(Delivery.objects.get(story=stories[1], channel=other).pk)
    refused = Delivery.objects.get(story=stories[1], channel=other)
    assert refused.state == S.FAILED and "127.0.0.1" in refused.error
    assert len(fake_platforms.requests_to("telegram")) == sent


def test_a_storys_channels_travel_in_one_message_for_the_statements_of_one(desk, fake_platforms):
    """A story published to four channels is one worker message: one claim,
    one read (the story rendered once for all of them, its ninjs built once
    for both partners), one outcome transaction: the statements of its
    most demanding channel alone."""
    channels = [
        make_channel(desk.unit, "telegram", fake_platforms),
        make_channel(desk.unit, "telegram", fake_platforms, name="Kênh Telegram thứ hai", credentials={"bot_token": "123456:second-bot"}),
        make_channel(desk.unit, "webhook", fake_platforms),
        make_channel(desk.unit, "webhook", fake_platforms, name="Đối tác thứ hai"),
    ]
    desk.cover.get_rendition(SPECS["social"])
    warm = publish_story(desk.economy, "Tin mở đầu", cover=desk.cover)
    services.process_many(list(Delivery.objects.filter(story=warm).values_list("pk", flat=True)))  # the channels' first successes

    story = publish_story(desk.economy, "Tin bốn kênh", cover=desk.cover)
    pks = list(Delivery.objects.filter(story=story, channel__in=channels).order_by("pk").values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as four:
        recorded = services.process_many(pks)
    assert sorted(recorded) == pks
    assert all(delivery.state == S.DELIVERED for delivery in Delivery.objects.filter(pk__in=pks))
    assert len(fake_platforms.live_posts("telegram")) == 4 and len(fake_platforms.live_posts("webhook")) == 2

    # The partner's channel alone: its ninjs (events, revisions, authors,
    # tags, corrections, section, unit, pictures) is all the four add.
    alone = publish_story(desk.economy, "Tin một đối tác", cover=desk.cover)
    partner = Delivery.objects.get(story=alone, channel=channels[2])
    with CaptureQueriesContext(connection) as one:
        services.process(partner.pk)
    assert statements(four) == statements(one)
    # The story's events read once, with the ninjs: its version, its dates
    # and the event the partners' webhooks are sent as.
    assert statements(one).count("SELECT publishing_storyevent") == 1, statements(one)
    assert statements(four)[:3] == ["SELECT publishing_delivery", "UPDATE publishing_delivery", "INSERT publishing_deliveryattempt"]
    assert statements(four)[-3:] == ["SELECT publishing_delivery", "UPDATE publishing_deliveryattempt", "UPDATE publishing_delivery"]


def test_a_worker_whose_lease_ran_out_sends_nothing(desk, fake_platforms):
    """The claim holds without asking the database while its lease has
    well over half to run; a worker held up past that (a stalled machine)
    asks, finds the delivery taken over, and sends no create."""
    channel = make_channel(desk.unit, "webhook", fake_platforms)
    delivery = Delivery.objects.get(story=publish_story(desk.economy, "Tin bị chậm", cover=desk.cover), channel=channel)
    stalled = services.claim_delivery(delivery.pk)
    Delivery.objects.filter(pk=delivery.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    taking_over = services.claim_delivery(delivery.pk)
    assert taking_over is not None and taking_over.token != stalled.token
    stalled.lease_until = timezone.now() + timedelta(seconds=settings.PUBLISHING_LEASE_SECONDS / 2 - 1)

    outcome = services.perform(stalled)
    assert outcome.result == "retry" and "tiến trình xử lý khác" in outcome.error
    assert fake_platforms.requests_to("webhook") == []
    services.record_outcome(stalled, outcome)  # too late: ignored

    services.record_outcome(taking_over, services.perform(taking_over))
    assert Delivery.objects.get(pk=delivery.pk).state == S.DELIVERED
    assert len(fake_platforms.requests_to("webhook")) == 1
