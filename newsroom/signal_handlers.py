"""Page events: the anonymous page cache is invalidated; public search
learns what was published, taken down or moved."""

from django.db.models.signals import post_delete, post_save
from modelsearch.index import get_indexed_models
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

import relay
from assets.models import CaptionTrack

from . import cache, indexing, tasks
from .models import ArticlePage, Unit


def register_signal_handlers():
    page_published.connect(_page_changed, dispatch_uid="hoitu_page_cache_published")
    page_unpublished.connect(_page_changed, dispatch_uid="hoitu_page_cache_unpublished")
    post_page_move.connect(_page_changed, dispatch_uid="hoitu_page_cache_moved")
    post_delete.connect(_page_deleted, dispatch_uid="hoitu_page_cache_deleted")
    post_save.connect(_unit_changed, sender=Unit, dispatch_uid="hoitu_page_cache_unit")
    # A live story's video gains or loses captions: its page names them.
    post_save.connect(_captions_changed, sender=CaptionTrack, dispatch_uid="hoitu_page_cache_captions_saved")
    post_delete.connect(_captions_changed, sender=CaptionTrack, dispatch_uid="hoitu_page_cache_captions_deleted")
    page_published.connect(_story_published, sender=ArticlePage, dispatch_uid="hoitu_search_published")
    page_unpublished.connect(_story_taken_down, sender=ArticlePage, dispatch_uid="hoitu_search_taken_down")
    post_page_move.connect(_page_moved, dispatch_uid="hoitu_search_moved")
    for model in get_indexed_models():
        post_save.connect(_indexed_object_changed, sender=model, dispatch_uid=f"hoitu_search_saved_{model._meta.label}")
        post_delete.connect(_indexed_object_changed, sender=model, dispatch_uid=f"hoitu_search_deleted_{model._meta.label}")


def _page_changed(sender, **kwargs):
    cache.invalidate()


def _page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        cache.invalidate()


def _unit_changed(sender, **kwargs):
    cache.invalidate()


def _captions_changed(sender, raw=False, **kwargs):
    if not raw:
        cache.invalidate()


def _story_published(sender, instance, **kwargs):
    # Folding a long body is the worker's job, after the commit.
    relay.enqueue(tasks.index_stories, [instance.pk])


def _story_taken_down(sender, instance, **kwargs):
    # At once: a story taken down must not stay findable until a worker runs.
    indexing.remove_stories([instance.pk])


def _page_moved(sender, instance, parent_page_before, parent_page_after, **kwargs):
    # A story (or a section of them) moved to another unit is searched there.
    if indexing.home_path(parent_page_before) == indexing.home_path(parent_page_after):
        return
    moved = list(ArticlePage.objects.descendant_of(instance, inclusive=True).live().values_list("pk", flat=True))
    if moved:
        relay.enqueue(tasks.index_stories, moved)


def _indexed_object_changed(sender, instance, raw=False, **kwargs):
    # An external search engine is written by the worker, after the commit,
    # never from the request (Wagtail's own updates are off for it).
    if raw or not indexing.worker_search_backends():
        return
    relay.enqueue(tasks.update_search_index, instance._meta.label, [str(instance.pk)])
