"""YouTube for video stories through the YouTube Data API v3
(https://developers.google.com/youtube/v3/guides/using_resumable_upload_protocol):
the story's video is uploaded with the resumable protocol (POST the
metadata → upload address in Location → PUT the bytes in chunks, each
answered 308 Resume Incomplete until the last), its title and description
follow corrections (PUT videos?part=snippet,status) and a takedown deletes
it (DELETE videos?id=). An upload whose last answer was lost is looked for
among the channel's uploads (``lookup``: channels.list part=contentDetails
mine=true for the uploads playlist, then playlistItems.list part=snippet
with maxResults up to 50) by the story's address in the description,
before it is sent again.

Credentials: an OAuth client (id and secret) and a refresh token with the
youtube.upload and youtube scopes; an access token is fetched for each
delivery (they expire within the hour)."""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .base import (
    Adapter,
    AuthFailed,
    Limit,
    OutcomeUnknown,
    RateLimited,
    RemoteRef,
    Temporary,
    error_for_status,
    plain_text,
    retry_after_seconds,
    shorten,
)

TITLE_LIMIT = 100
DESCRIPTION_LIMIT = 5000  # bytes, in fact: the description is cut on its UTF-8 length
TAGS_LIMIT = 500
CHUNK_UNIT = 256 * 1024  # YouTube wants chunks in multiples of 256 KiB
RESUMES = 3  # times an interrupted upload is resumed within one delivery
LOOKUP_DEPTH = 25  # latest uploads searched for a video whose answer was lost
GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token"
VIDEO_ID = r"[A-Za-z0-9_-]{11}"
# watch?v=<id>, youtu.be/<id>, /shorts/<id>, /live/<id>, /embed/<id>.
VIDEO_ADDRESS = re.compile(
    rf"^https?://(?:(?:www\.|m\.)?youtube\.com/(?:watch\?(?:.*&)?v=|shorts/|live/|embed/)|youtu\.be/)(?P<id>{VIDEO_ID})(?:[?&#/].*)?$"
)
# Daily quotas are reset at midnight Pacific time.
QUOTA_ZONE = ZoneInfo("America/Los_Angeles")


def seconds_until_quota_reset(now=None):
    now = (now or datetime.now(QUOTA_ZONE)).astimezone(QUOTA_ZONE)
    midnight = datetime.combine(now.date() + timedelta(days=1), time(0, 5), tzinfo=QUOTA_ZONE)
    return int((midnight - now).total_seconds())


