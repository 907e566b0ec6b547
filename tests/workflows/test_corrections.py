"""Đính chính through the admin: editors add a dated note which goes
through the unit's workflow (or straight out for a direct publisher when
the unit does not review edits); readers then see it, channels get one
``story_corrected`` with the new notes only, and the record shows it."""

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from newsroom.models import ArticlePage
from tests.helpers import host, path, refused, story_draft
from tests.workflows.test_core import approve_current
from workflows import events
from workflows.models import Role

# Nothing here can differ on PostgreSQL + Redis (the correction's steps): CI runs it once,
# on the embedded defaults (README, Tests).
pytestmark = [pytest.mark.django_db, pytest.mark.once]

NOTE = "Tổng vốn dự án là 67 tỷ USD, không phải 76 tỷ USD như bản đăng trước."


def correct_url(story):
    return reverse("hoitu_story_correct", args=[story.pk])


@pytest.fixture
def corrected():
    seen = []
    events.story_corrected.connect(lambda sender, **kw: seen.append(kw), weak=False, dispatch_uid="test-corrected")
    yield seen
    events.story_corrected.disconnect(dispatch_uid="test-corrected")


def reader_view(client, newsroom, story):
    client.logout()
    return client.get(path(story), **host(newsroom.finance.unit)).content.decode()


@pytest.mark.parametrize("role", [Role.DESK_EDITOR, Role.SECTION_HEAD, Role.MANAGING_EDITOR, Role.EDITOR_IN_CHIEF])
def test_editors_see_correct(client, staff, newsroom, role):
    story = newsroom.finance.rail  # in "Kinh tế", the section head's section
    client.force_login(staff[role])
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[story.pk]))
    assert correct_url(story) in edit.content.decode()
    form = client.get(correct_url(story))
    assert form.status_code == 200
    assert 'name="note"' in form.content.decode()
    assert reverse("wagtailadmin_pages:edit", args=[story.pk]) in form.content.decode()  # "edit the text" link


@pytest.mark.parametrize("who", [Role.REPORTER, Role.DISTRIBUTION, "other_unit_editor_in_chief"])
def test_others_cannot_correct(client, staff, newsroom, who):
    story = newsroom.finance.rail
    client.force_login(staff[who])
    assert refused(client.get(correct_url(story)))
    assert refused(client.post(correct_url(story), {"note": NOTE}))
    assert not story.corrections.exists()
    assert story.get_latest_revision().as_object().corrections.count() == 0


def test_a_section_head_cannot_correct_another_section(client, staff, newsroom):
    client.force_login(staff[Role.SECTION_HEAD])
    assert refused(client.post(correct_url(newsroom.finance.budget), {"note": NOTE}))


