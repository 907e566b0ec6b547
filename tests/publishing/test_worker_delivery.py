"""The delivery engine with real Celery workers: a fan-out of 30 stories
to every kind of channel through publication, correction and takedown; a
worker killed with SIGKILL while a create it sent is still on its way; two
workers given every delivery's message, so each races the other for it;
with Redis, an outage of Redis while stories are published.

The workers run in processes of their own on a private queue. They share
this test run's database: PostgreSQL's, or on SQLite the file
tests/conftest.py puts the test database in (Django would keep it in this
process's memory, where no worker can reach it). They share a broker with
this process: Redis when REDIS_URL is set, otherwise the file-system broker
in a folder of the test's own (tests/publishing/worker.py). So CI runs them
in both passes: SQLite with the file-system broker, PostgreSQL with Redis.
The fake platforms run in this process and count every request.

Why the suite's SQLite database is a file rather than these tests building
a world of their own in subprocesses (a migrated database and a driver
process publishing stories, as bench/inside/publishing.py does): the same
tests, fixtures and assertions through the ORM then run on both databases,
where a world of their own would be a second copy of each test for SQLite
alone. The file costs the rest of the suite nothing measurable
(tests/publishing/test_engine.py takes as long either way). These tests are
transactional: tests/conftest.py closes the transaction holding a module's
shared data (tests/shared.py) before they start, and this process's writes
commit as they happen, so it never holds SQLite's write lock while the
workers wait for it.
"""

import json
import re
import time
import uuid

import pytest
import redis
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from assets.models import Media
from publishing import services
from publishing.adapters import registry
from publishing.models import Delivery, DeliveryAttempt, DeliveryState
from tests.helpers import make_article, make_image, make_section, make_unit, paragraph
from tests.publishing.conftest import make_channel
from tests.publishing.worker import REDIS_URL, RedisServer, Workers, celery_broker, republish, take_story_down

S = DeliveryState

