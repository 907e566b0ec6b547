"""What people do with a delivery on the dashboard: send it again, stop
trying, or record what they found on the platform. Each action is checked
against the person's units and logged with their name."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..adapters.base import RemoteRef
from ..models import Delivery, DeliveryAction, DeliveryAttempt, DeliveryState
from ..permissions import user_can_manage_deliveries
from . import transitions
from .outbox import enqueue_on_commit

S = DeliveryState


@transaction.atomic
def retry_delivery(delivery, user):
    """Send again now: a failed delivery, a cancelled one whose story is on
    the site, or an unknown one a person checked and found not posted."""
    delivery = _lock_for_person(delivery, user)
    if delivery.state not in (S.FAILED, S.UNKNOWN, S.RETRYING, S.CANCELLED):
        raise ValidationError(_("Only a failed, unknown, retrying or cancelled delivery can be retried."))
    if delivery.state == S.CANCELLED and not (delivery.story_id and delivery.story.live and delivery.action == DeliveryAction.PUBLISH):
        raise ValidationError(_("The story is not on the site: there is nothing to send."))
    if not delivery.channel.enabled:
        raise ValidationError(_("The channel is disabled: enable it first."))
    if delivery.state == S.UNKNOWN:
        # The person looked: not posted. Send as a new post.
        delivery.remote_id, delivery.needs_lookup = "", False
        delivery.create_key, delivery.pending_create = "", {}
    transitions.start_over(delivery)
    delivery.claim_token = ""
    delivery.error = ""
    delivery.save()
    _person_log(delivery, user, "retry")
    enqueue_on_commit([delivery.pk])
    transitions.announce(delivery)
    return delivery


@transaction.atomic
def cancel_delivery(delivery, user):
    """Stop trying: a waiting, failed or unknown delivery is left as it is
    on the platform."""
    delivery = _lock_for_person(delivery, user)
    if delivery.state not in (S.PENDING, S.RETRYING, S.FAILED, S.UNKNOWN):
        raise ValidationError(_("Only a waiting, failed or unknown delivery can be cancelled."))
    transitions.close(delivery, S.CANCELLED, _("Cancelled by %s.") % _who(user))
    _person_log(delivery, user, "cancel")
    return delivery


@transaction.atomic
def resolve_delivery(delivery, user, post=""):
    """A person checked the platform: the post is there (an unknown or failed
    publication: recorded as delivered, with the post they found, by its
    address or its id, so that later corrections and a takedown reach it)
    or gone (a removal: recorded as removed)."""
    post = (post or "").strip()
    delivery = _lock_for_person(delivery, user)
    if delivery.state not in (S.UNKNOWN, S.FAILED, S.RETRYING):
        raise ValidationError(_("Only an unknown, failed or retrying delivery can be marked as resolved."))
    now = timezone.now()
    found = S.REMOVED if delivery.action == DeliveryAction.REMOVE else S.DELIVERED
    ref = _found_post(delivery.channel, post) if post else None
    if found == S.REMOVED and ref is not None and ref.id:
        # A takedown, and the person found the post still there: it is
        # removed from here, now that its id is known.
        return _remove_found_post(delivery, user, ref, now)
    transitions.settle(delivery, found, delivery.generation, now, note=_("Marked as resolved by %s.") % _who(user))
    if found == S.DELIVERED:
        if ref is not None and ref.id:
            delivery.remote_id, delivery.remote_url, delivery.remote_data = ref.id, ref.url, ref.data
        elif ref is not None:
            delivery.remote_url = ref.url
        if not delivery.remote_id:
            # We do not know the post's id: later updates and a takedown
            # are left to a person (see the worker's _operation_for).
            delivery.remote_data = {"by_hand": True}
    delivery.needs_lookup = False
    delivery.claim_token = ""
    delivery.resolved_by, delivery.resolved_at = user, now
    delivery.save()
    _person_log(delivery, user, "resolve")
    transitions.announce(delivery)
    return delivery


def _remove_found_post(delivery, user, ref, now):
    transitions.start_over(delivery)
    delivery.remote_id, delivery.remote_url, delivery.remote_data = ref.id, ref.url, ref.data
    delivery.needs_lookup, delivery.create_key, delivery.pending_create = False, "", {}
    delivery.claim_token = ""
    delivery.error = _("The post is still on the platform (%s said so): it will be removed.") % _who(user)
    delivery.resolved_by, delivery.resolved_at = user, now
    delivery.save()
    _person_log(delivery, user, "resolve")
    enqueue_on_commit([delivery.pk])
    transitions.announce(delivery)
    return delivery


def _found_post(channel, text):
    """The post a person pasted: its id on the platform when the adapter can
    read it from what they gave (``ref_from_address``); an address it cannot
    read keeps only the address (``RemoteRef`` without an id)."""
    address = "://" in text
    if address:
        try:
            URLValidator(schemes=["http", "https"])(text)
        except ValidationError:
            raise ValidationError(_("Enter the post's full address, starting with https://, or its id on the platform.")) from None
        if len(text) > Delivery._meta.get_field("remote_url").max_length:
            raise ValidationError(_("This address is too long for a post's address."))
    ref = channel.get_adapter().ref_from_address(text)
    if ref is not None:
        return RemoteRef(ref.id, ref.url or (text if address else ""), ref.data)
    if address:
        return RemoteRef("", text)
    raise ValidationError(
        _("“%(text)s” is not the address or the id of a post on %(platform)s: paste the post's address as the platform shows it, or its id.")
        % {"text": text[:100], "platform": channel.adapter_class.label}
    )


def _lock_for_person(delivery, user):
    delivery = Delivery.objects.select_for_update(of=("self",)).select_related("channel__unit", "story").get(pk=delivery.pk)
    if not user_can_manage_deliveries(user, delivery.channel.unit):
        raise PermissionDenied(_("You may not manage this unit's deliveries."))
    return delivery


def _who(user):
    return user.get_full_name() or user.get_username()


def _person_log(delivery, user, operation):
    now = timezone.now()
    DeliveryAttempt.objects.create(delivery=delivery, operation=operation, started_at=now, finished_at=now, outcome=operation, user=user)
