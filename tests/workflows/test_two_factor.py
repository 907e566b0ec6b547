"""The admin's second factor, through HTTP: enrolment with an authenticator
app and recovery codes (kept as digests only), the code at each sign-in,
the unit administrator's reset, and each change on the audit trail.
Sign-ins here go through Wagtail's login form, never the test client's
verified ``force_login``."""

import base64
import hashlib
import importlib
import io
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from wagtail.models import ModelLogEntry

from audit.actions import action_label
from audit.models import AuditEvent
from newsroom import crypto
from tests.helpers import authenticator_of, next_code, refused
from workflows.landing import landing_url
from workflows.models import AuthenticatorApp, RecoveryCodes, Role
from workflows.two_factor import new_recovery_codes

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "pw-test-123"
ENROL = reverse("workflows_two_factor:enrol")
VERIFY = reverse("workflows_two_factor:verify")


def sign_in_with_password(person):
    browser = Client()
    response = browser.post(reverse("wagtailadmin_login"), {"username": person.username, "password": PASSWORD})
    assert response.status_code == 302
    return browser


def messages_of(response):
    return response.content.decode()


def second_factor_trail(person):
    """The changes to ``person``'s second factor on the audit trail, in
    order: (action, its label, the logged data)."""
    events = AuditEvent.objects.filter(object_type="newsroom.user", object_id=str(person.pk), action__startswith="hoitu.two_factor")
    return [(event.action, str(action_label(event.action)), event.extra.get("data", {})) for event in events.order_by("pk")]


def test_without_a_device_every_admin_page_leads_to_enrolment(staff):
    browser = sign_in_with_password(staff[Role.REPORTER])
    for address in ("/admin/", "/admin/pages/", reverse("workflows_unit_admin:staff_units"), "/admin/images/"):
        response = browser.get(address)
        assert response.status_code == 302 and response.url.startswith(f"{ENROL}?next="), address
    # Posting is refused the same way; signing out still works.
    assert browser.post("/admin/pages/search/", {}).url.startswith(ENROL)
    for asset in ("wagtailadmin_javascript_catalog", "wagtailadmin_sprite"):
        assert browser.get(reverse(asset)).status_code == 200, asset
    browser.post(reverse("wagtailadmin_logout"))
    assert browser.get("/admin/").url.startswith(reverse("wagtailadmin_login"))


def test_enrolment_with_the_shown_secret_shows_recovery_codes_once(staff):
    reporter = staff[Role.REPORTER]
    browser = sign_in_with_password(reporter)
    page = browser.get(ENROL, {"next": "/admin/pages/"})
    html = page.content.decode()
    assert "Thiết lập ứng dụng xác thực" in html and "<svg" in html
    # The QR code is drawn here: no image from elsewhere.
    assert not re.search(r'<img[^>]+src="https?:', html)
    secret = re.search(r"data-hoitu-secret>([A-Z2-7 ]+)<", html).group(1).replace(" ", "")
    # Stored encrypted: the secret is nowhere in the row.
    device = AuthenticatorApp.objects.get(user=reporter)
    assert not device.confirmed and device.key not in device.encrypted_key and secret not in device.encrypted_key

    wrong = browser.post(ENROL, {"code": "000000", "next": "/admin/pages/"})
    assert "Mã không đúng hoặc đã hết hạn" in messages_of(wrong)
    device.refresh_from_db()
    device.throttling_failure_timestamp = None  # the wait after a wrong code, over
    device.save()

    code = f"{TOTP(base64.b32decode(secret)).token():06d}"
    session_before = browser.cookies["sessionid"].value
    done = browser.post(ENROL, {"code": code, "next": "/admin/pages/"})
    codes = re.findall(r"<li><code>([a-z2-7-]+)</code></li>", done.content.decode())
    assert len(codes) == 10 and "Mã khôi phục của bạn" in done.content.decode()
    # 80 random bits each, kept only as their digests.
    assert all(re.fullmatch(r"[a-z2-7]{4}(-[a-z2-7]{4}){3}", code) for code in codes)
    stored = RecoveryCodes.objects.get(user=reporter).digests
    assert sorted(stored) == sorted(hashlib.sha256(code.replace("-", "").encode()).hexdigest() for code in codes)
    assert not any(code.replace("-", "") in digest for code in codes for digest in stored)
    assert browser.cookies["sessionid"].value != session_before
    assert browser.get("/admin/").status_code == 200
    # Enrolled: the page does not show the secret or codes again.
    assert browser.get(ENROL).url.startswith(VERIFY)
    assert AuthenticatorApp.objects.get(user=reporter).confirmed
    assert second_factor_trail(reporter) == [
        ("hoitu.two_factor.app_enrolled", "Thiết lập ứng dụng xác thực", {}),
        ("hoitu.two_factor.recovery_codes_issued", "Cấp mã khôi phục", {"replaced": False}),
    ]


