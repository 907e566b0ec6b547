"""Channels in the admin ("Kênh phát hành"): the list of the user's units'
channels, a platform chooser, the create / edit form built from the
platform's adapter, delete, and enable / disable. Everyone who runs a
unit's distribution sees its channels; only its admin and its
editor-in-chief set them up. Another unit's channel is a 404."""

import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.log_actions import log

from .. import services
from ..adapters import registry
from ..forms import ChannelForm
from ..models import Channel
from ..permissions import (
    channel_units,
    delivery_units,
    user_can_configure_channels,
    user_can_manage_deliveries,
)

logger = logging.getLogger(__name__)


def visible_channels(user):
    return Channel.objects.filter(unit__in=delivery_units(user)).select_related("unit")


def _channel(request, pk):
    return get_object_or_404(visible_channels(request.user), pk=pk)


def _configurable_channel(request, pk):
    channel = _channel(request, pk)
    if not user_can_configure_channels(request.user, channel.unit):
        raise PermissionDenied
    return channel


def _adapter(kind):
    for adapter in registry.available():
        if adapter.kind == kind:
            return adapter
    raise Http404(_("No such platform."))


def index(request):
    units = delivery_units(request.user)
    if not units:
        raise PermissionDenied
    channels = list(Channel.objects.filter(unit__in=units).select_related("unit").order_by("unit__name", "name"))
    labels = dict(registry.choices())
    may_configure = {unit.pk for unit in units if user_can_configure_channels(request.user, unit)}
    for channel in channels:
        channel.platform_label = labels.get(channel.kind, channel.kind)
        channel.can_configure = channel.unit_id in may_configure
        channel.can_switch = user_can_manage_deliveries(request.user, channel.unit)
    return TemplateResponse(
        request,
        "publishing/channels/index.html",
        {
            "page_title": _("Channels"),
            "header_icon": "site",
            "channels": channels,
            "several_units": len(units) > 1,
            "can_add": bool(may_configure),
        },
    )


def choose_kind(request):
    if not channel_units(request.user):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "publishing/channels/choose_kind.html",
        {
            "page_title": _("Add a channel"),
            "header_icon": "site",
            # Plain data: a template would call an adapter class.
            "platforms": [{"kind": adapter.kind, "label": adapter.label} for adapter in registry.available()],
        },
    )


def _change_summary(form):
    # Names of what changed, never values: credentials stay out of the log.
    changed = [name for name in form.changed_data if not name.startswith("credential__")]
    if form.changed_credentials:
        changed.append("credentials")
    return changed


def create(request, kind):
    adapter = _adapter(kind)
    if not channel_units(request.user):
        raise PermissionDenied
    form = ChannelForm(request.POST or None, user=request.user, adapter=adapter)
    if request.method == "POST" and form.is_valid():
        if not user_can_configure_channels(request.user, form.cleaned_data["unit"]):
            raise PermissionDenied
        with transaction.atomic():
            channel = form.save()
            log(instance=channel, action="wagtail.create", user=request.user, data={"unit": channel.unit.slug, "kind": channel.kind})
        logger.info("channel %s (%s) of %s created by %s", channel.pk, channel.kind, channel.unit.slug, request.user.pk)
        messages.success(request, _("Channel “%(name)s” created.") % {"name": channel.name})
        return redirect("publishing_channels:index")
    return _form_page(request, form, adapter, _("Add a channel"), status=400 if form.is_bound else 200)


def edit(request, pk):
    channel = _configurable_channel(request, pk)
    adapter = _adapter(channel.kind)
    form = ChannelForm(request.POST or None, instance=channel, user=request.user, adapter=adapter)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            channel = form.save()
            log(instance=channel, action="wagtail.edit", user=request.user, data={"changed": _change_summary(form)})
        logger.info("channel %s edited by %s (%s)", channel.pk, request.user.pk, ", ".join(_change_summary(form)))
        messages.success(request, _("Channel “%(name)s” saved.") % {"name": channel.name})
        return redirect("publishing_channels:index")
    return _form_page(request, form, adapter, channel.name, channel=channel, status=400 if form.is_bound else 200)


def _form_page(request, form, adapter, title, channel=None, status=200):
    return TemplateResponse(
        request,
        "publishing/channels/form.html",
        {
            "page_title": title,
            "page_subtitle": adapter.label,
            "header_icon": "site",
            "form": form,
            "channel": channel,
            "limits": adapter.limits,
        },
        status=status,
    )


def delete(request, pk):
    channel = _configurable_channel(request, pk)
    if request.method == "POST":
        with transaction.atomic():
            log(instance=channel, action="wagtail.delete", user=request.user, data={"unit": channel.unit.slug, "kind": channel.kind})
            name = channel.name
            channel.delete()
        messages.success(request, _("Channel “%(name)s” deleted.") % {"name": name})
        return redirect("publishing_channels:index")
    return TemplateResponse(
        request,
        "publishing/channels/confirm_delete.html",
        {"page_title": _("Delete channel"), "page_subtitle": channel.name, "header_icon": "bin", "channel": channel,
         "delivery_count": channel.deliveries.count()},
    )


def _switchable_channel(request, pk):
    channel = _channel(request, pk)
    if not user_can_manage_deliveries(request.user, channel.unit):
        raise PermissionDenied
    return channel


@require_POST
def enable(request, pk):
    channel = _switchable_channel(request, pk)
    waiting = services.enable_channel(channel)
    log(instance=channel, action="hoitu.channel.enable", user=request.user)
    messages.success(
        request,
        _("Channel “%(name)s” enabled; %(count)s waiting deliveries go out now.") % {"name": channel.name, "count": len(waiting)},
    )
    return redirect(_next(request))


@require_POST
def disable(request, pk):
    channel = _switchable_channel(request, pk)
    who = request.user.get_full_name() or request.user.get_username()
    services.disable_channel(channel, _("Disabled by %(person)s.") % {"person": who})
    log(instance=channel, action="hoitu.channel.disable", user=request.user)
    messages.success(request, _("Channel “%(name)s” disabled: nothing is sent to it until it is enabled again.") % {"name": channel.name})
    return redirect(_next(request))


def _next(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "publishing_channels:index"


urlpatterns = [
    path("", index, name="index"),
    path("new/", choose_kind, name="choose_kind"),
    path("new/<slug:kind>/", create, name="create"),
    path("<int:pk>/", edit, name="edit"),
    path("<int:pk>/delete/", delete, name="delete"),
    path("<int:pk>/enable/", enable, name="enable"),
    path("<int:pk>/disable/", disable, name="disable"),
]
