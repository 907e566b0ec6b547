"""``search-timing``: the time public search takes in one process, query by
query, and which index PostgreSQL answers each from."""

import statistics
import time

from django.conf import settings
from django.db import connection

from newsroom.indexing import CHUNK_SIZE, index_stories
from newsroom.models import ArticlePage, StorySearchEntry, Unit
from newsroom.models.pages import LISTING_PAGE_SIZE, search_articles
from newsroom.models.search import RECENT_INDEX, WORDS_INDEX
from newsroom.search import query_terms


def _percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def _plan(home_id, query):
    if not StorySearchEntry.objects.serves_search():
        return "FTS5 (Wagtail)"
    plan = StorySearchEntry.objects.plan(home_id, query_terms(query), 1001)
    if "Seq Scan" in plan:
        return "sequential scan"
    used = [name for name, index in (("GIN", WORDS_INDEX), ("newest first (B-tree)", RECENT_INDEX)) if index in plan]
    return " + ".join(used) or "other"


INDEXING_SAMPLE = 5000


def indexing_rate(home):
    """Stories indexed for search a second: the newest INDEXING_SAMPLE of the
    unit's rewritten in the worker's chunks (as rebuild_story_search does)."""
    ids = list(ArticlePage.objects.descendant_of(home).live().order_by("-pk").values_list("pk", flat=True)[:INDEXING_SAMPLE])
    started = time.perf_counter()
    done = sum(index_stories(ids[i : i + CHUNK_SIZE]) for i in range(0, len(ids), CHUNK_SIZE))
    seconds = time.perf_counter() - started
    return {"stories": done, "seconds": round(seconds, 2), "per_second": round(done / seconds) if seconds else None}


def timing(unit_slug, queries, rounds):
    """Each query ``rounds`` times (after one warm-up): the search and the
    first page of results it shows, as the search view runs them."""
    home = Unit.objects.select_related("site__root_page").get(slug=unit_slug).site.root_page
    per_query, samples = [], []
    for query in queries:
        results = search_articles(home, query)
        list(results[:LISTING_PAGE_SIZE])
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            results = search_articles(home, query)
            list(results[:LISTING_PAGE_SIZE])
            times.append((time.perf_counter() - started) * 1000)
        samples.extend(times)
        per_query.append({
            "query": query,
            "found": len(results),
            "more": results.more,
            "median_ms": round(statistics.median(times), 1),
            "plan": _plan(home.pk, query),
        })  # fmt: skip
    return {
        "database": connection.vendor,
        "rounds": rounds,
        "limit": settings.SEARCH_RESULTS_LIMIT,
        "p50_ms": round(_percentile(samples, 50), 1),
        "p95_ms": round(_percentile(samples, 95), 1),
        "max_ms": round(max(samples), 1),
        "queries": per_query,
        "indexing": indexing_rate(home) if StorySearchEntry.objects.serves_search() else None,
    }
