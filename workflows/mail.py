"""E-mails for notifications (run in the worker, see tasks.py)."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Notification

logger = logging.getLogger(__name__)


def _message(notification, base_url, connection):
    recipient = notification.recipient
    profile = getattr(recipient, "wagtail_userprofile", None)
    language = getattr(profile, "preferred_language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {"notification": notification, "recipient": recipient, "url": base_url + notification.url if notification.url else base_url}
        subject = " ".join(render_to_string("workflows/email/notification_subject.txt", context).split())
        text = render_to_string("workflows/email/notification.txt", context)
        html = render_to_string("workflows/email/notification.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [recipient.email], connection=connection)
    message.attach_alternative(html, "text/html")
    return message


def send_notification_emails(notification_ids):
    """Send each not-yet-handled notification once. ``emailed_at`` marks a
    notification as handled: sent, or nothing to send (no address, account
    inactive), so it is never picked up again. A failed message does not
    stop the others; the ids that failed are returned for a retry."""
    pending = (
        Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
        .select_related("recipient__wagtail_userprofile", "actor", "unit")
        .order_by("pk")
    )
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    handled, failed = [], []
    with get_connection(fail_silently=False) as connection:
        for notification in pending:
            recipient = notification.recipient
            if not recipient.email or not recipient.is_active:
                handled.append(notification.pk)
                continue
            try:
                _message(notification, base_url, connection).send()
            except Exception:
                logger.exception("Notification e-mail %s to %s failed", notification.pk, recipient.email)
                failed.append(notification.pk)
                continue
            # Marked one by one: a crash later in the batch must not re-send this one.
            Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    if handled:
        Notification.objects.filter(pk__in=handled).update(emailed_at=timezone.now())
    return failed
