import logging

from celery import shared_task
from django.core.management import call_command

from .accounts import disable_inactive_accounts as disable_inactive
from .assignments import check_deadlines as check
from .mail import send_notification_emails as send
from .rights import hold_refused_schedules, remind_expiring
from .services import release_embargoes

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True, time_limit=300)
def publish_scheduled():
    """Go-live and expiry, every minute from beat (Wagtail's command
    publishes due revisions and unpublishes expired pages); first, a story
    that would show an archive item it may not show then leaves the schedule."""
    hold_refused_schedules()
    call_command("publish_scheduled", verbosity=0)

    release_embargoes()


@shared_task(bind=True, ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5, time_limit=300)
def send_notification_emails(self, notification_ids):
    """E-mails notifications after the request; only the messages that
    failed are tried again, later."""

    failed = send(notification_ids)
    if failed:
        if self.request.retries >= self.max_retries:
            logger.error("Giving up on notification e-mails %s", failed)
            return
        raise self.retry(args=[failed], countdown=60 * 2**self.request.retries)


@shared_task(ignore_result=True, time_limit=300)
def check_deadlines():
    """Every few minutes from beat: "deadline near" and "overdue" notices
    for assigned work, each sent once."""

    return check()


@shared_task(ignore_result=True, time_limit=300)
def disable_inactive_accounts():
    """Daily from beat: accounts unused for ACCOUNT_INACTIVE_DAYS are
    disabled and their unit administrators told."""
    disabled = disable_inactive()
    if disabled:
        logger.info("Disabled %d unused accounts", len(disabled))


@shared_task(ignore_result=True, time_limit=300)
def remind_archive_rights():
    """Daily from beat: the editors of live stories showing an archive item
    whose licence ends soon hear of it (workflows.rights)."""
    return remind_expiring()
