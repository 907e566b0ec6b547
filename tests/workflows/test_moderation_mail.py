"""Moderation e-mails are the product's own, in the recipient's language,
sent by a worker: Wagtail's (sent inside the request, in English) are
switched off, and a request only queues."""

import pytest
from django.core import mail
from django.urls import reverse

from relay.models import QueuedTask
from tests.helpers import make_author, run_queued_tasks, story_draft, story_form
from workflows.models import Role

pytestmark = pytest.mark.django_db


def test_submit_and_approve_mail_only_the_product_s_vietnamese_notices_from_the_worker(client, newsroom, staff, django_capture_on_commit_callbacks):
    reporter, desk = staff[Role.REPORTER], staff[Role.DESK_EDITOR]
    story = story_draft(newsroom.finance.economy, reporter, title="Lúa gạo xuất khẩu", author=make_author("Phóng viên Lúa", user=reporter))
    run_queued_tasks()  # nothing left over from earlier tests

    client.force_login(reporter)
    with django_capture_on_commit_callbacks(execute=True):
        submitted = client.post(reverse("wagtailadmin_pages:edit", args=[story.pk]), story_form(story, **{"action-submit": "submit"}))
    assert submitted.status_code == 302
    assert mail.outbox == []
    story.refresh_from_db()

    client.force_login(desk)
    step = story.current_workflow_task_state
    with django_capture_on_commit_callbacks(execute=True):
        approved = client.post(reverse("wagtailadmin_pages:workflow_action", args=[story.pk, "approve", step.pk]), {"comment": ""})
    assert approved.status_code == 302
    assert mail.outbox == []
    assert QueuedTask.objects.filter(task="workflows.tasks.send_notification_emails", sent_at__isnull=False).count() == 2

    story.refresh_from_db()
    next_step = story.current_workflow_task_state

    assert run_queued_tasks() == ["workflows.tasks.send_notification_emails"] * 2
    # One e-mail per reviewer of each step the story reached, no other.
    awaits = "[Thời báo Tài chính] “Lúa gạo xuất khẩu” đang chờ bạn duyệt ({})"
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == sorted(
        [
            (desk.email, awaits.format(step.task.name)),
            (staff[Role.SECTION_HEAD].email, awaits.format(step.task.name)),
            (staff[Role.MANAGING_EDITOR].email, awaits.format(next_step.task.name)),
        ]
    )
