from celery import shared_task

from . import services


@shared_task(ignore_result=True, acks_late=True, time_limit=600)
def generate_renditions(image_id, specs=None):
    """Make the renditions the public templates use (``specs``, else every
    one), so that no reader's request encodes a picture."""
    services.generate_renditions(image_id, specs)
