"""The publishing benchmark's parts that can go wrong quietly: the unit and
channels it sets up, and the baseline's replay, which must send the very
requests the adapters sent (a replay the platforms refuse, or that posts
something else, would make the ratios meaningless)."""

import pytest
import requests

from bench import publishing as bench
from bench.inside import publishing as bench_driver
from demo.fakes.server import FakePlatforms
from newsroom.models import ArticlePage, Unit
from publishing import services
from publishing.adapters import registry
from publishing.models import Channel, Delivery, DeliveryState
from tests.helpers import make_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake():
    with FakePlatforms() as server:
        yield server


def test_prepare_makes_a_fresh_unit_with_eight_channels_of_every_kind_that_takes_the_story(fake):
    make_image()
    first = bench_driver.prepare(fake.url, 3)
    unit = Unit.objects.get(slug=bench.UNIT)
    drafts = ArticlePage.objects.filter(pk__in=first["stories"])
    assert drafts.count() == 3 and not drafts.filter(live=True).exists()
    assert all(d.latest_revision and d.cover_image_id for d in drafts)

    channels = list(Channel.objects.filter(unit=unit).order_by("pk"))
    assert len(channels) == len(first["channels"]) == 8
    assert sorted({c.kind for c in channels}) == sorted(first["kinds"])
    assert {"telegram", "webhook"} <= set(first["kinds"])
    for channel in channels:
        assert channel.base_url.startswith(f"{fake.url}/{channel.kind}") and channel.rate_limit_per_minute == 0
    # The replay tells a kind's two channels apart.
    assert len({bench.channel_of({"platform": c.kind, "path": _first_path(c)}) for c in channels}) == 8
    every = {adapter.kind for adapter in registry.available()}
    assert set(first["kinds"]) | set(first["skipped"]) == every
    assert all(registry.get(kind).batched or reason for kind, reason in first["skipped"].items())

    # A second run (a PostgreSQL bench database is kept) starts afresh.
    second = bench_driver.prepare(fake.url, 2)
    assert Unit.objects.filter(slug=bench.UNIT).count() == 1
    assert not ArticlePage.objects.filter(pk__in=first["stories"]).exists()
    assert Channel.objects.filter(unit__slug=bench.UNIT).count() == len(second["channels"])


def test_the_baseline_replays_exactly_what_the_adapters_sent(fake):
    make_image()
    setup = bench_driver.prepare(fake.url, 1)
    story = ArticlePage.objects.get(pk=setup["stories"][0])
    story.latest_revision.publish()
    deliveries = list(Delivery.objects.filter(story=story))
    assert len(deliveries) == len(setup["channels"])
    for delivery in deliveries:
        services.process(delivery.pk)
        delivery.refresh_from_db()
        assert delivery.state == DeliveryState.DELIVERED, (delivery.channel.kind, delivery.error)

    sent = [record.to_dict() for record in fake.requests]
    posts = {kind: len(fake.live_posts(kind)) for kind in setup["kinds"] if kind in fake.posts}
    errors = []
    with requests.Session() as session:
        bench.forget_x_posts(session, fake.url, sent)
        assert not fake.live_posts("x")
        start = len(fake.requests)
        replay = bench.Replay(session, fake.url, errors)
        for record in sent:
            replay.send(record)
    assert errors == []
    replayed = fake.requests[start:]
    assert [(r.platform, r.method, r.path, r.body) for r in replayed] == [(r["platform"], r["method"], r["path"], r["body"].encode()) for r in sent]
    # Signed and authorised as the adapters sent them, the platforms took
    # them: each holds one more post (the webhook receiver keeps one per story).
    assert all(r.status < 400 for r in replayed)
    for kind, before in posts.items():
        assert len(fake.live_posts(kind)) == (before if kind in ("webhook", "x") else 2 * before) > 0, kind


def _first_path(channel):
    """The path of the channel's first request to its fake platform."""
    path = channel.base_url.split(f"/{channel.kind}", 1)[1]
    if channel.kind == "telegram":
        path = f"/bot{channel.credentials['bot_token']}/sendPhoto"
    return path or "/"


def test_the_fan_out_baseline_sends_each_channel_in_order_and_the_channels_together(fake):
    from concurrent.futures import ThreadPoolExecutor

    fake.configure(latency=0.2)
    records = [
        {"platform": "webhook", "method": "POST", "path": path, "query": {}, "headers": {}, "body": "{}"}
        for path in ("/", "/doi-tac-2", "/", "/doi-tac-2")
    ]
    with ThreadPoolExecutor(max_workers=2) as pool:
        bench.replay_by_channel(pool, fake.url, records, [])
    arrived = {path: [r.at for r in fake.requests_to("webhook") if r.path == path] for path in ("/", "/doi-tac-2")}
    # Each channel's second request after its first was answered (200 ms);
    # the two channels' first requests together.
    assert all(len(times) == 2 and times[1] - times[0] >= 0.2 for times in arrived.values())
    assert abs(arrived["/"][0] - arrived["/doi-tac-2"][0]) < 0.15
