"""Moderation e-mails go out from a worker after the commit, in the
recipient's language: Wagtail's own (sent inside the request, in English)
are switched off."""

import pytest
from django.core import mail

from tests.helpers import make_staff, story_draft
from workflows.models import Notification, NotificationKind, Role
from workflows.tasks import send_notification_emails

pytestmark = pytest.mark.django_db


def test_submitting_for_review_sends_no_mail_inside_the_request(newsroom, django_capture_on_commit_callbacks):
    unit = newsroom.finance.unit
    reporter = make_staff(unit, Role.REPORTER)
    desk = make_staff(unit, Role.DESK_EDITOR)
    story = story_draft(newsroom.finance.economy, reporter)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        story.get_workflow().start(story, reporter)
    assert mail.outbox == []
    notice = Notification.objects.get(recipient=desk, kind=NotificationKind.SUBMITTED)
    assert callbacks, "the e-mail is queued for after the commit"
    send_notification_emails.run([notice.pk])
    assert [m.to for m in mail.outbox] == [[desk.email]]
