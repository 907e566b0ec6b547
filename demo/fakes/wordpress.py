"""WordPress REST API (wp/v2), as much as the adapter uses: posts (create,
update, delete with force, list by slug), media upload, Application
Password (Basic) authentication, and WordPress's error shape
{"code", "message", "data": {"status"}}. Listing posts checks what
WordPress checks: ``status`` among the post statuses (or ``any``) and
``context`` among view, embed and edit (400 rest_invalid_param), and
anything but published posts in the view context only for a signed-in
author (401 rest_forbidden_status, rest_forbidden_context); other query
parameters are ignored, as WordPress ignores them."""

import base64

from .server import Response

USERNAME = "hoitu"
APPLICATION_PASSWORD = "abcd EFGH ijkl MNOP qrst UVWX"
SITE = "https://doitac.example.vn"
STATUSES = {"publish", "future", "draft", "pending", "private", "trash", "auto-draft", "inherit", "any"}


def register(server):
    posts = server.posts["wordpress"]
    state = server.state["wordpress"]

    def error(status, code, message):
        return Response(status, {"code": code, "message": message, "data": {"status": status}})

    def authenticated(request):
        header = {k.lower(): v for k, v in request.headers.items()}.get("authorization", "")
        if not header.startswith("Basic "):
            return None
        try:
            username, _sep, password = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return None
        # WordPress ignores the spaces it shows application passwords with.
        if username == USERNAME and password.replace(" ", "") == APPLICATION_PASSWORD.replace(" ", ""):
            return username
        return False

    def refuse(request, action):
        who = authenticated(request)
        if who is None:
            return error(401, f"rest_cannot_{action}", "Sorry, you are not allowed to do that.")
        if who is False:
            return error(401, "incorrect_password", "The provided password is an invalid application password.")
        return None

    def unique_slug(slug, post_id=None):
        taken = {p["slug"] for key, p in posts.items() if key != post_id and not p.get("deleted")}
        candidate, n = slug, 1
        while candidate in taken:
            n += 1
            candidate = f"{slug}-{n}"
        return candidate

    def shown(post_id, post):
        return {
            "id": int(post_id),
            "slug": post["slug"],
            "status": post["status"],
            "link": f"{SITE}/{post['slug']}/",
            "title": {"rendered": post["title"], "raw": post["title"]},
            "content": {"rendered": post["content"], "raw": post["content"]},
            "excerpt": {"rendered": post["excerpt"], "raw": post["excerpt"]},
            "featured_media": post["featured_media"],
            "categories": post["categories"],
        }

    def save(post_id, data, post=None):
        post = post or {"edits": -1, "featured_media": 0, "categories": [], "excerpt": "", "content": "", "status": "draft", "slug": ""}
        for field in ("title", "content", "excerpt", "status", "featured_media", "categories"):
            if field in data:
                post[field] = data[field]
        if "slug" in data or not post["slug"]:
            post["slug"] = unique_slug(data.get("slug") or f"post-{post_id}", post_id)
        post["edits"] += 1
        posts[post_id] = post
        return post

    @server.route("wordpress", "POST", r"/wp-json/wp/v2/posts")
    def create(request):
        refused = refuse(request, "create")
        if refused:
            return refused
        data = request.json or {}
        if not data.get("title") and not data.get("content"):
            return error(400, "empty_content", "Content, title, and excerpt are empty.")
        if data.get("featured_media") and str(data["featured_media"]) not in state.get("media", {}):
            return error(400, "rest_invalid_featured_media", "Invalid featured media ID.")
        post_id = server.next_id("wordpress")
        return Response(201, shown(post_id, save(post_id, data)))

    @server.route("wordpress", "POST", r"/wp-json/wp/v2/posts/(?P<post_id>\d+)")
    def update(request, post_id):
        refused = refuse(request, "edit")
        if refused:
            return refused
        post = posts.get(post_id)
        if post is None or post.get("deleted"):
            return error(404, "rest_post_invalid_id", "Invalid post ID.")
        return Response(200, shown(post_id, save(post_id, request.json or {}, post)))

    @server.route("wordpress", "DELETE", r"/wp-json/wp/v2/posts/(?P<post_id>\d+)")
    def delete(request, post_id):
        refused = refuse(request, "delete")
        if refused:
            return refused
        post = posts.get(post_id)
        if post is None or post.get("deleted"):
            return error(404, "rest_post_invalid_id", "Invalid post ID.")
        if request.query.get("force") != "true":
            return error(501, "rest_trash_not_supported", "The post does not support trashing. Set 'force=true' to delete.")
        post["deleted"] = True
        return Response(200, {"deleted": True, "previous": shown(post_id, post)})

    @server.route("wordpress", "GET", r"/wp-json/wp/v2/posts")
    def listing(request):
        statuses = (request.query.get("status") or "publish").split(",")
        context = request.query.get("context", "view")
        if not set(statuses) <= STATUSES or context not in ("view", "embed", "edit"):
            invalid = {name: f"{name} is not one of its allowed values." for name in ("status", "context") if name in request.query}
            return Response(400, {
                "code": "rest_invalid_param", "message": f"Invalid parameter(s): {', '.join(invalid)}",
                "data": {"status": 400, "params": invalid},
            })  # fmt: skip
        who = authenticated(request)
        if who is False:
            return error(401, "incorrect_password", "The provided password is an invalid application password.")
        if who is None:
            if context == "edit":
                return error(401, "rest_forbidden_context", "Sorry, you are not allowed to edit posts in this post type.")
            if statuses != ["publish"]:
                return error(401, "rest_forbidden_status", "Status is forbidden.")
        slug = request.query.get("slug")
        found = [
            shown(key, post)
            for key, post in posts.items()
            if not post.get("deleted") and (slug is None or post["slug"] == slug) and ("any" in statuses or post["status"] in statuses)
        ]
        return Response(200, found)

    @server.route("wordpress", "POST", r"/wp-json/wp/v2/media")
    def upload(request):
        refused = refuse(request, "create")
        if refused:
            return refused
        headers = {k.lower(): v for k, v in request.headers.items()}
        if "filename=" not in headers.get("content-disposition", "") or not request.body:
            return error(400, "rest_upload_no_data", "No data supplied.")
        media_id = server.next_id("wordpress-media")
        filename = headers["content-disposition"].split("filename=", 1)[1].strip('"')
        state.setdefault("media", {})[media_id] = {
            "filename": filename, "type": headers.get("content-type"), "size": len(request.body), "alt_text": "", "caption": "",
        }
        return Response(201, {"id": int(media_id), "source_url": f"{SITE}/wp-content/uploads/{filename}", "media_type": "image"})

    @server.route("wordpress", "POST", r"/wp-json/wp/v2/media/(?P<media_id>\d+)")
    def update_media(request, media_id):
        refused = refuse(request, "edit")
        if refused:
            return refused
        media = state.get("media", {}).get(media_id)
        if media is None:
            return error(404, "rest_post_invalid_id", "Invalid post ID.")
        data = request.json or {}
        media.update({k: data[k] for k in ("alt_text", "caption") if k in data})
        return Response(200, {"id": int(media_id), **media})


CHANNEL_SETUP = {"credentials": {"username": USERNAME, "application_password": APPLICATION_PASSWORD}, "config": {"status": "publish"}}
