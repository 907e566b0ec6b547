"""A reader's journey in a real browser, on both units, on a phone and on a
desktop: home → section → article → search without diacritics, plus the
section's RSS feed."""

import re
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
from playwright.sync_api import expect

from assets.models import ArchiveImage
from assets.text import fold
from tests.helpers import build_newsroom, path

# What these add to the other tests is the pages in a real browser, which the
# database does not change: CI runs them on the embedded defaults only.
pytestmark = [pytest.mark.browser, pytest.mark.once]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture
def newsroom(transactional_db, django_db_serialized_rollback):
    # Serialized rollback brings back the root page and default site from
    # Wagtail's migrations, which the flush after a live-server test removes.
    built = build_newsroom()
    yield built
    # Wagtail removes the image files once the deletion commits.
    for image in ArchiveImage.objects.all():
        image.delete()


def assert_pictures_loaded(page, minimum):
    """Every <picture> in the main content really shows an image."""
    pictures = page.locator("main picture img")
    assert pictures.count() >= minimum
    for index in range(pictures.count()):
        img = pictures.nth(index)
        img.scroll_into_view_if_needed()  # lazy images load when they come near the viewport
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle(), timeout=15_000)
        # Chromium takes the AVIF <source>, not the JPEG fallback.
        assert img.evaluate("img => img.currentSrc").endswith(".avif")


def stop(unit, section, article, port):
    """What the reader will look for on one unit, as plain values (no
    database access once the browser runs)."""
    return {
        "unit": unit.slug,
        "base": f"http://{unit.site.hostname}:{port}",
        "name": unit.name,
        "language": unit.language,
        "section_title": section.title,
        "section_path": path(section),
        "title": article.title,
        "sapo": article.sapo,
        "article_path": path(article),
    }


def journey(browser, plan, viewport, artifacts):
    base = plan["base"]
    context = browser.new_context(viewport=VIEWPORTS[viewport], is_mobile=viewport == "phone", has_touch=viewport == "phone", locale="vi-VN")
    page = context.new_page()
    failures = []
    page.on("response", lambda response: response.status >= 400 and failures.append(f"{response.status} {response.url}"))
    page.on("pageerror", lambda error: failures.append(f"script error: {error}"))
    try:
        page.goto(base + "/")
        expect(page).to_have_title(re.compile(re.escape(plan["name"])))
        expect(page.locator("html")).to_have_attribute("lang", plan["language"])
        assert_pictures_loaded(page, minimum=1)

        page.locator("header nav").get_by_role("link", name=plan["section_title"], exact=True).click()
        expect(page).to_have_url(base + plan["section_path"])
        expect(page.locator("h1")).to_have_text(plan["section_title"])

        # The section's feed, as a feed reader would find it (fetched by the
        # browser, which resolves *.localhost itself).
        rss_href = page.locator("head link[rel=alternate][type='application/rss+xml']").get_attribute("href")
        feed = feedparser.parse(page.evaluate("url => fetch(url).then(r => r.text())", urljoin(page.url, rss_href)))
        assert not feed.bozo
        assert plan["title"] in [entry.title for entry in feed.entries]

        page.locator("main").get_by_role("link", name=plan["title"], exact=True).first.click()
        expect(page).to_have_url(base + plan["article_path"])
        expect(page.locator("h1")).to_have_text(plan["title"])
        expect(page.locator("main")).to_contain_text(plan["sapo"])
        assert_pictures_loaded(page, minimum=1)
        page.screenshot(path=artifacts / f"{plan['unit']}-{viewport}-article.png", full_page=True)

        typed = fold(plan["title"])
        assert typed.isascii()
        search_box = page.locator("input[name=q]").first
        search_box.fill(typed)
        search_box.press("Enter")
        expect(page).to_have_url(re.compile(r"/search/\?q="))
        result = page.locator("main").get_by_role("link", name=plan["title"], exact=True)
        expect(result).to_be_visible()
        expect(result.locator("mark").first).to_be_visible()
        page.screenshot(path=artifacts / f"{plan['unit']}-{viewport}-search.png", full_page=True)

        result.click()
        expect(page.locator("h1")).to_have_text(plan["title"])
        assert failures == []
    finally:
        context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_reader_journey_on_both_units(chromium, live_server, newsroom, viewport, artifacts):
    port = urlsplit(live_server.url).port
    finance, province = newsroom.finance, newsroom.province
    plans = [stop(finance.unit, finance.economy, finance.rail, port), stop(province.unit, province.news, province.bus, port)]
    with chromium() as browser:
        for plan in plans:
            journey(browser, plan, viewport, artifacts)
