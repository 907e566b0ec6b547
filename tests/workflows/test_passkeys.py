"""Passkeys (WebAuthn) as a second factor, through HTTP: the code page offers
one only to who has one, the ceremonies' addresses answer between password
and second factor (and no passwordless sign-in), registering one needs the
verified session when the person already has a factor, a person removes
their own (never their last required factor) and issues new recovery codes
from their account, and the unit administrator's reset removes passkeys
too. The ceremonies themselves, with a real authenticator, are in
tests/browser/test_passkeys.py."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential

from hoitu.settings.base import webauthn_origins
from tests.helpers import authenticator_of, next_code
from tests.workflows.test_two_factor import second_factor_trail, sign_in_with_password
from workflows.accounts import accounts_for_review
from workflows.landing import landing_url
from workflows.models import AuthenticatorApp, RecoveryCodes, Role
from workflows.security_controls import sign_in_controls
from workflows.two_factor import new_recovery_codes

pytestmark = pytest.mark.django_db
PASSWORD = "pw-test-123"
ENROL = reverse("workflows_two_factor:enrol")
VERIFY = reverse("workflows_two_factor:verify")
USE_PASSKEY = "Dùng khóa truy cập (passkey)"
REGISTRATION_BEGIN = reverse("otp_webauthn:credential-registration-begin")
AUTHENTICATION_BEGIN = reverse("otp_webauthn:credential-authentication-begin")
PASSKEYS = reverse("workflows_two_factor:passkeys")
NEW_RECOVERY_CODES = reverse("workflows_two_factor:new_recovery_codes")
LAST_FACTOR = "đây là khóa truy cập duy nhất còn lại"


def passkey_of(person, name="Khóa thử"):
    """A registered passkey as the library stores one (the key itself is
    only read by a ceremony, which these tests do not run)."""
    return WebAuthnCredential.objects.create(
        user=person, name=name, confirmed=True, credential_id=f"khoa-{person.pk}-{name}".encode(), public_key=b"\x00"
    )


def remove_address(passkey):
    return reverse("workflows_two_factor:passkey_remove", kwargs={"passkey_id": passkey.pk})


def test_the_code_page_offers_a_passkey_only_to_who_has_one(staff):
    editor = staff[Role.EDITOR_IN_CHIEF]
    authenticator_of(editor)
    page = sign_in_with_password(editor).get(VERIFY, {"next": "/admin/pages/"}).content.decode()
    assert "Bước đăng nhập thứ hai" in page
    assert USE_PASSKEY not in page and "otp_webauthn" not in page

    passkey_of(editor)
    page = sign_in_with_password(editor).get(VERIFY, {"next": "/admin/pages/"}).content.decode()
    assert USE_PASSKEY in page and 'id="passkey-verification-button"' in page
    # The library's script from a file, its settings as JSON data: nothing
    # inline for the browser to run, so the strict policy holds.
    assert re.search(r'<script type="module" src="/static/django_otp_webauthn/otp_webauthn_auth\.js"', page)
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    assert scripts and all('type="application/json"' in attributes for attributes in scripts), scripts
    # The code still works beside it.
    assert 'name="code"' in page


def test_a_passkey_only_account_is_asked_for_its_second_step(staff):
    reporter = staff[Role.REPORTER]
    passkey_of(reporter)
    browser = sign_in_with_password(reporter)
    assert browser.get("/admin/").url.startswith(f"{VERIFY}?next=")
    assert browser.get(ENROL).url.startswith(VERIFY)
    # The ceremony starts before the second step, for this person's passkey
    # only; the rest of the admin stays closed.
    options = browser.post(AUTHENTICATION_BEGIN, HTTP_ACCEPT="application/json")
    assert options.status_code == 200
    assert options.json()["rpId"] == "localhost" and len(options.json()["allowCredentials"]) == 1
    assert browser.get("/admin/pages/").url.startswith(VERIFY)
    # Recovery codes are only made for a session the passkey verified.
    registered = browser.get(reverse("workflows_two_factor:passkey_registered"))
    assert registered.url.startswith(VERIFY) and not RecoveryCodes.objects.filter(user=reporter).exists()


def test_enrolment_offers_a_passkey_and_registration_starts_before_the_second_step(staff):
    reporter = staff[Role.REPORTER]
    browser = sign_in_with_password(reporter)
    page = browser.get(ENROL, {"next": "/admin/pages/"}).content.decode()
    assert "Hoặc dùng khóa truy cập (passkey)" in page and 'id="passkey-register-button"' in page
    assert 'data-hoitu-passkey-next="/admin/second-factor/passkeys/registered/?next=%2Fadmin%2Fpages%2F"' in page
    options = browser.post(REGISTRATION_BEGIN, HTTP_ACCEPT="application/json")
    assert options.status_code == 200
    assert options.json()["rp"] == {"id": "localhost", "name": "Hội Tụ"} and options.json()["user"]["name"] == reporter.username
    # The library's script speaks Vietnamese too (the project's catalogue).
    catalog = browser.get(reverse("otp_webauthn:js-i18n-catalog")).content.decode()
    assert '"Registering...": "\\u0110ang \\u0111\\u0103ng k\\u00fd\\u2026"' in catalog


def test_an_unverified_session_cannot_add_a_passkey_to_an_account_with_a_factor(staff):
    editor = staff[Role.MANAGING_EDITOR]
    device = authenticator_of(editor)
    browser = sign_in_with_password(editor)
    refused = browser.post(REGISTRATION_BEGIN, HTTP_ACCEPT="application/json")
    assert refused.status_code == 403
    assert "xác minh danh tính" in refused.json()["detail"]
    assert not WebAuthnCredential.objects.filter(user=editor).exists()

    # Verified with the app, the person adds one from their account.
    assert browser.post(VERIFY, {"code": next_code(device)}).status_code == 302
    account = browser.get(reverse("wagtailadmin_account")).content.decode()
    assert reverse("workflows_two_factor:passkeys") in account
    page = browser.get(reverse("workflows_two_factor:passkeys")).content.decode()
    assert "Bạn chưa có khóa truy cập nào." in page and 'id="passkey-register-button"' in page
    assert browser.post(REGISTRATION_BEGIN, HTTP_ACCEPT="application/json").status_code == 200


def test_no_passkey_sign_in_without_the_password(staff):
    passkey_of(staff[Role.REPORTER])
    response = Client().post(AUTHENTICATION_BEGIN, HTTP_ACCEPT="application/json")
    assert response.status_code in (302, 403) and "challenge" not in response.content.decode()


def test_the_unit_admins_reset_removes_passkeys_too(client, staff):
    reporter, unit_admin = staff[Role.REPORTER], staff[Role.UNIT_ADMIN]
    authenticator_of(reporter)
    passkey_of(reporter)
    client.force_login(unit_admin)
    reset = reverse("workflows_unit_admin:staff_reset_second_factor", kwargs={"unit_slug": "taichinh", "user_id": reporter.pk})
    assert client.post(reset).status_code == 302

    assert not WebAuthnCredential.objects.filter(user=reporter).exists()
    assert not AuthenticatorApp.objects.filter(user=reporter).exists()
    # Nothing left: at the next sign-in the reporter enrols again.
    assert sign_in_with_password(reporter).get("/admin/").url.startswith(ENROL)


def test_passkeys_are_accepted_from_the_admins_address_and_the_hosts_under_their_domain(monkeypatch):
    monkeypatch.delenv("OTP_WEBAUTHN_ALLOWED_ORIGINS", raising=False)
    hosts = ["admin.toasoan.vn", "taichinh.toasoan.vn", ".toasoan.vn", "baokhac.vn", "*"]
    assert webauthn_origins("https://admin.toasoan.vn", hosts, "toasoan.vn") == ["https://admin.toasoan.vn", "https://taichinh.toasoan.vn"]
    assert webauthn_origins("https://admin.toasoan.vn", hosts, "admin.toasoan.vn") == ["https://admin.toasoan.vn"]
    monkeypatch.setenv("OTP_WEBAUTHN_ALLOWED_ORIGINS", "https://toasoan.vn, https://admin.toasoan.vn")
    assert webauthn_origins("https://admin.toasoan.vn", hosts, "toasoan.vn") == ["https://toasoan.vn", "https://admin.toasoan.vn"]


def test_a_broken_ceremony_gets_a_vietnamese_answer_not_an_error(staff):
    editor = staff[Role.EDITOR_IN_CHIEF]
    passkey_of(editor)
    browser = sign_in_with_password(editor)
    complete = reverse("otp_webauthn:credential-authentication-complete")
    # Completed without being begun, then begun and completed with rubbish.
    unbegun = browser.post(complete, {}, content_type="application/json")
    assert unbegun.status_code == 400 and "bắt đầu lại" in unbegun.json()["detail"]
    browser.post(AUTHENTICATION_BEGIN, HTTP_ACCEPT="application/json")
    for body in ("{}", "not json", '{"id": "x", "rawId": "x", "response": {}, "type": "public-key"}'):
        answer = browser.post(complete, body, content_type="application/json")
        assert 400 <= answer.status_code < 500, (body, answer.status_code)
        browser.post(AUTHENTICATION_BEGIN, HTTP_ACCEPT="application/json")
    assert browser.get("/admin/").url.startswith(VERIFY)


def test_a_passkey_counts_as_a_second_factor_in_the_account_review_and_the_evidence(newsroom, staff):
    def enrolled_count():
        two_factor = next(control for control in sign_in_controls() if control.key == "two_factor")
        return dict(two_factor.facts)["đã có bước xác thực thứ hai"]

    reporter, editor = staff[Role.REPORTER], staff[Role.EDITOR_IN_CHIEF]
    before = enrolled_count()
    passkey_of(reporter)
    authenticator_of(editor)
    reviewed = {person.pk: person.has_second_factor for person in accounts_for_review(newsroom.finance.unit)}
    assert reviewed[reporter.pk] and reviewed[editor.pk] and not reviewed[staff[Role.DESK_EDITOR].pk]
    assert enrolled_count() == before + 2


def test_a_person_removes_their_own_passkey_after_confirming_and_it_is_logged(client, staff):
    editor = staff[Role.EDITOR_IN_CHIEF]
    laptop, phone = passkey_of(editor, "Máy tính xách tay"), passkey_of(editor, "Điện thoại")
    someone_elses = passkey_of(staff[Role.REPORTER])
    client.force_login(editor)
    page = client.get(PASSKEYS).content.decode()
    assert remove_address(laptop) in page and remove_address(phone) in page and remove_address(someone_elses) not in page

    confirm = client.get(remove_address(phone)).content.decode()
    assert "Gỡ khóa truy cập “Điện thoại”?" in confirm and 'name="csrfmiddlewaretoken"' in confirm
    # Posted from elsewhere (no CSRF token): refused.
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(editor)
    assert forged.post(remove_address(phone)).status_code == 403
    # Another person's passkey does not exist here.
    assert client.get(remove_address(someone_elses)).status_code == 404
    assert client.post(remove_address(someone_elses)).status_code == 404

    done = client.post(remove_address(phone), follow=True)
    assert "Đã gỡ khóa truy cập “Điện thoại”." in done.content.decode()
    assert list(WebAuthnCredential.objects.filter(user=editor)) == [laptop]
    assert WebAuthnCredential.objects.filter(pk=someone_elses.pk).exists()
    assert second_factor_trail(editor) == [("hoitu.two_factor.passkey_removed", "Gỡ khóa truy cập", {"passkey": "Điện thoại"})]
    assert second_factor_trail(staff[Role.REPORTER]) == []


def test_the_last_passkey_of_a_person_who_must_have_a_second_factor_stays(settings, staff):
    editor = staff[Role.MANAGING_EDITOR]
    passkey = passkey_of(editor)
    code, *_others = new_recovery_codes(editor)
    # Signed in with a recovery code: no app, the passkey is all there is.
    browser = sign_in_with_password(editor)
    assert browser.post(VERIFY, {"code": code}).url == landing_url(editor)

    confirm = browser.get(remove_address(passkey)).content.decode()
    assert LAST_FACTOR in confirm and 'type="submit"' not in confirm
    refused = browser.post(remove_address(passkey), follow=True).content.decode()
    assert LAST_FACTOR in refused
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    assert "hoitu.two_factor.passkey_removed" not in [action for action, _label, _data in second_factor_trail(editor)]

    # Where this person need not have one, it goes, and the recovery codes
    # with it: nothing is left for them to stand in for.
    settings.TWO_FACTOR_REQUIRED = "off"
    assert browser.post(remove_address(passkey)).status_code == 302
    assert not WebAuthnCredential.objects.filter(user=editor).exists() and not RecoveryCodes.objects.filter(user=editor).exists()


def test_new_recovery_codes_from_the_account_need_a_verified_session(settings, client, staff):
    settings.TWO_FACTOR_REQUIRED = "publishers"
    reporter = staff[Role.REPORTER]
    passkey = passkey_of(reporter)
    old_code, *_others = new_recovery_codes(reporter)
    digests = RecoveryCodes.objects.get(user=reporter).digests

    # The password alone opens this reporter's admin, not these changes.
    password_only = sign_in_with_password(reporter)
    assert password_only.get(PASSKEYS).status_code == 200
    for answer in (password_only.post(NEW_RECOVERY_CODES), password_only.post(remove_address(passkey))):
        assert answer.status_code == 302 and answer.url == f"{VERIFY}?next=%2Fadmin%2Fsecond-factor%2Fpasskeys%2F"
    assert RecoveryCodes.objects.get(user=reporter).digests == digests and WebAuthnCredential.objects.filter(pk=passkey.pk).exists()

    client.force_login(reporter)
    assert client.get(NEW_RECOVERY_CODES).status_code == 405
    page = client.post(NEW_RECOVERY_CODES).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7-]+)</code></li>", page)
    assert len(codes) == 10 and "các mã cũ không còn dùng được" in page
    assert client.get(PASSKEYS).content.decode().count("Bạn còn 10 mã khôi phục.") == 1
    assert second_factor_trail(reporter)[-1] == ("hoitu.two_factor.recovery_codes_issued", "Cấp mã khôi phục", {"replaced": True})
    # The new codes work, the old ones no longer do.
    assert sign_in_with_password(reporter).post(VERIFY, {"code": codes[0]}).url == "/admin/"
    assert "Mã không đúng" in sign_in_with_password(reporter).post(VERIFY, {"code": old_code}).content.decode()
