"""Facebook Graph API for a Page, as much as the adapter uses: feed posts
with a link (POST /{page-id}/feed), photo posts (POST /{page-id}/photos),
edits (POST /{post-id}), deletes (DELETE /{post-id}) and reading the page's
posts (GET /{page-id}/published_posts, its own; GET /{page-id}/feed, with
its visitors' too). Versioned paths (/v21.0/...), the page access token as
the ``access_token`` parameter or a Bearer header, and Graph's error body
``{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}``
(code 190 for a bad token, with HTTP 400, as Graph does).

Reading answers as Graph does since v3.3: ``fields`` takes the Post node's
fields, with the nested syntax for its attachments
(``attachments{unshimmed_url,type}``); the fields Graph deprecated on a
page's feed edges (``link``, ``caption``, ``description``, ``name``,
``object_id``, ``source``, ``type``) are refused with code 12, an unknown
field with code 100. Newest first, ``limit`` (at most 100) a page, with
cursor paging (``after``; ``paging.next`` only while more remain)."""

import base64
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from .server import Response

PAGE_ID = "104857600123456"
PAGE_NAME = "Thời báo Tài chính"
TOKEN = "fake-page-access-token"
VERSION = r"/v(?P<version>\d+\.\d+)"
# The Post node's fields (developers.facebook.com/docs/graph-api/reference/post).
POST_FIELDS = {
    "id", "message", "permalink_url", "created_time", "updated_time", "from", "full_picture", "status_type", "story",
    "is_published", "attachments",
}  # fmt: skip
# Refused on /{page}/feed, /posts and /published_posts since v3.3.
DEPRECATED_FIELDS = {"caption", "description", "link", "name", "object_id", "source", "type"}
# The StoryAttachment node's fields.
ATTACHMENT_FIELDS = {"description", "media", "media_type", "target", "title", "type", "unshimmed_url", "url"}
MAX_LIMIT = 100


class FieldRefused(Exception):
    def __init__(self, response):
        self.response = response


def register(server):
    posts = server.posts["facebook"]

    def params(request):
        """Graph takes parameters in the query string or a form body."""
        found = dict(request.query)
        if request.body and "json" in _header(request, "content-type"):
            found.update(request.json or {})
        elif request.body:
            found.update(request.form)
        return found

    def token_error(data, request):
        token = data.get("access_token") or _header(request, "authorization").removeprefix("Bearer ").strip()
        if token == TOKEN:
            return None
        if not token:
            return error(400, "An active access token must be used to query information about the current user.", 2500)
        return error(400, "Error validating access token: Session has expired.", 190, subcode=463)

    def unknown_object(object_id):
        message = (
            f"Unsupported post request. Object with ID '{object_id}' does not exist, cannot be loaded due to missing permissions, "
            "or does not support this operation."
        )
        return error(400, message, 100, "GraphMethodException", 33)

    def page_error(page_id):
        return unknown_object(page_id) if page_id != PAGE_ID else None

    def new_post(page_id, **fields):
        story_id = server.next_id("facebook", "9000000")
        post_id = f"{page_id}_{story_id}"
        posts[post_id] = {
            "page_id": page_id, "edits": 0, "permalink_url": f"https://www.facebook.com/{page_id}/posts/{story_id}",
            "created_time": _now(), **fields,
        }  # fmt: skip
        return post_id

    @server.route("facebook", "POST", VERSION + r"/(?P<page_id>\d+)/feed")
    def feed_post(request, version, page_id):
        data = params(request)
        refused = token_error(data, request) or page_error(page_id)
        if refused:
            return refused
        if not data.get("message") and not data.get("link"):
            return error(400, "(#100) Missing message or attachment", 100)
        link = data.get("link", "")
        post_id = new_post(page_id, kind="link", message=data.get("message", ""), link=link, attachments=[shared_link(link)] if link else [])
        return Response(200, {"id": post_id})

    @server.route("facebook", "POST", VERSION + r"/(?P<page_id>\d+)/photos")
    def photo_post(request, version, page_id):
        data = params(request)
        refused = token_error(data, request) or page_error(page_id)
        if refused:
            return refused
        if not data.get("url"):
            return error(400, "(#324) Requires upload file", 324)
        photo_id = server.next_id("facebook-photo", "7000000")
        message = data.get("caption") or data.get("message", "")
        photo_page = f"https://www.facebook.com/photo.php?fbid={photo_id}&set=a.{page_id}&type=3"
        attachment = {
            "type": "photo", "media_type": "photo", "url": photo_page, "unshimmed_url": photo_page,
            "target": {"id": photo_id, "url": photo_page}, "media": {"image": {"src": data["url"], "height": 630, "width": 1200}},
        }  # fmt: skip
        post_id = new_post(page_id, kind="photo", message=message, photo_url=data["url"], photo_id=photo_id, attachments=[attachment])
        return Response(200, {"id": photo_id, "post_id": post_id})

    def read_posts(request, page_id, by_visitors):
        data = params(request)
        refused = token_error(data, request) or page_error(page_id)
        if refused:
            return refused
        try:
            fields = parse_fields(data.get("fields") or "id,message,created_time")
        except FieldRefused as refusal:
            return refusal.response
        try:
            limit = min(int(data.get("limit") or 25), MAX_LIMIT)
            start = int(base64.b64decode(data["after"]).decode()) + 1 if data.get("after") else 0
        except ValueError:
            return error(400, "(#100) Invalid parameter", 100)
        held = [
            (post_id, post)
            for post_id, post in posts.items()
            if post["page_id"] == page_id and not post.get("deleted") and (by_visitors or not post.get("by_visitor"))
        ]
        held.reverse()  # newest first, as a page's posts are
        shown = held[start : start + limit]
        body = {"data": [node(post_id, post, fields) for post_id, post in shown]}
        if shown:
            body["paging"] = {"cursors": {"before": _cursor(start), "after": _cursor(start + len(shown) - 1)}}
            if start + len(shown) < len(held):
                query = {**{k: v for k, v in data.items() if k != "after"}, "after": _cursor(start + len(shown) - 1)}
                body["paging"]["next"] = f"https://graph.facebook.com{request.path}?{urlencode(query)}"
        return Response(200, body)

    @server.route("facebook", "GET", VERSION + r"/(?P<page_id>\d+)/published_posts")
    def published_posts(request, version, page_id):
        return read_posts(request, page_id, by_visitors=False)

    @server.route("facebook", "GET", VERSION + r"/(?P<page_id>\d+)/feed")
    def read_feed(request, version, page_id):
        return read_posts(request, page_id, by_visitors=True)

    @server.route("facebook", "POST", VERSION + r"/(?P<post_id>\d+_\d+)")
    def edit(request, version, post_id):
        data = params(request)
        refused = token_error(data, request)
        if refused:
            return refused
        post = posts.get(post_id)
        if post is None or post.get("deleted"):
            return unknown_object(post_id)
        if "message" in data:
            post["message"] = data["message"]
        post["edits"] += 1
        return Response(200, {"success": True})

    @server.route("facebook", "DELETE", VERSION + r"/(?P<post_id>\d+_\d+)")
    def delete(request, version, post_id):
        data = params(request)
        refused = token_error(data, request)
        if refused:
            return refused
        post = posts.get(post_id)
        if post is None or post.get("deleted"):
            return unknown_object(post_id)
        post["deleted"] = True
        return Response(200, {"success": True})


