"""The first readers after a fresh start (``make run`` seeds without
renditions, the media worker makes them meanwhile): every page answers at
once with the pictures shown, their originals standing in, and once the
worker is done the same pages offer AVIF."""

from urllib.parse import urlsplit

import pytest

from assets.models import ArchiveImage, ArchiveRendition
from assets.services import generate_renditions
from relay.models import QueuedTask
from tests.helpers import image_block, make_article, make_image, make_section, make_unit, paragraph, path

pytestmark = [pytest.mark.browser, pytest.mark.once]


@pytest.fixture
def fresh_site(transactional_db, django_db_serialized_rollback):
    unit, home = make_unit("taichinh", "Thời báo Tài chính", default=True)
    section = make_section(home, "Kinh tế")
    cover = make_image("Cầu Thăng Long", size=(1280, 720))
    photo = make_image("Công trường", color=(30, 90, 160), size=(1280, 720))
    article = make_article(
        section,
        title="Cầu Thăng Long sửa xong mặt đường",
        body=[paragraph("Mặt cầu mới được rải xong sau 4 tháng."), image_block(photo, caption="Công nhân trên mặt cầu")],
        cover_image=cover,
    )
    yield {"home": "/", "article": path(article), "images": [cover.pk, photo.pk]}
    for image in ArchiveImage.objects.all():  # Wagtail removes the files once the deletion commits
        image.delete()


def visit(browser, url):
    """Open ``url`` on a phone: the main pictures' sources, once each has
    loaded, and the page's time to its load event."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="vi-VN")
    page = context.new_page()
    failures = []
    page.on("response", lambda response: response.status >= 400 and failures.append(f"{response.status} {response.url}"))
    try:
        page.goto(url)
        pictures = page.locator("main img")
        sources = []
        for index in range(pictures.count()):
            img = pictures.nth(index)
            img.scroll_into_view_if_needed()
            page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle(), timeout=15_000)
            sources.append(img.evaluate("img => img.currentSrc"))
        load_ms = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
        assert failures == [], failures
        return sources, load_ms
    finally:
        context.close()


def test_pictures_show_at_once_before_their_renditions_are_made(chromium, live_server, fresh_site):
    base = f"http://localhost:{urlsplit(live_server.url).port}"

    with chromium() as browser:
        before = {name: visit(browser, base + fresh_site[name]) for name in ("home", "article")}

    for name, (sources, load_ms) in before.items():
        assert sources and all("/original_images/" in src for src in sources), (name, sources)
        # Nothing was encoded for the reader: the page came at once.
        assert load_ms < 3_000, (name, load_ms)
    assert not ArchiveRendition.objects.filter(image_id__in=fresh_site["images"]).exists()

    # The media worker does what the pages asked of it.
    asked = [row.args for row in QueuedTask.objects.filter(task="assets.tasks.generate_renditions")]
    assert {args[0] for args in asked} >= set(fresh_site["images"])
    for args in asked:
        generate_renditions(*args)

    with chromium() as browser:
        sources, _load_ms = visit(browser, base + fresh_site["article"])
    assert sources and all(src.endswith(".avif") for src in sources), sources
