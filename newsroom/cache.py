"""Full-page cache for anonymous readers.

Every cached page carries the generation number it was stored under;
publishing, unpublishing, moving or deleting a page (and editing a unit)
bumps the generation, so every page that might list the story is refreshed
at once. A hit costs one round trip to the cache (the generation and the
page read together), and none on Redis for a page this process served
lately: Redis tells each process when the generation changes
(``GenerationWatch``). Uses the default cache: Redis when REDIS_URL is set,
a local file cache otherwise.
"""

import hashlib
import logging
import math
import os
import select
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

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


def _keep_locally(key, generation, expires, status, content, headers):
    with _local_lock:
        _local_pages[key] = (generation, expires, status, content, headers)
        _local_pages.move_to_end(key)
        while len(_local_pages) > LOCAL_PAGES:
            _local_pages.popitem(last=False)


class GenerationWatch:
    """This process's copy of the generation, kept current by Redis itself.

    One connection asks Redis to tell it of every change to the generation
    key (client-side caching: ``CLIENT TRACKING ... BCAST`` redirected to its
    own subscription, so a write from any process, an expiry, an eviction or
    a FLUSHDB all count) and a thread reads those messages. A hit on a page
    this process keeps then costs no round trip.

    Exact: Redis writes the message before it answers the next command of
    whoever changed the key, the thread forgets the copy before it takes a
    message off the socket, and a request trusts the copy only while nothing
    waits on that socket and the copy was the same before and after it
    looked. Anything amiss (not Redis, the connection lost, no answer to the
    thread's PING for ``SILENCE_SECONDS``) and ``generation()`` is None: the
    request reads the generation itself, as without the watch.
    """

    PING_SECONDS = 1.0
    SILENCE_SECONDS = 3.0
    RETRY_SECONDS = 1.0

    def __init__(self):
        self._lock = threading.Lock()
        self._pid = None
        self._listening = None  # the thread's _Subscription

    def generation(self):
        """The current generation, or None when only Redis can say."""
        if self._pid != os.getpid():
            self._start()
            return None
        listening = self._listening
        if listening is None:
            return None
        copy = listening.copy
        if copy is None or time.monotonic() - listening.heard_at > self.SILENCE_SECONDS:
            return None
        try:
            waiting = _readable(listening.socket)
        except (OSError, ValueError, TypeError):  # closed under us: the thread is reconnecting
            return None
        if waiting or listening.copy is not copy:
            return None
        return copy

    def stop(self):
        """Ends the thread (the cache settings changed); the next request
        starts another on the settings as they are then."""
        with self._lock:
            if self._listening is not None:
                self._listening.stop.set()
            self._listening = None
            self._pid = None

    def _start(self):
        with self._lock:
            if self._pid == os.getpid():
                return
            # A forked process (a gunicorn worker) inherits no thread, and
            # its parent's socket is not its own.
            self._pid = os.getpid()
            self._listening = None
            client = _redis_client()
            if client is None:
                return
            self._listening = _Subscription()
            threading.Thread(
                target=self._listening.run,
                args=(client.connection_pool, cache.make_key(GENERATION_KEY), self.PING_SECONDS),
                name="pagecache-generation",
                daemon=True,
            ).start()


