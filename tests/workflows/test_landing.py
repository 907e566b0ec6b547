"""Where each role starts the day after signing in, and the reporter's
assignments on the dashboard."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.helpers import authenticator_of, next_code
from workflows.models import Assignment, AssignmentStatus, Role, UnitApprovalTask

pytestmark = pytest.mark.django_db

PASSWORD = "pw-test-123"
HOME = "/admin/"


def sign_in(person, aim=HOME):
    """As a browser does: the password form (going to ``aim``), then the
    code page the admin sends them to. Returns where they land."""
    device = authenticator_of(person)
    browser = Client()
    browser.post(reverse("wagtailadmin_login") + f"?next={aim}", {"username": person.username, "password": PASSWORD})
    code_page = browser.get(aim)
    assert "/second-factor/verify/" in code_page.url
    answer = browser.post(code_page.url, {"code": next_code(device), "next": aim})
    assert answer.status_code == 302
    landing = browser.get(answer.url, follow=True)
    assert landing.status_code == 200, answer.url
    return answer.url, landing.content.decode()


def step_of(newsroom, name_start):
    return UnitApprovalTask.objects.get(
        workflow_tasks__workflow__workflow_pages__page=newsroom.finance.home, name__startswith=name_start
    ).pk


@pytest.mark.parametrize(
    "role, landing",
    [
        (Role.REPORTER, "dashboard"),
        (Role.CONTRIBUTOR, "dashboard"),
        (Role.UNIT_ADMIN, "dashboard"),
        (Role.MANAGING_EDITOR, "board"),
        (Role.DESK_EDITOR, "desk queue"),
        (Role.SECTION_HEAD, "desk queue"),
        (Role.EDITOR_IN_CHIEF, "editor-in-chief queue"),
        (Role.DISTRIBUTION, "publishing dashboard"),
    ],
)
def test_each_role_lands_on_its_own_work(newsroom, staff, role, landing):
    desk, editor_in_chief = step_of(newsroom, "Biên tập"), step_of(newsroom, "Tổng biên tập")
    expected = {
        "dashboard": HOME,
        "board": "/admin/workflows/board/taichinh/",
        "desk queue": f"/admin/workflows/board/taichinh/?column=task-{desk}",
        "editor-in-chief queue": f"/admin/workflows/board/taichinh/?column=task-{editor_in_chief}",
        "publishing dashboard": reverse("publishing_dashboard:unit", args=["taichinh"]),
    }[landing]
    url, page = sign_in(staff[role])
    assert url == expected
    if landing.endswith("queue"):
        assert "Quay lại bảng điều phối" in page  # the column view, not the whole board


def test_a_page_asked_for_is_where_the_sign_in_ends(staff):
    url, _page = sign_in(staff[Role.DESK_EDITOR], aim="/admin/pages/")
    assert url == "/admin/pages/"


def test_the_reporters_dashboard_lists_their_open_assignments_nearest_deadline_first(newsroom, staff):
    reporter, other = staff[Role.REPORTER], staff[Role.CONTRIBUTOR]
    now = timezone.now()

    def assignment(title, status, deadline, *people):
        made = Assignment.objects.create(unit=newsroom.finance.unit, title=title, status=status, deadline=deadline)
        made.assignees.set(people)
        return made

    assignment("Phỏng vấn Bộ trưởng", AssignmentStatus.IN_PROGRESS, now + timedelta(days=2), reporter)
    assignment("Giá xăng tuần này", AssignmentStatus.ASSIGNED, now - timedelta(hours=1), reporter)
    assignment("Đã xong từ hôm qua", AssignmentStatus.DONE, now, reporter)
    assignment("Việc của người khác", AssignmentStatus.ASSIGNED, now, other)

    _url, page = sign_in(reporter)
    panel = page[page.index('id="hoitu-my-assignments-section"') :]
    assert "Đề tài của tôi" in page
    titles = re.findall(r'/admin/assignments/\d+/">([^<]+)</a>', panel)
    assert titles[:2] == ["Giá xăng tuần này", "Phỏng vấn Bộ trưởng"]
    assert "Đã xong từ hôm qua" not in panel and "Việc của người khác" not in panel
    assert "Quá hạn" in panel

    _url, page = sign_in(other)
    assert "Hiện chưa có đề tài nào giao cho bạn" not in page  # the contributor has one
    assert "Việc của người khác" in page
