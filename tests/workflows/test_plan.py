"""The daily plan through the admin: the day's assignments and stories by
section, who sees what, day navigation, and a constant query count."""

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from tests.helpers import story_draft
from workflows.desk.stages import LOCAL_TZ
from workflows.models import Assignment, AssignmentPriority, AssignmentStatus, Role

pytestmark = pytest.mark.django_db


def plan_url(unit=None, day=None):
    url = reverse("workflows_plan", args=[unit.slug]) if unit else reverse("workflows_plan")
    return f"{url}?day={day.isoformat()}" if day else url


def rows(response):
    """{section title: [(title, state, struck)]} as the page shows them."""
    assert response.status_code == 200, response.status_code
    return {
        section.title: [(row.title, row.state, row.struck) for row in section.rows] for section in response.context["plan"].sections
    }


@pytest.fixture
def day_plan(newsroom, staff):
    """A day (the local date two minutes from now, so a story can still be
    scheduled on it) with assignments and stories in every state."""
    soon = timezone.now() + timedelta(minutes=2)
    day = timezone.localtime(soon, LOCAL_TZ).date()
    start = datetime.combine(day, time.min, tzinfo=LOCAL_TZ)
    unit, economy, finance = newsroom.finance.unit, newsroom.finance.economy, newsroom.finance.finance
    reporter = staff[Role.REPORTER]

    def assignment(title, section, status, deadline, **fields):
        made = Assignment.objects.create(unit=unit, title=title, section=section, status=status, deadline=deadline, **fields)
        made.assignees.add(reporter)
        return made

    assignment("Họp báo ngân sách", finance, AssignmentStatus.ASSIGNED, start + timedelta(hours=15), priority=AssignmentPriority.URGENT)
    assignment("Phỏng vấn bị hủy", economy, AssignmentStatus.CANCELLED, start + timedelta(hours=9))
    assignment("Đề xuất mới", economy, AssignmentStatus.PROPOSED, start + timedelta(hours=10))
    assignment("Việc của ngày mai", economy, AssignmentStatus.ASSIGNED, start + timedelta(days=1, hours=10))
    in_review = story_draft(economy, reporter, title="Bài đang duyệt")
    in_review.get_workflow().start(in_review, reporter)
    assignment(
        "Đề tài đã nộp", economy, AssignmentStatus.SUBMITTED, start + timedelta(days=1, hours=8),
        planned_publish_at=start + timedelta(hours=18), story=in_review,
    )  # fmt: skip
    scheduled = story_draft(finance, reporter, title="Bài hẹn giờ")
    scheduled.go_live_at = soon
    scheduled.save_revision(user=staff[Role.EDITOR_IN_CHIEF]).publish(user=staff[Role.EDITOR_IN_CHIEF])
    Page.objects.filter(pk=newsroom.finance.rail.pk).update(first_published_at=start + timedelta(hours=7))
    Page.objects.filter(pk=newsroom.finance.budget.pk).update(first_published_at=start - timedelta(hours=5))
    return day


def test_managing_editor_sees_the_days_plan_by_section(newsroom, staff, client, day_plan):
    client.force_login(staff[Role.MANAGING_EDITOR])
    response = client.get(plan_url(day=day_plan))
    found = rows(response)
    assert list(found) == ["Kinh tế", "Tài chính"]  # tree order
    economy = {title: (state, struck) for title, state, struck in found["Kinh tế"]}
    finance = {title: (state, struck) for title, state, struck in found["Tài chính"]}
    assert set(economy) == {"Phỏng vấn bị hủy", "Đề xuất mới", "Đề tài đã nộp", newsroom.finance.rail.title}
    assert economy["Phỏng vấn bị hủy"][1] is True  # cancelled: shown struck
    assert "Biên tập viên duyệt" in economy["Đề tài đã nộp"][0]  # the story's stage beside the assignment's status
    assert set(finance) == {"Họp báo ngân sách", "Bài hẹn giờ"}
    assert "Việc của ngày mai" not in response.content.decode()
    # Published another day: not on this day's plan.
    assert newsroom.finance.budget.title not in response.content.decode()
    html = response.content.decode()
    assert "<s>Phỏng vấn bị hủy</s>" in html
    assert "Tester" not in html and "Reporter" in html  # assignees named
    # Previous/next day links and the date picker.
    assert f"?day={(day_plan + timedelta(days=1)).isoformat()}" in html
    assert f"?day={(day_plan - timedelta(days=1)).isoformat()}" in html
    assert f'type="date" id="plan-day" name="day" value="{day_plan.isoformat()}"' in html


