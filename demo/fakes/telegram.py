"""Telegram Bot API, as much as the adapter uses: answers like the real one
({"ok": true, "result": ...}), errors with error_code and description."""

from .server import Response

CHAT = {"id": -1001234567890, "title": "Kênh thử", "username": "kenhthu", "type": "channel"}


def register(server):
    posts = server.posts["telegram"]

    def token_ok(token):
        return token and not token.startswith("bad")

    def error(code, description):
        return Response(code, {"ok": False, "error_code": code, "description": description})

    def send(request, token, kind):
        if not token_ok(token):
            return error(401, "Unauthorized")
        data = request.json or {}
        message_id = int(server.next_id("telegram"))
        text = data.get("caption") if kind == "photo" else data.get("text")
        posts[str(message_id)] = {"chat_id": data.get("chat_id"), "kind": kind, "text": text, "photo": data.get("photo"), "edits": 0}
        result = {"message_id": message_id, "chat": CHAT, "date": 0}
        result["caption" if kind == "photo" else "text"] = text
        return Response(200, {"ok": True, "result": result})

    @server.route("telegram", "POST", r"/bot(?P<token>[^/]*)/sendMessage")
    def send_message(request, token):
        return send(request, token, "text")

    @server.route("telegram", "POST", r"/bot(?P<token>[^/]*)/sendPhoto")
    def send_photo(request, token):
        return send(request, token, "photo")

    def edit(request, token, kind):
        if not token_ok(token):
            return error(401, "Unauthorized")
        data = request.json or {}
        post = posts.get(str(data.get("message_id")))
        if post is None or post.get("deleted"):
            return error(400, "Bad Request: message to edit not found")
        text = data.get("caption") if kind == "photo" else data.get("text")
        if text == post["text"]:
            return error(
                400,
                "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a "
                "current content and reply markup of the message",
            )
        post["text"] = text
        post["edits"] += 1
        return Response(200, {"ok": True, "result": {"message_id": data.get("message_id"), "chat": CHAT}})

    @server.route("telegram", "POST", r"/bot(?P<token>[^/]*)/editMessageText")
    def edit_text(request, token):
        return edit(request, token, "text")

    @server.route("telegram", "POST", r"/bot(?P<token>[^/]*)/editMessageCaption")
    def edit_caption(request, token):
        return edit(request, token, "photo")

    @server.route("telegram", "POST", r"/bot(?P<token>[^/]*)/deleteMessage")
    def delete_message(request, token):
        if not token_ok(token):
            return error(401, "Unauthorized")
        post = posts.get(str((request.json or {}).get("message_id")))
        if post is None or post.get("deleted"):
            return error(400, "Bad Request: message to delete not found")
        post["deleted"] = True
        return Response(200, {"ok": True, "result": True})


CHANNEL_SETUP = {"credentials": {"bot_token": "123456:fake-bot-token"}, "config": {"chat_id": "@kenhthu"}}
