import time

from celery import shared_task
from django.core.cache import cache

HEARTBEAT_KEY = "worker:heartbeat"


@shared_task(ignore_result=True)
def heartbeat():
    """Beat sends this every 30 s; /healthz reads the time it last ran, which
    proves broker, beat and a worker are all alive."""
    cache.set(HEARTBEAT_KEY, time.time(), None)
