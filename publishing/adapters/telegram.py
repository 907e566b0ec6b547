"""Telegram channel through the Bot API: sendPhoto (picture + caption) or
sendMessage, edited with editMessageCaption / editMessageText, removed with
deleteMessage. https://core.telegram.org/bots/api"""

import re

from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from .base import (
    Adapter,
    Limit,
    Permanent,
    RemoteGone,
    RemoteRef,
    error_for_status,
    retry_after_seconds,
    shorten,
)

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
# t.me/<channel>/<message id>, or t.me/c/<channel number>/<message id> for a private channel.
MESSAGE_ADDRESS = re.compile(
    r"^https?://(?:www\.)?(?:t\.me|telegram\.me)/(?:s/)?(?:c/(?P<number>\d+)|(?P<name>[A-Za-z][A-Za-z0-9_]{4,31}))/(?P<id>\d+)/?(?:[?#].*)?$"
)


class TelegramAdapter(Adapter):
    kind = "telegram"
    label = _("Telegram channel")
    default_base_url = "https://api.telegram.org"
    credential_fields = (("bot_token", _("Bot token")),)
    config_fields = (("chat_id", _("Channel (@name or numeric id)")),)
    # The Bot API cannot list a channel's messages: a send whose answer was
    # lost is left to a person ("unknown"), never sent blindly again.
    can_lookup = False
    limits = (Limit("text", CAPTION_LIMIT, _("Caption (with a picture)")), Limit("text", TEXT_LIMIT, _("Message (without a picture)")))

    def _call(self, method, payload):
        token = self.credentials.get("bot_token", "")
        body = self.request("POST", f"/bot{token}/{method}", json=payload)
        return body.get("result")

    def raise_for_response(self, response):
        # Bot API errors: {"ok": false, "error_code": 400, "description": "...",
        # "parameters": {"retry_after": 5}}
        status = response.status_code
        if status < 400:
            return
        try:
            body = response.json()
        except ValueError:
            body = {}
        description = body.get("description") or f"HTTP {status}"
        if status == 400 and ("message to edit not found" in description or "message to delete not found" in description):
            raise RemoteGone(description, status)
        if status == 404:
            # "Not Found" is the Bot API's answer to an address it does not
            # know (a malformed bot token), never to a message that is gone.
            raise Permanent(description, status)
        retry_after = (body.get("parameters") or {}).get("retry_after")
        raise error_for_status(status, description, retry_after_seconds(response) if retry_after is None else retry_after)

    def message_text(self, post, limit):
        """HTML: bold headline, the text, and the link. Telegram counts the
        limit on the visible text (tags excluded), so the text is shortened
        to what remains of it."""
        read_more = str(_("Read more"))
        room = limit - len(post.headline) - len(read_more) - 4  # two blank lines
        text = shorten(post.text, max(0, room))
        return f'<b>{escape(post.headline)}</b>\n\n{escape(text)}\n\n<a href="{escape(post.url)}">{escape(read_more)}</a>'

    def create(self, post):
        chat_id = self.config.get("chat_id")
        if post.image_url:
            result = self._call(
                "sendPhoto",
                {"chat_id": chat_id, "photo": post.image_url, "caption": self.message_text(post, CAPTION_LIMIT), "parse_mode": "HTML"},
            )
            kind = "photo"
        else:
            result = self._call("sendMessage", {"chat_id": chat_id, "text": self.message_text(post, TEXT_LIMIT), "parse_mode": "HTML"})
            kind = "text"
        message_id = str(result["message_id"])
        return RemoteRef(message_id, self._message_url(result, message_id), {"kind": kind, "chat_id": chat_id})

    def update(self, ref, post):
        chat_id = ref.data.get("chat_id") or self.config.get("chat_id")
        # A message recorded by hand was sent by ``create``: a photo when the story had a picture.
        kind = ref.data.get("kind") or ("photo" if post.image_url else "text")
        try:
            if kind == "photo":
                self._call(
                    "editMessageCaption",
                    {"chat_id": chat_id, "message_id": int(ref.id), "caption": self.message_text(post, CAPTION_LIMIT), "parse_mode": "HTML"},
                )
            else:
                self._call(
                    "editMessageText",
                    {"chat_id": chat_id, "message_id": int(ref.id), "text": self.message_text(post, TEXT_LIMIT), "parse_mode": "HTML"},
                )
        except Permanent as error:
            # A correction of the body only leaves the message as it was:
            # Telegram refuses such an edit, yet the message is right.
            if "message is not modified" not in error.message:
                raise
        return ref

    def delete(self, ref):
        self._call("deleteMessage", {"chat_id": ref.data.get("chat_id") or self.config.get("chat_id"), "message_id": int(ref.id)})

    def ref_from_address(self, text):
        """A message of the channel: its address (t.me/<channel>/<id>, or
        t.me/c/<number>/<id> for a private channel) or its id."""
        text = text.strip()
        chat_id = str(self.config.get("chat_id") or "")
        match = MESSAGE_ADDRESS.match(text)
        if match:
            if match.group("number"):
                same_channel = chat_id == f"-100{match.group('number')}"
            else:
                same_channel = chat_id.lower() == f"@{match.group('name')}".lower()
            if not same_channel:
                return None  # another channel's message
            return RemoteRef(match.group("id"), text, {"chat_id": chat_id})
        if text.isdigit():
            url = f"https://t.me/{chat_id[1:]}/{text}" if chat_id.startswith("@") else ""
            return RemoteRef(text, url, {"chat_id": chat_id})
        return None

    def _message_url(self, result, message_id):
        username = (result.get("chat") or {}).get("username")
        return f"https://t.me/{username}/{message_id}" if username else ""
