"""Gỡ bài through the admin: who sees the action, the mandatory reason,
what readers get afterwards (410 everywhere the story was listed), the
record, the notifications, the event, and republishing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from newsroom.models import ArticlePage
from tests.helpers import host, make_article, make_author, path, refused, story_draft
from tests.workflows.test_core import approve_current
from workflows import events
from workflows.models import Notification, NotificationKind, Role, Takedown

pytestmark = pytest.mark.django_db

REASON = "Vi phạm bản quyền ảnh"


def take_down_url(story):
    return reverse("hoitu_story_take_down", args=[story.pk])


@pytest.fixture
def story(newsroom, staff):
    """A live story whose byline belongs to the finance reporter."""
    author = make_author("Lê Văn Cường", user=staff[Role.REPORTER])
    return make_article(newsroom.finance.economy, title="Giá xăng giảm lần thứ ba", authors=[author], tags=["xăng dầu"])


@pytest.fixture
def taken_down(story):
    seen = []
    events.story_taken_down.connect(lambda sender, **kw: seen.append(kw), weak=False, dispatch_uid="test-takedown")
    yield seen
    events.story_taken_down.disconnect(dispatch_uid="test-takedown")


def public(client, unit, url):
    client.logout()
    return client.get(url, **host(unit))


@pytest.mark.parametrize("role", [Role.EDITOR_IN_CHIEF, Role.DEPUTY_EDITOR])
def test_publishers_see_take_down_in_the_header_and_listing(client, staff, story, newsroom, role):
    client.force_login(staff[role])
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[story.pk]))
    assert edit.status_code == 200
    assert take_down_url(story) in edit.content.decode()
    listing = client.get(reverse("wagtailadmin_explore", args=[newsroom.finance.economy.pk]))
    assert take_down_url(story) in listing.content.decode()


@pytest.mark.parametrize("role", [Role.REPORTER, Role.DESK_EDITOR, Role.MANAGING_EDITOR, Role.SECTION_HEAD, Role.DISTRIBUTION])
def test_others_neither_see_nor_reach_take_down(client, staff, story, newsroom, role):
    client.force_login(staff[role])
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[story.pk]))
    assert take_down_url(story) not in edit.content.decode()
    listing = client.get(reverse("wagtailadmin_explore", args=[newsroom.finance.economy.pk]))
    assert take_down_url(story) not in listing.content.decode()
    assert refused(client.get(take_down_url(story)))
    assert refused(client.post(take_down_url(story), {"reason": REASON}))
    story.refresh_from_db()
    assert story.live


def test_another_units_publisher_cannot_take_down(client, staff, story):
    client.force_login(staff["other_unit_editor_in_chief"])
    assert refused(client.get(take_down_url(story)))
    assert refused(client.post(take_down_url(story), {"reason": REASON}))
    story.refresh_from_db()
    assert story.live and not Takedown.objects.exists()


def test_the_reason_is_mandatory(client, staff, story, taken_down):
    client.force_login(staff[Role.EDITOR_IN_CHIEF])
    form = client.get(take_down_url(story))
    assert form.status_code == 200 and 'name="reason"' in form.content.decode()
    response = client.post(take_down_url(story), {"reason": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    story.refresh_from_db()
    assert story.live and taken_down == []


def test_taking_down_removes_the_story_everywhere(client, staff, story, newsroom, taken_down):
    unit = newsroom.finance.unit
    address = path(story)
    listed = ["/", path(newsroom.finance.economy), "/rss/", "/atom/", path(newsroom.finance.economy) + "rss/", "/search/?q=gia+xang", "/tag/xang-dau/"]
    # Search results highlight the words of the title, so look for the link.
    for url in listed + ["/sitemap.xml", "/sitemap-news.xml"]:
        assert address in public(client, unit, url).content.decode(), url

    client.force_login(staff[Role.EDITOR_IN_CHIEF])
    response = client.post(take_down_url(story), {"reason": REASON})
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[story.pk])

    gone = public(client, unit, address)
    assert gone.status_code == 410
    assert "This story has been removed" in gone.content.decode() or "đã được gỡ" in gone.content.decode()
    for url in listed + ["/sitemap.xml", "/sitemap-news.xml"]:
        assert address not in public(client, unit, url).content.decode(), url
    # Another unit's address space is untouched.
    assert public(client, newsroom.province.unit, path(newsroom.province.bus)).status_code == 200

    assert len(taken_down) == 1
    assert taken_down[0]["story"].pk == story.pk and taken_down[0]["takedown"].reason == REASON
    assert taken_down[0]["unit"] == unit


def test_takedown_is_recorded_and_authors_are_told(client, staff, story, newsroom):
    client.force_login(staff[Role.EDITOR_IN_CHIEF])
    client.post(take_down_url(story), {"reason": REASON})
    entry = PageLogEntry.objects.get(page=story, action="hoitu.takedown")
    assert entry.user == staff[Role.EDITOR_IN_CHIEF]
    assert entry.data["reason"] == REASON and entry.data["unit"]["slug"] == "taichinh"
    # Wagtail's own unpublish entry is not doubled up with ours.
    assert not PageLogEntry.objects.filter(page=story, action="wagtail.unpublish").exists()
    history = client.get(reverse("wagtailadmin_pages:history", args=[story.pk])).content.decode()
    assert "Taken down" in history or "Gỡ" in history
    assert REASON in history
    # The edit view tells editors what happened.
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[story.pk])).content.decode()
    assert REASON in edit
    note = Notification.objects.get(recipient=staff[Role.REPORTER], kind=NotificationKind.TAKEN_DOWN)
    assert note.comment == REASON and note.page_id == story.pk
    assert not Notification.objects.filter(recipient=staff[Role.EDITOR_IN_CHIEF], kind=NotificationKind.TAKEN_DOWN).exists()


def test_the_410_replaces_a_cached_page(client, staff, story, newsroom, settings):
    settings.PAGE_CACHE_SECONDS = 600
    unit = newsroom.finance.unit
    address = path(story)
    assert public(client, unit, address)["X-Cache"] == "MISS"
    cached = public(client, unit, address)
    assert cached.status_code == 200 and cached["X-Cache"] == "HIT"
    section = path(newsroom.finance.economy)
    assert story.title in public(client, unit, section).content.decode()

    client.force_login(staff[Role.EDITOR_IN_CHIEF])
    client.post(take_down_url(story), {"reason": REASON})
    assert public(client, unit, address).status_code == 410
    assert public(client, unit, address).status_code == 410  # the cached answer, too
    assert story.title not in public(client, unit, section).content.decode()


def test_republishing_lifts_the_takedown_on_the_record(client, staff, story, newsroom):
    unit = newsroom.finance.unit
    published = []
    events.story_published.connect(lambda sender, **kw: published.append(kw["story"].pk), weak=False, dispatch_uid="test-republish")
    try:
        client.force_login(staff[Role.EDITOR_IN_CHIEF])
        client.post(take_down_url(story), {"reason": REASON})
        # The unit reviews edits of published stories: the way back is the
        # workflow, whose last approval publishes.
        story.refresh_from_db()
        story.save_revision(user=staff[Role.REPORTER])
        story.get_workflow().start(story, staff[Role.REPORTER])
        for role in (Role.DESK_EDITOR, Role.MANAGING_EDITOR):
            approve_current(story, staff[role])
        state = story.current_workflow_task_state
        response = client.post(
            reverse("wagtailadmin_pages:workflow_action", args=[story.pk, "approve", state.pk]), {"comment": "Đăng lại"}
        )
        assert response.status_code == 302
    finally:
        events.story_published.disconnect(dispatch_uid="test-republish")
    assert published == [story.pk]  # announced again: channels removed it
    assert Takedown.objects.get(page=story).lifted_at is not None
    lifted = PageLogEntry.objects.get(page=story, action="hoitu.takedown_lifted")
    assert lifted.data["reasons"] == [REASON] and lifted.user == staff[Role.EDITOR_IN_CHIEF]
    assert public(client, unit, path(story)).status_code == 200


def test_taking_down_cancels_what_would_bring_the_story_back(client, staff, story):
    """A scheduled revision and a review under way (say, a correction)
    would otherwise republish the story by themselves."""
    editor = staff[Role.EDITOR_IN_CHIEF]
    story.go_live_at = timezone.now() + timedelta(hours=1)
    story.save_revision(user=editor).publish()
    story.refresh_from_db()
    assert story.scheduled_revision is not None
    draft = story_draft(story.get_parent(), staff[Role.REPORTER], title="Bài đang duyệt")
    draft.get_latest_revision().publish()
    draft.refresh_from_db()
    draft.save_revision(user=staff[Role.REPORTER])
    draft.get_workflow().start(draft, staff[Role.REPORTER])

    client.force_login(editor)
    edited = reverse("wagtailadmin_pages:edit", args=[story.pk])
    assert client.post(take_down_url(story), {"reason": REASON})["Location"] == edited
    assert client.post(take_down_url(draft), {"reason": REASON})["Location"] == reverse("wagtailadmin_pages:edit", args=[draft.pk])
    story, draft = ArticlePage.objects.get(pk=story.pk), ArticlePage.objects.get(pk=draft.pk)
    assert story.scheduled_revision is None
    assert draft.current_workflow_state is None
    assert not ArticlePage.objects.filter(pk__in=[story.pk, draft.pk], live=True).exists()


def test_a_story_off_the_site_cannot_be_taken_down(client, staff, newsroom):
    draft = story_draft(newsroom.finance.economy, staff[Role.REPORTER])
    client.force_login(staff[Role.EDITOR_IN_CHIEF])
    response = client.post(take_down_url(draft), {"reason": REASON})
    assert response.status_code == 302
    assert not Takedown.objects.exists()