def test_next_day_shows_its_own_assignments(newsroom, staff, client, day_plan):
    client.force_login(staff[Role.EDITOR_IN_CHIEF])
    found = rows(client.get(plan_url(newsroom.finance.unit, day_plan + timedelta(days=1))))
    titles = [title for section in found.values() for title, _state, _struck in section]
    # "Đề tài đã nộp" is planned for publication on the first day and due on
    # the next: it is on both, timed by its deadline here.
    assert sorted(titles) == ["Việc của ngày mai", "Đề tài đã nộp"]
    response = client.get(plan_url(newsroom.finance.unit, day_plan + timedelta(days=1)))
    row = next(row for section in response.context["plan"].sections for row in section.rows if row.title == "Đề tài đã nộp")
    assert timezone.localtime(row.at, LOCAL_TZ).date() == day_plan + timedelta(days=1)
    assert row.at == Assignment.objects.get(title="Đề tài đã nộp").deadline


def test_distribution_sees_only_scheduled_and_published(newsroom, staff, client, day_plan):
    client.force_login(staff[Role.DISTRIBUTION])
    response = client.get(plan_url(day=day_plan))
    titles = sorted(title for section in rows(response).values() for title, _state, _struck in section)
    assert titles == sorted(["Bài hẹn giờ", newsroom.finance.rail.title])
    assert response.context["plan"].release_only


def test_section_head_sees_their_sections_plan(newsroom, staff, client, day_plan):
    client.force_login(staff[Role.SECTION_HEAD])
    assert list(rows(client.get(plan_url(day=day_plan)))) == ["Kinh tế"]


def test_who_may_open_the_plan(newsroom, staff, client):
    # Reporters and contributors work from their own assignments, not the
    # desk's plan; unit admins manage accounts only.
    for role in (Role.REPORTER, Role.CONTRIBUTOR, Role.UNIT_ADMIN):
        client.force_login(staff[role])
        response = client.get(plan_url(), follow=True)
        assert response.redirect_chain == [("/admin/", 302)], role
    for role in (Role.DESK_EDITOR, Role.MANAGING_EDITOR, Role.EDITOR_IN_CHIEF, Role.DEPUTY_EDITOR, Role.SECTION_HEAD, Role.DISTRIBUTION):
        client.force_login(staff[role])
        assert client.get(plan_url(newsroom.finance.unit)).status_code == 200, role
    client.force_login(staff["other_unit_editor_in_chief"])
    assert client.get(plan_url(newsroom.finance.unit)).status_code == 404
    assert client.get(plan_url()).context["unit"] == newsroom.province.unit


def test_empty_day_and_bad_date(newsroom, staff, client):
    client.force_login(staff[Role.MANAGING_EDITOR])
    response = client.get(plan_url(day=timezone.localdate() + timedelta(days=300)))
    assert response.context["plan"].sections == []
    assert 'class="hoitu-empty"' in response.content.decode()
    response = client.get(reverse("workflows_plan") + "?day=31-02-2026")
    assert response.status_code == 200
    assert response.context["day"] == timezone.localtime(timezone.now(), LOCAL_TZ).date()
    assert "31-02-2026" in response.content.decode()  # the message names what was not understood


def test_plan_query_count_does_not_grow(newsroom, staff, client):
    start = datetime.combine(timezone.localtime(timezone.now(), LOCAL_TZ).date(), time.min, tzinfo=LOCAL_TZ)
    reporter = staff[Role.REPORTER]

    def fill(count):
        for n in range(count):
            section = (newsroom.finance.economy, newsroom.finance.finance)[n % 2]
            story = story_draft(section, reporter, title=f"Bài {n}") if n % 3 else None
            if story is not None and n % 3 == 1:
                story.get_workflow().start(story, reporter)
            assignment = Assignment.objects.create(
                unit=newsroom.finance.unit, title=f"Đề tài {n}", section=section, story=story,
                status=AssignmentStatus.ASSIGNED, deadline=start + timedelta(hours=n % 24),
            )  # fmt: skip
            assignment.assignees.add(reporter, staff[Role.CONTRIBUTOR])

    client.force_login(staff[Role.MANAGING_EDITOR])
    fill(3)
    client.get(plan_url())

    def count():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(plan_url())
        assert response.status_code == 200
        return len(captured), response.context["plan"].count

    few, shown_few = count()
    fill(30)
    many, shown_many = count()
    assert shown_many >= shown_few + 30
    assert many == few, f"{few} queries for {shown_few} rows, {many} for {shown_many}"
