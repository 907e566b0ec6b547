"""A video or audio file put in the archive is read by the media worker
(real ffprobe on files made here with ffmpeg's lavfi sources): nobody
types a duration again, a phone video held upright is upright, and a file
that is not what it claims fails in words, never a 500."""

import hashlib
import subprocess

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from assets import processing
from assets.models import ArchiveImage, Media
from tests.helpers import broker_messages, make_article

from .media import be_the_media_worker, ffmpeg, needs_ffmpeg, worker_round

# What ffmpeg reads does not depend on the database: CI runs these once.
pytestmark = [pytest.mark.django_db, needs_ffmpeg, pytest.mark.once]


def test_a_video_uploaded_in_the_admin_is_read_by_the_worker_not_the_request(archivist, files, django_capture_on_commit_callbacks):
    upload = ContentFile(files["video"], name="Cầu Rồng phun lửa.mp4")
    with django_capture_on_commit_callbacks(execute=True):
        response = archivist.post(
            "/admin/snippets/assets/media/add/",
            {"title": "Cầu Rồng phun lửa", "kind": "video", "file": upload, "license": "all-rights-reserved", "collection": 1},
        )
    assert response.status_code == 302, response.content.decode()[-2000:]
    item = Media.objects.get(title="Cầu Rồng phun lửa")
    assert (item.state, item.duration, item.width) == (Media.State.UPLOADED, None, None)
    assert "Đã tải lên, chờ xử lý" in archivist.get("/admin/snippets/assets/media/").content.decode()

    assert worker_round(django_capture_on_commit_callbacks) == ["assets.tasks.process_media"]
    item.refresh_from_db()
    # Read: the versions for readers are made next, one task each.
    assert item.state == Media.State.PROCESSING and item.failure == ""
    assert item.duration == pytest.approx(2.0, abs=0.1)
    assert (item.width, item.height) == (320, 240)
    technical = item.technical
    assert (technical["video_codec"], technical["audio_codec"], technical["frame_rate"]) == ("h264", "aac", 25.0)
    assert technical["created"].startswith("2026-11-30T08:15:00")
    assert technical["location"] == "+10.7769+106.7009/"
    assert technical["file"] == item.file.name
    assert "Đang xử lý" in archivist.get("/admin/snippets/assets/media/").content.decode()

    # The picture, the sound, the scrubbing pictures, then their assembly.
    assert be_the_media_worker(django_capture_on_commit_callbacks).count("assets.tasks.transcode_media") == 4
    item.refresh_from_db()
    assert (item.state, item.progress()) == (Media.State.READY, 100)
    listing = archivist.get("/admin/snippets/assets/media/").content.decode()
    assert "Sẵn sàng" in listing and "0:02" in listing

    # Saved again with the same file: not read again.
    with django_capture_on_commit_callbacks(execute=True):
        item.caption = "Đêm thứ Bảy"
        item.save()
    assert be_the_media_worker(django_capture_on_commit_callbacks) == []


