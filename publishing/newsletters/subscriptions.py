"""Readers' subscriptions, confirmed twice (double opt-in): a request
records the address and mails a signed link; the link confirms it; the
link in every digest unsubscribes. Requests are rate-limited per address
and per client, and the answer never tells whether an address is
subscribed."""

import hashlib
import logging
from datetime import timedelta

from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

import relay

from ..models.newsletters import Subscriber
from .mail import sender, site_url

logger = logging.getLogger(__name__)

CONFIRM_MAX_AGE = timedelta(days=3)
CONFIRM_SALT = "publishing.newsletter.confirm"
# Subscription requests: per address (anti mail-bombing; silently dropped)
# and per client address (anti abuse; answered 429), per hour.
MAILS_PER_ADDRESS = 3
REQUESTS_PER_CLIENT = 30
RATE_WINDOW = 3600


class InvalidLink(Exception):
    """A confirmation or unsubscribe link that is unknown or expired."""

    def __init__(self, expired=False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


class TooManyRequests(Exception):
    pass


def normalise_email(value):
    email = (value or "").strip().lower()
    validate_email(email)
    if len(email) > 254:
        raise ValidationError(_("Enter a valid e-mail address."))
    return email


def request_subscription(unit, email, client_ip=""):
    """A reader asks for the unit's newsletter: record the address (not yet
    confirmed) and queue a mail with a signed confirmation link (a worker
    sends it, retrying while the mail server is down, so a slow server never
    holds the request). The caller answers the same whatever happened, so
    nobody learns whether an address is subscribed. Raises ValidationError
    (bad address) or TooManyRequests (this client asked too often)."""
    email = normalise_email(email)
    if client_ip and _count(f"newsletter:client:{unit.pk}:{client_ip}") > REQUESTS_PER_CLIENT:
        raise TooManyRequests()
    digest = hashlib.sha256(email.encode()).hexdigest()
    if _count(f"newsletter:address:{unit.pk}:{digest}") > MAILS_PER_ADDRESS:
        logger.info("newsletter confirmation for unit %s not sent again: too many requests for the address", unit.pk)
        return None
    try:
        with transaction.atomic():
            subscriber, _created = Subscriber.objects.get_or_create(unit=unit, email=email)
    except IntegrityError:  # the same address, twice at once
        subscriber = Subscriber.objects.get(unit=unit, email=email)
    # Imported here: the tasks module imports this one (through publishing.newsletters).
    from ..tasks import send_newsletter_confirmation

    # A subscribed address gets the link too (confirming again changes
    # nothing): the answer, and whether a mail goes out, never tell.
    relay.enqueue(send_newsletter_confirmation, subscriber.pk)
    return subscriber


def send_confirmation(subscriber_pk):
    """Mail the confirmation link (the worker's half of a request). The
    mail server's errors reach the caller, which retries later."""
    subscriber = Subscriber.objects.filter(pk=subscriber_pk).select_related("unit__site").first()
    if subscriber is not None:  # None: removed since
        _confirmation_message(subscriber.unit, subscriber).send()


def _count(key):
    """Requests counted in a fixed window; a cache outage lets them through."""
    try:
        cache.add(key, 0, RATE_WINDOW)
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW)
        return 1
    except Exception:
        return 0


def confirmation_token(subscriber):
    # The time it was issued rides along: a link older than the last
    # unsubscription must not sign the reader up again.
    return signing.dumps({"s": subscriber.token, "at": _milliseconds(timezone.now())}, salt=CONFIRM_SALT, compress=True)


def _milliseconds(moment):
    return int(moment.timestamp() * 1000)


def _confirmation_message(unit, subscriber):
    url = site_url(unit, reverse("newsletter:confirm", args=[confirmation_token(subscriber)]))
    with translation.override(unit.language):
        context = {"unit": unit, "subscriber": subscriber, "confirm_url": url, "days": CONFIRM_MAX_AGE.days, "site_url": site_url(unit, "/")}
        subject = " ".join(render_to_string("publishing/newsletter/email/confirm_subject.txt", context).split())
        text = render_to_string("publishing/newsletter/email/confirm.txt", context)
        html = render_to_string("publishing/newsletter/email/confirm.html", context)
    message = EmailMultiAlternatives(subject, text, sender(unit), [subscriber.email], reply_to=[unit.email] if unit.email else None)
    message.attach_alternative(html, "text/html")
    return message


def subscriber_for_confirmation(unit, token):
    """The subscriber a confirmation link names, or InvalidLink."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise InvalidLink(expired=True) from None
    except signing.BadSignature:
        raise InvalidLink() from None
    subscriber = Subscriber.objects.filter(unit=unit, token=str(data.get("s", ""))).first() if isinstance(data, dict) else None
    if subscriber is None:
        raise InvalidLink()
    if subscriber.unsubscribed_at and int(data.get("at", 0)) < _milliseconds(subscriber.unsubscribed_at):
        raise InvalidLink(expired=True)
    return subscriber


def confirm_subscription(unit, token):
    subscriber = subscriber_for_confirmation(unit, token)
    if not subscriber.active:
        now = timezone.now()
        Subscriber.objects.filter(pk=subscriber.pk).update(confirmed_at=now, unsubscribed_at=None)
        subscriber.confirmed_at, subscriber.unsubscribed_at = now, None
    return subscriber


def subscriber_for_unsubscribe(unit, token):
    subscriber = Subscriber.objects.filter(unit=unit, token=token).first() if token else None
    if subscriber is None:
        raise InvalidLink()
    return subscriber


def unsubscribe(unit, token):
    """Stop the reader's newsletter (idempotent: an unsubscribed reader
    stays unsubscribed at the time they first asked)."""
    subscriber = subscriber_for_unsubscribe(unit, token)
    if subscriber.unsubscribed_at is None:
        subscriber.unsubscribed_at = timezone.now()
        Subscriber.objects.filter(pk=subscriber.pk, unsubscribed_at__isnull=True).update(unsubscribed_at=subscriber.unsubscribed_at)
    return subscriber
