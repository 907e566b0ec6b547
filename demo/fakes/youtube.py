"""YouTube Data API v3, as much as the adapter uses: the OAuth token
endpoint (refresh token → access token), resumable uploads (POST
/upload/youtube/v3/videos?uploadType=resumable → 200 + Location; PUT of the
bytes whole or in chunks with Content-Range, answered 308 Resume Incomplete
with a Range header until the last byte, and ``bytes */total`` status
queries), metadata updates (PUT /youtube/v3/videos?part=snippet,status),
deletes (DELETE /youtube/v3/videos?id=) and the channel's uploads list
(GET channels?mine=true, then playlistItems of its uploads playlist). Errors in Google's shape
``{"error": {"code", "message", "errors": [{"reason", "domain"}], "status"}}``.
Listing refuses what the Data API refuses: no ``part`` or a part the
resource does not have, and ``maxResults`` outside 0–50.
"""

import hashlib
import re

from .server import Response

CLIENT_ID = "123-fake.apps.googleusercontent.com"
CLIENT_SECRET = "fake-client-secret"
REFRESH_TOKEN = "1//fake-refresh-token"
ACCESS_TOKEN = "ya29.fake-access-token"
CHANNEL_ID = "UCfakeHoiTuChannel000000"
# The parts a list may ask for (developers.google.com/youtube/v3/docs/<resource>/list).
CHANNEL_PARTS = {
    "auditDetails", "brandingSettings", "contentDetails", "contentOwnerDetails", "id", "localizations", "snippet", "statistics",
    "status", "topicDetails",
}  # fmt: skip
PLAYLIST_ITEM_PARTS = {"contentDetails", "id", "snippet", "status"}


