"""The per-story record: every action lands in Wagtail's history with
user, time and unit, and the compact timeline shows it in order, with
reviewers' comments, checklist ticks and the takedown reason."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageLogEntry, WorkflowTask

from newsroom.models import ArticlePage
from tests.helpers import make_article, refused, story_draft
from tests.workflows.test_core import approve_current
from workflows.models import ChecklistTask, Role
from workflows.roles import unit_group

pytestmark = pytest.mark.django_db

SENT_BACK = "Thiếu nguồn số liệu của Tổng cục Thống kê"
TICKS = ["Đã kiểm chứng nguồn", "Đã kiểm tra pháp lý"]
NOTE = "Sửa số liệu: 6,8% chứ không phải 8,6%."
REASON = "Theo yêu cầu của cơ quan chủ quản"


def timeline_url(story):
    return reverse("hoitu_story_timeline", args=[story.pk])


def add_checklist_step(newsroom):
    """A fact and legal check before the editor-in-chief's approval."""
    workflow = newsroom.finance.home.get_workflow()
    step = ChecklistTask.objects.create(name="Kiểm tra pháp lý", items="\n".join(TICKS))
    step.groups.set([unit_group(newsroom.finance.unit, Role.MANAGING_EDITOR)])
    last = WorkflowTask.objects.get(workflow=workflow, sort_order=2)
    last.sort_order = 3
    last.save()
    WorkflowTask.objects.create(workflow=workflow, task=step, sort_order=2)


def workflow_action(client, story, action, **data):
    state = story.current_workflow_task_state
    return client.post(reverse("wagtailadmin_pages:workflow_action", args=[story.pk, action, state.pk]), data)


@pytest.fixture
def lived(client, newsroom, staff):
    """A story's whole life, mostly through the admin."""
    add_checklist_step(newsroom)
    reporter = staff[Role.REPORTER]
    story = story_draft(newsroom.finance.economy, reporter, title="GDP quý III tăng 6,8%")

    client.force_login(staff[Role.DESK_EDITOR])
    assert client.post(reverse("wagtailadmin_pages:lock", args=[story.pk])).status_code == 302
    assert client.post(reverse("wagtailadmin_pages:unlock", args=[story.pk])).status_code == 302

    story.get_workflow().start(story, reporter)
    story.refresh_from_db()
    assert workflow_action(client, story, "approve", comment="Biên tập xong").status_code == 302
    story.refresh_from_db()

    client.force_login(staff[Role.MANAGING_EDITOR])
    assert workflow_action(client, story, "reject", comment=SENT_BACK).status_code == 302
    story.save_revision(user=reporter)
    story.current_workflow_state.resume(user=reporter)
    story.refresh_from_db()
    approve_current(story, staff[Role.MANAGING_EDITOR])
    response = workflow_action(client, story, "approve", comment="Đủ điều kiện", item_0="on", item_1="on")
    assert response.status_code in (200, 302)
    story.refresh_from_db()
    assert story.current_workflow_task.name.startswith("Tổng biên tập"), response.content.decode()[:500]

    client.force_login(staff[Role.EDITOR_IN_CHIEF])
    assert workflow_action(client, story, "approve", comment="Đăng").status_code == 302
    story = ArticlePage.objects.get(pk=story.pk)
    assert story.live

    newsroom.finance.unit.review_published_edits = False
    newsroom.finance.unit.save()
    assert client.post(reverse("hoitu_story_correct", args=[story.pk]), {"note": NOTE}).status_code == 302
    assert client.post(reverse("hoitu_story_take_down", args=[story.pk]), {"reason": REASON}).status_code == 302
    return story


EXPECTED_ORDER = [
    "wagtail.lock",
    "wagtail.unlock",
    "wagtail.workflow.start",
    "wagtail.workflow.approve",
    "wagtail.workflow.reject",
    "wagtail.workflow.resume",
    "wagtail.workflow.approve",
    "wagtail.workflow.approve",
    "wagtail.workflow.approve",
    "wagtail.publish",
    "hoitu.correction",
    "hoitu.takedown",
]


