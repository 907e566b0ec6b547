import os
import runpy
import socket
import time
from contextlib import contextmanager

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.test import Client as client_class
from django.test import override_settings

from newsroom import cache as newsroom_cache
from tests.helpers import host, make_article, path

pytestmark = pytest.mark.django_db
on_redis = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="the generation watch is Redis's client-side caching; the file cache has none")


def get(client, url, unit, **extra):
    response = client.get(url, **host(unit), **extra)
    assert response.status_code == 200, url
    return response


def test_cache_backend_is_redis_when_configured():
    backend = type(caches["default"]).__module__
    assert ("redis" in backend) == bool(os.environ.get("REDIS_URL")), backend


def test_second_anonymous_request_is_served_from_the_cache(client, newsroom):
    unit = newsroom.finance.unit
    first = get(client, "/", unit)
    second = get(client, "/", unit)
    assert first["X-Cache"] == "MISS"
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content
    for header in ("Content-Type", "Content-Language", "Cache-Control", "X-Frame-Options"):
        assert second[header] == first[header], header
    assert "public" in second["Cache-Control"]


def watch_is_live():
    """Waits for this process's generation watch to be subscribed."""
    deadline = time.monotonic() + 10
    while newsroom_cache.generation_watch.generation() is None:
        assert time.monotonic() < deadline, "the generation watch did not start"
        time.sleep(0.01)


def count_round_trips(monkeypatch):
    backend = caches["default"]
    trips, inside = [], []

    def counted(name, original):
        def call(*args, **kwargs):
            if not inside:  # a backend's get_many may be its get in a loop (locmem), Redis's is one MGET
                trips.append(name)
            inside.append(name)
            try:
                return original(*args, **kwargs)
            finally:
                inside.pop()

        return call

    for name in ("get", "get_many", "set", "add"):
        monkeypatch.setattr(backend, name, counted(name, getattr(backend, name)))
    return trips


def test_a_hit_costs_at_most_one_round_trip_to_the_cache(client, newsroom, monkeypatch):
    """The generation and the page are read together; when this process
    kept the page, only the generation, and on Redis not even that: Redis
    tells the process when it changes (GenerationWatch)."""
    unit = newsroom.finance.unit
    get(client, "/", unit)
    redis = bool(os.environ.get("REDIS_URL"))
    if redis:
        watch_is_live()
    trips = count_round_trips(monkeypatch)

    assert get(client, "/", unit)["X-Cache"] == "HIT"  # kept by this process since its first reader
    assert trips == ([] if redis else ["get"])
    newsroom_cache._local_pages.clear()  # another process: the page is in the shared cache only
    trips.clear()
    assert get(client, "/", unit)["X-Cache"] == "HIT"
    assert trips == ["get_many"]


def shared_redis():
    import redis  # the test stands for another process, with a connection of its own

    return redis.Redis.from_url(os.environ["REDIS_URL"])


@on_redis
def test_a_generation_changed_by_another_process_is_seen_by_the_very_next_request(client, newsroom):
    """No window in which the watch's copy is older than Redis: the next
    request after a write from elsewhere (a worker publishing, an operator's
    FLUSHDB) is a miss, without waiting for the watch thread."""
    unit = newsroom.finance.unit
    get(client, "/", unit)
    watch_is_live()
    key = caches["default"].make_key(newsroom_cache.GENERATION_KEY)
    elsewhere = shared_redis()
    for round_ in range(40):
        assert get(client, "/", unit)["X-Cache"] == "HIT", round_
        if round_ % 4 == 3:
            elsewhere.delete(key)  # expired, evicted or flushed
        else:
            elsewhere.set(key, time.time_ns())
        assert get(client, "/", unit)["X-Cache"] == "MISS", round_
        time.sleep(0.002 * (round_ % 3))  # the watch catching up, or not yet
    watch_is_live()
    assert get(client, "/", unit)["X-Cache"] == "HIT"


