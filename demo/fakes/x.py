"""X API v2, as much as the adapter uses: POST /2/tweets, DELETE
/2/tweets/:id, GET /2/users/me and GET /2/users/:id/tweets (with URL
entities), and the OAuth 2.0 token renewal (POST /2/oauth2/token). Bearer
user tokens; errors in X's problem shape ``{"title", "detail", "type",
"status"}``; 429 with the x-rate-limit-* headers; links in a post are
wrapped as t.co addresses, as X does. Reading a timeline refuses, with 400
as X does, a query parameter the endpoint does not take, a ``tweet.fields``
value that is not a Post field and ``max_results`` outside 5–100.

One access token is valid at a time (``server.state["x"]["access"]``; a
test expires it by changing that), and one refresh token, replaced at
each renewal as X does."""

import base64
import re
import time

from publishing.adapters.x import weighted_length as count

from .server import Response

TOKEN = "fake-x-user-access-token"
REFRESH_TOKEN = "fake-x-refresh-token"
CLIENT_ID = "fake-x-client-id"
USER = {"id": "1460000000000000001", "name": "Hội Tụ", "username": "hoitu_news"}
URL = re.compile(r"https?://\S+")
# GET /2/users/:id/tweets (docs.x.com/x-api/posts/get-posts-by-user).
TIMELINE_PARAMETERS = {
    "since_id", "until_id", "max_results", "pagination_token", "exclude", "start_time", "end_time", "expansions",
    "tweet.fields", "media.fields", "poll.fields", "user.fields", "place.fields",
}  # fmt: skip
USER_PARAMETERS = {"expansions", "tweet.fields", "user.fields"}
TWEET_FIELDS = {
    "article", "attachments", "author_id", "card_uri", "community_id", "context_annotations", "conversation_id", "created_at",
    "display_text_range", "edit_controls", "edit_history_tweet_ids", "entities", "geo", "id", "in_reply_to_user_id", "lang",
    "media_metadata", "non_public_metrics", "note_tweet", "organic_metrics", "possibly_sensitive", "promoted_metrics",
    "public_metrics", "referenced_tweets", "reply_settings", "scopes", "source", "text", "withheld",
}  # fmt: skip


