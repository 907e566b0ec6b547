"""A reader's journey in a real browser, on both units, on a phone and on a
desktop: home → section → article → search without diacritics, plus the
section's RSS feed; on the unit that takes readers' comments, a comment
sent from the story's page, and the story shared to Zalo (through the
phone's share sheet, or its link copied on a computer) without a script
from Zalo."""

import re
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
from playwright.sync_api import expect

from assets.models import ArchiveImage
from assets.text import fold
from reader_comments.models import CommentState, ReaderComment
from reader_comments.services import set_open
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


def stop(unit, section, article, port, comments=False):
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
        "comments": comments,
    }


def share(page, url, viewport):
    """The story's own address (its canonical one) goes to Zalo."""
    page.get_by_role("button", name="Zalo").click()
    if viewport == "phone":
        page.wait_for_function("() => window.sharedWith !== undefined")
        assert page.evaluate("() => window.sharedWith.url") == url
    else:
        expect(page.locator("[data-share-note]")).to_contain_text("Đã chép liên kết")
        assert page.evaluate("() => navigator.clipboard.readText()") == url


def comment(page, plan):
    """A reader comments from the story's page: the browser's own post (its
    Origin) is what the site takes."""
    expect(page.locator("#binh-luan")).to_contain_text("Chưa có bình luận nào")
    page.fill("#comment-name", "Bạn đọc Hà Nội")
    page.fill("#comment-text", "Cảm ơn tòa soạn, bài viết rất dễ hiểu.")
    page.get_by_role("button", name="Gửi bình luận").click()
    expect(page.locator("#comment-sent")).to_be_visible()
    expect(page.locator("h1")).to_have_text(plan["title"])
    page.go_back()
    expect(page.locator("#binh-luan")).to_contain_text("Chưa có bình luận nào")  # waiting for the editors


def journey(browser, plan, viewport, artifacts):
    base = plan["base"]
    context = browser.new_context(viewport=VIEWPORTS[viewport], is_mobile=viewport == "phone", has_touch=viewport == "phone", locale="vi-VN")
    if viewport == "phone":
        # The phone's share sheet (Chromium on Linux has none): what the page hands it.
        context.add_init_script("navigator.share = async (data) => { window.sharedWith = data; };")
    else:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
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
        share(page, page.locator("link[rel=canonical]").get_attribute("href"), viewport)
        if plan["comments"]:
            comment(page, plan)
        else:
            expect(page.locator("#comment-form")).to_have_count(0)

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
    set_open(finance.unit, True, None)
    plans = [stop(finance.unit, finance.economy, finance.rail, port, comments=True), stop(province.unit, province.news, province.bus, port)]
    with chromium() as browser:
        for plan in plans:
            journey(browser, plan, viewport, artifacts)
    waiting = ReaderComment.objects.get()
    assert (waiting.story_id, waiting.name, waiting.state) == (finance.rail.pk, "Bạn đọc Hà Nội", CommentState.PENDING)
