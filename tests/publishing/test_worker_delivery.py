"""The delivery engine with real Celery workers, real Redis and PostgreSQL:
a fan-out of 30 stories to every kind of channel through publication,
correction and takedown; a worker killed with SIGKILL in the middle of a
fan-out; a Redis outage while stories are published.

The workers run in processes of their own on a private queue and share
this test run's PostgreSQL database; the fake platforms run in this
process and count every request."""

import json
import os
import re
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import connection

from assets.models import Media
from publishing import services
from publishing.adapters import registry
from publishing.models import Delivery, DeliveryState
from tests.helpers import make_article, make_image, make_section, make_unit, paragraph
from tests.publishing.conftest import make_channel
from tests.publishing.worker import RedisServer, Workers, celery_broker, republish, take_story_down

REDIS_URL = os.environ.get("REDIS_URL", "")
S = DeliveryState

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not REDIS_URL, reason="needs a real Redis: set REDIS_URL (e.g. redis://127.0.0.1:6379/5)"),
    # Serialized rollback restores the root page Wagtail's migrations made.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Where the worker (test settings) keeps media: the story's picture and
# video must be there for it to render and upload them.
WORKER_MEDIA_ROOT = Path(sys.modules[os.environ.get("DJANGO_SETTINGS_MODULE", "hoitu.settings.test")].MEDIA_ROOT)


def sent_kinds():
    """Every kind of channel the engine sends one by one (the newsletter is
    a scheduled digest)."""
    return [adapter.kind for adapter in registry.available() if not adapter.batched]


@pytest.fixture
def newsroom_with_channels(settings, db):
    if connection.vendor != "postgresql":
        pytest.skip("the worker process must share the test database: run with DATABASE_URL=postgres://…")
    settings.MEDIA_ROOT = WORKER_MEDIA_ROOT
    unit, home = make_unit("taichinh", "Thời báo Tài chính", default=True)
    section = make_section(home, "Kinh tế")
    cover = make_image("Ảnh bìa", size=(640, 360))
    # A small clip for YouTube; the other platforms post the story's link.
    video = Media.objects.create(title="Clip", kind=Media.Kind.VIDEO, file=ContentFile(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 4096, name="clip.mp4"))
    yield unit, section, cover, video
    for path in (cover.file.path, video.file.path):
        Path(path).unlink(missing_ok=True)


@pytest.fixture
def queue(settings):
    name = f"test-publishing-{uuid.uuid4().hex[:10]}"
    settings.PUBLISHING_QUEUE = name
    settings.PUBLISHING_STALE_SECONDS = 1
    yield name
    client = redis.Redis.from_url(REDIS_URL)
    leftovers = list(client.scan_iter(f"*{name}*"))
    if leftovers:
        client.delete(*leftovers)


@pytest.fixture
def workers(tmp_path, queue):
    pool = Workers(tmp_path, queue, REDIS_URL)
    yield pool
    pool.stop_all()
    client = redis.Redis.from_url(REDIS_URL)
    for process in pool.started:
        leftovers = list(client.scan_iter(f"hoitu-test-{process.pid}*"))
        if leftovers:
            client.delete(*leftovers)


def channels_for_every_kind(unit, fake):
    # No limit of our own: 30 stories a minute is the point of the test.
    return {kind: make_channel(unit, kind, fake, rate_limit_per_minute=0) for kind in sent_kinds()}


def publish(section, cover, video, n, count):
    return [
        make_article(
            section,
            title=f"Tin số {i:02d}: đường sắt tốc độ cao",
            sapo=f"Bản tin thử số {i:02d} của Hội Tụ.",
            body=[paragraph(f"Nội dung tin số {i:02d}."), ("video", {"video": video})],
            cover_image=cover,
        )
        for i in range(n, n + count)
    ]


