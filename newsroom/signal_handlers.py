"""Page events that invalidate the anonymous page cache."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import cache
from .models import Unit


def register_signal_handlers():
    page_published.connect(_page_changed, dispatch_uid="hoitu_page_cache_published")
    page_unpublished.connect(_page_changed, dispatch_uid="hoitu_page_cache_unpublished")
    post_page_move.connect(_page_changed, dispatch_uid="hoitu_page_cache_moved")
    post_delete.connect(_page_deleted, dispatch_uid="hoitu_page_cache_deleted")
    post_save.connect(_unit_changed, sender=Unit, dispatch_uid="hoitu_page_cache_unit")


def _page_changed(sender, **kwargs):
    cache.invalidate()


def _page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        cache.invalidate()


def _unit_changed(sender, **kwargs):
    cache.invalidate()
