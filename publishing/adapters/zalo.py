"""Zalo Official Account articles through the OA Article API v2.0
(https://developers.zalo.me/docs/official-account/bai-viet): an article is
created asynchronously (article/create answers a token, article/verify with
that token gives the article id), updated the same way (article/update),
and removed with article/remove. A new article can also be broadcast to the
OA's followers (oa/message with a media template), when the channel says so.

A create is two requests, and the article exists once the first is
answered: the token is stored (``remember``) before verify is asked, and a
verify that fails (5xx, 429, no answer) leaves the delivery to ``lookup``,
which asks verify again with that token. When the create's own answer was
lost there is no token: ``lookup`` then reads the OA's newest articles
(GET article/getslice, ten at a time, newest first) for one with the title
that was sent, and confirms it with the article's detail (GET
article/getdetail): its body links to the story's address, as every
article of ours ends with that link. The link, not a marker of our own:
Zalo keeps an article's links (readers follow them), while a hidden marker
may be dropped by its editor and a visible one would be shown to readers.
The title and address sent are remembered before the create, so that a
correction made meanwhile does not hide the article from the search. An
article found this way is not broadcast (followers are not messaged about
it; the OA's manager can broadcast it).

Zalo answers errors with HTTP 200 and ``{"error": <negative code>,
"message": ...}``; the codes are mapped below.

An OA access token lasts about 25 hours. With the refresh token and the
app's id and secret key, the adapter renews it (OAuth v4, POST
/v4/oa/access_token on oauth.zaloapp.com) when Zalo refuses it; a refresh
token is single-use and lasts three months."""

import re
import time
from html import unescape

from django import forms
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from wagtail.rich_text import expand_db_html

from .base import (
    Adapter,
    AuthFailed,
    ClaimLost,
    Limit,
    Permanent,
    RateLimited,
    RemoteGone,
    RemoteRef,
    Temporary,
    image_url,
    plain_text,
    shorten,
)

TITLE_LIMIT = 150
DESCRIPTION_LIMIT = 300
AUTHOR_LIMIT = 50

# Zalo's error table (developers.zalo.me, "Bảng mã lỗi").
AUTH_ERRORS = {-216, -220, -124, -204, -205, -209, -212, -219, -221}  # token invalid/expired, OA or app gone or not allowed
RATE_ERRORS = {-32, -211, -218, -223}  # requests per minute, feature quota, message and broadcast quotas
TEMPORARY_ERRORS = {-1, -200, -214}  # internal error, sending failed, article still being processed
VERIFY_TRIES = 3
VERIFY_PAUSE = 1.0  # seconds between verify calls while Zalo still processes
LOOKUP_PAGE = 10  # getslice answers at most ten articles a call
LOOKUP_PAGES = 3  # newest articles searched for one whose answer was lost


