from django.db.models.signals import post_delete, post_save

import relay

from . import processing
from .models import ArchiveImage, Media
from .tasks import delete_media_outputs, generate_renditions


def register_signal_handlers():
    post_save.connect(_image_saved, sender=ArchiveImage, dispatch_uid="hoitu_image_renditions")
    post_save.connect(_media_saved, sender=Media, dispatch_uid="hoitu_media_processing")
    post_delete.connect(_media_deleted, sender=Media, dispatch_uid="hoitu_media_outputs")


def _image_saved(sender, instance, created, update_fields=None, **kwargs):
    # Every rendition the pages use is made by the media worker, so no
    # reader's request ever encodes a picture.
    if created or (update_fields is None):
        relay.enqueue(generate_renditions, instance.pk)


def _media_saved(sender, instance, raw=False, **kwargs):
    # A new file (or one the worker could not read, saved again) goes to
    # the media worker, which reads its duration and dimensions.
    if not raw and processing.needs_processing(instance):
        processing.queue_processing(instance)


def _media_deleted(sender, instance, **kwargs):
    # The worker's outputs go with the item (object storage: not in a request).
    if instance.outputs:
        relay.enqueue(delete_media_outputs, instance.pk)
