from celery import shared_task

from . import indexing


@shared_task(ignore_result=True, acks_late=True, time_limit=300)
def index_stories(page_ids):
    """Public search's words of stories just published (or moved)."""
    indexing.index_stories(page_ids)
