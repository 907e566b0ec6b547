"""Facebook Page through the Graph API
(https://developers.facebook.com/docs/graph-api/reference/page/feed): a link
post (POST /{page-id}/feed with message and link) or a photo post (POST
/{page-id}/photos with the picture's url and a caption), edited with POST
/{post-id} and removed with DELETE /{post-id}.

A post whose answer was lost is found again among the page's own posts
(``lookup``: GET /{page-id}/published_posts, newest first, cursor paging),
a link post by its attachment's ``unshimmed_url`` (the story's address; the
attachment's ``url`` goes through Facebook's redirector), a photo post by
the address in its caption. Graph refuses the ``link`` field (and
``caption``, ``description``, ``name``, ``object_id``, ``source``,
``type``) on a page's feed edges since v3.3 (error #12), so it is never
asked for; ``published_posts`` leaves out what visitors post on the page
(a reader sharing the story is not our post).

The page access token travels in the Authorization header, never in an
address that could end up in a log."""

import json
import re
from urllib.parse import parse_qs, urlsplit

from django import forms
from django.utils.translation import gettext_lazy as _

from .base import (
    Adapter,
    AuthFailed,
    Limit,
    RateLimited,
    RemoteGone,
    RemoteRef,
    Temporary,
    error_for_status,
    shorten,
)

DEFAULT_VERSION = "v21.0"
MESSAGE_LIMIT = 63206
# Lookup reads the page's newest posts, LOOKUP_PAGE at a time (Graph gives
# at most 100), LOOKUP_PAGES pages at most.
LOOKUP_PAGE = 50
LOOKUP_PAGES = 2
LOOKUP_FIELDS = "id,message,permalink_url,attachments{unshimmed_url}"
POST_ADDRESS = re.compile(r"^https?://(?:www\.|m\.|web\.)?facebook\.com/(?P<page>[^/?#]+)/posts/(?P<story>\d+)/?(?:[?#].*)?$")
POST_ID = re.compile(r"^\d+_\d+$")

# Graph error codes (developers.facebook.com/docs/graph-api/guides/error-handling).
AUTH_CODES = {102, 190, 10} | set(range(200, 300))  # session/token, permissions
RATE_CODES = {4, 17, 32, 613, 80001}  # app, user, page and custom rate limits
TEMPORARY_CODES = {1, 2}  # unknown and service errors: retry


