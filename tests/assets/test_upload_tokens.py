"""Staff API tokens for uploads from the field (workflows.api_tokens): a
person makes a token in the admin (shown once, only its hash kept), and a
script or a phone app sends it as ``Authorization: Bearer`` to the tus
endpoints, acting as that person with their archive permissions and no
CSRF cookie. A revoked, expired, unknown or disabled person's token gets
401 in words with ``WWW-Authenticate: Bearer``; a person who may not add
to the archive gets 403; the token opens nothing else of the admin. Last,
the real Python client (tuspy) against a live server, with a token."""

import base64
import hashlib
import io
import logging
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from PIL import Image

from assets.models import ArchiveImage, ResumableUpload
from audit.models import AuditEvent
from tests.helpers import run_queued_tasks
from workflows.api_tokens import create_token
from workflows.models import Role, StaffToken

# Nothing here can differ on PostgreSQL + Redis (tokens and the tus protocol): CI runs it once,
# on the embedded defaults (README, Tests).
pytestmark = [pytest.mark.django_db, pytest.mark.once]
TUS = {"HTTP_TUS_RESUMABLE": "1.0.0"}
FILES = "/admin/archive/uploads/files/"
TOKENS = "/admin/api-tokens/"
MP4_START = b"\x00\x00\x00\x18ftypmp42"


@pytest.fixture(autouse=True)
def upload_folder(settings, tmp_path):
    settings.RESUMABLE_UPLOAD_DIR = tmp_path / "uploads"


def script():
    """A client with no cookie that enforces CSRF, as a script is."""
    return Client(enforce_csrf_checks=True)


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def start(client, size, token, **metadata):
    described = ",".join(f"{key} {base64.b64encode(value.encode()).decode()}" for key, value in metadata.items())
    return client.post(FILES, HTTP_UPLOAD_LENGTH=str(size), HTTP_UPLOAD_METADATA=described, **TUS, **bearer(token))


def assert_refused(response, message=None):
    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"].startswith("Bearer ")
    if message is not None:  # a HEAD's answer has no body
        assert response.json() == {"error": message}


def test_a_token_uploads_as_its_owner_without_csrf(staff, django_capture_on_commit_callbacks):
    _row, token = create_token(staff["reporter"], "Điện thoại của tôi")
    data = MP4_START + bytes(3000)
    created = start(script(), len(data), token, filename="hien-truong.mp4")
    assert created.status_code == 201, created.content
    where = urlsplit(created["Location"]).path
    upload = ResumableUpload.objects.get()
    assert upload.owner == staff["reporter"]
    head = script().head(where, **TUS, **bearer(token))
    assert (head.status_code, head["Upload-Offset"]) == (200, "0")
    with django_capture_on_commit_callbacks(execute=True):
        sent = script().generic(
            "PATCH", where, data, content_type="application/offset+octet-stream", HTTP_UPLOAD_OFFSET="0", **TUS, **bearer(token)
        )
    assert sent.status_code == 204 and sent["Upload-Offset"] == str(len(data))
    assert script().get(sent["Hoitu-Upload-Status"], **bearer(token)).json()["state"] == "complete"
    # No session was opened for it.
    assert "Set-Cookie" not in sent and not sent.cookies
    assert StaffToken.objects.get().last_used_at is not None

    # Another person's token does not see this upload.
    _other, others = create_token(staff["other_unit_reporter"], "Máy tính bảng")
    assert script().head(where, **TUS, **bearer(others)).status_code == 404


def test_the_session_still_needs_csrf(staff):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff["reporter"])
    assert browser.post(FILES, HTTP_UPLOAD_LENGTH="10", **TUS).status_code == 403
    assert not ResumableUpload.objects.exists()


def test_revoked_expired_unknown_and_disabled_tokens_get_401(staff, client):
    reporter = staff["reporter"]
    revoked, revoked_token = create_token(reporter, "Điện thoại cũ")
    client.force_login(reporter)
    assert client.post(f"{TOKENS}{revoked.pk}/revoke/").status_code == 302
    assert_refused(start(script(), 10, revoked_token), "Mã truy cập này đã bị thu hồi.")

    expired, expired_token = create_token(reporter, "Máy tạm", days=30)
    StaffToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert_refused(start(script(), 10, expired_token), "Mã truy cập này đã hết hạn.")

    assert_refused(start(script(), 10, "hts_" + "x" * 43), "Mã truy cập (token) không hợp lệ.")
    empty = script().post(FILES, HTTP_UPLOAD_LENGTH="10", HTTP_AUTHORIZATION="Bearer ", **TUS)
    assert_refused(empty, "Hãy gửi mã truy cập dưới dạng “Authorization: Bearer <mã>”.")

    other = staff["other_unit_reporter"]
    _row, disabled_token = create_token(other, "Điện thoại")
    other.is_active = False
    other.save(update_fields=["is_active"])
    assert_refused(start(script(), 10, disabled_token), "Tài khoản của mã truy cập này đã bị vô hiệu hóa.")
    # Each refusal in every protocol method, the status too: never a 500.
    assert_refused(script().head(f"{FILES}00000000-0000-0000-0000-000000000000/", **TUS, **bearer(expired_token)))
    assert not ResumableUpload.objects.exists()