class _Subscription:
    """One watch thread's connection and what it last heard on it."""

    def __init__(self):
        self.copy = None
        self.socket = None
        self.heard_at = 0.0
        self.stop = threading.Event()

    def run(self, pool, key, ping_seconds):
        while not self.stop.is_set():
            connection = None
            try:
                # RESP2: the invalidations then come as messages on the
                # subscription, read like any reply (redis-py 8 speaks RESP3
                # by default, where they are pushes it hides from read_response).
                # (Its maintenance notifications need RESP3: left out.)
                options = {name: value for name, value in pool.connection_kwargs.items() if not name.startswith(("maint_notifications", "orig_"))}
                connection = pool.connection_class(**options, protocol=2)
                connection.connect()
                connection.send_command("CLIENT", "SETNAME", f"hoitu-pagecache-watch-{os.getpid()}")  # seen in CLIENT LIST
                connection.read_response()
                connection.send_command("CLIENT", "ID")
                connection.send_command("CLIENT", "TRACKING", "ON", "REDIRECT", connection.read_response(), "BCAST", "PREFIX", key)
                connection.read_response()
                connection.send_command("SUBSCRIBE", "__redis__:invalidate")
                connection.read_response()
                self.socket = connection._sock
                self.heard_at = time.monotonic()
                self.copy = _watched_generation()
                self._listen(connection, ping_seconds)
            except Exception as error:  # Redis gone or refusing tracking: requests read the generation themselves
                if not self.stop.is_set():
                    logger.warning("page cache: generation watch interrupted (%s); retrying", type(error).__name__)
            finally:
                self.copy = None
                if connection is not None:
                    connection.disconnect()
            self.stop.wait(GenerationWatch.RETRY_SECONDS)

    def _listen(self, connection, ping_seconds):
        pinged = False
        while not self.stop.is_set():
            if not _readable(self.socket, ping_seconds):
                if time.monotonic() - self.heard_at > GenerationWatch.SILENCE_SECONDS:
                    raise ConnectionError("no answer to PING")
                if not pinged:  # an unanswered PING: SILENCE_SECONDS decides when the line is dead
                    connection.send_command("PING")
                    pinged = True
                continue
            copy, self.copy = self.copy, None  # forgotten before the message leaves the socket
            changed = False
            while True:
                reply = connection.read_response()
                if reply[0] == b"message":
                    changed = True
                else:  # the PING's answer
                    pinged = False
                self.heard_at = time.monotonic()
                if not connection.can_read(timeout=0):
                    break
            self.copy = _watched_generation() if changed else copy


def _readable(sock, timeout=0):
    # A poll object per call: requests on several threads may ask at once.
    poll = select.poll()
    poll.register(sock, select.POLLIN)
    return bool(poll.poll(timeout * 1000))


def _redis_client():
    client = getattr(cache, "client", None)
    get_client = getattr(client, "get_client", None)  # django-redis
    return get_client(write=True) if get_client is not None else None


def _watched_generation():
    # Through django-redis's client, not the backend: the backend answers
    # None when Redis fails (IGNORE_EXCEPTIONS), which would be taken here
    # for a missing key and replaced by a generation Redis does not hold.
    client = cache.client
    generation = client.get(GENERATION_KEY)
    if generation is None:
        client.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = client.get(GENERATION_KEY)
    return generation


generation_watch = GenerationWatch()


@receiver(setting_changed)
def _cache_settings_changed(setting, **kwargs):
    if setting in ("CACHES", "PAGE_CACHE_SECONDS"):
        generation_watch.stop()


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


def _seconds_to_keep(request):
    """PAGE_CACHE_SECONDS, or less for a page that changes by itself at a
    known time (``request.page_cache_until``: a breaking-news banner's end)."""
    seconds = settings.PAGE_CACHE_SECONDS
    until = getattr(request, "page_cache_until", None)
    if until is not None:
        seconds = min(seconds, max(1, math.ceil(until.timestamp() - time.time())))
    return seconds


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
        watched = generation_watch.generation()
        try:
            if local is not None and watched is not None:
                found = {GENERATION_KEY: watched}
            elif local is not None:
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
        if stored is not None and stored[0] == generation and stored[1] > time.time():
            _stored_under, expires, status, content, headers = stored
            _keep_locally(key, generation, expires, status, content, headers)
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
            seconds = _seconds_to_keep(request)
            expires = time.time() + seconds
            try:
                cache.set(key, (generation, expires, response.status_code, response.content, headers), seconds)
            except Exception:
                pass
            else:
                _keep_locally(key, generation, expires, response.status_code, response.content, headers)
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
