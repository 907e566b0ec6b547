"""What the media worker makes of a video or recording for readers (real
ffmpeg on clips made here): a web MP4 that starts before it has arrived, an
HLS ladder never taller than the source, scrubbing pictures, sound at the
podcast loudness; a live percentage meanwhile, a Retry button after a
failure, and files served as the item's own, never half-written."""

import json
import re
import subprocess

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assets import ffmpeg as media_ffmpeg
from assets.models import Media, MediaPart
from relay.models import QueuedTask
from tests.helpers import broker_messages, make_article

from .media import be_the_media_worker, ffmpeg, needs_ffmpeg, worker_round

# What ffmpeg makes does not depend on the database: CI runs these once.
pytestmark = [pytest.mark.django_db, needs_ffmpeg, pytest.mark.once]
C = "django_capture_on_commit_callbacks"


@pytest.fixture(scope="session")  # files only: made once, however the run orders the module's tests
def clips(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clips")
    hd = ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25:duration=4", "-f", "lavfi", "-i", "sine=frequency=440:duration=4",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", output=folder / "hd.mp4",
    )  # fmt: skip
    # A quiet interview, far below the podcast loudness.
    quiet = ffmpeg(
        "-f", "lavfi", "-i", "sine=frequency=300:duration=6", "-af", "volume=0.02", "-c:a", "libmp3lame", output=folder / "quiet.mp3"
    )
    # The moov atom first, then cut: ffprobe reads its length, the pictures break off.
    whole = ffmpeg("-i", str(folder / "hd.mp4"), "-c", "copy", "-movflags", "+faststart", output=folder / "whole.mp4")
    return {"hd": hd, "quiet": quiet, "broken": whole[: len(whole) * 2 // 3]}


def stored(path):
    with default_storage.open(path, "rb") as made:
        return made.read()


def probe(data, tmp_path, name):
    target = tmp_path / name
    target.write_bytes(data)
    done = subprocess.run(["ffprobe", "-v", "error", "-print_format", "json", "-show_streams", "-show_format", str(target)], capture_output=True, check=True)
    return json.loads(done.stdout)


def top_level_boxes(mp4):
    boxes, at = [], 0
    while at + 8 <= len(mp4):
        size = int.from_bytes(mp4[at : at + 4], "big")
        boxes.append(mp4[at + 4 : at + 8].decode("latin-1"))
        if size < 8:
            break
        at += size
    return boxes


def integrated_loudness(data, tmp_path, name):
    target = tmp_path / name
    target.write_bytes(data)
    log = subprocess.run(["ffmpeg", "-nostats", "-i", str(target), "-af", "ebur128", "-f", "null", "-"], capture_output=True, text=True).stderr
    return float(re.findall(r"I:\s+(-?[\d.]+) LUFS", log)[-1])


def test_a_hd_video_gets_a_web_mp4_an_hls_ladder_to_its_height_and_scrubbing_pictures(archivist, clips, tmp_path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = Media.objects.create(kind="video", title="Lễ hội pháo hoa", file=ContentFile(clips["hd"], name="phao-hoa.mp4"))
    names = be_the_media_worker(django_capture_on_commit_callbacks)
    assert names.count("assets.tasks.transcode_media") == 4
    item.refresh_from_db()
    assert (item.state, item.progress(), item.failure) == (Media.State.READY, 100, "")
    assert not MediaPart.objects.filter(media=item).exists()  # the parts' records go once the versions are named

    web = stored(item.outputs["web"]["path"])
    info = probe(web, tmp_path, "web.mp4")
    picture = next(s for s in info["streams"] if s["codec_type"] == "video")
    sound = next(s for s in info["streams"] if s["codec_type"] == "audio")
    assert (picture["codec_name"], picture["height"], sound["codec_name"]) == ("h264", 720, "aac")
    # "faststart": the index before the pictures, so playing starts at once.
    boxes = top_level_boxes(web)
    assert boxes.index("moov") < boxes.index("mdat")

    master = stored(item.outputs["hls"]["path"]).decode()
    # Never upscaled: 360p and 720p from a 720p source, no 1080p.
    assert re.findall(r"RESOLUTION=(\d+x\d+)", master) == ["640x360", "1280x720"]
    folder = item.outputs["hls"]["path"].rsplit("/", 1)[0]
    for rung in ("360p", "720p"):
        playlist = stored(f"{folder}/{rung}.m3u8").decode()
        assert "#EXT-X-ENDLIST" in playlist and "#EXT-X-PLAYLIST-TYPE:VOD" in playlist
        segments = [line for line in playlist.splitlines() if line.endswith(".ts")]
        assert segments and all(default_storage.exists(f"{folder}/{segment}") for segment in segments)

    vtt = stored(item.outputs["scrub"]["path"]).decode()
    cues = re.findall(r"(\d\d:\d\d:\d\d\.\d{3}) --> (\d\d:\d\d:\d\d\.\d{3})\nsprite\.jpg#xywh=(\d+),(\d+),160,90", vtt)
    assert vtt.startswith("WEBVTT") and len(cues) == 4
    assert (cues[0][0], cues[-1][1]) == ("00:00:00.000", "00:00:04.000")
    sheet = probe(stored(item.outputs["sprite"]["path"]), tmp_path, "sprite.jpg")["streams"][0]
    assert sheet["width"] == 1600 and sheet["height"] == 90

    page = archivist.get(f"/admin/snippets/assets/media/edit/{item.pk}/").content.decode()
    for shown in ("Đã dựng cho độc giả:", "Video cho web (MP4)", "Luồng thích ứng (HLS)", "Ảnh xem trước khi tua (WebVTT)", "Xử lý lại tệp"):
        assert shown in page, shown


def test_an_upright_phone_video_keeps_its_shape_and_is_not_made_taller(files, tmp_path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = Media.objects.create(kind="video", title="Phỏng vấn dọc", file=ContentFile(files["upright"], name="doc.mp4"))
    be_the_media_worker(django_capture_on_commit_callbacks)
    item.refresh_from_db()
    assert item.state == Media.State.READY
    # A 240-wide source: one rung at its own size, upright.
    assert re.findall(r"RESOLUTION=(\d+x\d+)", stored(item.outputs["hls"]["path"]).decode()) == ["240x320"]
    picture = next(s for s in probe(stored(item.outputs["web"]["path"]), tmp_path, "web.mp4")["streams"] if s["codec_type"] == "video")
    assert (picture["width"], picture["height"]) == (240, 320)


def test_a_quiet_recording_is_brought_to_the_podcast_loudness_for_readers_and_the_feed(
    clips, client, newsroom, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = Media.objects.create(kind="audio", title="Phỏng vấn nhỏ tiếng", file=ContentFile(clips["quiet"], name="nho-tieng.mp3"))
    assert integrated_loudness(clips["quiet"], tmp_path, "source.mp3") < -35
    assert be_the_media_worker(django_capture_on_commit_callbacks) == ["assets.tasks.process_media"] + ["assets.tasks.transcode_media"] * 2
    item.refresh_from_db()
    assert item.state == Media.State.READY
    for name, suffix in (("mp3", "mp3"), ("aac", "m4a")):
        data = stored(item.outputs[name]["path"])
        assert item.outputs[name]["size"] == len(data)
        assert integrated_loudness(data, tmp_path, f"out.{suffix}") == pytest.approx(-16, abs=1)
    assert item.outputs["mp3"]["loudness"]["measured"] < -35

    story = make_article(newsroom.finance.economy, title="Phỏng vấn", body=[("audio", {"audio": item, "caption": ""})])
    page = client.get(story.url, HTTP_HOST="localhost").content.decode()
    assert f'<source src="{item.aac_url}" type="audio/mp4">' in page
    assert f'<source src="{item.output_url("mp3")}" type="audio/mpeg">' in page
    assert item.file.url not in page
    # The normalised file is the reader's: served once the story is live.
    response = client.get(item.output_url("mp3"))
    assert response.status_code == 200 and response["Content-Type"] == "audio/mpeg"


def test_the_story_page_plays_the_hls_ladder_with_the_mp4_beside_it(clips, client, newsroom, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = Media.objects.create(kind="video", title="Lễ hội", file=ContentFile(clips["hd"], name="le-hoi.mp4"))
    be_the_media_worker(django_capture_on_commit_callbacks)
    item.refresh_from_db()
    hls, web = item.hls_url, item.web_video_url
    folder = hls.rsplit("/", 1)[0]
    # Before any live story shows it, the ladder is staff's only.
    assert client.get(hls).status_code == 404

    story = make_article(newsroom.finance.economy, title="Lễ hội đêm", body=[("video", {"video": item, "caption": ""})])
    page = client.get(story.url, HTTP_HOST="localhost").content.decode()
    assert f'data-hls="{hls}"' in page
    assert page.index(f'<source src="{hls}" type="application/vnd.apple.mpegurl">') < page.index(f'<source src="{web}" type="video/mp4">')
    assert f'<track kind="metadata" label="thumbnails" src="{item.scrub_url}">' in page
    assert "newsroom/player.js" in page and "hls.light.min.js" in page
    # Search engines list the video: its poster, its length, the MP4.
    [data] = [json.loads(script) for script in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)]
    [listed] = data["video"]
    assert (listed["@type"], listed["name"], listed["duration"]) == ("VideoObject", "Lễ hội", "PT4S")
    assert listed["contentUrl"] == f"http://localhost{web}" and listed["thumbnailUrl"][0].startswith("http://localhost/")
    assert listed["uploadDate"].startswith(item.created_at.date().isoformat())
    # hls.js plays through a blob: address, which the page's policy allows for media only.
    policy = client.get(story.url, HTTP_HOST="localhost")["Content-Security-Policy"]
    assert "media-src 'self' blob:" in policy and "blob:" not in policy.split("script-src", 1)[1].split(";", 1)[0]

    master = client.get(hls)
    assert master.status_code == 200 and master["Content-Type"] == "application/vnd.apple.mpegurl"
    rung = b"".join(client.get(f"{folder}/360p.m3u8").streaming_content).decode()
    first = next(line for line in rung.splitlines() if line.endswith(".ts"))
    segment = client.get(f"{folder}/{first}")
    assert segment.status_code == 200 and segment["Content-Type"] == "video/mp2t"
    assert client.get(web, HTTP_RANGE="bytes=0-99").status_code == 206
    # Only the item's current outputs: nothing else under its folder, no other item's.
    assert client.get(f"{folder}/../../../../media/x.mp4").status_code == 404
    assert client.get(hls.replace(f"/media-out/{item.pk}/", f"/media-out/{item.pk + 1}/")).status_code == 404


def test_a_long_video_is_made_in_stretches_that_join_without_a_seam(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_CHUNK_SECONDS = 6  # stands for 5 minutes: the 20-second clip is four stretches
    long = ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=20", "-f", "lavfi", "-i", "sine=frequency=500:duration=20",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", output=tmp_path / "long.mp4",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        item = Media.objects.create(kind="video", title="Phóng sự dài", file=ContentFile(long, name="phong-su.mp4"))
    worker_round(django_capture_on_commit_callbacks)
    item.refresh_from_db()
    parts = {part.name: part for part in item.parts.all()}
    assert sorted(parts) == ["assemble", "picture-000", "picture-001", "picture-002", "picture-003", "sound", "sprite"]
    assert [(parts[f"picture-00{n}"].start, parts[f"picture-00{n}"].seconds) for n in range(4)] == [(0, 6), (6, 6), (12, 6), (18, pytest.approx(2, abs=0.05))]
    # Each part is its own task: a worker holds one stretch at a time.
    queued = QueuedTask.objects.filter(task="assets.tasks.transcode_media").order_by("pk").values_list("args", flat=True)
    assert [args[2] for args in queued] == [*(f"picture-00{n}" for n in range(4)), "sound", "sprite"]

    be_the_media_worker(django_capture_on_commit_callbacks)
    item.refresh_from_db()
    assert item.state == Media.State.READY

    web = probe(stored(item.outputs["web"]["path"]), tmp_path, "web.mp4")
    picture = next(s for s in web["streams"] if s["codec_type"] == "video")
    sound = next(s for s in web["streams"] if s["codec_type"] == "audio")
    assert int(picture["nb_frames"]) == 500  # every frame once: no gap, no overlap at the joins
    assert float(sound["duration"]) == pytest.approx(20, abs=0.1)

    folder = default_storage.path(item.outputs["hls"]["path"]).rsplit("/", 1)[0]
    playlist = open(f"{folder}/360p.m3u8", encoding="utf-8").read()
    segments = re.findall(r"^(picture-00\d/360p_\d{3}\.ts)$", playlist, re.M)
    assert [segment.split("/")[0] for segment in segments] == ["picture-000", "picture-001", "picture-002", "picture-003"]
    assert sum(float(d) for d in re.findall(r"#EXTINF:([\d.]+),", playlist)) == pytest.approx(20, abs=0.1)

    def first_time(segment):
        done = subprocess.run(
            ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time", "-read_intervals", "%+#1",
             "-of", "csv=p=0", f"{folder}/{segment}"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        return float(done.stdout.split()[0].rstrip(","))

    starts = [first_time(segment) for segment in segments]
    # One clock across the stretches: each starts six seconds after the last.
    assert [round(b - a, 2) for a, b in zip(starts, starts[1:], strict=False)] == [6.0, 6.0, 6.0]
    whole = subprocess.run(
        ["ffprobe", "-v", "error", "-protocol_whitelist", "file", "-show_entries", "format=duration", "-of", "csv=p=0", f"{folder}/master.m3u8"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert float(whole.stdout) == pytest.approx(20, abs=0.2)
    assert 'AUDIO="sound"' in open(f"{folder}/master.m3u8", encoding="utf-8").read()


def test_the_percentage_moves_as_ffmpeg_reports_and_the_page_can_follow_it(
    archivist, clips, monkeypatch, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        item = Media.objects.create(kind="video", title="Theo dõi", file=ContentFile(clips["hd"], name="theo-doi.mp4"))
    worker_round(django_capture_on_commit_callbacks)
    page = archivist.get(f"/admin/snippets/assets/media/edit/{item.pk}/").content.decode()
    assert f'data-archive-progress="/admin/archive/media/{item.pk}/progress/"' in page
    assert '<progress class="archive-processing__bar" max="100" value="0"' in page
    assert "assets/processing.js" in page

    # Every report written (the worker writes at most one a second), as the
    # row updates the worker sends.
    monkeypatch.setattr(media_ffmpeg, "PROGRESS_EVERY", 0)
    with CaptureQueriesContext(connection) as queries:
        worker_round(django_capture_on_commit_callbacks)  # the parts, not yet their assembly
    reported = [float(n) for q in queries for n in re.findall(r'"done_fraction" = ([\d.]+)', q["sql"]) if "UPDATE" in q["sql"]]
    picture = reported[: next((i for i, n in enumerate(reported) if n == 1.0), len(reported))]
    assert len(set(picture)) >= 3 and picture == sorted(picture), reported  # the picture's stretch, rising
    item.refresh_from_db()
    # The parts' shares done, the assembly's left: 4 + 0.4 + 0.4 of 5 seconds' work.
    assert item.progress() == 96
    with django_assert_max_num_queries(8):
        answer = archivist.get(f"/admin/archive/media/{item.pk}/progress/")
    assert answer.json() == {"state": "processing", "label": "Đang xử lý", "progress": 96}
    assert "no-store" in answer["Cache-Control"]  # the admin's own rule: a poll never reads a kept answer


def test_a_video_that_breaks_off_fails_with_the_reason_and_leaves_no_file(archivist, clips, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = Media.objects.create(kind="video", title="Đứt giữa chừng", file=ContentFile(clips["broken"], name="dut.mp4"))
    be_the_media_worker(django_capture_on_commit_callbacks)
    item.refresh_from_db()
    assert item.state == Media.State.FAILED
    assert item.failure.startswith("Không chuyển mã được tệp: tệp có thể bị hỏng hoặc bị cắt cụt.")
    assert "corrupt input packet" in item.failure  # ffmpeg's own words, for whoever looks further
    assert item.outputs == {} and item.progress() == 0
    assert not default_storage.exists(f"media-out/{item.pk}/{item.sha256[:16]}/web/web.mp4")
    page = archivist.get(f"/admin/snippets/assets/media/edit/{item.pk}/").content.decode()
    assert "Thử lại" in page


def test_a_conversion_past_its_limit_is_stopped_and_says_so(clips, settings, django_capture_on_commit_callbacks):
    settings.MEDIA_TRANSCODE_SECONDS_PER_MINUTE = 0
    with django_capture_on_commit_callbacks(execute=True):
        item = Media.objects.create(kind="audio", title="Quá lâu", file=ContentFile(clips["quiet"], name="qua-lau.mp3"))
    be_the_media_worker(django_capture_on_commit_callbacks)
    item.refresh_from_db()
    assert item.state == Media.State.FAILED
    assert item.failure == "Chuyển mã tệp mất quá giới hạn 0 phút."


def test_retry_sends_a_failed_item_back_to_the_worker_for_those_who_may_change_it(
    archivist, clips, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = Media.objects.create(kind="video", title="Thử lại", file=ContentFile(clips["broken"], name="thu-lai.mp4"))
    be_the_media_worker(django_capture_on_commit_callbacks)

    # Another unit's reporter may neither retry nor follow it (Wagtail's
    # "no permission", back on the dashboard); a GET changes nothing.
    outsider = Client()
    outsider.force_login(staff["other_unit_reporter"])
    for refused in (outsider.post(f"/admin/archive/media/{item.pk}/retry/"), outsider.get(f"/admin/archive/media/{item.pk}/progress/")):
        assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    assert archivist.get(f"/admin/archive/media/{item.pk}/retry/").status_code == 405
    item.refresh_from_db()
    assert item.state == Media.State.FAILED and not broker_messages("media")

    with django_capture_on_commit_callbacks(execute=True):
        response = archivist.post(f"/admin/archive/media/{item.pk}/retry/", {"title": "bỏ qua"})
    assert response.status_code == 302 and response["Location"] == f"/admin/snippets/assets/media/edit/{item.pk}/"
    item.refresh_from_db()
    assert (item.state, item.failure, item.title) == (Media.State.UPLOADED, "", "Thử lại")
    assert worker_round(django_capture_on_commit_callbacks) == ["assets.tasks.process_media"]
    page = archivist.get(response["Location"]).content.decode()
    assert "“Thử lại” đã được gửi lại cho bộ xử lý tư liệu." in page


def test_a_new_file_replaces_the_old_outputs_and_a_deleted_item_takes_its_own(clips, files, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = Media.objects.create(kind="audio", title="Bản tin", file=ContentFile(files["recording"], name="ban-tin.mp3"))
    be_the_media_worker(django_capture_on_commit_callbacks)
    item.refresh_from_db()
    first = item.outputs["mp3"]["path"]
    assert default_storage.exists(first)

    with django_capture_on_commit_callbacks(execute=True):
        item.file = ContentFile(clips["quiet"], name="ban-tin-moi.mp3")
        item.save()
    be_the_media_worker(django_capture_on_commit_callbacks)
    item.refresh_from_db()
    assert item.state == Media.State.READY and item.outputs["mp3"]["path"] != first
    assert not default_storage.exists(first) and default_storage.exists(item.outputs["mp3"]["path"])

    made = [output["path"] for output in item.outputs.values()]
    with django_capture_on_commit_callbacks(execute=True):
        item.delete()
    assert be_the_media_worker(django_capture_on_commit_callbacks) == ["assets.tasks.delete_media_outputs"]
    assert not any(default_storage.exists(path) for path in made)
