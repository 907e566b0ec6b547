"""The demo units' publishing: a channel of every platform Hội Tụ speaks,
each pointed at the local fake platform server that `make run` starts
(``manage.py fakeplatforms``, port FAKE_PLATFORMS_PORT, default 8025), a
few newsletter subscribers, and a content-API partner with a known token.

Stories published while seeding went out before the channels existed, so
each live story gets its deliveries here; the worker sends them once
`make run` is up (they are queued when the seeding commits, and the
sweeper queues any message that was lost).

Every kind in the registry gets a channel (``registry.available()``).
Seeding again creates nothing new and leaves people's changes alone, except
that channels still aimed at a local fake follow FAKE_PLATFORMS_PORT and the
partner's token follows DEMO_PARTNER_TOKEN.
"""

import os
from dataclasses import dataclass

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from modelcluster.models import get_serializable_data_for_fields

from demo.fakes import channel_setup
from newsroom.models import ArticleFormat, ArticlePage
from publishing import services
from publishing.adapters import registry
from publishing.models import (
    Channel,
    ChannelCopy,
    Delivery,
    DeliveryState,
    Partner,
    Subscriber,
)
from publishing.models.partners import hash_token

DEFAULT_FAKE_PLATFORMS_PORT = 8025
DEFAULT_PARTNER_TOKEN = "hoitu-demo-partner"
PARTNER_NAME = "Cổng tin đối tác (dữ liệu mẫu)"
# Posts per minute: the fake platforms have no limit, and the demo's
# backlog of published stories should not wait on a limit of our own.
DEMO_RATE_LIMIT = 120
FAKE_HOST = "127.0.0.1"


@dataclass(frozen=True)
class DemoChannel:
    kind: str
    name: str  # "{unit}" is the unit's name
    auto_publish: bool = True
    config: dict = None  # on top of the fake's set-up


CHANNELS = (
    DemoChannel("zalo", "Zalo OA {unit}"),
    DemoChannel("facebook", "Fanpage {unit}"),
    DemoChannel("telegram", "Kênh Telegram {unit}"),
    # X has no edit: a correction replaces the post.
    DemoChannel("x", "X (Twitter) {unit}", config={"replace_on_update": True}),
    # Only the stories an editor sends there (video stories, below).
    DemoChannel("youtube", "YouTube {unit}", auto_publish=False),
    DemoChannel("wordpress", "Trang đối tác (WordPress) – {unit}"),
    DemoChannel("webhook", "Webhook ký số cho đối tác – {unit}"),
    DemoChannel("newsletter", "Bản tin e-mail {unit}"),
)

SUBSCRIBERS = ("ban-doc-1", "ban-doc-2", "ban-doc-3")


def fake_platforms_port():
    value = os.environ.get("FAKE_PLATFORMS_PORT") or str(DEFAULT_FAKE_PLATFORMS_PORT)
    try:
        port = int(value)
    except ValueError:
        port = 0
    if not 0 < port < 65536:
        raise CommandError(_("FAKE_PLATFORMS_PORT must be a TCP port number, not %(value)r.") % {"value": value})
    return port


def partner_token():
    return os.environ.get("DEMO_PARTNER_TOKEN") or DEFAULT_PARTNER_TOKEN


def fake_base_url(kind, port):
    return f"http://{FAKE_HOST}:{port}/{kind}"


def _setup(kind):
    try:
        return channel_setup(kind)
    except ImportError:  # a platform without a fake (e-mail goes through Django's backend)
        return {"credentials": {}, "config": {}}


def seed(units, log, port=None):
    """Channels for each (unit, home page), deliveries for their live
    stories, subscribers and the partner. Returns the number of deliveries
    created."""
    port = port or fake_platforms_port()
    kinds = {adapter.kind for adapter in registry.available()}
    created = existing = 0
    queued = []
    for unit, home in units:
        channels = []
        for spec in CHANNELS:
            if spec.kind not in kinds:
                continue
            channel, made = _channel(unit, spec, port)
            created += made
            existing += not made
            channels.append(channel)
        if any(channel.kind == "newsletter" for channel in channels):
            _subscribers(unit)
        queued += _deliveries(unit, home, channels)
    partner, made = _partner([unit for unit, _home in units])
    missing = sorted({spec.kind for spec in CHANNELS} - kinds)
    log(_("Channels: %(created)d created, %(existing)d already there, on the fake platforms at http://%(host)s:%(port)d")
        % {"created": created, "existing": existing, "host": FAKE_HOST, "port": port})
    if missing:
        log(_("  not yet available: %(kinds)s") % {"kinds": ", ".join(missing)})
    log(_("  deliveries queued for published stories: %(count)d") % {"count": len(queued)})
    log(_("Content API partner %(name)s: %(state)s, token %(token)s")
        % {"name": partner.name, "state": _("created") if made else _("exists"), "token": partner_token()})
    # Sent when the seeding commits; the sweeper covers a lost message.
    services.enqueue_on_commit(queued)
    return len(queued)