def test_the_timeline_shows_the_whole_life_in_order(client, staff, lived):
    client.force_login(staff[Role.MANAGING_EDITOR])
    response = client.get(timeline_url(lived))
    assert response.status_code == 200
    html = response.content.decode()
    actions = re.findall(r'data-log-action="([a-z_.]+)"', html)
    # In order; publishing the correction adds an edit and a publication in between.
    assert _is_subsequence(EXPECTED_ORDER, actions), actions
    for text in (SENT_BACK, "Biên tập xong", NOTE, REASON, *TICKS, "Thời báo Tài chính", "Kiểm tra pháp lý"):
        assert text in html, text
    assert "Desk Editor" in html and "Managing Editor" in html and "Editor In Chief" in html


def _is_subsequence(expected, actual):
    rest = iter(actual)
    return all(any(item == seen for seen in rest) for item in expected)


def test_every_action_is_in_wagtails_history_with_user_and_unit(client, staff, lived):
    entries = PageLogEntry.objects.filter(page=lived)
    for action in set(EXPECTED_ORDER):
        assert entries.filter(action=action).exists(), action
    assert entries.get(action="hoitu.takedown").user == staff[Role.EDITOR_IN_CHIEF]
    assert entries.get(action="hoitu.correction").data["unit"]["name"] == "Thời báo Tài chính"
    assert entries.filter(action="wagtail.lock", user=staff[Role.DESK_EDITOR]).exists()
    client.force_login(staff[Role.EDITOR_IN_CHIEF])
    history = client.get(reverse("wagtailadmin_pages:history", args=[lived.pk]))
    assert history.status_code == 200
    html = history.content.decode()
    for text in (SENT_BACK, NOTE, REASON, "Đã gỡ", "Đã đăng đính chính"):
        assert text in html, text


def test_the_timeline_is_reachable_from_the_story(client, staff, newsroom):
    client.force_login(staff[Role.DESK_EDITOR])
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[newsroom.finance.rail.pk])).content.decode()
    assert timeline_url(newsroom.finance.rail) in edit


def test_the_timeline_says_which_step_is_waiting(client, staff, newsroom):
    story = story_draft(newsroom.finance.economy, staff[Role.REPORTER])
    story.get_workflow().start(story, staff[Role.REPORTER])
    client.force_login(staff[Role.REPORTER])  # authors follow their own story
    html = client.get(timeline_url(story)).content.decode()
    assert "Biên tập viên duyệt (taichinh)" in html


@pytest.mark.parametrize("who", ["other_unit_editor_in_chief", Role.DISTRIBUTION])
def test_others_cannot_read_the_timeline(client, staff, newsroom, who):
    client.force_login(staff[who])
    assert refused(client.get(timeline_url(newsroom.finance.rail)))


def test_the_timeline_costs_the_same_for_a_long_history(client, staff, newsroom):
    short = make_article(newsroom.finance.economy, title="Tin ngắn")
    long = make_article(newsroom.finance.economy, title="Tin dài")
    for _ in range(15):
        long.save_revision(user=staff[Role.DESK_EDITOR], log_action=True)
    client.force_login(staff[Role.MANAGING_EDITOR])
    client.get(timeline_url(short))  # warm the per-process caches

    def count(story):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(timeline_url(story)).status_code == 200
        return len(queries)

    assert count(long) == count(short)


def test_one_persons_saves_in_a_row_are_one_entry(client, staff, newsroom):
    reporter, desk = staff[Role.REPORTER], staff[Role.DESK_EDITOR]
    story = story_draft(newsroom.finance.economy, reporter, title="Bản thảo nhiều lần lưu")
    for user in (reporter, reporter, reporter, desk, reporter):
        story.save_revision(user=user, log_action=True)
    client.force_login(staff[Role.MANAGING_EDITOR])
    html = client.get(timeline_url(story)).content.decode()
    edits = re.findall(r'data-log-action="wagtail\.edit"', html)
    saves = re.findall(r'data-saves="(\d+)"', html)
    # The reporter's three saves, the desk's, the reporter's again.
    assert len(edits) == 3
    assert saves == ["3"]
    assert "3 lần lưu từ" in html
