"""Signing in to the admin in a real browser, as staff do it: enrolling an
authenticator app and signing in with its codes, the lockout after five
wrong passwords, the idle timeout's warning and sign-out, and the password
an administrator chose being changed before anything else opens. What the
person sees is asserted in Vietnamese, the admin's language."""

import base64
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from hoitu.settings import base as base_settings
from tests.helpers import BrowserSignIn, make_staff, make_unit
from workflows.models import AuthenticatorApp, Role

# What these add to the HTTP tests is the pages and the warning's script in
# a real browser, which the database does not change: CI runs them on the
# embedded defaults only.
pytestmark = [pytest.mark.browser, pytest.mark.once]

PASSWORD = "pw-test-123"
ADMIN = re.compile(r"/admin/$")
LOGIN = re.compile(r"/admin/login/")
VIETNAMESE = {"locale": "vi-VN", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def unit(transactional_db, django_db_serialized_rollback):
    # Serialized rollback brings back Wagtail's root page and default site,
    # which the flush after a live-server test removes.
    return make_unit("taichinh", "Thời báo Tài chính", default=True)[0]


@pytest.fixture
def base(live_server):
    # The unit's site is "localhost"; the live server listens on 127.0.0.1.
    return f"http://localhost:{urlsplit(live_server.url).port}"


def reporter(unit, username):
    return make_staff(unit, Role.REPORTER, username, first_name="Hà", last_name="Nguyễn Thu")


def submit_password(page, base, username, password):
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()


def code_at(key, step):
    """What an authenticator app holding ``key`` shows in time step ``step``."""
    totp = TOTP(key, AuthenticatorApp.STEP, 0, AuthenticatorApp.DIGITS, 0)
    totp.time = step * AuthenticatorApp.STEP
    return f"{totp.token():06d}"


def test_enrol_an_authenticator_app_then_sign_in_with_its_code(chromium, base, unit):
    reporter(unit, "tc.phongvien.moi")
    with chromium() as browser:
        page = browser.new_context(**VIETNAMESE).new_page()
        submit_password(page, base, "tc.phongvien.moi", PASSWORD)
        # No device yet: the password leads to enrolment, whatever was asked.
        expect(page).to_have_url(re.compile(r"/admin/second-factor/enrol/"))
        expect(page.locator("h1")).to_have_text("Thiết lập ứng dụng xác thực")
        expect(page.get_by_text("Không quét được? Nhập khóa này vào ứng dụng:")).to_be_visible()
        expect(page.locator("[data-hoitu-qr] svg")).to_be_visible()
        # The person types the key shown into their app.
        key = base64.b32decode(page.locator("[data-hoitu-secret]").inner_text().replace(" ", ""))
        enrolled_step = int(time.time()) // AuthenticatorApp.STEP

        # A code of another key is refused, in words.
        page.fill("#id_code", code_at(b"\x00" * 20, enrolled_step))
        page.keyboard.press("Enter")
        expect(page.locator(".messages")).to_contain_text("Mã không đúng hoặc đã hết hạn")

        # The wrong code is throttled for a second (OTP_TOTP_THROTTLE_FACTOR).
        page.wait_for_timeout(1100)
        enrolled_step = int(time.time()) // AuthenticatorApp.STEP
        page.fill("#id_code", code_at(key, enrolled_step))
        page.keyboard.press("Enter")
        expect(page.locator("h1")).to_have_text("Mã khôi phục của bạn")
        codes = page.locator("[data-hoitu-recovery-codes] li")
        expect(codes).to_have_count(10)
        page.get_by_role("link", name="Tôi đã lưu lại, tiếp tục").click()
        expect(page).to_have_url(ADMIN)
        expect(page.locator("h1")).to_contain_text("Thời báo Tài chính")

        # The account menu, under the person's name in the sidebar (Wagtail's
        # Vietnamese catalogue has no words for its sign-out button).
        sidebar = page.get_by_role("complementary")
        sidebar.get_by_role("button", name="Hà").click()
        sidebar.get_by_role("button", name="Đăng xuất").click()
        expect(page).to_have_url(LOGIN)

        # Next sign-in: the code page, never the recovery codes again. The
        # code just used is never taken twice: the app's next one is (one
        # step ahead is allowed).
        submit_password(page, base, "tc.phongvien.moi", PASSWORD)
        expect(page).to_have_url(re.compile(r"/admin/second-factor/verify/"))
        expect(page.locator("h1")).to_have_text("Bước đăng nhập thứ hai")
        page.fill("#id_code", code_at(key, enrolled_step))
        page.keyboard.press("Enter")
        expect(page.locator(".messages")).to_contain_text("Mã không đúng hoặc đã hết hạn")
        page.wait_for_timeout(1100)
        page.fill("#id_code", code_at(key, max(int(time.time()) // AuthenticatorApp.STEP, enrolled_step + 1)))
        page.keyboard.press("Enter")
        expect(page).to_have_url(ADMIN)
        expect(page.locator("h1")).to_contain_text("Thời báo Tài chính")


def test_five_wrong_passwords_lock_the_sign_in_and_an_unknown_name_reads_the_same(chromium, base, unit, settings):
    """Each person signs in from their own address (as a proxy in front of
    the site tells it), so the unknown name's lock is its own, not the
    address's."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    reporter(unit, "tc.phongvien")
    sign_in = BrowserSignIn(PASSWORD, make_staff(unit, Role.DESK_EDITOR, "tc.bientap"))
    with chromium() as browser:
        seen = {}
        for username, address in (("tc.phongvien", "192.0.2.10"), ("khong-ai-co-ten-nay", "203.0.113.30")):
            page = browser.new_context(**VIETNAMESE, extra_http_headers={"X-Forwarded-For": address}).new_page()
            for _attempt in range(4):
                submit_password(page, base, username, "sai-mat-khau-1")
                expect(page.locator(".messages")).to_contain_text("hoặc mật khẩu. Vui lòng thử lại")
                expect(page.locator(".messages")).not_to_contain_text("Đăng nhập sai quá nhiều lần")
            submit_password(page, base, username, "sai-mat-khau-1")
            expect(page.locator(".messages")).to_contain_text("Đăng nhập sai quá nhiều lần")
            # The right password no longer opens it.
            submit_password(page, base, username, PASSWORD)
            expect(page).to_have_url(LOGIN)
            seen[username] = page.locator(".messages").inner_text()
            expect(page.locator("#id_username")).to_be_visible()
        assert seen["tc.phongvien"] == seen["khong-ai-co-ten-nay"]
        assert "Việc đăng nhập bị tạm khóa trong 30 phút" in seen["tc.phongvien"]
        # Someone else, from their own address, still signs in.
        page = browser.new_context(**VIETNAMESE, extra_http_headers={"X-Forwarded-For": "198.51.100.21"}).new_page()
        sign_in(page, base, "tc.bientap")
        # A desk editor starts on their queue: the board's column of the desk step.
        expect(page).to_have_url(re.compile(r"/admin/workflows/board/taichinh/\?column=task-\d+$"))


def test_the_idle_warning_keeps_the_session_and_left_alone_it_ends(chromium, base, unit, settings):
    """Nine idle seconds instead of fifteen minutes, the warning six seconds
    before the end instead of two minutes."""
    settings.SESSION_IDLE_MINUTES = 0.15
    settings.SESSION_IDLE_WARNING_SECONDS = 6
    idle = settings.SESSION_IDLE_MINUTES * 60
    sign_in = BrowserSignIn(PASSWORD, reporter(unit, "tc.phongvien"))
    with chromium() as browser:
        page = browser.new_context(**VIETNAMESE).new_page()
        signed_in_by = time.time()  # the session's last activity is the sign-in
        sign_in(page, base, "tc.phongvien")
        warning = page.get_by_role("alertdialog")
        expect(warning).to_contain_text("Phiên làm việc sẽ hết hạn sau 1 phút nếu không hoạt động", timeout=idle * 1000)
        warning.get_by_role("button", name="Tiếp tục làm việc").click()
        expect(warning).to_be_hidden()
        kept_at = time.time()
        # Past the end the session had without the click (and the warning's
        # next check): still the dashboard, and the warning comes back.
        page.wait_for_timeout(max(0, signed_in_by + idle + 3 - time.time()) * 1000)
        expect(page).to_have_url(ADMIN)
        expect(warning).to_be_visible()
        # Left alone, the page goes to the sign-in with the reason.
        expect(page).to_have_url(LOGIN, timeout=(idle + 5) * 1000)
        assert time.time() > kept_at + idle
        expect(page.locator(".messages")).to_contain_text("Phiên làm việc đã hết hạn do không hoạt động")
        expect(page.locator("#id_username")).to_be_visible()
        # The page it was on is where the sign-in leads back.
        assert parse_qs(urlsplit(page.url).query)["next"] == ["/admin/"]


def test_a_password_set_by_an_administrator_is_changed_before_the_admin_opens(chromium, base, unit, settings):
    settings.AUTH_PASSWORD_VALIDATORS = base_settings.AUTH_PASSWORD_VALIDATORS
    person = reporter(unit, "tc.ctv.moi")
    type(person).objects.filter(pk=person.pk).update(must_change_password=True)
    sign_in = BrowserSignIn(PASSWORD, person)
    notice = "Mật khẩu của bạn do quản trị viên đặt: hãy đổi sang mật khẩu của riêng bạn trước khi tiếp tục."
    with chromium() as browser:
        page = browser.new_context(**VIETNAMESE).new_page()
        submit_password(page, base, "tc.ctv.moi", PASSWORD)
        page.fill("#id_code", sign_in.code("tc.ctv.moi"))
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"/admin/account/#password$"))
        expect(page.locator(".messages")).to_contain_text(notice)
        # The dashboard, or any other page, is not open yet.
        for address in ("/admin/", "/admin/pages/"):
            page.goto(base + address)
            expect(page).to_have_url(re.compile(r"/admin/account/#password$"))
            expect(page.locator(".messages")).to_contain_text(notice)

        def choose(new):
            page.fill("#id_password-old_password", PASSWORD)
            page.fill("#id_password-new_password1", new)
            page.fill("#id_password-new_password2", new)
            page.locator("form button[type=submit]").last.click()
            page.wait_for_load_state()

        choose("ab12")
        expect(page.locator(".error-message")).to_contain_text("Mật khẩu cần ít nhất 8 ký tự gồm ít nhất hai loại")
        expect(page).to_have_url(re.compile(r"/admin/account/"))
        choose("Bai-viet-dau-tien-2026")
        page.goto(f"{base}/admin/")
        expect(page).to_have_url(ADMIN)
        expect(page.locator("h1")).to_contain_text("Thời báo Tài chính")
