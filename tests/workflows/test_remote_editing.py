"""Remote work through the admin's own HTTP endpoints, for our roles:
autosave, locking, concurrent-editing notices and comments."""

import json

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from wagtail.models import Comment, Page, PageLogEntry, PageSubscription
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield
from wagtail.users.models import UserProfile

from newsroom.models import ArticlePage
from tests.helpers import make_author, refused, run_queued_tasks, story_draft
from workflows.models import Notification, NotificationKind, Role

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def edit_url(story):
    return reverse("wagtailadmin_pages:edit", args=[story.pk])


def open_editor(client, story):
    """GET the editor and return its form as the browser would post it
    (the body's blocks are built by the browser's JavaScript, so they are
    added from the story's text)."""
    response = client.get(edit_url(story))
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    body = latest(story).body
    data.update(nested_form_data({"body": streamfield([("paragraph", rich_text(block.value.source)) for block in body])}))
    return response, data


def latest(story):
    return ArticlePage.objects.get(pk=story.pk).get_latest_revision_as_object()


@pytest.fixture
def draft(newsroom, staff):
    author = make_author("Phạm Thu Hà", user=staff[Role.REPORTER])
    return story_draft(newsroom.finance.economy, staff[Role.REPORTER], title="Chợ nổi Cái Răng vào mùa", author=author)


def test_the_editor_autosaves_every_two_seconds(client, staff, draft):
    assert settings.WAGTAIL_AUTOSAVE_INTERVAL == 2000
    client.force_login(staff[Role.REPORTER])
    response, _data = open_editor(client, draft)
    assert 'data-w-autosave-interval-value="2000"' in response.content.decode()


def test_a_reporters_autosave_keeps_one_revision_per_session(client, staff, draft):
    client.force_login(staff[Role.REPORTER])
    _response, data = open_editor(client, draft)
    before = draft.revisions.count()
    data["sapo"] = "Bản nháp đang viết dở."
    first = client.post(edit_url(draft), data, **JSON)
    assert first.status_code == 200, first.content
    saved = first.json()
    assert saved["success"] is True
    assert draft.revisions.count() == before + 1
    assert latest(draft).sapo == "Bản nháp đang viết dở."

    # The next autosave of the same session overwrites that revision.
    data["sapo"] = "Bản nháp đã viết thêm."
    data["overwrite_revision_id"] = str(saved["revision_id"])
    second = client.post(edit_url(draft), data, **JSON).json()
    assert second["success"] is True and second["revision_id"] == saved["revision_id"]
    assert draft.revisions.count() == before + 1
    assert latest(draft).sapo == "Bản nháp đã viết thêm."
    assert not ArticlePage.objects.get(pk=draft.pk).live  # a save never publishes


def test_an_autosave_does_not_overwrite_a_colleagues_newer_save(client, staff, draft):
    client.force_login(staff[Role.REPORTER])
    _response, stale = open_editor(client, draft)
    draft.save_revision(user=staff[Role.DESK_EDITOR])  # the desk saved meanwhile
    stale["sapo"] = "Bản cũ của phóng viên."
    answer = client.post(edit_url(draft), stale, **JSON).json()
    assert answer["success"] is False and answer["error_code"] == "invalid_revision"
    assert latest(draft).sapo != "Bản cũ của phóng viên."


def test_a_desk_lock_stops_the_reporter_until_unlocked(client, staff, draft):
    client.force_login(staff[Role.REPORTER])
    _response, data = open_editor(client, draft)

    desk = staff[Role.DESK_EDITOR]
    client.force_login(desk)
    assert client.post(reverse("wagtailadmin_pages:lock", args=[draft.pk])).status_code == 302
    page = Page.objects.get(pk=draft.pk)
    assert page.locked and page.locked_by == desk
    assert PageLogEntry.objects.filter(page=draft, action="wagtail.lock", user=desk).exists()

    client.force_login(staff[Role.REPORTER])
    editor = client.get(edit_url(draft)).content.decode()
    assert "locked" in editor.lower() or "khóa" in editor.lower()
    revisions = draft.revisions.count()
    data["sapo"] = "Sửa khi bài đang bị khóa."
    autosave = client.post(edit_url(draft), data, **JSON)
    assert autosave.json()["success"] is False
    client.post(edit_url(draft), data)  # nor through the form
    assert draft.revisions.count() == revisions
    assert refused(client.post(reverse("wagtailadmin_pages:unlock", args=[draft.pk])))
    assert Page.objects.get(pk=draft.pk).locked

    client.force_login(desk)
    client.post(reverse("wagtailadmin_pages:unlock", args=[draft.pk]))
    client.force_login(staff[Role.REPORTER])
    _response, data = open_editor(client, draft)
    data["sapo"] = "Sửa sau khi mở khóa."
    assert client.post(edit_url(draft), data, **JSON).json()["success"] is True
    assert latest(draft).sapo == "Sửa sau khi mở khóa."


