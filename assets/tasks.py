from celery import shared_task

from . import services


@shared_task(ignore_result=True, acks_late=True, time_limit=600)
def generate_renditions(image_id):
    """Make every rendition the public templates use, so the first reader of
    a story with a new picture does not wait for AVIF encoding."""
    services.generate_renditions(image_id)
