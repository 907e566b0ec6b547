"""The article scenarios' Django side (``python -m bench.inside sample``,
``prepare``, ``queries``) and seed_bench (``seed``)."""

import random
import sqlite3
import statistics
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assets.models import ArchiveImage
from assets.services import generate_renditions
from newsroom.models import ArticlePage, Unit

from .seed import Command as SeedBench


def sample(unit_slug, count, seed):
    """``count`` distinct live articles of the unit, picked at random."""

    unit = Unit.objects.select_related("site__root_page").get(slug=unit_slug)
    site, home = unit.site, unit.site.root_page
    ids = list(ArticlePage.objects.live().descendant_of(home).order_by("pk").values_list("pk", flat=True))
    chosen = random.Random(seed).sample(ids, min(count, len(ids)))
    pages = ArticlePage.objects.filter(pk__in=chosen).defer_streamfields().only("id", "title", "url_path", "path", "depth")
    by_id = {page.pk: page for page in pages}
    return {
        "article_count": len(ids),
        "articles": [{"path": by_id[pk].relative_url(site), "title": by_id[pk].title} for pk in chosen],
    }


def prepare():
    """Make every rendition the article templates use, as the upload task
    does in production, so no measured request encodes a picture."""

    started = time.perf_counter()
    made = sum(generate_renditions(pk) for pk in ArchiveImage.objects.values_list("pk", flat=True))
    return {"renditions": made, "seconds": round(time.perf_counter() - started, 1)}


def seed(options):
    """Run seed_bench (bench/seed.py: the benchmark's, not an app's command)
    with its command-line ``options``."""

    started = time.perf_counter()
    call_command(SeedBench(), *options, stdout=sys.stderr)
    return {"seconds": round(time.perf_counter() - started, 1)}


def queries(paths, host):
    """SQL queries per uncached article request, through Django's test client
    in this process, on the bench database. The first request only warms the
    process (site root paths, content types), as a server worker is warm."""

    client = Client(HTTP_HOST=host)
    warm = client.get(paths[0])
    if warm.status_code != 200:
        raise SystemExit(f"{paths[0]} answered HTTP {warm.status_code}")
    counts, seconds, example = [], [], None
    for path in paths:
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        seconds.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered HTTP {response.status_code}")
        counts.append(len(captured))
        if example is None:
            example = {
                "path": path,
                "queries": [{"ms": round(float(q["time"]) * 1000, 2), "sql": q["sql"][:500]} for q in captured.captured_queries],
            }
    return {
        "requests": len(counts),
        "min": min(counts),
        "median": statistics.median(counts),
        "max": max(counts),
        # One process, no concurrency: where a rendered request's time goes
        # before the server adds its own.
        "in_process_ms_median": round(statistics.median(seconds) * 1000, 1),
        "example": example,
        **describe(),
    }


def describe():

    if connection.vendor == "sqlite":

        version = sqlite3.sqlite_version
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
    return {
        "database": {"vendor": connection.vendor, "version": version},
        "cache_backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
    }
