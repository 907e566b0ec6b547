"""Sign-in lockout, through HTTP: five failed sign-ins for an account, or
from one address, lock it (the same Vietnamese answer whether the account
exists or not) until the lock time is over or an administrator lifts it in
the admin; the content API locks an address after five wrong tokens, and
a system administrator sees and lifts that lock on the same screen."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from audit.models import AuditEvent
from tests.helpers import refused
from tests.publishing.test_content_api import assert_json_error, make_partner
from workflows.models import Role

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
LOCKED = "Đăng nhập sai quá nhiều lần"
PASSWORD = "pw-test-123"


def sign_in(client, username, password, address="192.0.2.10"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(response):
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def fail(client, username, times=5, address="192.0.2.10"):
    for _attempt in range(times):
        sign_in(client, username, "sai-mat-khau-1", address)


def test_five_wrong_passwords_lock_the_account_and_an_unknown_name_looks_the_same(client, staff):
    for _attempt in range(4):
        assert sign_in(client, "tc.reporter", "sai-mat-khau-1").status_code == 200
    assert sign_in(client, "tc.reporter", "sai-mat-khau-1").status_code == 429
    # The right password no longer opens it, from any address.
    locked = sign_in(client, "tc.reporter", PASSWORD, address="198.51.100.20")
    assert locked.status_code == 429
    assert LOCKED in locked.content.decode()
    assert locked["Retry-After"] == str(30 * 60)
    assert 'name="username"' in locked.content.decode()  # still the sign-in page
    # A name nobody has gets the same answer after as many tries.
    fail(client, "khong-ai-co-ten-nay", address="203.0.113.30")
    unknown = sign_in(client, "khong-ai-co-ten-nay", PASSWORD, address="203.0.113.31")
    assert unknown.status_code == locked.status_code
    assert LOCKED in unknown.content.decode()
    # Someone else still signs in.
    assert signed_in(sign_in(client, "tc.desk_editor", PASSWORD, address="198.51.100.21"))


def test_five_failures_from_one_address_lock_it_for_every_account(client, staff):
    for username in ("tc.reporter", "tc.contributor", "ai-do", "tc.deputy_editor", "tc.distribution"):
        sign_in(client, username, "sai-mat-khau-1", address="192.0.2.50")
    response = sign_in(client, "tc.desk_editor", PASSWORD, address="192.0.2.50")
    assert response.status_code == 429 and LOCKED in response.content.decode()
    # The same person from elsewhere is not locked: their account had one failure at most.
    assert signed_in(sign_in(client, "tc.desk_editor", PASSWORD, address="192.0.2.51"))


def test_a_success_before_the_limit_starts_the_count_again(client, staff):
    fail(client, "tc.reporter", times=4)
    assert signed_in(sign_in(client, "tc.reporter", PASSWORD))
    client.logout()
    fail(client, "tc.reporter", times=4)
    assert signed_in(sign_in(client, "tc.reporter", PASSWORD))


def test_the_lock_ends_after_its_time(client, staff, settings):
    settings.AXES_COOLOFF_TIME = timedelta(hours=12)
    fail(client, "tc.reporter")
    response = sign_in(client, "tc.reporter", PASSWORD)
    assert response.status_code == 429 and "tạm khóa trong 12 giờ;" in response.content.decode()
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time - timedelta(hours=12, minutes=1))
    assert signed_in(sign_in(client, "tc.reporter", PASSWORD))


def test_a_system_administrator_sees_and_lifts_locks(client, staff, django_user_model):
    fail(client, "tc.reporter", address="192.0.2.60")
    root = django_user_model.objects.create_superuser("quantri.hethong", "qt@example.vn", PASSWORD)
    admin = client.__class__()
    admin.force_login(root)
    page = admin.get(reverse("workflows_lockouts:list")).content.decode()
    assert "tc.reporter" in page and "192.0.2.60" in page and "Gỡ khóa" in page
    response = admin.post(reverse("workflows_lockouts:lift"), {"kind": "account", "value": "tc.reporter"}, follow=True)
    assert "Đã gỡ khóa tc.reporter" in response.content.decode()
    assert "tc.reporter" not in admin.get(reverse("workflows_lockouts:list")).content.decode()
    entry = ModelLogEntry.objects.get(action="hoitu.lock_lifted")
    assert entry.user_id == root.pk and entry.object_id == str(staff[Role.REPORTER].pk)
    assert signed_in(sign_in(client, "tc.reporter", PASSWORD, address="192.0.2.61"))


def test_lifting_an_addresss_sign_in_lock_is_logged_on_the_administrator(client, staff, django_user_model):
    fail(client, "ai-do", address="192.0.2.65")
    root = django_user_model.objects.create_superuser("quantri.hethong", "qt@example.vn", PASSWORD)
    admin = client.__class__()
    admin.force_login(root)
    admin.post(reverse("workflows_lockouts:lift"), {"kind": "address", "value": "192.0.2.65"})
    entry = ModelLogEntry.objects.get(action="hoitu.lock_lifted", data__kind="address")
    assert entry.object_id == str(root.pk) and entry.data["value"] == "192.0.2.65"


def test_a_unit_administrator_lifts_locks_of_the_units_people_only(client, staff):
    fail(client, "tc.reporter", address="192.0.2.70")
    fail(client, "ld.reporter", address="192.0.2.71")
    admin = client.__class__()
    admin.force_login(staff[Role.UNIT_ADMIN])
    page = admin.get(reverse("workflows_lockouts:list")).content.decode()
    assert "tc.reporter" in page
    assert "ld.reporter" not in page and "192.0.2.70" not in page
    lift = reverse("workflows_lockouts:lift")
    assert admin.post(lift, {"kind": "account", "value": "ld.reporter"}).status_code == 404
    assert admin.post(lift, {"kind": "address", "value": "192.0.2.71"}).status_code == 404
    assert sign_in(client, "ld.reporter", PASSWORD, address="192.0.2.72").status_code == 429
    admin.post(lift, {"kind": "account", "value": "tc.reporter"})
    assert signed_in(sign_in(client, "tc.reporter", PASSWORD, address="192.0.2.73"))
    # Other roles do not open the screen.
    editor = client.__class__()
    editor.force_login(staff[Role.EDITOR_IN_CHIEF])
    assert refused(editor.get(reverse("workflows_lockouts:list")))


def test_the_content_api_locks_an_address_after_five_wrong_tokens(client, newsroom):
    _partner, token = make_partner(newsroom.finance.unit)
    for attempt in range(5):
        assert_json_error(client.get("/api/ninjs/", HTTP_AUTHORIZATION=f"Bearer doan-{attempt}"), 401, "invalid_token")
    # Even the right token is refused at that address, without a word on tokens.
    response = client.get("/api/ninjs/", HTTP_AUTHORIZATION=f"Bearer {token}")
    body = assert_json_error(response, 429, "address_locked")
    assert body["error"]["message"] == "Quá nhiều lần dùng token sai từ địa chỉ này: hãy thử lại sau."
    assert 29 * 60 < int(response["Retry-After"]) <= 30 * 60
    assert client.get("/api/ninjs/", HTTP_AUTHORIZATION=f"Bearer {token}", REMOTE_ADDR="203.0.113.9").status_code == 200


def guess_tokens(client, address, times=5):
    for attempt in range(times):
        client.get("/api/ninjs/", HTTP_AUTHORIZATION=f"Bearer doan-{attempt}", REMOTE_ADDR=address)


def lock_row(page, value):
    """The cells of the locks screen's row for ``value``."""
    row = next(row for row in page.split("<tr>") if f"<td>{value}</td>" in row)
    return [cell.split("</td>")[0].strip() for cell in row.split("<td>")[1:]]