class ZaloAdapter(Adapter):
    kind = "zalo"
    label = _("Zalo Official Account")
    default_base_url = "https://openapi.zalo.me"
    # Tokens are renewed on another host; a channel pointed at another API
    # address (a test server) renews there too.
    default_oauth_url = "https://oauth.zaloapp.com"
    credential_fields = (
        ("access_token", _("OA access token")),
        ("refresh_token", _("Refresh token, to renew the access token")),
        ("app_id", _("App id (for renewing)")),
        ("app_secret", _("App secret key (for renewing)")),
    )
    optional_credentials = ("refresh_token", "app_id", "app_secret")
    config_fields = (
        ("author", _("Author shown on articles"), forms.CharField(required=False, max_length=AUTHOR_LIMIT, help_text=_("Empty: the story's byline."))),
        ("broadcast", _("Broadcast each new article to the OA's followers")),
    )
    can_lookup = True
    limits = (
        Limit("headline", TITLE_LIMIT, _("Title"), required=True),
        Limit("text", DESCRIPTION_LIMIT, _("Description"), required=True),
    )

    # --- rendering ------------------------------------------------------
    def render(self, story, copy=None):
        post = super().render(story, copy)
        post.extra["body"] = article_body(story)
        post.extra["author"] = self.config.get("author") or ", ".join(author.name for author in story.authors) or story.get_site().site_name
        return post

    def check(self, post):
        if not post.image_url:
            return _(
                "Zalo articles need a cover picture: give the story a cover image (or a social image, "
                "or a picture for this channel in the Channels tab)."
            )
        return super().check(post)

    def prepare(self, post):
        post.headline = shorten(post.headline, TITLE_LIMIT)
        post.text = shorten(plain_text(post.text), DESCRIPTION_LIMIT)
        post.extra["author"] = shorten(post.extra.get("author", ""), AUTHOR_LIMIT)
        return post

    def article(self, post):
        read_more = escape(str(_("Read the full story on our site")))
        body = post.extra.get("body") or [{"type": "text", "content": f"<p>{escape(post.text)}</p>"}]
        body = body + [{"type": "text", "content": f'<p><a href="{escape(post.url)}">{read_more}</a></p>'}]
        return {
            "type": "normal",
            "title": post.headline,
            "author": post.extra["author"],
            "cover": {"cover_type": "photo", "photo_url": post.image_url, "status": "show"},
            "description": post.text,
            "body": body,
            "status": "show",
            "comment": "show",
        }

    # --- the platform ---------------------------------------------------
    def _call(self, path, payload):
        def call():
            return self.request("POST", path, json=payload, headers={"access_token": self.credentials.get("access_token", "")})

        return self.renewing(call).get("data") or {}

    def _read(self, path, params):
        def call():
            return self.request("GET", path, params=params, headers={"access_token": self.credentials.get("access_token", "")})

        return self.renewing(call).get("data") or {}

    def renewed_credentials(self, credentials):
        needed = ("refresh_token", "app_id", "app_secret")
        if not all(credentials.get(name) for name in needed):
            return None
        url = (self.channel.base_url.rstrip("/") if self.channel.base_url else self.default_oauth_url) + "/v4/oa/access_token"
        data = {"refresh_token": credentials["refresh_token"], "app_id": credentials["app_id"], "grant_type": "refresh_token"}
        try:
            body = self.request("POST", url, data=data, headers={"secret_key": credentials["app_secret"]})
        except Permanent as error:
            raise AuthFailed(_("Zalo refused the refresh token; connect the OA again (%s)") % error.message, error.status) from None
        if not body.get("access_token"):
            raise AuthFailed(_("Zalo answered the token renewal without a token."))
        return {"access_token": body["access_token"], "refresh_token": body.get("refresh_token") or credentials["refresh_token"]}

    def raise_for_response(self, response):
        super().raise_for_response(response)
        try:
            body = response.json()
        except ValueError:
            return  # request() reports a body that is not JSON
        code = body.get("error") if isinstance(body, dict) else None
        if not code:
            return
        message = f"Zalo {code}: {body.get('message') or body.get('error_description') or body.get('error_name') or ''}".strip()
        if code in AUTH_ERRORS:
            raise AuthFailed(message, response.status_code)
        if code in RATE_ERRORS:
            raise RateLimited(message, response.status_code)
        if code in TEMPORARY_ERRORS:
            raise Temporary(message, response.status_code)
        if "not exist" in (body.get("message") or "").lower():
            raise RemoteGone(message, response.status_code)
        raise Permanent(message, response.status_code)

    def _verify(self, token):
        """The article id for a create/update token. Zalo may still be
        processing (-214): ask again a few times before giving up."""
        for attempt in range(VERIFY_TRIES):
            try:
                return str(self._call("/v2.0/article/verify", {"token": token})["id"])
            except RateLimited:
                raise  # the OA's quota: asking again now only spends it
            except Temporary:
                if attempt == VERIFY_TRIES - 1:
                    raise
                time.sleep(VERIFY_PAUSE)
        return None

    def create(self, post):
        # What the article can be found by if this create's answer is lost
        # (the token of an earlier create, which Zalo no longer knew, goes).
        if not self.remember(title=post.headline, url=post.url, token=""):
            raise ClaimLost(_("Another worker took this delivery over: nothing was sent."))
        token = self._call("/v2.0/article/create", self.article(post))["token"]
        # The article exists from here on: its token is kept before anything else is asked.
        if not self.remember(token=token):
            raise ClaimLost(_("Another worker took this delivery over after the article was created."))
        article_id = self._verify(token)
        data = {}
        if self.config.get("broadcast"):
            # The article exists now: a failed broadcast must not make the
            # engine create it again, so it is recorded, not raised.
            try:
                message = self._call("/v2.0/oa/message", broadcast_message(article_id))
                data["broadcast_message_id"] = str(message.get("message_id", ""))
            except (Permanent, Temporary) as error:
                data["broadcast_error"] = error.message
        return RemoteRef(article_id, "", data)

    def update(self, ref, post):
        token = self._call("/v2.0/article/update", {"id": ref.id, **self.article(post)})["token"]
        self._verify(token)
        return ref

    def delete(self, ref):
        self._call("/v2.0/article/remove", {"id": ref.id})

    def lookup(self, post):
        token = self.pending.get("token")
        if token:
            try:
                return RemoteRef(self._verify(token), "", {})
            except AuthFailed:
                raise
            except (Permanent, RemoteGone):
                pass  # Zalo no longer knows the token: search for the article
        return self._find(self.pending.get("title") or post.headline, self.pending.get("url") or post.url)

    def _find(self, title, url):
        """Among the OA's newest articles, the one with this title whose body
        links to ``url``; None when none of them is."""
        for page in range(LOOKUP_PAGES):
            found = self._read("/v2.0/article/getslice", {"offset": page * LOOKUP_PAGE, "limit": LOOKUP_PAGE, "type": "normal"})
            articles = found.get("medias") or []
            for article in articles:
                if (article.get("title") or "").strip() == title.strip() and self._links_to(str(article["id"]), url):
                    return RemoteRef(str(article["id"]), "", {})
            if len(articles) < LOOKUP_PAGE:
                return None  # the OA has no older articles
        return None

    def _links_to(self, article_id, url):
        try:
            detail = self._read("/v2.0/article/getdetail", {"id": article_id})
        except RemoteGone:
            return False  # removed since it was listed
        return any(url in unescape(item.get("content") or "") for item in detail.get("body") or [] if item.get("type") == "text")

    def ref_from_address(self, text):
        """The article's id only: an article's address on Zalo is not read."""
        text = text.strip()
        return RemoteRef(text, "", {}) if re.fullmatch(r"[0-9A-Za-z]{1,64}", text) else None


