"""Zalo Official Account Article API (openapi.zalo.me v2.0), as much as the
adapter uses: article create → token, verify(token) → article id, update,
remove, the OA's articles newest first (GET article/getslice?offset=&limit=
&type=normal, at most ten a call: ``{"data": {"medias": [...], "total"}}``)
and one article's detail (GET article/getdetail?id=, its body included),
and the OA broadcast of an article; and the OAuth v4 renewal of the OA
access token (oauth.zaloapp.com /v4/oa/access_token). Like Zalo, it
answers errors with HTTP 200 and ``{"error": <negative code>, "message":
...}`` (a bad parameter is -201); the OA access token travels in an
``access_token`` header.

One access token is valid at a time (``server.state["zalo-oauth"]``; a
test expires it by changing ``["access"]``), and one refresh token,
single-use as on Zalo."""

import time

from .server import Response

TOKEN = "fake-zalo-oa-access-token"
REFRESH_TOKEN = "fake-zalo-refresh-token"
APP_ID = "1234567890123456789"
APP_SECRET = "fake-zalo-app-secret"
# Token prefixes the fake treats as Zalo would: expired, then invalid.
EXPIRED_PREFIX = "expired"


def register(server):
    posts = server.posts["zalo"]
    state = server.state["zalo"]  # article token → article id (create/update in progress)
    tokens = server.state.setdefault("zalo-oauth", {})

    def current(name):
        return tokens.setdefault(name, {"access": TOKEN, "refresh": REFRESH_TOKEN}[name])

    def ok(data=None):
        body = {"error": 0, "message": "Success"}
        if data is not None:
            body["data"] = data
        return Response(200, body)

    def error(code, message):
        return Response(200, {"error": code, "message": message})

    def auth_error(request):
        token = _header(request, "access_token")
        if not token:
            return error(-216, "Access token is invalid")
        if token.startswith(EXPIRED_PREFIX):
            return error(-220, "Access token has expired or is no longer available")
        if token != current("access"):
            return error(-216, "Access token is invalid")
        return None

    @server.route("zalo", "POST", r"/v4/oa/access_token")
    def renew(request):
        form = request.form
        if _header(request, "secret_key") != APP_SECRET or form.get("app_id") != APP_ID:
            return Response(200, {"error": -14003, "error_name": "Invalid app", "error_description": "App id or secret key is invalid"})
        if form.get("grant_type") != "refresh_token" or form.get("refresh_token") != current("refresh"):
            return Response(200, {"error": -14014, "error_name": "Invalid refresh token", "error_description": "Refresh token is invalid or expired"})
        serial = server.next_id("zalo-token")
        tokens["access"], tokens["refresh"] = f"{TOKEN}-{serial}", f"{REFRESH_TOKEN}-{serial}"
        return Response(200, {"access_token": tokens["access"], "refresh_token": tokens["refresh"], "expires_in": "90000"})

    def invalid_article(data):
        """What Zalo checks on a normal article."""
        if data.get("type") != "normal":
            return "type must be normal"
        if not data.get("title") or len(data["title"]) > 150:
            return "title is required and at most 150 characters"
        if not data.get("description") or len(data["description"]) > 300:
            return "description is required and at most 300 characters"
        if not data.get("author") or len(data["author"]) > 50:
            return "author is required and at most 50 characters"
        cover = data.get("cover") or {}
        if cover.get("cover_type") != "photo" or not cover.get("photo_url"):
            return "cover photo is required"
        body = data.get("body")
        if not isinstance(body, list) or not body:
            return "body is required"
        for item in body:
            if item.get("type") == "text" and not item.get("content"):
                return "text item without content"
            if item.get("type") == "image" and not item.get("url"):
                return "image item without url"
            if item.get("type") not in ("text", "image", "video", "product"):
                return f"unknown body item type {item.get('type')!r}"
        return None

    def article_fields(data):
        return {
            "title": data["title"],
            "author": data["author"],
            "description": data["description"],
            "cover": data["cover"]["photo_url"],
            "body": data["body"],
            "status": data.get("status", "hide"),
            "comment": data.get("comment", "show"),
        }

    @server.route("zalo", "POST", r"/v2\.0/article/create")
    def create(request):
        refused = auth_error(request)
        if refused:
            return refused
        data = request.json or {}
        problem = invalid_article(data)
        if problem:
            return error(-201, f"Parameters are invalid: {problem}")
        article_id = server.next_id("zalo", "a")
        now = int(time.time() * 1000)
        posts[article_id] = {**article_fields(data), "updates": 0, "broadcasts": 0, "create_date": now, "update_date": now}
        token = server.new_token()
        state[token] = article_id
        return ok({"token": token})

    @server.route("zalo", "POST", r"/v2\.0/article/verify")
    def verify(request):
        refused = auth_error(request)
        if refused:
            return refused
        article_id = state.get((request.json or {}).get("token"))
        if article_id is None:
            return error(-201, "Token is invalid")
        return ok({"id": article_id})

    @server.route("zalo", "POST", r"/v2\.0/article/update")
    def update(request):
        refused = auth_error(request)
        if refused:
            return refused
        data = request.json or {}
        post = posts.get(data.get("id"))
        if post is None or post.get("deleted"):
            return error(-201, "Article is not exist")
        problem = invalid_article(data)
        if problem:
            return error(-201, f"Parameters are invalid: {problem}")
        post.update(article_fields(data), update_date=int(time.time() * 1000))
        post["updates"] += 1
        token = server.new_token()
        state[token] = data["id"]
        return ok({"token": token})

    @server.route("zalo", "POST", r"/v2\.0/article/remove")
    def remove(request):
        refused = auth_error(request)
        if refused:
            return refused
        post = posts.get((request.json or {}).get("id"))
        if post is None or post.get("deleted"):
            return error(-201, "Article is not exist")
        post["deleted"] = True
        return ok()

    @server.route("zalo", "GET", r"/v2\.0/article/getslice")
    def articles(request):
        refused = auth_error(request)
        if refused:
            return refused
        query = request.query
        if query.get("type") not in ("normal", "video"):
            return error(-201, "type accept only 2 value normal and video.")
        try:
            offset, limit = int(query.get("offset", 0)), int(query.get("limit", 5))
        except ValueError:
            return error(-201, "offset and limit must be numbers")
        if offset < 0 or not 1 <= limit <= 10:
            return error(-201, "maximum limit is 10")
        held = [(article_id, post) for article_id, post in posts.items() if not post.get("deleted")]
        held.reverse()  # newest first
        medias = [
            {
                "id": article_id, "type": "normal", "title": post["title"], "author": post["author"], "description": post["description"],
                "thumb": post["cover"], "status": post["status"], "create_date": post["create_date"], "update_date": post["update_date"],
                "total_view": 0, "total_share": 0,
            }
            for article_id, post in held[offset : offset + limit]
        ]  # fmt: skip
        return ok({"medias": medias, "total": len(held)})

    @server.route("zalo", "GET", r"/v2\.0/article/getdetail")
    def detail(request):
        refused = auth_error(request)
        if refused:
            return refused
        article_id = request.query.get("id")
        if not article_id:
            return error(-201, "id is required")
        post = posts.get(article_id)
        if post is None or post.get("deleted"):
            return error(-201, "Article is not exist")
        return ok({
            "id": article_id, "type": "normal", "title": post["title"], "author": post["author"], "description": post["description"],
            "cover": {"cover_type": "photo", "photo_url": post["cover"], "status": "show"}, "body": post["body"],
            "status": post["status"], "comment": post["comment"], "create_date": post["create_date"], "update_date": post["update_date"],
        })  # fmt: skip

    @server.route("zalo", "POST", r"/v2\.0/oa/message")
    def broadcast(request):
        refused = auth_error(request)
        if refused:
            return refused
        data = request.json or {}
        if "target" not in (data.get("recipient") or {}):
            return error(-201, "Parameters are invalid: recipient.target is required for a broadcast")
        payload = ((data.get("message") or {}).get("attachment") or {}).get("payload") or {}
        elements = payload.get("elements") or []
        if payload.get("template_type") != "media" or not elements:
            return error(-201, "Parameters are invalid: a media template is required")
        for element in elements:
            post = posts.get(element.get("attachment_id"))
            if element.get("media_type") != "article" or post is None or post.get("deleted"):
                return error(-201, "Article is not exist")
            post["broadcasts"] += 1
        return ok({"message_id": server.next_id("zalo-message", "m")})


def _header(request, name):
    for key, value in request.headers.items():
        if key.lower() == name:
            return value
    return ""


CHANNEL_SETUP = {
    "credentials": {"access_token": TOKEN, "refresh_token": REFRESH_TOKEN, "app_id": APP_ID, "app_secret": APP_SECRET},
    "config": {"author": "Hội Tụ"},
}