def register(server):
    posts = server.posts["youtube"]
    uploads = server.state["youtube"]

    def error(status, reason, message, domain="youtube.video", code_status=None):
        return Response(
            status,
            {"error": {"code": status, "message": message, "errors": [{"message": message, "domain": domain, "reason": reason}], "status": code_status or ""}},
        )

    def unauthorized(request):
        if _header(request, "authorization") != f"Bearer {ACCESS_TOKEN}":
            return error(401, "authError", "Request had invalid authentication credentials. Expected OAuth 2 access token.", "global", "UNAUTHENTICATED")
        return None

    def invalid_listing(request, parts):
        """The Data API's 400 for a list request without a known part or with
        maxResults out of its range."""
        asked = [part.strip() for part in (request.query.get("part") or "").split(",") if part.strip()]
        if not asked:
            return parameter_error("required", "Required parameter: part", "part")
        unknown = [part for part in asked if part not in parts]
        if unknown:
            return parameter_error("unknownPart", unknown[0], "part")
        count = request.query.get("maxResults")
        if count is not None and not (count.isdigit() and 0 <= int(count) <= 50):
            return parameter_error("invalidParameter", f"Invalid value '{count}'. Values must be within the range: [0, 50]", "maxResults")
        return None

    def parameter_error(reason, message, location):
        errors = [{"message": message, "domain": "global", "reason": reason, "location": location, "locationType": "parameter"}]
        return Response(400, {"error": {"code": 400, "message": message, "errors": errors}})

    def invalid_metadata(data, update=False):
        snippet = data.get("snippet") or {}
        title = snippet.get("title") or ""
        if not title:
            return error(400, "invalidTitle", "The request metadata specifies an invalid or empty video title.")
        if len(title) > 100 or "<" in title or ">" in title:
            return error(400, "invalidTitle", "The request metadata specifies an invalid video title.")
        description = snippet.get("description") or ""
        if len(description.encode()) > 5000 or "<" in description or ">" in description:
            return error(400, "invalidDescription", "The request metadata specifies an invalid video description.")
        if sum(len(tag) + (2 if " " in tag else 0) for tag in snippet.get("tags") or []) > 500:
            return error(400, "invalidTags", "The request metadata specifies invalid video keywords.")
        if update and not snippet.get("categoryId"):
            return error(400, "invalidCategoryId", "The snippet.categoryId property specifies an invalid category ID.")
        return None

    def video_resource(video_id):
        video = posts[video_id]
        return {
            "kind": "youtube#video",
            "etag": f"etag-{video_id}-{video['updates']}",
            "id": video_id,
            "snippet": {
                "channelId": CHANNEL_ID,
                "title": video["title"],
                "description": video["description"],
                "tags": video["tags"],
                "categoryId": video["category_id"],
            },
            "status": {"uploadStatus": "uploaded", "privacyStatus": video["privacy"]},
        }

    def store_metadata(video, data):
        snippet, status = data.get("snippet") or {}, data.get("status") or {}
        video.update(
            title=snippet.get("title", ""),
            description=snippet.get("description", ""),
            tags=snippet.get("tags") or [],
            category_id=snippet.get("categoryId") or "22",
            language=snippet.get("defaultLanguage", ""),
            privacy=status.get("privacyStatus", "public"),
        )

    @server.route("youtube", "POST", r"/token")
    def token(request):
        form = request.form
        if form.get("grant_type") != "refresh_token" or form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return Response(401, {"error": "invalid_client", "error_description": "The OAuth client was not found."})
        if form.get("refresh_token") != REFRESH_TOKEN:
            return Response(400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."})
        return Response(
            200, {"access_token": ACCESS_TOKEN, "expires_in": 3599, "scope": "https://www.googleapis.com/auth/youtube.upload", "token_type": "Bearer"}
        )

    @server.route("youtube", "POST", r"/upload/youtube/v3/videos")
    def start_upload(request):
        refused = unauthorized(request)
        if refused:
            return refused
        if request.query.get("uploadType") != "resumable":
            return error(400, "invalidUploadType", "Only resumable uploads are supported here.", "global")
        data = request.json or {}
        refused = invalid_metadata(data)
        if refused:
            return refused
        total = _header(request, "x-upload-content-length")
        upload_id = server.new_token()
        uploads[upload_id] = {"metadata": data, "total": int(total) if total.isdigit() else None, "received": bytearray(), "video_id": None}
        host = _header(request, "host")
        location = f"http://{host}/youtube/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status&upload_id={upload_id}"
        return Response(200, None, {"Location": location, "X-GUploader-UploadID": upload_id})

    @server.route("youtube", "PUT", r"/upload/youtube/v3/videos")
    def upload_bytes(request):
        refused = unauthorized(request)
        if refused:
            return refused
        upload = uploads.get(request.query.get("upload_id"))
        if upload is None:
            return error(404, "notFound", "The upload session was not found or has expired.", "global", "NOT_FOUND")
        if upload["video_id"]:
            return Response(200, video_resource(upload["video_id"]))
        content_range = _header(request, "content-range")
        received = upload["received"]
        status_query = re.fullmatch(r"bytes \*/(\d+|\*)", content_range)
        if status_query:
            return incomplete(received)
        ranged = re.fullmatch(r"bytes (\d+)-(\d+)/(\d+|\*)", content_range)
        if ranged:
            first, last = int(ranged.group(1)), int(ranged.group(2))
            if ranged.group(3) != "*":
                upload["total"] = int(ranged.group(3))
            if first != len(received) or last - first + 1 != len(request.body):
                return error(400, "badContent", f"Content-Range {content_range} does not follow the {len(received)} bytes received.", "global")
        elif content_range:
            return error(400, "badContent", f"Malformed Content-Range {content_range!r}.", "global")
        received.extend(request.body)
        total = upload["total"] if upload["total"] is not None else len(received)
        if len(received) < total:
            return incomplete(received)
        video_id = f"vid{server.next_id('youtube'):0>8}"
        posts[video_id] = {"size": len(received), "sha256": hashlib.sha256(bytes(received)).hexdigest(), "updates": 0}
        store_metadata(posts[video_id], upload["metadata"])
        upload["video_id"] = video_id
        return Response(200, video_resource(video_id))

    def incomplete(received):
        headers = {"Range": f"bytes=0-{len(received) - 1}"} if received else {}
        return Response(308, None, headers)

    @server.route("youtube", "PUT", r"/youtube/v3/videos")
    def update(request):
        refused = unauthorized(request)
        if refused:
            return refused
        data = request.json or {}
        video = posts.get(data.get("id"))
        if video is None or video.get("deleted"):
            return error(404, "videoNotFound", "The video that you are trying to update cannot be found.", code_status="NOT_FOUND")
        refused = invalid_metadata(data, update=True)
        if refused:
            return refused
        store_metadata(video, data)
        video["updates"] += 1
        return Response(200, video_resource(data["id"]))

    @server.route("youtube", "GET", r"/youtube/v3/channels")
    def my_channel(request):
        refused = unauthorized(request) or invalid_listing(request, CHANNEL_PARTS)
        if refused:
            return refused
        if request.query.get("mine") != "true":
            return error(400, "missingRequiredParameter", "No filter selected. Expected one of: id, mine, forHandle, forUsername.", "youtube.parameter")
        uploads = "UU" + CHANNEL_ID[2:]
        channel = {"kind": "youtube#channel", "id": CHANNEL_ID, "contentDetails": {"relatedPlaylists": {"likes": "", "uploads": uploads}}}
        return Response(200, {"kind": "youtube#channelListResponse", "items": [channel]})

    @server.route("youtube", "GET", r"/youtube/v3/playlistItems")
    def playlist_items(request):
        refused = unauthorized(request) or invalid_listing(request, PLAYLIST_ITEM_PARTS)
        if refused:
            return refused
        if request.query.get("playlistId") != "UU" + CHANNEL_ID[2:]:
            return error(404, "playlistNotFound", "The playlist identified with the request's playlistId parameter cannot be found.")
        limit = int(request.query.get("maxResults") or 5)
        live = [(video_id, video) for video_id, video in posts.items() if not video.get("deleted")]
        live.reverse()  # newest upload first
        items = [
            {
                "kind": "youtube#playlistItem",
                "snippet": {"title": video["title"], "description": video["description"], "resourceId": {"kind": "youtube#video", "videoId": video_id}},
            }
            for video_id, video in live[:limit]
        ]
        return Response(200, {"kind": "youtube#playlistItemListResponse", "items": items, "pageInfo": {"totalResults": len(live), "resultsPerPage": limit}})

    @server.route("youtube", "DELETE", r"/youtube/v3/videos")
    def delete(request):
        refused = unauthorized(request)
        if refused:
            return refused
        video = posts.get(request.query.get("id"))
        if video is None or video.get("deleted"):
            return error(404, "videoNotFound", "The video that you are trying to delete cannot be found.", code_status="NOT_FOUND")
        video["deleted"] = True
        return Response(204)


def _header(request, name):
    for key, value in request.headers.items():
        if key.lower() == name:
            return value
    return ""


CHANNEL_SETUP = {
    "credentials": {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "refresh_token": REFRESH_TOKEN},
    "config": {"privacy": "public", "category_id": "25"},
}
