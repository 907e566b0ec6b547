"""Notices to people: a row per recipient (the admin's notification list)
and an e-mail sent by a Celery task, queued through the task outbox in the
same transaction, never inside the request."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

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

__all__ = ["NotificationKind", "group_members", "mark_all_read", "notify", "open_notification", "story_people", "unread_count"]
