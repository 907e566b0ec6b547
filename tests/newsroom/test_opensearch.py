"""OpenSearch as the search engine (``OPENSEARCH_URL``): chosen by the
setting, folding Vietnamese, written by the worker only, and a search page
that says so when the engine is down.

Without a live engine, a local HTTP server that answers as OpenSearch does
when it refuses (503) stands for it. The search tests themselves
(test_search_scale.py and those below marked ``live``) run against a real
one when OPENSEARCH_URL is set: README, "Search at newsroom scale"."""

import json
import os
import runpy
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings
from modelsearch.backends import get_search_backend

from hoitu.opensearch import FOLDED, FoldedMapping, FoldedSearchBackend
from newsroom import indexing
from newsroom.models import ArticlePage
from newsroom.search import search_engine_errors
from relay.models import QueuedTask
from tests.helpers import host, index_in_opensearch, make_article, path

pytestmark = pytest.mark.django_db
live = pytest.mark.skipif(
    not os.environ.get("OPENSEARCH_URL"),
    reason="no OpenSearch: set OPENSEARCH_URL to one (README, 'Search at newsroom scale', tells how to start one)",
)


class RefusingOpenSearch(ThreadingHTTPServer):
    """Answers every request as an overloaded OpenSearch node does, and
    counts them."""

    daemon_threads = True

    def __init__(self):
        self.requests = []

        class Handler(BaseHTTPRequestHandler):
            def do_request(handler):
                length = int(handler.headers.get("Content-Length") or 0)
                handler.rfile.read(length)
                self.requests.append((handler.command, handler.path))
                body = json.dumps({"error": {"type": "cluster_block_exception", "reason": "blocked"}, "status": 503}).encode()
                handler.send_response(503)
                handler.send_header("Content-Type", "application/json")
                handler.send_header("Content-Length", str(len(body)))
                handler.end_headers()
                handler.wfile.write(body)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_request

            def log_message(handler, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def refusing_opensearch(monkeypatch):
    server = RefusingOpenSearch()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("OPENSEARCH_URL", server.url)
    backends = runpy.run_module("hoitu.settings.base")["WAGTAILSEARCH_BACKENDS"]
    with override_settings(OPENSEARCH_URL=server.url, WAGTAILSEARCH_BACKENDS=backends):
        yield server
    server.shutdown()
    server.server_close()


def test_opensearch_is_chosen_by_its_address_and_updated_by_the_worker_only(monkeypatch):
    monkeypatch.setenv("OPENSEARCH_URL", "https://search.internal:9200")
    backend = runpy.run_module("hoitu.settings.base")["WAGTAILSEARCH_BACKENDS"]["default"]
    assert backend["BACKEND"] == "hoitu.opensearch"
    assert backend["URLS"] == ["https://search.internal:9200"]
    assert backend["AUTO_UPDATE"] is False
    monkeypatch.delenv("OPENSEARCH_URL")
    assert runpy.run_module("hoitu.settings.base")["WAGTAILSEARCH_BACKENDS"]["default"]["BACKEND"] == "hoitu.search"


def test_the_index_folds_every_text_field_at_indexing_and_at_search():
    """đ → d and the tones dropped on both sides, the autocomplete fields'
    queries included (modelsearch leaves those unfolded)."""
    backend = FoldedSearchBackend({"URLS": ["http://127.0.0.1:9"]})
    analyzers = backend.settings["settings"]["analysis"]["analyzer"]
    for name in ("default", FOLDED):
        assert analyzers[name]["tokenizer"] == "standard"
        assert analyzers[name]["filter"] == ["lowercase", "asciifolding"]
    # modelsearch's own n-gram analysers are kept (they fold already).
    assert "asciifolding" in analyzers["edgengram_analyzer"]["filter"]

    properties = FoldedMapping(ArticlePage).get_mapping()["properties"]
    search_analyzers = {field.get("search_analyzer") for field in properties.values() if "search_analyzer" in field}
    assert search_analyzers == {FOLDED}
    assert all(field.get("analyzer") in (None, "edgengram_analyzer") for field in properties.values() if field.get("type") == "text")


def test_publishing_never_calls_opensearch_from_the_request_and_the_worker_retries(client, newsroom, refusing_opensearch, django_capture_on_commit_callbacks):
    section = newsroom.finance.economy
    with django_capture_on_commit_callbacks(execute=True):
        story = make_article(section, title="Đường sắt tốc độ cao qua Lâm Đồng", publish=False)
        story.save_revision().publish()
    assert refusing_opensearch.requests == []
    queued = QueuedTask.objects.filter(task="newsroom.tasks.update_search_index")
    assert ["newsroom.ArticlePage", [str(story.pk)]] in [row.args for row in queued]

    # The worker's turn: OpenSearch refuses, the task raises and Celery
    # tries again later (autoretry_for); nothing is lost meanwhile.
    with pytest.raises(search_engine_errors()):
        indexing.update_search_index("newsroom.ArticlePage", [str(story.pk)])
    assert refusing_opensearch.requests, "the worker asked OpenSearch"


def test_search_says_so_when_opensearch_is_down_and_the_site_stays_up(client, newsroom, refusing_opensearch):
    finance = newsroom.finance
    response = client.get("/search/?q=duong+sat", **host(finance.unit))
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    text = response.content.decode()
    assert "Tìm kiếm đang tạm gián đoạn" in text
    assert refusing_opensearch.requests, "the page asked OpenSearch"
    # Nothing else depends on it.
    assert client.get(path(finance.rail), **host(finance.unit)).status_code == 200
    assert client.get("/", **host(finance.unit)).status_code == 200


def test_the_admins_search_says_so_when_opensearch_is_down(admin_client, newsroom, refusing_opensearch):
    response = admin_client.get("/admin/pages/search/", {"q": "đường sắt"})
    assert response.status_code == 503
    assert "Tìm kiếm đang tạm gián đoạn" in response.content.decode()
    assert refusing_opensearch.requests, "the admin asked OpenSearch"


@live
def test_live_admin_search_and_choosers_find_titles_without_diacritics(admin_client, newsroom):
    """Wagtail's admin search on OpenSearch, the titles folded by the
    engine (the page's own title is indexed as typed)."""
    rail = newsroom.finance.rail
    index_in_opensearch(rail)
    for query in ("Đường sắt", "duong sat", "DUONG SAT"):
        response = admin_client.get("/admin/pages/search/", {"q": query})
        assert response.status_code == 200
        assert rail.title in response.content.decode(), query


@live
def test_live_a_deleted_story_leaves_the_index_through_the_worker(newsroom):
    rail = newsroom.finance.rail
    index_in_opensearch(rail)
    backend = get_search_backend()
    assert rail.pk in [page.pk for page in backend.search("duong sat", ArticlePage)]
    pk = rail.pk
    rail.delete()
    indexing.update_search_index("newsroom.ArticlePage", [str(pk)])
    backend.get_index_for_model(ArticlePage).refresh()
    assert pk not in [page.pk for page in backend.search("duong sat", ArticlePage)]
