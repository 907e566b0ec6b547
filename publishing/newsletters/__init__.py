"""The e-mail newsletter: readers' subscriptions (double opt-in, in
``subscriptions``) and the scheduled digests of a unit's newsletter
channels (``digests``). What the views, the tasks and the tests call is
named here."""

from .digests import issue_stories, send_due_digests
from .subscriptions import (
    CONFIRM_MAX_AGE,
    CONFIRM_SALT,
    MAILS_PER_ADDRESS,
    REQUESTS_PER_CLIENT,
    InvalidLink,
    TooManyRequests,
    confirm_subscription,
    confirmation_token,
    normalise_email,
    request_subscription,
    send_confirmation,
    subscriber_for_confirmation,
    subscriber_for_unsubscribe,
    unsubscribe,
)

__all__ = [
    "CONFIRM_MAX_AGE",
    "CONFIRM_SALT",
    "MAILS_PER_ADDRESS",
    "REQUESTS_PER_CLIENT",
    "InvalidLink",
    "TooManyRequests",
    "confirm_subscription",
    "confirmation_token",
    "issue_stories",
    "normalise_email",
    "request_subscription",
    "send_confirmation",
    "send_due_digests",
    "subscriber_for_confirmation",
    "subscriber_for_unsubscribe",
    "unsubscribe",
]
