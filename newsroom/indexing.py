"""Keeping search in step with what is live.

Public search's stored words (StorySearchEntry, PostgreSQL): the worker
indexes a story after each publication (``newsroom.tasks.index_stories``);
a taken-down story leaves search at once, in the request;
``rebuild_story_search`` rebuilds them all, resumably.

An external search engine (OpenSearch, ``OPENSEARCH_URL``): Wagtail's
updates from the request are off for it (AUTO_UPDATE), and the worker
writes what was saved or deleted (``newsroom.tasks.update_search_index``).
"""

from collections import defaultdict

from django.apps import apps
from django.conf import settings
from modelsearch.backends import get_search_backend
from wagtail.models import Page

from .models import ArticleAuthor, ArticlePage, ArticlePageTag, StorySearchEntry

CHUNK_SIZE = 500


def home_path(page):
    """The path of the unit's home page ``page`` is in (or is): a child of
    the tree's root (HomePage's parent_page_types)."""
    return page.path[: 2 * Page.steplen]


def index_stories(page_ids):
    """Store the search words of those of ``page_ids`` that are live
    stories and drop the entries of the rest. Returns how many were
    stored. A fixed number of statements however many ids."""
    if not StorySearchEntry.objects.serves_search() or not page_ids:
        return 0
    stories = list(
        ArticlePage.objects.filter(pk__in=page_ids, live=True).only(
            "id", "path", "title", "kicker", "sapo", "body", "first_published_at", "embargo_until"
        )
    )
    homes = dict(Page.objects.filter(path__in={home_path(story) for story in stories}).values_list("path", "id"))
    # Tag and author names only, not their objects.
    labels = defaultdict(list)
    for story_id, name in ArticlePageTag.objects.filter(content_object_id__in=page_ids).values_list("content_object_id", "tag__name"):
        labels[story_id].append(name)
    for story_id, name in ArticleAuthor.objects.filter(article_id__in=page_ids).order_by("sort_order").values_list("article_id", "author__name"):
        labels[story_id].append(name)
    rows = []
    for story in stories:
        home_id = homes.get(home_path(story))
        if home_id is not None and story.first_published_at is not None:
            rows.append((story.pk, home_id, story.first_published_at, story.embargo_until, *story.search_words(labels[story.pk])))
    StorySearchEntry.objects.store(rows)
    stored = {row[0] for row in rows}
    gone = [pk for pk in page_ids if pk not in stored]
    if gone:
        remove_stories(gone)
    return len(rows)


def remove_stories(page_ids):
    """Take stories out of public search (taken down, unpublished)."""
    StorySearchEntry.objects.filter(page_id__in=page_ids).delete()


def live_story_ids(after=0):
    return ArticlePage.objects.filter(live=True, pk__gt=after).order_by("pk").values_list("pk", flat=True)


def rebuild(after=0, chunk_size=CHUNK_SIZE):
    """Index every live story with an id above ``after``, a chunk at a
    time, in id order: yields (last id done, stories done) after each
    chunk, so a caller can show progress and resume from the last id.
    Entries of stories no longer live are dropped at the end."""
    done = 0
    while True:
        ids = list(live_story_ids(after)[:chunk_size])
        if not ids:
            break
        done += index_stories(ids)
        after = ids[-1]
        yield after, done
    StorySearchEntry.objects.filter(page__live=False).delete()


def worker_search_backends():
    """The names of the search backends that the worker updates instead of
    the request (an external engine, AUTO_UPDATE off)."""
    return [name for name, params in settings.WAGTAILSEARCH_BACKENDS.items() if params.get("AUTO_UPDATE", True) is False]


def update_search_index(model_label, pks):
    """Write to the worker's backends the objects of ``model_label`` with
    ``pks`` as they are now; those deleted, or no longer meant to be found
    (``get_indexed_objects``), are taken out."""
    names = worker_search_backends()
    if not names:
        return
    model = apps.get_model(model_label)
    present = [obj.get_indexed_instance() for obj in model.get_indexed_objects().filter(pk__in=pks)]
    present = [obj for obj in present if obj is not None]
    kept = {str(obj.pk) for obj in present}
    gone = [model(pk=pk) for pk in pks if str(pk) not in kept]
    by_model = defaultdict(list)
    for obj in present:
        by_model[type(obj)].append(obj)
    for name in names:
        backend = get_search_backend(name)
        for indexed_model, objs in by_model.items():
            _ensure_index(name, backend, indexed_model)
            backend.add_bulk(indexed_model, objs)
        for obj in gone:
            backend.delete(obj)


_indexes_made = set()


def _ensure_index(name, backend, model):
    # An index written before it exists would be made by the engine with
    # guessed mappings, without the folding analysers (hoitu.opensearch).
    index = backend.get_index_for_model(model)
    if (name, index.name, model) in _indexes_made:
        return
    if not index.exists():
        index.put()
    index.add_model(model)
    _indexes_made.add((name, index.name, model))
