"""Full-page cache for anonymous readers.

Every cached page carries the generation number it was stored under;
publishing, unpublishing, moving or deleting a page (and editing a unit)
bumps the generation, so every page that might list the story is refreshed
at once. A hit costs one round trip to the cache (the generation and the
page read together). Uses the default cache:
Redis when REDIS_URL is set, a local file cache otherwise.
"""

import hashlib
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

GENERATION_KEY = "pagecache:generation"
SKIP_PREFIXES = ("/admin/", "/healthz", "/static/", "/media/", "/documents/", "/_util/")
# How long browsers and proxies keep a page whose pictures are being made.
RENDITIONS_PENDING_MAX_AGE = 10
# Everything a page's own middleware and view set that a replay must repeat
# (the security headers are added outside this middleware, on every reply).
STORED_HEADERS = ("Content-Type", "Content-Language", "Cache-Control", "Link", "Location", "Vary", "X-Robots-Tag")


# The pages this process served lately, kept while their generation is
# current and their time in the cache lasts: a hit on one of them reads
# only the generation from the shared cache (a few bytes), not the page.
LOCAL_PAGES = 200
_local_pages = OrderedDict()  # key -> (generation, expires, status, content, headers)
_local_lock = threading.Lock()


def _local_page(key):
    with _local_lock:
        page = _local_pages.get(key)
        if page is not None:
            _local_pages.move_to_end(key)
        return page


def _keep_locally(key, generation, stored_at, status, content, headers):
    with _local_lock:
        _local_pages[key] = (generation, stored_at + settings.PAGE_CACHE_SECONDS, status, content, headers)
        _local_pages.move_to_end(key)
        while len(_local_pages) > LOCAL_PAGES:
            _local_pages.popitem(last=False)


def invalidate():
    """A new generation now, and again once the caller's transaction
    commits: a reader who rendered a page in between (from the rows as
    they were before the commit) stored it under the first, which the
    second leaves behind. Outside a transaction both happen at once."""
    _new_generation()
    transaction.on_commit(_new_generation)


def _new_generation():
    cache.set(GENERATION_KEY, time.time_ns(), None)


def _first_generation():
    value = time.time_ns()
    cache.add(GENERATION_KEY, value, None)
    return cache.get(GENERATION_KEY, value)


def _key(request):
    # The generation is kept in the entry, not in its key: one round trip
    # to the cache reads both (``get_many``), and a page stored under an
    # older generation is a miss.
    raw = f"{request.get_host()}|{request.get_full_path()}"
    return f"pagecache:{hashlib.sha256(raw.encode()).hexdigest()}"


def _cacheable_request(request):
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        # Whatever answers a credential (a partner's API token) is theirs alone.
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.path.startswith(SKIP_PREFIXES)
        and "preview" not in request.GET
    )


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_SECONDS or not _cacheable_request(request):
            return self.get_response(request)
        key = _key(request)
        local = _local_page(key)
        try:
            if local is not None:
                found = {GENERATION_KEY: cache.get(GENERATION_KEY)}
            else:
                found = cache.get_many([GENERATION_KEY, key])
            generation = found.get(GENERATION_KEY)
            if generation is None:
                generation = _first_generation()
        except Exception:  # the cache being down must not take the site down
            return self.get_response(request)
        if local is not None and local[0] == generation and local[1] > time.time():
            return self._replay(*local[2:])
        stored = found.get(key)
        if stored is None and local is not None:  # kept here under an older generation: the shared cache may have it anew
            try:
                stored = cache.get(key)
            except Exception:
                stored = None
        if stored is not None and stored[0] == generation:
            _stored_under, stored_at, status, content, headers = stored
            _keep_locally(key, generation, stored_at, status, content, headers)
            return self._replay(status, content, headers)
        response = self.get_response(request)
        if getattr(request, "renditions_pending", False):
            # Its pictures are being made (assets.renditions): shown for now
            # as originals or placeholders, not kept for the next readers.
            patch_cache_control(response, public=True, max_age=RENDITIONS_PENDING_MAX_AGE)
            response["X-Cache"] = "SKIP"
            return response
        if self._cacheable_response(request, response):
            patch_cache_control(response, public=True, max_age=60)
            headers = {h: response[h] for h in STORED_HEADERS if response.has_header(h)}
            stored_at = time.time()
            try:
                cache.set(key, (generation, stored_at, response.status_code, response.content, headers), settings.PAGE_CACHE_SECONDS)
            except Exception:
                pass
            else:
                _keep_locally(key, generation, stored_at, response.status_code, response.content, headers)
            response["X-Cache"] = "MISS"
        return response

    @staticmethod
    def _replay(status, content, headers):
        response = HttpResponse(content, status=status)
        for name, value in headers.items():
            response[name] = value
        response["X-Cache"] = "HIT"
        return response

    @staticmethod
    def _cacheable_response(request, response):
        if response.status_code not in (200, 301, 404, 410) or response.streaming or response.cookies:
            return False
        control = response.get("Cache-Control", "")
        if any(word in control for word in ("private", "no-cache", "no-store")):
            return False
        user = getattr(request, "user", None)
        return user is None or not user.is_authenticated