class YouTubeAdapter(Adapter):
    kind = "youtube"
    label = _("YouTube channel")
    default_base_url = "https://www.googleapis.com"
    credential_fields = (
        ("client_id", _("OAuth client id")),
        ("client_secret", _("OAuth client secret")),
        ("refresh_token", _("Refresh token (youtube.upload and youtube scopes)")),
    )
    config_fields = (
        (
            "privacy",
            _("Who may watch"),
            forms.ChoiceField(choices=[("public", _("Public")), ("unlisted", _("Anyone with the link")), ("private", _("Only the channel"))], initial="public"),
        ),
        (
            "category_id",
            _("Category id"),
            forms.RegexField(regex=r"^\d+$", required=False, max_length=4, help_text=_("Empty: 25 (News & Politics).")),
        ),
    )
    # A video whose upload answer was lost is found among the channel's uploads.
    can_lookup = True
    limits = (
        Limit("headline", TITLE_LIMIT, _("Video title"), required=True),
        Limit("text", DESCRIPTION_LIMIT, _("Video description")),
    )

    def __init__(self, channel):
        super().__init__(channel)
        self._access_token = None

    # --- rendering ------------------------------------------------------
    def check(self, post):
        if post.video is None:
            return _("YouTube takes only stories with a video: this story has no video in its body.")
        if not post.video.file or not post.video.file.storage.exists(post.video.file.name) or not post.video.file.size:
            return _("The story's video file is missing from the archive (or empty).")
        return super().check(post)

    def prepare(self, post):
        # YouTube refuses "<" and ">" in titles and descriptions.
        post.headline = shorten(_no_angles(post.headline), TITLE_LIMIT)
        description = _no_angles(plain_text(post.text))
        room = DESCRIPTION_LIMIT - len(post.url.encode()) - 2
        if len(description.encode()) > room:
            cut = description.encode()[: room - len("…".encode())].decode("utf-8", "ignore")
            description = shorten(cut, len(cut) - 1)
        post.text = description
        post.tags = _fit_tags(post.tags)
        return post

    def metadata(self, post):
        story = post.story
        return {
            "snippet": {
                "title": post.headline,
                "description": f"{post.text}\n\n{post.url}".strip(),
                "tags": post.tags,
                "categoryId": str(self.config.get("category_id") or "25"),
                "defaultLanguage": getattr(story, "language", "") or "vi",
                "defaultAudioLanguage": getattr(story, "language", "") or "vi",
            },
            "status": {"privacyStatus": self.config.get("privacy") or "public", "selfDeclaredMadeForKids": False, "embeddable": True},
        }

    # --- authentication -------------------------------------------------
    @property
    def token_url(self):
        if self.config.get("token_url"):
            return self.config["token_url"]
        # Pointed at another server (a test double): its token endpoint too.
        return f"{self.base_url}/token" if self.channel.base_url else GOOGLE_TOKEN_URL

    def access_token(self):
        """A fresh access token (they last an hour), once per delivery."""
        if self._access_token is None:
            credentials = self.credentials
            answer = self.request(
                "POST",
                self.token_url,
                data={
                    "grant_type": "refresh_token",
                    "refresh_token": credentials.get("refresh_token", ""),
                    "client_id": credentials.get("client_id", ""),
                    "client_secret": credentials.get("client_secret", ""),
                },
            )
            self._access_token = answer["access_token"]
        return self._access_token

    def _auth(self, headers=None):
        return {"Authorization": f"Bearer {self.access_token()}", **(headers or {})}

    def raise_for_response(self, response):
        status = response.status_code
        if status < 400:
            return
        try:
            body = response.json()
        except ValueError:
            body = {}
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, str):  # the OAuth token endpoint: {"error": "invalid_grant", ...}
            message = f"YouTube OAuth: {error} {body.get('error_description', '')}".strip()
            if error in ("invalid_grant", "invalid_client", "unauthorized_client"):
                raise AuthFailed(message, status)
            return super().raise_for_response(response)
        error = error or {}
        reasons = {item.get("reason") for item in error.get("errors") or [] if isinstance(item, dict)}
        message = f"YouTube ({', '.join(sorted(r for r in reasons if r)) or status}): {error.get('message') or response.reason}"
        if reasons & {"quotaExceeded", "dailyLimitExceeded"}:
            raise RateLimited(message, status, seconds_until_quota_reset())
        if reasons & {"rateLimitExceeded", "userRateLimitExceeded", "uploadRateLimitExceeded"}:
            raise RateLimited(message, status)
        raise error_for_status(status, message, retry_after_seconds(response))

    # --- the platform ---------------------------------------------------
    @property
    def chunk_bytes(self):
        size = settings.PUBLISHING_YOUTUBE_CHUNK_BYTES
        return max(CHUNK_UNIT, size - size % CHUNK_UNIT)

    def create(self, post):
        video = post.video
        total = video.file.size
        start = self.request(
            "POST",
            "/upload/youtube/v3/videos",
            params={"uploadType": "resumable", "part": "snippet,status"},
            json=self.metadata(post),
            headers=self._auth({"X-Upload-Content-Length": str(total), "X-Upload-Content-Type": video.mime_type}),
            expect_json=False,
        )
        upload_url = start.headers.get("Location")
        if not upload_url:
            raise Temporary(str(_("YouTube did not give an upload address.")), start.status_code)
        result = self._upload(upload_url, video, total)
        return RemoteRef(result["id"], watch_url(result["id"]), {})

    def _upload(self, upload_url, video, total):
        """PUT the file in chunks from where YouTube says it stands; an
        interrupted chunk is resumed (asking YouTube how much it has)."""
        offset, resumes = 0, 0
        with video.file.open("rb") as source:
            while True:
                source.seek(offset)
                chunk = source.read(self.chunk_bytes)
                last = offset + len(chunk) - 1
                try:
                    response = self.request(
                        "PUT",
                        upload_url,
                        data=chunk,
                        headers=self._auth({"Content-Type": video.mime_type, "Content-Range": f"bytes {offset}-{last}/{total}"}),
                        expect_json=False,
                    )
                except (Temporary, OutcomeUnknown) as interruption:
                    if isinstance(interruption, RateLimited) or resumes >= RESUMES:
                        raise
                    resumes += 1
                    response = self.request(
                        "PUT", upload_url, data=b"", headers=self._auth({"Content-Range": f"bytes */{total}"}), expect_json=False
                    )
                if response.status_code in (200, 201):
                    return response.json()
                if response.status_code != 308:
                    raise Temporary(str(_("Unexpected answer to an upload: HTTP %s")) % response.status_code, response.status_code)
                # YouTube makes no video of an upload left unfinished.
                if not self.keep_claim():
                    raise Temporary(str(_("Upload stopped: another worker took this delivery over.")))
                offset = _received(response)

    def update(self, ref, post):
        self.request(
            "PUT", "/youtube/v3/videos", params={"part": "snippet,status"}, json={"id": ref.id, **self.metadata(post)}, headers=self._auth()
        )
        return RemoteRef(ref.id, ref.url or watch_url(ref.id), ref.data)

    def delete(self, ref):
        self.request("DELETE", "/youtube/v3/videos", params={"id": ref.id}, headers=self._auth(), expect_json=False)

    def ref_from_address(self, text):
        """A video's address (youtube.com/watch?v=, youtu.be/, /shorts/…) or its id."""
        text = text.strip()
        match = VIDEO_ADDRESS.match(text)
        video_id = match.group("id") if match else text if re.fullmatch(VIDEO_ID, text) else None
        return RemoteRef(video_id, watch_url(video_id), {}) if video_id else None

    def lookup(self, post):
        """The video among the channel's latest uploads whose description
        carries the story's address (the uploads playlist costs one quota
        unit a page, a search a hundred)."""
        channels = self.request("GET", "/youtube/v3/channels", params={"part": "contentDetails", "mine": "true"}, headers=self._auth())
        items = channels.get("items") or []
        if not items:
            return None
        playlist = items[0]["contentDetails"]["relatedPlaylists"]["uploads"]
        uploads = self.request(
            "GET", "/youtube/v3/playlistItems", params={"part": "snippet", "playlistId": playlist, "maxResults": LOOKUP_DEPTH}, headers=self._auth()
        )
        for item in uploads.get("items") or []:
            snippet = item.get("snippet") or {}
            if post.url and post.url in (snippet.get("description") or "").split():
                video_id = snippet["resourceId"]["videoId"]
                return RemoteRef(video_id, watch_url(video_id), {})
        return None


def watch_url(video_id):
    return f"https://www.youtube.com/watch?v={video_id}"


def _received(response):
    """Bytes YouTube holds, from a 308's ``Range: bytes=0-N`` (none: 0)."""
    match = re.fullmatch(r"bytes=0-(\d+)", response.headers.get("Range", "").strip())
    return int(match.group(1)) + 1 if match else 0


def _no_angles(text):
    return (text or "").replace("<", "‹").replace(">", "›")


def _fit_tags(tags):
    """Tags up to YouTube's 500 characters (a tag with a space counts its
    quotes too)."""
    kept, used = [], 0
    for tag in tags:
        tag = _no_angles(tag).strip()
        cost = len(tag) + (2 if " " in tag else 0) + (1 if kept else 0)
        if not tag or used + cost > TAGS_LIMIT:
            continue
        kept.append(tag)
        used += cost
    return kept
