"""Facebook Graph API for a Page, as much as the adapter uses: feed posts
with a link (POST /{page-id}/feed), photo posts (POST /{page-id}/photos),
edits (POST /{post-id}), deletes (DELETE /{post-id}) and reading the feed
(GET /{page-id}/feed?fields=...). Versioned paths (/v21.0/...), the page
access token as the ``access_token`` parameter, and Graph's error body
``{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}``
(code 190 for a bad token, with HTTP 400, as Graph does)."""

from .server import Response

PAGE_ID = "104857600123456"
TOKEN = "fake-page-access-token"
VERSION = r"/v(?P<version>\d+\.\d+)"


def register(server):
    posts = server.posts["facebook"]

    def error(status, message, code, error_type="OAuthException", subcode=None):
        body = {"message": message, "type": error_type, "code": code, "fbtrace_id": "AbCdEfGhIjK"}
        if subcode is not None:
            body["error_subcode"] = subcode
        return Response(status, {"error": body})

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
        post_id = f"{page_id}_{server.next_id('facebook', '9000000')}"
        posts[post_id] = {"page_id": page_id, "edits": 0, "permalink_url": f"https://www.facebook.com/{page_id}/posts/{post_id.split('_')[1]}", **fields}
        return post_id

    @server.route("facebook", "POST", VERSION + r"/(?P<page_id>\d+)/feed")
    def feed_post(request, version, page_id):
        data = params(request)
        refused = token_error(data, request) or page_error(page_id)
        if refused:
            return refused
        if not data.get("message") and not data.get("link"):
            return error(400, "(#100) Missing message or attachment", 100)
        post_id = new_post(page_id, kind="link", message=data.get("message", ""), link=data.get("link", ""))
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
        post_id = new_post(page_id, kind="photo", message=message, photo_url=data["url"], photo_id=photo_id, link=f"https://www.facebook.com/photo.php?fbid={photo_id}")
        return Response(200, {"id": photo_id, "post_id": post_id})

    @server.route("facebook", "GET", VERSION + r"/(?P<page_id>\d+)/feed")
    def read_feed(request, version, page_id):
        data = params(request)
        refused = token_error(data, request) or page_error(page_id)
        if refused:
            return refused
        fields = [f for f in (data.get("fields") or "id").split(",") if f]
        limit = int(data.get("limit") or 25)
        live = [(post_id, post) for post_id, post in posts.items() if post["page_id"] == page_id and not post.get("deleted")]
        live.reverse()  # newest first, as a page feed is
        items = [{name: post_id if name == "id" else post.get(name) for name in fields if name == "id" or post.get(name)} for post_id, post in live[:limit]]
        return Response(200, {"data": items, "paging": {"cursors": {"before": "QVFIUm", "after": "QVFIUn"}}})

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


def _header(request, name):
    for key, value in request.headers.items():
        if key.lower() == name:
            return value
    return ""


CHANNEL_SETUP = {"credentials": {"page_access_token": TOKEN}, "config": {"page_id": PAGE_ID, "post_as": "link"}}
