"""A channel's health and switches: paused by the engine when the platform
keeps refusing its credentials, turned off and on by a person, and the
notices that tell the unit's publishers (a channel stopped, a delivery
given up on)."""

import logging

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from workflows.models import Notification, NotificationKind, Role
from workflows.notifications import group_members, notify

from ..models import Channel, Delivery, DeliveryState
from ..permissions import user_can_manage_deliveries
from .outbox import enqueue_on_commit

logger = logging.getLogger(__name__)

S = DeliveryState


def pause_channel(channel, reason):
    """The engine stops sending to a channel whose credentials the platform
    refuses, and tells the unit's publishers why. Once per pause."""
    stopped = Channel.objects.filter(pk=channel.pk, enabled=True).update(enabled=False, disabled_reason=reason)
    channel.enabled, channel.disabled_reason = False, reason
    if stopped:
        logger.warning("channel %s (%s) disabled after authentication errors", channel.pk, channel.kind)
        _notify_publishers(channel, reason)


@transaction.atomic
def disable_channel(channel, reason="", user=None):
    """A person turns a channel off (``user`` is checked when given): nothing
    is sent to it and it takes no new stories until it is enabled again;
    the unit's publishers are told."""
    channel = Channel.objects.select_for_update().select_related("unit").get(pk=channel.pk)
    _check_person(user, channel)
    reason = (reason or "").strip()
    if user is not None:
        who = user.get_full_name() or user.get_username()
        reason = _("Disabled by %(who)s: %(reason)s") % {"who": who, "reason": reason} if reason else _("Disabled by %s.") % who
    # auth_failures back to 0: a person's choice, not a pause for credentials.
    Channel.objects.filter(pk=channel.pk).update(enabled=False, disabled_reason=reason, auth_failures=0)
    channel.enabled, channel.disabled_reason, channel.auth_failures = False, reason, 0
    _notify_publishers(channel, reason, actor=user)
    return channel


@transaction.atomic
def enable_channel(channel, user=None):
    """Turn a channel back on (``user`` is checked when given) and send what
    waited for it. Returns the deliveries queued."""
    channel = Channel.objects.select_for_update().select_related("unit").get(pk=channel.pk)
    _check_person(user, channel)
    Channel.objects.filter(pk=channel.pk).update(enabled=True, disabled_reason="", auth_failures=0, rate_limited_until=None)
    channel.enabled, channel.disabled_reason, channel.auth_failures, channel.rate_limited_until = True, "", 0, None
    waiting = list(channel.deliveries.filter(state__in=(S.PENDING, S.RETRYING)).values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=waiting).update(next_attempt_at=None)
    enqueue_on_commit(waiting)
    logger.info("channel %s (%s) enabled; %d deliveries queued", channel.pk, channel.kind, len(waiting))
    return waiting


def _check_person(user, channel):
    if user is not None and not user_can_manage_deliveries(user, channel.unit):
        raise PermissionDenied(_("You may not manage this unit's channels."))


# --- telling the unit's publishers ---------------------------------------------


def notify_delivery_failure(channel, subject, error, url):
    """Tell the unit's publishers that something given up on needs a person.
    While one such notice about the channel is unread, later failures on it
    add none: an outage costs each person one notice, not one per story."""
    recipients = _publishers(channel.unit_id)
    already = Notification.objects.filter(
        recipient__in=recipients, kind=NotificationKind.DELIVERY_FAILED, url=url, read_at__isnull=True
    ).values_list("recipient_id", flat=True)
    recipients -= set(already)
    message = _("Not delivered to “%(channel)s”: %(subject)s. %(error)s") % {"channel": channel.name, "subject": subject, "error": error}
    return notify(recipients, NotificationKind.DELIVERY_FAILED, message, unit=channel.unit, url=url)


def notify_failed_delivery(delivery, channel):
    """The notice for one story's delivery, linking to the channel's failures."""
    url = reverse("publishing_dashboard:unit", args=[channel.unit.slug]) + f"?state={S.FAILED}&channel={channel.pk}"
    notify_delivery_failure(channel, f"“{delivery.story_title or delivery.story_id}”", delivery.error, url)


def _notify_publishers(channel, reason, actor=None):
    notify(
        _publishers(channel.unit_id),
        NotificationKind.CHANNEL_DISABLED,
        _("Channel “%(channel)s” was disabled: %(reason)s") % {"channel": channel.name, "reason": reason},
        unit=channel.unit,
        actor=actor,
    )


def _publishers(unit_id):
    return group_members(Group.objects.filter(unit_role__unit_id=unit_id, unit_role__role__in=(Role.DISTRIBUTION, Role.MANAGING_EDITOR)))
