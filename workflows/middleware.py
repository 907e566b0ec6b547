from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from .membership import membership
from .permissions import pages_out_of_reach
from .services import active_takedown
from .two_factor import has_second_factor, second_factor_required

GONE_TEMPLATE = "workflows/gone.html"


class TakedownMiddleware:
    """A taken-down story's address answers 410 Gone with a short notice
    instead of 404, so readers and search engines know it was removed on
    purpose. Only consulted for 404s, so it costs nothing otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.path.startswith(("/admin/", "/static/", "/media/")):
            return response
        site = Site.find_for_request(request)
        takedown = active_takedown(site, request.path) if site else None
        if takedown is None:
            return response
        gone = TemplateResponse(request, GONE_TEMPLATE, {"takedown": takedown}, status=410)
        return gone.render()


# What a signed-in person may open in the admin before their second factor.
BEFORE_SECOND_FACTOR = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    # The icons, fetched by every admin page (these included).
    "wagtailadmin_sprite",
    "workflows_two_factor:enrol",
    "workflows_two_factor:verify",
    # Passkeys: registering one as the first factor, or using one.
    "otp_webauthn:credential-registration-begin",
    "otp_webauthn:credential-registration-complete",
    "otp_webauthn:credential-authentication-begin",
    "otp_webauthn:credential-authentication-complete",
    "otp_webauthn:js-i18n-catalog",
}


class TwoFactorMiddleware:
    """After the password, a person who must have a second factor
    (TWO_FACTOR_REQUIRED) and has not given it in this session is taken to
    enrolment (no device yet) or to the code page, whichever admin address
    they asked for; nothing else of the admin answers them until then.
    After django_otp's OTPMiddleware, which tells who is verified."""

    def __init__(self, get_response):
        self.get_response = get_response
        try:
            self.admin_prefix = reverse("wagtailadmin_home")
        except NoReverseMatch:  # a URLconf without the admin (a test's own)
            self.admin_prefix = None

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and second_factor_required(user):
            if not (self.admin_prefix and request.path_info.startswith(self.admin_prefix)):
                # Outside the admin a password alone opens nothing a reader
                # cannot see: staff-only files, login-only documents and pages.
                request.user = AnonymousUser()
            elif self._view_name(request) not in BEFORE_SECOND_FACTOR:
                step = "workflows_two_factor:verify" if has_second_factor(user) else "workflows_two_factor:enrol"
                return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _view_name(request):
        try:
            return resolve(request.path_info).view_name
        except Resolver404:
            return None


# Arguments of Wagtail's admin views that name a page, and the namespaces
# whose ``pk`` is a page.
PAGE_ARGUMENTS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id", "page_pk")
PAGE_NAMESPACES = ("wagtailadmin_pages",)
# Views that take the pages they act on as ``?id=`` parameters.
PAGES_IN_QUERY = {"wagtailadmin_choose_page_chosen_multiple"}


def answers_json(view):
    """Marks an admin view that answers JSON: the unit scope refuses it in
    JSON too."""
    view.answers_json = True
    return view


class AdminUnitScopeMiddleware:
    """Wagtail's generic admin views (bulk-action and move confirmations,
    workflow actions and previews, the page chooser's browse and "chosen"
    answers...) read the page they are given before asking whether the user
    may act on it, and show its title on the way. Any admin view named with
    another unit's page answers 404 before it runs, whatever it would have
    done; a view added later is covered by the argument's name.

    Wagtail's workflow and task screens (shared by all units) are for system
    administrators; unit administrators shape their unit's workflows in
    the unit's own screens."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not match.route.startswith("admin/") or not request.user.is_authenticated:
            return None
        if membership(request.user).superuser:
            return None
        if match.namespace == "wagtailadmin_workflows":
            raise PermissionDenied
        page_ids = [view_kwargs[name] for name in PAGE_ARGUMENTS if name in view_kwargs]
        if match.namespace in PAGE_NAMESPACES and "pk" in view_kwargs:
            page_ids.append(view_kwargs["pk"])
        if match.url_name in PAGES_IN_QUERY or _bulk_action_on_pages(match):
            page_ids.extend(request.GET.getlist("id"))
        if page_ids and pages_out_of_reach(request.user, page_ids):
            if getattr(view_func, "answers_json", False):
                return JsonResponse({"error": _("No such story.")}, status=404)
            raise Http404
        return None


def _bulk_action_on_pages(match):
    if match.url_name != "wagtail_bulk_action":
        return False
    try:
        model = apps.get_model(match.kwargs["app_label"], match.kwargs["model_name"])
    except LookupError:
        return False
    return issubclass(model, Page)
