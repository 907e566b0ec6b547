"""The editorial chain end to end at service level: roles created with the
unit, the default three-step workflow, send back and resubmit, correction
and takedown events, embargo."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html
from wagtail.models import WorkflowState
from wagtail.users.models import UserProfile

from newsroom.models import ArticleCorrection, ArticlePage
from tests.helpers import client_for, host, path, story_draft
from workflows import events
from workflows.models import PublicationRecord, Role, UnitGroup
from workflows.services import take_down

pytestmark = pytest.mark.django_db


def approve_current(story, user, comment=""):
    state = story.current_workflow_task_state
    state.task.specific.on_action(state, user, "approve", comment=comment)
    story.refresh_from_db()


def test_creating_a_unit_creates_its_groups_and_workflow(newsroom):
    unit = newsroom.finance.unit
    roles = set(UnitGroup.objects.filter(unit=unit, section__isnull=True).values_list("role", flat=True))
    assert roles == {
        Role.REPORTER, Role.CONTRIBUTOR, Role.DESK_EDITOR, Role.MANAGING_EDITOR, Role.EDITOR_IN_CHIEF,
        Role.DEPUTY_EDITOR, Role.DISTRIBUTION, Role.UNIT_ADMIN,
    }
    # One section-head group per section, each scoped to its section.
    heads = UnitGroup.objects.filter(unit=unit, role=Role.SECTION_HEAD).select_related("group", "section")
    assert {h.section.title for h in heads} == {"Kinh tế", "Tài chính"}
    assert all(h.group.name.startswith("Thời báo Tài chính – Trưởng ban") for h in heads)
    workflow = newsroom.finance.home.get_workflow()
    assert [t.name for t in workflow.tasks] == [
        "Biên tập viên duyệt (taichinh)", "Thư ký tòa soạn duyệt (taichinh)", "Tổng biên tập duyệt (taichinh)",
    ]
    # Another unit's stories follow that unit's own workflow.
    assert newsroom.province.home.get_workflow() != workflow


def test_three_steps_send_back_resubmit_and_publish(newsroom, staff):
    received = []
    events.story_published.connect(lambda sender, **kw: received.append(kw["story"].pk), weak=False, dispatch_uid="t-pub")
    try:
        story = story_draft(newsroom.finance.economy, staff[Role.REPORTER], title="Giá vàng tăng mạnh")
        workflow = story.get_workflow()
        workflow.start(story, staff[Role.REPORTER])
        story.refresh_from_db()
        assert story.current_workflow_task.name.startswith("Biên tập viên")
        # The reporter cannot approve their own step.
        assert story.current_workflow_task.specific.get_actions(story, staff[Role.REPORTER]) == []

        approve_current(story, staff[Role.DESK_EDITOR])
        assert story.current_workflow_task.name.startswith("Thư ký")
        state = story.current_workflow_task_state
        state.task.specific.on_action(state, staff[Role.MANAGING_EDITOR], "reject", comment="Thiếu nguồn số liệu")
        workflow_state = WorkflowState.objects.get(pk=state.workflow_state_id)
        assert workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES

        # Resubmitting restarts at the step that sent it back, not at the desk.
        story.save_revision(user=staff[Role.REPORTER])
        workflow_state.resume(user=staff[Role.REPORTER])
        story.refresh_from_db()
        assert story.current_workflow_task.name.startswith("Thư ký")
        approve_current(story, staff[Role.MANAGING_EDITOR])
        assert not story.live
        approve_current(story, staff[Role.EDITOR_IN_CHIEF])
        assert story.live
        assert received == [story.pk]
        assert PublicationRecord.objects.get(page=story).last_event == "published"
    finally:
        events.story_published.disconnect(dispatch_uid="t-pub")


def test_correction_is_announced_once(newsroom, staff, client):
    story = newsroom.finance.rail
    seen = []
    events.story_corrected.connect(lambda sender, **kw: seen.append([c.note for c in kw["corrections"]]), weak=False, dispatch_uid="t-corr")
    try:
        story.save_revision(user=staff[Role.EDITOR_IN_CHIEF]).publish()  # first record: an update
        story.corrections.add(ArticleCorrection(note="Tổng vốn là 67 tỷ USD, không phải 76 tỷ USD."))
        story.save_revision(user=staff[Role.EDITOR_IN_CHIEF]).publish()
        story.save_revision(user=staff[Role.EDITOR_IN_CHIEF]).publish()  # no new correction: an update
    finally:
        events.story_corrected.disconnect(dispatch_uid="t-corr")
    assert seen == [["Tổng vốn là 67 tỷ USD, không phải 76 tỷ USD."]]
    page = client.get(path(story), **host(newsroom.finance.unit))
    assert "Tổng vốn là 67 tỷ USD, không phải 76 tỷ USD." in page.content.decode()


def test_takedown_answers_410_and_needs_reason_and_rights(newsroom, staff, client):
    story = newsroom.finance.rail
    address = path(story)
    with pytest.raises(ValidationError):
        take_down(story, staff[Role.EDITOR_IN_CHIEF], "  ")
    with pytest.raises(PermissionDenied):
        take_down(story, staff[Role.REPORTER], "Sai sự thật")
    take_down(story, staff[Role.EDITOR_IN_CHIEF], "Vi phạm bản quyền ảnh")
    response = client.get(address, **host(newsroom.finance.unit))
    assert response.status_code == 410
    assert "đã được gỡ" in response.content.decode() or "removed" in response.content.decode()
    feed = client.get("/rss/", **host(newsroom.finance.unit)).content.decode()
    assert story.title not in feed


def test_embargoed_story_stays_off_the_site(newsroom, staff, client):
    story = story_draft(newsroom.finance.economy, staff[Role.EDITOR_IN_CHIEF], title="Số liệu GDP quý III")
    story.embargo_until = timezone.now() + timedelta(hours=2)
    story.full_clean()
    assert story.go_live_at == story.embargo_until
    story.save_revision(user=staff[Role.EDITOR_IN_CHIEF]).publish()
    story.refresh_from_db()
    assert not story.live  # scheduled for the embargo's end
    # Even if something makes it live early, readers do not get it.
    story.live = True
    story.save()
    assert client.get(path(story), **host(newsroom.finance.unit)).status_code == 404
    assert "Số liệu GDP" not in client.get("/", **host(newsroom.finance.unit)).content.decode()


def test_every_page_log_entry_names_its_unit(newsroom, staff):
    from wagtail.models import PageLogEntry

    story = story_draft(newsroom.province.news, staff["other_unit_reporter"], title="Tin Lâm Đồng")
    story.get_workflow().start(story, staff["other_unit_reporter"])
    entries = PageLogEntry.objects.filter(page=story)
    assert {"wagtail.create", "wagtail.workflow.start"} <= set(entries.values_list("action", flat=True))
    assert {entry.data["unit"]["slug"] for entry in entries} == {"lamdong"}


def test_scheduled_or_published_story_changes_only_through_review(newsroom, staff):
    chief = staff[Role.EDITOR_IN_CHIEF]
    draft = story_draft(newsroom.finance.economy, chief, title="Bài hẹn giờ")
    # A fresh draft: the editor-in-chief may publish or schedule it directly.
    assert draft.permissions_for_user(chief).can_publish()
    draft.go_live_at = timezone.now() + timedelta(hours=3)
    draft.save_revision(user=chief).publish(user=chief)
    draft.refresh_from_db()
    assert not draft.live
    # Approved and scheduled, or already published: the unit's rule sends
    # any change back through the workflow...
    assert not ArticlePage.objects.get(pk=draft.pk).permissions_for_user(chief).can_publish()
    assert not newsroom.finance.rail.permissions_for_user(chief).can_publish()
    # ...unless the unit has turned the rule off.
    unit = newsroom.finance.unit
    unit.review_published_edits = False
    unit.save()
    assert ArticlePage.objects.get(pk=newsroom.finance.rail.pk).permissions_for_user(chief).can_publish()


def test_the_reporter_sees_why_the_story_was_sent_back_until_it_is_resubmitted(newsroom, staff):
    reporter = staff[Role.REPORTER]
    profile = UserProfile.get_for_user(reporter)
    profile.preferred_language = "vi"
    profile.save()
    story = story_draft(newsroom.finance.economy, reporter, title="Ngân sách quý IV")
    story.get_workflow().start(story, reporter)
    story.refresh_from_db()
    approve_current(story, staff[Role.DESK_EDITOR])
    state = story.current_workflow_task_state
    state.task.specific.on_action(state, staff[Role.MANAGING_EDITOR], "reject", comment="Thiếu nguồn số liệu của Bộ Tài chính")
    editor = client_for(reporter)
    edit_url = f"/admin/pages/{story.pk}/edit/"

    page = editor.get(edit_url).content.decode()
    assert "Thiếu nguồn số liệu của Bộ Tài chính" in page
    assert "Trả lại bởi" in page and staff[Role.MANAGING_EDITOR].get_full_name() in page

    story.save_revision(user=reporter)
    WorkflowState.objects.get(pk=state.workflow_state_id).resume(user=reporter)
    assert "Thiếu nguồn số liệu của Bộ Tài chính" not in editor.get(edit_url).content.decode()


def test_the_reviewers_buttons_say_what_approving_does_at_their_step(newsroom, staff, client):
    """At a step before the last, approving sends the story on ("Duyệt và
    chuyển"); at the last it publishes ("Duyệt và xuất bản"); sending back
    is "Trả lại"."""
    reporter = staff[Role.REPORTER]
    story = story_draft(newsroom.finance.economy, reporter, title="Bài chờ duyệt nhiều bước")
    story.get_workflow().start(story, reporter)

    def buttons(role):
        client.force_login(staff[role])
        page = lxml_html.fromstring(client.get(reverse("wagtailadmin_pages:edit", args=[story.pk])).content)
        return [" ".join(b.text_content().split()) for b in page.xpath("//footer//button[@data-workflow-action-name]")]

    assert buttons(Role.DESK_EDITOR) == ["Trả lại", "Duyệt và chuyển", "Duyệt kèm ý kiến và chuyển"]
    approve_current(story, staff[Role.DESK_EDITOR])
    approve_current(story, staff[Role.MANAGING_EDITOR])
    assert buttons(Role.EDITOR_IN_CHIEF) == ["Trả lại", "Duyệt và xuất bản", "Duyệt kèm ý kiến và xuất bản"]
