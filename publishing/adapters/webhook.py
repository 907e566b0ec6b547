"""Signed webhook for partners: each change of a story is POSTed to the
partner's address as IPTC ninjs 3.1 JSON (see publishing/ninjs.py).

The contract (for the partner's developers)
-------------------------------------------
- ``POST <receiver address>``, ``Content-Type: application/json; charset=utf-8``,
  the body one ninjs document. Publication, update, correction and
  republication all send the whole story again; a takedown sends
  ``{"uri", "version", "versionCreated", "pubStatus": "canceled", ...}``:
  remove the story. There is no PUT or DELETE: one endpoint, one verb.
- Headers:
  ``X-HoiTu-Event``: ``story.published`` | ``story.updated`` |
  ``story.corrected`` | ``story.canceled``;
  ``X-HoiTu-Timestamp``: Unix seconds when the request was signed;
  ``X-HoiTu-Signature``: ``sha256=<hex HMAC-SHA256 of "<timestamp>.<body>"
  with the channel's shared secret>``;
  ``Idempotency-Key``: ``<uri>@<version>``, the same on every retry;
  ``X-HoiTu-Delivery``: a new id per request, for logs.
- Verify the signature over the raw body (``verify_signature`` below is the
  reference), refuse a timestamp older than 5 minutes (replays), and answer
  401 to a bad signature.
- Keep, per ``uri``, the highest ``version`` seen: ignore a version you
  already have or an older one (answer 2xx: it is not an error). Requests
  are sent again after timeouts and errors, so the same version may come
  twice, and a newer one may come before an older retry gives up.
- Answer 2xx once the document is stored; optionally with JSON
  ``{"url": "<where it is shown>"}``. 410 means "I no longer have it"
  (an update then sends it as new). 401/403 are treated as a revoked
  secret (three in a row disable the channel); 429 with Retry-After slows
  us down; 5xx and timeouts are retried with backoff.

Because a receiver keys by uri + version, sending again is always safe: a
send interrupted without an answer is never left "unknown" — ``lookup``
says the receiver may hold the story, and the engine sends the current
state again (the story, or its cancellation after a takedown). The lookup
asks the receiver nothing: this contract has no search endpoint.
"""

import hashlib
import hmac
import json
import time
import uuid

from django.utils.translation import gettext_lazy as _

from newsroom.models import ArticlePage

from .. import ninjs
from .base import Adapter, RemoteRef, memo, ninjs_builder

EVENT_NAMES = {"published": "story.published", "updated": "story.updated", "corrected": "story.corrected"}
CANCELED_EVENT = "story.canceled"
SIGNATURE_PREFIX = "sha256="


def sign(secret, timestamp, body):
    """The X-HoiTu-Signature value for ``body`` (bytes) sent at ``timestamp``."""
    message = str(timestamp).encode() + b"." + (body if isinstance(body, bytes) else body.encode())
    return SIGNATURE_PREFIX + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify_signature(secret, timestamp, body, header, tolerance=300, now=None):
    """For receivers: True when ``header`` (X-HoiTu-Signature) signs the raw
    ``body`` with ``secret`` at ``timestamp`` (X-HoiTu-Timestamp), and the
    timestamp is within ``tolerance`` seconds of now."""
    if not (secret and header and timestamp):
        return False
    try:
        sent_at = int(str(timestamp).strip())
    except ValueError:
        return False
    if abs((now if now is not None else time.time()) - sent_at) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, sent_at, body), str(header).strip())


class WebhookAdapter(Adapter):
    kind = "webhook"
    label = _("Partner webhook (signed ninjs)")
    credential_fields = (("secret", _("Shared secret for the signature")),)
    config_fields = ()
    can_edit = True
    can_lookup = True

    def render(self, story, copy=None):
        # Partners get the story as it is on the site: per-channel headline
        # and text overrides are for social posts, not for syndication.
        post = super().render(story, None)
        builder = ninjs_builder(story)
        post.extra["ninjs"] = memo(story, "ninjs", lambda: builder.build(story))
        post.extra["event"] = builder.latest_event(story)
        return post

    def check(self, post):
        if not self.channel.base_url:
            return _("The partner's receiver address is missing: set the channel's API address.")
        if not self.credentials.get("secret"):
            return _("The shared secret is missing: the partner could not verify our requests.")
        return None

    def create(self, post):
        return self._send(post.extra["ninjs"], EVENT_NAMES.get(post.extra.get("event"), "story.published"), story=post.story)

    def update(self, ref, post):
        return self._send(post.extra["ninjs"], EVENT_NAMES.get(post.extra.get("event"), "story.updated"), story=post.story)

    def lookup(self, post):
        # A receiver cannot be searched, and need not be: it may hold the
        # story, and whatever it holds, the send that follows (the story
        # again, or its cancellation) is safe to repeat and sets it right.
        return RemoteRef(post.extra["ninjs"]["uri"], "", {"story": post.story.pk, "version": post.extra["ninjs"]["version"]})

    def delete(self, ref):

        story = ArticlePage.objects.filter(pk=ref.data.get("story")).first()
        if story is not None:
            document = ninjs.serialize(story)
        else:  # the page itself was deleted: say so with the next version
            document = {
                "uri": ref.id,
                "standard": ninjs.STANDARD,
                "representationType": "partial",
                "version": str(int(ref.data.get("version") or 0) + 1),
                "versionCreated": ninjs.isodate(_now()),
                "pubStatus": "canceled",
            }
        if document.get("pubStatus") != "canceled":
            # Removed from this channel while still on the site (un-ticked
            # in the Channels tab): for this partner, it is withdrawn.
            document = {k: document[k] for k in ("uri", "standard", "type", "version", "versionCreated") if k in document}
            document.update(representationType="partial", pubStatus="canceled")
        self._send(document, CANCELED_EVENT)

    def _send(self, document, event, story=None):
        body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-HoiTu-Event": event,
            "X-HoiTu-Timestamp": str(timestamp),
            "X-HoiTu-Signature": sign(self.credentials.get("secret", ""), timestamp, body),
            "X-HoiTu-Delivery": uuid.uuid4().hex,
            "Idempotency-Key": f"{document['uri']}@{document['version']}",
        }
        answer = self.request("POST", self.channel.base_url, data=body, headers=headers, expect_json=False)
        url = ""
        if answer.content:
            try:
                data = answer.json()
            except ValueError:
                data = None
            if isinstance(data, dict) and isinstance(data.get("url"), str) and data["url"].startswith("http"):
                url = data["url"]
        data = {"version": document["version"]}
        if story is not None:
            data["story"] = story.pk
        return RemoteRef(document["uri"], url, data)


def _now():
    from django.utils import timezone

    return timezone.now()