def wait_until(predicate, timeout, what, workers, sweep_every=None):
    """Poll the database until ``predicate()``; with ``sweep_every``, run the
    sweeper like beat would (this process sends to the workers' queue)."""
    deadline = time.monotonic() + timeout
    last_sweep = time.monotonic()
    while time.monotonic() < deadline:
        if predicate():
            return
        if sweep_every and time.monotonic() - last_sweep >= sweep_every:
            services.sweep()
            last_sweep = time.monotonic()
        time.sleep(0.2)
    counts = {}
    for state, kind in Delivery.objects.values_list("state", "channel__kind"):
        counts[(kind, state)] = counts.get((kind, state), 0) + 1
    stuck = Delivery.objects.exclude(state__in=(S.DELIVERED, S.REMOVED)).order_by("pk")[:5]
    details = "\n".join(
        f"{d.pk} {d.channel.kind} {d.state} attempts={d.attempts} next={d.next_attempt_at} queued={d.enqueued_at} error={d.error!r} "
        + " | ".join(line for p in workers.started for line in p.log.read_text().splitlines() if re.search(rf"delivery {d.pk}\b", line))
        for d in stuck
    )
    raise AssertionError(
        f"timed out after {timeout}s waiting for {what}; deliveries: {counts}\n{details}\n{workers.logs()}"
    )



def all_in(states, stories=None):
    rows = Delivery.objects.all() if stories is None else Delivery.objects.filter(story__in=stories)
    return lambda: rows.exists() and not rows.exclude(state__in=states).exists()


def posts_mentioning(fake, platform, text):
    """The posts a platform has (or had: deleted ones included) whose
    content mentions ``text``."""
    with fake.lock:
        return [key for key, post in fake.posts[platform].items() if text in json.dumps(post, ensure_ascii=False)]


def assert_each_posted_once(fake, kinds, stories, label=lambda story: story.title.split(":")[0] + ":"):
    for kind in kinds:
        for story in stories:
            found = posts_mentioning(fake, kind, label(story))
            assert len(found) == 1, f"{kind}: {label(story)} posted {len(found)} times"


def test_thirty_stories_to_every_channel_published_corrected_and_taken_down(newsroom_with_channels, fake_platforms, workers, settings):
    unit, section, cover, video = newsroom_with_channels
    channels = channels_for_every_kind(unit, fake_platforms)
    kinds = list(channels)
    assert {"telegram", "facebook", "x"} <= set(kinds)
    publisher = get_user_model().objects.create_superuser("tbt", "tbt@example.vn", "pw-test-123")

    with celery_broker(REDIS_URL):
        workers.start(REDIS_URL)
        stories = publish(section, cover, video, 1, 30)
        assert Delivery.objects.count() == 30 * len(kinds)
        wait_until(all_in([S.DELIVERED]), 90, "every story on every channel", workers)

        for kind in kinds:
            live = fake_platforms.live_posts(kind)
            assert len(live) == 30, f"{kind} shows {len(live)} posts"
            remote_ids = set(Delivery.objects.filter(channel=channels[kind]).values_list("remote_id", flat=True))
            assert len(remote_ids) == 30 and "" not in remote_ids
        assert_each_posted_once(fake_platforms, kinds, stories)

        for story in stories:
            republish(story, title=story.title.split(":")[0] + ": đã đính chính", correction="Sửa số liệu tổng vốn.")
        wait_until(
            lambda: all_in([S.DELIVERED])() and not Delivery.objects.filter(done_generation__lt=2).exists(),
            90, "every correction on every channel", workers,
        )  # fmt: skip
        assert_each_posted_once(fake_platforms, kinds, stories)  # edited (or kept), never posted again
        for kind in kinds:
            live = fake_platforms.live_posts(kind)
            assert len(live) == 30
            if registry.get(kind).can_edit:
                corrected = [key for key, post in live.items() if "đã đính chính" in json.dumps(post, ensure_ascii=False)]
                assert len(corrected) == 30, f"{kind}: {len(corrected)} posts show the correction"

        for story in stories:
            take_story_down(story, publisher)
        wait_until(all_in([S.REMOVED]), 90, "every post removed", workers)

    for kind in kinds:
        assert fake_platforms.live_posts(kind) == {}, f"{kind} still shows posts"
        # Each story's post, created once, deleted once (the webhook
        # receiver keeps one entry per story, marked canceled).
        assert len(fake_platforms.posts[kind]) == 30, f"{kind} received {len(fake_platforms.posts[kind])} posts"
    assert not Delivery.objects.filter(removed_at__isnull=True).exists()


