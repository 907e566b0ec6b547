"""Notices to people: a row per recipient (the admin's notification list)
and an e-mail sent by a Celery task, queued through the task outbox in the
same transaction, never inside the request."""

from itertools import chain

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Comment, CommentReply, PageSubscription

import relay
from newsroom.models import ArticleAuthor, Unit

from .models import Notification, NotificationKind


def story_people(story):
    """Everyone who wrote the story: its owner and the users behind its
    bylines."""

    ids = set(ArticleAuthor.objects.filter(article_id=story.pk, author__user__isnull=False).values_list("author__user_id", flat=True))
    if story.owner_id:
        ids.add(story.owner_id)
    return ids


def group_members(groups):
    users = get_user_model().objects.filter(is_active=True, groups__in=groups)
    return set(users.values_list("pk", flat=True).distinct())


def notify(recipients, kind, message, *, actor=None, page=None, assignment=None, unit=None, comment="", url=""):
    """Create one notification per recipient (never the actor) and queue
    their e-mails (sent by a worker after the commit)."""
    recipient_ids = {pk for pk in recipients if pk and (actor is None or pk != actor.pk)}
    if not recipient_ids:
        return []
    if page is not None and unit is None:
        unit = Unit.objects.for_page(page)
    if not url and page is not None:
        url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    rows = Notification.objects.bulk_create(
        Notification(
            recipient_id=pk,
            kind=kind,
            actor=actor,
            unit=unit,
            page=page,
            assignment=assignment,
            message=message[:500],
            comment=comment,
            url=url,
        )
        for pk in sorted(recipient_ids)
    )
    # Imported here: the tasks module imports this one (via assignments).
    from .tasks import send_notification_emails

    # PostgreSQL and SQLite both return the new primary keys from bulk_create.
    relay.enqueue(send_notification_emails, [row.pk for row in rows])
    return rows


# What a change to a page's comments says: the notice's message when a
# person hears of one kind of change, the label of its line when of several.
COMMENT_CHANGES = {
    "new": (gettext_lazy("%(name)s commented on “%(title)s”"), gettext_lazy("New comment")),
    "reply": (gettext_lazy("%(name)s replied to a comment on “%(title)s”"), gettext_lazy("Reply")),
    "resolved": (gettext_lazy("%(name)s resolved a comment on “%(title)s”"), gettext_lazy("Resolved")),
    "deleted": (gettext_lazy("%(name)s deleted a comment on “%(title)s”"), gettext_lazy("Deleted")),
}


def notify_comment_changes(page, editor, *, new_comments=(), new_replies=(), resolved_comments=(), deleted_comments=()):
    """Tell people of the comments an editor added, answered, resolved or
    deleted in one save, as Wagtail's own e-mail would (the same people):
    the page's comment subscribers hear of every change, the people in a
    replied-to or resolved thread of that thread's; never the editor nor
    anyone who turned comment notices off in their account. One notice per
    person, quoting the comments."""
    changes = [("new", comment.pk, comment.text) for comment in new_comments]
    changes += [("reply", comment.pk, reply.text) for comment, replies in new_replies for reply in replies]
    changes += [("resolved", comment.pk, comment.text) for comment in resolved_comments]
    changes += [("deleted", None, comment.text) for comment in deleted_comments]
    if not changes:
        return []

    subscribers = set(PageSubscription.objects.filter(page=page, comment_notifications=True).values_list("user_id", flat=True))
    thread_ids = {comment_id for kind, comment_id, _text in changes if kind in ("reply", "resolved")}
    threads_of = {}
    in_threads = chain(
        Comment.objects.filter(pk__in=thread_ids).values_list("pk", "user_id"),
        CommentReply.objects.filter(comment_id__in=thread_ids).values_list("comment_id", "user_id"),
    )
    for comment_id, user_id in in_threads:
        threads_of.setdefault(user_id, set()).add(comment_id)
    listening = set(
        get_user_model()
        .objects.filter(pk__in=subscribers | set(threads_of), is_active=True)
        .exclude(pk=editor.pk)
        .exclude(wagtail_userprofile__updated_comments_notifications=False)
        .values_list("pk", flat=True)
    )

    # People who hear of the same changes share one message.
    recipients_of = {}
    for pk in listening:
        heard = tuple(change for change in changes if pk in subscribers or change[1] in threads_of[pk])
        if heard:
            recipients_of.setdefault(heard, set()).add(pk)
    name = editor.get_full_name() or editor.get_username()
    rows = []
    for heard, recipients in recipients_of.items():
        kinds = {kind for kind, _pk, _text in heard}
        if len(kinds) == 1:
            message = COMMENT_CHANGES[kinds.pop()][0]
            quote = "\n".join(_short(text) for _kind, _pk, text in heard)
        else:
            message = _("%(name)s changed the comments on “%(title)s”")
            quote = "\n".join(f"{COMMENT_CHANGES[kind][1]}: {_short(text)}" for kind, _pk, text in heard)
        rows += notify(recipients, NotificationKind.COMMENT, message % {"name": name, "title": page.title}, actor=editor, page=page, comment=quote)
    return rows


def _short(text):
    return Truncator(" ".join(text.split())).chars(200)


def unread_count(user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_all_read(user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def open_notification(user, pk):
    """Mark one of the user's own notifications read and return it
    (Notification.DoesNotExist for anybody else's)."""
    notification = Notification.objects.get(pk=pk, recipient=user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=pk).update(read_at=notification.read_at)
    return notification

__all__ = ["NotificationKind", "group_members", "mark_all_read", "notify", "notify_comment_changes", "open_notification", "story_people", "unread_count"]
