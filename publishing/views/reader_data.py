"""A newsletter reader's request about their own data: the people who run a
unit's distribution find the reader's subscriptions by e-mail (in their
units only), download what is held, or erase it for good."""

import json

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from workflows.membership import membership

from ..models import Subscriber
from ..newsletters.personal_data import erase_subscriber, subscriber_export
from ..permissions import DELIVERY_ROLES, delivery_units


def _allowed(user):
    if not membership(user).holds_any(DELIVERY_ROLES):
        raise PermissionDenied


def _subscription(request, pk):
    subscription = Subscriber.objects.filter(pk=pk, unit__in=delivery_units(request.user)).select_related("unit").first()
    if subscription is None:
        raise Http404
    return subscription


def requests(request):
    _allowed(request.user)
    email = request.GET.get("email", "").strip()[:254]
    found = Subscriber.objects.filter(email__iexact=email, unit__in=delivery_units(request.user)).select_related("unit") if email else []
    return TemplateResponse(request, "publishing/reader_data/requests.html", {"email": email, "subscriptions": found})


def export(request, pk):
    _allowed(request.user)
    subscription = _subscription(request, pk)
    response = HttpResponse(json.dumps(subscriber_export(subscription), ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="du-lieu-ban-doc-{subscription.pk}.json"'
    return response


@require_POST
def erase(request, pk):
    _allowed(request.user)
    erase_subscriber(_subscription(request, pk), request.user)
    messages.success(request, _("The reader's subscription and address have been erased."))
    return redirect("publishing_reader_data:requests")


urlpatterns = [
    path("", requests, name="requests"),
    path("<int:pk>/export/", export, name="export"),
    path("<int:pk>/erase/", erase, name="erase"),
]
