"""The outbox: deliveries are written in the publication's own transaction
(and rolled back with it), for the channels that take the story, and a
broker outage at that moment delays them without losing them."""

import pytest
from django.db import transaction

from publishing import services
from publishing.models import ChannelCopy, Delivery, DeliveryState, StoryEvent
from tests.publishing.conftest import make_channel
from tests.publishing.worker import build_desk, celery_broker, drain, free_port, publish_story, republish

S = DeliveryState


@pytest.fixture
def desk(db):
    return build_desk()


def test_deliveries_and_the_change_log_roll_back_with_the_publication(desk, fake_platforms):
    make_channel(desk.unit, "telegram", fake_platforms)

    class EditorChangedTheirMind(Exception):
        pass

    with pytest.raises(EditorChangedTheirMind):
        with transaction.atomic():
            story = publish_story(desk.economy)
            assert Delivery.objects.filter(story=story).count() == 1  # written inside the transaction
            raise EditorChangedTheirMind

    assert not Delivery.objects.exists()
    assert not StoryEvent.objects.exists()
    drain()
    assert fake_platforms.requests == []


def test_the_task_is_queued_only_after_the_commit(desk, fake_platforms, django_capture_on_commit_callbacks):
    make_channel(desk.unit, "telegram", fake_platforms)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        story = publish_story(desk.economy)
    delivery = Delivery.objects.get(story=story)
    assert delivery.enqueued_at is None  # nothing sent to the broker inside the transaction
    for callback in callbacks:
        callback()
    delivery.refresh_from_db()
    assert delivery.enqueued_at is not None
    event = StoryEvent.objects.get(story=story)
    assert (event.event, event.unit, event.section_id) == ("published", desk.unit, desk.economy.pk)


def test_which_channels_take_a_story(desk, fake_platforms):
    every_story = make_channel(desk.unit, "telegram", fake_platforms, name="Mọi bài")
    economy_only = make_channel(desk.unit, "telegram", fake_platforms, name="Chỉ Kinh tế")
    economy_only.sections.add(desk.economy)
    chosen_only = make_channel(desk.unit, "facebook", fake_platforms, name="Chỉ bài được chọn", auto_publish=False)
    switched_off = make_channel(desk.unit, "telegram", fake_platforms, name="Đã tắt", enabled=False)

    sport = publish_story(desk.sport, title="Bóng đá: đội tuyển thắng")
    assert set(Delivery.objects.filter(story=sport).values_list("channel", flat=True)) == {every_story.pk}

    # Chosen in the story's Channels tab before it is published.
    economy = publish_story(desk.economy, title="Lãi suất giảm", publish=False)
    draft = economy.get_latest_revision_as_object()
    draft.channel_copies.add(ChannelCopy(channel=chosen_only, include=ChannelCopy.Include.ALWAYS))
    draft.channel_copies.add(ChannelCopy(channel=every_story, include=ChannelCopy.Include.NEVER))
    draft.save_revision().publish()
    channels = set(Delivery.objects.filter(story=economy).values_list("channel", flat=True))
    assert channels == {economy_only.pk, chosen_only.pk}
    assert switched_off.pk not in channels


def test_unticking_a_channel_removes_the_post_it_has(desk, fake_platforms):
    channel = make_channel(desk.unit, "telegram", fake_platforms)
    story = publish_story(desk.economy)
    drain()
    assert len(fake_platforms.live_posts("telegram")) == 1

    draft = story.get_latest_revision_as_object()
    draft.channel_copies.add(ChannelCopy(channel=channel, include=ChannelCopy.Include.NEVER))
    draft.save_revision().publish()
    drain()

    delivery = Delivery.objects.get(story=story, channel=channel)
    assert delivery.state == S.REMOVED
    assert fake_platforms.live_posts("telegram") == {}


def test_a_story_moved_to_another_section_follows_the_channels_sections(desk, fake_platforms):
    every_story = make_channel(desk.unit, "telegram", fake_platforms, name="Mọi bài")
    economy_only = make_channel(desk.unit, "telegram", fake_platforms, name="Chỉ Kinh tế")
    economy_only.sections.add(desk.economy)
    story = publish_story(desk.economy, title="Giải chạy vì ngân sách xanh")
    drain()
    assert len(fake_platforms.live_posts("telegram")) == 2

    story.move(desk.sport, pos="last-child")
    drain()

    # The economy channel takes the post down; the other edits it to the
    # story's new address.
    assert Delivery.objects.get(story=story, channel=economy_only).state == S.REMOVED
    kept = Delivery.objects.get(story=story, channel=every_story)
    assert kept.state == S.DELIVERED and kept.event == "updated"
    [post] = fake_platforms.live_posts("telegram").values()
    assert "/the-thao/giai-chay-vi-ngan-sach-xanh/" in str(post)
    events = StoryEvent.objects.filter(story=story).order_by("id").values_list("event", "section_id")
    assert list(events) == [("published", desk.economy.pk), ("moved", desk.economy.pk), ("updated", desk.sport.pk)]


def test_each_event_is_logged_for_partners(desk, fake_platforms):
    make_channel(desk.unit, "telegram", fake_platforms)
    story = publish_story(desk.economy)
    republish(story, title="Cập nhật")
    republish(story, correction="Sửa số liệu.")
    assert list(StoryEvent.objects.filter(story=story).order_by("id").values_list("event", flat=True)) == ["published", "updated", "corrected"]


def test_a_broker_outage_delays_deliveries_without_losing_them(desk, fake_platforms, django_capture_on_commit_callbacks, caplog):
    make_channel(desk.unit, "telegram", fake_platforms)
    make_channel(desk.unit, "facebook", fake_platforms)
    closed = f"redis://127.0.0.1:{free_port()}/0"
    with celery_broker(closed):
        with django_capture_on_commit_callbacks(execute=True):
            story = publish_story(desk.economy)  # the publication itself succeeds

    deliveries = Delivery.objects.filter(story=story)
    assert deliveries.count() == 2
    assert {(d.state, d.enqueued_at) for d in deliveries} == {(S.PENDING, None)}
    assert "broker unavailable" in caplog.text and "left for the sweeper" in caplog.text

    swept = services.sweep()  # the broker is back (the test's in-memory one)
    assert sorted(swept) == sorted(deliveries.values_list("pk", flat=True))
    assert all(d.enqueued_at for d in Delivery.objects.filter(story=story))
    drain()
    assert {d.state for d in Delivery.objects.filter(story=story)} == {S.DELIVERED}