pytestmark = [
    pytest.mark.worker,
    # Serialized rollback restores the root page Wagtail's migrations made.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

def sent_kinds():
    """Every kind of channel the engine sends one by one (the newsletter is
    a scheduled digest)."""
    return [adapter.kind for adapter in registry.available() if not adapter.batched]


@pytest.fixture
def var_dir(tmp_path):
    """The workers' VAR_DIR: their media (the story's picture and video must
    be there for them to render and upload) and the file-system broker."""
    return tmp_path / "var"


@pytest.fixture
def newsroom_with_channels(settings, db, var_dir):
    # Where the test settings put a process's media under its VAR_DIR.
    settings.MEDIA_ROOT = var_dir / "test-media"
    unit, home = make_unit("taichinh", "Thời báo Tài chính", default=True)
    section = make_section(home, "Kinh tế")
    cover = make_image("Ảnh bìa", size=(640, 360))
    # A small clip for YouTube; the other platforms post the story's link.
    video = Media.objects.create(title="Clip", kind=Media.Kind.VIDEO, file=ContentFile(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 4096, name="clip.mp4"))
    return unit, section, cover, video


@pytest.fixture
def queue(settings):
    name = f"test-publishing-{uuid.uuid4().hex[:10]}"
    settings.PUBLISHING_QUEUE = name
    settings.PUBLISHING_STALE_SECONDS = 1
    yield name
    if REDIS_URL:
        client = redis.Redis.from_url(REDIS_URL)
        leftovers = list(client.scan_iter(f"*{name}*"))
        if leftovers:
            client.delete(*leftovers)


@pytest.fixture
def workers(tmp_path, var_dir, queue):
    pool = Workers(tmp_path, var_dir, queue)
    yield pool
    pool.stop_all()
    if REDIS_URL:
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
    # Beat's sweeper runs throughout, as in production: a message that does
    # not reach the worker is sent again once it has waited this long.
    settings.PUBLISHING_STALE_SECONDS = 20

    with workers.broker():
        workers.start()
        stories = publish(section, cover, video, 1, 30)
        assert Delivery.objects.count() == 30 * len(kinds)
        wait_until(all_in([S.DELIVERED]), 90, "every story on every channel", workers, sweep_every=5)

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
            90, "every correction on every channel", workers, sweep_every=5,
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
        wait_until(all_in([S.REMOVED]), 90, "every post removed", workers, sweep_every=5)

    for kind in kinds:
        assert fake_platforms.live_posts(kind) == {}, f"{kind} still shows posts"
        # Each story's post, created once, deleted once (the webhook
        # receiver keeps one entry per story, marked canceled).
        assert len(fake_platforms.posts[kind]) == 30, f"{kind} received {len(fake_platforms.posts[kind])} posts"
    assert not Delivery.objects.filter(removed_at__isnull=True).exists()


# The requests that make a post in one go, on platforms the engine can search.
CREATES = {"facebook": r"/(feed|photos)$", "x": r"^/2/tweets$", "wordpress": r"/wp/v2/posts$"}


def creates_in_flight(fake):
    """Creates the platform holds unanswered (slow): the post appears even if
    the worker that sent it dies meanwhile."""
    return [r for r in fake.requests_to(method="POST") if r.status == 0 and r.platform in CREATES and re.search(CREATES[r.platform], r.path)]


def test_a_worker_killed_in_the_middle_of_a_fan_out(newsroom_with_channels, fake_platforms, workers):
    unit, section, cover, video = newsroom_with_channels
    channels = channels_for_every_kind(unit, fake_platforms)
    kinds = list(channels)
    # Slow platforms: requests are in flight when the worker dies.
    fake_platforms.inject(delay=0.25, times=None)

    with workers.broker():
        # Published first, so the whole fan-out waits in the broker for the worker.
        stories = publish(section, cover, video, 1, 8)
        total = len(stories) * len(kinds)
        first = workers.start()
        # Killed while the platform holds a create it sent: the post appears
        # after the worker is gone, and the one that takes over must find it.
        wait_until(
            lambda: Delivery.objects.filter(state=S.DELIVERED).count() >= total // 5 and creates_in_flight(fake_platforms),
            60, "some deliveries, and a create on its way", workers,
        )  # fmt: skip
        workers.kill(first)
        delivered_before = Delivery.objects.filter(state=S.DELIVERED).count()
        assert delivered_before < total, "the fan-out finished before the kill: nothing was tested"
        fake_platforms.clear_faults()
        # Requests the dead worker had sent still reach the platforms.
        time.sleep(0.5)

        workers.start()
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
    # A create the killed worker sent was found on the platform by the one
    # that took over, not sent again.
    assert DeliveryAttempt.objects.filter(operation="lookup", outcome="delivered").exists(), workers.logs()


def contested(first, second):
    """The deliveries one worker refused ("another worker holds it") while
    the other was sending them."""

    def refused(log):
        return set(re.findall(r"delivery (\d+): not claimed \(another worker holds it\)", log))

    def sent(log):
        return set(re.findall(r"delivery (\d+) \(story", log))

    one, other = first.log.read_text(), second.log.read_text()
    return (refused(one) & sent(other)) | (refused(other) & sent(one))


def test_two_workers_given_every_delivery_message_twice(newsroom_with_channels, fake_platforms, workers, settings):
    unit, section, cover, video = newsroom_with_channels
    channels = channels_for_every_kind(unit, fake_platforms)
    kinds = list(channels)
    # Slow platforms: a delivery is still being sent when its second message
    # reaches the other worker, even on a loaded machine (a story's seven
    # channels take four seconds; at a quarter of a second each, CI's load
    # once let every copy arrive after the first was done).
    fake_platforms.inject(delay=0.6, times=None)
    # The sweeper sends every waiting delivery's message again, however
    # recently it was sent.
    settings.PUBLISHING_STALE_SECONDS = 0

    with workers.broker():
        # One message at a time each: a story's channels travel in one
        # message, and a worker with free threads would take its second
        # copy itself (refused in its own log, not the other's).
        first, second = workers.start_together(2, threads=1)
        stories = []
        # Five stories at a time until the workers have met on one (at most
        # three times: timing decides which worker takes a copy, and under
        # load one worker may take both copies of a story in turn).
        for n in range(1, 16):
            stories += publish(section, cover, video, n, 1)
            services.sweep()  # the story's messages, once more each, right behind them
            if n % 5 == 0:
                wait_until(all_in([S.DELIVERED, S.UNKNOWN, S.FAILED]), 90, "every delivery to end", workers, sweep_every=0.5)
                if contested(first, second):
                    break

    assert_each_posted_once(fake_platforms, kinds, stories)
    # Sent, not taken over: a worker never takes a delivery the other holds.
    assert set(Delivery.objects.values_list("state", flat=True)) == {S.DELIVERED}
    for kind in kinds:
        assert len(fake_platforms.live_posts(kind)) == len(stories), kind
        remote_ids = set(Delivery.objects.filter(channel=channels[kind]).values_list("remote_id", flat=True))
        assert len(remote_ids) == len(stories) and "" not in remote_ids
    # The race happened: each worker sent some, and refused some the other
    # was sending.
    assert all(re.search(r"delivery \d+ \(story", worker.log.read_text()) for worker in (first, second)), workers.logs()
    assert contested(first, second), workers.logs()


@pytest.mark.skipif(not REDIS_URL, reason="needs a real Redis: set REDIS_URL (e.g. redis://127.0.0.1:6379/5)")
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
