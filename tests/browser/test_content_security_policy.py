"""The Content-Security-Policy in a real browser, on the demo newsroom: every
public page type, and the admin pages the demo's reporter and
editor-in-chief work in (the story editor with its tabs, the image chooser
and the preview included), load without a single violation, and without
one request to another host than the site's own (no avatar service, font
or script host sees who reads or writes).

The same walk reads every page in Vietnamese: as each demo role of a unit
(and the system's administrator) it also opens every admin page its menu
leads to and the first item of each listing, and any English word on a
page (its text, titles, labels and placeholders) fails the test with the
page and the line."""

import io
import json
import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils.translation import get_language_info
from playwright.sync_api import expect
from wagtail.models import TaskState

from assets.models import ArchiveImage, Media
from assets.text import reading_minutes, word_count
from demo.management.commands.seed_demo import DEFAULT_DEMO_PASSWORD
from demo.units import ADMIN_USERNAME
from newsroom.models import ArticleFormat, ArticlePage, Author, SectionPage, Unit, User
from tests.helpers import BrowserSignIn, path

# What these add to the other tests is the pages in a real browser, which the
# database does not change: CI runs them on the embedded defaults only.
pytestmark = [pytest.mark.browser, pytest.mark.once]

# Every frame of every page (the preview's included) reports its violations
# and its Permissions-Policy header's unknown features to the test.
LISTEN = """
document.addEventListener("securitypolicyviolation", (e) => window.cspViolation(
  `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile || e.documentURI}:${e.lineNumber} ${e.sample}`));
"""


# What a page may say that is neither Vietnamese nor an acronym: the
# product's and the platforms' names, and loanwords the newsroom uses.
NOT_ENGLISH = {
    "wagtail", "zalo", "facebook", "telegram", "youtube", "wordpress", "google", "twitter", "tiktok", "ninjs",
    "atom", "sapo", "video", "audio", "web", "email", "podcast", "webhook", "fanpage", "infographic",
}  # fmt: skip
# A Vietnamese syllable typed without its marks (onset, vowels, coda).
SYLLABLE = re.compile(r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?")
# Everything the page says: its text as shown, and what it tells through
# titles, labels, placeholders and alternative texts. Code (a command, a
# setting's name) is shown as it is typed, so it is left out.
READ = """() => {
  const code = Array.from(document.querySelectorAll("code, kbd, samp, pre"), (element) => [element, element.textContent]);
  code.forEach(([element]) => { element.textContent = ""; });
  const text = [document.title, document.body.innerText,
    ...Array.from(document.querySelectorAll("[title], [aria-label], [placeholder], [alt]"), (element) =>
      ["title", "aria-label", "placeholder", "alt"].map((name) => element.getAttribute(name) || "").join("\\n"))].join("\\n");
  code.forEach(([element, content]) => { element.textContent = content; });
  return text;
}"""


def english_words(line, data=frozenset()):
    """The words of ``line`` that are English: ASCII words that are not a
    Vietnamese syllable, an acronym, a name above or the data's own words
    (``data``: the demo's unit slugs and user names). Addresses, user
    names, file names and numbers (anything with a dot, @, slash, hyphen
    or digit in it) are data too, a unit after a number (72 km, 1400 px)
    is a unit, and a word cut short ("…") is not a word."""
    found, previous = [], ""
    for chunk in line.split():
        word = chunk.strip("()[]{}\"'“”‘’,.;:!?*•·|«»")
        if (
            word.isascii() and word.isalpha() and len(word) > 1 and not word.isupper()
            and word.lower() not in NOT_ENGLISH and word.lower() not in data
            and not SYLLABLE.fullmatch(word.lower())
            and not chunk.endswith("…") and not previous.replace(",", "").replace(".", "").isdigit()
        ):
            found.append(word)
        previous = chunk
    return found  # fmt: skip


def test_english_words_are_told_from_vietnamese_ones():
    assert english_words("Lưu nháp · Gửi duyệt (3) Trang chủ: tin nong, bai moi") == []
    assert english_words("Save draft – Xuất bản") == ["Save", "draft"]
    assert english_words("taichinh.phongvien ha.nguyen@taichinh.hoitu.example kinh-te 1.541 MP4 HLS Wagtail") == []
    assert english_words("Choose an image") == ["Choose", "image"]
    assert english_words("dài 72 km, ảnh 1400 px, Thị trường trái phiếu tr…") == []
    assert english_words("Biên tập viên duyệt (taichinh)", data={"taichinh"}) == []


@pytest.fixture
def demo(transactional_db, django_db_serialized_rollback):
    # Serialized rollback brings back Wagtail's root page and default site,
    # which the flush after a live-server test removes.
    call_command("seed_demo", "--no-renditions", stdout=io.StringIO())
    yield
    # Wagtail removes the image files once the deletion commits.
    for image in ArchiveImage.objects.all():
        image.delete()


def public_paths(unit):
    """One page of every type the readers see: home, section, a story of each
    format the demo has, author, tag, search, the newsletter, a 404."""
    stories = ArticlePage.objects.live().descendant_of(unit.site.root_page)
    section = SectionPage.objects.live().descendant_of(unit.site.root_page).first()
    author = Author.objects.filter(article_links__article__in=stories).first()
    tagged = stories.filter(tags__isnull=False).first()
    paths = ["/", path(section), f"/tac-gia/{author.slug}/", f"/tag/{tagged.tags.first().slug}/"]
    paths += ["/search/?q=tai+chinh", "/newsletter/", "/khong-co-trang-nay/"]
    for format in ArticleFormat.values:
        story = stories.filter(format=format).first()
        if story is not None:
            paths.append(path(story))
    return paths


def admin_paths(user, story, section):
    """The admin pages the person's work takes them to, in the order a day
    would (the editor's tabs and choosers are opened on the story's page)."""
    paths = [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{section.pk}/",
        f"/admin/pages/add/newsroom/articlepage/{section.pk}/",
        f"/admin/pages/{story.pk}/history/",
        "/admin/images/",
        "/admin/snippets/assets/media/",
        "/admin/assignments/",
        "/admin/notifications/",
        "/admin/reports/workflow/",
        "/admin/reports/site-history/",
    ]
    if user.username.endswith("tongbientap"):
        # Items of the unit's own collection: the desk changes those only.
        own = Unit.objects.for_page(section).archive_collection
        paths += [
            "/admin/workflows/board/",
            "/admin/workflows/plan/",
            f"/admin/snippets/assets/media/edit/{Media.objects.filter(collection=own).order_by('pk').first().pk}/",
            f"/admin/images/{ArchiveImage.objects.filter(collection=own).order_by('pk').first().pk}/",
            "/admin/publishing/",
            "/admin/publishing/channels/",
            "/admin/reports/locked/",
        ]
    return paths


@pytest.fixture(autouse=True)
def _one_writer_at_a_time(settings):
    # As in the editorial browser tests: the in-memory SQLite database
    # refuses a write while another thread writes; the editor's ping would
    # race the autosave.
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        settings.WAGTAIL_EDITING_SESSION_PING_INTERVAL = 10 * 60 * 1000


def waiting_for(user, unit):
    """A story of ``unit`` at a step ``user`` acts on with a dialog."""
    for state in TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS).select_related("task").order_by("pk"):
        story = ArticlePage.objects.descendant_of(unit.site.root_page).filter(pk=state.workflow_state.object_id).first()
        if story is not None and any(modal for _name, _label, modal in state.task.specific.get_actions(story, user)):
            return story.pk
    raise AssertionError(f"the demo has no story waiting for {user}")


