"""X (Twitter) through the X API v2 (https://docs.x.com/x-api/posts/manage-tweets):
POST /2/tweets, DELETE /2/tweets/:id. X has no edit for this API: an update
of the story replaces the post (delete + create) only when the channel's
setting "replace_on_update" is on; otherwise the post is left as it was.

A post whose answer was lost is found on the account's timeline (``lookup``:
GET /2/users/:id/tweets with max_results, 5 to 100, and
tweet.fields=entities, the account's id from GET /2/users/me when the
channel does not give it): the post whose links, which X shows as t.co
addresses, expand (``entities.urls[].expanded_url``) to the story's
address. X refuses a parameter an endpoint does not take with 400.

Authentication: an OAuth 2.0 user-context access token (Authorization Code
with PKCE, scopes tweet.read tweet.write users.read offline.access) in the
channel's credentials, sent as a Bearer token. An app-only bearer token
cannot post. Access tokens last two hours: with the refresh token and the
app's client id (and secret, for a confidential client) the adapter renews
them at POST /2/oauth2/token when X refuses one; X rotates the refresh
token each time.

The text is fitted to X's weighted length (twitter-text configuration v3):
280 units, every URL counts as 23 (t.co), code points in U+0000–U+10FF and
a few punctuation ranges count 1, everything else 2. Note for Vietnamese:
letters with a tone mark below or a hook (ạ, ả, ế, ộ, ự, ỹ… in U+1EA0–U+1EF9)
count 2, while à, á, â, ă, đ, ê, ô, ơ, ư… count 1."""

import re
import time
import unicodedata

from django.utils.translation import gettext_lazy as _

from .base import (
    Adapter,
    AuthFailed,
    Limit,
    Permanent,
    RemoteRef,
    error_for_status,
)

MAX_WEIGHT = 280
URL_WEIGHT = 23
# (first, last) code points that weigh 1; all others weigh 2 (twitter-text v3).
LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
# Parts of an emoji sequence (counted once, as 2): joiner, variation
# selector, skin tones, tag characters, keycap.
EMOJI_JOINERS = {0x200D, 0xFE0F, 0x20E3}
LOOKUP_DEPTH = 20
# x.com (or twitter.com)/<account>/status/<id>, and /i/web/status/<id>.
STATUS_ADDRESS = re.compile(r"^https?://(?:www\.|mobile\.)?(?:x|twitter)\.com/(?P<account>[A-Za-z0-9_]{1,15}|i/web|i)/status/(?P<id>\d+)/?(?:[?#].*)?$")


def _is_emoji(cp):
    return 0x1F000 <= cp <= 0x1FAFF or 0x2600 <= cp <= 0x27BF or 0x2B00 <= cp <= 0x2BFF or 0x1F1E6 <= cp <= 0x1F1FF


def _char_weight(cp):
    return 1 if any(first <= cp <= last for first, last in LIGHT_RANGES) else 2


def weighted_length(text):
    """The length X counts for ``text``."""
    text = unicodedata.normalize("NFC", text or "")
    total = 0
    position = 0
    for match in URL.finditer(text):
        total += _weigh_plain(text[position : match.start()]) + URL_WEIGHT
        position = match.end()
    return total + _weigh_plain(text[position:])


def _weigh_plain(text):
    total = 0
    in_emoji = False
    previous_joiner = False
    for char in text:
        cp = ord(char)
        if in_emoji and (cp in EMOJI_JOINERS or 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F):
            previous_joiner = cp == 0x200D
            continue
        if _is_emoji(cp):
            if not (in_emoji and previous_joiner):
                total += 2  # a new emoji sequence
            in_emoji, previous_joiner = True, False
            continue
        in_emoji = previous_joiner = False
        total += _char_weight(cp)
    return total


def fit(text, limit, ellipsis="…"):
    """``text`` cut at a word boundary so its weighted length, ellipsis
    included, is at most ``limit``."""
    text = (text or "").strip()
    if weighted_length(text) <= limit:
        return text
    words = text.split(" ")
    while words:
        words.pop()
        candidate = " ".join(words).rstrip(" ,;:.–-")
        if weighted_length(candidate + ellipsis) <= limit:
            return candidate + ellipsis if candidate else ""
    return ""


