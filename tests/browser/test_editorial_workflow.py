"""The editorial chain in a real browser, through the real Wagtail admin: a
reporter writes a story on a phone (with a photo uploaded from a file) and
submits it; the desk editor approves, the managing editor sends it back once
with a comment, the reporter fixes it and resubmits, and after the managing
editor's and the editor-in-chief's approvals the story is on the unit's
public site."""

import re
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect
from wagtail.models import WorkflowState
from wagtail.users.models import UserProfile

from assets.models import ArchiveImage
from newsroom.models import ArticlePage, Author
from tests.helpers import build_newsroom, make_staff, path, story_draft
from workflows.models import Notification, NotificationKind, Role

pytestmark = pytest.mark.browser

PASSWORD = "pw-test-123"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
SEND_BACK_COMMENT = "Thiếu nguồn số liệu ở đoạn hai, đề nghị bổ sung."


@pytest.fixture
def newsroom(transactional_db, django_db_serialized_rollback):
    # Serialized rollback brings back the root page and default site from
    # Wagtail's migrations, which the flush after a live-server test removes.
    built = build_newsroom()
    yield built
    # Wagtail removes the image files once the deletion commits.
    for image in ArchiveImage.objects.all():
        image.delete()


def person(unit, role, username, full_name, section=None):
    family, given = full_name.split(" ", 1)
    user = make_staff(unit, role, username, section=section, first_name=given, last_name=family)
    # Labels are asserted in English: the Vietnamese catalogue is produced
    # separately and its wording may change.
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def desk(newsroom):
    """The staff of both units' chains: reporters with their bylines, a desk
    editor, a managing editor and an editor-in-chief each."""
    people = {}
    for key, unit in (("finance", newsroom.finance.unit), ("province", newsroom.province.unit)):
        staff = SimpleNamespace(
            reporter=person(unit, Role.REPORTER, f"{unit.slug}.phongvien", "Nguyễn Thu Hà"),
            desk_editor=person(unit, Role.DESK_EDITOR, f"{unit.slug}.bientap", "Trần Quốc Bảo"),
            managing_editor=person(unit, Role.MANAGING_EDITOR, f"{unit.slug}.thuky", "Lê Minh Châu"),
            editor_in_chief=person(unit, Role.EDITOR_IN_CHIEF, f"{unit.slug}.tongbientap", "Phạm Văn Đức"),
        )
        staff.byline = Author.objects.create(name=f"Nguyễn Thu Hà ({unit.slug})", user=staff.reporter)
        people[key] = staff
    return SimpleNamespace(**people)


def photo_file(directory):
    picture = Image.new("RGB", (1200, 800), (30, 90, 160))
    ImageDraw.Draw(picture).ellipse([300, 200, 900, 600], fill=(240, 200, 40))
    target = directory / "cho-noi-cai-rang.jpg"
    picture.save(target, "JPEG", quality=80)
    return target


class Admin:
    """One person's browser context on the admin, with the page errors and
    failed requests it saw."""

    def __init__(self, browser, base, username, device):
        self.base = base
        self.context = browser.new_context(locale="en-GB", **device)
        self.page = self.context.new_page()
        self.failures = []
        self.page.on("response", lambda r: r.status >= 500 and self.failures.append(f"{r.status} {r.url}"))
        self.page.on("pageerror", lambda error: self.failures.append(f"script error: {error}"))
        self.page.goto(f"{base}/admin/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.locator("form button[type=submit]").click()
        expect(self.page).to_have_url(f"{base}/admin/")

    def goto(self, url):
        self.page.goto(self.base + url)
        self.page.wait_for_load_state("networkidle")

    def footer_action(self, name):
        """Runs an action of the editor's footer menu (the primary button or
        one from its drop-down)."""
        footer = self.page.locator("footer")
        button = footer.locator(f"button[name={name}]")
        if not button.is_visible():
            footer.locator("[data-w-dropdown-target=toggle]").last.click()
        expect(button).to_be_visible()
        button.click()

    def close(self):
        self.context.close()
        assert self.failures == []


def write_story(admin, section_id, story, photo):
    page = admin.page
    admin.goto(f"/admin/pages/add/newsroom/articlepage/{section_id}/")
    page.fill("#id_title", story.title)
    page.fill("#id_sapo", story.sapo)

    # Cover: upload from a file in the image chooser's upload tab.
    page.locator("[data-chooser-action-choose]").first.click() if False else None
    page.screenshot(path="/tmp/e2e-1.png", full_page=True)
