import logging
import smtplib

from celery import shared_task
from celery.signals import worker_shutdown

from . import newsletters, services

logger = logging.getLogger(__name__)


# A chunked upload keeps its claim chunk after chunk; the limit ends one
# that hangs (the sweeper hands its delivery to another worker).
@shared_task(acks_late=True, ignore_result=True, time_limit=1800)
def deliver(delivery_ids):
    """Send deliveries (create, update or remove their posts): a story's
    channels, or one delivery (messages queued before 2026-12 carry one id)."""
    services.process_many(delivery_ids if isinstance(delivery_ids, list) else [delivery_ids])


@worker_shutdown.connect
def stop_sending(**kwargs):
    """The send threads' database connections are closed with the worker."""
    services.stop_sending()


@shared_task(ignore_result=True, time_limit=120)
def sweep_deliveries():
    """Queue again the deliveries whose message may have been lost."""
    return len(services.sweep())


@shared_task(ignore_result=True, time_limit=1800)
def send_newsletters():
    """Send the newsletter digests that are due (every unit, every channel)."""

    return newsletters.send_due_digests()


@shared_task(bind=True, ignore_result=True, acks_late=True, max_retries=6, time_limit=120)
def send_newsletter_confirmation(self, subscriber_pk):
    """Mail a reader the link that confirms their subscription."""

    try:
        newsletters.send_confirmation(subscriber_pk)
    except smtplib.SMTPRecipientsRefused:
        logger.info("newsletter confirmation to subscriber %s refused by the mail server", subscriber_pk)
    except OSError as error:  # smtplib's errors too: the server is down or busy
        if self.request.retries >= self.max_retries:
            logger.error("newsletter confirmation to subscriber %s given up (%s)", subscriber_pk, error.__class__.__name__)
            return
        logger.warning("newsletter confirmation to subscriber %s not sent yet (%s)", subscriber_pk, error.__class__.__name__)
        raise self.retry(countdown=30 * 2**self.request.retries) from None
