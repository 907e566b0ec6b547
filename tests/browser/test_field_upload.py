"""A reporter on a phone uploads a video from the field; the connection
drops mid-upload, the page carries on from the next byte rather than from
zero, and the video reaches the archive (tus-js-client in Chromium against
the live server). An editor of the other unit finds a shared video in the
story editor's chooser, never a private one."""

from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from assets.models import ArchiveImage, Media, ResumableUpload
from newsroom.models import Unit
from tests.assets.media import be_the_media_worker, ffmpeg, needs_ffmpeg
from tests.helpers import BrowserSignIn, build_newsroom, make_staff
from workflows.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.once, needs_ffmpeg]

PASSWORD = "pw-test-123"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "vi-VN"}
CHUNK = 5 * 1024 * 1024  # the page's piece size (assets/static/assets/uploader.js)


@pytest.fixture
def reporter(transactional_db, django_db_serialized_rollback, settings, tmp_path):
    settings.RESUMABLE_UPLOAD_DIR = tmp_path / "uploads"
    newsroom = build_newsroom()
    user = make_staff(newsroom.finance.unit, Role.REPORTER, "tc.hientruong")
    yield user
    for item in [*ArchiveImage.objects.all(), *Media.objects.all()]:
        item.delete()


def test_a_dropped_connection_carries_on_from_the_next_byte(chromium, live_server, reporter, tmp_path, artifacts, django_capture_on_commit_callbacks):
    # Big enough for two pieces and a bit: a second of lossless noise.
    video = tmp_path / "lu-quet.mp4"
    ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=1,noise=alls=60:allf=t", "-c:v", "libx264", "-preset", "ultrafast",
        "-qp", "0", "-pix_fmt", "yuv420p", output=video,
    )  # fmt: skip
    size = video.stat().st_size
    assert size > 2 * CHUNK
    sign_in = BrowserSignIn(PASSWORD, reporter)
    patches = []

    def cut_the_second_piece(route):
        request = route.request
        if request.method == "PATCH":
            patches.append(int(request.headers["upload-offset"]))
            if len(patches) == 2:  # the phone loses its signal
                return route.abort("connectionreset")
        return route.continue_()

    with chromium() as browser:
        context = browser.new_context(**PHONE)
        page = context.new_page()
        failures = []
        page.on("pageerror", lambda error: failures.append(f"script error: {error}"))
        page.on("response", lambda response: response.status >= 500 and failures.append(f"{response.status} {response.url}"))
        try:
            sign_in(page, live_server.url, reporter.username)
            page.route("**/admin/archive/uploads/files/**", cut_the_second_piece)
            page.goto(live_server.url + "/admin/archive/uploads/")
            expect(page.get_by_role("heading", name="Tải lên từ hiện trường")).to_be_visible()
            page.set_input_files("[data-archive-uploader-input]", str(video))
            row = page.locator(".archive-uploader__file")
            expect(row.locator("[data-name]")).to_have_text("lu-quet.mp4")
            expect(row.locator("[data-percent]")).to_have_text("100%", timeout=60_000)
            expect(row.locator("[data-state]")).to_contain_text("Đã nhận", timeout=30_000)
            assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
            assert failures == [], failures
        except Exception:
            page.screenshot(path=str(artifacts / "field-upload.png"), full_page=True)
            raise
        finally:
            context.close()

    # The first piece, the cut one, then the same offset again: never from zero.
    assert patches[:3] == [0, CHUNK, CHUNK], patches
    assert 0 not in patches[1:]
    upload = ResumableUpload.objects.get()
    assert (upload.offset, upload.length, upload.state) == (size, size, ResumableUpload.State.COMPLETE)
    be_the_media_worker(django_capture_on_commit_callbacks)
    item = Media.objects.get()
    assert (item.title, item.kind, item.uploaded_by) == ("lu-quet", "video", reporter)
    assert item.state == Media.State.READY, item.failure
    assert item.poster is not None and item.poster.file  # the poster the worker made from its frame
    with item.file.open("rb") as stored, open(video, "rb") as sent:
        assert stored.read() == sent.read()


@pytest.fixture
def two_units(transactional_db, django_db_serialized_rollback):
    newsroom = build_newsroom()
    finance = Unit.objects.get(pk=newsroom.finance.unit.pk)
    shared = Media.objects.create(
        kind="video", title="Phóng sự lũ quét dùng chung", file=ContentFile(b"\0" * 64, name="lu-quet.mp4"), collection=finance.archive_collection
    )
    private = Media.objects.create(
        kind="video", title="Phóng sự lũ quét độc quyền", file=ContentFile(b"\0" * 64, name="lu-quet-rieng.mp4"),
        collection=finance.private_collection,
    )  # fmt: skip
    editor = make_staff(newsroom.province.unit, Role.DESK_EDITOR, "ld.chonvideo")
    yield SimpleNamespace(section=newsroom.province.news, editor=editor, shared=shared, private=private)
    for item in Media.objects.all():
        item.delete()


def test_the_other_unit_s_editor_finds_the_shared_video_in_the_chooser_and_not_the_private_one(chromium, live_server, two_units, artifacts):
    sign_in = BrowserSignIn(PASSWORD, two_units.editor)
    with chromium() as browser:
        context = browser.new_context(**PHONE)
        page = context.new_page()
        failures = []
        page.on("pageerror", lambda error: failures.append(f"script error: {error}"))
        page.on("response", lambda response: response.status >= 500 and failures.append(f"{response.status} {response.url}"))
        try:
            sign_in(page, live_server.url, two_units.editor.username)
            page.goto(f"{live_server.url}/admin/pages/add/newsroom/articlepage/{two_units.section.pk}/")
            page.locator("#body-root button.c-sf-add-button").first.click()
            page.get_by_role("listbox").get_by_role("option", name="Video").click()
            page.locator("#body-root .chooser__choose-button").first.click()
            modal = page.get_by_role("dialog")
            modal.get_by_role("textbox").first.fill("lu quet")  # without diacritics, as typed on a phone
            expect(modal.get_by_role("link", name=two_units.shared.title)).to_be_visible()
            expect(modal.get_by_text(two_units.private.title)).to_have_count(0)
            modal.get_by_role("link", name=two_units.shared.title).click()
            expect(page.locator("#body-root [data-chooser-title]").first).to_have_text(two_units.shared.title)
            assert failures == [], failures
        except Exception:
            page.screenshot(path=str(artifacts / "video-chooser.png"), full_page=True)
            raise
        finally:
            context.close()
