from django.utils import translation
from wagtail.models import Site

from .models import Unit

# Paths that are not a unit's pages. /healthz in particular must answer (with
# a 503) when the database is down, so it cannot look the site up.
NON_UNIT_PREFIXES = ("/admin/", "/healthz", "/static/")


class UnitLanguageMiddleware:
    """Public pages speak their unit's language; the admin follows each
    user's own preference (Wagtail sets that itself)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.unit = None
        if not request.path.startswith(NON_UNIT_PREFIXES):

            site = Site.find_for_request(request)
            if site is not None:
                request.unit = Unit.objects.filter(site=site).select_related("logo").first()
                translation.activate(request.unit.language if request.unit else "vi")
                request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language() or "vi")
        return response
