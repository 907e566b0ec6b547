"""A broker outage never turns a person's action into an error: what the
request asked of the workers waits in the task outbox, and beat relays it
once the broker is back."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from assets.models import ArchiveImage
from publishing.models.newsletters import Subscriber
from relay import outbox
from relay.models import QueuedTask
from relay.tasks import relay_queued_tasks
from tests.helpers import broker_messages, host, make_author, run_queued_tasks, story_draft, story_form
from tests.publishing.worker import celery_broker, free_port
from workflows.models import Notification, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down(django_capture_on_commit_callbacks):
    """Requests answered while nothing listens at the broker's address,
    their commit callbacks run as they would after a real commit."""

    def answer(request):
        with celery_broker(f"redis://127.0.0.1:{free_port()}/0"), django_capture_on_commit_callbacks(execute=True):
            return request()

    # Nothing left over from the shared data's set-up or earlier tests.
    QueuedTask.objects.all().delete()
    run_queued_tasks()
    return answer


def waiting(task):
    return list(QueuedTask.objects.filter(task=task, sent_at__isnull=True).order_by("pk"))


def test_submit_and_approve_succeed_and_their_mails_wait_for_the_broker(client, newsroom, staff, broker_down, caplog):
    reporter, desk = staff[Role.REPORTER], staff[Role.DESK_EDITOR]
    story = story_draft(newsroom.finance.economy, reporter, title="Giá xăng giảm", author=make_author("Phóng viên Xăng", user=reporter))
    client.force_login(reporter)
    submitted = broker_down(lambda: client.post(reverse("wagtailadmin_pages:edit", args=[story.pk]), story_form(story, **{"action-submit": "submit"})))
    assert submitted.status_code == 302
    story.refresh_from_db()
    first_step = story.current_workflow_task_state
    assert first_step.status == "in_progress"

    client.force_login(desk)
    approved = broker_down(lambda: client.post(reverse("wagtailadmin_pages:workflow_action", args=[story.pk, "approve", first_step.pk]), {"comment": ""}))
    assert approved.status_code == 302
    story.refresh_from_db()
    assert story.current_workflow_task_state.pk != first_step.pk  # on to the next step

    rows = waiting("workflows.tasks.send_notification_emails")
    notices = Notification.objects.filter(page=story)
    assert len(rows) == 2 and sorted(pk for row in rows for pk in row.args[0]) == sorted(notices.values_list("pk", flat=True))
    assert all(row.tries == 1 and "OperationalError" in row.last_error for row in rows)
    assert "broker unavailable" in caplog.text
    assert mail.outbox == []

    # The broker is back (the test settings' in-memory one): beat relays,
    # a worker sends, each person once, in Vietnamese.
    relay_queued_tasks.apply()
    assert waiting("workflows.tasks.send_notification_emails") == []
    assert run_queued_tasks() == ["workflows.tasks.send_notification_emails"] * 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(notices.values_list("recipient__email", flat=True))
    assert all("đang chờ bạn duyệt" in m.subject for m in mail.outbox)


def test_a_subscription_is_recorded_and_its_confirmation_waits(client, newsroom, broker_down):
    unit = newsroom.finance.unit
    answer = broker_down(lambda: client.post("/newsletter/", {"email": "doc.gia@example.vn"}, **host(unit)))
    assert answer.status_code == 200 and b'id="newsletter-sent"' in answer.content
    reader = Subscriber.objects.get(unit=unit, email="doc.gia@example.vn")
    [row] = waiting("publishing.tasks.send_newsletter_confirmation")
    assert row.args == [reader.pk] and mail.outbox == []

    relay_queued_tasks.apply()
    assert run_queued_tasks() == ["publishing.tasks.send_newsletter_confirmation"]
    [message] = mail.outbox
    assert message.to == ["doc.gia@example.vn"] and "/newsletter/confirm/" in message.body


def test_an_upload_is_kept_and_its_renditions_wait(client, newsroom, staff, broker_down):
    buffer = io.BytesIO()
    Image.new("RGB", (48, 32), (10, 120, 60)).save(buffer, "JPEG")
    client.force_login(staff[Role.DESK_EDITOR])
    upload = {
        "title": "Chợ Bến Thành", "license": "all-rights-reserved", "collection": newsroom.finance.unit.archive_collection_id,
        "file": SimpleUploadedFile("cho.jpg", buffer.getvalue(), "image/jpeg"),
    }  # fmt: skip
    assert broker_down(lambda: client.post("/admin/images/add/", upload)).status_code == 302
    image = ArchiveImage.objects.get(title="Chợ Bến Thành")
    [row] = waiting("assets.tasks.generate_renditions")
    assert row.args == [image.pk]

    relay_queued_tasks.apply()
    # Still on the media worker's queue, as the task's route says.
    assert [m.headers["argsrepr"] for m in broker_messages("media")] == [f"({image.pk},)"]


def test_beat_leaves_a_fresh_row_to_its_request_and_prunes_old_sent_ones(caplog):
    now = timezone.now()
    rows = {
        name: QueuedTask.objects.create(task="hoitu.tasks.heartbeat", created_at=now - age, sent_at=sent, tries=tries)
        for name, age, sent, tries in [
            ("in_flight", timedelta(seconds=5), None, 0),
            ("failed_just_now", timedelta(seconds=5), None, 1),
            ("request_died", timedelta(minutes=5), None, 0),
            ("sent_lately", timedelta(days=6), now - timedelta(days=6), 1),
            ("sent_long_ago", timedelta(days=8), now - timedelta(days=8), 1),
        ]
    }
    broker_messages()
    assert sorted(outbox.relay()) == sorted([rows["failed_just_now"].pk, rows["request_died"].pk])
    assert len(broker_messages()) == 2
    assert outbox.prune() == 1
    assert not QueuedTask.objects.filter(pk=rows["sent_long_ago"].pk).exists()
    assert QueuedTask.objects.get(pk=rows["in_flight"].pk).sent_at is None
