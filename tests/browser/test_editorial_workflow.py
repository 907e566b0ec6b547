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
from tests.helpers import BrowserSignIn, build_newsroom, make_staff, path, story_draft
from workflows.models import Notification, NotificationKind, Role

# What these add to the other tests is the pages in a real browser, which the
# database does not change: CI runs them on the embedded defaults only.
pytestmark = [pytest.mark.browser, pytest.mark.once]

PASSWORD = "pw-test-123"
# Everyone ``person`` makes signs in with their authenticator app's code.
SIGN_IN = BrowserSignIn(PASSWORD)
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


@pytest.fixture(autouse=True)
def _one_writer_at_a_time(settings):
    """The tests' SQLite database, shared by the live server's threads,
    refuses a write while another one writes. The editor's background ping, every ten
    seconds, would race the saves under test; autosave stays on, and on
    PostgreSQL everything runs as configured."""
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        settings.WAGTAIL_EDITING_SESSION_PING_INTERVAL = 10 * 60 * 1000


def person(unit, role, username, full_name, section=None):
    family, given = full_name.split(" ", 1)
    user = make_staff(unit, role, username, section=section, first_name=given, last_name=family)
    # Labels are asserted in English: the Vietnamese catalogue is produced
    # separately and its wording may change.
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    SIGN_IN.add(user)
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
    """One person's browser context on the admin; remembers the script
    errors and server errors it met."""

    def __init__(self, browser, base, username, device, artifacts):
        self.base, self.username, self.artifacts = base, username, artifacts
        self.context = browser.new_context(locale="en-GB", **device)
        self.page = self.context.new_page()
        self.failures = []
        self.page.on("response", lambda r: r.status >= 500 and self.failures.append(f"{r.status} {r.url}"))
        self.page.on("pageerror", lambda error: self.failures.append(f"script error: {error}"))
        SIGN_IN(self.page, base, username)

    def goto(self, url):
        self.page.goto(self.base + url)
        self.page.wait_for_load_state("networkidle")

    def more_action(self, name):
        """Runs an action from the editor footer's drop-down."""
        page = self.page
        page.get_by_role("button", name="More actions", exact=True).click()
        button = page.locator(f"footer button[name={name}], footer button[data-workflow-action-name={name}]").first
        expect(button).to_be_visible()
        button.click()

    def settle_autosave(self):
        """Waits while an autosave is under way, as a careful user would: a
        manual save posted while the first autosave is still creating the
        page can come back with validation errors."""
        indicator = self.page.locator("#w-autosave-indicator")
        if indicator.count():
            expect(indicator).not_to_have_attribute("data-w-autosave-state-value", "saving", timeout=15_000)

    def expect_message(self, pattern):
        expect(self.page.locator(".messages")).to_contain_text(re.compile(pattern))

    def shot(self, name):
        self.page.screenshot(path=self.artifacts / f"workflow-{name}.png", full_page=True)

    def close(self):
        self.context.close()
        assert self.failures == [], self.username


def write_story(admin, section_id, story, photo):
    """The reporter writes the story in the page editor and saves a draft."""
    page = admin.page
    admin.goto(f"/admin/pages/add/newsroom/articlepage/{section_id}/")
    page.fill("#id_title", story.title)
    page.fill("#id_sapo", story.sapo)

    # Cover: a photo uploaded from a file in the image chooser's upload tab.
    page.locator("#id_cover_image-chooser .chooser__choose-button").click()
    modal = page.get_by_role("dialog")
    modal.get_by_role("tab", name="Upload").click()
    modal.locator("input[type=file]").set_input_files(photo)
    title = modal.locator("input[name=image-chooser-upload-title]")
    expect(title).to_have_value(photo.stem)  # the chooser proposes the file's name
    title.fill(story.photo_title)
    modal.locator("form button[type=submit]").click()
    expect(page.locator("#id_cover_image-chooser")).not_to_have_class(re.compile(r"\bblank\b"))
    expect(page.locator("#id_cover_image-chooser [data-chooser-title]")).to_have_text(story.photo_title)

    # Byline: the reporter's own, from the author chooser.
    page.locator("#id_article_authors-0-author-chooser .chooser__choose-button").click()
    modal = page.get_by_role("dialog")
    modal.get_by_role("link", name=story.byline).click()
    expect(page.locator("#id_article_authors-0-author-chooser [data-chooser-title]")).to_have_text(story.byline)

    # Body: one paragraph block.
    page.locator("#body-root button.c-sf-add-button").first.click()
    page.get_by_role("option", name="Paragraph").click()
    editor = page.locator("#body-root [contenteditable=true]").first
    editor.click()
    editor.press_sequentially(story.paragraph)
    # Draftail writes the text into the form a moment after the last key; a
    # save tapped before that would post the paragraph empty.
    expect(page.locator("#body-0-value")).to_have_value(re.compile(re.escape(story.paragraph)))

    admin.settle_autosave()
    page.locator("footer button.action-save").click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/"))
    admin.expect_message(re.escape(story.title))


