"""Partners of the content API, managed by the system administrators: the
list, create / edit (units and sections granted) and issuing a new token.
A token is shown once, on the page right after it was issued (it travels
there in the session and is removed on display); only its first characters
are shown afterwards."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.log_actions import log

from workflows.permissions import membership

from ..forms import PartnerForm
from ..models import Partner

SESSION_KEY = "publishing_partner_token"


def user_can_manage_partners(user):
    return membership(user).superuser


def _guard(request):
    if not user_can_manage_partners(request.user):
        raise PermissionDenied


def _hand_over(request, partner, token):
    request.session[SESSION_KEY] = {"partner": partner.pk, "token": token}


def _take_token(request, partner):
    """The token just issued for this partner, once."""
    handed = request.session.get(SESSION_KEY)
    if handed and handed.get("partner") == partner.pk:
        del request.session[SESSION_KEY]
        return handed.get("token")
    return None


def index(request):
    _guard(request)
    partners = Partner.objects.prefetch_related("units").order_by("name")
    return TemplateResponse(
        request, "publishing/partners/index.html", {"page_title": _("Partners"), "header_icon": "group", "partners": partners}
    )


def create(request):
    _guard(request)
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            partner = form.save(commit=False)
            token = partner.issue_token()
            partner.save()
            form.save_m2m()
            log(instance=partner, action="wagtail.create", user=request.user, data={"token_prefix": partner.token_prefix})
        _hand_over(request, partner, token)
        messages.success(request, _("Partner “%(name)s” created.") % {"name": partner.name})
        return redirect("publishing_partners:edit", pk=partner.pk)
    return TemplateResponse(
        request,
        "publishing/partners/form.html",
        {"page_title": _("Add a partner"), "header_icon": "group", "form": form},
        status=400 if form.is_bound else 200,
    )


def edit(request, pk):
    _guard(request)
    partner = get_object_or_404(Partner, pk=pk)
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        form.save()
        log(instance=partner, action="wagtail.edit", user=request.user, data={"changed": form.changed_data})
        messages.success(request, _("Partner “%(name)s” saved.") % {"name": partner.name})
        return redirect("publishing_partners:index")
    return TemplateResponse(
        request,
        "publishing/partners/form.html",
        {
            "page_title": partner.name,
            "page_subtitle": _("Partner"),
            "header_icon": "group",
            "form": form,
            "partner": partner,
            "new_token": None if form.is_bound else _take_token(request, partner),
        },
        status=400 if form.is_bound else 200,
    )


@require_POST
def new_token(request, pk):
    _guard(request)
    with transaction.atomic():
        partner = get_object_or_404(Partner.objects.select_for_update(), pk=pk)
        token = partner.issue_token()
        partner.save(update_fields=["token_hash", "token_prefix"])
        log(instance=partner, action="hoitu.partner.token", user=request.user, data={"token_prefix": partner.token_prefix})
    _hand_over(request, partner, token)
    messages.success(request, _("A new token was issued; the old one no longer works."))
    return redirect("publishing_partners:edit", pk=partner.pk)


urlpatterns = [
    path("", index, name="index"),
    path("new/", create, name="create"),
    path("<int:pk>/", edit, name="edit"),
    path("<int:pk>/token/", new_token, name="new_token"),
]
