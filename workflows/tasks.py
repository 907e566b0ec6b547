import logging

from celery import shared_task
from django.core.management import call_command

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def publish_scheduled():
    """Go-live and expiry, every minute from beat (Wagtail's command
    publishes due revisions and unpublishes expired pages)."""
    call_command("publish_scheduled", verbosity=0)


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_emails(notification_ids):
    from .mail import send_notification_emails as send

    send(notification_ids)