def test_reporter_writes_and_submits_on_a_phone(chromium, live_server, newsroom, desk, tmp_path, artifacts):
    section = newsroom.finance.economy
    staff = desk.finance
    story = SimpleNamespace(
        title="Chợ nổi Cái Răng vào mùa trái cây",
        sapo="Ghe xuồng chở đầy trái cây từ các tỉnh miền Tây đổ về chợ nổi từ tờ mờ sáng.",
        paragraph="Tiểu thương cho biết sức mua năm nay tăng so với năm trước.",
        photo_title="Chợ nổi lúc bình minh",
        byline=staff.byline.name,
    )
    workflow_name = section.get_workflow().name
    desk_step = section.get_workflow().tasks.first().name
    photo = photo_file(tmp_path)
    base = f"http://localhost:{urlsplit(live_server.url).port}"
    with chromium() as browser:
        reporter = Admin(browser, base, staff.reporter.username, PHONE, artifacts)
        try:
            write_story(reporter, section.pk, story, photo)
            reporter.page.wait_for_load_state("networkidle")
            reporter.settle_autosave()
            # The drop-down offers the unit's workflow by name.
            reporter.page.get_by_role("button", name="More actions", exact=True).click()
            submit = reporter.page.locator("footer button[name=action-submit]")
            expect(submit).to_have_text(f"Submit to {workflow_name}")
            submit.click()
            reporter.expect_message("submitted for moderation")
            # The reporter's dashboard lists it as waiting for the desk.
            reporter.goto("/admin/")
            rows = reporter.page.get_by_role("row").filter(has_text=story.title)
            expect(rows.filter(has_text=f"Awaiting {desk_step}")).to_have_count(1)
            reporter.shot("phone-submitted")
        finally:
            reporter.close()

    article = ArticlePage.objects.get(title=story.title)
    assert not article.live and article.owner == staff.reporter
    assert article.current_workflow_task.name == desk_step == "Biên tập viên duyệt (taichinh)"
    assert article.get_parent().pk == section.pk
    assert article.cover_image.title == story.photo_title and article.cover_image.file.size > 0
    assert [a.author for a in article.article_authors.all()] == [staff.byline]
    assert story.paragraph in article.body_text()


def review(browser, base, user, title, artifacts, action="approve", comment=""):
    """A reviewer logs in, finds the story on their dashboard among the
    pages awaiting their review, and approves it or sends it back."""
    reviewer = Admin(browser, base, user, DESKTOP, artifacts)
    try:
        page = reviewer.page
        page.locator("main").get_by_role("link", name=title).first.click()
        expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/"))
        page.wait_for_load_state("networkidle")
        reviewer.more_action(action)
        if comment:
            dialog = page.get_by_role("dialog")
            dialog.locator("textarea").fill(comment)
            dialog.locator("button[type=submit]").click()
        reviewer.expect_message(re.escape(title))
        reviewer.shot(f"{user}-{action}")
    finally:
        reviewer.close()


