import logging

from celery import shared_task

from . import chain

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True, time_limit=1800)
def prune_audit_trail():
    """Daily from beat: events past the retention period go, the chain's
    start moves to the anchor."""
    removed = chain.prune()
    if removed:
        logger.info("audit trail: %s events older than %s days pruned", removed, chain.retention_days())
