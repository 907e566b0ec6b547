import logging

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from wagtail.models import Site

from assets.rights import RightsRefused, refusal_message

from .models import Unit
from .passwords import must_change_password
from .search import search_engine_errors

logger = logging.getLogger(__name__)

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


def _url_name(request):
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None


def allow_before_password_change(*view_names):
    """Admin pages a person must still reach while their password has to
    change (a higher app's sign-in steps, e.g. the second factor), by view
    name; called from that app's ``ready()``."""
    PasswordChangeRequiredMiddleware.OPEN_URL_NAMES |= set(view_names)


class PasswordChangeRequiredMiddleware:
    """Staff whose password an administrator chose, or whose password is
    older than PASSWORD_MAX_AGE_DAYS, use the admin only to choose a new one
    (Wagtail's account page, whose password panel applies the rules) or to
    sign out. After AuthenticationMiddleware and MessageMiddleware."""

    OPEN_URL_NAMES = {"wagtailadmin_account", "wagtailadmin_logout", "wagtailadmin_login", "wagtailadmin_javascript_catalog", "wagtailadmin_sprite"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.path.startswith("/admin/")
            and _url_name(request) not in self.OPEN_URL_NAMES
            and must_change_password(user)
        ):
            if user.must_change_password:
                notice = _("Your password was set by an administrator: choose your own before going on.")
            else:
                notice = _("Your password is more than %(days)d days old: choose a new one before going on.") % {
                    "days": settings.PASSWORD_MAX_AGE_DAYS
                }
            messages.warning(request, notice)
            return redirect(reverse("wagtailadmin_account") + "#password")
        return self.get_response(request)


class SearchEngineDownMiddleware:
    """A search the engine (OpenSearch) could not answer, in the admin's
    search, a chooser or anywhere else, gets a 503 page that says so
    instead of a 500 (public search says it in its own page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, search_engine_errors()):
            return None
        logger.warning("search engine did not answer %s (%s)", request.path, type(exception).__name__)
        response = render(request, "503_search.html", {"in_admin": request.path.startswith("/admin/")}, status=503)
        response["Retry-After"] = "60"
        return response


class RightsRefusedMiddleware:
    """A publication refused for an archive item under embargo or past its
    licence (``ArticlePage.publish``), by whichever admin action asked for
    it: the editor is told why on the page they came from (what they wrote
    is kept as a draft), a script or the admin's JavaScript gets a JSON 409."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, RightsRefused):
            return None
        message = refusal_message(exception.reasons)
        logger.info("publication refused at %s: %s", request.path, exception)
        wants_json = request.path.startswith("/admin/api/") or request.headers.get("x-requested-with") == "XMLHttpRequest"
        messages.error(request, message)
        if wants_json or "application/json" in request.headers.get("accept", ""):
            return JsonResponse({"error": "rights", "message": message, "reasons": [str(r) for r in exception.reasons]}, status=409)
        back = request.headers.get("referer", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
            back = reverse("wagtailadmin_home")
        return redirect(back)
