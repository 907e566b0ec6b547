"""What can go wrong when talking to a platform, as the delivery engine
needs to know it: try again later, give up, or we cannot tell; and which
of these an HTTP status means, the same for every platform."""


class DeliveryError(Exception):
    def __init__(self, message, status=None):
        super().__init__(message)
        self.message = str(message)
        self.status = status


class Temporary(DeliveryError):
    """5xx, 408, 425, a refused connection: nothing happened, try again later."""


class RateLimited(Temporary):
    """429: try again after ``retry_after`` seconds (None when the platform
    did not say)."""

    def __init__(self, message, status=429, retry_after=None):
        super().__init__(message, status)
        self.retry_after = retry_after


class Permanent(DeliveryError):
    """A 4xx the platform will give again: fail at once with its message."""


class AuthFailed(Permanent):
    """The platform refused our credentials (expired token, revoked app)."""


class Refused(Permanent):
    """The story cannot be rendered for this platform (no cover picture for
    Zalo, no video for YouTube): refused before anything is sent."""


class OutcomeUnknown(DeliveryError):
    """The request went out but no answer came back (timeout, dropped
    connection): the platform may or may not have acted on it."""


class ClaimLost(DeliveryError):
    """Another worker has taken the delivery over (this one stalled past
    its lease): nothing more is sent from here."""


class RemoteGone(DeliveryError):
    """The remote post no longer exists (deleted on the platform by hand)."""


def error_for_status(status, message, retry_after=None):
    """The error an HTTP status (400 or above) means, the same on every
    platform: 429 rate limited (for ``retry_after`` seconds, when the
    platform said), 408, 425 and 5xx temporary, 401 and 403 refused
    credentials, 404 and 410 gone, any other 4xx permanent. Adapters read
    their platform's own error codes first and leave the rest to this."""
    if status == 429:
        return RateLimited(message, status, retry_after)
    if status in (408, 425) or status >= 500:
        return Temporary(message, status)
    if status in (401, 403):
        return AuthFailed(message, status)
    if status in (404, 410):
        return RemoteGone(message, status)
    return Permanent(message, status)