def visitor_share(server, link, message=""):
    """A reader shares ``link`` on the page: in its feed, not among the
    page's own (published) posts."""
    story_id = server.next_id("facebook", "9000000")
    post_id = f"{PAGE_ID}_{story_id}"
    server.posts["facebook"][post_id] = {
        "page_id": PAGE_ID, "by_visitor": True, "kind": "link", "message": message, "link": link, "edits": 0,
        "permalink_url": f"https://www.facebook.com/{PAGE_ID}/posts/{story_id}", "created_time": _now(),
        "attachments": [shared_link(link)],
    }  # fmt: skip
    return post_id


def shared_link(link):
    """A link's attachment: Graph's ``url`` goes through its l.facebook.com
    redirector, ``unshimmed_url`` is the address as shared."""
    shimmed = f"https://l.facebook.com/l.php?u={quote(link, safe='')}&h=AT0fake"
    return {"type": "share", "media_type": "link", "url": shimmed, "unshimmed_url": link, "target": {"url": shimmed}, "title": ""}


def parse_fields(text):
    """[(field, subfield names or None)] of a ``fields`` parameter,
    refusing what Graph refuses on a page's posts."""
    fields = []
    for spec in _split(text):
        name, inner = _field(spec)
        subfields = [_field(sub)[0] for sub in _split(inner)] if inner is not None else None
        if name in DEPRECATED_FIELDS:
            raise FieldRefused(error(400, f"(#12) {name} field is deprecated for versions v3.3 and higher", 12))
        if name not in POST_FIELDS:
            raise FieldRefused(error(400, f"(#100) Tried accessing nonexisting field ({name}) on node type (PagePost)", 100))
        for subfield in subfields or ():
            if name != "attachments" or subfield not in ATTACHMENT_FIELDS:
                node_type = "StoryAttachment" if name == "attachments" else "PagePost"
                raise FieldRefused(error(400, f"(#100) Tried accessing nonexisting field ({subfield}) on node type ({node_type})", 100))
        fields.append((name, subfields))
    return fields


def _split(text):
    """``text`` cut at its commas outside braces."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [part.strip() for part in [*parts, current] if part.strip()]


def _field(spec):
    """(name, what its braces hold or None): ``attachments.limit(1){url}``
    is ("attachments", "url")."""
    name = spec.split("{", 1)[0].split(".", 1)[0].strip()
    return name, spec[spec.index("{") + 1 : spec.rindex("}")] if "{" in spec and "}" in spec else None


def node(post_id, post, fields):
    """A post as Graph shows it: the fields asked for that it has."""
    shown = {}
    for field, subfields in fields:
        if field == "id":
            shown["id"] = post_id
        elif field == "attachments":
            if post.get("attachments"):
                shown["attachments"] = {"data": [{k: v for k, v in a.items() if subfields is None or k in subfields} for a in post["attachments"]]}
        elif field == "from":
            shown["from"] = {"name": "Bạn đọc", "id": "100000000000001"} if post.get("by_visitor") else {"name": PAGE_NAME, "id": post["page_id"]}
        elif field == "full_picture":
            if post.get("photo_url"):
                shown["full_picture"] = post["photo_url"]
        elif post.get(field):
            shown[field] = post[field]
    return shown


def error(status, message, code, error_type="OAuthException", subcode=None):
    body = {"message": message, "type": error_type, "code": code, "fbtrace_id": "AbCdEfGhIjK"}
    if subcode is not None:
        body["error_subcode"] = subcode
    return Response(status, {"error": body})


def _cursor(index):
    return base64.b64encode(str(index).encode()).decode()


def _now():
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def _header(request, name):
    for key, value in request.headers.items():
        if key.lower() == name:
            return value
    return ""


CHANNEL_SETUP = {"credentials": {"page_access_token": TOKEN}, "config": {"page_id": PAGE_ID, "post_as": "link"}}
