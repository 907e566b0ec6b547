"""E-mails for notifications (run in the worker, see tasks.py)."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Notification

logger = logging.getLogger(__name__)


def send_notification_emails(notification_ids):
    """Send each not-yet-sent notification once; a failure leaves it unsent
    (the task retries) without re-sending the ones that went out."""
    pending = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).select_related("recipient", "actor", "unit")
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    sent = 0
    for notification in pending:
        recipient = notification.recipient
        if not recipient.email or not recipient.is_active:
            continue
        language = getattr(getattr(recipient, "wagtail_userprofile", None), "preferred_language", "") or settings.LANGUAGE_CODE
        with translation.override(language):
            context = {"notification": notification, "recipient": recipient, "url": base_url + notification.url if notification.url else base_url}
            subject = render_to_string("workflows/email/notification_subject.txt", context).strip()
            text = render_to_string("workflows/email/notification.txt", context)
            html = render_to_string("workflows/email/notification.html", context)
        message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [recipient.email])
        message.attach_alternative(html, "text/html")
        message.send()
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent
