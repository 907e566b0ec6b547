"""Every way a story can be published from the admin — the create view,
the edit view, the explorer's bulk action, the admin API's action and a
go-live time — by every role of the finance unit and the other unit's
editor-in-chief, with the unit's "review edits" rule on and off, on a
story that never went live and on a live one with a pending edit.

Who may: the editor-in-chief's office, on a new story always, on a live
story only while the rule is off (with it on, an edit goes through the
workflow, whose last approval publishes). What a refusal must leave: the
story exactly as it was for readers, no publish record, no story event
(nothing sent to channels), no go-live time."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from newsroom.models import ArticlePage
from publishing.models import StoryEvent
from tests.helpers import host, path
from tests.workflows.test_role_matrix import COLUMNS, World
from workflows.models import Role

# Permission logic alone (no database feature): walked once, on SQLite.
pytestmark = [pytest.mark.django_db, pytest.mark.once]

NEW_TITLE = "Tin mới của phóng viên"
EDITED_TITLE = "Tiêu đề đã sửa chờ xuất bản"
PUBLISHERS = {Role.EDITOR_IN_CHIEF, Role.DEPUTY_EDITOR}
PATHS = {"create": ["new"], "edit": ["draft", "live"], "bulk": ["draft", "live"], "api": ["draft", "live"], "schedule": ["draft", "live"]}
COLUMN_IDS = [column for column in COLUMNS if column != "sh-out"]


def _cases():
    for route, targets in PATHS.items():
        for target in targets:
            for column in COLUMN_IDS:
                for rule in (True, False):
                    yield pytest.param(route, target, column, rule, id=f"{route}-{target}-{column}-{'rule' if rule else 'norule'}")


def allowed(target, column, rule):
    if COLUMNS[column] not in PUBLISHERS:
        return False
    return target != "live" or not rule


def prepare(world, target):
    """The story acted on, with what it holds before."""
    if target == "new":
        return None
    if target == "draft":
        return world.draft_of(world.writer)
    story = world.live_story
    draft = story.get_latest_revision_as_object()
    draft.title = EDITED_TITLE
    draft.save_revision(user=world.writer)
    return ArticlePage.objects.get(pk=story.pk)


def act(world, route, story):
    client = world.client
    go_live = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    if route == "create":
        url = reverse("wagtailadmin_pages:add", args=["newsroom", "articlepage", world.section.pk])
        client.post(url, world.article_data(**{"action-publish": "publish"}))
    elif route in ("edit", "schedule"):
        title = EDITED_TITLE if story.live else story.title
        extra = {"go_live_at": go_live} if route == "schedule" else {}
        world.post_edit(story, title=title, **extra, **{"action-publish": "publish"})
    elif route == "bulk":
        url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
        client.post(f"{url}?id={story.pk}", {"include_descendants": ""})
    elif route == "api":
        client.post(f"/admin/api/main/pages/{story.pk}/action/publish/", {}, content_type="application/json")


@pytest.mark.parametrize("route,target,column,rule", list(_cases()))
def test_publish_paths(newsroom, staff, client, route, target, column, rule):
    world = World(newsroom, staff, client, column)
    world.unit.review_published_edits = rule
    world.unit.save()
    story = prepare(world, target)
    before = story.live_revision_id if story else None
    events = StoryEvent.objects.count()
    publications = PageLogEntry.objects.filter(action="wagtail.publish").count()

    act(world, route, story)

    story = ArticlePage.objects.get(pk=story.pk) if story else ArticlePage.objects.filter(title=NEW_TITLE).first()
    published = PageLogEntry.objects.filter(action="wagtail.publish").count() > publications
    announced = StoryEvent.objects.count() > events
    scheduled = story is not None and story.revisions.filter(approved_go_live_at__isnull=False).exists()
    page = reader_page(world, story)

    if not allowed(target, column, rule):
        # Refused: nothing a reader or a channel notices, nothing recorded.
        assert not (published or announced or scheduled), (published, announced, scheduled)
        if story is not None:
            assert story.live_revision_id == before
        if target == "live":
            assert "Đường sắt Bắc" in page and EDITED_TITLE not in page
        else:
            assert page is None
        return
    if route == "schedule":
        # Waits for its time: readers still get what they had.
        assert scheduled and not announced
        assert page is None if target == "draft" else EDITED_TITLE not in page
        return
    assert published and announced and story.live
    assert (EDITED_TITLE if target == "live" else story.title) in page


def reader_page(world, story):
    """What a reader gets at the story's address (None: not found)."""
    if story is None:
        return None
    world.client.logout()
    response = world.client.get(path(story), **host(world.unit))
    world.client.force_login(world.actor)
    return response.content.decode() if response.status_code == 200 else None
