"""The project's own addresses: the health page, the browsers' reports of
Content-Security-Policy violations and, on small installs, the uploaded
files."""

import json
import logging

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django.views.static import serve

from . import health, security

csp_logger = logging.getLogger("hoitu.csp")


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


@csrf_exempt  # browsers post reports without a session or a token
@require_POST
def csp_report(request):
    """Logs each violation a browser reports, one line each, at most
    CSP_REPORT_RATE a minute per address and CSP_REPORT_MAX_BYTES a body."""
    if not security.ReportRateThrottle().allow_request(request, None):
        return JsonResponse({"error": _("Too many reports; try again in a minute.")}, status=429)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = -1
    if not 0 <= length <= settings.CSP_REPORT_MAX_BYTES:
        return JsonResponse({"error": _("The report is too large.")}, status=413)
    try:
        found = security.violations(json.loads(request.body))
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested past all reason
        found = []
    if not found:
        return JsonResponse({"error": _("This is not a Content-Security-Policy violation report.")}, status=400)
    for violation in found:
        csp_logger.warning("Content-Security-Policy violation: %s", json.dumps(violation, ensure_ascii=False))
    return HttpResponse(status=204)
