"""A passkey as the second factor, in Chromium with a virtual authenticator
(the platform's, with user verification, as a phone's or laptop's screen
lock): registered at enrolment, then used after the password to reach the
admin's dashboard. The sign-in steps run under the public pages' strict
Content-Security-Policy and load no script it refuses."""

import re

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from audit.models import AuditEvent
from tests.helpers import make_staff, make_unit
from workflows.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.once]

PASSWORD = "pw-test-123"
LISTEN = """
document.addEventListener("securitypolicyviolation", (e) => window.cspViolation(
  `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.documentURI}`));
"""
AUTHENTICATOR = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
}


@pytest.fixture
def reporter(transactional_db, django_db_serialized_rollback):
    unit, _home = make_unit("taichinh", "Thời báo Tài chính", default=True)
    return make_staff(unit, Role.REPORTER, "tc.phongvien", first_name="Bình", last_name="Trần")


def sign_in_with_password(page, base):
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "tc.phongvien")
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()


def test_register_a_passkey_then_sign_in_with_it(chromium, live_server, reporter, settings):
    base = live_server.url
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [base]
    # The sign-in steps under the strict policy, as for a visitor.
    settings.CSP_ADMIN_DIRECTIVES = django_settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    violations = []
    with chromium() as browser:
        context = browser.new_context(locale="vi-VN")
        context.expose_function("cspViolation", lambda violation: violations.append(violation))
        context.add_init_script(LISTEN)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("WebAuthn.enable")
        authenticator = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": AUTHENTICATOR})["authenticatorId"]

        sign_in_with_password(page, base)
        page.wait_for_url("**/admin/second-factor/enrol/**")
        page.get_by_role("button", name="Đăng ký khóa truy cập").click()
        # Registered: the recovery codes, shown this once.
        page.wait_for_url("**/admin/second-factor/passkeys/registered/**")
        expect(page.locator("h1")).to_have_text("Mã khôi phục của bạn")
        expect(page.locator("[data-hoitu-recovery-codes] li")).to_have_count(10)
        assert len(cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]) == 1
        page.get_by_role("link", name="Tôi đã lưu lại, tiếp tục").click()
        page.wait_for_url(f"{base}/admin/")

        context.clear_cookies()
        sign_in_with_password(page, base)
        page.wait_for_url("**/admin/second-factor/verify/**")
        page.get_by_role("button", name="Dùng khóa truy cập (passkey)").click()
        page.wait_for_url(f"{base}/admin/")
        # The dashboard, with the admin's sidebar: no sign-in step any more.
        expect(page.locator("#wagtail-sidebar")).to_be_attached()
        expect(page.locator("body")).not_to_have_class(re.compile(r"\blogin\b"))
        page_violations = [v for v in violations if "/second-factor/" in v]

    assert not page_violations, page_violations
    # On the audit trail: the passkey, then the codes it came with.
    events = AuditEvent.objects.filter(actor=reporter, action__startswith="hoitu.two_factor").order_by("pk")
    assert [event.action for event in events] == ["hoitu.two_factor.passkey_registered", "hoitu.two_factor.recovery_codes_issued"]
