"""Notifications: who hears of each step of a story, the in-admin list
and unread count, e-mails sent from the worker only, deadline notices."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from wagtail.users.models import UserProfile

from relay.models import QueuedTask
from tests.helpers import run_queued_tasks, story_draft
from workflows import assignments as assignment_service
from workflows import tasks
from workflows.hooks.notifications import NotificationsMenuItem
from workflows.mail import send_notification_emails
from workflows.models import Notification, NotificationKind, Role
from workflows.notifications import notify
from workflows.services import take_down

pytestmark = pytest.mark.django_db


def kinds_for(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("kind", flat=True))


def act(story, user, action, comment=""):
    state = story.current_workflow_task_state
    state.task.specific.on_action(state, user, action, comment=comment)
    story.refresh_from_db()


def test_each_step_of_a_story_notifies_the_right_people(client, newsroom, staff):
    reporter = staff[Role.REPORTER]
    story = story_draft(newsroom.finance.economy, reporter, title="Giá vàng lập đỉnh")
    story.get_workflow().start(story, reporter)
    story.refresh_from_db()
    # The first step's reviewers (desk editors and the section heads of the unit), not the author.
    submitted = set(Notification.objects.filter(kind=NotificationKind.SUBMITTED).values_list("recipient__username", flat=True))
    assert {"tc.desk_editor", "tc.section_head"} <= submitted
    assert "tc.reporter" not in submitted and "tc.managing_editor" not in submitted and "ld.reporter" not in submitted

    act(story, staff[Role.DESK_EDITOR], "approve")
    assert Notification.objects.filter(kind=NotificationKind.SUBMITTED, recipient=staff[Role.MANAGING_EDITOR]).exists()
    act(story, staff[Role.MANAGING_EDITOR], "reject", comment="Thiếu nguồn số liệu")
    sent_back = Notification.objects.get(recipient=reporter, kind=NotificationKind.SENT_BACK)
    assert sent_back.comment == "Thiếu nguồn số liệu" and sent_back.actor == staff[Role.MANAGING_EDITOR]
    assert "Giá vàng lập đỉnh" in sent_back.message and sent_back.page_id == story.pk

    story.save_revision(user=reporter)
    story.current_workflow_state.resume(user=reporter)
    story.refresh_from_db()
    act(story, staff[Role.MANAGING_EDITOR], "approve")
    # The final approval, which publishes, through the admin.
    client.force_login(staff[Role.EDITOR_IN_CHIEF])
    state = story.current_workflow_task_state
    response = client.post(reverse("wagtailadmin_pages:workflow_action", args=[story.pk, "approve", state.pk]), {"comment": ""})
    assert response.status_code in (200, 302)
    story.refresh_from_db()
    assert story.live
    # Publishing happens inside the final approval, so it is announced first.
    assert kinds_for(reporter) == [NotificationKind.SENT_BACK, NotificationKind.PUBLISHED, NotificationKind.APPROVED]

    take_down(story, staff[Role.EDITOR_IN_CHIEF], "Sai sự thật")
    taken = Notification.objects.get(recipient=reporter, kind=NotificationKind.TAKEN_DOWN)
    assert taken.comment == "Sai sự thật"
    # Nobody is told of their own action.
    assert not Notification.objects.filter(recipient=staff[Role.EDITOR_IN_CHIEF], kind=NotificationKind.TAKEN_DOWN).exists()


def test_a_request_never_sends_mail_itself(client, newsroom, staff, django_capture_on_commit_callbacks):
    assignment = assignment_service.propose(staff[Role.REPORTER], newsroom.finance.unit, title="Bão số 3", section=newsroom.finance.economy)
    client.force_login(staff[Role.MANAGING_EDITOR])
    run_queued_tasks()  # nothing left over from earlier tests
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("workflows_assignments:assign", args=[assignment.pk]), {"assignees": [staff[Role.REPORTER].pk]})
    assert response.status_code == 302
    assert mail.outbox == []
    # The worker then sends it, once.
    assert run_queued_tasks() == ["workflows.tasks.send_notification_emails"]
    assert [m.to for m in mail.outbox] == [["tc.reporter@example.vn"]]
    assert "Bão số 3" in mail.outbox[0].subject and "/admin/assignments/" in mail.outbox[0].body
    [queued] = QueuedTask.objects.filter(task="workflows.tasks.send_notification_emails")
    tasks.send_notification_emails.apply(args=queued.args)
    assert len(mail.outbox) == 1


def test_mail_skips_missing_addresses_and_survives_failures(newsroom, staff, monkeypatch):
    staff[Role.CONTRIBUTOR].email = ""
    staff[Role.CONTRIBUTOR].save()
    people = [staff[Role.CONTRIBUTOR], staff[Role.DESK_EDITOR], staff[Role.REPORTER]]
    rows = notify([p.pk for p in people], NotificationKind.COMMENT, "Họp giao ban lúc 9 giờ", unit=newsroom.finance.unit, url="/admin/")
    ids = [row.pk for row in rows]
    real_send = EmailMultiAlternatives.send

    def flaky(message, *args, **kwargs):
        if message.to == ["tc.desk_editor@example.vn"]:
            raise OSError("SMTP refused")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", flaky)
    failed = send_notification_emails(ids)
    desk = Notification.objects.get(recipient=staff[Role.DESK_EDITOR])
    assert failed == [desk.pk]
    assert [m.to for m in mail.outbox] == [["tc.reporter@example.vn"]]
    # No address: handled, never tried again; the failed one stays pending.
    assert Notification.objects.get(recipient=staff[Role.CONTRIBUTOR]).emailed_at is not None
    assert desk.emailed_at is None

    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)
    assert send_notification_emails(ids) == []
    assert sorted(m.to[0] for m in mail.outbox) == ["tc.desk_editor@example.vn", "tc.reporter@example.vn"]


def test_the_notification_list(client, newsroom, staff, django_assert_max_num_queries):
    reporter, other = staff[Role.REPORTER], staff[Role.CONTRIBUTOR]
    old = notify([reporter.pk], NotificationKind.COMMENT, "Thông báo cũ", url="/admin/pages/")[0]
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=2), read_at=timezone.now())
    new = notify([reporter.pk], NotificationKind.ASSIGNED, "Thông báo mới", url="/admin/assignments/")[0]
    notify([other.pk], NotificationKind.COMMENT, "Của người khác")
    client.force_login(reporter)
    page = client.get(reverse("workflows_notifications:index")).content.decode()
    assert page.index("Thông báo mới") < page.index("Thông báo cũ")
    assert "Của người khác" not in page
    # Unread in bold, read not.
    assert page.count("<strong><a") == 1 and page.index("<strong><a") < page.index("Thông báo mới")

    response = client.get(reverse("workflows_notifications:open", args=[new.pk]))
    assert response.status_code == 302 and response["Location"] == "/admin/assignments/"
    new.refresh_from_db()
    assert new.read_at is not None
    foreign = Notification.objects.get(message="Của người khác")
    assert client.get(reverse("workflows_notifications:open", args=[foreign.pk])).status_code == 404

    # The list costs the same with many notifications as with a few.
    index = reverse("workflows_notifications:index")
    with django_assert_max_num_queries(100) as few:
        client.get(index)
    for n in range(40):
        notify([reporter.pk], NotificationKind.COMMENT, f"Thêm {n}", actor=other, unit=newsroom.finance.unit)
    with django_assert_max_num_queries(len(few.captured_queries)):
        crowded = client.get(index).content.decode()
    assert "Thêm 39" in crowded and "Thêm 0" not in crowded  # 30 a page, newest first

    assert client.get(reverse("workflows_notifications:mark_all_read")).status_code == 405
    assert client.post(reverse("workflows_notifications:mark_all_read")).status_code == 302
    assert not Notification.objects.filter(recipient=reporter, read_at__isnull=True).exists()
    assert Notification.objects.get(message="Của người khác").read_at is None


def test_an_external_url_is_never_followed(client, staff):
    row = notify([staff[Role.REPORTER].pk], NotificationKind.COMMENT, "Lạ", url="https://evil.example/")[0]
    client.force_login(staff[Role.REPORTER])
    response = client.get(reverse("workflows_notifications:open", args=[row.pk]))
    assert response["Location"] == reverse("workflows_notifications:index")


def test_unread_count_in_the_menu_and_on_the_dashboard(client, staff, django_assert_max_num_queries):
    reporter = staff[Role.REPORTER]
    profile = UserProfile.get_for_user(reporter)
    profile.preferred_language = "en"
    profile.save()
    notify([reporter.pk], NotificationKind.COMMENT, "Tin thứ nhất")
    notify([reporter.pk], NotificationKind.COMMENT, "Tin thứ hai")
    client.force_login(reporter)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Notifications (2 unread)" in home
    assert "Tin thứ hai" in home and "Tin thứ nhất" in home

    request = RequestFactory().get("/admin/")
    request.user = reporter
    item = NotificationsMenuItem("Notifications", "/admin/notifications/")
    with django_assert_max_num_queries(1):
        component = item.render_component(request)
    assert "2" in str(component.label)
    Notification.objects.update(read_at=timezone.now())
    assert str(item.render_component(request).label) == "Notifications"

    # The dashboard costs the same with many unread notices as with two.
    client.get(reverse("wagtailadmin_home"))
    with django_assert_max_num_queries(200) as few:
        client.get(reverse("wagtailadmin_home"))
    for n in range(25):
        notify([reporter.pk], NotificationKind.COMMENT, f"Tin {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("wagtailadmin_home"))


@pytest.fixture
def due(newsroom, staff):
    def make(title, deadline, status_assign=True):
        assignees = [staff[Role.REPORTER]] if status_assign else ()
        return assignment_service.propose(
            staff[Role.EDITOR_IN_CHIEF], newsroom.finance.unit, title=title, section=newsroom.finance.economy,
            deadline=timezone.now() + deadline, assignees=assignees,
        )

    return make


def test_deadline_near_and_overdue_are_sent_once(newsroom, staff, due, settings):
    settings.ASSIGNMENT_DEADLINE_WARNING_MINUTES = 90
    soon = due("Sắp đến hạn", timedelta(hours=1))
    later = due("Còn xa", timedelta(hours=3))
    late = due("Đã trễ", timedelta(minutes=-5))
    due("Chỉ mới đề xuất", timedelta(minutes=30), status_assign=False)
    Notification.objects.all().delete()

    tasks.check_deadlines.apply()
    near = Notification.objects.filter(kind=NotificationKind.DEADLINE_NEAR)
    overdue = Notification.objects.filter(kind=NotificationKind.OVERDUE)
    assert {(n.assignment.title, n.recipient.username) for n in near} == {
        ("Sắp đến hạn", "tc.reporter"), ("Sắp đến hạn", "tc.managing_editor"),
    }
    assert {(n.assignment.title, n.recipient.username) for n in overdue} == {
        ("Đã trễ", "tc.reporter"), ("Đã trễ", "tc.managing_editor"),
    }
    soon.refresh_from_db()
    late.refresh_from_db()
    assert soon.deadline_warned_at and late.overdue_notified_at

    tasks.check_deadlines.apply()
    assert Notification.objects.count() == 4

    # Later, the second one nears its deadline and the first runs late.
    tasks.check_deadlines.apply()
    assignment_service.Assignment.objects.filter(pk=later.pk).update(deadline=timezone.now() + timedelta(minutes=20))
    assignment_service.Assignment.objects.filter(pk=soon.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    tasks.check_deadlines.apply()
    assert Notification.objects.filter(kind=NotificationKind.DEADLINE_NEAR, assignment=later).count() == 2
    assert Notification.objects.filter(kind=NotificationKind.OVERDUE, assignment=soon).count() == 2


def test_done_and_cancelled_work_is_not_chased(newsroom, staff, due):
    cancelled = due("Đã huỷ", timedelta(minutes=-30))
    assignment_service.cancel(cancelled, staff[Role.MANAGING_EDITOR])
    Notification.objects.all().delete()
    tasks.check_deadlines.apply()
    assert not Notification.objects.exists()


def test_the_task_retries_only_the_messages_that_failed(newsroom, staff, monkeypatch):
    people = [staff[Role.DESK_EDITOR], staff[Role.REPORTER]]
    ids = [row.pk for row in notify([p.pk for p in people], NotificationKind.COMMENT, "Giao ban", url="/admin/")]
    real_send = EmailMultiAlternatives.send
    failures = []

    def fails_once(message, *args, **kwargs):
        if message.to == ["tc.desk_editor@example.vn"] and not failures:
            failures.append(message.to)
            raise OSError("SMTP busy")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", fails_once)
    tasks.send_notification_emails.apply(args=[ids])
    assert sorted(m.to[0] for m in mail.outbox) == ["tc.desk_editor@example.vn", "tc.reporter@example.vn"]
    assert not Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).exists()