class FacebookAdapter(Adapter):
    kind = "facebook"
    label = _("Facebook Page")
    default_base_url = "https://graph.facebook.com"
    credential_fields = (("page_access_token", _("Page access token")),)
    config_fields = (
        ("page_id", _("Page id"), forms.RegexField(regex=r"^\d+$", max_length=40, error_messages={"invalid": _("A page id is a number.")})),
        (
            "post_as",
            _("Post as"),
            forms.ChoiceField(
                choices=[
                    ("link", _("A link with its preview")),
                    ("photo", _("The picture, with the link in its caption")),
                    ("auto", _("The picture for photo stories, a link for the others")),
                ],
                initial="link",
            ),
        ),
        (
            "api_version",
            _("Graph API version"),
            forms.RegexField(regex=r"^v\d+\.\d+$", required=False, max_length=10, help_text=_("Empty: %s.") % DEFAULT_VERSION),
        ),
    )
    can_lookup = True
    limits = (Limit("text", MESSAGE_LIMIT, _("Post text")),)

    @property
    def version(self):
        return self.config.get("api_version") or DEFAULT_VERSION

    def _path(self, node, edge=""):
        return f"/{self.version}/{node}" + (f"/{edge}" if edge else "")

    def _graph(self, method, node, edge="", **kwargs):
        headers = {"Authorization": f"Bearer {self.credentials.get('page_access_token', '')}"}
        return self.request(method, self._path(node, edge), headers=headers, **kwargs)

    def raise_for_response(self, response):
        # Graph errors: {"error": {"message", "type", "code", "error_subcode",
        # "is_transient"}}; a bad token is code 190 whatever the HTTP status.
        if response.status_code < 400:
            return
        try:
            error = response.json().get("error") or {}
        except (ValueError, AttributeError):
            error = {}
        if not isinstance(error, dict) or "code" not in error:
            return super().raise_for_response(response)
        code, subcode, status = error.get("code"), error.get("error_subcode"), response.status_code
        message = f"Facebook ({code}{f'/{subcode}' if subcode else ''}): {error.get('message', '')}"
        if code in AUTH_CODES:
            raise AuthFailed(message, status)
        if code in RATE_CODES:
            raise RateLimited(message, status, regain_seconds(response))
        if code in TEMPORARY_CODES or error.get("is_transient"):
            raise Temporary(message, status)
        if code == 100 and subcode == 33:  # the object does not exist
            raise RemoteGone(message, status)
        raise error_for_status(status, message, regain_seconds(response))

    def prepare(self, post):
        room = MESSAGE_LIMIT - len(post.headline) - len(post.url) - 4  # the blank lines between the parts
        post.text = shorten(post.text, max(0, room))
        return post

    def message(self, post, with_link):
        parts = [post.headline, post.text]
        if with_link:
            parts.append(post.url)
        return "\n\n".join(part for part in parts if part)

    def as_photo(self, post):
        mode = self.config.get("post_as") or "link"
        wanted = mode == "photo" or (mode == "auto" and getattr(post.story, "format", "") == "photo")
        return wanted and bool(post.image_url)

    def create(self, post):
        page_id = self.config.get("page_id")
        if self.as_photo(post):
            # A photo post has no link preview: the address goes in the caption.
            result = self._graph("POST", page_id, "photos", data={"url": post.image_url, "caption": self.message(post, True)})
            post_id = result["post_id"]
            data = {"kind": "photo", "photo_id": str(result.get("id", ""))}
        else:
            result = self._graph("POST", page_id, "feed", data={"message": self.message(post, False), "link": post.url})
            post_id = result["id"]
            data = {"kind": "link"}
        return RemoteRef(str(post_id), post_url(post_id), data)

    def update(self, ref, post):
        self._graph("POST", ref.id, data={"message": self.message(post, self.kind_of(ref, post) == "photo")})
        return ref

    def kind_of(self, ref, post):
        """A post recorded by hand does not say whether it is a photo post;
        ``create`` made it, by this same rule."""
        return ref.data.get("kind") or ("photo" if self.as_photo(post) else "link")

    def delete(self, ref):
        self._graph("DELETE", ref.id)

    def lookup(self, post):
        wanted = _same_address(post.url)
        if not wanted:
            return None
        params = {"fields": LOOKUP_FIELDS, "limit": LOOKUP_PAGE}
        for _page in range(LOOKUP_PAGES):
            result = self._graph("GET", self.config.get("page_id"), "published_posts", params=params)
            for item in result.get("data") or []:
                attachments = (item.get("attachments") or {}).get("data") or []
                if any(_same_address(attachment.get("unshimmed_url")) == wanted for attachment in attachments):
                    return RemoteRef(item["id"], item.get("permalink_url") or post_url(item["id"]), {"kind": "link"})
                if post.url in (item.get("message") or ""):
                    return RemoteRef(item["id"], item.get("permalink_url") or post_url(item["id"]), {"kind": "photo"})
            paging = result.get("paging") or {}
            after = (paging.get("cursors") or {}).get("after")
            if not (paging.get("next") and after):
                return None  # the page has no older posts
            # Asked again with the cursor: Graph's ``next`` address carries the token.
            params = {**params, "after": after}
        return None

    def ref_from_address(self, text):
        """https://www.facebook.com/{page}/posts/{number} (the page by its id
        or its name) or permalink.php?story_fbid={number}&id={page id} is post
        {page id}_{number}; so is that id itself. Newer addresses
        (/posts/pfbid…, /share/…) do not carry the number: the id is needed
        then."""
        text = text.strip()
        page_id = self.config.get("page_id", "")
        if POST_ID.match(text):
            page, story = text.split("_")
        elif match := POST_ADDRESS.match(text):
            # The page by its name: this channel's page.
            page, story = (match.group("page") if match.group("page").isdigit() else page_id), match.group("story")
        elif urlsplit(text).path.rstrip("/").endswith("/permalink.php"):
            query = parse_qs(urlsplit(text).query)
            page, story = query.get("id", [""])[0], query.get("story_fbid", [""])[0]
        else:
            return None
        if not (story.isdigit() and page == page_id):
            return None  # not a post of this channel's page
        post_id = f"{page}_{story}"
        return RemoteRef(post_id, text if text.startswith("http") else post_url(post_id), {})


def post_url(post_id):
    page_id, _sep, story_id = str(post_id).partition("_")
    return f"https://www.facebook.com/{page_id}/posts/{story_id}" if story_id else f"https://www.facebook.com/{post_id}"


def _same_address(url):
    return (url or "").split("#")[0].rstrip("/")


def regain_seconds(response):
    """Graph says when a throttled page may call again in the
    X-Business-Use-Case-Usage header (minutes), when it says it at all."""
    header = response.headers.get("X-Business-Use-Case-Usage") or response.headers.get("X-Page-Usage")
    if not header:
        return None
    try:
        usage = json.loads(header)
    except ValueError:
        return None
    entries = [entry for value in usage.values() for entry in (value if isinstance(value, list) else [value])] if isinstance(usage, dict) else []
    minutes = [entry.get("estimated_time_to_regain_access") for entry in entries if isinstance(entry, dict)]
    minutes = [m for m in minutes if isinstance(m, (int, float))]
    return int(max(minutes) * 60) if minutes else None
