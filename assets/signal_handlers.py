from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import ArchiveImage


@receiver(post_save, sender=ArchiveImage)
def _image_saved(sender, instance, created, update_fields=None, **kwargs):
    from .tasks import generate_renditions

    if created or (update_fields is None):
        transaction.on_commit(lambda: generate_renditions.delay(instance.pk))
