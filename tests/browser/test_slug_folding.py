"""A headline typed in the page editor gets the address the server would
give it (assets.text.ascii_slug): "đ" → "d", every tone stripped, never a
letter dropped. Wagtail's own slug script made "kho-bc-thu-chi-djm-bo" of
"Kho bạc: thu chi đảm bảo", and that address went out to the channels."""

import pytest
from playwright.sync_api import expect

from assets.text import ascii_slug
from tests.helpers import BrowserSignIn, build_newsroom, make_staff
from workflows.models import Role

pytestmark = [pytest.mark.browser]

PASSWORD = "pw-test-123"
HEADLINES = [
    "Kho bạc: thu chi đảm bảo – Đường sắt Bắc–Nam",
    "Ổn định giá xăng dầu, hỗ trợ ngư dân vươn khơi",
    "Ước tính: lũ quét ở Điện Biên, Yên Bái; ứng phó ngay!",
    "ả ã á ạ à ẳ ẵ ắ ặ ằ ẩ ẫ ấ ậ ầ ẻ ẽ é ẹ è ể ễ ế ệ ề ỉ ĩ í ị ì ỏ õ ó ọ ò ổ ỗ ố ộ ồ ở ỡ ớ ợ ờ ủ ũ ú ụ ù ử ữ ứ ự ừ ỷ ỹ ý ỵ ỳ Đ đ",
]


@pytest.fixture
def writer(transactional_db, django_db_serialized_rollback):
    newsroom = build_newsroom()
    return newsroom.finance.economy, make_staff(newsroom.finance.unit, Role.REPORTER, "tc.duongdan")


def test_a_headline_typed_in_the_editor_gets_the_servers_address(chromium, live_server, writer, artifacts):
    section, reporter = writer
    sign_in = BrowserSignIn(PASSWORD, reporter)
    with chromium() as browser:
        context = browser.new_context()
        page = context.new_page()
        failures = []
        page.on("pageerror", lambda error: failures.append(f"script error: {error}"))
        try:
            sign_in(page, live_server.url, reporter.username)
            for headline in HEADLINES:
                page.goto(f"{live_server.url}/admin/pages/add/newsroom/articlepage/{section.pk}/")
                page.locator("#id_title").fill(headline)
                page.locator("#id_title").blur()
                expect(page.locator("#id_slug")).to_have_value(ascii_slug(headline))
            assert failures == [], failures
        except Exception:
            page.screenshot(path=str(artifacts / "slug-folding.png"), full_page=True)
            raise
        finally:
            context.close()
