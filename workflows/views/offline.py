"""The service worker that lets a story editor reload without a
connection (templates/workflows/offline/worker.js)."""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import path
from django.views.decorators.cache import never_cache

# Named by version: a new worker's cache replaces the old one's.
CACHE_NAME = "hoitu-editor-v1"
# Where it works: the page editor's addresses.
SCOPE = "/admin/pages/"


@never_cache
def worker(request):
    script = render_to_string("workflows/offline/worker.js", {"cache_name": CACHE_NAME, "static_url": settings.STATIC_URL})
    response = HttpResponse(script, content_type="text/javascript")
    # Served from /admin/hoitu/, it may still look after /admin/pages/.
    response["Service-Worker-Allowed"] = SCOPE
    return response


urlpatterns = [path("offline-worker.js", worker, name="hoitu_offline_worker")]