@on_redis
def test_the_watch_comes_back_after_redis_drops_it(client, newsroom, monkeypatch):
    unit = newsroom.finance.unit
    get(client, "/", unit)
    watch_is_live()
    elsewhere = shared_redis()
    name = f"hoitu-pagecache-watch-{os.getpid()}"
    killed = [line for line in elsewhere.client_list() if line["name"] == name]
    assert len(killed) == 1, "one watch connection for this process"
    elsewhere.client_kill_filter(_id=killed[0]["id"])

    # Meanwhile each hit reads the generation itself, and a change is seen.
    trips = count_round_trips(monkeypatch)
    assert get(client, "/", unit)["X-Cache"] == "HIT"
    assert trips == ["get"]
    newsroom_cache.invalidate()
    assert get(client, "/", unit)["X-Cache"] == "MISS"

    watch_is_live()
    trips.clear()
    assert get(client, "/", unit)["X-Cache"] == "HIT"
    assert trips == []
    assert [line["id"] for line in elsewhere.client_list() if line["name"] == name] != [killed[0]["id"]]


def test_cache_keys_include_host_and_query(client, newsroom):
    finance, province = newsroom.finance, newsroom.province
    get(client, "/", finance.unit)
    other_unit = get(client, "/", province.unit)
    assert other_unit["X-Cache"] == "MISS"
    assert province.bus.title in other_unit.content.decode()
    assert finance.rail.title not in other_unit.content.decode()

    get(client, "/search/?q=duong+sat", finance.unit)
    assert get(client, "/search/?q=xe+buyt", finance.unit)["X-Cache"] == "MISS"
    assert get(client, "/search/?q=duong+sat", finance.unit)["X-Cache"] == "HIT"


def test_logged_in_users_neither_read_nor_fill_the_cache(client, newsroom):
    unit = newsroom.finance.unit
    get(client, "/", unit)  # an anonymous reader fills the cache
    editor = get_user_model().objects.create_user("bientap", password="mat-khau-dai-123", is_staff=True)
    client.force_login(editor)
    for url in ("/", path(newsroom.finance.economy), "/kinh-te/rss/"):
        response = get(client, url, unit)
        assert "X-Cache" not in response, url
        assert "public" not in response.get("Cache-Control", "")
    client.logout()
    # The editor's visits did not store their pages for anonymous readers.
    assert get(client, path(newsroom.finance.economy), unit)["X-Cache"] == "MISS"


def test_requests_with_credentials_neither_read_nor_fill_the_cache(client, newsroom):
    """A partner's token answers for that partner only: never stored, never
    served from what an anonymous reader left."""
    unit = newsroom.finance.unit
    get(client, "/", unit)
    with_token = get(client, "/", unit, HTTP_AUTHORIZATION="Bearer htp_partner")
    assert "X-Cache" not in with_token
    assert get(client, "/kinh-te/rss/", unit, HTTP_AUTHORIZATION="Bearer htp_partner").get("X-Cache") is None
    assert get(client, "/kinh-te/rss/", unit)["X-Cache"] == "MISS"


def _form_page(request):
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    return HttpResponse(f'<form method="post"><input name="csrfmiddlewaretoken" value="{get_token(request)}"></form>')


# A public page with a form, as this module's own URLconf.
urlpatterns = [__import__("django.urls").urls.path("form/", _form_page)]


@override_settings(ROOT_URLCONF=__name__)
def test_pages_carrying_a_csrf_token_are_never_shared(client, newsroom):
    """A reader who already has a CSRF cookie gets a page with their token in
    it: it must not be stored and served to the next reader."""
    unit = newsroom.finance.unit
    client.cookies["csrftoken"] = "a" * 32
    first = client.get("/form/", **host(unit))
    # Django sets the cookie again on every page that uses the token, which
    # is what keeps such a page out of the cache.
    assert first.status_code == 200 and "csrftoken" in first.cookies
    other_reader = client_class()
    second = other_reader.get("/form/", **host(unit))
    assert second.get("X-Cache") != "HIT"
    assert first.content != second.content


def test_publishing_shows_the_new_story_at_once(client, newsroom):
    finance = newsroom.finance
    assert get(client, "/", finance.unit)["X-Cache"] == "MISS"
    assert get(client, path(finance.economy), finance.unit)["X-Cache"] == "MISS"
    assert get(client, "/", finance.unit)["X-Cache"] == "HIT"

    story = make_article(finance.economy, title="Khởi công cao tốc Bắc–Nam phía Đông", sapo="Tin nóng.")

    home = get(client, "/", finance.unit)
    assert home["X-Cache"] == "MISS"
    assert story.title in home.content.decode()
    assert story.title in get(client, path(finance.economy), finance.unit).content.decode()
    assert story.title in get(client, "/rss/", finance.unit).content.decode()


