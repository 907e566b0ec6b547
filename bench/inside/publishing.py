"""The publishing scenarios' Django side (``python -m bench.inside
publishing-driver``): a fresh unit with eight channels (one of every kind
that takes the bench's stories, and a second Telegram bot and webhook), and
stories published through Wagtail as an editor's approval does, timed from
the deliveries the workers record."""

import json
import sys
import time

from django.conf import settings
from django.db import transaction
from django.utils import translation

from assets.models import ArchiveImage
from demo.fakes import channel_setup
from hoitu.celery import app
from newsroom.models import ArticlePage, Unit
from publishing.adapters import registry
from publishing.models import Channel, Delivery, DeliveryState

from ..publishing import BATCH_TIMEOUT_PER_STORY, DELIVERY_TIMEOUT, HOST, UNIT
from .seed import Command as SeedBench

# Channels of a kind the bench has twice: a name, and what sets the second
# apart (another bot; another address, which the replay tells apart by its
# path: bench/publishing.py's SPLIT_BY_PATH).
SECOND_CHANNELS = {
    "telegram": {"credentials": {"bot_token": "123456:fake-bot-token-2"}, "path": ""},
    "webhook": {"credentials": {}, "path": "/doi-tac-2"},
}


def batch_timeout(stories):
    return DELIVERY_TIMEOUT + BATCH_TIMEOUT_PER_STORY * len(stories)


# --- the Django side ------------------------------------------------------------
def prepare(fake_url, stories):
    """A fresh unit with ``stories`` drafts, one channel per adapter kind and
    a second one of the kinds in SECOND_CHANNELS (batched kinds, the
    newsletter, are sent on a schedule, not measured)."""

    old = Unit.objects.select_related("site__root_page").filter(slug=UNIT).first()
    if old is not None:
        home, site = old.site.root_page, old.site
        Channel.objects.filter(unit=old).delete()
        old.delete()
        site.delete()
        home.delete()
    with transaction.atomic():
        seeder = SeedBench()
        _unit, home = seeder.create_unit(UNIT, "Báo Thử Tải Phát Hành", HOST, default=False)
        seeder.create_sections(home, 1)
    drafts = add_drafts(max(stories, 1))["stories"]
    unit = Unit.objects.get(slug=UNIT)
    kinds, channels, skipped = [], [], {}
    probe = ArticlePage.objects.get(pk=drafts[0])
    for adapter_class in registry.available():
        if adapter_class.batched:
            skipped[adapter_class.kind] = "sent as a scheduled digest"
            continue
        kind, setup = adapter_class.kind, channel_setup(adapter_class.kind)
        channel = Channel(
            unit=unit, kind=kind, name=f"Bench {kind}", base_url=f"{fake_url}/{kind}", config=setup["config"], rate_limit_per_minute=0,
        )  # fmt: skip
        channel.credentials = setup["credentials"]
        adapter = adapter_class(channel)
        refusal = adapter.check(adapter.render(probe, None))
        if refusal:
            skipped[kind] = str(refusal)
            continue
        channel.save()
        kinds.append(kind)
        channels.append(kind)
        second = SECOND_CHANNELS.get(kind)
        if second:
            channel.pk = None
            channel.name = f"Bench {kind} 2"
            channel.base_url += second["path"]
            channel.credentials = {**setup["credentials"], **second["credentials"]}
            channel.save()
            channels.append(f"{kind} 2")
    return {"stories": drafts[:stories], "kinds": kinds, "channels": channels, "skipped": skipped}


