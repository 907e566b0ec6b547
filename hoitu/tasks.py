from celery import shared_task

from . import health


@shared_task(ignore_result=True, time_limit=30)
def heartbeat():
    """Beat sends this every 30 s; /healthz reads the time it last ran, which
    proves broker, beat and a worker are all alive."""
    health.record_heartbeat()
