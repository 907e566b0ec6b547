"""A newsletter reader's personal data: what the register lists, and a
reader's own request to see it (export) or have it removed (erase)."""

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from workflows.personal_data import PersonalData, register_personal_data

from ..models import Subscriber


def subscriber_export(subscriber):
    """Everything held about one subscription, as the reader may ask for it."""
    return {
        "email": subscriber.email,
        "unit": subscriber.unit.name,
        "subscribed_at": subscriber.created_at.isoformat(),
        "confirmed_at": subscriber.confirmed_at.isoformat() if subscriber.confirmed_at else None,
        "unsubscribed_at": subscriber.unsubscribed_at.isoformat() if subscriber.unsubscribed_at else None,
    }


@transaction.atomic
def erase_subscriber(subscriber, actor):
    """Removes the subscription for good. The record of the erasure names
    the subscription by number only: the address must not outlive it in the
    logs or the audit trail."""
    number = subscriber.pk
    unit = subscriber.unit
    subscriber.delete()
    log(instance=unit, action="hoitu.subscriber_erased", user=actor, title=_("Subscriber #%(number)s") % {"number": number}, data={"subscriber": number})


def subscriber_personal_data():
    return [
        PersonalData(
            "newsletter_subscribers",
            _("Newsletter readers"),
            _("e-mail address, unit, when they subscribed, confirmed and left"),
            _("sending the newsletter they asked for (double opt-in)"),
            _("until they unsubscribe and ask for erasure"),
            Subscriber.objects.count(),
        )
    ]


def register():
    register_personal_data(subscriber_personal_data)