def test_an_upright_phone_video_is_as_tall_as_it_is_shown(files, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = Media.objects.create(kind="video", title="Phỏng vấn dọc", file=ContentFile(files["upright"], name="doc.mp4"))
    worker_round(django_capture_on_commit_callbacks)
    item.refresh_from_db()
    assert (item.width, item.height, item.technical["rotation"]) == (240, 320, 90)


def test_a_recording_gets_its_length_and_sound_details(files, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = Media.objects.create(kind="audio", title="Phỏng vấn Bộ trưởng", file=ContentFile(files["recording"], name="talk.mp3"))
    be_the_media_worker(django_capture_on_commit_callbacks)
    item.refresh_from_db()
    assert item.state == Media.State.READY
    assert item.duration == pytest.approx(3.0, abs=0.1)
    assert (item.width, item.height) == (None, None)
    assert (item.technical["audio_codec"], item.technical["channels"], item.technical["sample_rate"]) == ("mp3", 1, 44100)


@pytest.mark.parametrize(
    ("kind", "content", "reason"),
    [
        ("video", b"\x17\x42random bytes named like a video" * 50, "không phải video hay bản ghi âm"),
        ("video", "recording", "không có hình"),
        ("audio", b"", "không phải video hay bản ghi âm"),
    ],
    ids=["random-bytes", "sound-as-video", "empty"],
)
def test_a_file_that_is_not_what_it_claims_fails_in_words(archivist, files, django_capture_on_commit_callbacks, kind, content, reason):
    data = files[content] if isinstance(content, str) else content
    with django_capture_on_commit_callbacks(execute=True):
        item = Media.objects.create(kind=kind, title="Tệp lạ", file=ContentFile(data, name="la.mp4"))
    be_the_media_worker(django_capture_on_commit_callbacks)
    item.refresh_from_db()
    assert item.state == Media.State.FAILED
    assert reason in item.failure.lower()
    assert item.duration is None
    page = archivist.get(f"/admin/snippets/assets/media/edit/{item.pk}/")
    assert page.status_code == 200
    assert "Thất bại" in page.content.decode()
    assert archivist.get("/admin/snippets/assets/media/?state=failed").status_code == 200

    # Saved again (a new file, or the same to try once more): read again.
    with django_capture_on_commit_callbacks(execute=True):
        item.save()
    assert worker_round(django_capture_on_commit_callbacks) == ["assets.tasks.process_media"]


def test_an_item_deleted_before_the_worker_ran_is_skipped(files, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = Media.objects.create(kind="audio", title="Xóa ngay", file=ContentFile(files["recording"], name="xoa.mp3"))
    pk = item.pk
    item.delete()
    # The task's own run (run_queued_tasks keeps an error in its result):
    # nothing to read, no error, nothing made.
    [message] = broker_messages("media")
    assert message.decode()[0] == [pk]
    assert processing.process_media(pk) is None
    assert not Media.objects.filter(pk=pk).exists() and not ArchiveImage.objects.filter(title__contains="Xóa ngay").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "phong-van.mp3",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n" * 40,
            "“phong-van.mp3” không phải video hay bản ghi âm: nội dung của tệp là application/pdf.",
        ),
        ("clip.mp4", bytes(range(256)) * 40, "“clip.mp4” không phải video hay bản ghi âm: tòa soạn không nhận ra nội dung của tệp."),
    ],
    ids=["pdf-named-mp3", "random-bytes"],
)
def test_an_upload_that_is_not_video_or_sound_is_refused_naming_the_file(archivist, name, content, message):
    response = archivist.post(
        "/admin/snippets/assets/media/add/",
        {"title": "Tệp lạ", "kind": "audio", "file": ContentFile(content, name=name), "license": "all-rights-reserved", "collection": 1},
    )
    assert response.status_code == 200  # the form again, saying why
    assert message in response.content.decode()
    assert not Media.objects.filter(title="Tệp lạ").exists()


def test_a_recording_named_anything_goes_in(archivist, files):
    response = archivist.post(
        "/admin/snippets/assets/media/add/",
        {"title": "Bản ghi", "kind": "audio", "file": ContentFile(files["recording"], name="ban-ghi.mp3"), "license": "all-rights-reserved", "collection": 1},
    )
    assert response.status_code == 302
    assert Media.objects.filter(title="Bản ghi").exists()


