"""A reader on a phone plays a story's video from its HLS ladder (Chromium
plays it through hls.js, or natively where it can), under the page's own
Content-Security-Policy, with nothing refused and no script error; with
its Vietnamese captions shown."""

import pytest
from django.core.files.base import ContentFile

from assets.models import CaptionTrack, Media
from tests.assets.media import be_the_media_worker, ffmpeg, needs_ffmpeg
from tests.helpers import make_article, make_section, make_unit, path

pytestmark = [pytest.mark.browser, pytest.mark.once, needs_ffmpeg]


@pytest.fixture
def story_with_video(transactional_db, django_db_serialized_rollback, tmp_path, django_capture_on_commit_callbacks):
    clip = ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25:duration=8", "-f", "lavfi", "-i", "sine=frequency=440:duration=8",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", output=tmp_path / "clip.mp4",
    )  # fmt: skip
    _unit, home = make_unit("taichinh", "Thời báo Tài chính", default=True)
    section = make_section(home, "Video")
    item = Media.objects.create(kind="video", title="Pháo hoa đêm giao thừa", file=ContentFile(clip, name="phao-hoa.mp4"))
    be_the_media_worker(django_capture_on_commit_callbacks)
    item.refresh_from_db()
    assert item.state == Media.State.READY, item.failure
    story = make_article(section, title="Pháo hoa đêm giao thừa", body=[("video", {"video": item, "caption": ""})])
    yield {"path": path(story), "hls": item.hls_url, "mp4": item.web_video_url, "item": item}
    item.delete()


# Chromium plays HLS itself since version 141; Firefox and older browsers
# do not, and get hls.js: told so, Chromium is such a browser.
WITHOUT_NATIVE_HLS = """
const canPlayType = HTMLMediaElement.prototype.canPlayType;
HTMLMediaElement.prototype.canPlayType = function (type) {
  return /mpegurl/i.test(type) ? "" : canPlayType.call(this, type);
};
"""


@pytest.mark.parametrize("player", ["native", "hls.js"])
def test_a_reader_on_a_phone_plays_the_hls_ladder(chromium, live_server, story_with_video, artifacts, player):
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="vi-VN")
        if player == "hls.js":
            context.add_init_script(WITHOUT_NATIVE_HLS)
        page = context.new_page()
        problems = []
        page.on("response", lambda response: response.status >= 400 and problems.append(f"{response.status} {response.url}"))
        page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        page.on("console", lambda message: "Content-Security-Policy" in message.text and problems.append(message.text))
        try:
            page.goto(live_server.url + story_with_video["path"])
            video = page.locator("main video")
            video.scroll_into_view_if_needed()
            box = video.bounding_box()
            assert box["width"] <= 390  # fits the phone's width
            # Muted, as a reader's tap would allow sound: the browser lets it play.
            video.evaluate("video => { video.muted = true; return video.play(); }")
            page.wait_for_function("video => video.currentTime > 2 && video.videoHeight > 0", arg=video.element_handle(), timeout=30_000)
            source = video.evaluate("video => video.currentSrc")
            # The ladder, not the MP4: hls.js feeds the element a blob:, a browser with HLS of its own the playlist.
            if player == "hls.js":
                assert source.startswith("blob:"), source
                assert page.evaluate("window.Hls.version") == "1.7.4"
            else:
                assert source.endswith(story_with_video["hls"]), source
                assert page.evaluate("typeof window.Hls") == "undefined"  # not even loaded
            assert problems == [], problems
        except Exception:
            page.screenshot(path=str(artifacts / f"video-playback-{player}.png"), full_page=True)
            raise
        finally:
            context.close()


CAPTIONS = "WEBVTT\n\n00:00:00.500 --> 00:00:03.000\nPháo hoa rực sáng bầu trời.\n\n00:00:03.500 --> 00:00:07.000\nChúc mừng năm mới!\n"


@pytest.mark.parametrize("player", ["native", "hls.js"])
def test_a_reader_sees_the_vietnamese_captions(chromium, live_server, story_with_video, artifacts, player):
    CaptionTrack.objects.create(media=story_with_video["item"], language="vi", file=ContentFile(CAPTIONS.encode(), name="phao-hoa.vtt"))
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="vi-VN")
        if player == "hls.js":
            context.add_init_script(WITHOUT_NATIVE_HLS)
        page = context.new_page()
        problems = []
        page.on("response", lambda response: response.status >= 400 and problems.append(f"{response.status} {response.url}"))
        page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        page.on("console", lambda message: "Content-Security-Policy" in message.text and problems.append(message.text))
        try:
            page.goto(live_server.url + story_with_video["path"])
            video = page.locator("main video")
            video.scroll_into_view_if_needed()
            video.evaluate("video => { video.muted = true; return video.play(); }")
            page.wait_for_function("video => video.currentTime > 1", arg=video.element_handle(), timeout=30_000)
            # The default track, shown without the reader asking: its cues loaded and one on screen.
            shown = video.evaluate(
                """video => new Promise((resolve, reject) => {
                    const track = [...video.textTracks].find(track => track.kind === "captions");
                    if (!track) return reject(new Error("no captions track"));
                    const look = () => track.cues && track.cues.length ? resolve({
                        language: track.language, label: track.label, mode: track.mode, cues: track.cues.length,
                        first: track.cues[0].text,
                    }) : setTimeout(look, 100);
                    look();
                })"""
            )
            assert shown == {"language": "vi", "label": "Tiếng Việt", "mode": "showing", "cues": 2, "first": "Pháo hoa rực sáng bầu trời."}
            assert problems == [], problems
        except Exception:
            page.screenshot(path=str(artifacts / f"video-captions-{player}.png"), full_page=True)
            raise
        finally:
            context.close()
