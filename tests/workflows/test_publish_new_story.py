"""Publishing a story that never went live, straight from the editor, by
someone allowed to publish: with the unit's "review edits" rule on or off it
is a first publication (live, logged, announced), or a scheduled one (not
live until its time) — never "no permission" with the story left public.
The rule is about edits to published stories; a new story has none."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from newsroom.models import ArticlePage
from publishing.models import StoryEvent
from tests.workflows.test_role_matrix import World
from workflows.models import Role

pytestmark = pytest.mark.django_db

TITLE = "Tin mới của phóng viên"


@pytest.fixture
def editor_in_chief(newsroom, staff, client):
    return World(newsroom, staff, client, "eic")


def create(world, **extra):
    url = reverse("wagtailadmin_pages:add", args=["newsroom", "articlepage", world.section.pk])
    return world.client.post(url, world.article_data(**extra))


@pytest.mark.parametrize("review_rule", [True, False], ids=["review-rule-on", "review-rule-off"])
def test_a_new_story_published_at_once_goes_live_with_its_record(editor_in_chief, client, review_rule):
    unit = editor_in_chief.unit
    unit.review_published_edits = review_rule
    unit.save()

    response = create(editor_in_chief, **{"action-publish": "publish"})
    assert response.status_code == 302, response.content.decode()[-1500:]
    story = ArticlePage.objects.get(title=TITLE)
    assert story.live and story.first_published_at and story.live_revision_id
    assert PageLogEntry.objects.filter(page=story, action="wagtail.publish").exists()
    assert StoryEvent.objects.filter(story=story).exists()
    client.logout()
    assert client.get(story.url, HTTP_HOST=unit.site.hostname).status_code == 200


@pytest.mark.parametrize("review_rule", [True, False], ids=["review-rule-on", "review-rule-off"])
def test_a_new_story_scheduled_stays_out_of_sight_until_its_time(editor_in_chief, client, review_rule):
    unit = editor_in_chief.unit
    unit.review_published_edits = review_rule
    unit.save()
    go_live = timezone.localtime() + timedelta(days=2)

    response = create(editor_in_chief, go_live_at=go_live.strftime("%Y-%m-%d %H:%M"), **{"action-publish": "publish"})
    assert response.status_code == 302, response.content.decode()[-1500:]
    story = ArticlePage.objects.get(title=TITLE)
    assert not story.live and story.first_published_at is None
    assert story.scheduled_revision is not None
    assert not StoryEvent.objects.filter(story=story).exists()
    client.logout()
    assert client.get(story.url or f"/kinh-te/{story.slug}/", HTTP_HOST=unit.site.hostname).status_code == 404
    assert TITLE not in client.get("/rss/", HTTP_HOST=unit.site.hostname).content.decode()


def test_a_reporter_who_presses_publish_leaves_a_draft(newsroom, staff, client):
    reporter = World(newsroom, staff, client, "rep")
    assert reporter.actor == staff[Role.REPORTER]
    create(reporter, **{"action-publish": "publish"})
    story = ArticlePage.objects.get(title=TITLE)
    assert not story.live and story.first_published_at is None
