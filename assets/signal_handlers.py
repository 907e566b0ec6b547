from django.db.models.signals import post_save

import relay

from .models import ArchiveImage
from .tasks import generate_renditions


def register_signal_handlers():
    post_save.connect(_image_saved, sender=ArchiveImage, dispatch_uid="hoitu_image_renditions")


def _image_saved(sender, instance, created, update_fields=None, **kwargs):
    # Every rendition the pages use is made by the media worker, so no
    # reader's request ever encodes a picture.
    if created or (update_fields is None):
        relay.enqueue(generate_renditions, instance.pk)
