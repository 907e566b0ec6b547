"""Assignments (đề tài) through the admin: propose, approve, assign, start
writing, follow the story, comment, cancel; each scoped to the unit and
checked on the server."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry, WorkflowState

from newsroom.models import ArticlePage, Author
from tests.helpers import make_staff
from workflows import assignments as service
from workflows.models import Assignment, AssignmentStatus, Notification, NotificationKind, Role

pytestmark = pytest.mark.django_db


def url(name, assignment=None):
    return reverse(f"workflows_assignments:{name}", args=[assignment.pk] if assignment else [])


def logged(assignment):
    return list(
        ModelLogEntry.objects.filter(object_id=str(assignment.pk), action__startswith="hoitu.assignment.")
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )


def approve_current(story, user, action="approve", comment=""):
    state = story.current_workflow_task_state
    state.task.specific.on_action(state, user, action, comment=comment)
    story.refresh_from_db()


@pytest.fixture
def assigned(newsroom, staff):
    """An assignment in "Kinh tế" given to the reporter by the managing editor."""
    assignment = service.propose(
        staff[Role.REPORTER], newsroom.finance.unit, title="Giá xăng tuần này", brief="Hỏi Bộ Công Thương.",
        section=newsroom.finance.economy, deadline=timezone.now() + timedelta(days=1),
    )
    service.assign(assignment, staff[Role.MANAGING_EDITOR], [staff[Role.REPORTER]])
    assignment.refresh_from_db()
    return assignment


def test_a_reporter_proposes_an_assignment(client, newsroom, staff):
    reporter = staff[Role.REPORTER]
    client.force_login(reporter)
    form = client.get(url("create"))
    assert form.status_code == 200
    # Only planners see the "assign to" choices.
    assert 'name="assignees"' not in form.content.decode()
    response = client.post(url("create"), {
        "unit": newsroom.finance.unit.pk, "title": "Chợ Tết 2026", "brief": "Giá cả, sức mua.",
        "section": newsroom.finance.economy.pk, "priority": 2, "format": "",
        "deadline_0": "", "deadline": "", "planned_publish_at": "",
    })
    assignment = Assignment.objects.get(title="Chợ Tết 2026")
    assert response.status_code == 302 and response["Location"] == url("detail", assignment)
    assert assignment.status == AssignmentStatus.PROPOSED
    assert assignment.proposed_by == reporter and assignment.unit == newsroom.finance.unit
    entry = ModelLogEntry.objects.get(object_id=str(assignment.pk), action="hoitu.assignment.propose")
    assert entry.user == reporter and entry.data["unit"]["slug"] == "taichinh"
    page = client.get(url("detail", assignment)).content.decode()
    assert "Chợ Tết 2026" in page and "Giá cả, sức mua." in page
    # A reporter has no approve/assign/edit buttons on it.
    assert url("approve", assignment) not in page and url("edit", assignment) not in page


def test_a_proposal_with_a_section_of_another_unit_is_refused(client, newsroom, staff):
    client.force_login(staff[Role.REPORTER])
    response = client.post(url("create"), {
        "unit": newsroom.finance.unit.pk, "title": "Sai đơn vị", "section": newsroom.province.news.pk, "priority": 2,
    })
    assert response.status_code == 400
    assert not Assignment.objects.filter(title="Sai đơn vị").exists()


def test_reporters_cannot_approve_assign_edit_or_cancel(client, newsroom, staff):
    assignment = service.propose(staff[Role.REPORTER], newsroom.finance.unit, title="Đề tài", section=newsroom.finance.economy)
    client.force_login(staff[Role.REPORTER])
    for name, data in (("approve", {}), ("assign", {"assignees": [staff[Role.REPORTER].pk]}), ("cancel", {}), ("edit", {"title": "X"})):
        response = client.post(url(name, assignment), data)
        assert response.status_code == 403, name
        assert "thư ký tòa soạn" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.PROPOSED and assignment.title == "Đề tài"
    assert not assignment.assignees.exists()


def test_the_managing_editor_approves_and_assigns(client, newsroom, staff):
    reporter, editor = staff[Role.REPORTER], staff[Role.MANAGING_EDITOR]
    assignment = service.propose(reporter, newsroom.finance.unit, title="Lãi suất", section=newsroom.finance.finance)
    client.force_login(editor)
    page = client.get(url("detail", assignment)).content.decode()
    assert url("approve", assignment) in page and url("assign", assignment) in page
    # The assign form offers the unit's writers, never another unit's.
    assert "tc.reporter" in page or reporter.get_full_name() in page
    assert "ld.reporter" not in page

    assert client.post(url("approve", assignment)).status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.APPROVED and assignment.approved_by == editor
    assert Notification.objects.filter(recipient=reporter, kind=NotificationKind.APPROVED, assignment=assignment).count() == 1

    assert client.post(url("assign", assignment), {"assignees": [reporter.pk, staff[Role.CONTRIBUTOR].pk]}).status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ASSIGNED
    assert set(assignment.assignees.all()) == {reporter, staff[Role.CONTRIBUTOR]}
    notified = set(Notification.objects.filter(kind=NotificationKind.ASSIGNED, assignment=assignment).values_list("recipient__username", flat=True))
    assert notified == {"tc.reporter", "tc.contributor"}
    assert logged(assignment) == ["hoitu.assignment.propose", "hoitu.assignment.approve", "hoitu.assignment.assign"]


def test_nobody_from_another_unit_can_be_assigned(client, newsroom, staff):
    assignment = service.propose(staff[Role.MANAGING_EDITOR], newsroom.finance.unit, title="Ngân sách", section=newsroom.finance.finance)
    client.force_login(staff[Role.MANAGING_EDITOR])
    response = client.post(url("assign", assignment), {"assignees": [staff["other_unit_reporter"].pk]}, follow=True)
    assert "Không thể giao đề tài này cho những người sau" in response.content.decode()
    assignment.refresh_from_db()
    assert not assignment.assignees.exists() and assignment.status == AssignmentStatus.PROPOSED
    # Nor people of the unit who do not write (distribution).
    client.post(url("assign", assignment), {"assignees": [staff[Role.DISTRIBUTION].pk]})
    assert not assignment.assignees.exists()


def test_a_section_head_plans_only_their_section(client, newsroom, staff):
    head = staff[Role.SECTION_HEAD]  # head of "Kinh tế"
    economy = service.propose(staff[Role.REPORTER], newsroom.finance.unit, title="Kinh tế quý I", section=newsroom.finance.economy)
    finance = service.propose(staff[Role.REPORTER], newsroom.finance.unit, title="Tài chính quý I", section=newsroom.finance.finance)
    client.force_login(head)
    assert client.post(url("approve", economy)).status_code == 302
    assert client.post(url("approve", finance)).status_code == 403
    economy.refresh_from_db()
    finance.refresh_from_db()
    assert economy.status == AssignmentStatus.APPROVED and finance.status == AssignmentStatus.PROPOSED


def test_other_units_never_see_the_assignment(client, newsroom, staff):
    assignment = service.propose(staff[Role.REPORTER], newsroom.finance.unit, title="Bí mật toà soạn", section=newsroom.finance.economy)
    client.force_login(staff["other_unit_editor_in_chief"])
    assert client.get(url("detail", assignment)).status_code == 404
    assert client.post(url("approve", assignment)).status_code == 404
    assert client.post(url("comment", assignment), {"body": "?"}).status_code == 404
    assert "Bí mật toà soạn" not in client.get(url("index")).content.decode()
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.PROPOSED and not assignment.comments.exists()


def test_the_list_is_sorted_by_deadline_filters_and_marks_overdue(client, newsroom, staff, django_assert_max_num_queries):
    now = timezone.now()
    unit, economy, finance = newsroom.finance.unit, newsroom.finance.economy, newsroom.finance.finance
    late = service.propose(staff[Role.MANAGING_EDITOR], unit, title="Quá hạn rồi", section=economy, deadline=now - timedelta(hours=3),
                           assignees=[staff[Role.REPORTER]])
    service.propose(staff[Role.MANAGING_EDITOR], unit, title="Hạn ngày mai", section=finance, deadline=now + timedelta(days=1))
    service.propose(staff[Role.MANAGING_EDITOR], unit, title="Không có hạn", section=finance)
    service.propose(staff["other_unit_editor_in_chief"], newsroom.province.unit, title="Lâm Đồng", section=newsroom.province.news)
    client.force_login(staff[Role.REPORTER])
    page = client.get(url("index")).content.decode()
    assert page.index("Quá hạn rồi") < page.index("Hạn ngày mai") < page.index("Không có hạn")
    assert "Lâm Đồng" not in page
    assert "Overdue" in page or "Quá hạn" in page.replace("Quá hạn rồi", "")
    only_economy = client.get(url("index"), {"section": economy.pk}).content.decode()
    assert "Quá hạn rồi" in only_economy and "Hạn ngày mai" not in only_economy
    mine = client.get(url("index"), {"assignee": staff[Role.REPORTER].pk}).content.decode()
    assert "Quá hạn rồi" in mine and "Không có hạn" not in mine
    proposed = client.get(url("index"), {"status": "proposed"}).content.decode()
    assert "Hạn ngày mai" in proposed and "Quá hạn rồi" not in proposed
    tomorrow = (now + timedelta(days=1)).astimezone(timezone.get_current_timezone()).date().isoformat()
    dated = client.get(url("index"), {"deadline_from": tomorrow, "deadline_to": tomorrow}).content.decode()
    assert "Hạn ngày mai" in dated and "Quá hạn rồi" not in dated
    assert late.is_overdue()

    # The listing's queries do not grow with the number of assignments.
    client.get(url("index"))
    with django_assert_max_num_queries(40) as few:
        client.get(url("index"))
    for n in range(15):
        service.propose(staff[Role.MANAGING_EDITOR], unit, title=f"Thêm {n}", section=economy, assignees=[staff[Role.CONTRIBUTOR]])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("index"))


def test_start_writing_creates_the_draft_and_opens_the_editor(client, newsroom, staff, assigned):
    reporter = staff[Role.REPORTER]
    assert not Author.objects.filter(user=reporter).exists()
    client.force_login(reporter)
    page = client.get(url("detail", assigned)).content.decode()
    assert url("start", assigned) in page
    response = client.post(url("start", assigned))
    assigned.refresh_from_db()
    story = assigned.story
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_pages:edit", args=[story.pk])
    assert isinstance(story, ArticlePage) and story.get_parent().pk == newsroom.finance.economy.pk
    assert story.title == "Giá xăng tuần này" and story.owner == reporter and not story.live
    # A byline was created from the reporter's name and linked to them.
    assert [a.user for a in story.authors] == [reporter]
    assert assigned.status == AssignmentStatus.IN_PROGRESS
    assert client.get(response["Location"]).status_code == 200
    # Starting again opens the same story.
    again = client.post(url("start", assigned))
    assert again["Location"] == response["Location"] and ArticlePage.objects.filter(title="Giá xăng tuần này").count() == 1
    assert "hoitu.assignment.start" in logged(assigned)


def test_only_assignees_start_writing_and_a_section_is_needed(client, newsroom, staff, assigned):
    client.force_login(staff[Role.CONTRIBUTOR])
    assert client.post(url("start", assigned)).status_code == 403
    no_section = service.propose(staff[Role.MANAGING_EDITOR], newsroom.finance.unit, title="Chưa có chuyên mục", assignees=[staff[Role.CONTRIBUTOR]])
    response = client.post(url("start", no_section), follow=True)
    assert response.status_code == 200 and "Hãy chọn chuyên mục cho đề tài" in response.content.decode()
    no_section.refresh_from_db()
    assert no_section.story is None and no_section.status == AssignmentStatus.ASSIGNED


def test_the_story_moves_the_assignment_to_submitted_and_done(client, newsroom, staff, assigned):
    reporter = staff[Role.REPORTER]
    story = service.start_writing(assigned, reporter)
    story.sapo = "Giá xăng giảm lần thứ ba."
    story.save_revision(user=reporter)
    story.get_workflow().start(story, reporter)
    assigned.refresh_from_db()
    assert assigned.status == AssignmentStatus.SUBMITTED
    # The detail page links the story and says where it is in the workflow.
    client.force_login(staff[Role.MANAGING_EDITOR])
    page = client.get(url("detail", assigned)).content.decode()
    assert reverse("wagtailadmin_pages:edit", args=[story.pk]) in page and "Biên tập viên duyệt" in page

    approve_current(story, staff[Role.DESK_EDITOR], "reject", comment="Thêm số liệu")
    assigned.refresh_from_db()
    assert assigned.status == AssignmentStatus.IN_PROGRESS
    story.sapo = "Giá xăng giảm lần thứ ba, theo Bộ Công Thương."
    story.save_revision(user=reporter)
    WorkflowState.objects.get(pk=story.current_workflow_state.pk).resume(user=reporter)
    assigned.refresh_from_db()
    assert assigned.status == AssignmentStatus.SUBMITTED

    for role in (Role.DESK_EDITOR, Role.MANAGING_EDITOR, Role.EDITOR_IN_CHIEF):
        approve_current(story, staff[role])
    assert story.live
    assigned.refresh_from_db()
    assert assigned.status == AssignmentStatus.DONE
    assert logged(assigned)[-4:] == [
        "hoitu.assignment.submitted", "hoitu.assignment.sent_back", "hoitu.assignment.submitted", "hoitu.assignment.done",
    ]


def test_comments_notify_the_other_participants(client, newsroom, staff, assigned):
    client.force_login(staff[Role.REPORTER])
    response = client.post(url("comment", assigned), {"body": "Em cần thêm một ngày."})
    assert response.status_code == 302
    assert assigned.comments.get().body == "Em cần thêm một ngày."
    notified = set(Notification.objects.filter(kind=NotificationKind.COMMENT).values_list("recipient__username", flat=True))
    # The approver hears of it; the commenter does not.
    assert notified == {"tc.managing_editor"}
    client.force_login(staff[Role.MANAGING_EDITOR])
    client.post(url("comment", assigned), {"body": "Đồng ý."})
    assert Notification.objects.filter(kind=NotificationKind.COMMENT, recipient=staff[Role.REPORTER]).count() == 1
    page = client.get(url("detail", assigned)).content.decode()
    assert page.index("Em cần thêm một ngày.") < page.index("Đồng ý.")
    # An empty comment is refused with a message.
    empty = client.post(url("comment", assigned), {"body": "  "}, follow=True)
    assert "Write a comment first." in empty.content.decode() or assigned.comments.count() == 2
    assert assigned.comments.count() == 2


def test_editing_and_cancelling(client, newsroom, staff, assigned):
    editor = staff[Role.MANAGING_EDITOR]
    Assignment.objects.filter(pk=assigned.pk).update(deadline_warned_at=timezone.now())
    client.force_login(editor)
    assert client.get(url("edit", assigned)).status_code == 200
    response = client.post(url("edit", assigned), {
        "title": "Giá xăng tuần sau", "brief": "Mới", "section": newsroom.finance.finance.pk, "priority": 4, "format": "",
        "deadline": "2031-01-02 10:00", "planned_publish_at": "",
    })
    assert response.status_code == 302
    assigned.refresh_from_db()
    assert assigned.title == "Giá xăng tuần sau" and assigned.priority == 4 and assigned.section.pk == newsroom.finance.finance.pk
    # A new deadline earns new deadline notices.
    assert assigned.deadline.year == 2031 and assigned.deadline_warned_at is None

    client.force_login(staff[Role.REPORTER])
    assert client.get(url("edit", assigned)).status_code == 403

    client.force_login(editor)
    client.post(url("cancel", assigned), {"reason": "Trùng đề tài"})
    assigned.refresh_from_db()
    assert assigned.status == AssignmentStatus.CANCELLED
    cancelled = Notification.objects.get(recipient=staff[Role.REPORTER], assignment=assigned, comment="Trùng đề tài")
    assert "Giá xăng tuần sau" in cancelled.message
    # Closed: nothing changes any more, with a message rather than an error page.
    response = client.post(url("assign", assigned), {"assignees": [staff[Role.CONTRIBUTOR].pk]}, follow=True)
    assert response.status_code == 200
    assert list(assigned.assignees.all()) == [staff[Role.REPORTER]]
    assert logged(assigned)[-2:] == ["hoitu.assignment.edit", "hoitu.assignment.cancel"]


def test_a_planner_can_propose_and_assign_at_once(client, newsroom, staff):
    other_writer = make_staff(newsroom.finance.unit, Role.REPORTER, "tc.reporter2")
    client.force_login(staff[Role.EDITOR_IN_CHIEF])
    response = client.post(url("create"), {
        "unit": newsroom.finance.unit.pk, "title": "Phỏng vấn Bộ trưởng", "section": newsroom.finance.finance.pk,
        "priority": 3, "assignees": [other_writer.pk],
    })
    assert response.status_code == 302
    assignment = Assignment.objects.get(title="Phỏng vấn Bộ trưởng")
    assert assignment.status == AssignmentStatus.ASSIGNED and list(assignment.assignees.all()) == [other_writer]
    assert Notification.objects.filter(recipient=other_writer, kind=NotificationKind.ASSIGNED).exists()
