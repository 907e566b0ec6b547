"""The project's own addresses: the health page and, on small installs,
the uploaded files."""

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.static import serve

from . import health


@never_cache
@require_GET
def healthz(request):
    ok, checks = health.run_checks()
    body = {"status": "ok" if ok else "fail"}
    if health.may_see_details(request):
        body["checks"] = checks
    return JsonResponse(body, status=200 if ok else 503)


def serve_media(request, path):
    # MEDIA_ROOT read per request, not at import, so it follows the settings.
    return serve(request, path, document_root=settings.MEDIA_ROOT)