def test_a_system_administrator_sees_and_lifts_a_content_api_lock(client, newsroom, staff, django_user_model):
    _partner, token = make_partner(newsroom.finance.unit)
    before = timezone.now()
    guess_tokens(client, "198.51.100.40")
    after = timezone.now()
    root = django_user_model.objects.create_superuser("quantri.hethong", "qt@example.vn", PASSWORD)
    admin = client.__class__()
    admin.force_login(root)
    page = admin.get(reverse("workflows_lockouts:list")).content.decode()
    assert "sau 5 lần dùng sai mã truy cập (token) của đối tác" in page
    _address, kind, failures, _locked_at, until = lock_row(page, "198.51.100.40")[:5]
    assert (kind, failures) == ("Địa chỉ, Content API", "5")
    assert until in {timezone.localtime(moment + timedelta(minutes=30)).strftime("%H:%M %d/%m/%Y") for moment in (before, after)}
    # The lock itself is on the audit trail, from the address it was locked for.
    locked = AuditEvent.objects.get(action="api.address_locked")
    assert locked.source_address == "198.51.100.40" and locked.extra == {"address": "198.51.100.40", "failures": 5}

    # A unit administrator neither sees nor lifts it.
    unit_admin = client.__class__()
    unit_admin.force_login(staff[Role.UNIT_ADMIN])
    assert "198.51.100.40" not in unit_admin.get(reverse("workflows_lockouts:list")).content.decode()
    assert unit_admin.post(reverse("workflows_lockouts:lift"), {"kind": "api_address", "value": "198.51.100.40"}).status_code == 404
    assert client.get("/api/ninjs/", HTTP_AUTHORIZATION=f"Bearer {token}", REMOTE_ADDR="198.51.100.40").status_code == 429

    response = admin.post(reverse("workflows_lockouts:lift"), {"kind": "api_address", "value": "198.51.100.40"}, follow=True)
    assert "Đã gỡ khóa 198.51.100.40" in response.content.decode()
    assert "198.51.100.40" not in admin.get(reverse("workflows_lockouts:list")).content.decode()
    entry = ModelLogEntry.objects.get(action="hoitu.api_lock_lifted")
    assert entry.user_id == root.pk and entry.data == {"kind": "api_address", "value": "198.51.100.40"}
    assert AuditEvent.objects.filter(action="hoitu.api_lock_lifted", actor=root).exists()
    assert client.get("/api/ninjs/", HTTP_AUTHORIZATION=f"Bearer {token}", REMOTE_ADDR="198.51.100.40").status_code == 200
    # Lifted again: nothing left to lift.
    again = admin.post(reverse("workflows_lockouts:lift"), {"kind": "api_address", "value": "198.51.100.40"}, follow=True)
    assert "198.51.100.40 đã không còn bị khóa" in again.content.decode()
