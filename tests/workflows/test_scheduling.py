"""Go-live, expiry and embargo ends from Celery beat, every minute: the
approved story waits for its time, the task publishes it (once, with one
domain event) and unpublishes expired ones."""

from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.utils import timezone
from wagtail.models import PageLogEntry

from hoitu.celery import app
from newsroom.models import ArticlePage
from tests.helpers import host, path, story_draft
from tests.workflows.test_core import approve_current
from workflows import events
from workflows.models import PublicationRecord, Role
from workflows.tasks import publish_scheduled

pytestmark = pytest.mark.django_db


@contextmanager
def later(**delta):
    """The clock moved on (the task, Wagtail's command and the embargo
    checks all read django.utils.timezone.now)."""
    moment = timezone.now() + timedelta(**delta)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield moment


@pytest.fixture
def published():
    seen = []
    events.story_published.connect(lambda sender, **kw: seen.append(kw["story"].pk), weak=False, dispatch_uid="test-sched-pub")
    yield seen
    events.story_published.disconnect(dispatch_uid="test-sched-pub")


def approved(newsroom, staff, **fields):
    """A reporter's story, with the given times, through every step."""
    story = story_draft(newsroom.finance.economy, staff[Role.REPORTER], title="Lãi suất điều hành giữ nguyên")
    for name, value in fields.items():
        setattr(story, name, value)
    story.full_clean()
    story.save_revision(user=staff[Role.REPORTER])
    story.get_workflow().start(story, staff[Role.REPORTER])
    for role in (Role.DESK_EDITOR, Role.MANAGING_EDITOR, Role.EDITOR_IN_CHIEF):
        approve_current(story, staff[role])
    return ArticlePage.objects.get(pk=story.pk)


def test_beat_runs_the_task_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["publish-scheduled"]
    assert entry["task"] == "workflows.tasks.publish_scheduled"
    assert entry["schedule"] == 60.0
    assert app.conf.beat_schedule["publish-scheduled"]["schedule"] == 60.0
    assert publish_scheduled.name in app.tasks


def test_an_approved_story_waits_for_its_go_live_time(client, newsroom, staff, published):
    go_live = timezone.now() + timedelta(minutes=1)
    story = approved(newsroom, staff, go_live_at=go_live)
    assert not story.live and story.scheduled_revision is not None
    assert PageLogEntry.objects.filter(page=story, action="wagtail.publish.schedule").exists()
    publish_scheduled()  # too early: nothing happens
    assert not ArticlePage.objects.get(pk=story.pk).live
    assert published == []

    with later(minutes=1, seconds=5):
        publish_scheduled.apply()
        publish_scheduled()  # the next minute's run changes nothing
    story = ArticlePage.objects.get(pk=story.pk)
    assert story.live
    assert published == [story.pk]
    assert PublicationRecord.objects.get(page=story).last_event == "published"
    assert PageLogEntry.objects.filter(page=story, action="wagtail.publish.scheduled").count() == 1
    assert client.get(path(story), **host(newsroom.finance.unit)).status_code == 200


def test_a_go_live_time_already_past_publishes_at_approval(newsroom, staff, published):
    story = approved(newsroom, staff, go_live_at=timezone.now() - timedelta(minutes=1))
    assert story.live and published == [story.pk]


def test_expiry_unpublishes(client, newsroom, staff):
    story = newsroom.finance.rail
    address = path(story)
    ArticlePage.objects.filter(pk=story.pk).update(expire_at=timezone.now() + timedelta(minutes=1))
    publish_scheduled()
    assert ArticlePage.objects.get(pk=story.pk).live
    with later(minutes=2):
        publish_scheduled()
    story = ArticlePage.objects.get(pk=story.pk)
    assert not story.live and story.expired
    assert PageLogEntry.objects.filter(page=story, action="wagtail.unpublish.scheduled").exists()
    client.logout()
    assert client.get(address, **host(newsroom.finance.unit)).status_code == 404


def test_the_embargo_end_publishes(client, newsroom, staff, published):
    embargo = timezone.now() + timedelta(hours=2)
    story = approved(newsroom, staff, embargo_until=embargo)
    assert abs(story.go_live_at - embargo) < timedelta(seconds=1)  # ArticlePage.clean moved it
    assert not story.live and story.scheduled_revision is not None
    with later(hours=1):
        publish_scheduled()
    assert not ArticlePage.objects.get(pk=story.pk).live
    with later(hours=2, minutes=1) as moment:
        publish_scheduled()
        story = ArticlePage.objects.get(pk=story.pk)
        assert story.live and not story.is_embargoed(moment)
    assert published == [story.pk]