def broadcast_message(article_id):
    """An OA broadcast of one article to every follower (an empty target
    means no filter on gender, age, city or platform)."""
    return {
        "recipient": {"target": {}},
        "message": {
            "attachment": {
                "type": "template",
                "payload": {"template_type": "media", "elements": [{"media_type": "article", "attachment_id": article_id}]},
            }
        },
    }


def article_body(story):
    """The story's body as Zalo article items: paragraphs, headings, quotes
    and fact boxes as simple HTML text, pictures as image items. Blocks
    Zalo cannot show (charts, embeds, tables, audio, video) are left out;
    the article ends with a link to the full story."""
    items = []

    def text(html):
        if plain_text(html):
            items.append({"type": "text", "content": html})

    def image(picture, caption):
        url = image_url(story, picture)
        if url:  # an archive picture whose original is lost is left out
            caption = caption or picture.caption
            items.append({"type": "image", "url": url, **({"caption": caption} if caption else {})})

    for block in story.body:
        kind, value = block.block_type, block.value
        if kind == "paragraph":
            text(simple_html(value.source))
        elif kind == "heading":
            text(f"<p><strong>{escape(value['text'])}</strong></p>")
        elif kind == "quote":
            attribution = f" — {escape(value['attribution'])}" if value.get("attribution") else ""
            text(f"<p><em>“{escape(value['text'])}”</em>{attribution}</p>")
        elif kind == "fact_box":
            text(f"<p><strong>{escape(value['title'])}</strong></p>{simple_html(value['body'].source)}")
        elif kind == "image" and value.get("image"):
            image(value["image"], value.get("caption"))
        elif kind == "gallery":
            for picture in value["images"]:
                image(picture["image"], picture.get("caption"))
    return items


ALLOWED_TAGS = {"p", "br", "b", "strong", "i", "em", "u", "ul", "ol", "li", "a"}


def simple_html(html):
    """Rich text reduced to the tags a Zalo article shows (paragraphs,
    emphasis, lists, links); other tags are dropped, their text kept.
    Internal links are expanded to addresses first."""

    def keep(match):
        closing, name = match.group(1), match.group(2).lower()
        if name not in ALLOWED_TAGS:
            return ""
        if name == "a" and not closing:
            href = re.search(r'href="([^"]*)"', match.group(0))
            return f'<a href="{href.group(1)}">' if href else "<a>"
        return f"<{closing}{name}>"

    return re.sub(r"<(/?)([a-zA-Z0-9]+)[^>]*>", keep, expand_db_html(html or "")).strip()