def test_a_code_is_asked_at_each_sign_in_and_a_wrong_one_refused(staff):
    editor = staff[Role.EDITOR_IN_CHIEF]
    device = authenticator_of(editor)
    browser = sign_in_with_password(editor)
    assert browser.get("/admin/pages/").url == f"{VERIFY}?next=%2Fadmin%2Fpages%2F"

    wrong = browser.post(VERIFY, {"code": "123 456", "next": "/admin/pages/"})
    assert wrong.status_code == 200 and "Mã không đúng hoặc đã hết hạn" in wrong.content.decode()
    # Right away again: throttled, not even tried.
    again = browser.post(VERIFY, {"code": next_code(device), "next": "/admin/pages/"})
    assert "Nhập sai quá nhiều lần" in again.content.decode()
    assert browser.get("/admin/pages/").url.startswith(VERIFY)

    AuthenticatorApp.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    session_before = browser.cookies["sessionid"].value
    right = browser.post(VERIFY, {"code": next_code(device), "next": "/admin/pages/"})
    assert right.status_code == 302 and right.url == "/admin/pages/"
    assert browser.cookies["sessionid"].value != session_before
    assert browser.get("/admin/").status_code == 200
    # Away from the admin (another site) is never a "next": the
    # editor-in-chief's own start (their queue) instead.
    assert sign_in_with_password(editor).post(VERIFY, {"code": next_code(device), "next": "https://evil.example/"}).url == landing_url(editor)


def test_a_recovery_code_works_once_and_its_use_shows(staff):
    editor = staff[Role.MANAGING_EDITOR]
    device = authenticator_of(editor)
    code, *_others = new_recovery_codes(editor)

    browser = sign_in_with_password(editor)
    # Typed as it comes: capitals, spaces instead of hyphens.
    assert browser.post(VERIFY, {"code": code.upper().replace("-", " ")}).url == landing_url(editor)
    assert browser.get("/admin/").status_code == 200

    again = sign_in_with_password(editor).post(VERIFY, {"code": code})
    assert again.status_code == 200 and "Mã không đúng" in again.content.decode()
    # Recovery codes tried never count against the app.
    assert sign_in_with_password(editor).post(VERIFY, {"code": next_code(device)}).url == landing_url(editor)

    # The person can tell a code was used: on the trail and on their page.
    assert second_factor_trail(editor)[-1] == ("hoitu.two_factor.recovery_code_used", "Đăng nhập bằng mã khôi phục", {"left": 9})
    page = browser.get(reverse("workflows_two_factor:passkeys")).content.decode()
    assert "Bạn còn 9 mã khôi phục." in page and "Lần gần nhất một mã được dùng lúc" in page


def test_recovery_codes_kept_in_clear_before_become_digests(staff):
    editor = staff[Role.DESK_EDITOR]
    authenticator_of(editor)
    clear = StaticDevice.objects.create(user=editor, name="Recovery codes", confirmed=True)
    clear.token_set.create(token="khoiphuc")
    migration = importlib.import_module("workflows.migrations.0008_hash_recovery_codes")
    migration.hash_static_tokens(apps, None)

    assert not StaticDevice.objects.exists()
    assert RecoveryCodes.objects.get(user=editor).digests == [hashlib.sha256(b"khoiphuc").hexdigest()]
    assert sign_in_with_password(editor).post(VERIFY, {"code": "khoiphuc"}).url == landing_url(editor)