def register(server):
    posts = server.posts["x"]
    tokens = server.state["x"]

    def current(name):
        return tokens.setdefault(name, {"access": TOKEN, "refresh": REFRESH_TOKEN}[name])

    def problem(status, title, detail, kind="about:blank", headers=None):
        return Response(status, {"title": title, "detail": detail, "type": kind, "status": status}, headers)

    def unauthorized(request):
        auth = _header(request, "authorization")
        if auth != f"Bearer {current('access')}":
            return problem(401, "Unauthorized", "Unauthorized")
        return None

    @server.route("x", "POST", r"/2/oauth2/token")
    def renew(request):
        form = request.form
        basic = _header(request, "authorization")
        client = base64.b64decode(basic[6:]).decode().split(":", 1)[0] if basic.startswith("Basic ") else form.get("client_id")
        if client != CLIENT_ID:
            return Response(400, {"error": "invalid_client", "error_description": "Missing valid authorization header"})
        if form.get("grant_type") != "refresh_token" or form.get("refresh_token") != current("refresh"):
            return Response(400, {"error": "invalid_request", "error_description": "Value passed for the token was invalid."})
        serial = server.next_id("x-token")
        tokens["access"], tokens["refresh"] = f"{TOKEN}-{serial}", f"{REFRESH_TOKEN}-{serial}"
        return Response(200, {
            "token_type": "bearer", "expires_in": 7200, "access_token": tokens["access"],
            "scope": "tweet.read tweet.write users.read offline.access", "refresh_token": tokens["refresh"],
        })  # fmt: skip

    @server.route("x", "POST", r"/2/tweets")
    def create(request):
        refused = unauthorized(request)
        if refused:
            return refused
        text = (request.json or {}).get("text") or ""
        if not text:
            return problem(400, "Invalid Request", "One or more parameters to your request was invalid.", "https://api.twitter.com/2/problems/invalid-request")
        if weighted_length(text) > 280:
            return problem(403, "Forbidden", "Your Tweet text is too long. For more information on how X determines text length see https://github.com/twitter/twitter-text.")
        if any(p["text"] == text and not p.get("deleted") for p in posts.values()):
            return problem(403, "Forbidden", "You are not allowed to create a Tweet with duplicate content.")
        tweet_id = str(1800000000000000000 + int(server.next_id("x")))
        urls = [{"url": f"https://t.co/{tweet_id[-10:]}{i}", "expanded_url": url} for i, url in enumerate(URL.findall(text))]
        posts[tweet_id] = {"text": text, "urls": urls, "author_id": USER["id"], "created_at": time.time()}
        return Response(201, {"data": {"id": tweet_id, "text": text, "edit_history_tweet_ids": [tweet_id]}})

    @server.route("x", "DELETE", r"/2/tweets/(?P<tweet_id>\d+)")
    def delete(request, tweet_id):
        refused = unauthorized(request)
        if refused:
            return refused
        post = posts.get(tweet_id)
        if post is None or post.get("deleted"):
            return Response(404, {
                "errors": [{"message": "No status found with that ID.", "code": 144}],
                "title": "Not Found Error",
                "detail": f"Could not find tweet with id: [{tweet_id}].",
                "type": "https://api.twitter.com/2/problems/resource-not-found",
                "status": 404,
            })
        post["deleted"] = True
        return Response(200, {"data": {"deleted": True}})

    def invalid_query(request, allowed):
        """X's 400 for parameters the endpoint does not take or values it does not know."""
        errors = [
            {"parameters": {name: [value]}, "message": f"The query parameter [{name}] is not one of [{','.join(sorted(allowed))}]"}
            for name, value in request.query.items()
            if name not in allowed
        ]
        for value in (request.query.get("tweet.fields") or "").split(","):
            if value and value not in TWEET_FIELDS:
                errors.append({
                    "parameters": {"tweet.fields": [value]},
                    "message": f"The `tweet.fields` query parameter value [{value}] is not one of [{','.join(sorted(TWEET_FIELDS))}]",
                })  # fmt: skip
        count = request.query.get("max_results")
        if count is not None and not (count.isdigit() and 5 <= int(count) <= 100):
            errors.append({"parameters": {"max_results": [count]}, "message": f"The `max_results` query parameter value [{count}] is not between 5 and 100"})
        if not errors:
            return None
        return Response(400, {
            "errors": errors, "title": "Invalid Request", "detail": "One or more parameters to your request was invalid.",
            "type": "https://api.twitter.com/2/problems/invalid-request",
        })  # fmt: skip

    @server.route("x", "GET", r"/2/users/me")
    def me(request):
        return unauthorized(request) or invalid_query(request, USER_PARAMETERS) or Response(200, {"data": USER})

    @server.route("x", "GET", r"/2/users/(?P<user_id>\d+)/tweets")
    def timeline(request, user_id):
        refused = unauthorized(request) or invalid_query(request, TIMELINE_PARAMETERS)
        if refused:
            return refused
        limit = int(request.query.get("max_results") or 10)
        live = [(i, p) for i, p in posts.items() if p["author_id"] == user_id and not p.get("deleted")]
        live.sort(key=lambda item: int(item[0]), reverse=True)
        data = []
        for tweet_id, post in live[:limit]:
            item = {"id": tweet_id, "text": post["text"], "edit_history_tweet_ids": [tweet_id]}
            if "entities" in (request.query.get("tweet.fields") or "") and post["urls"]:
                item["entities"] = {"urls": [{**u, "display_url": u["expanded_url"].split("//", 1)[-1][:30]} for u in post["urls"]]}
            data.append(item)
        meta = {"result_count": len(data)}
        if data:
            meta.update(newest_id=data[0]["id"], oldest_id=data[-1]["id"])
        return Response(200, {"data": data, "meta": meta} if data else {"meta": meta})


def weighted_length(text):

    return count(text)


def _header(request, name):
    for key, value in request.headers.items():
        if key.lower() == name:
            return value
    return ""

CHANNEL_SETUP = {
    "credentials": {"access_token": TOKEN, "refresh_token": REFRESH_TOKEN, "client_id": CLIENT_ID},
    "config": {"username": USER["username"]},
}
