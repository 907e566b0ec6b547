from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def deliver(delivery_id):
    """Send one delivery (create, update or remove its post)."""
    services.process(delivery_id)


@shared_task(ignore_result=True)
def sweep_deliveries():
    """Queue again the deliveries whose message may have been lost."""
    return len(services.sweep())


@shared_task(ignore_result=True)
def send_newsletters():
    """Send the newsletter digests that are due (every unit, every channel)."""
    from . import newsletters

    return newsletters.send_due_digests()