def add_drafts(count):
    """``count`` more draft stories in the bench unit, with a revision each
    (what an editor's approval publishes)."""

    unit = Unit.objects.select_related("site__root_page").get(slug=UNIT)
    section = unit.site.root_page.get_children().first().specific
    image = ArchiveImage.objects.order_by("pk").first()
    start = ArticlePage.objects.child_of(section).count()
    drafts = []
    with transaction.atomic():
        for number in range(start + 1, start + count + 1):
            page = ArticlePage(
                title=f"Ngân sách nhà nước năm 2026: bài thử phát hành số {number}", slug=f"bai-thu-phat-hanh-{number}", live=False,
                language="vi", cover_image=image,
                sapo="Bộ Tài chính cho biết thu ngân sách mười một tháng đạt 98% dự toán, chi thường xuyên được tiết kiệm.",
                body=[("paragraph", "<p>Thu ngân sách nhà nước mười một tháng ước đạt 98% dự toán năm.</p>")] * 6,
            )  # fmt: skip
            section.add_child(instance=page)
            page.save_revision()
            drafts.append(page.pk)
    return {"stories": drafts}


def _wait(story_ids, started, timeout=DELIVERY_TIMEOUT):
    """Until no delivery of these stories is waiting or being sent; returns
    the deliveries."""

    open_states = (DeliveryState.PENDING, DeliveryState.SENDING, DeliveryState.RETRYING)
    while True:
        rows = list(Delivery.objects.filter(story_id__in=story_ids).values("story_id", "state", "created_at", "delivered_at", "error", "channel__kind"))
        if rows and not any(row["state"] in open_states for row in rows):
            return rows
        if time.time() - started > timeout:
            stuck = [f"{row['channel__kind']}: {row['state']} {row['error']}" for row in rows if row["state"] in open_states]
            raise TimeoutError(f"{len(stuck)} deliveries still open after {timeout} s: {stuck[:5]}")
        # The times come from the rows, not from this loop: it need not
        # take the CPU from the workers and the database it measures.
        time.sleep(0.1)


def _failures(rows):
    return [f"{row['channel__kind']} story {row['story_id']}: {row['state']} {row['error']}" for row in rows if row["state"] != "delivered"]


def publish_each(stories):
    """Publish the stories one at a time, each once the previous one has
    reached every channel."""

    measured, failed = [], []
    for pk in stories:
        revision = ArticlePage.objects.get(pk=pk).latest_revision
        started = time.time()
        revision.publish()
        rows = _wait([pk], started)
        ended = time.time()
        failed += _failures(rows)
        delivered = [row["delivered_at"] for row in rows if row["delivered_at"]]
        if delivered:
            latency = (max(delivered) - min(row["created_at"] for row in rows)).total_seconds()
            measured.append({"story": pk, "latency": latency, "deliveries": len(rows), "window": [started, ended]})
    return {"stories": measured, "failed": failed}


def publish_batch(stories):
    """Publish the stories in one transaction: the worker gets them all at
    once, as after a busy desk's approvals or an outage."""

    revisions = [ArticlePage.objects.get(pk=pk).latest_revision for pk in stories]
    started = time.time()
    with transaction.atomic():
        for revision in revisions:
            revision.publish()
        committing = time.time()
    rows = _wait(stories, started, batch_timeout(stories))
    ended = time.time()
    delivered = [row["delivered_at"].timestamp() for row in rows if row["delivered_at"]]
    return {
        "deliveries": len(rows),
        "seconds": (max(delivered) - committing) if delivered else ended - committing,
        "failed": _failures(rows),
        "window": [started, ended],
    }


def driver():
    """Answer the runner's commands until its pipe closes."""

    # Refusal reasons go into the (English) results.
    translation.activate("en")

    # Whatever this process sends goes to the bench worker's queue, never
    # to a queue some other worker on the same Redis reads.
    app.conf.task_default_queue = settings.PUBLISHING_QUEUE
    commands = {"prepare": prepare, "add_drafts": add_drafts, "publish_each": publish_each, "publish_batch": publish_batch}
    for line in sys.stdin:
        request = json.loads(line)
        try:
            answer = commands[request.pop("command")](**request)
        except Exception as error:  # reported to the runner, which stops the run
            answer = {"error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(answer, default=str) + "\n")
        sys.stdout.flush()
