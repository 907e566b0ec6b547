"""The publishing dashboard of a unit (for Phát hành and the editors): the
health of each channel on top, then the deliveries with filters and the
people's actions (retry, cancel, mark as resolved). Queries stay constant
however many deliveries the page shows."""

from datetime import datetime, time, timedelta
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from assets.text import fold
from newsroom.models import ArticlePage
from newsroom.search import query_terms
from workflows.membership import resolve_unit
from workflows.views.units import ChooseUnitView

from .. import services
from ..adapters import registry
from ..forms import DeliveryFilterForm, ResolveForm
from ..models import OPEN_STATES, Channel, Delivery, DeliveryAttempt, DeliveryState
from ..permissions import (
    DELIVERY_ROLES,
    delivery_units,
    user_can_configure_channels,
)

PER_PAGE = 30
# Outcomes of an exchange that count as a failure in the health strip.
# "interrupted": a worker died while sending (its attempt row stayed "sending").
FAILED_OUTCOMES = ("failed", "retry", "unknown", "auth", "interrupted")
# States that need a person: the menu badge and the home panel count these.
ATTENTION_STATES = (DeliveryState.FAILED, DeliveryState.UNKNOWN)


def attention_counts(user):
    """{unit pk: (failed, unknown)} for the units whose deliveries the user
    manages, in one query."""
    rows = (
        Delivery.objects.filter(channel__unit__in=delivery_units(user), state__in=ATTENTION_STATES)
        .values("channel__unit")
        .annotate(
            failed=Count("pk", filter=Q(state=DeliveryState.FAILED)),
            unknown=Count("pk", filter=Q(state=DeliveryState.UNKNOWN)),
        )
        .order_by()
    )
    return {row["channel__unit"]: (row["failed"], row["unknown"]) for row in rows}


def dashboard_url(unit, **filters):
    url = reverse("publishing_dashboard:unit", kwargs={"unit_slug": unit.slug})
    if filters:
        url += "?" + urlencode(filters)
    return url


class DashboardUnitsView(ChooseUnitView):
    """Each unit with what needs a person there (failed, unknown)."""

    template_name = "publishing/dashboard/choose_unit.html"
    page_title = gettext_lazy("Publishing dashboard")
    header_icon = "upload"
    roles = DELIVERY_ROLES
    url_name = "publishing_dashboard:unit"
    help_text = gettext_lazy("Choose the unit whose deliveries you want to see.")

    def get_units(self):
        units = super().get_units()
        counts = attention_counts(self.request.user)
        for unit in units:
            unit.failed, unit.unknown = counts.get(unit.pk, (0, 0))
        return units


def channel_health(unit, now):
    """The unit's channels with what the health strip shows, in one query."""
    day_ago = now - timedelta(hours=24)
    failures = (
        # Exchanges with the platform only: people's actions (a retry asked
        # for in this dashboard) are logged with their user.
        DeliveryAttempt.objects.filter(
            delivery__channel=OuterRef("pk"), outcome__in=FAILED_OUTCOMES, started_at__gte=day_ago, user__isnull=True
        )
        .order_by()
        .values("delivery__channel")
        .annotate(n=Count("pk"))
        .values("n")
    )
    channels = list(
        Channel.objects.filter(unit=unit)
        .annotate(
            failures_24h=Coalesce(Subquery(failures, output_field=IntegerField()), Value(0)),
            open_count=Count("deliveries", filter=Q(deliveries__state__in=OPEN_STATES)),
            unknown_count=Count("deliveries", filter=Q(deliveries__state=DeliveryState.UNKNOWN)),
            failed_count=Count("deliveries", filter=Q(deliveries__state=DeliveryState.FAILED)),
        )
        .order_by("name")
    )
    labels = dict(registry.choices())
    for channel in channels:
        channel.platform_label = labels.get(channel.kind, channel.kind)
        channel.rate_limited = channel.is_rate_limited(now)
    return channels


def _story_filter(unit, query):
    """Stories of the unit whose title holds the query's words, with or
    without diacritics: the search index (folded text) finds candidates,
    their folded titles decide."""
    terms = query_terms(query)
    q = Q(story__title__icontains=query.strip())
    if terms:
        found = ArticlePage.objects.descendant_of(unit.site.root_page).search(" ".join(terms), operator="and", order_by_relevance=False)
        q |= Q(story_id__in=[page.pk for page in found[:2000] if all(term in fold(page.title) for term in terms)])
    return q


