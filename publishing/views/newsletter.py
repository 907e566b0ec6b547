"""Readers' newsletter pages on each unit's site: subscribe, confirm,
unsubscribe (also RFC 8058 one-click from mail clients) and the web page
of an issue. Every page is the request's unit's own, and none is cached
(they carry CSRF tokens or act on a reader's secret link)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from wagtail.models import Site

from newsroom.models import Unit

from .. import newsletters
from ..models.newsletters import IssueState, NewsletterIssue

TEMPLATES = "publishing/newsletter/"


class SubscribeForm(forms.Form):
    email = forms.CharField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "placeholder": "ban@example.vn"}),
        error_messages={"required": _("Enter your e-mail address.")},
    )

    def clean_email(self):
        try:
            return newsletters.normalise_email(self.cleaned_data["email"])
        except ValidationError:
            raise ValidationError(_("“%(value)s” is not a valid e-mail address.") % {"value": self.cleaned_data["email"][:80]}) from None


def _unit(request):
    unit = getattr(request, "unit", None)
    if unit is None:

        site = Site.find_for_request(request)
        unit = Unit.objects.filter(site=site).select_related("site").first() if site else None
    if unit is None:
        raise Http404
    return unit


def _client_ip(request):
    """The reader's address for the rate limit. Behind a reverse proxy,
    NEWSLETTER_CLIENT_IP_HEADER names the header it sets (e.g.
    "HTTP_X_FORWARDED_FOR"); its last entry is the one the proxy saw."""
    header = settings.NEWSLETTER_CLIENT_IP_HEADER
    forwarded = request.META.get(header, "") if header else ""
    if forwarded:
        return forwarded.split(",")[-1].strip()[:64]
    return request.META.get("REMOTE_ADDR", "")


def _page(request, template, context=None, status=200):
    return render(request, TEMPLATES + template, {"unit": _unit(request), **(context or {})}, status=status)


def _link_error(request, error):
    """A friendly page for a link that is unknown (404) or expired (400)."""
    return _page(request, "link_error.html", {"expired": error.expired}, status=400 if error.expired else 404)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    unit = _unit(request)
    if request.method != "POST":
        # The footer's box sends the address here (a cached page cannot carry a CSRF token).
        form = SubscribeForm(initial={"email": request.GET.get("email", "")[:254]})
        return _page(request, "subscribe.html", {"form": form})
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return _page(request, "subscribe.html", {"form": form}, status=400)
    try:
        newsletters.request_subscription(unit, form.cleaned_data["email"], _client_ip(request))
    except newsletters.TooManyRequests:
        return _page(request, "subscribe.html", {"form": form, "problem": "too_many"}, status=429)
    # The same answer for a new, waiting or already subscribed address.
    return _page(request, "subscribe_sent.html", {"email": form.cleaned_data["email"]})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET shows a button, POST confirms: link scanners of mail services
    follow links, and must not subscribe anybody."""
    unit = _unit(request)
    try:
        if request.method == "POST":
            subscriber = newsletters.confirm_subscription(unit, token)
            return _page(request, "confirmed.html", {"subscriber": subscriber})
        subscriber = newsletters.subscriber_for_confirmation(unit, token)
    except newsletters.InvalidLink as error:
        return _link_error(request, error)
    return _page(request, "confirm.html", {"subscriber": subscriber})


@csrf_exempt  # the secret token in the address is the reader's authority; mail clients post without a CSRF token (RFC 8058)
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    unit = _unit(request)
    try:
        if request.method == "POST":
            subscriber = newsletters.unsubscribe(unit, token)
            return _page(request, "unsubscribed.html", {"subscriber": subscriber})
        subscriber = newsletters.subscriber_for_unsubscribe(unit, token)
    except newsletters.InvalidLink as error:
        return _link_error(request, error)
    return _page(request, "unsubscribe.html", {"subscriber": subscriber})


@require_http_methods(["GET", "HEAD"])
def issue(request, pk):
    """An issue as a web page. Stories taken down since are left out; an
    issue with none left is gone (410)."""
    unit = _unit(request)
    issue = (
        NewsletterIssue.objects.filter(pk=pk, channel__unit=unit, state__in=(IssueState.SENDING, IssueState.SENT, IssueState.FAILED))
        .select_related("channel")
        .first()
    )
    if issue is None:
        raise Http404
    stories, total = newsletters.issue_stories(issue)
    status = 410 if not stories else 200
    return _page(request, "issue.html", {"issue": issue, "stories": stories, "withdrawn": total - len(stories)}, status=status)

urlpatterns = [
    path("", subscribe, name="subscribe"),
    path("confirm/<str:token>/", confirm, name="confirm"),
    path("unsubscribe/<str:token>/", unsubscribe, name="unsubscribe"),
    path("issues/<int:pk>/", issue, name="issue"),
]
