"""A partner's WordPress site through its REST API (wp/v2): the story is
created as a post (POST /wp-json/wp/v2/posts), updated in place
(POST /wp-json/wp/v2/posts/<id>) and deleted on a takedown
(DELETE /wp-json/wp/v2/posts/<id>?force=true, past the trash). The cover
picture is uploaded to the media library (POST /wp-json/wp/v2/media) and
set as the featured image; it is uploaded again only when it changes.

Authentication: an Application Password of a partner account with the
Author role or above (WordPress ≥ 5.6), sent as HTTP Basic auth.

Each post gets a slug of ours (``<story slug>-<unit code>-<page id>``), so a
create that got no answer is found again with GET ?slug= (``lookup``)
instead of being created twice: ``status=any`` (drafts and pending posts
too, when the channel does not publish) and ``context=edit`` are
documented parameters of the posts list, allowed to an account that may
edit posts (an Author may); WordPress ignores parameters it does not know.
https://developer.wordpress.org/rest-api/reference/posts/
"""

import mimetypes
import re
from urllib.parse import parse_qs, urlsplit

from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from .base import (
    Adapter,
    Limit,
    RemoteGone,
    RemoteRef,
    error_for_status,
    ninjs_builder,
    retry_after_seconds,
    social_rendition,
)

POSTS = "/wp-json/wp/v2/posts"
MEDIA = "/wp-json/wp/v2/media"
STATUSES = ("publish", "draft", "pending", "private")
# Error codes that mean the post is not there (any more).
GONE_CODES = {"rest_post_invalid_id", "rest_already_trashed", "rest_no_route"}


class WordPressAdapter(Adapter):
    kind = "wordpress"
    label = _("Partner WordPress site")
    credential_fields = (("username", _("User name")), ("application_password", _("Application password")))
    config_fields = (
        ("status", _("Post status on the partner site (publish, draft or pending)")),
        ("category_id", _("Category id on the partner site (optional)")),
    )
    can_edit = True
    can_lookup = True
    limits = (Limit("headline", 300, _("Title"), required=True),)

    def __init__(self, channel):
        super().__init__(channel)
        credentials = self.credentials
        # Application passwords are shown with spaces; WordPress accepts both.
        # Bytes: requests would encode text as Latin-1 and fail on "ậ".
        self.session.auth = (credentials.get("username", "").encode(), credentials.get("application_password", "").encode())

    # --- rendering ------------------------------------------------------
    def render(self, story, copy=None):
        post = super().render(story, copy)
        builder = ninjs_builder(story)
        unit = builder.unit_for(story)
        post.extra["slug"] = remote_slug(story, unit)
        post.extra["content"] = builder.body_html(story, unit) + self.source_line(post, unit)
        return post

    def source_line(self, post, unit):
        """The attribution partners owe us, with the link to the original."""
        name = unit.name if unit else ""
        return (
            f'\n<p class="hoitu-source">{escape(_("Source"))}: '
            f'<a href="{escape(post.url)}" rel="canonical">{escape(name or post.url)}</a></p>'
        )

    def check(self, post):
        refusal = super().check(post)
        if refusal:
            return refusal
        if not self.base_url:
            return _("The partner site's address is missing: set the channel's API address (the site's root).")
        status = self.config.get("status") or "publish"
        if status not in STATUSES:
            return _("Unknown post status “%(status)s”: use publish, draft, pending or private.") % {"status": status}
        return None

    def payload(self, post, media_id=None):
        data = {
            "title": post.headline,
            "content": post.extra["content"],
            "excerpt": post.text,
            "status": self.config.get("status") or "publish",
            "slug": post.extra["slug"],
        }
        category = str(self.config.get("category_id") or "").strip()
        if category.isdigit():
            data["categories"] = [int(category)]
        if media_id:
            data["featured_media"] = media_id
        return data

    # --- the platform ---------------------------------------------------
    def create(self, post):
        media = self.upload_image(post, None)
        body = self.request("POST", POSTS, json=self.payload(post, media.get("media_id")))
        return self._ref(body, media)

    def update(self, ref, post):
        media = self.upload_image(post, ref)
        body = self.request("POST", f"{POSTS}/{int(ref.id)}", json=self.payload(post, media.get("media_id")))
        return self._ref(body, media)

    def delete(self, ref):
        self.request("DELETE", f"{POSTS}/{int(ref.id)}", params={"force": "true"})

    def lookup(self, post):
        found = self.request("GET", POSTS, params={"slug": post.extra["slug"], "status": "any", "context": "edit"})
        if isinstance(found, list) and found:
            return self._ref(found[0], {})
        return None

    def ref_from_address(self, text):
        """A post's id, or an address that carries it: ?p=<id> (the short
        link), post.php?post=<id> (the editor) or /wp-json/wp/v2/posts/<id>.
        A pretty permalink (/<slug>/) names the post only by its slug, which
        only the site can turn into an id: give the id then."""
        text = text.strip()
        if text.isdigit():
            return RemoteRef(text, "", {})
        parts = urlsplit(text)
        query = parse_qs(parts.query)
        found = query.get("p") or (query.get("post") if parts.path.endswith("/post.php") else None)
        match = re.search(r"/wp-json/wp/v2/posts/(\d+)/?$", parts.path)
        post_id = match.group(1) if match else (found or [""])[0]
        return RemoteRef(post_id, text, {}) if post_id.isdigit() else None

    def upload_image(self, post, ref):
        """The cover in the partner's media library: {"media_id", "image_id"}
        of the picture the post shows, uploaded only when it changed."""
        if post.image is None:
            return {}
        held = ref.data if ref is not None else {}
        if held.get("image_id") == post.image.pk and held.get("media_id"):
            return {"media_id": held["media_id"], "image_id": held["image_id"]}
        rendition = social_rendition(post.story, post.image)
        with rendition.file.open("rb") as source:
            content = source.read()
        filename = f"{post.extra['slug']}.jpg"
        body = self.request(
            "POST",
            MEDIA,
            data=content,
            headers={
                "Content-Type": mimetypes.guess_type(filename)[0] or "image/jpeg",
                "Content-Disposition": f'attachment; filename="{filename}"',
            },
        )
        media_id = body.get("id") if isinstance(body, dict) else None
        if media_id and post.image.caption:
            # Alt text and caption travel with the picture.
            self.request("POST", f"{MEDIA}/{int(media_id)}", json={"alt_text": post.image.default_alt_text, "caption": post.image.caption})
        return {"media_id": media_id, "image_id": post.image.pk} if media_id else {}

    def _ref(self, body, media):
        data = {"slug": body.get("slug", "")}
        data.update({k: v for k, v in media.items() if v})
        return RemoteRef(str(body["id"]), body.get("link", ""), data)

    def raise_for_response(self, response):
        # WordPress errors: {"code": "rest_cannot_create", "message": "...",
        # "data": {"status": 401}}
        status = response.status_code
        if status < 400:
            return
        try:
            body = response.json()
        except ValueError:
            body = {}
        body = body if isinstance(body, dict) else {}
        code = body.get("code") or ""
        message = f"HTTP {status}: {body.get('message') or response.reason or ''}".strip()
        if code:
            message = f"{message} ({code})"
        if code in GONE_CODES:
            raise RemoteGone(message, status)
        raise error_for_status(status, message, retry_after_seconds(response))


def remote_slug(story, unit):
    """Ours on the partner site: unique per story, readable, and what
    ``lookup`` searches for."""
    return f"{story.slug}-{unit.slug if unit else 'hoitu'}-{story.pk}"[:190]