def filter_deliveries(unit, filters):
    deliveries = Delivery.objects.filter(channel__unit=unit)
    if filters.get("state"):
        deliveries = deliveries.filter(state=filters["state"])
    if filters.get("channel"):
        deliveries = deliveries.filter(channel=filters["channel"])
    if filters.get("q"):
        deliveries = deliveries.filter(_story_filter(unit, filters["q"]))
    zone = timezone.get_current_timezone()
    if filters.get("since"):
        deliveries = deliveries.filter(updated_at__gte=datetime.combine(filters["since"], time.min, tzinfo=zone))
    if filters.get("until"):
        deliveries = deliveries.filter(updated_at__lt=datetime.combine(filters["until"] + timedelta(days=1), time.min, tzinfo=zone))
    return deliveries


def unit_dashboard(request, unit_slug):
    unit, units = resolve_unit(request, unit_slug, DELIVERY_ROLES)
    now = timezone.now()
    channels = channel_health(unit, now)
    form = DeliveryFilterForm(request.GET or None, channels=Channel.objects.filter(unit=unit).order_by("name"))
    filters = form.filters if form.is_bound else {}
    deliveries = (
        filter_deliveries(unit, filters)
        .select_related("story", "channel")
        .only(
            "pk", "state", "action", "total_attempts", "error", "remote_url", "updated_at", "next_attempt_at", "http_status",
            "story__id", "story__title", "channel__id", "channel__name", "channel__kind",
        )
        .order_by("-updated_at", "-pk")
    )
    page = Paginator(deliveries, PER_PAGE).get_page(request.GET.get("p"))
    for delivery in page.object_list:
        delivery.can_retry = delivery.state in (DeliveryState.FAILED, DeliveryState.UNKNOWN, DeliveryState.RETRYING, DeliveryState.CANCELLED)
        delivery.can_cancel = delivery.state in (DeliveryState.PENDING, DeliveryState.RETRYING, DeliveryState.FAILED, DeliveryState.UNKNOWN)
        delivery.can_resolve = delivery.state in (DeliveryState.UNKNOWN, DeliveryState.FAILED, DeliveryState.RETRYING)
    query = request.GET.copy()
    query.pop("p", None)
    return TemplateResponse(
        request,
        "publishing/dashboard/index.html",
        {
            "page_title": _("Publishing dashboard"),
            "page_subtitle": unit.name,
            "header_icon": "upload",
            "unit": unit,
            "units": units,
            "channels": channels,
            "form": form,
            "filtering": bool(filters),
            "deliveries": page,
            "page_query": query.urlencode(),
            "current_url": request.get_full_path(),
            "can_configure": user_can_configure_channels(request.user, unit),
            "now": now,
        },
    )


# --- actions ----------------------------------------------------------------


def _back(request, delivery):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(dashboard_url(delivery.channel.unit))


def _act(request, pk, operation, success):
    delivery = (
        Delivery.objects.filter(channel__unit__in=delivery_units(request.user))
        .select_related("channel__unit", "story")
        .filter(pk=pk)
        .first()
    )
    if delivery is None:
        raise Http404(_("No such delivery."))
    try:
        operation(delivery)
    except PermissionDenied:
        raise
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success % {"story": delivery.story.title if delivery.story_id else delivery.story_title, "channel": delivery.channel.name})
    return _back(request, delivery)


@require_POST
def retry(request, pk):
    return _act(request, pk, lambda d: services.retry_delivery(d, request.user), _("“%(story)s” on %(channel)s will be sent again."))


@require_POST
def cancel(request, pk):
    return _act(request, pk, lambda d: services.cancel_delivery(d, request.user), _("“%(story)s” on %(channel)s was cancelled."))


@require_POST
def resolve(request, pk):
    def operation(delivery):
        form = ResolveForm(request.POST)
        if not form.is_valid():
            raise ValidationError([str(e) for errors in form.errors.values() for e in errors])
        resolved = services.resolve_delivery(delivery, request.user, post=form.cleaned_data["post"])
        if resolved.remote_data.get("by_hand"):
            messages.warning(
                request,
                _("Without the post's id, later corrections and a takedown of this story will not reach it: make them on the platform by hand."),
            )

    return _act(request, pk, operation, _("“%(story)s” on %(channel)s was marked as resolved."))


urlpatterns = [
    path("", DashboardUnitsView.as_view(), name="index"),
    path("dashboard/<slug:unit_slug>/", unit_dashboard, name="unit"),
    path("deliveries/<int:pk>/retry/", retry, name="retry"),
    path("deliveries/<int:pk>/cancel/", cancel, name="cancel"),
    path("deliveries/<int:pk>/resolve/", resolve, name="resolve"),
]