def _session_ping_url(html):
    marker = "/admin/editing-sessions/ping/"
    start = html.index(marker)
    return html[start : html.index('"', start)]


def test_two_editors_see_each_other(client, staff, draft):
    client.force_login(staff[Role.REPORTER])
    reporter_ping = _session_ping_url(client.get(edit_url(draft)).content.decode())
    client.force_login(staff[Role.DESK_EDITOR])
    desk_ping = _session_ping_url(client.get(edit_url(draft)).content.decode())
    answer = client.post(desk_ping, {"is_editing": "1"}).json()
    assert [s["user"] for s in answer["other_sessions"]] == ["Reporter"]

    client.force_login(staff[Role.REPORTER])
    answer = client.post(reporter_ping).json()
    assert [(s["user"], s["is_editing"]) for s in answer["other_sessions"]] == [("Desk Editor", True)]
    assert "Desk Editor" in answer["html"]


def test_another_units_staff_cannot_join_the_session(client, staff, draft):
    client.force_login(staff[Role.REPORTER])
    ping = _session_ping_url(client.get(edit_url(draft)).content.decode())
    client.force_login(staff["other_unit_editor_in_chief"])
    assert client.post(ping).status_code == 404


def comment_forms(*comments):
    """The comments app's formset, which the browser builds: each comment a
    dict with its ``text``, and for one already saved its ``id``, maybe
    ``resolved`` or ``DELETE`` and its ``replies`` as (id or None, text)."""
    data = {
        "comments-TOTAL_FORMS": str(len(comments)),
        "comments-INITIAL_FORMS": str(sum(1 for c in comments if c.get("id"))),
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    for n, comment in enumerate(comments):
        prefix = f"comments-{n}"
        replies = comment.get("replies", [])
        data.update(
            {
                f"{prefix}-id": str(comment.get("id", "")),
                f"{prefix}-contentpath": "sapo",
                f"{prefix}-text": comment["text"],
                f"{prefix}-position": "",
                f"{prefix}-resolved": "on" if comment.get("resolved") else "",
                f"{prefix}-DELETE": "on" if comment.get("DELETE") else "",
                f"{prefix}-replies-TOTAL_FORMS": str(len(replies)),
                f"{prefix}-replies-INITIAL_FORMS": str(sum(1 for pk, _text in replies if pk)),
                f"{prefix}-replies-MIN_NUM_FORMS": "0",
                f"{prefix}-replies-MAX_NUM_FORMS": "1000",
            }
        )
        for m, (pk, text) in enumerate(replies):
            data.update({f"{prefix}-replies-{m}-id": str(pk or ""), f"{prefix}-replies-{m}-text": text})
    return data


def save_comments(client, user, story, *comments):
    client.force_login(user)
    _response, data = open_editor(client, story)
    data.update(comment_forms(*comments))
    saved = client.post(edit_url(story), data, **JSON).json()
    assert saved["success"] is True, saved


def comment_notices(story):
    notices = Notification.objects.filter(kind=NotificationKind.COMMENT, page=story).order_by("recipient__username")
    return [(n.recipient.username, n.message, n.comment) for n in notices]


def test_a_desk_comment_is_stored_and_the_subscribed_reporter_told(client, staff, draft, django_capture_on_commit_callbacks):
    reporter, desk = staff[Role.REPORTER], staff[Role.DESK_EDITOR]
    client.force_login(reporter)
    _response, data = open_editor(client, draft)
    data["comment_notifications"] = "on"
    client.post(edit_url(draft), data, **JSON)  # the reporter follows comments
    assert PageSubscription.objects.get(page=draft, user=reporter).comment_notifications

    run_queued_tasks()  # nothing left over from earlier tests
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        save_comments(client, desk, draft, {"text": "Sapo dài quá, rút còn hai câu."})
    comment = Comment.objects.get(page=draft)
    assert comment.user == desk and comment.contentpath == "sapo"
    assert PageLogEntry.objects.filter(page=draft, action="wagtail.comments.create", user=desk).exists()
    # Told in the admin at once; no e-mail from the request (Wagtail's would be English).
    assert mail.outbox == []
    assert comment_notices(draft) == [("tc.reporter", "Desk Editor đã bình luận về “Chợ nổi Cái Răng vào mùa”", "Sapo dài quá, rút còn hai câu.")]

    # The worker e-mails it, once, in Vietnamese.
    assert run_queued_tasks() == ["workflows.tasks.send_notification_emails"]
    [sent] = mail.outbox
    assert sent.to == [reporter.email]
    assert sent.subject == "[Thời báo Tài chính] Desk Editor đã bình luận về “Chợ nổi Cái Răng vào mùa”"
    assert "Ý kiến: Sapo dài quá, rút còn hai câu." in sent.body

    # The reporter's editor loads it (as JSON for the comments app).
    client.force_login(reporter)
    assert json.dumps("Sapo dài quá, rút còn hai câu.")[1:-1] in client.get(edit_url(draft)).content.decode()


def test_a_reply_and_a_resolve_tell_the_people_in_the_thread(client, staff, draft, django_capture_on_commit_callbacks):
    reporter, desk, managing = staff[Role.REPORTER], staff[Role.DESK_EDITOR], staff[Role.MANAGING_EDITOR]
    save_comments(client, desk, draft, {"text": "Nguồn số liệu ở đâu?"})
    assert comment_notices(draft) == []  # nobody follows the story's comments
    comment = Comment.objects.get(page=draft)

    save_comments(client, reporter, draft, {"id": comment.pk, "text": comment.text, "replies": [(None, "Tổng cục Thống kê, quý III.")]})
    assert comment_notices(draft) == [("tc.desk_editor", "Reporter đã trả lời bình luận về “Chợ nổi Cái Răng vào mùa”", "Tổng cục Thống kê, quý III.")]

    Notification.objects.all().delete()
    reply = comment.replies.get()
    run_queued_tasks()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        save_comments(client, managing, draft, {"id": comment.pk, "text": comment.text, "resolved": True, "replies": [(reply.pk, reply.text)]})
    resolved = "Managing Editor đã đánh dấu giải quyết bình luận về “Chợ nổi Cái Răng vào mùa”"
    assert comment_notices(draft) == [("tc.desk_editor", resolved, "Nguồn số liệu ở đâu?"), ("tc.reporter", resolved, "Nguồn số liệu ở đâu?")]
    assert mail.outbox == []
    run_queued_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([desk.email, reporter.email])
    assert all("Nguồn số liệu ở đâu?" in m.body for m in mail.outbox)


def test_several_changes_in_one_save_make_one_notice_per_follower(client, staff, draft):
    reporter, desk, managing = staff[Role.REPORTER], staff[Role.DESK_EDITOR], staff[Role.MANAGING_EDITOR]
    for person in (reporter, managing):
        PageSubscription.objects.create(page=draft, user=person, comment_notifications=True)
    # The managing editor turned comment notices off in their account.
    UserProfile.objects.update_or_create(user=managing, defaults={"updated_comments_notifications": False})
    save_comments(client, desk, draft, {"text": "Ảnh đầu bài thiếu chú thích."})
    old = Comment.objects.get(page=draft)
    Notification.objects.all().delete()

    save_comments(client, desk, draft, {"id": old.pk, "text": old.text, "DELETE": True}, {"text": "Tít nên ngắn hơn."})
    changed = "Desk Editor đã thay đổi các bình luận về “Chợ nổi Cái Răng vào mùa”"
    assert comment_notices(draft) == [("tc.reporter", changed, "Bình luận mới: Tít nên ngắn hơn.\nĐã xóa: Ảnh đầu bài thiếu chú thích.")]