def test_a_worker_killed_in_the_middle_of_a_fan_out(newsroom_with_channels, fake_platforms, workers):
    unit, section, cover, video = newsroom_with_channels
    channels = channels_for_every_kind(unit, fake_platforms)
    kinds = list(channels)
    # Slow platforms: requests are in flight when the worker dies.
    fake_platforms.inject(delay=0.25, times=None)

    with celery_broker(REDIS_URL):
        # Published first, so the whole fan-out waits in Redis for the worker.
        stories = publish(section, cover, video, 1, 8)
        total = len(stories) * len(kinds)
        first = workers.start(REDIS_URL)
        wait_until(lambda: Delivery.objects.filter(state=S.DELIVERED).count() >= total // 5, 60, "some deliveries", workers)
        workers.kill(first)
        delivered_before = Delivery.objects.filter(state=S.DELIVERED).count()
        assert delivered_before < total, "the fan-out finished before the kill: nothing was tested"
        fake_platforms.clear_faults()
        # Requests the dead worker had sent still reach the platforms.
        time.sleep(0.5)

        workers.start(REDIS_URL)
        wait_until(all_in([S.DELIVERED, S.UNKNOWN]), 90, "the fan-out to finish", workers, sweep_every=1)

    for kind in kinds:
        adapter = registry.get(kind)
        for delivery in Delivery.objects.filter(channel=channels[kind]).select_related("story"):
            found = posts_mentioning(fake_platforms, kind, delivery.story.title.split(":")[0] + ":")
            if delivery.state == S.DELIVERED:
                assert len(found) == 1, f"{kind}: {delivery.story.title} posted {len(found)} times"
                assert delivery.remote_id in fake_platforms.posts[kind]
            else:
                # Unknown only where the platform cannot be searched, and
                # never sent again: the platform holds at most one post (the
                # one the killed worker's request created, if it got there).
                assert not adapter.can_lookup, f"{kind} can look the post up, yet {delivery} stayed unknown"
                assert len(found) <= 1, f"{kind}: {delivery.story.title} posted {len(found)} times"
    assert Delivery.objects.filter(state=S.DELIVERED).count() > delivered_before


def test_redis_stopped_while_publishing_then_started_again(newsroom_with_channels, fake_platforms, workers, tmp_path):
    unit, section, cover, video = newsroom_with_channels
    channels = channels_for_every_kind(unit, fake_platforms)
    kinds = list(channels)
    broker = RedisServer(tmp_path).start()
    try:
        with celery_broker(broker.url):
            workers.start(broker.url)
            before = publish(section, cover, video, 1, 2)
            wait_until(all_in([S.DELIVERED], before), 60, "the stories before the outage", workers)

            broker.stop()
            started = time.monotonic()
            during = publish(section, cover, video, 3, 4)  # publications succeed without the broker
            assert time.monotonic() - started < 60
            waiting = Delivery.objects.filter(story__in=during)
            assert waiting.count() == 4 * len(kinds)
            assert set(waiting.values_list("state", flat=True)) == {S.PENDING}
            assert not waiting.exclude(enqueued_at=None).exists(), "no message could have been queued"

            broker.start()  # same port: the worker reconnects
            wait_until(all_in([S.DELIVERED]), 90, "the sweeper to deliver what waited", workers, sweep_every=1)
    finally:
        workers.stop_all()
        broker.stop()

    for kind in kinds:
        assert len(fake_platforms.live_posts(kind)) == 6
    assert_each_posted_once(fake_platforms, kinds, before + during)