class XAdapter(Adapter):
    kind = "x"
    label = _("X (Twitter)")
    default_base_url = "https://api.x.com"
    credential_fields = (
        ("access_token", _("OAuth 2.0 user access token (tweet.write)")),
        ("refresh_token", _("Refresh token (offline.access), to renew the access token")),
        ("client_id", _("App client id (for renewing)")),
        ("client_secret", _("App client secret (confidential apps only)")),
    )
    optional_credentials = ("refresh_token", "client_id", "client_secret")
    config_fields = (
        ("username", _("Account name (without @), for links to posts")),
        ("user_id", _("Account id (optional; found from the token when empty)")),
        ("replace_on_update", _("Replace the post when the story is corrected (X has no edit)")),
    )
    can_edit = False
    can_lookup = True
    limits = (Limit("text", MAX_WEIGHT, _("Post (links count as 23, some letters as 2)")),)

    @staticmethod
    def count(text):
        """The editor's counters weigh the whole post (headline, text and
        link) with this, and with URL_WEIGHT and LIGHT_RANGES above."""
        return weighted_length(text)

    def compose(self, post):
        """Headline, text and link, shortened (text first, then headline)
        to fit X's weighted limit with the link counted as 23."""
        room = MAX_WEIGHT - URL_WEIGHT - 2  # the link and the blank line before it
        headline = fit(post.headline, room)
        room -= weighted_length(headline)
        text = fit(post.text, room - 2) if room > 2 + 10 else ""  # not worth a ten-character stub
        return "\n\n".join(part for part in (headline, text, post.url) if part)

    def check(self, post):
        if not (post.headline or post.text):
            return _("The post for X would have no text.")
        return super().check(post)

    def prepare(self, post):
        post.extra["status"] = self.compose(post)
        return post

    def _api(self, method, path, **kwargs):
        def call():
            headers = {"Authorization": f"Bearer {self.credentials.get('access_token', '')}"}
            return self.request(method, path, headers=headers, **kwargs)

        return self.renewing(call)

    def renewed_credentials(self, credentials):
        client_id = credentials.get("client_id")
        if not (credentials.get("refresh_token") and client_id):
            return None
        secret = credentials.get("client_secret")
        data = {"grant_type": "refresh_token", "refresh_token": credentials["refresh_token"]}
        if not secret:
            data["client_id"] = client_id  # a public client names itself in the body
        try:
            body = self.request("POST", "/2/oauth2/token", data=data, auth=(client_id, secret) if secret else None)
        except (Permanent, AuthFailed) as error:
            raise AuthFailed(_("X refused the refresh token; connect the account again (%s)") % error.message, error.status) from None
        if not body.get("access_token"):
            raise AuthFailed(_("X answered the token renewal without a token."))
        return {"access_token": body["access_token"], "refresh_token": body.get("refresh_token") or credentials["refresh_token"]}

    def raise_for_response(self, response):
        status = response.status_code
        if status < 400:
            return
        message = "X: " + self.error_message(response).partition(": ")[2]
        # X answers 403 both for the account or app not being allowed
        # (credentials) and for content it refuses (duplicate, too long).
        if status == 403 and any(word in message.lower() for word in ("duplicate", "too long")):
            raise Permanent(message, status)
        # A 429 says when the rate window reopens (epoch seconds), not how long to wait.
        reset = response.headers.get("x-rate-limit-reset", "")
        raise error_for_status(status, message, max(1, int(reset) - int(time.time())) if reset.isdigit() else None)

    def error_message(self, response):
        try:
            body = response.json()
        except ValueError:
            return super().error_message(response)
        if isinstance(body, dict) and body.get("detail"):
            return f"HTTP {response.status_code}: {body['detail']}"
        errors = body.get("errors") if isinstance(body, dict) else None
        if errors and isinstance(errors, list):
            return f"HTTP {response.status_code}: " + "; ".join(str(e.get("message") or e.get("detail")) for e in errors)
        return super().error_message(response)

    def post_url(self, tweet_id):
        username = self.config.get("username")
        return f"https://x.com/{username}/status/{tweet_id}" if username else f"https://x.com/i/web/status/{tweet_id}"

    def create(self, post):
        text = post.extra.get("status") or self.compose(post)
        result = self._api("POST", "/2/tweets", json={"text": text})["data"]
        return RemoteRef(str(result["id"]), self.post_url(result["id"]), {})

    def delete(self, ref):
        self._api("DELETE", f"/2/tweets/{ref.id}")

    def ref_from_address(self, text):
        """A post's address (x.com or twitter.com, …/status/<id>) or its id."""
        text = text.strip()
        match = STATUS_ADDRESS.match(text)
        if match:
            account, username = match.group("account").lower(), (self.config.get("username") or "").lower()
            if username and account not in (username, "i", "i/web"):
                return None  # another account's post
            return RemoteRef(match.group("id"), self.post_url(match.group("id")), {})
        return RemoteRef(text, self.post_url(text), {}) if text.isdigit() else None

    def lookup(self, post):
        user_id = self.config.get("user_id") or self._api("GET", "/2/users/me")["data"]["id"]
        result = self._api("GET", f"/2/users/{user_id}/tweets", params={"max_results": LOOKUP_DEPTH, "tweet.fields": "entities"})
        for item in result.get("data") or []:
            urls = ((item.get("entities") or {}).get("urls")) or []
            if any(u.get("expanded_url") == post.url for u in urls):
                return RemoteRef(str(item["id"]), self.post_url(item["id"]), {})
        return None
