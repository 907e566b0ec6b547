from celery import shared_task

from . import indexing


@shared_task(ignore_result=True, acks_late=True, time_limit=300)
def index_stories(page_ids):
    """Public search's words of stories just published (or moved)."""
    indexing.index_stories(page_ids)


@shared_task(ignore_result=True, acks_late=True, time_limit=120, autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600, max_retries=12)
def update_search_index(model_label, pks):
    """An external search engine (OpenSearch) learns what was saved or
    deleted; retried with growing pauses (about two hours in all) while it
    is unreachable."""
    indexing.update_search_index(model_label, pks)
