"""Page events that invalidate the anonymous page cache."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import cache
from .models import Unit


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def _page_changed(sender, **kwargs):
    cache.invalidate()


@receiver(post_delete)
def _page_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        cache.invalidate()


@receiver(post_save, sender=Unit)
def _unit_changed(sender, **kwargs):
    cache.invalidate()
