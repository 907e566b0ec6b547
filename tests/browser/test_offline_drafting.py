"""A reporter on a phone loses the connection while writing: the editor
says so and keeps the draft in the browser, a reload without a connection
still shows the editor and the kept draft, and when the connection comes
back the draft is on the server; signing out leaves nothing behind."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from newsroom.models import ArticlePage
from tests.helpers import BrowserSignIn, build_newsroom, make_author, make_staff, story_draft
from workflows.models import Role

# What this adds to the other tests is the browser's own storage, cache and
# network, which the database does not change: CI runs it on the embedded
# defaults only.
pytestmark = [pytest.mark.browser, pytest.mark.once]

PASSWORD = "pw-test-123"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "vi-VN"}
OFFLINE_LINE = " Đoạn này viết lúc mất sóng trên đèo."
AFTER_RELOAD = " Thêm câu sau khi tải lại."


@pytest.fixture
def draft(transactional_db, django_db_serialized_rollback, settings):
    # The tests' SQLite database takes one writer at a time: the editor's
    # background ping would race the autosaves under test.
    settings.WAGTAIL_EDITING_SESSION_PING_INTERVAL = 10 * 60 * 1000
    newsroom = build_newsroom()
    reporter = make_staff(newsroom.finance.unit, Role.REPORTER, "tc.phongvien", first_name="Hà", last_name="Nguyễn Thu")
    author = make_author("Nguyễn Thu Hà", user=reporter)
    story = story_draft(newsroom.finance.economy, reporter, title="Đèo Bảo Lộc sạt lở sau mưa lớn", author=author)
    return story, reporter


def test_a_draft_written_offline_survives_a_reload_and_reaches_the_server(chromium, live_server, draft, artifacts):
    story, reporter = draft
    sign_in = BrowserSignIn(PASSWORD, reporter)
    base = f"http://localhost:{urlsplit(live_server.url).port}"
    editor = f"{base}/admin/pages/{story.pk}/edit/"
    with chromium() as browser:
        context = browser.new_context(**PHONE)
        page = context.new_page()
        failures = []
        page.on("pageerror", lambda error: failures.append(f"script error: {error}"))
        sign_in(page, base, reporter.username)
        page.goto(editor)
        # The worker takes charge of the editor, and keeps it as it loads again.
        page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=15_000)
        page.reload()
        page.wait_for_load_state("networkidle")
        banner = page.locator(".hoitu-offline")
        expect(banner).to_be_hidden()
        page.wait_for_timeout(2_500)
        context.set_offline(True)
        sapo = page.locator("#id_sapo")
        sapo.click()
        sapo.press("Control+End")
        sapo.type(OFFLINE_LINE)
        expect(banner).to_contain_text("Mất kết nối")
        page.wait_for_timeout(1_000)  # kept a moment after the last key
        # Kept for this person and this story only.
        kept = page.evaluate("Object.keys(localStorage).filter((key) => key.startsWith('hoitu-draft:'))")
        assert kept == [f"hoitu-draft:{reporter.pk}:/admin/pages/{story.pk}/edit/"]
        page.screenshot(path=artifacts / "offline-drafting-no-connection.png")

        # Reloaded with no connection: the editor, and the draft kept here.
        page.reload()
        expect(page.locator("#id_sapo")).to_be_attached()
        expect(banner).to_contain_text("đang được giữ trong trình duyệt")
        page.screenshot(path=artifacts / "offline-drafting-reloaded.png")

        # Back online: saved, and the editor shows it.
        context.set_offline(False)
        expect(page.locator("#id_sapo")).to_have_value(f"{story.sapo}{OFFLINE_LINE}", timeout=20_000)
        expect(banner).to_be_hidden()

        # Online again the editor autosaves as before (Wagtail looks for
        # changes from two seconds after the page opens).
        page.wait_for_timeout(2_500)
        page.locator("#id_sapo").press("Control+End")
        page.locator("#id_sapo").type(AFTER_RELOAD)
        expect(page.locator("#w-autosave-indicator")).to_have_attribute("data-w-autosave-state-value", "saved", timeout=20_000)
        assert page.evaluate("Object.keys(localStorage).filter((key) => key.startsWith('hoitu-draft:'))") == []

        # Signing out leaves no kept pages behind on this phone.
        page.evaluate("localStorage.setItem('hoitu-draft:0:/admin/pages/0/edit/', '{}')")
        page.goto(f"{base}/admin/")
        page.get_by_role("button", name="Mở/đóng thanh bên").click()
        page.get_by_role("complementary").get_by_role("button", name="Hà").click()
        page.get_by_role("complementary").get_by_role("button", name="Đăng xuất").click()
        page.wait_for_url("**/admin/login/**")
        assert page.evaluate("Object.keys(localStorage).filter((key) => key.startsWith('hoitu-draft:'))") == []
        assert page.evaluate("caches.keys()") == []
        context.close()
    assert failures == []

    saved = ArticlePage.objects.get(pk=story.pk).get_latest_revision_as_object()
    assert saved.sapo == f"{story.sapo}{OFFLINE_LINE}{AFTER_RELOAD}"