def test_the_note_is_mandatory(client, staff, newsroom):
    story = newsroom.finance.rail
    client.force_login(staff[Role.DESK_EDITOR])
    response = client.post(correct_url(story), {"note": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["note"]
    assert story.revisions.count() == 1


def test_correction_goes_through_the_workflow_then_reaches_readers(client, staff, newsroom, corrected):
    story = newsroom.finance.rail
    client.force_login(staff[Role.DESK_EDITOR])
    response = client.post(correct_url(story), {"note": NOTE})
    assert response.status_code == 302
    story = ArticlePage.objects.get(pk=story.pk)
    assert story.workflow_in_progress
    assert story.current_workflow_task.name.startswith("Biên tập viên")
    # Readers see nothing yet; the draft carries the note.
    assert NOTE not in reader_view(client, newsroom, story)
    assert [c.note for c in story.get_latest_revision_as_object().corrections.all()] == [NOTE]
    assert corrected == []

    for role in (Role.DESK_EDITOR, Role.MANAGING_EDITOR, Role.EDITOR_IN_CHIEF):
        approve_current(story, staff[role])
    story = ArticlePage.objects.get(pk=story.pk)
    assert not story.workflow_in_progress
    page = reader_view(client, newsroom, story)
    assert NOTE in page
    note = story.corrections.get()
    assert timezone.localtime(note.corrected_at).strftime("%-d/%-m/%Y") in page

    assert len(corrected) == 1
    assert [c.note for c in corrected[0]["corrections"]] == [NOTE]
    assert corrected[0]["unit"] == newsroom.finance.unit
    entry = PageLogEntry.objects.get(page=story, action="hoitu.correction")
    assert entry.data["notes"] == [NOTE] and entry.data["unit"]["slug"] == "taichinh"

    # The page history shows the correction.
    client.force_login(staff[Role.MANAGING_EDITOR])
    history = client.get(reverse("wagtailadmin_pages:history", args=[story.pk])).content.decode()
    assert NOTE in history


def test_a_second_correction_announces_only_itself(client, staff, newsroom, corrected):
    unit = newsroom.finance.unit
    unit.review_published_edits = False
    unit.save()
    story = newsroom.finance.rail
    client.force_login(staff[Role.EDITOR_IN_CHIEF])
    client.post(correct_url(story), {"note": "Sửa tên ga: Ngọc Hồi."})
    client.post(correct_url(story), {"note": NOTE})
    assert [[c.note for c in seen["corrections"]] for seen in corrected] == [["Sửa tên ga: Ngọc Hồi."], [NOTE]]
    page = reader_view(client, newsroom, story)
    assert "Sửa tên ga: Ngọc Hồi." in page and NOTE in page


def test_a_direct_publisher_publishes_at_once_when_the_unit_allows(client, staff, newsroom, corrected):
    unit = newsroom.finance.unit
    unit.review_published_edits = False
    unit.save()
    story = newsroom.finance.rail
    client.force_login(staff[Role.EDITOR_IN_CHIEF])
    form = client.get(correct_url(story)).content.decode()
    assert "Publish the correction" in form or "Đăng" in form
    response = client.post(correct_url(story), {"note": NOTE})
    assert response.status_code == 302
    story = ArticlePage.objects.get(pk=story.pk)
    assert not story.workflow_in_progress
    assert NOTE in reader_view(client, newsroom, story)
    assert len(corrected) == 1
    assert PageLogEntry.objects.get(page=story, action="hoitu.correction").user == staff[Role.EDITOR_IN_CHIEF]


def test_with_review_on_even_the_editor_in_chief_goes_through_the_workflow(client, staff, newsroom, corrected):
    story = newsroom.finance.rail
    client.force_login(staff[Role.EDITOR_IN_CHIEF])
    client.post(correct_url(story), {"note": NOTE})
    story = ArticlePage.objects.get(pk=story.pk)
    assert story.workflow_in_progress and corrected == []
    assert NOTE not in reader_view(client, newsroom, story)


def test_a_correction_joins_a_review_under_way(client, staff, newsroom):
    story = newsroom.finance.rail
    story.save_revision(user=staff[Role.REPORTER])
    story.get_workflow().start(story, staff[Role.REPORTER])
    approve_current(story, staff[Role.DESK_EDITOR])
    client.force_login(staff[Role.MANAGING_EDITOR])
    assert client.post(correct_url(story), {"note": NOTE}).status_code == 302
    story = ArticlePage.objects.get(pk=story.pk)
    assert story.current_workflow_task.name.startswith("Thư ký")  # not restarted
    assert [c.note for c in story.get_latest_revision_as_object().corrections.all()] == [NOTE]


def test_only_a_story_on_the_site_is_corrected(client, staff, newsroom):
    draft = story_draft(newsroom.finance.economy, staff[Role.REPORTER])
    client.force_login(staff[Role.DESK_EDITOR])
    response = client.post(correct_url(draft), {"note": NOTE})
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[draft.pk])
    assert draft.get_latest_revision_as_object().corrections.count() == 0