def test_a_person_who_may_not_add_to_the_archive_gets_403(staff):
    _row, token = create_token(staff[Role.DISTRIBUTION], "Kịch bản phát hành")
    refused = start(script(), 10, token, filename="a.mp4")
    assert refused.status_code == 403 and refused.json() == {"error": "Bạn không có quyền thêm vào kho tư liệu."}


def test_a_token_opens_nothing_else_of_the_admin(staff):
    _row, token = create_token(staff[Role.EDITOR_IN_CHIEF], "Kịch bản")
    for address in ("/admin/", "/admin/archive/uploads/", TOKENS, "/admin/images/"):
        response = script().get(address, **bearer(token))
        assert response.status_code == 302 and "/admin/login/" in response["Location"], address
    assert script().post(TOKENS, {"name": "Thêm một mã"}, **bearer(token)).status_code == 403  # CSRF, as without the token
    assert StaffToken.objects.count() == 1


def test_the_token_is_stored_only_as_its_hash_and_never_logged(staff, client, caplog):
    client.force_login(staff["reporter"])
    page = client.get(TOKENS)
    assert "Bạn chưa có mã truy cập API nào" in page.content.decode()
    with caplog.at_level(logging.DEBUG):
        made = client.post(TOKENS, {"name": "Điện thoại của tôi", "days": "90"})
        assert made.status_code == 200 and "no-store" in made["Cache-Control"]
        token = made.context["new_token"]
        assert token.startswith("hts_") and len(token) > 40
        assert f'value="{token}"' in made.content.decode()  # shown once
        start(script(), 10, token, filename="a.mp4")
        assert_refused(start(script(), 10, token + "x"), "Mã truy cập (token) không hợp lệ.")
    assert token not in caplog.text

    row = StaffToken.objects.get()
    assert (row.name, row.user, row.prefix) == ("Điện thoại của tôi", staff["reporter"], token[:10])
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert timedelta(days=89) < row.expires_at - timezone.now() <= timedelta(days=90)
    # Nowhere in the database in clear: not its table, not the audit trail.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {StaffToken._meta.db_table}")
        stored = repr(cursor.fetchall())
    assert token not in stored and token[10:] not in stored
    events = AuditEvent.objects.filter(action="auth.token_create")
    assert events.count() == 1 and token[10:] not in repr(list(events.values()))

    # Listed afterwards by its name and start, never in full.
    listing = client.get(TOKENS).content.decode()
    assert "Điện thoại của tôi" in listing and row.prefix in listing and token not in listing


def test_a_person_revokes_only_their_own_tokens(staff, client):
    row, token = create_token(staff["other_unit_reporter"], "Của người khác")
    client.force_login(staff["reporter"])
    answer = client.post(f"{TOKENS}{row.pk}/revoke/", follow=True)
    assert "Không có mã truy cập này, hoặc mã đã bị thu hồi." in answer.content.decode()
    row.refresh_from_db()
    assert row.revoked_at is None
    assert client.post(TOKENS, {"name": "  "}).context["form"].errors["name"]


# --- the real client ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_tuspy_uploads_a_picture_with_a_token_into_the_owners_unit(live_server, staff, newsroom):
    # A development dependency, only this test uses it.
    from tusclient import client as tus_client  # noqa: PLC0415
    from tusclient.exceptions import TusCommunicationError  # noqa: PLC0415

    exif = Image.Exif()
    exif[0x9C9D] = "Trần Thị Bình\x00".encode("utf-16-le")  # XPAuthor: the credit
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 140, 90)).save(out, "JPEG", quality=90, exif=exif)
    data = out.getvalue()
    _row, token = create_token(staff["reporter"], "Điện thoại của tôi")

    uploader = tus_client.TusClient(live_server.url + FILES, headers={"Authorization": f"Bearer {token}"}).uploader(
        file_stream=io.BytesIO(data), chunk_size=4096, metadata={"filename": "lu-quet.jpg", "title": "Lũ quét ở Lâm Đồng"}
    )
    uploader.upload()
    assert uploader.offset == len(data)
    upload = ResumableUpload.objects.get()
    assert (upload.owner, upload.state) == (staff["reporter"], ResumableUpload.State.COMPLETE)

    assert "assets.tasks.ingest_upload" in run_queued_tasks(queues=("media",))
    picture = ArchiveImage.objects.get(title="Lũ quét ở Lâm Đồng")
    assert picture.uploaded_by_user == staff["reporter"]
    assert picture.collection == newsroom.finance.unit.archive_collection
    assert (picture.credit, picture.width, picture.height) == ("Trần Thị Bình", 640, 480)

    # Revoked, the same client is refused in words.
    StaffToken.objects.update(revoked_at=timezone.now())
    again = tus_client.TusClient(live_server.url + FILES, headers={"Authorization": f"Bearer {token}"}).uploader(
        file_stream=io.BytesIO(data), chunk_size=4096, metadata={"filename": "lan-hai.jpg"}
    )
    with pytest.raises(TusCommunicationError) as refused:
        again.create_url()
    assert refused.value.status_code == 401