def warm_up(host, paths, user=None):
    """Opens each page once outside the browser, so that its picture
    renditions (the demo was seeded without them) are made one request at
    a time and the browser's pages load at their usual speed."""
    client = Client(HTTP_HOST=host)
    if user is not None:
        client.force_login(user)
    responses = {url: client.get(url) for url in paths}
    # A page the person may not open sends them to the dashboard.
    assert [url for url, response in responses.items() if response.status_code >= 500 or response.get("Location") == "/admin/"] == []


class Visitor:
    """A browser context that remembers every violation, every console
    message about the policies and every server error it met."""

    def __init__(self, browser, base, own_hosts, data=frozenset()):
        self.base = base
        self.own_hosts = own_hosts
        self.data = data
        self.context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        self.problems = []
        self.context.expose_function("cspViolation", lambda text: self.problems.append(f"{self.where}: {text}"))
        self.context.add_init_script(LISTEN)
        self.page = self.context.new_page()
        self.where = "start"
        self.english = {}
        self.pickers = 0  # date pickers opened
        self.page.on("console", self._console)
        self.page.on("response", lambda r: r.status >= 500 and self.problems.append(f"{r.status} {r.url}"))
        self.page.on("request", self._request)

    def _request(self, request):
        where = urlsplit(request.url)
        if where.scheme in ("http", "https", "ws", "wss") and where.hostname not in self.own_hosts:
            self.problems.append(f"{self.where}: a request to another host: {request.url}")

    def _console(self, message):
        if "Content Security Policy" in message.text or "Permissions-Policy" in message.text:
            self.problems.append(f"{self.where}: console: {message.text}")

    def goto(self, url):
        self.where = url
        response = self.page.goto(url if url.startswith("http") else self.base + url)
        self.page.wait_for_load_state("networkidle")
        # No violation because no policy would prove nothing.
        if "default-src 'self'" not in (response.headers.get("content-security-policy") or ""):
            self.problems.append(f"{url}: no Content-Security-Policy")
        self.read()

    def read(self):
        """Notes the page's lines that hold English words."""
        for line in self.page.evaluate(READ).splitlines():
            if english_words(line, self.data):
                self.english.setdefault(line.strip()[:120], self.where)

    def menu(self):
        """The addresses the admin's menu (the sidebar, built by its script
        from these props) leads to."""
        props = json.loads(self.page.locator("#wagtail-sidebar-props").text_content())
        found = []

        def walk(value):
            if isinstance(value, dict):
                if isinstance(value.get("url"), str) and value["url"].startswith("/admin/"):
                    found.append(value["url"])
                for item in value.values():
                    walk(item)
            elif isinstance(value, list):
                for item in value:
                    walk(item)

        walk(props)
        return list(dict.fromkeys(found))

    def first_item(self):
        """The first item a listing links to for editing, if any."""
        link = self.page.locator("main a[href*='/edit/']").first
        return urlsplit(link.get_attribute("href")).path if link.count() else None

    def sign_in(self, signer, username):
        """The password, then the authenticator app's code (``signer``, a
        tests.helpers.BrowserSignIn); both pages are under the policy too."""
        self.where = "/admin/login/"
        signer(self.page, self.base, username)

    def work_on_story(self, story_id, section_id, words):
        """The image chooser of a new story, then the story's editor: the
        checks panel (``words``: what it must count), every tab, a sentence
        typed in Draftail and the live preview."""
        page = self.page
        self.goto(f"/admin/pages/add/newsroom/articlepage/{section_id}/")
        self.where = "image chooser"
        page.locator("#id_cover_image-chooser .chooser__choose-button").click()
        expect(page.get_by_role("dialog").locator("input[type=file]").first).to_be_attached()
        page.wait_for_load_state("networkidle")
        self.read()
        page.keyboard.press("Escape")
        self.goto(f"/admin/pages/{story_id}/edit/")
        self.where = "checks"
        page.locator("[data-side-panel-toggle='checks']").click()
        expect(page.locator("[data-content-word-count]")).to_have_text(str(words), timeout=20_000)
        expect(page.locator("[data-content-reading-time]")).to_have_text(f"{reading_minutes(words)} phút")
        self.read()
        page.locator("[data-side-panel-toggle='checks']").click()
        tabs = page.locator("[role=tablist] [role=tab]")
        assert tabs.count() >= 3
        for index in range(tabs.count()):
            self.where = f"story editor, tab {index + 1}"
            tabs.nth(index).click()
            self.read()
            embargo = page.locator("#id_embargo_until")
            if embargo.is_visible():
                self.where = "date picker"
                embargo.click()
                expect(page.locator(".xdsoft_datetimepicker:visible")).to_have_count(1)
                self.read()
                page.keyboard.press("Escape")
                tabs.nth(index).click()  # a click elsewhere closes the picker
                self.pickers += 1
        self.where = "story editor, its actions"
        page.locator("footer [data-w-dropdown-target='toggle']").first.click()
        self.read()
        page.keyboard.press("Escape")
        tabs.first.click()
        self.where = "Draftail"
        page.locator(".public-DraftEditor-content").first.click()
        page.keyboard.type(" Thêm một câu.")
        self.where = "page chooser (a link in the body)"
        page.keyboard.press("Control+K")
        chooser = page.get_by_role("dialog").filter(has_text="Chọn trang")
        expect(chooser).to_be_visible()
        page.wait_for_load_state("networkidle")
        self.read()
        chooser.get_by_role("button", name="Đóng").click()
        expect(chooser).to_be_hidden()
        self.where = "preview"
        page.locator("[data-side-panel-toggle='preview']").click()
        expect(page.locator("iframe").first).to_be_attached()
        page.wait_for_timeout(1500)  # the preview reloads after the typing

    def review_story(self, story_id):
        """A story waiting for the person's step: the editor's actions and
        each action's dialog (its comment box, the checklist)."""
        page = self.page
        actions = page.locator("footer [data-workflow-action-modal-url]")
        index, count = 0, 1
        while index < count:
            self.goto(f"/admin/pages/{story_id}/edit/")
            count = actions.count()
            if not actions.nth(index).is_visible():
                page.locator("footer [data-w-dropdown-target='toggle']").first.click()
            self.where = f"workflow dialog: {actions.nth(index).inner_text().strip()}"
            actions.nth(index).click()
            expect(page.get_by_role("dialog").locator("form").first).to_be_visible()
            page.wait_for_load_state("networkidle")
            self.read()
            index += 1
        assert count >= 1

    def close(self):
        self.context.close()