def test_the_unit_admin_resets_a_lost_factor_and_it_is_logged(client, staff):
    reporter, unit_admin = staff[Role.REPORTER], staff[Role.UNIT_ADMIN]
    device = authenticator_of(reporter)
    new_recovery_codes(reporter)
    reporter_browser = sign_in_with_password(reporter)
    assert reporter_browser.post(VERIFY, {"code": next_code(device)}).status_code == 302

    client.force_login(unit_admin)
    edit = reverse("workflows_unit_admin:staff_edit", kwargs={"unit_slug": "taichinh", "user_id": reporter.pk})
    reset = reverse("workflows_unit_admin:staff_reset_second_factor", kwargs={"unit_slug": "taichinh", "user_id": reporter.pk})
    assert "Đặt lại bước xác thực thứ hai" in client.get(edit).content.decode()
    assert client.get(reset).status_code == 405
    response = client.post(reset, follow=True)
    assert "sẽ thiết lập lại ở lần đăng nhập tới" in response.content.decode()

    assert not AuthenticatorApp.objects.filter(user=reporter).exists() and not RecoveryCodes.objects.filter(user=reporter).exists()
    entry = ModelLogEntry.objects.get(action="hoitu.two_factor_reset", object_id=str(reporter.pk))
    assert entry.user == unit_admin and entry.data["unit"] == "taichinh"
    assert str(entry.message) == "Đã gỡ bước xác thực thứ hai: người này sẽ thiết lập lại ở lần đăng nhập tới"
    # The reporter's open session loses its verification: enrol again.
    assert reporter_browser.get("/admin/").url.startswith(ENROL)


def test_a_unit_admin_cannot_reset_another_units_person_or_a_system_admin(client, newsroom, staff):
    client.force_login(staff[Role.UNIT_ADMIN])
    other = staff["other_unit_reporter"]
    authenticator_of(other)
    for unit_slug in ("taichinh", "lamdong"):
        address = reverse("workflows_unit_admin:staff_reset_second_factor", kwargs={"unit_slug": unit_slug, "user_id": other.pk})
        assert client.post(address).status_code == 404
    # A person the unit does not manage alone (here: a superuser who works
    # in it too) is the system administrator's to reset.
    chief = User.objects.create_superuser("quantri.he.thong", "qt@example.vn", PASSWORD)
    chief.groups.add(staff[Role.REPORTER].groups.first())
    authenticator_of(chief)
    address = reverse("workflows_unit_admin:staff_reset_second_factor", kwargs={"unit_slug": "taichinh", "user_id": chief.pk})
    assert refused(client.post(address))
    assert AuthenticatorApp.objects.filter(user__in=[other, chief]).count() == 2
    assert not ModelLogEntry.objects.filter(action="hoitu.two_factor_reset").exists()


def test_only_publishers_and_administrators_when_so_configured(settings, staff):
    settings.TWO_FACTOR_REQUIRED = "publishers"
    assert sign_in_with_password(staff[Role.REPORTER]).get("/admin/").status_code == 200
    for role in (Role.EDITOR_IN_CHIEF, Role.UNIT_ADMIN, Role.DISTRIBUTION):
        assert sign_in_with_password(staff[role]).get("/admin/").url.startswith(ENROL), role
    settings.TWO_FACTOR_REQUIRED = "off"
    assert sign_in_with_password(staff[Role.EDITOR_IN_CHIEF]).get("/admin/").status_code == 200


def test_the_apps_secrets_follow_a_key_rotation(settings, staff):
    old_key, new_key = crypto.generate_key(), crypto.generate_key()
    settings.CHANNEL_CREDENTIALS_KEYS = [old_key]
    device = AuthenticatorApp.for_user(staff[Role.DESK_EDITOR], confirmed=True)
    secret = device.secret
    settings.CHANNEL_CREDENTIALS_KEYS = [new_key, old_key]
    out = io.StringIO()
    call_command("rotate_channel_credentials", stdout=out)
    assert "1 authenticator app(s) re-encrypted" in out.getvalue()
    settings.CHANNEL_CREDENTIALS_KEYS = [new_key]  # the old key is dropped
    assert AuthenticatorApp.objects.get(pk=device.pk).secret == secret
