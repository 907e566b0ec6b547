from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Site

from .models import Unit
from .passwords import must_change_password

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
