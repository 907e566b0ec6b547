"""What the five social adapters share: the channel admin can set each one
up (its credentials and settings are the ones the platform needs), their
limits are what the editor's counters show, and one story reaches all five
platforms once and leaves all five on a takedown."""

import pytest
from django.utils.functional import Promise

from demo.fakes import channel_setup
from publishing.adapters import registry
from publishing.adapters.base import Limit
from publishing.models import DeliveryState
from tests.publishing.conftest import make_channel
from tests.publishing.social import deliver, make_video, newsroom_with_channel, publish_story, take_down, video_body

SOCIAL = ("zalo", "facebook", "telegram", "x", "youtube")
S = DeliveryState


@pytest.mark.parametrize("kind", SOCIAL)
def test_each_adapter_says_what_its_channel_needs(kind):
    adapter = registry.get(kind)
    assert adapter.kind == kind
    assert isinstance(adapter.label, Promise)  # translated in the admin
    assert adapter.default_base_url.startswith("https://")
    setup = channel_setup(kind)
    credential_names = [spec[0] for spec in adapter.credential_fields]
    config_names = [spec[0] for spec in adapter.config_fields]
    # What the fake platform needs is what the admin form asks for: all it
    # requires, and only optional ones besides.
    assert set(setup["credentials"]) <= set(credential_names)
    assert set(credential_names) - set(adapter.optional_credentials) <= set(setup["credentials"])
    assert set(adapter.optional_credentials) <= set(credential_names)
    assert set(setup["config"]) <= set(config_names)
    for spec in adapter.credential_fields + adapter.config_fields:
        assert isinstance(spec[1], Promise), spec
    assert adapter.limits and all(isinstance(limit, Limit) and limit.max > 0 and isinstance(limit.label, Promise) for limit in adapter.limits)


def test_platform_limits_are_the_documented_ones():
    limits = {kind: {(limit.field, limit.max) for limit in registry.get(kind).limits} for kind in SOCIAL}
    assert limits["zalo"] == {("headline", 150), ("text", 300)}
    assert limits["telegram"] == {("text", 1024), ("text", 4096)}
    assert limits["x"] == {("text", 280)}
    assert limits["youtube"] == {("headline", 100), ("text", 5000)}
    assert callable(registry.get("x").count)  # X's counter weighs characters
    assert registry.get("x").count("Đọc https://taichinh.vn/bai-rat-dai-ve-duong-sat-toc-do-cao/") == 3 + 1 + 1 + 23  # Đ=1, ọ=2, c=1


@pytest.mark.django_db
def test_one_story_reaches_every_platform_once_and_leaves_them_all(fake_platforms):
    newsroom = newsroom_with_channel("telegram", fake_platforms)
    channels = [newsroom.channel] + [make_channel(newsroom.unit, kind, fake_platforms, rate_limit_per_minute=0) for kind in SOCIAL if kind != "telegram"]
    video, _content = make_video(size=300 * 1024)
    story = publish_story(newsroom, body=video_body(video))

    for channel in channels:
        delivery = deliver(story, channel)
        assert delivery.state == S.DELIVERED, (channel.kind, delivery.error)
        assert delivery.remote_id
    for kind in SOCIAL:
        assert len(fake_platforms.live_posts(kind)) == 1, kind

    take_down(story, newsroom)
    for channel in channels:
        assert deliver(story, channel).state == S.REMOVED, channel.kind
    for kind in SOCIAL:
        assert fake_platforms.live_posts(kind) == {}, kind
        assert len(fake_platforms.posts[kind]) == 1, kind  # each created once
