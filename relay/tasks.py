from celery import shared_task

from . import outbox


@shared_task(ignore_result=True, time_limit=300)
def relay_queued_tasks():
    """From beat: tasks the broker could not take when their request
    committed go now; sent ones past their keeping time are removed."""
    outbox.relay()
    outbox.prune()