def test_the_item_page_shows_what_the_worker_read(archivist, files, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = Media.objects.create(kind="video", title="Pháo hoa", file=ContentFile(files["video"], name="phao-hoa.mp4"))
    be_the_media_worker(django_capture_on_commit_callbacks)
    page = archivist.get(f"/admin/snippets/assets/media/edit/{item.pk}/").content.decode()
    for shown in ("Sẵn sàng", "Mã hóa hình", "h264", "Số khung hình/giây", "25", "Tần số lấy mẫu", "44.100 Hz", "Ghi tại", "+10.7769+106.7009/"):
        assert shown in page, shown


def test_the_same_file_put_in_twice_is_shown_as_a_duplicate_on_both(archivist, files, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = Media.objects.create(kind="audio", title="Bản tin 6 giờ", file=ContentFile(files["recording"], name="ban-tin.mp3"))
        copy = Media.objects.create(kind="audio", title="Bản tin sáng (bản sao)", file=ContentFile(files["recording"], name="ban-tin-2.mp3"))
        other = Media.objects.create(kind="video", title="Pháo hoa", file=ContentFile(files["video"], name="phao-hoa.mp4"))
    worker_round(django_capture_on_commit_callbacks)
    first.refresh_from_db()
    assert first.sha256 == hashlib.sha256(files["recording"]).hexdigest()
    assert list(first.duplicates()) == [copy]
    assert list(other.duplicates()) == []

    page = archivist.get(f"/admin/snippets/assets/media/edit/{copy.pk}/").content.decode()
    assert "Kho tư liệu đã có bản ghi này" in page
    assert f'href="/admin/snippets/assets/media/edit/{first.pk}/"' in page
    assert "Kho tư liệu đã có bản ghi này" not in archivist.get(f"/admin/snippets/assets/media/edit/{other.pk}/").content.decode()


def test_a_failed_item_says_why_and_how_to_try_again(archivist, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = Media.objects.create(kind="audio", title="Hỏng", file=ContentFile(b"\x17" * 3000, name="hong.mp3"))
    worker_round(django_capture_on_commit_callbacks)
    page = archivist.get(f"/admin/snippets/assets/media/edit/{item.pk}/").content.decode()
    assert "Tệp này không phải video hay bản ghi âm mà tòa soạn đọc được." in page
    assert "Thử lại" in page and f'formaction="/admin/archive/media/{item.pk}/retry/"' in page


def test_a_video_without_a_poster_gets_a_frame_of_its_own_upright(files, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        landscape = Media.objects.create(kind="video", title="Cầu Rồng", file=ContentFile(files["video"], name="cau-rong.mp4"), credit="Video: Minh Đức")
        upright = Media.objects.create(kind="video", title="Phỏng vấn dọc", file=ContentFile(files["upright"], name="doc.mp4"))
        recording = Media.objects.create(kind="audio", title="Bản tin", file=ContentFile(files["recording"], name="ban-tin.mp3"))
    worker_round(django_capture_on_commit_callbacks)
    for item, size in ((landscape, (320, 240)), (upright, (240, 320))):
        item.refresh_from_db()
        poster = item.poster
        assert poster is not None, item.title
        assert (poster.width, poster.height) == size
        assert poster.title == f"Ảnh đại diện: {item.title}"
        assert poster.collection_id == item.collection_id
    assert landscape.poster.credit == "Video: Minh Đức"
    recording.refresh_from_db()
    assert recording.poster is None
    # The poster is an archive picture like any other: its renditions are the media worker's next job.
    assert "assets.tasks.generate_renditions" in worker_round(django_capture_on_commit_callbacks)


def test_a_poster_chosen_by_an_editor_is_kept(files, newsroom, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = Media.objects.create(kind="video", title="Có ảnh", file=ContentFile(files["video"], name="co-anh.mp4"), poster=newsroom.cover)
    be_the_media_worker(django_capture_on_commit_callbacks)
    item.refresh_from_db()
    assert item.state == Media.State.READY and item.poster == newsroom.cover


def test_a_recording_gets_its_waveform_drawn_in_the_admin_and_beside_the_public_player(
    archivist, client, newsroom, tmp_path, django_capture_on_commit_callbacks
):
    # Two seconds of near-silence, then a loud second: the drawing shows it.
    quiet_then_loud = ffmpeg(
        "-f", "lavfi", "-i", "sine=frequency=440:duration=3", "-af", "volume='if(lt(t,2),0.02,1)':eval=frame",
        "-c:a", "libmp3lame", "-ac", "1", output=tmp_path / "quiet-then-loud.mp3",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        item = Media.objects.create(kind="audio", title="Bản tin", file=ContentFile(quiet_then_loud, name="ban-tin.mp3"))
    worker_round(django_capture_on_commit_callbacks)
    item.refresh_from_db()
    bars = item.waveform
    assert 390 <= len(bars) <= 400
    first, last = bars[: len(bars) // 2], bars[-len(bars) // 4 :]
    assert max(first) < 10 and min(last) > 80
    assert archivist.get(f"/admin/snippets/assets/media/edit/{item.pk}/").content.decode().count(item.waveform_path()) == 1

    story = make_article(newsroom.finance.economy, title="Bản tin sáng", body=[("audio", {"audio": item, "caption": ""})])
    page = client.get(story.url, HTTP_HOST="localhost").content.decode()
    assert 'class="media__waveform"' in page and item.waveform_path() in page


def test_a_recording_longer_than_the_limit_fails_saying_both_lengths(files, settings, django_capture_on_commit_callbacks):
    settings.MEDIA_MAX_MINUTES = 0  # the three-second recording is too long
    with django_capture_on_commit_callbacks(execute=True):
        item = Media.objects.create(kind="audio", title="Quá dài", file=ContentFile(files["recording"], name="qua-dai.mp3"))
    worker_round(django_capture_on_commit_callbacks)
    item.refresh_from_db()
    assert item.state == Media.State.FAILED
    assert item.failure.startswith("Tệp dài 1 phút, quá giới hạn 0 phút của kho tư liệu: hãy cắt ngắn trước.")
    assert item.duration is None


def frame_at(data, seconds, tmp_path):
    """The picture ffmpeg gives for the frame at ``seconds``, decoded."""
    source = tmp_path / "source.mp4"
    source.write_bytes(data)
    target = tmp_path / f"frame-{seconds}.png"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-ss", f"{seconds:.3f}", "-i", str(source), "-frames:v", "1", str(target)], check=True)
    with Image.open(target) as picture:
        return picture.convert("L").resize((32, 24))


def difference(one, other):
    return sum(abs(a - b) for a, b in zip(one.getdata(), other.getdata(), strict=True)) / (32 * 24)


def test_an_editor_picks_the_posters_moment_and_the_worker_makes_it(archivist, files, tmp_path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = Media.objects.create(kind="video", title="Chọn khung hình", file=ContentFile(files["video"], name="khung.mp4"), license="cc0")
    worker_round(django_capture_on_commit_callbacks)
    item.refresh_from_db()
    first_poster = item.poster
    form = {
        "title": item.title, "kind": "video", "license": "cc0", "collection": item.collection_id, "duration": item.duration,
        "width": item.width, "height": item.height, "poster": first_poster.pk, "caption": "", "credit": "", "transcript": "",
    }  # fmt: skip
    # Past the end of a 2-second video: said in words, nothing queued.
    refused = archivist.post(f"/admin/snippets/assets/media/edit/{item.pk}/", {**form, "poster_at": "9"})
    assert refused.status_code == 200 and "Thời điểm lấy ảnh đại diện phải nằm trong video" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        saved = archivist.post(f"/admin/snippets/assets/media/edit/{item.pk}/", {**form, "poster_at": "1.6"})
    assert saved.status_code == 302
    assert "assets.tasks.make_poster" in worker_round(django_capture_on_commit_callbacks)
    item.refresh_from_db()
    assert item.poster != first_poster and ArchiveImage.objects.filter(pk=first_poster.pk).exists()  # the old one stays in the archive
    with item.poster.open_file() as made, Image.open(made) as picture:
        chosen = picture.convert("L").resize((32, 24))
    # The frame at 1.6 s, not the default one at 0.2 s (testsrc's counter moves).
    assert difference(chosen, frame_at(files["video"], 1.6, tmp_path)) < difference(chosen, frame_at(files["video"], 0.2, tmp_path))
