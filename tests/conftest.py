import pytest
from django.conf import settings
from django.core.cache import caches

from tests.helpers import build_newsroom, build_staff


def clear_caches():
    for alias in settings.CACHES:
        backend = caches[alias]
        if hasattr(backend, "delete_pattern"):
            # django-redis: clear() would FLUSHDB the shared Redis (other test
            # runs, Celery queues); delete only this run's prefixed keys, of
            # every version (Wagtail keeps its site root paths at version 2).
            redis = backend.client.get_client(write=True)
            keys = list(redis.scan_iter(match=f"{backend.key_prefix}:*", count=1000))
            if keys:
                redis.delete(*keys)
        else:
            backend.clear()


@pytest.fixture(autouse=True, scope="session")
def _leave_no_cache_behind():
    yield
    clear_caches()


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The page cache, Wagtail's site-root cache and the rendition cache would
    # otherwise carry rows from a rolled-back test into the next one.
    clear_caches()
    yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def newsroom(db):
    return build_newsroom()


@pytest.fixture
def staff(newsroom):
    """People of each role (tests.helpers.build_staff): a dict by role."""
    return build_staff(newsroom)
