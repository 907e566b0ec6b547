"""A partner's webhook receiver, written as the adapter's contract asks
(publishing/adapters/webhook.py): it verifies the signature (401 when it is
wrong or stale), keeps the highest version per uri and ignores older or
repeated ones, and removes a story on ``pubStatus: canceled``.

``server.posts["webhook"][uri]`` holds what the partner shows: the ninjs
document, its version, the event, how many requests carried it.
"""

from publishing.adapters.webhook import verify_signature

from .server import Response

SECRET = "fake-webhook-secret"


def register(server):
    posts = server.posts["webhook"]

    @server.route("webhook", "POST", r"/.*")
    def receive(request):
        headers = {k.lower(): v for k, v in request.headers.items()}
        secret = server.state["webhook"].get("secret", SECRET)
        if not verify_signature(secret, headers.get("x-hoitu-timestamp"), request.body, headers.get("x-hoitu-signature")):
            return Response(401, {"error": "invalid signature"})
        document = request.json
        if not isinstance(document, dict) or not document.get("uri") or not str(document.get("version", "")).isdigit():
            return Response(400, {"error": "not a ninjs document with uri and version"})
        uri, version = document["uri"], int(document["version"])
        held = posts.get(uri)
        if held is not None and held["version"] >= version:
            held["repeats"] += 1
            return Response(200, {"status": "ignored", "held_version": held["version"]})
        canceled = document.get("pubStatus") == "canceled"
        posts[uri] = {
            "version": version,
            "event": headers.get("x-hoitu-event"),
            "idempotency_key": headers.get("idempotency-key"),
            "ninjs": document,
            "deleted": canceled,
            "repeats": 0,
            "received": (held["received"] + 1) if held else 1,
        }
        url = None if canceled else f"https://doitac.example.vn/tin/{uri.rsplit(':', 1)[-1]}"
        return Response(200, {"status": "stored", "url": url} if url else {"status": "removed"})


CHANNEL_SETUP = {"credentials": {"secret": SECRET}, "config": {}}