# Every role of a unit, in the order of their rights, then the system's
# administrator: each walks what its menu leads to that the roles before it
# did not (the pages a role shares with another say the same).
ROLES = ("ctv", "phongvien", "bientap", "truongban", "thuky", "photongbientap", "tongbientap", "phathanh", "quantri")
NOT_WALKED = ("/admin/logout/",)


def walk_menu(person, seen):
    """Opens each page ``person``'s menu leads to, and the first item of
    each listing, that no one opened before (``seen``: their addresses, ids
    left out). Returns how many it opened."""
    opened = 0

    def first_time(url):
        kind = re.sub(r"\d+", "N", url)
        if kind in seen:
            return False
        seen.add(kind)
        return True

    for url in person.menu():
        if url.startswith(NOT_WALKED) or not first_time(url):
            continue
        person.goto(url)
        opened += 1
        item = person.first_item()
        if item and first_time(item):
            person.goto(item)
            opened += 1
    return opened


def test_no_page_of_the_demo_violates_the_policy_calls_out_or_speaks_english(chromium, live_server, demo, artifacts):
    port = urlsplit(live_server.url).port
    plans = []
    for unit in Unit.objects.select_related("site").order_by("pk"):
        plans.append((f"http://{unit.site.hostname}:{port}", public_paths(unit)))
        warm_up(unit.site.hostname, plans[-1][1])
    finance = Unit.objects.get(slug="taichinh")
    base = f"http://{finance.site.hostname}:{port}"
    section = SectionPage.objects.live().descendant_of(finance.site.root_page).first()
    signer = BrowserSignIn(DEFAULT_DEMO_PASSWORD)
    staff = []
    for username in [f"taichinh.{role}" for role in ROLES] + [ADMIN_USERNAME]:
        user = User.objects.get(username=username)
        signer.add(user)
        if username in ("taichinh.phongvien", "taichinh.tongbientap"):
            story = ArticlePage.objects.filter(owner=user).order_by("pk").first() or ArticlePage.objects.descendant_of(section).first()
            words = word_count(story.get_latest_revision_as_object().counted_text())
            staff.append((username, story.pk, words, admin_paths(user, story, section)))
            warm_up(finance.site.hostname, [*staff[-1][3], f"/admin/pages/{story.pk}/edit/", "/admin/images/chooser/"], user)
        else:
            staff.append((username, None, None, []))

    # A story waiting for the editor-in-chief's step, for its dialogs.
    editor_in_chief = User.objects.get(username="taichinh.tongbientap")
    reviews = {editor_in_chief.username: waiting_for(editor_in_chief, finance)}
    warm_up(finance.site.hostname, [f"/admin/pages/{reviews[editor_in_chief.username]}/edit/"], editor_in_chief)
    own_hosts = {unit.site.hostname for unit in Unit.objects.select_related("site")}
    # The demo's own words (its units' slugs and hosts, its people's user
    # names), and the languages offered by their own names ("English").
    data = frozenset(
        {unit.slug for unit in Unit.objects.all()} | own_hosts
        | {name.lower() for name in User.objects.values_list("username", flat=True)} | {"localhost"}
        | {get_language_info(code)["name_local"].lower() for code, _name in settings.LANGUAGES}
    )
    with chromium() as browser:
        problems, english, visited, seen, pickers = [], {}, 0, set(), 0
        for unit_base, paths in plans:
            reader = Visitor(browser, unit_base, own_hosts, data)
            for url in paths:
                reader.goto(url)
                visited += 1
            problems += reader.problems
            english |= reader.english
            reader.close()
        for username, story_id, words, paths in staff:
            person = Visitor(browser, base, own_hosts, data)
            person.sign_in(signer, username)
            person.read()
            if story_id is not None:
                # A public page with the staff's user bar on it.
                person.goto("/")
                expect(person.page.locator("wagtail-userbar, [data-wagtail-userbar]").first).to_be_attached()
                for url in paths:
                    person.goto(url)
                    # A page the person may not open would send them elsewhere,
                    # and this test would not have seen it.
                    assert urlsplit(person.page.url).path.startswith(url), (username, url, person.page.url)
                    visited += 1
                person.work_on_story(story_id, section.pk, words)
                person.page.screenshot(path=artifacts / f"csp-{username}-editor.png", full_page=True)
                if username in reviews:
                    person.review_story(reviews[username])
            person.goto("/admin/")
            visited += walk_menu(person, seen)
            problems += person.problems
            pickers += person.pickers
            english |= {line: f"{username} {where}" for line, where in person.english.items() if line not in english}
            person.close()
    assert visited > 80
    assert pickers >= 1  # the embargo's, in the editor's settings tab
    assert problems == []
    found = [f"{where}: {line}" for line, where in english.items()]
    (artifacts / "english-on-the-demos-pages.txt").write_text("\n".join(found) + "\n", encoding="utf-8")
    assert found == [], f"{len(found)} lines with English words, listed in var/test-artifacts/english-on-the-demos-pages.txt"