def _channel(unit, spec, port):
    channel = Channel.objects.filter(unit=unit, kind=spec.kind, name=spec.name.format(unit=unit.name)).first()
    url = fake_base_url(spec.kind, port)
    if channel is not None:
        # Still aimed at a local fake (nobody pointed it elsewhere): follow the port.
        if channel.base_url != url and channel.base_url.startswith(f"http://{FAKE_HOST}:"):
            channel.base_url = url
            channel.save(update_fields=["base_url", "updated_at"])
        return channel, False
    setup = _setup(spec.kind)
    channel = Channel(
        unit=unit,
        kind=spec.kind,
        name=spec.name.format(unit=unit.name),
        auto_publish=spec.auto_publish,
        base_url=url,
        config={**setup["config"], **(spec.config or {})},
        rate_limit_per_minute=DEMO_RATE_LIMIT,
    )
    channel.credentials = setup["credentials"]
    channel.save()
    return channel, True


def _deliveries(unit, home, channels):
    """One delivery per (live story, channel that takes it) that has none:
    what publishing the story would have written had the channel existed."""
    if not channels:
        return []
    by_pk = {channel.pk: channel for channel in channels}
    have = set(Delivery.objects.filter(channel__in=channels).values_list("story_id", "channel_id"))
    youtube = [channel for channel in channels if channel.kind == "youtube"]
    new = []
    for story in ArticlePage.objects.descendant_of(home).live().defer_streamfields().order_by("first_published_at", "pk"):
        if story.is_embargoed():
            continue
        wanted = [channel for channel in services.channels_for(story, unit) if channel.pk in by_pk]
        if story.format == ArticleFormat.VIDEO:
            wanted += [channel for channel in youtube if channel not in wanted]
        new += [Delivery(story=story, channel=channel, event="published", state=DeliveryState.PENDING)
                for channel in wanted if (story.pk, channel.pk) not in have]  # fmt: skip
    made = Delivery.objects.bulk_create(new)
    for delivery in made:
        if delivery.channel.kind == "youtube":
            _send_always(delivery.story, delivery.channel)
    batched = {adapter.kind for adapter in registry.available() if adapter.batched}
    return [delivery.pk for delivery in made if delivery.channel.kind not in batched]


def _send_always(story, channel):
    """What an editor does for a video story: "Send to this channel" in the
    Channels tab, saved in the story's revisions too, so a correction
    published later keeps the story on YouTube instead of removing it."""
    copy, _created = ChannelCopy.objects.get_or_create(story=story, channel=channel, defaults={"include": ChannelCopy.Include.ALWAYS})
    data = get_serializable_data_for_fields(copy)
    for revision in {r for r in (story.latest_revision, story.live_revision) if r is not None}:
        copies = [c for c in revision.content.get("channel_copies", []) if c.get("channel") != channel.pk]
        revision.content = {**revision.content, "channel_copies": [*copies, data]}
        revision.save(update_fields=["content"])


def _subscribers(unit):
    domain = unit.email.rpartition("@")[2] or "hoitu.example"
    for local in SUBSCRIBERS:
        subscriber, _created = Subscriber.objects.get_or_create(unit=unit, email=f"{local}@{domain}")
        if subscriber.confirmed_at is None and subscriber.unsubscribed_at is None:
            subscriber.confirmed_at = subscriber.created_at
            subscriber.save(update_fields=["confirmed_at"])


def _partner(units):
    partner = Partner.objects.filter(name=PARTNER_NAME).first()
    token = partner_token()
    made = partner is None
    if made:
        partner = Partner(name=PARTNER_NAME, contact="doitac@hoitu.example")
    if partner.token_hash != hash_token(token):
        partner.token_hash, partner.token_prefix = hash_token(token), token[:12]
        partner.save()
    if made:
        partner.units.set(units)
    return partner, made
