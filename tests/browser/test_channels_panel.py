"""The story editor's Channels tab in a real browser: typing a headline for
X updates its counter (counted X's way: a link weighs 23) and the post's
preview at once, and the status list follows a delivery live while the
engine sends it."""

import re
import threading
from urllib.parse import urlsplit

import pytest
from django.db import connection
from playwright.sync_api import expect
from wagtail.users.models import UserProfile

from assets.models import ArchiveImage
from publishing import services
from publishing.adapters.base import story_url
from publishing.adapters.x import weighted_length
from publishing.models import ChannelCopy, Delivery
from tests.helpers import BrowserSignIn, build_newsroom, make_article, make_staff
from tests.publishing.conftest import make_channel
from workflows.models import Role

# What these add to the other tests is the pages in a real browser, which the
# database does not change: CI runs them on the embedded defaults only.
pytestmark = [pytest.mark.browser, pytest.mark.once]

PASSWORD = "pw-test-123"
HEADLINE = "Giá vàng lập đỉnh mới, người dân xếp hàng từ sáng sớm"


@pytest.fixture
def newsroom(transactional_db, django_db_serialized_rollback):
    # As in the editorial browser tests: Wagtail's root page and default site
    # come back after the live server's flush.
    built = build_newsroom()
    yield built
    for image in ArchiveImage.objects.all():
        image.delete()


@pytest.fixture
def fake_platforms():
    from demo.fakes.server import FakePlatforms

    with FakePlatforms() as server:
        yield server


@pytest.fixture(autouse=True)
def _one_writer_at_a_time(settings):
    # The in-memory SQLite database refuses a write while another thread
    # writes; the editor's background ping would race the engine's writes.
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        settings.WAGTAIL_EDITING_SESSION_PING_INTERVAL = 10 * 60 * 1000


def in_another_thread(work):
    """Run ORM work outside Playwright's event loop (Django refuses ORM calls
    in a thread running one), the way a Celery worker would."""
    errors = []

    def run():
        try:
            work()
        except Exception as error:  # reported to the test below
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    assert not errors, errors


def test_counters_preview_and_live_status(chromium, live_server, newsroom, fake_platforms, artifacts):
    unit = newsroom.finance.unit
    editor = make_staff(unit, Role.MANAGING_EDITOR, "tc.thuky", first_name="Châu", last_name="Lê")
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    telegram = make_channel(unit, "telegram", fake_platforms, name="Telegram Tài chính")
    x = make_channel(unit, "x", fake_platforms, name="X Tài chính", auto_publish=False)
    story = make_article(
        newsroom.finance.economy, title="Giá vàng hôm nay tăng mạnh", sapo="Giá vàng miếng tăng hai triệu đồng mỗi lượng.",
        authors=[newsroom.reporter], publish=False,
    )
    story.channel_copies.add(ChannelCopy(channel=x, include=ChannelCopy.Include.NEVER))
    story.save_revision().publish()
    delivery = Delivery.objects.get(story=story, channel=telegram)
    assert delivery.state == "pending" and not Delivery.objects.filter(channel=x).exists()
    expected = weighted_length(f"{HEADLINE}\n\n{story.social_description}\n\n{story_url(story)}")
    # Another story the platform refused, for the dashboard's keyboard check.
    newsroom.finance.budget.save_revision().publish()
    refused = Delivery.objects.get(story=newsroom.finance.budget, channel=telegram)
    fake_platforms.inject(platform="telegram", status=400, body={"ok": False, "error_code": 400, "description": "Bad Request: chat not found"})
    services.process(refused.pk)
    fake_platforms.clear_faults()
    assert Delivery.objects.get(pk=refused.pk).state == "failed"

    base = f"http://localhost:{urlsplit(live_server.url).port}"
    failures = []
    sign_in = BrowserSignIn(PASSWORD, editor)
    with chromium() as browser:
        context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.on("pageerror", lambda error: failures.append(f"script error: {error}"))
        page.on("response", lambda r: r.status >= 500 and failures.append(f"{r.status} {r.url}"))
        sign_in(page, base, editor.username)

        page.goto(f"{base}/admin/pages/{story.pk}/edit/")
        page.get_by_role("tab", name="Channels").click()
        status = page.locator("#hoitu-channel-status")
        row = status.locator(f'tr[data-delivery="{delivery.pk}"]')
        expect(row).to_have_attribute("data-state", "pending")
        expect(status.locator("[data-hoitu-live]")).to_contain_text("Updating")

        # The X entry: choose "send", type a headline; the counter and the
        # preview follow each keystroke.
        copy = page.locator('[data-hoitu-copy="channel_copies-0"]')
        page.select_option("#id_channel_copies-0-include", "always")
        headline = page.locator("#id_channel_copies-0-headline")
        headline.fill("")
        headline.press_sequentially(HEADLINE[:20])
        expect(copy.locator("[data-hoitu-preview-headline]")).to_have_text(HEADLINE[:20])
        headline.fill(HEADLINE)
        counter = copy.locator(".hoitu-counter")
        expect(counter).to_have_attribute("data-count", str(expected))
        expect(counter).to_contain_text(f"{expected} / 280")
        expect(copy.locator("[data-hoitu-preview-headline]")).to_have_text(HEADLINE)
        expect(copy.locator(".hoitu-preview")).to_have_class("hoitu-preview hoitu-preview--x")
        # A very long headline goes over: said in words, not only in colour.
        headline.fill(HEADLINE * 6)
        expect(counter).to_have_class("hoitu-counter hoitu-counter--over")
        expect(counter).to_contain_text("over the limit")
        # Keyboard: the counter is announced with the field it counts.
        assert "hoitu-copy-channel_copies-0" in (headline.get_attribute("aria-describedby") or "")

        # The engine sends the story to Telegram: the status follows live.
        in_another_thread(lambda: services.process(delivery.pk))
        expect(row).to_have_attribute("data-state", "delivered", timeout=15000)
        expect(status.locator(f'tr[data-delivery="{delivery.pk}"] a')).to_have_attribute("href", re.compile(r"^https://t\.me/kenhthu/\d+$"))
        expect(status.locator("[data-hoitu-live]")).to_contain_text("settled")
        headline.fill(HEADLINE)
        page.screenshot(path=str(artifacts / "channels-tab.png"))
        copy.screenshot(path=str(artifacts / "channels-tab-x-preview.png"))

        # The dashboard works from the keyboard: the refused delivery is
        # retried with a real button.
        page.goto(f"{base}/admin/publishing/dashboard/{unit.slug}/?state=failed")
        failed_row = page.locator(f'#hoitu-deliveries tr[data-delivery="{refused.pk}"]')
        expect(failed_row).to_contain_text("chat not found")
        failed_row.get_by_role("button", name="Retry").focus()
        page.keyboard.press("Enter")
        expect(page.locator(".messages")).to_contain_text("will be sent again")
        page.goto(f"{base}/admin/publishing/dashboard/{unit.slug}/")
        expect(page.locator(f'#hoitu-deliveries tr[data-delivery="{refused.pk}"]')).to_have_attribute("data-state", "pending")
        page.screenshot(path=str(artifacts / "publishing-dashboard.png"), full_page=True)
        context.close()

    assert not failures, failures
    delivery.refresh_from_db()
    assert delivery.state == "delivered" and delivery.remote_url.startswith("https://t.me/kenhthu/")
    assert Delivery.objects.get(pk=refused.pk).state == "pending"