def test_saving_a_draft_keeps_the_cache(client, newsroom):
    finance = newsroom.finance
    get(client, "/", finance.unit)
    finance.rail.title = "Tiêu đề nháp chưa duyệt"
    finance.rail.save_revision()
    home = get(client, "/", finance.unit)
    assert home["X-Cache"] == "HIT"
    assert "Tiêu đề nháp chưa duyệt" not in home.content.decode()


def test_unpublishing_removes_the_story_at_once(client, newsroom):
    finance = newsroom.finance
    rail_path = path(finance.rail)
    assert finance.rail.title in get(client, "/", finance.unit).content.decode()
    get(client, rail_path, finance.unit)
    assert get(client, rail_path, finance.unit)["X-Cache"] == "HIT"

    finance.rail.unpublish()

    assert finance.rail.title not in get(client, "/", finance.unit).content.decode()
    assert client.get(rail_path, **host(finance.unit)).status_code == 404


def test_moving_a_story_refreshes_both_sections(client, newsroom):
    finance = newsroom.finance
    economy_path, finance_path = path(finance.economy), path(finance.finance)
    assert finance.rail.title in get(client, economy_path, finance.unit).content.decode()
    assert finance.rail.title not in get(client, finance_path, finance.unit).content.decode()

    finance.rail.move(finance.finance, pos="last-child")

    assert finance.rail.title not in get(client, economy_path, finance.unit).content.decode()
    assert finance.rail.title in get(client, finance_path, finance.unit).content.decode()


def test_post_is_never_cached(client, newsroom):
    unit = newsroom.finance.unit
    response = client.post("/search/", {"q": "duong sat"}, **host(unit))
    assert "X-Cache" not in response
    assert get(client, "/search/", unit)["X-Cache"] == "MISS"


def test_admin_is_never_cached(client, newsroom):
    for _ in range(2):
        response = client.get("/admin/login/", **host(newsroom.finance.unit))
        assert response.status_code == 200
        assert "X-Cache" not in response


def test_preview_is_never_cached(client, newsroom):
    unit = newsroom.finance.unit
    for _ in range(2):
        assert "X-Cache" not in client.get("/?preview=1", **host(unit))


def _closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def redis_down(monkeypatch):
    """The caches exactly as the settings build them for Redis, pointed at
    a port nothing listens on."""
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{_closed_port()}/0")
    dead = runpy.run_module("hoitu.settings.base")["CACHES"]
    assert "redis" in dead["default"]["BACKEND"]
    with override_settings(CACHES=dead):
        yield


def test_site_still_serves_when_the_cache_is_down(client, newsroom, monkeypatch, settings):
    settings.HEALTHZ_TOKEN = "giam-sat"
    finance = newsroom.finance
    urls = ["/", path(finance.economy), path(finance.rail), "/search/?q=duong+sat", "/rss/", "/sitemap.xml"]
    with redis_down(monkeypatch):
        for url in urls:
            response = client.get(url, **host(finance.unit))
            assert response.status_code == 200, url
            assert response.get("X-Cache") != "HIT"
        assert finance.rail.title in client.get("/", **host(finance.unit)).content.decode()

        health = client.get("/healthz", HTTP_AUTHORIZATION="Bearer giam-sat")
        assert health.status_code == 503
        assert health.json()["checks"]["cache"]["ok"] is False


def test_a_page_rendered_while_a_publication_commits_is_not_kept(client, newsroom, django_capture_on_commit_callbacks):
    unit = newsroom.finance.unit
    get(client, "/", unit)
    with django_capture_on_commit_callbacks(execute=True):
        newsroom_cache.invalidate()  # a story published: its transaction not yet committed
        # A reader arriving now renders the page from the rows as they were.
        assert get(client, "/", unit)["X-Cache"] == "MISS"
    # Committed: that page is not served to the next reader.
    assert get(client, "/", unit)["X-Cache"] == "MISS"
    assert get(client, "/", unit)["X-Cache"] == "HIT"
