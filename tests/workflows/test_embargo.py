"""Embargo: shown to editors, kept from readers (story page, listings,
feeds, sitemaps, search) and from channels until it ends, even when
something publishes the story early."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from newsroom.models import ArticlePage
from tests.helpers import host, make_article, path, story_draft
from tests.workflows.test_scheduling import later
from workflows import events
from workflows.models import PublicationRecord, Role
from workflows.services import release_embargoes
from workflows.tasks import publish_scheduled

pytestmark = pytest.mark.django_db

TITLE = "Số liệu GDP quý III vượt dự báo"


@pytest.fixture
def published():
    seen = []
    events.story_published.connect(lambda sender, **kw: seen.append(kw["story"].pk), weak=False, dispatch_uid="test-embargo-pub")
    yield seen
    events.story_published.disconnect(dispatch_uid="test-embargo-pub")


@pytest.fixture
def early(newsroom, published):
    """Made live while its embargo runs, by a path that skips the editor's
    validation (which would have scheduled it for the embargo's end)."""
    story = make_article(
        newsroom.finance.economy, title=TITLE, tags=["gdp"], embargo_until=timezone.now() + timedelta(hours=2), publish=False
    )
    story.go_live_at = None  # what a path skipping ArticlePage.clean leaves
    story.save_revision(clean=False).publish()
    story.refresh_from_db()
    assert story.live and story.is_embargoed()
    return story


def listed_urls(newsroom):
    economy = path(newsroom.finance.economy)
    return ["/", economy, "/rss/", "/atom/", economy + "rss/", "/search/?q=gdp", "/tag/gdp/", "/sitemap.xml", "/sitemap-news.xml"]


def test_the_editor_shows_the_embargo(client, newsroom, staff):
    story = story_draft(newsroom.finance.economy, staff[Role.REPORTER], title=TITLE)
    story.embargo_until = timezone.now() + timedelta(hours=3)
    story.save_revision(user=staff[Role.REPORTER])
    client.force_login(staff[Role.DESK_EDITOR])
    page = client.get(reverse("wagtailadmin_pages:edit", args=[story.pk])).content.decode()
    notice = "bạn đọc và các kênh không nhận được nội dung nào của bài"
    assert notice in page
    # Not for a story without one.
    page = client.get(reverse("wagtailadmin_pages:edit", args=[newsroom.finance.rail.pk])).content.decode()
    assert notice not in page


def test_an_early_publication_reaches_no_reader(client, newsroom, early):
    unit = newsroom.finance.unit
    address = path(early)
    assert client.get(address, **host(unit)).status_code == 404
    for url in listed_urls(newsroom):
        assert address not in client.get(url, **host(unit)).content.decode(), url


def test_an_early_publication_is_announced_when_the_embargo_ends(client, newsroom, early, published):
    unit = newsroom.finance.unit
    assert published == []
    assert PublicationRecord.objects.get(page=early).last_event == "held:published"
    assert release_embargoes() == []  # still under embargo
    with later(hours=2, minutes=1):
        assert release_embargoes() == ["published"]
        assert release_embargoes() == []  # announced once
        assert client.get(path(early), **host(unit)).status_code == 200
    assert published == [early.pk]


def test_the_scheduled_task_releases_embargoes(newsroom, early, published):
    with later(hours=2, minutes=1):
        publish_scheduled()
    assert published == [early.pk]


def test_an_embargo_ending_replaces_the_cached_404(client, newsroom, early, settings):
    settings.PAGE_CACHE_SECONDS = 600
    unit = newsroom.finance.unit
    client.get(path(early), **host(unit))
    assert client.get(path(early), **host(unit))["X-Cache"] == "HIT"
    with later(hours=2, minutes=1):
        release_embargoes()
        assert client.get(path(early), **host(unit)).status_code == 200


def test_an_update_under_a_new_embargo_is_held_too(newsroom, staff, published):
    """A published story given an embargo and republished by a path that
    skips validation: the update is announced only when it ends."""
    updated = []
    events.story_updated.connect(lambda sender, **kw: updated.append(kw["story"].pk), weak=False, dispatch_uid="test-embargo-upd")
    try:
        story = newsroom.finance.rail
        story.save_revision().publish()  # a first, ordinary update
        story.embargo_until = timezone.now() + timedelta(hours=1)
        story.save_revision(clean=False).publish()
        assert updated == [story.pk]
        assert PublicationRecord.objects.get(page=story).last_event == "held"
        with later(hours=1, minutes=1):
            release_embargoes()
        assert updated == [story.pk, story.pk]
    finally:
        events.story_updated.disconnect(dispatch_uid="test-embargo-upd")
    assert published == []


def test_an_approved_embargoed_story_is_scheduled_not_announced(newsroom, staff, published):
    story = story_draft(newsroom.finance.economy, staff[Role.EDITOR_IN_CHIEF], title=TITLE)
    story.embargo_until = timezone.now() + timedelta(hours=2)
    story.full_clean()
    story.save_revision(user=staff[Role.EDITOR_IN_CHIEF]).publish()
    assert not ArticlePage.objects.get(pk=story.pk).live
    assert published == []
    assert not PublicationRecord.objects.filter(page=story).exists()
