"""The task outbox: how a request hands work to the Celery workers. A row
is written in the request's own transaction and handed to the broker once
it commits; a broker outage is logged, never raised, and beat relays the
row when the broker is back. Other apps call ``relay.enqueue``."""


def enqueue(task, *args, queue=None, countdown=None, kwargs=None):
    """Queues ``task`` (a Celery task or its name); see ``relay.outbox.enqueue``."""
    # Imported on call: this package is imported before Django's models are ready.
    from .outbox import enqueue as write_row

    return write_row(task, *args, queue=queue, countdown=countdown, kwargs=kwargs)