def test_story_goes_through_every_step_to_the_public_site(chromium, live_server, newsroom, desk, artifacts):
    """On the second unit (its own hostname): desk editor approves, managing
    editor sends back with a comment, the reporter fixes and resubmits, the
    managing editor and the editor-in-chief approve, readers see it."""
    unit, section = newsroom.province.unit, newsroom.province.news
    staff = desk.province
    story = story_draft(section, staff.reporter, title="Chợ phiên Đà Lạt nhộn nhịp cuối tuần", author=staff.byline)
    title, address = story.title, path(story)
    workflow_name = section.get_workflow().name
    port = urlsplit(live_server.url).port
    base = f"http://localhost:{port}"
    public = f"http://{unit.site.hostname}:{port}"
    added = "Theo Ban quản lý chợ, mỗi phiên có khoảng năm trăm gian hàng."

    with chromium() as browser:
        reporter = Admin(browser, base, staff.reporter.username, DESKTOP, artifacts)
        try:
            reporter.goto(f"/admin/pages/{story.pk}/edit/")
            reporter.more_action("action-submit")
            reporter.expect_message("submitted for moderation")
        finally:
            reporter.close()

        review(browser, base, staff.desk_editor.username, title, artifacts)
        review(browser, base, staff.managing_editor.username, title, artifacts, action="reject", comment=SEND_BACK_COMMENT)

        # The reporter reads why, fixes the story and resubmits: the
        # workflow picks up again at the managing editor's step.
        reporter = Admin(browser, base, staff.reporter.username, DESKTOP, artifacts)
        try:
            page = reporter.page
            rows = page.get_by_role("row").filter(has_text=title)
            expect(rows.filter(has_text="Changes requested at Thư ký tòa soạn duyệt (lamdong)")).to_have_count(1)
            page.get_by_role("link", name=re.compile(r"^Notifications")).first.click()
            expect(page.get_by_text(SEND_BACK_COMMENT).first).to_be_visible()
            reporter.goto(f"/admin/pages/{story.pk}/workflow_history/")
            page.get_by_role("link", name=workflow_name).click()
            expect(page.get_by_text(SEND_BACK_COMMENT).first).to_be_visible()
            reporter.goto(f"/admin/pages/{story.pk}/edit/")
            sapo = page.locator("#id_sapo")
            sapo.fill(sapo.input_value() + " " + added)
            reporter.settle_autosave()
            submit = page.locator("footer button[name=action-submit]")
            page.get_by_role("button", name="More actions", exact=True).click()
            expect(submit).to_contain_text("Resubmit to Thư ký tòa soạn duyệt")
            submit.click()
            reporter.expect_message("submitted for moderation")
        finally:
            reporter.close()

        review(browser, base, staff.managing_editor.username, title, artifacts)
        review(browser, base, staff.editor_in_chief.username, title, artifacts)

        # Readers of that unit's site see it.
        context = browser.new_context(**PHONE)
        reader = context.new_page()
        try:
            reader.goto(public + address)
            expect(reader.locator("h1")).to_have_text(title)
            expect(reader.locator("main")).to_contain_text(added)
            reader.goto(public + "/")
            expect(reader.locator("main").get_by_role("link", name=title).first).to_be_visible()
        finally:
            context.close()

    story.refresh_from_db()
    assert story.live
    workflow_state = WorkflowState.objects.filter(base_content_type__isnull=False, object_id=str(story.pk)).get()
    assert workflow_state.status == WorkflowState.STATUS_APPROVED
    steps = [(state.task.name.split(" (")[0], state.status) for state in workflow_state.task_states.order_by("started_at", "pk")]
    assert steps == [
        ("Biên tập viên duyệt", "approved"),
        ("Thư ký tòa soạn duyệt", "rejected"),
        ("Thư ký tòa soạn duyệt", "approved"),
        ("Tổng biên tập duyệt", "approved"),
    ]
    sent_back = Notification.objects.get(recipient=staff.reporter, kind=NotificationKind.SENT_BACK)
    assert sent_back.comment == SEND_BACK_COMMENT
